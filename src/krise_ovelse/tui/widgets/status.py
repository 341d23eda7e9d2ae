"""The exercise header: scenario time (D+n and calendar date), phase, clock state, view."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from krise_ovelse.tui.i18n import format_number, t
from krise_ovelse.tui.pacing import ON_PLAN_SECONDS, Pacing, clock_text
from krise_ovelse.tui.text import compression_words, lit, scenario_time
from krise_ovelse.tui.view import ClockView


def speed_label(speed: float) -> str:
    return "×" + format_number(speed, 0 if float(speed).is_integer() else 2).rstrip("0").rstrip(",.")


def status_text(clock: ClockView, view: str, team: str = "", extra: str = "") -> Text:
    """Two lines: when and where in the scenario; the clock and the view."""
    text = Text()
    text.append(f" {scenario_time(clock.minutes)} ", style="bold reverse")
    if clock.calendar:
        text.append(f"  {clock.calendar}", style="bold")
    text.append("  │  ")
    text.append(t("status.phase") + " ", style="dim")
    text.append(clock.phase_title, style="bold")
    text.append("\n ")
    if clock.ended:
        text.append("■ " + t("status.ended"), style="bold magenta")
    elif clock.running:
        text.append("▶ " + t("status.running"), style="bold green")
    else:
        text.append("⏸ " + t("status.paused"), style="bold yellow")
    if not clock.ended:
        text.append(f" {speed_label(clock.speed)}", style="bold")
        if clock.compression:
            text.append("  (" + compression_words(clock.compression * clock.speed) + ")", style="dim")
    text.append("  │  ")
    text.append(t(f"view.{view}"), style="italic")
    if team:  # from the store: neutralised like every text from a file
        text.append(" · ")
        text.append_text(lit(team))
    if extra:
        text.append("  │  ")
        text.append(extra, style="italic")
    return text


def standing_text(pacing: Pacing, on_plan: str, behind: str, ahead: str) -> Text:
    """Where the exercise stands against its plan now, in the words of the message keys given
    (`behind` and `ahead` take the difference as `{d}`): the status line's few words, the pacing
    dialog's sentence."""
    gap = pacing.behind
    if abs(gap) < ON_PLAN_SECONDS:
        return Text(t(on_plan), style="green")
    if gap > 0:
        return Text(t(behind, d=clock_text(gap)), style="bold red")
    return Text(t(ahead, d=clock_text(-gap)), style="bold cyan")


def pacing_text(pacing: Pacing) -> Text:
    """The facilitator's third line: real time since STARTEX, ahead of or behind the plan, and
    the play time left in the phase and in all (the plan: ×1 without pauses)."""
    text = Text(" ")
    if pacing.elapsed is None:
        text.append("⏱ " + t("pace.not_started", total=clock_text(pacing.plan_total)), style="dim")
        return text
    text.append("⏱ " + clock_text(pacing.elapsed), style="bold")
    text.append(" · ")
    text.append_text(standing_text(pacing, "pace.on_plan", "pace.behind", "pace.ahead"))
    text.append(" · ")
    text.append(t("pace.left", phase=clock_text(pacing.phase_left), phase_plan=clock_text(pacing.phase_plan),
                  total=clock_text(pacing.plan_left), plan=clock_text(pacing.plan_total)), style="dim")
    return text


class StatusLine(Widget):
    DEFAULT_CSS = """
    StatusLine { height: auto; background: $panel; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self._text = Text("")

    def show(self, text: Text) -> None:
        """A longer or shorter text may wrap to another number of lines (a narrow console, a long
        team name, the presented inject): then the height is laid out again, or the last line
        (the pacing) would be cut off until something else re-laid the screen."""
        if text.plain != self._text.plain or text.spans != self._text.spans:
            relayout = len(text.plain) != len(self._text.plain)
            self._text = text
            self.refresh(layout=relayout)

    def render(self) -> Text:
        return self._text
