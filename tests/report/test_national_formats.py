"""The national report in every format, read back with its own library: Markdown, HTML
(parsed), Word (python-docx) and the workbook (openpyxl). Three organisations play the short
example scenario strongly, weakly and mixed (headless); one evaluator has rated one
criterion, so the report must tell reviewed ratings from suggestions. One organisation's name
is hostile: markup, a formula, a control character and a bidi override must come out literally.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from krise_ovelse.authoring import load_scenario
from krise_ovelse.report import report_from_events
from krise_ovelse.report.national import (
    LEVEL_CODES,
    Chapter,
    CriterionRow,
    NationalView,
    build_national_view,
    render_national_bytes,
)
from krise_ovelse.report.national_docx import BAR_BLOCKS, bar_blocks
from krise_ovelse.report.svg import LEVEL_COLOURS, BarRow, stacked_bars
from krise_ovelse.safetext import neutralise
from krise_ovelse.scoring import Override
from krise_ovelse.scoring.ratings import score
from krise_ovelse.scripted.headless import run_headless
from krise_ovelse.scripted.playthrough import load_playthrough

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "examples" / "kort-eksempel.yaml"
PLAYS = ROOT / "scenarios" / "playthroughs" / "kort-eksempel"
HOSTILE = '<script>alert(1)</script> =HYPERLINK("http://x") \x1b[31m\u202eDSB'
ORGS = (("nav", "Arbeids- og velferdsetaten", "sterkt"), ("dsb", HOSTILE, "svakt"),
        ("nsm", "Nasjonal sikkerhetsmyndighet", "blandet"))


@pytest.fixture(scope="module")
def chapters() -> list[Chapter]:
    scenario = load_scenario(SCENARIO).scenario
    assert scenario is not None
    out = []
    for org_id, name, play in ORGS:
        playthrough = load_playthrough(PLAYS / f"{play}.yaml", scenario).playthrough
        assert playthrough is not None
        data = report_from_events(scenario, run_headless(scenario, playthrough, None).events)
        if org_id == "nav":  # NAV's evaluator rated KH-2: reviewed; every other rating is a suggestion
            record = attrs.evolve(data.record, overrides=(Override("KH-2", "S", "Svar kom sent", "eva-nav", 99, 600),))
            data = attrs.evolve(data, record=record, result=score(scenario, record))
        out.append(Chapter(org_id, name, data))
    return out


@pytest.fixture(scope="module")
def view(chapters: list[Chapter]) -> NationalView:
    return build_national_view("ovelse-digital", "Øvelse Digital 2026", chapters, "nb", evaluators=1,
                               classification="Unntatt offentlighet, offl. § 13")


def test_the_view_has_the_cross_cutting_parts_and_a_chapter_per_organisation(view: NationalView) -> None:
    assert [c.org_id for c in view.chapters] == ["nav", "dsb", "nsm"]
    assert view.chapters[0].title == "Kapittel 1: Arbeids- og velferdsetaten"
    # every criterion row accounts for every organisation, and matches the matrix column
    for column, row in enumerate(view.criteria):
        assert sum(row.count(code) for code in LEVEL_CODES) == 3
        for code in LEVEL_CODES:
            assert row.count(code) == sum(1 for _, cells in view.matrix if cells[column].level == code)
    kh2 = view.criterion_ids.index("KH-2")
    nav_cells = view.matrix[0][1]
    assert nav_cells[kh2].level == "S" and nav_cells[kh2].reviewed  # the evaluator's rating
    assert not any(c.reviewed for i, c in enumerate(nav_cells) if i != kh2 and c.level != "N/O")
    nav = view.chapters[0]
    assert (nav.rated, nav.reviewed) == (len(nav.ratings), 1)
    assert {s.criterion for s in view.common_improvements} >= {"KH-5", "OE-1"}
    assert all(len(s.orgs) >= 2 for s in view.common_strengths + view.common_improvements)
    oe1 = next(s for s in view.common_improvements if s.criterion == "OE-1")
    assert oe1.shared_by.startswith(f"{len(oe1.orgs)}: Arbeids- og velferdsetaten (S), ")  # who, at which level
    assert all(level in ("S", "M", "U") for s in view.common_improvements for level in s.levels)
    assert all(level in ("P", "S") for s in view.common_strengths for level in s.levels)
    knowledge = " ".join(view.knowledge)
    assert "Svakest på tvers av virksomhetene:" in knowledge and "Sterkest på tvers" in knowledge
    assert "1 av dem er gjennomgått av en evaluator" in knowledge
    assert "krise-ovelse national report ovelse-digital -o FIL.xlsx" in knowledge
    assert all(c.plan and len(c.plan) == len(c.plan_items) for c in view.chapters)


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.suggestions = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if ("class", "suggestion") in attrs:
            self.suggestions += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_escaped_and_draws_the_distribution(view: NationalView) -> None:
    page = render_national_bytes(view, "html").decode("utf-8")
    parser = _Html()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags and "link" not in parser.tags
    assert not re.search(r"(src|href)=\"(https?:|//)", page)
    assert "default-src 'none'" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    text = "".join(parser.text)
    assert HOSTILE.split(" \x1b")[0] in text  # shown as typed
    # the chart: one bar per criterion, each segment a rect in its level's colour with a tooltip
    svg = page[page.index("<svg"):page.index("</svg>")]
    for row in view.criteria:
        assert f"{row.criterion} " in svg
    segments = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="\d+" fill="(#[0-9a-f]+)"><title>', svg)
    assert len(segments) == sum(1 for row in view.criteria for code in LEVEL_CODES if row.count(code))
    assert set(segments) <= set(LEVEL_COLOURS.values())
    # the matrix: a cell per organisation and criterion; suggestions styled and marked
    assert parser.suggestions >= 10
    assert text.count("Kapittel ") >= 6  # table of contents and headings
    assert page.count('<section class="chapter"') == 3
    assert page.count("Unntatt offentlighet, offl. § 13") == 2
    for heading in ("Felles styrker", "Felles forbedringspunkter", "Bidrag til kunnskapsgrunnlaget",
                    "Tiltaksplan", "Kriterium for kriterium, virksomhet for virksomhet"):
        assert heading in text


def _fill(cell: object) -> str | None:
    tc_pr = cell._tc.tcPr  # type: ignore[attr-defined]
    if tc_pr is None:
        return None
    for child in tc_pr:
        if child.tag.endswith("}shd"):
            return str(child.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill"))
    return None


def test_word_has_chapters_the_shaded_tables_and_a_bar_per_criterion(view: NationalView) -> None:
    doc = Document(io.BytesIO(render_national_bytes(view, "docx")))
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert "Kapittel 1: Arbeids- og velferdsetaten" in headings
    assert "Kapittel 3: Nasjonal sikkerhetsmyndighet" in headings
    assert any(h.startswith("Kapittel 2: <script>alert(1)</script> =HYPERLINK") for h in headings)
    assert "Bidrag til kunnskapsgrunnlaget" in headings
    assert doc.sections[0].header.paragraphs[0].text == "Unntatt offentlighet, offl. § 13"
    tables = {t.rows[0].cells[0].text + "|" + t.rows[0].cells[-1].text: t for t in doc.tables}
    distribution = tables["Kriterium|Fordeling"]
    for row, criterion in zip(distribution.rows[1:], view.criteria, strict=True):
        for col, code in enumerate(LEVEL_CODES, start=1):
            assert row.cells[col].text == str(criterion.count(code))
            assert _fill(row.cells[col]) == (LEVEL_COLOURS[code].lstrip("#").upper() if criterion.count(code) else None)
        runs = row.cells[-1].paragraphs[0].runs
        assert sum(len(r.text) for r in runs) == BAR_BLOCKS
        assert [str(r.font.color.rgb) for r in runs] == [LEVEL_COLOURS[c].lstrip("#").upper()
                                                         for c in LEVEL_CODES if criterion.count(c)]
    matrix = tables[f"Virksomhet|{view.criterion_ids[-1]}"]
    assert [r.cells[0].text for r in matrix.rows[1:]] == [neutralise(name) for name, _ in view.matrix]
    assert "␛[31m‹U+202E›DSB" in matrix.rows[2].cells[0].text  # controls shown, not obeyed
    kh2 = view.criterion_ids.index("KH-2") + 1
    assert matrix.rows[1].cells[kh2].text == "S" and _fill(matrix.rows[1].cells[kh2]) == "5F8F1F"
    suggestion = next(c for c in matrix.rows[2].cells[1:] if c.text != "N/O")
    assert suggestion.text.endswith("*")


def test_the_workbook_has_every_plan_with_its_organisation_and_the_ratings(view: NationalView) -> None:
    book = load_workbook(io.BytesIO(render_national_bytes(view, "xlsx")))
    assert book.sheetnames == ["Tiltaksplaner", "Vurderinger", "Fordeling", "Om rapporten"]
    plans = book["Tiltaksplaner"]
    header = [c.value for c in plans[1]]
    assert header[:4] == ["Virksomhet", "Navn", "Nr.", "Funn (kriterium)"]
    rows = list(plans.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(c.plan) for c in view.chapters)
    assert {r[0] for r in rows} == {"nav", "dsb", "nsm"}
    hostile = [c for row in plans.iter_rows(min_row=2) for c in row[:2] if c.value and "HYPERLINK" in str(c.value)]
    assert hostile and all(c.data_type == "s" for c in hostile)
    assert all("\x1b" not in str(c.value) and "\u202e" not in str(c.value) for c in hostile)
    ratings = book["Vurderinger"]
    assert [c.value for c in ratings[1]][:3] == ["Virksomhet", "Navn", "Indeks"]
    nav = [c for c in ratings[2]]
    assert nav[0].value == "nav" and isinstance(nav[2].value, float | int)
    kh2 = 3 + view.criterion_ids.index("KH-2")
    assert nav[kh2].value == "S" and nav[kh2].fill.fgColor.rgb.endswith("5F8F1F")
    spread = {r[0]: r[2:] for r in book["Fordeling"].iter_rows(min_row=2, values_only=True)}
    assert spread == {row.criterion: tuple(row.count(c) for c in LEVEL_CODES) for row in view.criteria}
    about = {row[0]: row[1] for row in book["Om rapporten"].iter_rows(values_only=True)}
    assert about["format"] == "krise-ovelse/national-report" and about["organisations"] == 3


def test_markdown_marks_suggestions_and_escapes(view: NationalView) -> None:
    text = render_national_bytes(view, "md").decode("utf-8")
    assert "\\<script\\>" in text and "<script>" not in text
    assert "| Arbeids- og velferdsetaten | " in text
    nav_row = next(line for line in text.splitlines() if line.startswith("| Arbeids- og velferdsetaten | ")
                   and "\\*" in line)
    assert " S |" in nav_row  # KH-2, reviewed: no mark
    assert text.count("## Kapittel ") == 3


def test_norwegian_reads_native_and_english_is_english(chapters: list[Chapter]) -> None:
    for fmt in ("md", "html"):
        nb = render_national_bytes(build_national_view("x", "Øvelse", chapters, "nb"), fmt).decode("utf-8")
        assert not re.search(r"\b[Ll]ag(et)?\b", nb)
        assert "Chapter" not in nb and "Common" not in nb
        en = render_national_bytes(build_national_view("x", "Exercise", chapters, "en"), fmt).decode("utf-8")
        for word in ("Chapter 1:", "Common strengths", "Contribution to the knowledge base", "Action plan"):
            assert word in en
        assert "Kapittel" not in en and "Felles" not in en and "virksomhet" not in en


@given(st.lists(st.integers(min_value=0, max_value=80), min_size=5, max_size=5).filter(lambda c: sum(c) > 0))
def test_a_word_bar_always_has_its_full_length_and_every_level_reached(counts: list[int]) -> None:
    row = CriterionRow("KH-1", "x", tuple((code, tuple(f"o{i}" for i in range(n)))
                                          for code, n in zip(LEVEL_CODES, counts, strict=True)))
    parts = dict(bar_blocks(row))
    assert sum(parts.values()) == BAR_BLOCKS
    assert {code for code, n in zip(LEVEL_CODES, counts, strict=True) if n} == set(parts)


def test_the_svg_bars_escape_their_labels_and_tooltips() -> None:
    svg = stacked_bars([BarRow("<b>&", (("P", 2, "<i>x</i>"), ("U", 1, "y")))], title="<t>",
                       legend=[("P", "<p>"), ("U", "")])
    assert "<b>" not in svg and "<i>" not in svg and "&lt;t&gt;" in svg and "&lt;p&gt;" in svg
    assert svg.count("<rect") == 2 + 2  # two legend keys, two segments


def _pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, count + 1)]


@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("pdftotext")), reason="needs Chromium, poppler")
def test_printed_every_chapter_starts_a_page_and_no_page_ends_with_a_heading(view: NationalView,
                                                                              tmp_path: Path) -> None:
    page = tmp_path / "nasjonal.html"
    page.write_bytes(render_national_bytes(view, "html"))
    pdf = tmp_path / "nasjonal.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", f"--user-data-dir={tmp_path}/chrome", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, check=True, timeout=240)
    pages = [[line.strip() for line in text.splitlines() if line.strip() and "Unntatt offentlighet" not in line]
             for text in _pdf_pages(pdf)]
    m = view.m
    headings = {m[key] for key in ("nat_overview", "nat_index_table", "nat_across", "nat_distribution", "nat_matrix",
                                   "nat_common", "nat_common_strengths", "nat_common_improvements", "nat_knowledge",
                                   "nat_ratings", "strengths", "improvements", "plan", "legend")}
    for number, lines in enumerate(pages, start=1):
        assert lines and lines[-1] not in headings, f"page {number} ends with the heading {lines[-1]!r}"
    starts = [lines[0] for lines in pages if lines]
    for chapter in view.chapters[::2]:  # plain names (the hostile one wraps and shows controls as symbols)
        assert chapter.title in starts, f"{chapter.title!r} does not start a page"


def test_the_documented_national_report_commands_use_real_options_and_formats() -> None:
    import shlex

    from krise_ovelse.cli.national_cmds import report_cmd

    doc = (ROOT / "docs" / "national-exercise.md").read_text(encoding="utf-8")
    commands = [line.split("$ ", 1)[1] for line in doc.splitlines() if "$ krise-ovelse national report" in line]
    assert len(commands) >= 4
    known = {opt for param in report_cmd.params for opt in getattr(param, "opts", ())}
    formats = set()
    for command in commands:
        words = shlex.split(command)
        assert {w for w in words if w.startswith("-")} <= known, command
        formats |= {Path(words[i + 1]).suffix for i, w in enumerate(words) if w == "-o"}
    assert formats == {".md", ".html", ".docx", ".xlsx"}
