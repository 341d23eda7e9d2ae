"""The control cell's console (øvingsledelse) for a national exercise on the shared store.

Every organisation's status at a glance (connected, how far behind the control stream, scenario
time, decisions open / decided / lapsed, evaluator coverage, last activity), and the control
cell's commands for everyone: pause / resume, speed, release an inject to all or some
organisations, next phase, ENDEX. The screen holds a `national.control.ControlCell`, which holds
the lease: a second control cell is refused before the screen opens, and after a crash the next
one takes over from the control stream. The clock is data: while it runs, the screen's timer
advances the cell's reference clock and the cell appends the minute reached.

All text from the store and the scenario is shown literally (no markup).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from krise_ovelse.tui.i18n import t

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)


class ControlScreen(Screen[None]):
    """The control cell's overview and commands."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "pause", t("control.key.pause")),
        Binding("plus,equals_sign", "faster", t("control.key.faster")),
        Binding("minus", "slower", t("control.key.slower")),
        Binding("r", "release", t("control.key.release")),
        Binding("f", "next_phase", t("control.key.phase")),
        Binding("e", "endex", t("control.key.endex")),
        Binding("q", "quit", t("control.key.quit")),
    ]

    def __init__(self, cell: Any, *, clock: Callable[[], float] = time.monotonic,
                 tick_interval: float | None = 1.0, status_interval: float | None = 2.0) -> None:
        super().__init__()
        self.cell = cell
        self._clock = clock
        self._last = clock()
        self._tick_interval = tick_interval
        self._status_interval = status_interval
        self._endex_armed = False

    def compose(self) -> ComposeResult:
        yield Static(Text(t("control.title", exercise=self.cell.exercise)), id="control-title", markup=False)
        yield Static("", id="control-clock", markup=False)
        yield DataTable(id="control-orgs", cursor_type="row")
        yield Input(placeholder=t("control.release_prompt"), id="control-release")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#control-orgs", DataTable)
        for key in ("org", "connected", "behind", "time", "open", "decided", "lapsed", "evaluators",
                    "observations", "marks", "ratings", "last"):
            table.add_column(t(f"control.col.{key}"), key=key)
        self.query_one("#control-release", Input).display = False
        if self._tick_interval is not None:
            self.set_interval(self._tick_interval, self.tick)
        if self._status_interval is not None:
            self.set_interval(self._status_interval, self.refresh_status)
        self.refresh_status()

    # -- the clock and the overview -------------------------------------------------------------

    def tick(self) -> None:
        now = self._clock()
        elapsed, self._last = now - self._last, now
        self._store(lambda: self.cell.tick(elapsed))
        self.show_clock()

    def show_clock(self) -> None:
        from krise_ovelse.model.timefmt import format_time

        state = self.cell.state
        shown = t("control.ended") if state.ended else t("control.running" if state.running else "control.paused")
        self.query_one("#control-clock", Static).update(Text(t(
            "control.clock", time=format_time(state.minute), state=shown, speed=f"{state.speed:g}",
            orgs=len(self.cell.setup.organisations))))

    def refresh_status(self) -> None:
        from krise_ovelse.model.timefmt import format_time
        from krise_ovelse.store.errors import StoreError

        try:
            rows = self.cell.status()
        except StoreError as error:
            self.notify(t("control.failed", error=error.message), severity="error", markup=False)
            return
        table = self.query_one("#control-orgs", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*(Text(str(v)) for v in (
                f"{row.org_id} — {row.name}", t("control.yes" if row.connected else "control.no"), row.behind,
                format_time(row.minute), row.decisions_open, row.decided, row.lapsed,
                f"{row.evaluators_active}/{row.evaluators}", row.observations, row.task_marks, row.ratings,
                row.last_activity[11:19] or "-")), key=row.org_id)
        self.show_clock()

    def _store(self, action: Callable[[], Any]) -> bool:
        """Run a control command; a store failure is shown, not raised (nothing was stored)."""
        from krise_ovelse.store.errors import StoreError

        try:
            action()
        except StoreError as error:
            self.notify(t("control.failed", error=error.message), severity="error", markup=False)
            return False
        return True

    # -- commands for everyone ------------------------------------------------------------------

    def action_pause(self) -> None:
        self._last = self._clock()
        self._store(self.cell.pause if self.cell.state.running else self.cell.resume)
        self.show_clock()

    def _speed(self, step: int) -> None:
        current = self.cell.state.speed
        index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - current))
        new = SPEEDS[max(0, min(len(SPEEDS) - 1, index + step))]
        if new != current:
            self._store(lambda: self.cell.set_speed(new))
        self.show_clock()

    def action_faster(self) -> None:
        self._speed(+1)

    def action_slower(self) -> None:
        self._speed(-1)

    def action_next_phase(self) -> None:
        self._store(self.cell.next_phase)
        self.show_clock()

    def action_endex(self) -> None:
        if not self._endex_armed:
            self._endex_armed = True
            self.notify(t("control.endex_confirm"), severity="warning", markup=False)
            return
        self._endex_armed = False
        if self._store(self.cell.endex):
            self.notify(t("control.endex_done"), markup=False)
        self.show_clock()

    def action_release(self) -> None:
        field = self.query_one("#control-release", Input)
        field.display = True
        field.value = ""
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        field = event.input
        field.display = False
        words = event.value.split()
        if not words:
            return
        inject = words[0]
        to = [o.strip() for o in " ".join(words[1:]).replace(" ", ",").split(",") if o.strip()]
        if self._store(lambda: self.cell.release(inject, to)):
            self.notify(t("control.released", inject=inject, to=", ".join(to) or t("control.everyone")),
                        markup=False)
        self.query_one("#control-orgs", DataTable).focus()

    def action_quit(self) -> None:
        self.app.exit()


class ControlApp(App[None]):
    """`krise-ovelse national console EXERCISE`: the control screen on its own."""

    TITLE = "krise-øvelse"

    def __init__(self, cell: Any, **screen_options: Any) -> None:
        super().__init__()
        self.cell = cell
        self._screen_options = screen_options

    def on_mount(self) -> None:
        self.push_screen(ControlScreen(self.cell, **self._screen_options))
