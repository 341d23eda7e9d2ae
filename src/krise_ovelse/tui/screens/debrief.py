"""The debrief: ratings per theme, learning points, strengths and areas for improvement, the
indicators over the whole crisis, and export of the after-action report (in a worker)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from krise_ovelse.tui.base import KriseScreen
from krise_ovelse.tui.i18n import format_number, language, t
from krise_ovelse.tui.screens.evaluation import LEVEL_STYLES, level_label, verdict
from krise_ovelse.tui.text import lit, scenario_time, tr
from krise_ovelse.tui.widgets.footer import KeyFooter
from krise_ovelse.tui.widgets.indicators import IndicatorChart
from krise_ovelse.tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from krise_ovelse.tui.session import ExerciseSession

CHART_POINTS = 120


def rollup_line(rollup: Any) -> Text:
    text = Text()
    code = rollup.level.value
    text.append(f"{code:<4}", style=LEVEL_STYLES.get(code, ""))
    text.append(tr(rollup.name), style="bold")
    if rollup.mean is not None:
        text.append(f"  ({format_number(rollup.mean, 2)})", style="dim")
    text.append("  " + t("debrief.rated", rated=len(rollup.rated), total=len(rollup.criteria)), style="dim")
    return text


def finding_line(finding: Any, result: Any) -> str:
    """A strength or an area for improvement: the criterion, the level and what bears it out,
    then the evaluator's word (confirmed, or overridden and why)."""
    code = finding.level.value
    head = f"{finding.criterion} {tr(finding.name)}: {code} ({level_label(code).lower()})."
    reasons = [tr(e.reason) for e in finding.evidence]
    if reasons:
        head += " " + t("debrief.grounds", reasons="; ".join(reasons))
    word = verdict(result.rating(finding.criterion)) if result.has_rating(finding.criterion) else ""
    if word:
        head += " " + word + ("" if word.endswith(".") else ".")
    return head


def export_report(session: ExerciseSession, directory: Path) -> list[Path]:
    """Write the evaluation report as Markdown, HTML and Word, and the draft action plan as a
    workbook to edit; returns the files written. The events give the wall-clock times, ENDEX,
    the hotwash and the questionnaire answers."""
    from krise_ovelse.fileio import write_bytes, write_text
    from krise_ovelse.report import build_report, render_report, render_report_bytes

    record = session.scoring_record()
    events = session.engine.events if session.engine is not None else session.events[:session.state.seq]
    data = build_report(session.scenario, record, session=session.session_meta(), events=events)
    stem = f"krise-ovelse-{session.scenario.id}-{session.session_id or 'okt'}"
    written = []
    directory.mkdir(parents=True, exist_ok=True)
    for fmt in ("md", "html"):
        path = directory / f"{stem}.{fmt}"
        write_text(path, render_report(data, fmt, language()))  # the one safe writer
        written.append(path)
    for fmt, suffix in (("docx", ""), ("xlsx", "-tiltaksplan")):
        path = directory / f"{stem}{suffix}.{fmt}"
        write_bytes(path, render_report_bytes(data, fmt, language()))
        written.append(path)
    return written


class DebriefScreen(KriseScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", "key.export"),
        Binding("g", "evaluate", "key.evaluate"),
        Binding("w", "hotwash", "key.hotwash"),
        Binding("s", "feedback", "key.feedback", show=False),
        Binding("h", "home", "key.home"),
    ]

    def __init__(self, session: ExerciseSession, export_dir: Path | None = None) -> None:
        super().__init__(id="debrief")
        self.session = session
        self.export_dir = export_dir

    def compose(self) -> ComposeResult:
        session = self.session
        result = session.score()
        yield TitleBar(t("debrief.title"), tr(session.scenario.title))
        with VerticalScroll(id="debrief-body"):
            summary = Text()
            if session.team:
                summary.append(t("debrief.team") + " ", style="dim")
                summary.append_text(lit(session.team + "   ", "bold"))
            summary.append(t("debrief.index") + " ", style="dim")
            summary.append("–" if result.index is None else format_number(result.index), style="bold")
            summary.append("   ")
            for code, count in result.counts().items():
                summary.append(f"{code}", style=LEVEL_STYLES.get(code, ""))
                summary.append(f" {count}  ")
            summary.append("\n" + t("debrief.index_note"), style="dim italic")
            yield Static(summary, markup=False)
            yield Label(t("debrief.themes"), classes="section-title")
            for theme in result.themes:
                if theme.criteria:
                    yield Static(rollup_line(theme), classes="para item", markup=False)
            yield Label(t("debrief.learning_points"), classes="section-title")
            for point in result.learning_points:
                if point.criteria:
                    yield Static(rollup_line(point), classes="para item", markup=False)
            yield Label(t("debrief.strengths"), classes="section-title")
            if not result.strengths:
                yield Static(lit(t("debrief.none"), "dim italic"), classes="para item", markup=False)
            for finding in result.strengths:
                yield Static(lit("• " + finding_line(finding, result)), classes="para item", markup=False)
            yield Label(t("debrief.improvements"), classes="section-title")
            if not result.improvements:
                yield Static(lit(t("debrief.none"), "dim italic"), classes="para item", markup=False)
            for finding in result.improvements:
                yield Static(lit("• " + finding_line(finding, result)), classes="para item", markup=False)
            yield Label(t("debrief.indicators", end=scenario_time(session.now_minutes())), classes="section-title")
            for indicator in session.scenario.indicators:
                view = session.indicator_view(indicator.id, points=CHART_POINTS)
                values = [v for _, v in session.state.indicator_history(indicator.id)]
                line = Text(view.name, style="bold")
                if not view.visible:
                    line.append("  " + t("indicator.hidden_mark"), style="dim italic")
                line.append("   " + t("debrief.indicator_stats", start=format_number(values[0]),
                                         low=format_number(min(values)), high=format_number(max(values)),
                                         end=format_number(view.value)), style="dim")
                yield Static(line, classes="para chart-label", markup=False)
                yield IndicatorChart(view, end_minutes=session.now_minutes(), classes="chart")
            yield Label(t("debrief.levels"), classes="section-title")
            for code in ("P", "S", "M", "U", "N/O"):
                legend = Text(f"{code:<4}", style=LEVEL_STYLES.get(code, ""))
                legend.append(level_label(code))
                yield Static(legend, classes="para item", markup=False)
            yield Static("", id="export-status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#debrief-body").focus()

    def action_export(self) -> None:
        self.query_one("#export-status", Static).update(lit(t("debrief.exporting"), "italic"))
        self.run_export()

    @work(thread=True, exclusive=True, group="export")
    def run_export(self) -> None:
        directory = self.export_dir or Path.cwd()
        from krise_ovelse.fileio import WriteError

        try:
            paths = export_report(self.session, directory)
        except (OSError, WriteError) as error:
            self.app.call_from_thread(self._exported, [], str(error))
            return
        self.app.call_from_thread(self._exported, paths, "")

    def _exported(self, paths: list[Path], error: str) -> None:
        status = self.query_one("#export-status", Static)
        if error:
            status.update(lit(t("debrief.export_failed", error=error), "bold red"))
            self.notify(t("debrief.export_failed", error=error), severity="error", markup=False)
            return
        names = ", ".join(str(p) for p in paths)
        status.update(lit(t("debrief.exported", files=names), "bold green"))
        self.notify(t("debrief.exported", files=names), markup=False)

    def action_evaluate(self) -> None:
        self.kapp.show_evaluation()

    def action_hotwash(self) -> None:
        self.kapp.show_hotwash()

    def action_feedback(self) -> None:
        self.kapp.show_feedback()

    def action_home(self) -> None:
        self.kapp.show_start()
