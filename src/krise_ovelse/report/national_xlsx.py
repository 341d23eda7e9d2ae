"""The national report's workbook (openpyxl): every organisation's action plan and the ratings
across organisations, for the people who follow up the plans and for the knowledge base.

Sheets: the action plans (one row per measure, the organisation's id and name first, then the
columns of the single-session plan workbook, written by the same `plan_xlsx.fill_plan_sheet`
with the same drop-down lists); the ratings (organisation × criterion, each cell filled in its
level's colour, a suggestion no evaluator has reviewed pale and marked `*`); the distribution
of levels per criterion; and what the file is. Text is never a formula and control characters
show as visible symbols (`plan_xlsx.text_row`).
"""

from __future__ import annotations

from krise_ovelse.report.national import LEVEL_CODES, SUGGESTION_MARK, NationalView
from krise_ovelse.report.plan_xlsx import about_sheet, fill_plan_sheet, header_style, text_row
from krise_ovelse.report.svg import LEVEL_COLOURS

FORMAT = "krise-ovelse/national-report"
VERSION = 1
PALE = {"P": "C7E0CF", "S": "D7E3C7", "M": "EDDDC7", "U": "ECC9C7", "N/O": "DADADB"}


def render_xlsx(view: NationalView) -> bytes:
    """The workbook's bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    m = view.m
    book = Workbook()
    plans = book.active
    assert plans is not None
    plans.title = m["nat_sheet_plans"][:31]
    fill_plan_sheet(plans, (((c.org_id, c.name), item) for c in view.chapters for item in c.plan_items), view.lang,
                    lead=((m["nat_organisation"], 14), (m["nat_org_name"], 30)))
    plans.auto_filter.ref = plans.dimensions

    ratings = book.create_sheet(m["nat_sheet_matrix"][:31])
    text_row(ratings, [m["nat_organisation"], m["nat_org_name"], m["index"], *view.criterion_ids])
    header_style(ratings[1])
    for chapter, (_, cells) in zip(view.chapters, view.matrix, strict=True):
        text_row(ratings, [chapter.org_id, chapter.name, chapter.index_value,
                           *(c.level if c.reviewed or c.level == "N/O" else c.level + SUGGESTION_MARK for c in cells)])
        for cell, value in zip(ratings[ratings.max_row][3:], cells, strict=True):
            suggestion = not value.reviewed and value.level != "N/O"
            colour = PALE[value.level] if suggestion else LEVEL_COLOURS[value.level].lstrip("#").upper()
            cell.fill = PatternFill("solid", fgColor=colour)
            cell.font = Font(bold=True, color="1D1D1F" if suggestion else "FFFFFF")
            cell.alignment = Alignment(horizontal="center")
    ratings.column_dimensions["A"].width = 14
    ratings.column_dimensions["B"].width = 36
    ratings.column_dimensions["C"].width = 8
    for index in range(len(view.criteria)):
        ratings.column_dimensions[get_column_letter(index + 4)].width = 7
    ratings.freeze_panes = "C2"
    text_row(ratings, [])
    text_row(ratings, [m("nat_matrix_note", mark=SUGGESTION_MARK)])

    spread = book.create_sheet(m["nat_sheet_spread"][:31])
    text_row(spread, [m["criterion"], m["nat_org_name"], *LEVEL_CODES])
    header_style(spread[1])
    for row in view.criteria:
        text_row(spread, [row.criterion, row.name, *(row.count(code) for code in LEVEL_CODES)])
    spread.column_dimensions["A"].width = 10
    spread.column_dimensions["B"].width = 60
    spread.freeze_panes = "C2"

    return about_sheet(book, m["nat_sheet_about"], (
        ("format", FORMAT), ("version", VERSION), ("exercise", view.exercise), ("title", view.heading),
        ("scenario", view.scenario_title), ("language", view.lang), ("organisations", view.org_count)))
