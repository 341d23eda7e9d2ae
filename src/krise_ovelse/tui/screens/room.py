"""Keeping the room on time: the pacing view (`t`) and the jump preview (`j`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from krise_ovelse.tui.base import KriseModal
from krise_ovelse.tui.i18n import t
from krise_ovelse.tui.pacing import Pacing, Suggestion, clock_text, plan_seconds, suggest, windows
from krise_ovelse.tui.screens.dialogs import YesNoDialog
from krise_ovelse.tui.text import lit, scenario_time, tr
from krise_ovelse.tui.view import JumpPreview
from krise_ovelse.tui.widgets.status import speed_label, standing_text

if TYPE_CHECKING:
    from krise_ovelse.tui.session import ExerciseSession


def jump_text(preview: JumpPreview) -> Text:
    """The jump and everything it passes over, named."""
    text = Text()
    text.append(t("jump.to", start=scenario_time(preview.from_minutes), end=scenario_time(preview.to_minutes),
                  phase=preview.phase_title, saves=clock_text(preview.saves)))
    text.append("\n\n")
    if preview.skipped:
        text.append(t("jump.skipped", n=len(preview.skipped)), style="bold")
        for inject_id, title, minute in preview.skipped:
            text.append(f"\n  {scenario_time(minute)}  ", style="dim")
            text.append(inject_id + "  ", style="bold")
            text.append(title)
    else:
        text.append(t("jump.none_skipped"), style="italic")
    text.append("\n\n")
    if preview.lapsing:
        text.append(t("jump.lapsing", n=len(preview.lapsing)), style="bold red")
        for decision_id, title, option, option_text in preview.lapsing:
            text.append("\n  ")
            text.append(t("jump.lapse_line", id=decision_id, title=title, option=option, text=option_text))
    else:
        text.append(t("jump.none_lapsing"), style="italic")
    return text


class JumpDialog(YesNoDialog):
    """`j`: what the jump to the next phase skips and lets lapse, and a yes or no (No has the
    focus: the jump cannot be undone)."""

    RESERVED_ROWS = 9

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,j", "yes", "key.jump_yes"),
        Binding("n,escape", "no", "key.no"),
    ]

    def __init__(self, preview: JumpPreview) -> None:
        super().__init__(id="jump-dialog", classes="dialog")
        self.preview = preview

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide"):
            yield Label(t("jump.title"), classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll fit"):
                yield Static(jump_text(self.preview), id="jump-text", markup=False)
            yield Static(lit(t("jump.question") + "  " + t("confirm.keys"), "dim italic"), markup=False)
            yield from self.yes_no_buttons()


def suggestion_text(suggestion: Suggestion, pacing: Pacing) -> str:
    if suggestion.kind == "on_time":
        return t("pacing.suggest_on_time")
    if suggestion.kind == "speed" and suggestion.speed == pacing.speed:
        return t("pacing.suggest_keep", speed=speed_label(pacing.speed))
    if suggestion.kind == "speed":
        return t("pacing.suggest_speed", speed=speed_label(suggestion.speed),
                 now=speed_label(pacing.speed))
    if suggestion.kind == "jump":
        return t("pacing.suggest_jump", saves=clock_text(suggestion.saves))
    if suggestion.kind == "over":
        return t("pacing.suggest_over")
    return t("pacing.suggest_none")


def pacing_table(session: ExerciseSession, pacing: Pacing) -> Text:
    """Per phase and in all: the plan, the play time used, what is left (plan time, ×1)."""
    scenario = session.scenario
    state = session.state
    position = state.scenario_minutes + state.clock.carry
    text = Text()
    width = 34
    text.append(f"{t('pacing.phase'):<{width}} {t('pacing.plan'):>9} {t('pacing.used'):>9} {t('pacing.left'):>9}\n",
                style="bold")
    for window in windows(scenario):
        phase = scenario.phases[window.index]
        plan = plan_seconds(scenario, window.start, window.end)
        used = plan_seconds(scenario, window.start, min(position, window.end)) if position > window.start else 0.0
        marker = "▶ " if window.index == state.clock.phase_index else "  "
        title = tr(phase.title)
        title = title if len(title) <= width - 2 else title[: width - 3] + "…"
        text.append(f"{marker}{title:<{width - 2}} {clock_text(plan):>9} {clock_text(used):>9} "
                    f"{clock_text(max(0.0, plan - used)):>9}\n",
                    style="bold" if marker.strip() else "")
    text.append(f"{t('pacing.total'):<{width}} {clock_text(pacing.plan_total):>9} {clock_text(pacing.plan_used):>9} "
                f"{clock_text(pacing.plan_left):>9}\n", style="bold")
    return text


def pacing_summary(pacing: Pacing) -> Text:
    text = Text()
    if pacing.elapsed is None:
        text.append(t("pacing.not_started"), style="italic")
        return text
    text.append(t("pacing.elapsed", elapsed=clock_text(pacing.elapsed), played=clock_text(pacing.played),
                  speed=speed_label(pacing.speed)))
    text.append("\n")
    text.append_text(standing_text(pacing, "pacing.now_on_plan", "pacing.now_behind", "pacing.now_ahead"))
    text.append("\n")
    late = pacing.late
    key = "pacing.end_late" if late > 0 else "pacing.end_early"
    text.append(t(key, speed=speed_label(pacing.speed), finish=clock_text(pacing.finish),
                  plan=clock_text(pacing.plan_total), d=clock_text(abs(late))))
    return text


class PacingDialog(KriseModal[str | None]):
    """`t`: real time, play time and the plan, per phase and in all, and what would land the
    exercise on its planned time. Enter takes the suggestion: it returns "speed" (set the
    suggested speed) or "jump" (preview the jump); Escape closes."""

    RESERVED_ROWS = 10

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "take", "key.take_suggestion", priority=True),
        Binding("escape,t", "cancel", "key.close"),
    ]

    def __init__(self, session: ExerciseSession, pacing: Pacing) -> None:
        super().__init__(id="pacing-dialog", classes="dialog")
        self.session = session
        self.pacing = pacing
        self.suggestion = suggest(pacing)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide"):
            yield Label(t("pacing.title"), classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll fit"):
                yield Static(pacing_summary(self.pacing), id="pacing-summary", markup=False)
                yield Static(pacing_table(self.session, self.pacing), id="pacing-table", markup=False,
                             classes="section")
                yield Static(lit(suggestion_text(self.suggestion, self.pacing), "bold"), id="pacing-suggestion",
                             markup=False)
            yield Static(lit(t("pacing.keys") if self.actionable else t("pacing.keys_close"), "dim italic"),
                         markup=False)

    @property
    def actionable(self) -> bool:
        return self.suggestion.kind == "jump" or (
            self.suggestion.kind == "speed" and self.suggestion.speed != self.pacing.speed)

    def action_take(self) -> None:
        self.dismiss(self.suggestion.kind if self.actionable else None)
