"""Printed, the report is a document a director reads: the main part of a three-hour exercise's
report (a weak team leaves many areas for improvement) fits in 15 A4 pages before the
appendices, and no page ends with a heading. Checked on real renderings: the Word file through
LibreOffice and the HTML through headless Chromium, each when installed (skipped otherwise)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from krise_ovelse.authoring import load_scenario
from krise_ovelse.paths import shipped_scenarios_dir
from krise_ovelse.report import DocumentControl, render_report, render_report_bytes, report_from_events
from krise_ovelse.scripted.headless import run_headless
from krise_ovelse.scripted.playthrough import load_playthrough

MAX_MAIN_PAGES = 15
HEADINGS = ("Sammendrag", "Hovedfunn", "Om øvelsen", "Måloppnåelse", "Funn per tema", "Styrker", "Forbedringspunkter",
            "Tiltaksplan (veien videre)", "Hotwash (umiddelbar evaluering)", "Deltakernes tilbakemeldinger",
            "Evaluering av øvelsen", "Metode og datagrunnlag", "Begrensninger", "Nivåer")


def _weak_report_data() -> object:
    directory = shipped_scenarios_dir()
    scenario = load_scenario(directory / "maratonet.yaml").scenario
    assert scenario is not None
    script = load_playthrough(directory / "playthroughs" / "maratonet" / "svakt.yaml", scenario).playthrough
    assert script is not None
    events = run_headless(scenario, script).events
    return report_from_events(scenario, events, control=DocumentControl(classification="Ugradert"))


def _pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, count + 1)]


def _check(pages: list[str]) -> None:
    appendix = next(i for i, page in enumerate(pages) if any(
        line.strip().startswith("Vedlegg A") for line in page.splitlines()))
    assert appendix <= MAX_MAIN_PAGES, f"the main part takes {appendix} pages"
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip() and line.strip() != "Ugradert"]
        assert lines and lines[-1] not in HEADINGS, f"page {number} ends with the heading {lines[-1]!r}"


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice, poppler")
def test_word_report_prints_short_and_without_orphaned_headings(tmp_path: Path) -> None:
    word = tmp_path / "rapport.docx"
    word.write_bytes(render_report_bytes(_weak_report_data(), "docx", "nb"))  # type: ignore[arg-type]
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(word)], capture_output=True, check=True, timeout=240)
    _check(_pages(tmp_path / "rapport.pdf"))


@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("pdftotext")), reason="needs Chromium, poppler")
def test_html_report_prints_short_and_without_orphaned_headings(tmp_path: Path) -> None:
    page = tmp_path / "rapport.html"
    page.write_text(render_report(_weak_report_data(), "html", "nb"), encoding="utf-8")  # type: ignore[arg-type]
    pdf = tmp_path / "rapport.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", f"--user-data-dir={tmp_path}/chrome", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, check=True, timeout=240)
    _check(_pages(pdf))
