"""Replay a stored session: step back and forth through its events and see the state then."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from krise_ovelse.tui.i18n import language, t
from krise_ovelse.tui.screens.exercise import ExerciseScreen
from krise_ovelse.tui.text import scenario_time
from krise_ovelse.tui.view import FACILITATOR

if TYPE_CHECKING:
    from krise_ovelse.tui.session import ExerciseSession

#: Event kinds that `[` / `]` stop at (the clock's own events are stepped over).
QUIET_KINDS = frozenset({"clock_advanced"})


class ReplayScreen(ExerciseScreen, inherit_bindings=False):
    """The exercise screen, read-only, at step k of the stored events."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "step(1)", "key.step_forward", key_display="→", priority=True),
        Binding("left", "step(-1)", "key.step_back", key_display="←", priority=True),
        Binding("right_square_bracket", "jump(1)", "key.next_event", key_display="]"),
        Binding("left_square_bracket", "jump(-1)", "key.previous_event", key_display="["),
        Binding("pagedown", "step(25)", "key.step_25", show=False, priority=True),
        Binding("pageup", "step(-25)", "key.step_back_25", show=False, priority=True),
        Binding("home", "goto_start", "key.first_step", show=False, priority=True),
        Binding("end", "goto_end", "key.last_step", show=False, priority=True),
        Binding("v", "toggle_view", "key.toggle_view"),
        Binding("g", "debrief", "key.debrief"),
        Binding("escape", "home", "key.home"),
    ]

    def __init__(self, session: ExerciseSession) -> None:
        super().__init__(session, FACILITATOR)
        self.step = session.step_count

    def compose(self) -> ComposeResult:
        yield Static("", id="timeline", markup=False)
        yield from super().compose()

    def on_mount(self) -> None:
        # ExerciseScreen.on_mount has run already (Textual calls every class's handler).
        self.session.goto(self.step)
        self.render_state()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return True

    def feed_empty_key(self) -> str:
        return "feed.empty_replay"

    def render_state(self) -> None:
        super().render_state()
        self.query_one("#timeline", Static).update(self._timeline_text())

    def _timeline_text(self) -> Text:
        total = self.session.step_count
        event = self.session.events[self.step - 1] if total else None
        text = Text(" ⏵ " + t("replay.title") + "  ", style="bold reverse")
        text.append("  " + t("replay.step", step=self.step, total=total), style="bold")
        if event is not None:
            text.append("  ·  ")
            from krise_ovelse.describe import describe

            text.append(describe(event, self.session.scenario, language(), width=60), style="italic")
            text.append("  ·  " + scenario_time(event.scenario_minutes), style="dim")
        width = 30
        filled = round(width * self.step / total) if total else 0
        text.append("  " + "━" * filled, style="cyan")
        text.append("─" * (width - filled), style="dim")
        return text

    def _go(self, step: int) -> None:
        self.step = max(1, min(self.session.step_count, step))
        self.session.goto(self.step)
        self.render_state()

    def action_step(self, delta: int) -> None:
        self._go(self.step + delta)

    def action_jump(self, direction: int) -> None:
        events = self.session.events
        index = self.step + direction
        while 1 <= index <= len(events) and events[index - 1].kind in QUIET_KINDS:
            index += direction
        self._go(index)

    def action_goto_start(self) -> None:
        self._go(1)

    def action_goto_end(self) -> None:
        self._go(self.session.step_count)

    def action_debrief(self) -> None:
        self.session.goto(self.session.step_count)
        self.kapp.show_debrief()

    def action_home(self) -> None:
        self.kapp.show_start()
