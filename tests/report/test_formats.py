"""Every format says the same thing, opened with its own library: HTML (parsed), Word (python-docx)
and the action plan workbook (openpyxl); goldens per format and language; no English or internal
ids in the Norwegian report; every goal assessed.

Regenerate the goldens after an intended change with `UPDATE_GOLDEN=1 pytest tests/report` and
review the diff.
"""

from __future__ import annotations

import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from docx import Document
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from krise_ovelse.report import ReportData, build_view, load_plan, render_report, render_report_bytes
from krise_ovelse.report.plan import plan_bytes

GOLDEN = Path(__file__).parent / "golden"


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs: review, then UPDATE_GOLDEN=1 to accept"


def _style(paragraph: Paragraph) -> str:
    """A Word paragraph's style name ('' for none)."""
    return paragraph.style.name if paragraph.style is not None else ""


def docx_dump(content: bytes) -> str:
    """A Word file as text: each paragraph with its style, each table as rows of cells, in order."""
    document = Document(io.BytesIO(content))
    body = document.element.body
    lines: list[str] = []
    paragraphs = {p._p: p for p in document.paragraphs}
    tables = {t._tbl: t for t in document.tables}
    for child in body.iterchildren():
        if child in paragraphs:
            paragraph = paragraphs[child]
            if paragraph.text.strip():
                lines.append(f"[{_style(paragraph)}] {paragraph.text}")
        elif child in tables:
            for row in tables[child].rows:
                lines.append("| " + " | ".join(cell.text.replace("\n", " / ") for cell in row.cells) + " |")
    header = document.sections[0].header.paragraphs[0].text
    return f"[header] {header}\n" + "\n".join(lines) + "\n"


def xlsx_dump(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"## {sheet.title}")
        for row in sheet.iter_rows(values_only=True):
            lines.append(" | ".join("" if v is None else str(v) for v in row))
    book.close()
    return "\n".join(lines) + "\n"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._heading: str | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "title"):
            self._skip += 1
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading = tag
            self.headings.append((tag, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1
        if tag == self._heading:
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data)
        if self._heading is not None:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, text + data)


def html_text(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


# --- goldens ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_html_matches_golden(data: ReportData, lang: str) -> None:
    _golden(f"report-{lang}.html", render_report(data, "html", lang))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_docx_matches_golden(data: ReportData, lang: str) -> None:
    _golden(f"report-{lang}.docx.txt", docx_dump(render_report_bytes(data, "docx", lang)))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_xlsx_plan_matches_golden(data: ReportData, lang: str) -> None:
    _golden(f"plan-{lang}.xlsx.txt", xlsx_dump(render_report_bytes(data, "xlsx", lang)))


# --- the same content in every format --------------------------------------------------------


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_format_has_the_same_headings_and_key_text(data: ReportData, lang: str) -> None:
    view = build_view(data, lang)
    m = view.m
    md = render_report(data, "md", lang)
    html = html_text(render_report(data, "html", lang))
    word = docx_dump(render_report_bytes(data, "docx", lang))
    md_h2 = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    html_h2 = [text for tag, text in html.headings if tag == "h2"]
    word_h1 = [line.split("] ", 1)[1] for line in word.splitlines() if line.startswith("[Heading 1]")]
    assert md_h2[1:] == html_h2 == word_h1  # Markdown's first h2 is the document control
    assert html_h2[0] == m["summary"] and html_h2[-1] == m["appendix_learning"]
    html_body = "".join(html.parts)
    md_plain = md.replace("\\", "")  # Markdown escapes punctuation
    for text in (*view.key_findings, *(g.verdict for g in view.goals), *(r.action for r in view.plan),
                 view.classification, view.overall):
        assert text in word, text
        assert text in html_body, text
        assert text in md_plain, text
    for row in view.plan:
        assert f"| {row.id} | {row.action}" in word


def test_word_document_structure(data: ReportData) -> None:
    document = Document(io.BytesIO(render_report_bytes(data, "docx", "nb")))
    styles = [_style(p) for p in document.paragraphs]
    assert styles[:3].count("Title") == 1
    headings = [p.text for p in document.paragraphs if _style(p).startswith("Heading")]
    assert headings[:3] == ["Dokumentkontroll", "Sammendrag", "Hovedfunn"]
    assert "Tiltaksplan (veien videre)" in headings and "Vedlegg A: Tidslinje" in headings
    assert document.sections[0].header.paragraphs[0].text == "Ugradert"
    assert document.sections[0].footer.paragraphs[0].text == "Ugradert"
    assert document.core_properties.language == "nb-NO"
    plan = next(t for t in document.tables if t.rows[0].cells[0].text == "Nr." and
                t.rows[0].cells[1].text == "Tiltak")
    assert [c.text for c in plan.rows[0].cells] == ["Nr.", "Tiltak", "Funn", "Element", "Ansvarlig", "Frist",
                                                    "Prioritet", "Status"]
    assert plan.rows[1].cells[0].text == "T1" and plan.rows[1].cells[7].text == "Åpen"
    header_row = plan.rows[0]._tr
    assert header_row.trPr is not None and "tblHeader" in header_row.trPr.xml  # repeats on each page
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Øvelsen ble ikke avsluttet med ENDEX" in text and "Hvor raskt fristene går ut" in text


def test_hostile_text_stays_text_in_word(data: ReportData) -> None:
    evil = '<w:p>\x1b[31m</w:p> & "quotes"\x00'
    scenario = attrs.evolve(data.scenario, title=attrs.evolve(data.scenario.title, values={"nb": evil}))
    content = render_report_bytes(attrs.evolve(data, scenario=scenario), "docx", "nb")
    title = next(p.text for p in Document(io.BytesIO(content)).paragraphs if _style(p) == "Title")
    assert "<w:p>" in title and "\x1b" not in title and "\x00" not in title


# --- the plan workbook round-trips ------------------------------------------------------------


def test_workbook_round_trips_and_keeps_edits(data: ReportData, tmp_path: Path) -> None:
    from krise_ovelse.report import draft_plan

    plan = draft_plan(data.result, "nb", "s-1").with_item(1, owner="HR-direktør", due="2024-06-01",
                                                          status="pågår", root_cause="Ingen avtale")
    path = tmp_path / "tiltak.xlsx"
    path.write_bytes(plan_bytes(plan, path))
    assert load_plan(path) == plan
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:4] == ["Nr.", "Funn (kriterium)", "Forbedringspunkt", "Tiltak"]
    assert sheet["I3"].value == "pågår"  # status in the plan's language
    sheet["F2"] = "Direktør"  # edit in a spreadsheet: owner of T1, a real date as due, a new row
    import datetime as dt

    sheet["G2"] = dt.datetime(2024, 9, 1)
    sheet.append(["", "", "Øve igjen", "Ny øvelse om et halvt år", "øving", "Beredskap", "Q4 2024", "lav", "åpen"])
    book.save(path)
    edited = load_plan(path)
    assert (edited.items[0].owner, edited.items[0].due) == ("Direktør", "2024-09-01")
    assert edited.items[-1].id == "T7" and edited.items[-1].action == "Ny øvelse om et halvt år"
    yaml_path = tmp_path / "tiltak.yaml"
    yaml_path.write_bytes(plan_bytes(edited, yaml_path))
    assert load_plan(yaml_path) == edited  # YAML and workbook hold the same plan


def test_bad_workbooks_say_where(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from krise_ovelse.report import PlanError

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nr.", "Tiltak", "Status"])
    sheet.append(["T1", "Noe", "åpen"])
    sheet.append(["T2", "Noe annet", "halvveis"])
    path = tmp_path / "feil.xlsx"
    book.save(path)
    with pytest.raises(PlanError, match=r"feil.xlsx: Sheet!A3: status must be one of"):
        load_plan(path)
    sheet["D1"] = "Kaffe"
    book.save(path)
    with pytest.raises(PlanError, match=r"Sheet!D1: unknown column 'Kaffe'"):
        load_plan(path)
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(PlanError, match="not an Excel workbook"):
        load_plan(path)


# --- Norwegian without leaks; every goal assessed ------------------------------------------------

#: English that has leaked into Norwegian reports before, and ids that must never show.
ENGLISH_LEAKS = ("passed over", "jump to", "Overridden", "Confirmed by", "play time", "facilitator", "Median of",
                 "not observed", "evidence", "Response time", "Goal:", "the end")
ID_PATTERNS = (r"\(#\d+", r"\b[a-z]\w*\d+=\w+\b", r"\b[a-z]+_[a-z_]+\b", r"\((min|max|mean|final)\)",
               r"Øvingsleder: Øvingsleder")


def _session_report(lang: str) -> str:
    from .engine_session import ended_early_session

    scenario, events = ended_early_session()
    from krise_ovelse.report import report_from_events

    data = report_from_events(scenario, events)
    return render_report(data, "md", lang).replace("\\", "")


def test_norwegian_report_has_no_english_and_no_internal_ids() -> None:
    text = _session_report("nb")
    for word in ENGLISH_LEAKS:
        assert word not in text, word
    for pattern in ID_PATTERNS:
        assert not re.search(pattern, text), (pattern, re.search(pattern, text))
    assert re.search(r"\d,\d", text)  # decimal commas
    body = text.split("## Sammendrag")[1].split("## Vedlegg A")[0]  # not the version number "0.1"
    assert not re.search(r"(?<![\d.])\d+\.\d+(?![\d.])", body), "a decimal point in Norwegian (dates aside)"


def test_an_early_endex_and_what_was_unplayed_are_reported() -> None:
    text = _session_report("nb")
    assert "Øvingsleder avsluttet øvelsen (ENDEX) ved D+" in text
    assert "Faser som ikke ble spilt" in text
    assert "utelatt da øvelsen hoppet fram til fasen" in text
    assert "| ENDEX |" in text
    assert "medregnet pauser" in text  # response times in real time, with the pauses


def test_hotwash_and_questionnaire_from_the_events_are_summed_up() -> None:
    text = _session_report("nb")
    hotwash = text.split("## Hotwash")[1].split("## ")[0]
    assert "**Pluss – det som fungerte**" in hotwash and "- Vi tok de tillitsvalgte med tidlig" in hotwash
    assert "**Hva tar vi med oss**" in hotwash
    feedback = text.split("## Deltakernes tilbakemeldinger")[1].split("## ")[0]
    assert "Anonymt deltakerskjema etter øvelsen: 2 svar." in feedback
    assert ("| Hvor nyttig var øvelsen for deg? (1 = lite nyttig, 5 = svært nyttig) | 2 | 4 | "
            "1: 0 · 2: 0 · 3: 1") in feedback
    assert "- Mer tid til diskusjon" in feedback
    evaluation = text.split("## Evaluering av øvelsen")[1].split("## ")[0]
    assert "En deltaker: «Mer tid til diskusjon»" in evaluation and "Hotwash-punkter:** 3" in evaluation


def test_every_goal_is_assessed_in_every_shipped_scenario() -> None:
    from krise_ovelse.authoring import load_scenario
    from krise_ovelse.paths import shipped_scenario_files
    from krise_ovelse.report import build_report
    from krise_ovelse.scoring import ScoringInput

    for path in shipped_scenario_files():
        scenario = load_scenario(path).scenario
        assert scenario is not None
        assert all(goal.criteria for goal in scenario.goals), path
        view = build_view(build_report(scenario, ScoringInput()), "nb")
        assert len(view.goals) == len(scenario.goals)
        assert all(g.verdict for g in view.goals)
