"""The facilitator console: a thin view/controller over the engine, the store and scoring.

`make_app(...)` builds the app from what the command line (or a test) gives it, including the
clocks, so tests freeze time and never sleep. The app holds no exercise state of its own: the
`ExerciseSession` it may hold wraps the engine (whose state every screen renders) and the
store (which commits each command's events before the engine applies them).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from krise_ovelse.startup import pause_collection, resume_collection
from krise_ovelse.tui.i18n import set_language, t
from krise_ovelse.tui.loaded import LoadedScenario, load_for_console
from krise_ovelse.wallclock import utc_now

if TYPE_CHECKING:  # the engine, the store and the catalogue are imported when needed, not at startup
    from krise_ovelse.engine.values import Participant
    from krise_ovelse.store.session_rows import SessionInfo
    from krise_ovelse.tui.catalog import ScenarioEntry
    from krise_ovelse.tui.session import ExerciseSession, Outcome, SessionError

#: The two views, as `krise_ovelse.tui.view` names them (that module's records are built once a
#: session is open; importing it here would add its classes to every start).
FACILITATOR = "facilitator"
TEAM = "team"

Clock = Callable[[], float]
WallClock = Callable[[], dt.datetime]
S = TypeVar("S", bound=Screen[Any])



@attrs.frozen
class Launch:
    """What the console was started with."""

    lang: str = "nb"
    view: str = FACILITATOR
    team: str = ""
    db: str | None = None
    scenario: LoadedScenario | None = None
    session: str | None = None
    scenarios_dir: Path | None = None
    #: Seconds between clock ticks in real-time play, and between store polls in a read-only window.
    #: None: no timer (tests call `tick_clock` and `poll_store` themselves, so nothing runs on real time).
    tick_interval: float | None = 1.0
    poll_interval: float | None = 1.0
    #: Pause the clock when a decision opens: "auto" (above ×1), "on" or "off".
    auto_pause: str = "auto"
    #: Ring the terminal bell with each alert.
    bell: bool = False
    #: Warn this many real seconds before a deadline (0: no warning).
    warn_before: float = 60.0
    #: A new exercise starts decide-first (the briefing's checkbox starts ticked).
    decide_first: bool = False


AUTO_PAUSE_MODES = ("auto", "on", "off")


class KriseApp(App[None]):
    """krise-øvelse: the console."""

    CSS_PATH = "app.tcss"
    TITLE = "krise-øvelse"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "key.help"),
        Binding("question_mark", "help", "key.help", show=False, key_display="?"),
        Binding("ctrl+q", "quit", "key.quit", priority=True),
    ]

    def __init__(self, launch: Launch | None = None, *, clock: Clock = time.monotonic,
                 wall: WallClock = utc_now) -> None:
        self.launch = launch or Launch()
        set_language(self.launch.lang)
        super().__init__()
        self.clock = clock
        self.wall = wall
        self.session: ExerciseSession | None = None
        self._last_tick = clock()
        self._quitting = False
        self._dialogs: dict[str, Screen[Any]] = {}
        self._collection_paused = False
        #: The decision whose opening paused the clock in the last tick ("" if none).
        self.auto_paused_for = ""
        self.auto_pause = self.launch.auto_pause if self.launch.auto_pause in AUTO_PAUSE_MODES else "auto"

    # -- start ----------------------------------------------------------------------------

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """Run the console; cyclic garbage collection waits until the first screen is shown.

        Building and styling the first screen allocates a great deal that lives as long as the
        console (widgets, styles, rendered lines); collecting it again and again before the first
        frame costs more than building it. Once the screen is shown and settled, what exists (the
        app, its modules and the scenario too) is frozen out of later collections and collection
        resumes; at the latest when the app ends. (`run_test` collects as usual.)
        """
        self._collection_paused = pause_collection()
        try:
            return super().run(*args, **kwargs)
        finally:
            self._resume_collection()

    def _resume_collection(self) -> None:
        was_enabled, self._collection_paused = self._collection_paused, False
        resume_collection(was_enabled, freeze=True)

    def get_default_screen(self) -> Screen[Any]:
        """The first screen: a scenario's briefing is made the app's first screen itself (rather
        than pushed over Textual's empty one, which would be built, styled and laid out too)."""
        launch = self.launch
        if launch.scenario is not None and not launch.session:
            return self._briefing(launch.scenario)
        return super().get_default_screen()

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.sub_title = t("app.subtitle")
        if self.launch.tick_interval is not None:
            self.set_interval(self.launch.tick_interval, self.tick_clock, name="clock")
        if self._collection_paused:
            self.call_after_refresh(self._resume_collection)  # after the first frame
        launch = self.launch
        if not self._blank():
            return  # the first screen is the briefing (`get_default_screen`)
        if launch.session:
            self._open_session_at_start(launch.session)
        elif launch.scenario is not None:
            self.show_briefing(launch.scenario)
        else:
            self.show_start()

    def _open_session_at_start(self, session_id: str) -> None:
        if self.launch.view == TEAM:
            self.follow_session(session_id)
        else:
            self.resume_session(session_id)

    def _blank(self) -> bool:
        """True while only Textual's empty first screen is shown (no main screen yet)."""
        return len(self.screen_stack) <= 1 and type(self.screen) is Screen

    def _show(self, screen: Screen[None]) -> None:
        """Make `screen` the main screen (replacing the one shown).

        The screen at the bottom of the stack (Textual's empty one, or the briefing when it was
        the first screen) is never replaced but covered: `switch_screen` can only replace a
        screen that was pushed.
        """
        if len(self.screen_stack) <= 1:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def show_exercise(self) -> None:
        """Back to the exercise screen of the session (from the evaluation, before ENDEX)."""
        from krise_ovelse.tui.screens.exercise import ExerciseScreen

        if self.session is not None:
            self._show(ExerciseScreen(self.session))

    def show_start(self) -> None:
        from krise_ovelse.tui.screens.start import StartScreen

        self._show(StartScreen())

    def show_briefing(self, loaded: LoadedScenario) -> None:
        self._show(self._briefing(loaded))

    def _briefing(self, loaded: LoadedScenario) -> Screen[None]:
        from krise_ovelse.tui.screens.briefing import BriefingScreen

        return BriefingScreen(loaded, team=self.launch.team, decide_first=self.launch.decide_first)

    # -- lists for the start screen (called from a worker thread) -------------------------

    def shipped_entries(self) -> list[ScenarioEntry]:
        from krise_ovelse.tui.catalog import shipped_entries

        return shipped_entries(self.launch.scenarios_dir)

    def stored_sessions(self) -> tuple[list[SessionInfo], str]:
        from krise_ovelse.store.backend import display_target, open_store, resolve_target
        from krise_ovelse.store.db import NoDatabase
        from krise_ovelse.store.errors import StoreError

        path = display_target(resolve_target(self.launch.db))
        try:
            store = open_store(self.launch.db, reading=True)
            try:
                found = store.list_sessions(limit=200)
            finally:
                store.close()
        except NoDatabase:
            return [], t("start.no_sessions", db=str(path))
        except StoreError as error:
            return [], error.render()
        if not found:
            return [], t("start.no_sessions", db=str(path))
        return found, t("start.sessions_note", n=len(found), db=str(path))

    # -- opening scenarios and sessions ---------------------------------------------------

    def open_scenario(self, path: Path) -> list[str]:
        """Load a scenario file; on success show its briefing, else return its problems."""
        loaded, problems = load_for_console(path)
        if loaded is None:
            return problems or [t("start.cannot_open", path=str(path))]
        self.show_briefing(loaded)
        return []

    def start_exercise(self, loaded: LoadedScenario, team: str, participants: tuple[Participant, ...],
                       decide_first: bool = False) -> None:
        from krise_ovelse.tui.screens.exercise import ExerciseScreen
        from krise_ovelse.tui.session import ExerciseSession, SessionError

        try:
            session = ExerciseSession.start(loaded, team=team, participants=participants,
                                            db=self.launch.db, wall=self.wall, decide_first=decide_first)
        except SessionError as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return
        self._set_session(session)
        self._show(ExerciseScreen(session, self.launch.view if self.launch.view in (FACILITATOR, TEAM)
                                  else FACILITATOR))

    def resume_session(self, session_id: str) -> None:
        from krise_ovelse.tui.screens.exercise import ExerciseScreen
        from krise_ovelse.tui.session import ExerciseSession, SessionError

        try:
            session = ExerciseSession.resume(session_id, db=self.launch.db, wall=self.wall)
        except SessionError as error:
            self._session_failed(error)
            return
        self._set_session(session)
        if session.ended or session.evaluating:
            self.show_evaluation()
        else:
            self._show(ExerciseScreen(session, FACILITATOR))

    def follow_session(self, session_id: str) -> None:
        from krise_ovelse.tui.screens.exercise import ExerciseScreen
        from krise_ovelse.tui.session import ExerciseSession, SessionError

        try:
            session = ExerciseSession.follow(session_id, db=self.launch.db)
        except SessionError as error:
            self._session_failed(error)
            return
        self._set_session(session)
        if self.launch.poll_interval is not None:
            self.set_interval(self.launch.poll_interval, self.poll_store, name="poll")
        self._show(ExerciseScreen(session, TEAM, locked_view=True))

    def replay_session(self, session_id: str) -> None:
        from krise_ovelse.tui.screens.replay import ReplayScreen
        from krise_ovelse.tui.session import ExerciseSession, SessionError

        try:
            session = ExerciseSession.replay(session_id, db=self.launch.db)
        except SessionError as error:
            self._session_failed(error)
            return
        self._set_session(session)
        self._show(ReplayScreen(session))

    def _session_failed(self, error: SessionError) -> None:
        self.notify(str(error), severity="error", timeout=10, markup=False)
        if self._blank():
            self.show_start()

    def _set_session(self, session: ExerciseSession) -> None:
        if self.session is not None and self.session is not session:
            self.session.close()
            self._drop_dialogs()
        self.session = session
        self._last_tick = self.clock()

    # -- dialogs kept for the session -----------------------------------------------------

    def dialog(self, name: str, make: Callable[[], S]) -> S:
        """The dialog `name`: built by `make` the first time, then kept for the session.

        A kept dialog is installed, so closing it does not remove it: showing it again reuses its
        widgets, their styles and their layout, and only its text changes (the inject and decision
        dialogs open within a frame or two this way, however long the session).
        """
        screen = self._dialogs.get(name)
        if screen is None:
            screen = make()
            self.install_screen(screen, name)
            self._dialogs[name] = screen
        return screen  # type: ignore[return-value]  # `make` built it for this name

    def _drop_dialogs(self) -> None:
        for name, screen in self._dialogs.items():
            if screen in self.screen_stack:
                continue  # still shown: Textual removes it when it is closed
            self.uninstall_screen(name)
            if screen.is_mounted:
                screen.remove()
        self._dialogs.clear()

    def show_evaluation(self) -> None:
        from krise_ovelse.tui.screens.evaluation import EvaluatorScreen

        if self.session is not None:
            self._show(EvaluatorScreen(self.session))

    def show_hotwash(self) -> None:
        from krise_ovelse.tui.screens.hotwash import HotwashScreen

        if self.session is not None:
            self.push_screen(HotwashScreen(self.session))

    def show_feedback(self) -> None:
        from krise_ovelse.tui.screens.feedback import FeedbackScreen

        if self.session is not None:
            self.push_screen(FeedbackScreen(self.session))

    def show_debrief(self) -> None:
        from krise_ovelse.tui.screens.debrief import DebriefScreen

        if self.session is not None:
            self._show(DebriefScreen(self.session))

    # -- the clock and the store ----------------------------------------------------------

    def tick_clock(self) -> None:
        now = self.clock()
        elapsed = now - self._last_tick
        self._last_tick = now
        session = self.session
        if session is None or session.readonly or not session.running or elapsed <= 0:
            return
        outcome = session.tick(elapsed, pause_on_open=self.auto_pause_active())
        if not outcome.ok:
            self.notify(outcome.message, severity="error", timeout=10, markup=False)
        self.auto_paused_for = outcome.paused_for
        # every tick while the clock runs: the countdowns and the pacing line count real time
        self.refresh_views()
        self.auto_paused_for = ""

    def auto_pause_active(self) -> bool:
        """Whether a decision's opening pauses the clock: always, never, or above ×1 (auto)."""
        if self.auto_pause == "on":
            return True
        session = self.session
        return self.auto_pause == "auto" and session is not None and session.state.speed > 1

    def poll_store(self) -> None:
        session = self.session
        if session is not None and session.readonly and session.poll():
            self.refresh_views()

    def run_command(self, outcome: Outcome) -> bool:
        """Show a refused command's reason; re-render what changed. True if it was done."""
        if not outcome.ok:
            self.notify(outcome.message, severity="warning", timeout=6, markup=False)
        elif outcome.note:
            self.notify(outcome.note, markup=False)
        self.auto_paused_for = outcome.paused_for
        self.refresh_views()
        self.auto_paused_for = ""
        return outcome.ok

    def refresh_views(self) -> None:
        for screen in self.screen_stack:
            render = getattr(screen, "render_state", None)
            if callable(render):
                render()

    # -- help, palette, quit --------------------------------------------------------------

    def action_help(self) -> None:
        from krise_ovelse.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every key binding of the current screen and the app, in the current language."""
        from krise_ovelse.tui.widgets.footer import describe

        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or not active.enabled or binding.system:
                continue
            action = binding.action
            if action in seen or action == "command_palette":
                continue
            seen.add(action)
            node = active.node
            key = self.get_key_display(binding)
            yield SystemCommand(describe(binding), t("palette.key", key=key),
                                lambda action=action, node=node: self._run_bound(action, node))
        yield SystemCommand(t("palette.theme"), t("palette.theme_help"), self.action_change_theme)

    def _run_bound(self, action: str, node: object) -> None:
        from textual.dom import DOMNode

        self.call_later(self.run_action, action, node if isinstance(node, DOMNode) else None)

    async def action_quit(self) -> None:
        from krise_ovelse.tui.screens.dialogs import ConfirmDialog

        session = self.session
        if session is None or session.readonly or session.ended or self._quitting:
            self._close_and_exit()
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._close_and_exit()

        self.push_screen(ConfirmDialog(t("quit.title"), t("quit.question")), confirmed)

    def _close_and_exit(self) -> None:
        self._quitting = True
        if self.session is not None:
            self.session.close()
        self.exit()

    def exit_note(self) -> str:
        """What the terminal shows after the console closes: the session's id and how to go on
        (resume a live one, report on an ended one), in the console's language."""
        session = self.session
        if session is None or not session.session_id:
            return ""
        sid = session.session_id
        if session.readonly:
            return t("exit.followed", id=sid)
        if session.evaluating:
            return t("exit.evaluator", id=sid, resume=f"krise-ovelse play --session {sid}")
        if session.ended:
            return t("exit.ended", id=sid, report=f"krise-ovelse report {sid}")
        return t("exit.saved", id=sid, resume=f"krise-ovelse play --session {sid}")

    def on_unmount(self) -> None:
        self._resume_collection()
        if self.session is not None:
            self.session.close()


def make_app(
    scenario: LoadedScenario | None = None,
    *,
    lang: str = "nb",
    view: str = FACILITATOR,
    team: str = "",
    session: str | None = None,
    db: str | Path | None = None,
    scenarios_dir: Path | None = None,
    clock: Clock = time.monotonic,
    wall: WallClock = utc_now,
    tick_interval: float | None = 1.0,
    poll_interval: float | None = 1.0,
    auto_pause: str = "auto",
    bell: bool = False,
    warn_before: float = 60.0,
    decide_first: bool = False,
) -> KriseApp:
    """The console, ready to `run()` (or `run_test()`)."""
    launch = Launch(lang=lang, view=view, team=team, db=str(db) if db is not None else None,
                    scenario=scenario, session=session, scenarios_dir=scenarios_dir,
                    tick_interval=tick_interval, poll_interval=poll_interval, auto_pause=auto_pause,
                    bell=bell, warn_before=warn_before, decide_first=decide_first)
    return KriseApp(launch, clock=clock, wall=wall)
