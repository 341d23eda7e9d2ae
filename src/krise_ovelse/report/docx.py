"""The after-action report as a Word document (python-docx), for agencies that edit and
circulate reports in Word.

The same `ReportView` as the Markdown and HTML reports, in the same order, with Word's own
structure: built-in heading styles (so Word's navigation pane and table of contents work and
headings keep with the next paragraph), real tables with a repeated header row and rows that do
not split across pages, the classification line in every page's header and footer, A4 pages,
the document language set to the report's language, and the appendices starting on a new page.
Indicator charts are not embedded (Word cannot show SVG); their figures are in a table.
Text is inserted as text: nothing in it is interpreted.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from krise_ovelse.report.svg import resample, sparkline
from krise_ovelse.report.view import FindingView, ReportView, evaluator_word
from krise_ovelse.safetext import neutralise

SPARK_POINTS = 24
TABLE_POINTS = 9
_LANG_TAG = {"nb": "nb-NO", "en": "en-GB"}


def _xml_safe(text: str) -> str:
    """Text from files as the one sanitiser shows it (`safetext.neutralise`): control characters,
    which XML cannot hold, and bidi overrides become visible symbols."""
    return neutralise(str(text))


class DocView(Protocol):
    """What the Word document's setup reads from a report's view (this report's or the national one)."""

    @property
    def lang(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def classification(self) -> str: ...
    @property
    def m(self) -> Any: ...


class _Doc:
    def __init__(self, view: DocView, subtitle_key: str = "subtitle") -> None:
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        self.view = view
        self.last_table: Any = None  # the table `table()` added last, for a caller that styles its cells
        self._style_ids: dict[str, str] = {}
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin = section.bottom_margin = Mm(18)
        normal = self.doc.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(10.5)
        self._set_language(normal, _LANG_TAG.get(view.lang, "nb-NO"))
        props = self.doc.core_properties
        props.title = _xml_safe(view.title)
        props.language = _LANG_TAG.get(view.lang, "nb-NO")
        props.subject = _xml_safe(view.m[subtitle_key])
        props.keywords = "krise-øvelse"
        if view.classification:
            for part in (section.header, section.footer):
                paragraph = part.paragraphs[0]
                paragraph.text = _xml_safe(view.classification)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    @staticmethod
    def _set_language(style: Any, tag: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        rpr = style.element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), tag)
        rpr.append(lang)

    def heading(self, text: str, level: int) -> None:
        """What `add_heading` makes (the built-in style "Heading N", "Title" for 0), by style id."""
        self.para(text, style="Title" if level == 0 else f"Heading {level}")

    def para(self, text: str = "", *, bold_lead: str = "", italic: bool = False, style: str | None = None,
             keep: bool = False) -> Any:
        paragraph = self.doc.add_paragraph()
        if style is not None:  # by id: python-docx looks a style name up among all styles on every use
            if style not in self._style_ids:
                self._style_ids[style] = self.doc.styles[style].style_id
            paragraph._p.style = self._style_ids[style]
        if bold_lead:
            paragraph.add_run(_xml_safe(bold_lead)).bold = True
            if text:
                paragraph.add_run(" ")
        if text:
            paragraph.add_run(_xml_safe(text)).italic = italic
        if keep:
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def bullets(self, items: Iterable[str], numbered: bool = False) -> None:
        for item in items:
            self.para(item, style="List Number" if numbered else "List Bullet")

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[float] = (),
              header: bool = True) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        body = [list(r) for r in rows]
        first = 1 if header else 0
        table = self.doc.add_table(rows=first + len(body), cols=len(headers))
        table.style = "Table Grid"
        grid = [row.cells for row in table.rows]  # a row's cells are found anew on each access: once only
        for index, row in enumerate(table.rows):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if index == 0 and header:
                tr_pr.append(OxmlElement("w:tblHeader"))
        for col, title in enumerate(headers if header else ()):
            cell = grid[0][col]
            cell.text = ""
            cell.paragraphs[0].add_run(_xml_safe(title)).bold = True
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:fill"), "E8EAF0")
            cell._tc.get_or_add_tcPr().append(shading)
        for r, values in enumerate(body, start=first):
            for col, value in enumerate(values):
                lines = str(value).split("\n") if value else ["–"]
                cell = grid[r][col]
                cell.text = _xml_safe(lines[0])
                if not header and col == 0:
                    cell.paragraphs[0].runs[0].bold = True
                for line in lines[1:]:
                    cell.add_paragraph(_xml_safe(line))
        size = Pt(TABLE_POINTS)
        for cells in grid:
            for cell in cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = size
        if widths:
            table.autofit = False
            for col, width in enumerate(widths):
                table.columns[col].width = Cm(width)
            for cells in grid:
                for col, width in enumerate(widths):
                    cells[col].width = Cm(width)
        self.last_table = table
        self.doc.add_paragraph()

    def kv(self, rows: Iterable[tuple[str, str]]) -> None:
        self.table(["", ""], rows, widths=(4.4, 13.0), header=False)

    def finding(self, finding: FindingView, strength: bool) -> None:
        m = self.view.m
        self.para(f"{finding.criterion} {finding.name}: {finding.level} ({finding.label.lower()})", keep=True,
                  style=None).runs[0].bold = True
        word = evaluator_word(finding, m)
        self.bullets([*finding.evidence, *([word] if word else [])])
        if finding.interpretation:
            self.para(finding.interpretation, bold_lead=f"{m['interpretation']}:", italic=True)
        if not strength:
            if finding.root_cause:
                self.para(finding.root_cause, bold_lead=f"{m['root_cause']}:")
            if finding.target and finding.level != "P":
                self.para(finding.target, bold_lead=f"{m['target']}:")
            if finding.measures:
                self.para(", ".join(finding.measures), bold_lead=f"{m['measures']}:")


def render_docx(view: ReportView) -> bytes:
    """The whole report as the bytes of a .docx file."""
    d = _Doc(view)
    m = view.m
    d.doc.add_heading(_xml_safe(view.title), level=0)
    d.para(m["subtitle"], italic=True)
    d.heading(m["document_control"], 2)
    d.kv(view.control)

    d.heading(m["summary"], 1)
    if view.summary:
        d.para(view.summary)
    d.para(view.overall, bold_lead=f"{m['overall_picture']}.")
    if view.key_findings:
        d.heading(m["key_findings"], 2)
        d.bullets(view.key_findings, numbered=True)

    d.heading(m["about_exercise"], 1)
    d.kv(view.overview)
    if view.participants:
        d.para("; ".join(view.participants), bold_lead=f"{m['participants']}:")
    if view.roles:
        d.para("; ".join(name for name, _ in view.roles), bold_lead=f"{m['roles']}:")

    d.heading(m["goal_achievement"], 1)
    d.para(m["goal_note"], italic=True)
    if view.goals:
        d.table([m["number"], m["goal"], m["assessment"], m["criteria"], m["evaluator_words"]],
                ([str(g.number), g.text, g.verdict, ", ".join(f"{c} ({level})" for c, _, level in g.criteria) or "–",
                  "\n".join(g.words) or "–"] for g in view.goals), widths=(0.9, 6.0, 3.0, 3.8, 3.7))

    d.heading(m["findings"], 1)
    for theme in view.findings:
        d.heading(f"{theme.id} {theme.name}: {theme.level} ({theme.mean})", 2)
        if not theme.strengths and not theme.improvements:
            d.para(m["not_in_play"], italic=True)
        for heading, items, strength in ((m["strengths"], theme.strengths, True),
                                         (m["improvements"], theme.improvements, False)):
            if items:
                d.heading(heading, 3)
                for finding in items:
                    d.finding(finding, strength)

    d.heading(m["plan"], 1)
    if view.plan_is_draft:
        d.para(m["plan_note"], italic=True)
    if view.plan:
        d.table([m["plan_id"], m["action"], m["finding"], m["element"], m["owner"], m["due"], m["priority"],
                 m["status"]],
                ([r.id, r.action or r.area, r.finding, r.element, r.owner, r.due, r.priority, r.status]
                 for r in view.plan), widths=(0.9, 4.3, 2.4, 2.6, 2.2, 1.6, 1.9, 1.5))
    else:
        d.para(m["no_plan_items"])
    if view.plan_uncovered:
        d.para("; ".join(view.plan_uncovered), bold_lead=f"{m['plan_uncovered']}:")
    if view.follow_up:
        d.heading(m["follow_up"], 2)
        d.table([m["plan_id"], m["action"], m["finding"], m["status"], m["follow_up_now"]],
                ([r.id, r.action, r.criterion, r.status, r.now] for r in view.follow_up))

    d.heading(m["hotwash"], 1)
    if view.hotwash:
        d.para(m["hotwash_note"], italic=True)
        for heading, texts in view.hotwash:
            d.heading(heading, 3)
            d.bullets(texts)
    else:
        d.para(m["none_recorded"] + ".")

    d.heading(m["feedback"], 1)
    if view.feedback.responses:
        d.para(m["feedback_note"].format(count=view.feedback.responses))
        if view.feedback.scales:
            d.table([m["feedback_question"], m["feedback_answers"], m["feedback_mean"], m["feedback_spread"]],
                    ([f"{s.question} (1 = {s.low}, 5 = {s.high})", str(s.answers), s.mean, s.spread]
                     for s in view.feedback.scales), widths=(8.0, 2.0, 2.5, 4.5))
        for question, answers in view.feedback.comments:
            d.heading(question, 3)
            d.bullets(answers)
    else:
        d.para(m["none_recorded"] + ".")

    d.heading(m["exercise_evaluation"], 1)
    d.kv(view.exercise_eval)
    d.bullets(view.exercise_notes)

    d.heading(m["method_and_data"], 1)
    d.para(m["method_text"])
    d.kv(view.method)
    d.heading(m["limitations"], 2)
    d.bullets(view.limitations)
    d.heading(m["legend"], 2)
    d.table([m["level"], m["label"], m["meaning"]], view.legend, widths=(1.5, 4.0, 11.5))

    d.doc.add_page_break()  # type: ignore[no-untyped-call]
    d.heading(m["appendix_timeline"], 1)
    d.table([m["time"], m["kind"], m["what"], m["details"]],
            ([r.time, r.kind, r.what, "\n".join(r.details)] for r in view.timeline), widths=(3.2, 2.6, 4.2, 7.0))
    d.heading(m["appendix_indicators"], 1)
    rows = []
    for ind in view.indicators:
        values = resample(ind.samples, ind.samples[0][0] if ind.samples else 0.0, ind.end, SPARK_POINTS)
        rows.append([f"{ind.name} ({ind.note})" if ind.note else ind.name, ind.start, ind.min, ind.max, ind.final,
                     ind.mean, sparkline(values, ind.y_min, ind.y_max) if values else "–"])
    d.table([m["indicator"], m["start"], m["min"], m["max"], m["final"], m["mean"], m["course"]], rows)
    d.heading(m["appendix_ratings"], 1)
    d.para(m["ratings_note"], italic=True)
    for rated in view.themes:
        d.heading(f"{rated.id} {rated.name}: {rated.level} ({rated.mean})", 2)
        body = []
        for rating in rated.ratings:
            lines = rating.notes
            final = rating.final if rating.reviewed else f"{rating.final} ({rating.status})"
            body.append([f"{rating.criterion} {rating.name}", rating.suggested, final, "\n".join(lines)])
        d.table([m["criterion"], m["suggested"], m["final_rating"], m["evidence"]], body, widths=(4.0, 1.6, 1.6, 9.8))
    d.heading(m["appendix_learning"], 1)
    d.table([m["learning_point"], m["rating"], m["points_mean"], m["drawn_on"]],
            ([f"{p.id} {p.title}", p.level, p.mean, ", ".join(f"{c} ({level})" for c, _, level in p.criteria) or "–"]
             for p in view.learning_points), widths=(7.0, 2.0, 2.0, 6.0))
    d.para(m["footer"], italic=True)
    buffer = io.BytesIO()
    d.doc.save(buffer)
    return buffer.getvalue()
