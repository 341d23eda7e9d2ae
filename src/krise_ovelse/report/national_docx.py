"""The national report as a Word document (python-docx), laid out like the single-session one.

The same document setup as `report.docx` (A4, built-in headings so navigation and a table of
contents work, header rows repeated, rows kept whole, the classification line in every header
and footer, text inserted as text). Word cannot show SVG, so the distribution of levels per
criterion is drawn with what Word has: a table whose count cells are shaded in the level's
colour, with a stacked bar of coloured blocks (one run per level, its length the level's share)
beside it. The criterion × organisation table shades each cell in its level's colour; a
suggestion no evaluator has reviewed gets a pale shade and the mark `*`.
"""

from __future__ import annotations

import io
from typing import Any

from krise_ovelse.report.docx import TABLE_POINTS, _Doc, _xml_safe
from krise_ovelse.report.national import LEVEL_CODES, SUGGESTION_MARK, Cell, CriterionRow, NationalView
from krise_ovelse.report.svg import LEVEL_COLOURS

#: Blocks in a full bar of the distribution chart.
BAR_BLOCKS = 24
BLOCK = "█"
#: Pale shades for suggestions (the level's colour mixed with white).
PALE = {"P": "C7E0CF", "S": "D7E3C7", "M": "EDDDC7", "U": "ECC9C7", "N/O": "DADADB"}


def _hex(code: str) -> str:
    return LEVEL_COLOURS[code].lstrip("#").upper()


def shade(cell: Any, fill: str) -> None:
    """Give a table cell a background colour (hex, no #)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def bar_blocks(row: CriterionRow, blocks: int = BAR_BLOCKS) -> list[tuple[str, int]]:
    """(level, blocks) for a stacked bar of `blocks` blocks: each level's share, rounded by the
    largest remainder so the parts add up, and never 0 for a level some organisation reached."""
    total = sum(row.count(code) for code in LEVEL_CODES)
    if total == 0:
        return []
    exact = {code: row.count(code) * blocks / total for code in LEVEL_CODES}
    parts = {code: int(value) for code, value in exact.items()}
    for code in sorted(LEVEL_CODES, key=lambda c: parts[c] - exact[c])[: blocks - sum(parts.values())]:
        parts[code] += 1
    for code in LEVEL_CODES:
        if row.count(code) and not parts[code]:
            parts[code] = 1
            largest = max(LEVEL_CODES, key=lambda c: parts[c])
            parts[largest] -= 1
    return [(code, parts[code]) for code in LEVEL_CODES if parts[code]]


def _level_cell(cell: Any, value: Cell, points: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    suggestion = not value.reviewed and value.level != "N/O"
    paragraph = cell.paragraphs[0]
    paragraph.clear()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(value.level + (SUGGESTION_MARK if suggestion else ""))
    run.font.size = Pt(points)
    run.bold = True
    run.font.color.rgb = RGBColor.from_string("1D1D1F" if suggestion else "FFFFFF")
    shade(cell, PALE[value.level] if suggestion else _hex(value.level))


def render_docx(view: NationalView) -> bytes:
    """The whole national report as the bytes of a .docx file."""
    from docx.shared import Pt, RGBColor

    d = _Doc(view, "nat_subtitle")
    m = view.m
    d.doc.add_heading(_xml_safe(view.title), level=0)
    d.para(m["nat_subtitle"], italic=True)
    d.kv(view.facts)

    d.heading(m["nat_overview"], 1)
    d.para(view.overview)
    d.heading(m["nat_index_table"], 2)
    d.table([m["nat_organisation"], m["index"], m["nat_rated"], m["nat_reviewed"]], view.index_rows,
            widths=(8.0, 2.4, 3.2, 3.8))
    d.para(m["index_note"], italic=True)

    d.heading(m["nat_across"], 1)
    d.heading(m["nat_distribution"], 2)
    d.para(m("nat_distribution_note", count=view.org_count), italic=True)
    d.table([m["criterion"], *LEVEL_CODES, m["nat_bar"]],
            ([f"{r.criterion} {r.name}", *(str(r.count(code)) for code in LEVEL_CODES), ""] for r in view.criteria),
            widths=(5.4, 0.9, 0.9, 0.9, 0.9, 1.1, 7.3))
    table = d.last_table
    for row, criterion in zip(table.rows[1:], view.criteria, strict=True):
        cells = row.cells
        for col, code in enumerate(LEVEL_CODES, start=1):
            if criterion.count(code):
                shade(cells[col], _hex(code))
                for run in cells[col].paragraphs[0].runs:
                    run.font.color.rgb = RGBColor.from_string("FFFFFF")
                    run.bold = True
        bar = cells[len(LEVEL_CODES) + 1].paragraphs[0]
        bar.clear()
        for code, blocks in bar_blocks(criterion):
            run = bar.add_run(BLOCK * blocks)
            run.font.color.rgb = RGBColor.from_string(_hex(code))
            run.font.size = Pt(TABLE_POINTS)
    d.para(" · ".join(f"{code} {label}" for code, label, _ in view.legend), italic=True)

    d.heading(m["nat_matrix"], 2)
    d.para(m("nat_matrix_note", mark=SUGGESTION_MARK), italic=True)
    count = max(1, len(view.criteria))
    column = min(1.4, 14.2 / count)
    d.table([m["nat_organisation"], *view.criterion_ids], ([name, *("" for _ in cells)] for name, cells in view.matrix),
            widths=(17.4 - column * count, *(column for _ in view.criteria)))
    table = d.last_table
    points = 7 if count > 12 else 8
    for cell in table.rows[0].cells[1:]:
        for run in cell.paragraphs[0].runs:
            run.font.size = Pt(points)
    for row, (_, levels) in zip(table.rows[1:], view.matrix, strict=True):
        for cell, value in zip(row.cells[1:], levels, strict=True):
            _level_cell(cell, value, points)

    d.heading(m["nat_common"], 1)
    d.para(m["nat_common_note"], italic=True)
    for heading, shared in ((m["nat_common_strengths"], view.common_strengths),
                            (m["nat_common_improvements"], view.common_improvements)):
        d.heading(heading, 2)
        if shared:
            d.table([m["criterion"], m["nat_org_name"], m["nat_shared_by"]],
                    ([s.criterion, s.name, s.shared_by] for s in shared),
                    widths=(2.3, 6.8, 8.3))
        else:
            d.para(m["nat_none_shared"])

    d.heading(m["nat_knowledge"], 1)
    d.para(m["nat_knowledge_intro"])
    d.bullets(view.knowledge)

    for chapter in view.chapters:
        d.doc.add_page_break()  # type: ignore[no-untyped-call]
        d.heading(chapter.title, 1)
        d.para(chapter.summary)
        d.heading(m["nat_ratings"], 2)
        if chapter.ratings:
            d.table([m["criterion"], m["suggested"], m["final_rating"], m["status"]],
                    ([f"{r.criterion} {r.name}", r.suggested, "", r.status] for r in chapter.ratings),
                    widths=(9.4, 2.0, 2.0, 4.0))
            table = d.last_table
            for row, rating in zip(table.rows[1:], chapter.ratings, strict=True):
                _level_cell(row.cells[2], Cell(rating.final, rating.reviewed), TABLE_POINTS)
        else:
            d.para(m["nat_no_ratings"])
        if chapter.not_observed:
            d.para(", ".join(chapter.not_observed), bold_lead=f"{m['nat_not_observed']}:")
        for heading, findings in ((m["strengths"], chapter.strengths), (m["improvements"], chapter.improvements)):
            d.heading(heading, 2)
            d.bullets([f"{f.criterion} {f.name} ({f.level}{'' if f.reviewed else SUGGESTION_MARK})"
                       for f in findings] or [m["dash"]])
        d.heading(m["plan"], 2)
        if chapter.plan:
            if chapter.plan_is_draft:
                d.para(m["plan_note"], italic=True)
            d.table([m["plan_id"], m["action"], m["finding"], m["owner"], m["due"], m["priority"], m["status"]],
                    ([r.id, r.action or r.area, r.finding, r.owner, r.due, r.priority, r.status] for r in chapter.plan),
                    widths=(0.9, 6.0, 3.4, 2.2, 1.6, 1.8, 1.5))
        else:
            d.para(m["nat_no_plan"])
        if chapter.session_id:
            d.para(m("nat_full_report", session=chapter.session_id), italic=True)

    d.heading(m["legend"], 1)
    d.table([m["level"], m["label"], m["meaning"]], view.legend, widths=(1.5, 4.0, 11.9))
    d.para(m["footer"], italic=True)
    buffer = io.BytesIO()
    d.doc.save(buffer)
    return buffer.getvalue()
