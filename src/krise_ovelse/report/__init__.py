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

from krise_ovelse.report.html import render_html
from krise_ovelse.report.markdown import render_markdown
from krise_ovelse.report.plan import (
    Element,
    Plan,
    PlanError,
    PlanItem,
    draft_plan,
    dump_plan,
    load_plan,
    parse_plan,
    save_plan,
)
from krise_ovelse.report.view import (
    ReportData,
    ReportView,
    SessionMeta,
    build_report,
    build_view,
    report_from_events,
    session_meta_from_record,
)

FORMATS = ("md", "html")


def render_report(data: ReportData, fmt: str = "md", lang: str = "nb") -> str:
    """The report as Markdown (`md`) or HTML (`html`) text in `lang` (nb or en)."""
    view = build_view(data, lang)
    if fmt == "html":
        return render_html(view)
    if fmt == "md":
        return render_markdown(view)
    raise ValueError(f"unknown report format {fmt!r} (use md or html)")


__all__ = [
    "FORMATS",
    "Element",
    "Plan",
    "PlanError",
    "PlanItem",
    "ReportData",
    "ReportView",
    "SessionMeta",
    "build_report",
    "build_view",
    "draft_plan",
    "dump_plan",
    "load_plan",
    "parse_plan",
    "render_html",
    "render_markdown",
    "render_report",
    "report_from_events",
    "save_plan",
    "session_meta_from_record",
]
