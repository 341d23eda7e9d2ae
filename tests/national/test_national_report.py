"""The national report from a real exercise on a real server: three organisations play the
short example under one control cell (each deciding its own way), an evaluator rates one
criterion, and `national report` writes Markdown, HTML, Word and Excel; each is read back
with its own library. One organisation's name is hostile and must come out literally.
"""

from __future__ import annotations

import io
import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from openpyxl import load_workbook

from krise_ovelse.cli import main
from krise_ovelse.national.control import ControlCell
from krise_ovelse.national.org import EvaluatorClient, OrgClient

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "kort-eksempel.yaml"
HOSTILE = "<img src=x onerror=alert(1)> =1+2 Tilsynet"


def _setup(tmp_path: Path, pg_url: str, exercise: str) -> dict[str, str]:
    participants = tmp_path / "deltakere.yaml"
    participants.write_text(textwrap.dedent(f"""\
        exercise: {exercise}
        title: Øvelse Digital prøve
        organisations:
          - {{id: nav, name: Arbeids- og velferdsetaten}}
          - {{id: tls, name: '{HOSTILE}'}}
          - {{id: dsb, name: Direktoratet for samfunnssikkerhet og beredskap}}
        evaluators:
          - {{id: eva-nav, organisation: nav}}
          - {{id: eva-dsb, organisation: dsb}}
        """), encoding="utf-8")
    out = tmp_path / "tilgang.txt"
    result = CliRunner().invoke(main, ["national", "setup", str(EXAMPLE), str(participants), "--credentials", str(out),
                                       "--db", pg_url], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return dict(line.split("\t") for line in out.read_text(encoding="utf-8").splitlines())


def _play(creds: dict[str, str], exercise: str) -> None:
    """Three organisations through the example; each takes a different option where it decides."""
    control = ControlCell.open(creds["control"], exercise)
    clients = {o: OrgClient(creds[f"org.{o}"], exercise, o, listen=False) for o in ("nav", "tls", "dsb")}
    try:
        control.resume()
        for minute in (60, 24 * 60 + 600, 10 * 24 * 60 + 600, 20160):
            control.advance_to(minute)
            for pick, client in enumerate(clients.values()):
                client.sync()
                for opened in client.state.open_decisions():
                    options = client.engine.scenario.decision(opened.decision_id).options
                    client.decide(opened.decision_id, options[min(pick, len(options) - 1)].id, "Vårt valg")
        control.endex("Slutt")
        for client in clients.values():
            client.sync()
        evaluator = EvaluatorClient(creds["eval.eva-nav"], exercise, "eva-nav")
        evaluator.rate("KH-2", "M", "Beskjeden kom for sent ut til de ansatte")
        evaluator.close()
    finally:
        for client in clients.values():
            client.close()
        control.close()


def _report(creds: dict[str, str], exercise: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["national", "report", exercise, *args, "--db", creds["control"]],
                              catch_exceptions=False)


def test_the_national_report_in_every_format(pg_url: str, exercise_id: str, tmp_path: Path) -> None:
    creds = _setup(tmp_path, pg_url, exercise_id)
    _play(creds, exercise_id)
    written = {}
    for ext in ("md", "html", "docx", "xlsx"):
        path = tmp_path / f"nasjonal.{ext}"
        run = _report(creds, exercise_id, "-o", str(path), "--classification", "Begrenset")
        assert run.exit_code == 0, run.stderr
        written[ext] = path

    md = written["md"].read_text(encoding="utf-8")
    assert md.startswith("**Begrenset**\n\n# Nasjonal evalueringsrapport: Øvelse Digital prøve")
    for n, name in enumerate(("Arbeids- og velferdsetaten", "\\<img src=x onerror=alert(1)\\> =1+2 Tilsynet",
                              "Direktoratet for samfunnssikkerhet og beredskap"), 1):
        assert f"## Kapittel {n}: {name}" in md
    nav = md.split("## Kapittel 1:")[1].split("## Kapittel 2:")[0]
    kh2 = next(line for line in nav.splitlines() if line.startswith("| KH-2 "))
    assert "| M |" in kh2 and "\\*" not in kh2  # the evaluator's rating: reviewed, not a suggestion
    assert "Evaluatorer: 2" in md and md.count("### Tiltaksplan") == 3

    page = written["html"].read_text(encoding="utf-8")
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt; =1+2 Tilsynet" in page
    assert "<script" not in page and page.count('<section class="chapter"') == 3 and "<svg" in page
    assert "Bidrag til kunnskapsgrunnlaget" in page

    doc = Document(io.BytesIO(written["docx"].read_bytes()))
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert f"Kapittel 2: {HOSTILE}" in headings
    assert doc.sections[0].footer.paragraphs[0].text == "Begrenset"
    assert {"Felles styrker", "Felles forbedringspunkter", "Fordeling av nivåer per kriterium"} <= set(headings)
    matrix = next(t for t in doc.tables if t.rows[0].cells[0].text == "Virksomhet" and len(t.columns) > 4)
    assert [r.cells[0].text for r in matrix.rows[1:]] == ["Arbeids- og velferdsetaten", HOSTILE,
                                                         "Direktoratet for samfunnssikkerhet og beredskap"]

    book = load_workbook(io.BytesIO(written["xlsx"].read_bytes()))
    plans = book["Tiltaksplaner"]
    orgs = {row[0] for row in plans.iter_rows(min_row=2, values_only=True)}
    assert orgs <= {"nav", "tls", "dsb"} and orgs
    names = [c for c in book["Vurderinger"]["B"][1:] if c.value]
    assert [c.value for c in names] == ["Arbeids- og velferdsetaten", HOSTILE,
                                        "Direktoratet for samfunnssikkerhet og beredskap"]
    assert names[1].data_type == "s"  # "=1+2" stays text, not a formula

    english = _report(creds, exercise_id, "--lang", "en")
    assert english.exit_code == 0 and "## Chapter 1: Arbeids" in english.stdout


def test_report_outputs_are_refused_when_unsafe_or_unknown(pg_url: str, exercise_id: str, tmp_path: Path) -> None:
    creds = _setup(tmp_path, pg_url, exercise_id)
    pdf = _report(creds, exercise_id, "-o", str(tmp_path / "r.pdf"))
    assert pdf.exit_code == 2 and "not written as .pdf" in pdf.stderr and "hint:" in pdf.stderr
    stdout_docx = _report(creds, exercise_id, "--format", "docx")
    assert stdout_docx.exit_code == 2 and "-o FILE.docx" in stdout_docx.stderr
    target = tmp_path / "annen.txt"
    target.write_text("urørt", encoding="utf-8")
    link = tmp_path / "rapport.html"
    os.symlink(target, link)
    linked = _report(creds, exercise_id, "-o", str(link))
    assert linked.exit_code == 2 and "link" in linked.stderr
    assert target.read_text(encoding="utf-8") == "urørt"
    assert not list(tmp_path.glob("*.docx"))
    as_org = CliRunner().invoke(main, ["national", "report", exercise_id, "--db", creds["org.nav"]])
    assert as_org.exit_code == 2 and "cannot read the evaluators' streams" in as_org.stderr
    assert "'control' line" in as_org.stderr and not as_org.stdout


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "xlsx"])
def test_a_report_before_anyone_played_has_every_part(pg_url: str, exercise_id: str, tmp_path: Path, fmt: str) -> None:
    creds = _setup(tmp_path, pg_url, exercise_id)
    path = tmp_path / f"tom.{fmt}"
    run = _report(creds, exercise_id, "-o", str(path))
    assert run.exit_code == 0, run.stderr
    assert path.stat().st_size > 0
