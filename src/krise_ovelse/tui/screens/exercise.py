"""The exercise screen: clock, inject feed, open decisions, indicators, log, dreiebok.

Everything shown comes from `session.snapshot(view)`; every change goes through the session
(which hands a command to the engine and, through the store sink, commits its events first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static

from krise_ovelse.tui.attention import Alert, alerts, banner_text
from krise_ovelse.tui.base import KriseScreen
from krise_ovelse.tui.i18n import t
from krise_ovelse.tui.text import append_notes, lit, scenario_time
from krise_ovelse.tui.view import FACILITATOR, TEAM, DecisionView, FeedItem, Snapshot
from krise_ovelse.tui.widgets.footer import KeyFooter
from krise_ovelse.tui.widgets.indicators import IndicatorPanel
from krise_ovelse.tui.widgets.lists import (
    RecordList,
    channel_label,
    decision_prompt,
    feed_prompt,
    log_prompt,
    upcoming_prompt,
)
from krise_ovelse.tui.widgets.status import StatusLine, pacing_text, status_text

if TYPE_CHECKING:
    from textual.timer import Timer

    from krise_ovelse.tui.session import ExerciseSession

#: What the inject dialog returns to put its inject on the team's screen.
PRESENT = "::present"
#: Real seconds the alert banner stays (a newer alert replaces it at once).
ALERT_SECONDS = 20.0

#: Actions that change the exercise (refused in a read-only window).
WRITE_ACTIONS = frozenset({
    "toggle_pause", "faster", "slower", "next_inject", "next_phase", "decide", "revise", "release",
    "skip", "adhoc", "observe", "endex", "pacing", "present",
})
#: Actions that steer the exercise: facilitator view only. In the team view they are off and
#: left out of the footer; the team's own acts (deciding, revising, reading) stay.
FACILITATOR_ACTIONS = frozenset({
    "toggle_pause", "faster", "slower", "next_inject", "next_phase", "release", "skip", "adhoc",
    "observe", "endex", "evaluate", "pacing", "present",
})


def projector_text(item: FeedItem) -> Text:
    """The inject on the team's screen, whole and large: when, from whom, the title, the text."""
    text = Text()
    text.append(f" {scenario_time(item.minutes)} ", style="bold reverse")
    text.append("  ")
    text.append(channel_label(item.channel), style="bold italic")
    if item.sender:
        text.append("  ·  ")
        text.append(item.sender, style="bold")
    if item.to:
        text.append("\n" + t("inject.to") + " ", style="dim")
        text.append(", ".join(item.to))
    text.append("\n\n")
    text.append(item.title.upper(), style="bold")
    text.append("\n\n")
    text.append(item.body or t("inject.no_body"), style="" if item.body else "italic dim")
    return text


def notes_text(item: FeedItem | None) -> Text:
    """Facilitator notes, expected actions and criteria of one inject."""
    if item is None:
        return lit(t("notes.none"), "italic dim")
    text = Text()
    if item.kind == "phase":  # the beginning of a phase: its name, never its feed id
        text.append("◆ " + t("feed.phase_begins") + " ", style="bold magenta")
        text.append(item.title, style="bold")
        text.append("\n" + t("notes.phase"), style="italic dim")
        return text
    text.append(item.inject_id + "  ", style="bold")
    text.append(item.title, style="bold")
    if not append_notes(text, item.notes, item.expected, item.criteria):
        text.append("\n" + t("notes.empty"), style="italic dim")
    return text


class ExerciseScreen(KriseScreen[None]):
    """The live (or followed) exercise."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_pause", "key.pause"),
        Binding("plus,equals_sign", "faster", "key.faster", key_display="+", show=False),
        Binding("minus", "slower", "key.slower", key_display="-", show=False),
        Binding("n", "next_inject", "key.next_inject"),
        Binding("j", "next_phase", "key.next_phase", show=False),
        Binding("t", "pacing", "key.pacing"),
        Binding("d", "decide", "key.decide"),
        # `b` revises in both views; the footer shows it (shortly) in the team view, where there
        # is room (the same action, with a parameter, so that check_action tells the two apart)
        Binding("b", "revise", "key.revise", show=False),
        Binding("b", "revise('team')", "key.revise_short"),
        Binding("p", "present", "key.present"),
        Binding("r", "release", "key.release"),
        Binding("s", "skip", "key.skip", show=False),
        Binding("a", "adhoc", "key.adhoc", show=False),
        Binding("o", "observe", "key.observe"),
        Binding("v", "toggle_view", "key.toggle_view"),
        Binding("e", "endex", "key.endex"),
        Binding("e", "evaluate", "key.evaluate_ended"),
    ]

    def __init__(self, session: ExerciseSession, view: str = FACILITATOR, *, locked_view: bool = False) -> None:
        super().__init__(id="exercise")
        self.session = session
        self.view = view
        self.locked_view = locked_view
        self.snapshot: Snapshot | None = None
        #: Decisions whose near deadline has been signalled (once each).
        self.warned: set[str] = set()
        #: Injects read in each view (opened there; for the team also shown on its screen), so
        #: each view has its own ● marks. The facilitator's start from the engine's record.
        self.read: dict[str, set[str]] = {FACILITATOR: set(), TEAM: set()}
        self._alert_timer: Timer | None = None

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield Static("", id="alert", markup=False)
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                with VerticalScroll(id="projector", classes="panel"):
                    yield Static("", id="projector-text", markup=False)
                yield RecordList("feed.empty", id="feed", classes="panel")
                yield RecordList("decisions.empty", id="decisions", classes="panel")
            with Vertical(id="right"):
                yield IndicatorPanel(id="indicators")
                yield RecordList("upcoming.empty", id="upcoming", classes="panel facilitator-only")
                with VerticalScroll(id="notes-box", classes="panel facilitator-only"):
                    yield Static("", id="notes", markup=False)
                yield RecordList("log.empty", id="log", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#feed").border_title = t("panel.feed")
        self.query_one("#projector").border_title = t("panel.projector")
        self.query_one("#decisions").border_title = t("panel.decisions")
        self.query_one("#indicators").border_title = t("panel.indicators")
        self.query_one("#upcoming").border_title = t("panel.upcoming")
        self.query_one("#notes-box").border_title = t("panel.notes")
        self.query_one("#log").border_title = t("panel.log")
        self.apply_view()
        self.render_state()
        self.query_one("#feed").focus()

    def apply_view(self) -> None:
        self.set_class(self.view == TEAM, "team-view")
        self.set_class(self.view == FACILITATOR, "facilitator-view")
        self.refresh_bindings()

    # -- rendering ------------------------------------------------------------------------

    def render_state(self) -> None:
        """Re-read the session's state and show it (cheap when nothing changed)."""
        snap = self.session.snapshot(self.view)
        if self.snapshot is None or self.snapshot.clock.ended != snap.clock.ended:
            self.refresh_bindings()  # after ENDEX the keys that steer play are off, `e` evaluates
        previous, self.snapshot = self.snapshot, snap
        extra = t("status.readonly") if self.session.readonly else ""
        if snap.presented is not None and self.view == FACILITATOR:
            extra = t("status.presented", id=snap.presented.inject_id)
        if snap.decide_first:
            extra = "  ".join(part for part in (t("status.decide_first"), extra) if part)
        status = status_text(snap.clock, self.view, self.session.team, extra)
        if self.view == FACILITATOR:
            status.append("\n")
            status.append_text(pacing_text(self.session.pacing(self.kapp.wall())))
        self.query_one(StatusLine).show(status)
        self._signal(alerts(previous, snap, warned=self.warned, warn_before=self.kapp.launch.warn_before,
                            paused_for=self.kapp.auto_paused_for))
        presented = snap.presented
        if presented is not None:
            self.read[TEAM].add(presented.inject_id)  # on the team's screen: the team has it
        feed = self.query_one("#feed", RecordList)
        feed.empty_key = self.feed_empty_key()
        feed.show([(i.inject_id, feed_prompt(i, unread=self.unread(i),
                                             presented=presented is not None and i.inject_id == presented.inject_id))
                   for i in snap.feed])
        self.set_class(self.view == TEAM and presented is not None, "presenting")
        if self.view == TEAM and presented is not None:
            self.query_one("#projector-text", Static).update(projector_text(presented))
        decisions = self.query_one("#decisions", RecordList)
        decisions.show([(d.decision_id, decision_prompt(d, snap.clock.minutes))
                        for d in (*snap.open_decisions, *snap.awaiting)])
        decisions.border_title = t("panel.decisions")
        panel = self.query_one(IndicatorPanel)
        panel.show(snap.indicators)
        hidden = any(not i.visible for i in snap.indicators)
        panel.border_title = t("panel.indicators") + ("  " + t("indicator.hidden_legend") if hidden else "")
        self.query_one("#log", RecordList).show(
            [(f"{e.decision_id}#{e.revision}", log_prompt(e)) for e in reversed(snap.log)])
        if self.view == FACILITATOR:
            self.query_one("#upcoming", RecordList).show(
                [(u.inject_id, upcoming_prompt(u)) for u in snap.upcoming])
            self._show_notes()

    # -- attention ------------------------------------------------------------------------

    def _signal(self, found: list[Alert]) -> None:
        """Show what the room must not miss: a banner under the header (until the next alert or
        ALERT_SECONDS) and the terminal bell if asked for. Not a notification: those stack up in
        a corner and cover what the room is reading."""
        if not found:
            return
        banner = self.query_one("#alert", Static)
        banner.update(lit(banner_text(found)))
        banner.set_class(any(a.kind != "inject" for a in found), "urgent")
        banner.display = True
        if self.kapp.launch.bell:
            self.app.bell()
        if self._alert_timer is not None:
            self._alert_timer.stop()
        self._alert_timer = self.set_timer(ALERT_SECONDS, self._clear_alert)

    def _clear_alert(self) -> None:
        self.query_one("#alert", Static).display = False
        self._alert_timer = None

    def unread(self, item: FeedItem) -> bool:
        """Unread in this view: the facilitator's by the engine's record (opening acknowledges),
        the team's by what this window has opened or had on its screen."""
        if self.view == FACILITATOR and not self.session.readonly:
            return item.unread and item.inject_id not in self.read[FACILITATOR]
        return item.inject_id not in self.read[TEAM]

    def feed_empty_key(self) -> str:
        """What the empty feed says, for the state shown."""
        state = self.session.state
        if state.ended:
            return "feed.empty_ended"
        if state.running:
            return "feed.empty_running"
        if self.session.readonly:
            return "feed.empty_readonly"
        if state.exercise_seconds == 0 and state.scenario_minutes == 0:
            return "feed.empty"  # before STARTEX
        return "feed.empty_paused"

    def _show_notes(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        item: FeedItem | None = None
        focused = self.focused
        if isinstance(focused, RecordList) and focused.id == "upcoming" and focused.selected_id:
            item = self.session.inject_record(focused.selected_id)
        else:
            feed = self.query_one("#feed", RecordList)
            selected = feed.selected_id
            item = next((i for i in snap.feed if i.inject_id == selected), None)
        self.query_one("#notes", Static).update(notes_text(item))

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.view == FACILITATOR and event.option_list.id in ("feed", "upcoming"):
            self._show_notes()

    # -- opening things -------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#feed")
    def _feed_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id != "__empty__":
            self.open_inject(event.option.id)

    @on(OptionList.OptionSelected, "#decisions")
    def _decision_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id != "__empty__":
            self.open_decision(event.option.id)

    @on(OptionList.OptionSelected, "#log")
    def _log_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id != "__empty__" and not self.session.readonly:
            self.open_decision(event.option.id.split("#")[0], revise=True)

    @on(OptionList.OptionSelected, "#upcoming")
    def _upcoming_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id != "__empty__":
            self.open_inject(event.option.id, preview=True)

    def open_inject(self, inject_id: str, preview: bool = False) -> None:
        """The inject in full (or the beginning of a phase, with its summary)."""
        from krise_ovelse.tui.screens.dialogs import InjectDialog

        item = self.session.inject_record(inject_id)
        if item is None:
            return
        if not preview and item.unread and not self.session.readonly:
            # after the dialog's first frame: the commit and the feed's re-render are not in its way
            self.app.call_after_refresh(lambda: self.kapp.run_command(self.session.acknowledge(inject_id)))
        opens = [d.decision_id for d in (self.snapshot.open_decisions if self.snapshot else ())
                 if d.decision_id in item.opens]

        if not preview:
            self.read[self.view].add(inject_id)

        def after(result: str | None) -> None:
            if result == PRESENT:
                self.action_present(inject_id)
            elif result:
                self.open_decision(result)

        dialog = self.kapp.dialog("inject", lambda: InjectDialog(item, self.view))
        if dialog in self.app.screen_stack:
            return
        dialog.load(item, self.view, opens=opens, preview=preview, readonly=self.session.readonly,
                    can_present=self.view == FACILITATOR and not self.session.readonly and not preview
                    and item.kind == "inject" and not self.session.ended)
        self.app.push_screen(dialog, after)

    def open_decision(self, decision_id: str, revise: bool = False) -> None:
        from krise_ovelse.tui.screens.decision import DecisionDialog

        if self.session.readonly:
            return
        view = self.session.decision_view(decision_id, self.view)
        if view is None:
            return
        if view.decide_first and not revise and view.status in ("open", "written"):
            self.open_decide_first(view)
            return
        dialog = self.kapp.dialog("decision", lambda: DecisionDialog(self.session, view, revise=revise))
        if dialog in self.app.screen_stack:
            return
        dialog.load(view, revise=revise)
        self.app.push_screen(dialog, lambda _: self.render_state())

    def open_decide_first(self, view: DecisionView) -> None:
        """Decide-first: the team writes an open decision in its own words (no options shown);
        a written one is mapped in the facilitator's view, and only waits in the team's."""
        from krise_ovelse.tui.screens.decide_first import MapDecisionDialog, WriteDecisionDialog
        from krise_ovelse.tui.session import evaluator_name

        if view.status == "open":
            self.app.push_screen(WriteDecisionDialog(self.session, view), lambda _: self.render_state())
        elif self.view == FACILITATOR:
            self.app.push_screen(MapDecisionDialog(self.session, view, evaluator_name()),
                                 lambda _: self.render_state())
        else:
            self.notify(t("decision.awaiting", id=view.decision_id), markup=False)

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        if action == "toggle_view":
            return not self.locked_view
        if action == "evaluate":  # `e` after ENDEX; in a read-only window the ratings are read only
            return session.evaluating or (session.ended and (self.view == FACILITATOR or session.readonly))
        if action in WRITE_ACTIONS and (session.readonly or session.ended):
            return False
        if session.evaluating and action in WRITE_ACTIONS and action != "observe":
            return False  # a national exercise's evaluator watches play and records evaluation only
        if action == "revise":  # one `b` for each view: shown in the team view's footer
            return bool(parameters) == (self.view == TEAM)
        return not (action in FACILITATOR_ACTIONS and self.view != FACILITATOR)

    def action_present(self, inject_id: str | None = None) -> None:
        """`p`: put the selected inject on the team's screen ("vis for laget"); `p` on the one
        shown takes it off."""
        target = inject_id or self.query_one("#feed", RecordList).selected_id
        snap = self.snapshot
        if target is None or target.startswith("phase:"):
            self.notify(t("present.none"), severity="warning", markup=False)
            return
        shown = snap.presented.inject_id if snap is not None and snap.presented is not None else None
        self.kapp.run_command(self.session.present(None if target == shown else target))  # the header says it

    def footer_hints(self) -> list[tuple[str, str]]:
        """Keys the footer shows that a focused list handles itself (Enter reads an inject)."""
        return [("enter", t("key.read"))] if self.view == TEAM else []

    def action_toggle_pause(self) -> None:
        self.kapp.run_command(self.session.toggle_pause())

    def action_faster(self) -> None:
        self.kapp.run_command(self.session.faster())

    def action_slower(self) -> None:
        self.kapp.run_command(self.session.slower())

    def action_next_inject(self) -> None:
        self.kapp.run_command(self.session.next_inject(pause_on_open=self.kapp.auto_pause_active()))

    def action_next_phase(self) -> None:
        """`j`: first what the jump skips and lets lapse, then (after a yes) the jump."""
        from krise_ovelse.tui.screens.room import JumpDialog

        preview = self.session.jump_preview()
        if preview is None:
            self.notify(t("phase.last"), severity="warning", markup=False)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.kapp.run_command(self.session.jump_to_next_phase(pause_on_open=self.kapp.auto_pause_active()))

        self.app.push_screen(JumpDialog(preview), confirmed)

    def action_pacing(self) -> None:
        """`t`: the pacing view; Enter there takes its suggestion (a speed, or the jump)."""
        from krise_ovelse.tui.screens.room import PacingDialog

        pacing = self.session.pacing(self.kapp.wall())
        dialog = PacingDialog(self.session, pacing)

        def chosen(kind: str | None) -> None:
            if kind == "speed":
                self.kapp.run_command(self.session.set_speed(dialog.suggestion.speed))
            elif kind == "jump":
                self.action_next_phase()

        self.app.push_screen(dialog, chosen)

    def action_decide(self) -> None:
        decisions = self.query_one("#decisions", RecordList)
        target = decisions.selected_id
        if target is None and self.snapshot and (self.snapshot.open_decisions or self.snapshot.awaiting):
            target = (*self.snapshot.open_decisions, *self.snapshot.awaiting)[0].decision_id
        if target is None:
            self.notify(t("decisions.none_open"), severity="warning")
            return
        self.open_decision(target)

    def action_revise(self, _view: str = "") -> None:
        from krise_ovelse.tui.screens.dialogs import PickDialog

        if not self.snapshot:
            return
        current = [e for e in self.snapshot.log if e.current]
        if not current:
            self.notify(t("log.nothing_to_revise"), severity="warning")
            return
        rows = [(e.decision_id, log_prompt(e)) for e in reversed(current)]

        def chosen(decision_id: str | None) -> None:
            if decision_id:
                self.open_decision(decision_id, revise=True)

        self.app.push_screen(PickDialog(t("revise.title"), rows), chosen)

    def action_release(self) -> None:
        from krise_ovelse.tui.screens.dialogs import PickDialog

        rows = [(u.inject_id, upcoming_prompt(u)) for u in self.session.releasable()]
        if not rows:
            self.notify(t("release.none"), severity="warning")
            return

        def chosen(inject_id: str | None) -> None:
            if inject_id:
                self.kapp.run_command(self.session.release(inject_id))

        self.app.push_screen(PickDialog(t("release.title"), rows), chosen)

    def action_skip(self) -> None:
        from krise_ovelse.tui.screens.dialogs import PickDialog, TextDialog

        rows = [(u.inject_id, upcoming_prompt(u)) for u in self.session.skippable()]
        if not rows:
            self.notify(t("skip.none"), severity="warning")
            return

        def reason_given(inject_id: str, reason: str | None) -> None:
            if reason is not None:
                self.kapp.run_command(self.session.skip(inject_id, reason))

        def chosen(inject_id: str | None) -> None:
            if inject_id:
                self.app.push_screen(TextDialog(t("skip.reason_title", inject=inject_id), t("skip.reason")),
                                     lambda reason: reason_given(inject_id, reason))

        self.app.push_screen(PickDialog(t("skip.title"), rows), chosen)

    def action_adhoc(self) -> None:
        from krise_ovelse.tui.screens.dialogs import AdHocDialog, AdHocInject

        def written(result: AdHocInject | None) -> None:
            if result is not None:
                self.kapp.run_command(self.session.adhoc(result))

        self.app.push_screen(AdHocDialog(), written)

    def action_observe(self) -> None:
        from krise_ovelse.tui.screens.dialogs import ObservationDialog, ObservationInput

        def written(result: ObservationInput | None) -> None:
            if result is not None:
                self.kapp.run_command(self.session.observe(result))

        self.app.push_screen(ObservationDialog(self.session.criteria_choices()), written)

    def action_toggle_view(self) -> None:
        self.view = TEAM if self.view == FACILITATOR else FACILITATOR
        self.apply_view()
        self.render_state()
        self.notify(t("view.switched", view=t(f"view.{self.view}")))

    def action_evaluate(self) -> None:
        """After ENDEX (declared, or the scenario ran to its end): to the evaluation."""
        self.kapp.show_evaluation()

    def action_endex(self) -> None:
        """Declare ENDEX (after a confirmation) and go to the evaluation, which rates the ended
        session (the engine takes ratings and observations after ENDEX)."""
        from krise_ovelse.tui.screens.dialogs import ConfirmDialog, endex_question

        if self.session.ended or self.session.readonly:
            self.kapp.show_evaluation()
            return

        def confirmed(yes: bool | None) -> None:
            if yes and self.kapp.run_command(self.session.endex()):
                self.kapp.show_evaluation()

        self.app.push_screen(ConfirmDialog(t("endex.title"), endex_question(self.session.unplayed())), confirmed)
