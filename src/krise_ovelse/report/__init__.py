"""The after-action report (evalueringsrapport): Markdown and self-contained HTML, plus the
improvement plan (tiltaksplan). Pure Python: no Textual, no SQLite (the CLI reads the store).

Public API (see docs/report.md):

- `report_from_events(scenario, engine.events, session=..., plan=...) -> ReportData`, or
  `build_report(scenario, record, session=..., plan=...)` from a `ScoringInput` (both score);
- `render_report(data, fmt="md"|"html", lang="nb"|"en") -> str`;
- `draft_plan(result, lang) -> Plan`, `load_plan(path)`, `save_plan(plan, path)`;
- `build_view(data, lang)` for a UI that wants the report's content without markup.
"""

from __future__ import annotations

import attrs

from krise_ovelse.report.html import render_html
from krise_ovelse.report.markdown import render_markdown
from krise_ovelse.report.measures import Element
from krise_ovelse.report.plan import (
    Plan,
    PlanError,
    PlanItem,
    Priority,
    Status,
    draft_plan,
    dump_plan,
    load_plan,
    parse_plan,
    save_plan,
)
from krise_ovelse.report.view import (
    DocumentControl,
    ReportData,
    ReportView,
    SessionMeta,
    build_report,
    build_view,
    report_from_events,
    session_meta_from_record,
)

#: Report formats: text (md, html), Word (docx), and the action plan as a workbook (xlsx).
FORMATS = ("md", "html", "docx", "xlsx")
TEXT_FORMATS = ("md", "html")


def render_report(data: ReportData, fmt: str = "md", lang: str = "nb") -> str:
    """The report as Markdown (`md`) or HTML (`html`) text in `lang` (nb or en)."""
    view = build_view(data, lang)
    if fmt == "html":
        return render_html(view)
    if fmt == "md":
        return render_markdown(view)
    raise ValueError(f"unknown text report format {fmt!r} (use md or html)")


def report_plan(data: ReportData, lang: str = "nb") -> Plan:
    """The plan the report shows: the given one, or the draft from the findings."""
    return data.plan if data.plan is not None else draft_plan(data.result, lang, data.session.session_id)


def render_report_bytes(data: ReportData, fmt: str = "md", lang: str = "nb") -> bytes:
    """The report's file content in any format: md, html, docx (the whole report in Word), or
    xlsx (the action plan as an editable workbook that `load_plan` reads back)."""
    if fmt in TEXT_FORMATS:
        return render_report(data, fmt, lang).encode("utf-8")
    if fmt == "docx":
        from krise_ovelse.report.docx import render_docx

        return render_docx(build_view(data, lang))
    if fmt == "xlsx":
        from krise_ovelse.report.plan_xlsx import plan_to_xlsx

        plan = report_plan(data, lang)
        return plan_to_xlsx(attrs.evolve(plan, language=lang if data.plan is None else plan.language))
    raise ValueError(f"unknown report format {fmt!r} (use {', '.join(FORMATS)})")


__all__ = [
    "FORMATS",
    "DocumentControl",
    "Element",
    "Plan",
    "PlanError",
    "PlanItem",
    "Priority",
    "ReportData",
    "ReportView",
    "SessionMeta",
    "Status",
    "build_report",
    "build_view",
    "draft_plan",
    "dump_plan",
    "load_plan",
    "parse_plan",
    "render_html",
    "render_markdown",
    "render_report",
    "render_report_bytes",
    "report_from_events",
    "report_plan",
    "save_plan",
    "session_meta_from_record",
]
