"""The console's adapter to the engine, the store and scoring (no Textual in here).

`ExerciseSession` wraps one engine: it creates or reopens the stored session, hands every
command to `engine.handle` (the store sink commits the events before the engine applies
them), and turns the engine's state into the records the widgets render (`snapshot`). A
read-only session (a second window, `--view team`) refolds the events it polls from the
store; a replay session folds the stored events up to a chosen step.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from krise_ovelse.engine import commands as cmd
from krise_ovelse.engine.values import DecisionStatus, InjectStatus, Mode, Participant
from krise_ovelse.model.scenario import Level, Scenario, Trigger
from krise_ovelse.model.text import Text as ScenarioText
from krise_ovelse.safetext import neutralise
from krise_ovelse.tui.i18n import format_date, has, language, t
from krise_ovelse.tui.loaded import LoadedScenario, load_for_console
from krise_ovelse.tui.pacing import SPEEDS, Pacing, plan_seconds, real_seconds_until, windows
from krise_ovelse.tui.view import (
    FACILITATOR,
    ClockView,
    DecisionView,
    FeedItem,
    IndicatorView,
    JumpPreview,
    LogEntry,
    ObservationView,
    Snapshot,
    Unplayed,
    UpcomingItem,
)
from krise_ovelse.wallclock import utc_now

if TYPE_CHECKING:  # the engine proper is imported when a session starts, not at startup
    from krise_ovelse.engine.facade import CommandRefused
    from krise_ovelse.engine.state import ExerciseState

WallClock = Callable[[], dt.datetime]
#: Feed ids of the beginning of a phase (`phase:uke-to`), beside the inject ids.
PHASE_PREFIX = "phase:"
#: Sub-steps one tick may be cut into to stop at a decision's opening (each is one commit).
MAX_TICK_STEPS = 24
#: In a national exercise, how often the console looks for control events without a notification.
NATIONAL_RECHECK_SECONDS = 5.0
#: Commands the control cell gives for everyone in a national exercise, not an organisation's console.
CONTROL_COMMANDS = (cmd.Tick, cmd.Pause, cmd.Resume, cmd.SetSpeed, cmd.SetMode, cmd.Advance, cmd.AdvanceToNext,
                    cmd.AdvanceToDecision, cmd.JumpToPhase, cmd.ReleaseInject, cmd.SkipInject, cmd.AddAdhocInject,
                    cmd.EndExercise)
#: Points in an indicator's sparkline on the exercise screen.
SPARK_POINTS = 40

__all__ = [
    "ExerciseSession", "LoadedScenario", "Outcome", "Participant", "SessionError", "load_for_console",
    "participant_label",
]


def facilitator_name() -> str:
    """Who the console's own commands are by, in the console's language (øvingsleder)."""
    return t("role.facilitator")


def evaluator_name() -> str:
    return t("role.evaluator")


class SessionError(Exception):
    """A session cannot be opened or created (the message says why, for the facilitator)."""


@attrs.frozen
class Outcome:
    """What became of a command: done (and whether anything changed) or refused, and why."""

    ok: bool
    message: str = ""
    changed: bool = False
    note: str = ""
    #: A tick that stopped the clock because this decision opened (auto-pause).
    paused_for: str = ""


def participant_label(participant: Participant, scenario: Scenario | None = None) -> str:
    """"name (role)" in the console's language, as the report writes it."""
    from krise_ovelse.scoring.adapter import participant_label as label

    return label(participant.name, participant.role, scenario, language())


def _tr(text: ScenarioText) -> str:
    return neutralise(text.get(language()))


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def sample_history(points: Sequence[tuple[int, float]], end: float, count: int = SPARK_POINTS) -> tuple[float, ...]:
    """The step function `points` (minute, value) read at `count` even times in [0, end]."""
    if not points:
        return ()
    if end <= 0 or count <= 1:
        return (points[-1][1],)
    minutes = [p[0] for p in points]
    out = []
    for i in range(count):
        at = end * (i + 1) / count
        index = bisect.bisect_right(minutes, at) - 1
        out.append(points[max(0, index)][1])
    return tuple(out)


class ExerciseSession:
    """One exercise as the console sees it: live, followed (read-only) or replayed."""

    def __init__(self, loaded: LoadedScenario, *, engine: Any = None, state: ExerciseState | None = None,
                 store: Any = None, session_id: str | None = None, readonly: bool = False,
                 events: Sequence[Any] = (), team: str = "") -> None:
        self.loaded = loaded
        self.scenario = loaded.scenario
        self.engine = engine
        self.store = store
        self.session_id = session_id
        self.readonly = readonly
        self._state = state
        self.events: list[Any] = list(events)  # replay / follow: the stored events
        self.team = team
        self._closed = False
        #: (seq, scenario minute, phase id) of each phase begun, read from the events once.
        self._phases: list[tuple[int, int, str]] = []
        self._phase_scan = 0
        self._startex: dt.datetime | None = None
        self._startex_scan = 0
        self._follower: Any = None  # lifecycle.Follower of a read-only window on the store
        self._org: Any = None  # national.org.OrgClient when this is an organisation in a national exercise
        #: national.evaluator.EvaluatorClient when this is an evaluator in a national exercise
        self._evaluator: Any = None
        self._synced = 0.0
        self.poll_error = ""

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def start(cls, loaded: LoadedScenario, *, team: str, participants: Sequence[Participant] = (),
              db: str | None = None, wall: WallClock | None = None, facilitator: str = "",
              decide_first: bool = False) -> ExerciseSession:
        """A new session in the store, started (paused) in real-time mode (`lifecycle.start_session`);
        `decide_first` plays it decide-first."""
        from krise_ovelse.store.lifecycle import start_session

        store = _open_store(db)
        with _lifecycle_errors(store):
            live = start_session(store, loaded.scenario, loaded.text, team=team, clock=wall or utc_now,
                                 participants=participants, facilitator=facilitator, mode=Mode.REAL_TIME,
                                 decide_first=decide_first)
        return cls(loaded, engine=live.engine, store=store, session_id=live.session_id, team=team)

    @classmethod
    def resume(cls, session_id: str, *, db: str | None = None, wall: WallClock | None = None) -> ExerciseSession:
        """Continue a stored session from its last committed event (the clock stays paused).

        An ended session opens unclaimed, for the evaluation after ENDEX (`lifecycle.resume_session`)."""
        from krise_ovelse.store.lifecycle import resume_session

        store = _open_store(db)
        with _lifecycle_errors(store):
            national = _national_stream(store, session_id)
            if national is not None and national[1].startswith("org."):
                return cls._join_exercise(store, (national[0], national[1][len("org."):]), wall)
            if national is not None and national[1].startswith("eval."):
                return cls._evaluate(store, (national[0], national[1][len("eval."):]), wall)
            live = resume_session(store, session_id, clock=wall or utc_now, ended_ok=True)
        loaded = LoadedScenario(live.scenario, live.text, f"session:{live.session_id}")
        session = cls(loaded, engine=live.engine, store=store, session_id=live.session_id, team=live.team)
        if session.running:
            session.handle(cmd.Pause())
        return session

    @classmethod
    def _join_exercise(cls, store: Any, national: tuple[str, str], wall: WallClock | None) -> ExerciseSession:
        """An organisation's stream in a national exercise: the console plays it through the
        organisation's client, which keeps it in step with the control cell (`national.org`)."""
        from krise_ovelse.national.org import OrgClient

        url = store.url
        store.close()
        exercise, org_id = national
        client = OrgClient(url, exercise, org_id, clock=wall or utc_now)
        try:
            client.sync()
        except BaseException:
            client.close()
            raise
        loaded = LoadedScenario(client.live.scenario, client.live.text, f"session:{client.session_id}")
        session = cls(loaded, engine=client.engine, store=client.store, session_id=client.session_id,
                      team=client.org.name)
        session._org = client
        session._synced = time.monotonic()
        return session

    @classmethod
    def _evaluate(cls, store: Any, national: tuple[str, str], wall: WallClock | None) -> ExerciseSession:
        """An evaluator's stream in a national exercise: the console shows the evaluated
        organisation live and records the evaluator's judgements in the evaluator's own stream,
        through the evaluator's client (`national.evaluator`)."""
        from krise_ovelse.national.evaluator import EvaluatorClient

        url = store.url
        store.close()
        exercise, evaluator_id = national
        client = EvaluatorClient(url, exercise, evaluator_id, clock=wall or utc_now, listen=True)
        loaded = LoadedScenario(client.scenario, client.text, f"session:{client.session_id}")
        session = cls(loaded, engine=client.engine, store=client.store, session_id=client.session_id,
                      team=client.org.name)
        session._evaluator = client
        session._synced = time.monotonic()
        return session

    @property
    def evaluating(self) -> bool:
        """An evaluator of a national exercise: only evaluation is recorded, under one name."""
        return self._evaluator is not None

    @property
    def evaluator_identity(self) -> str:
        """The evaluator this console records for, in a national exercise ('' elsewhere)."""
        return str(self._evaluator.name) if self._evaluator is not None else ""

    @classmethod
    def follow(cls, session_id: str, *, db: str | None = None) -> ExerciseSession:
        """A read-only window on a stored (possibly live) session; `poll()` picks up new events."""
        from krise_ovelse.store.lifecycle import follow_session

        store = _open_store(db, reading=True)
        with _lifecycle_errors(store):
            follower = follow_session(store, session_id)
        loaded = LoadedScenario(follower.scenario, follower.text, f"session:{follower.session_id}")
        session = cls(loaded, state=follower.state, store=store, session_id=follower.session_id, readonly=True,
                      events=follower.events, team=follower.info.team)
        session._follower = follower
        return session

    @classmethod
    def replay(cls, session_id: str, *, db: str | None = None) -> ExerciseSession:
        return cls.follow(session_id, db=db)

    @classmethod
    def from_events(cls, loaded: LoadedScenario, events: Sequence[Any], team: str = "") -> ExerciseSession:
        """A read-only session over events in memory (tests, benchmarks)."""
        parsed = [_event(e) for e in events]
        return cls(loaded, state=_fold(loaded.scenario, parsed), readonly=True, events=parsed, team=team)

    def close(self) -> None:
        """Release the stored session (a live one is left paused, to be resumed) and store its
        summary and index (`lifecycle.close_session`)."""
        if self._closed:
            return
        self._closed = True
        if self.store is None:
            return
        from krise_ovelse.store.errors import StoreError
        from krise_ovelse.store.lifecycle import close_session

        if self._org is not None:
            with contextlib.suppress(StoreError):
                self._org.close()
            return
        if self._evaluator is not None:
            with contextlib.suppress(StoreError):
                self._evaluator.close()
            return

        try:
            if not self.readonly and self.session_id is not None and self.engine is not None:
                if self.running:
                    self.handle(cmd.Pause())
                close_session(self.store, self.session_id, self.engine)
        except StoreError:
            pass
        finally:
            self.store.close()

    def _save_summary(self) -> None:
        """Store the summary and the index of an ended session now (ENDEX, and each rating
        after it), so `krise-ovelse sessions` shows them even before the console closes."""
        if self.store is None or self.session_id is None or self.engine is None:
            return
        from krise_ovelse.store.errors import StoreError
        from krise_ovelse.store.lifecycle import save_summary

        with contextlib.suppress(StoreError):  # a cache: `close` and `rescore` write it again
            save_summary(self.store, self.session_id, self.engine)

    # -- state ------------------------------------------------------------------------------

    @property
    def state(self) -> ExerciseState:
        if self.engine is not None:
            state: ExerciseState = self.engine.state
            return state
        assert self._state is not None
        return self._state

    @property
    def running(self) -> bool:
        if self._org is not None:  # the control cell's clock: keep looking for what it wrote
            return not self.state.ended
        if self._evaluator is not None:  # the organisation and the other evaluators, also after ENDEX
            return True
        return self.state.running and not self.state.ended

    @property
    def ended(self) -> bool:
        return self.state.ended

    def now_minutes(self) -> float:
        return float(self.state.scenario_minutes)

    # -- commands ---------------------------------------------------------------------------

    def handle(self, command: cmd.Command) -> Outcome:
        """Hand a command to the engine; a refusal (or a store failure) becomes its message."""
        if self.readonly or self.engine is None:
            return Outcome(False, t("session.readonly"))
        if self._org is not None and isinstance(command, CONTROL_COMMANDS):
            return Outcome(False, t("session.national_control"))
        if self._evaluator is not None:
            return self._evaluate_command(command)
        from krise_ovelse.engine.facade import CommandRefused
        from krise_ovelse.store.errors import StoreError

        try:
            events = self.engine.handle(command)
        except CommandRefused as refusal:
            return Outcome(False, refusal_message(refusal))
        except StoreError as error:
            return Outcome(False, t("session.store_failed", error=error.render()))
        if events and self.state.ended:
            self._save_summary()
        return Outcome(True, changed=bool(events))

    def _evaluate_command(self, command: cmd.Command) -> Outcome:
        """An evaluator's judgement, through the evaluator's client into the evaluator's stream;
        anything else is the organisation's or the control cell's."""
        from krise_ovelse.engine.facade import CommandRefused
        from krise_ovelse.national.evaluator import is_evaluation
        from krise_ovelse.store.errors import StoreError

        if not is_evaluation(command):
            return Outcome(False, t("session.national_evaluator"))
        try:
            events = self._evaluator.handle(command)
        except CommandRefused as refusal:
            return Outcome(False, refusal_message(refusal))
        except StoreError as error:
            return Outcome(False, t("session.store_failed", error=error.render()))
        finally:
            self._refolded()
        return Outcome(True, changed=bool(events))

    def _refolded(self) -> None:
        """After the evaluator's client read: if it folded again from the start (in position
        order), forget what was read from the old fold's events."""
        if self._evaluator.engine is not self.engine:
            self.engine = self._evaluator.engine
            self._phases, self._phase_scan = [], 0
            self._startex, self._startex_scan = None, 0

    def tick(self, real_seconds: float, *, pause_on_open: bool = False) -> Outcome:
        """Real time passes. With `pause_on_open`, the tick is cut at each stop (an inject, a
        deadline, a phase change) that falls inside it, and the clock is paused as soon as a
        decision opens: at its minute, not up to a second of play later (at ×32 that second is
        hours of scenario time, and the deadline could lapse before anyone looked). In a national
        exercise the control cell runs the clock: the tick only follows what it wrote."""
        if self._org is not None:
            return self._follow_control()
        if self._evaluator is not None:
            return self._follow_evaluated()
        if not pause_on_open or self.engine is None:
            return self.handle(cmd.Tick(real_seconds))
        left = real_seconds
        changed = False
        for _ in range(MAX_TICK_STEPS):
            state = self.state
            stop = self.engine.next_stop()
            step = left
            if stop is not None:
                to_stop = real_seconds_until(self.scenario, state.scenario_minutes + state.clock.carry, stop,
                                             state.speed)
                step = min(left, to_stop * (1 + 1e-9) + 1e-6)
            before = len(state.open_deadlines)
            opened = {d.decision_id for d in state.open_decisions()} if before else set()
            outcome = self.handle(cmd.Tick(step))
            if not outcome.ok:
                return outcome
            changed = changed or outcome.changed
            left -= step
            new = [d.decision_id for d in self.state.open_decisions() if d.decision_id not in opened]
            if new and self.running:
                paused = self.handle(cmd.Pause())
                return Outcome(paused.ok, paused.message, changed=True, paused_for=new[0])
            if left <= 1e-9 or not self.running:
                return Outcome(True, changed=changed)
        outcome = self.handle(cmd.Tick(left))
        return attrs.evolve(outcome, changed=changed or outcome.changed)

    def _follow_control(self) -> Outcome:
        """A national exercise: the control cell runs the clock. Apply what it wrote since the last
        look, on a notification, or every few seconds in case one was lost."""
        from krise_ovelse.store.errors import StoreError

        client = self._org
        woke = client.listener.wait(0) if client.listener is not None else True
        if not woke and time.monotonic() - self._synced < NATIONAL_RECHECK_SECONDS:
            return Outcome(True)
        self._synced = time.monotonic()
        try:
            applied = client.sync()
        except StoreError as error:
            return Outcome(False, t("session.store_failed", error=error.render()))
        if applied and self.state.ended:
            self._save_summary()
        return Outcome(True, changed=applied > 0)

    def _follow_evaluated(self) -> Outcome:
        """A national exercise's evaluator: fold what the organisation and the other evaluators
        stored since the last look, when the client finds something due (a notification, a
        moment after the control cell's, or every few seconds in case one was lost)."""
        from krise_ovelse.store.errors import StoreError

        try:
            arrived = self._evaluator.wait_and_sync(0)
        except StoreError as error:
            return Outcome(False, t("session.store_failed", error=error.render()))
        if arrived:
            self._refolded()
        return Outcome(True, changed=arrived > 0)

    def toggle_pause(self) -> Outcome:
        if self.state.running:
            return self.handle(cmd.Pause())
        outcome = self.handle(cmd.Resume())
        if outcome.ok and self.state.mode is not Mode.REAL_TIME:
            self.handle(cmd.SetMode(Mode.REAL_TIME))
        return outcome

    def faster(self) -> Outcome:
        return self._speed(+1)

    def slower(self) -> Outcome:
        return self._speed(-1)

    def set_speed(self, speed: float) -> Outcome:
        if speed == self.state.speed:
            return Outcome(False, t("speed.limit", speed=speed))
        return self.handle(cmd.SetSpeed(speed))

    def _speed(self, step: int) -> Outcome:
        current = self.state.speed
        index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - current))
        new = SPEEDS[max(0, min(len(SPEEDS) - 1, index + step))]
        if new == current:
            return Outcome(False, t("speed.limit", speed=new))
        return self.handle(cmd.SetSpeed(new))

    def next_inject(self, *, pause_on_open: bool = False) -> Outcome:
        before = self.state.scenario_minutes
        opened = self._open_ids()
        outcome = self._also_paused(cmd.AdvanceToNext())
        if outcome.ok and self.state.scenario_minutes == before and not outcome.changed:
            return Outcome(False, t("advance.nothing"))
        return self._pause_if_opened(outcome, opened, pause_on_open)

    def next_phase(self, *, pause_on_open: bool = False) -> Outcome:
        index = self.state.clock.phase_index
        phases = self.scenario.phases
        if index + 1 >= len(phases):
            return Outcome(False, t("phase.last"))
        opened = self._open_ids()
        return self._pause_if_opened(self._also_paused(cmd.JumpToPhase(phases[index + 1].id)), opened,
                                     pause_on_open)

    def jump_preview(self) -> JumpPreview | None:
        """What jumping to the next phase would skip and let lapse (None in the last phase), named
        as the skips and lapses will be described (`describe`)."""
        from krise_ovelse.describe import describe

        state = self.state
        lang = language()
        phases = self.scenario.phases
        index = state.clock.phase_index
        if index + 1 >= len(phases):
            return None
        target = phases[index + 1]
        now, to = state.scenario_minutes, target.starts.minutes
        skipped = []
        for inject in self.scenario.injects:
            if inject.kind is Trigger.SCHEDULED and inject.at is not None and now < inject.at.minutes < to:
                status = state.inject(inject.id)
                if status.status is InjectStatus.PENDING:
                    named = describe({"kind": "inject_skipped", "inject_id": inject.id}, self.scenario, lang,
                                     parts=True)
                    skipped.append((inject.id, neutralise(named.subject), inject.at.minutes))
        skipped.sort(key=lambda item: (item[2], item[0]))
        lapsing = []
        for decision in state.open_decisions():
            if decision.deadline is not None and decision.deadline <= to:
                default = self.scenario.decision(decision.decision_id).default
                lapse = describe({"kind": "decision_missed", "decision_id": decision.decision_id, "option_id": default},
                                 self.scenario, lang, parts=True)
                lapsing.append((decision.decision_id, neutralise(lapse.subject), default, neutralise(lapse.option)))
        return JumpPreview(phase_id=target.id, phase_title=_tr(target.title), from_minutes=now, to_minutes=to,
                           skipped=tuple(skipped), lapsing=tuple(lapsing),
                           saves=plan_seconds(self.scenario, now + state.clock.carry, to))

    def jump_to_next_phase(self, *, pause_on_open: bool = False) -> Outcome:
        """The jump `j` previews: each scheduled inject it passes over is skipped first, with a
        reason in the console's language that names the phase (the engine's own reason is
        English and names the id), then the clock jumps."""
        preview = self.jump_preview()
        if preview is None:
            return Outcome(False, t("phase.last"))
        reason = t("jump.skip_reason", phase=preview.phase_title, by=facilitator_name())
        for inject_id, _title, _minute in preview.skipped:
            outcome = self.skip(inject_id, reason)
            if not outcome.ok:
                return outcome
        return self.next_phase(pause_on_open=pause_on_open)

    def _open_ids(self) -> set[str]:
        return {d.decision_id for d in self.state.open_decisions()}

    def _pause_if_opened(self, outcome: Outcome, opened: set[str], pause_on_open: bool) -> Outcome:
        """Auto-pause after a jump of a running clock that opened a decision, as after a tick."""
        if not (outcome.ok and pause_on_open and self.running):
            return outcome
        new = [d for d in self._open_ids() if d not in opened]
        if not new:
            return outcome
        paused = self.handle(cmd.Pause())
        return attrs.evolve(outcome, paused_for=sorted(new)[0]) if paused.ok else paused

    def _also_paused(self, command: cmd.Command) -> Outcome:
        """`command` (a jump of the clock); while paused: Resume, the jump, Pause, so the clock
        stands again afterwards. No tick comes in between, so no play time passes."""
        if self.readonly or self.engine is None:
            return Outcome(False, t("session.readonly"))
        refusal = self.engine.check(command)
        if refusal is None or refusal.code != "paused":
            return self.handle(command)
        resumed = self.handle(cmd.Resume())
        if not resumed.ok:
            return resumed
        outcome = self.handle(command)
        if self.state.running and not self.state.ended:
            paused = self.handle(cmd.Pause())
            if not paused.ok and outcome.ok:
                return paused
        return outcome

    def release(self, inject_id: str) -> Outcome:
        return self.handle(cmd.ReleaseInject(inject_id, by=facilitator_name()))

    def skip(self, inject_id: str, reason: str) -> Outcome:
        return self.handle(cmd.SkipInject(inject_id, reason, by=facilitator_name()))

    def adhoc(self, inject: Any) -> Outcome:
        return self.handle(cmd.AddAdhocInject(title=inject.title, body=inject.body, channel=inject.channel,
                                              sender=inject.sender, by=facilitator_name()))

    def present(self, inject_id: str | None) -> Outcome:
        """Put an inject on the team's screen, or clear it (None); every window follows."""
        return self.handle(cmd.PresentInject(inject_id, by=facilitator_name()))

    def acknowledge(self, inject_id: str) -> Outcome:
        return self.handle(cmd.AcknowledgeInject(inject_id, by=""))

    def decide(self, decision_id: str, option_id: str, rationale: str = "", by: str = "") -> Outcome:
        return self.handle(cmd.Decide(decision_id, option_id, rationale=rationale, decided_by=by))

    def revise(self, decision_id: str, option_id: str, rationale: str = "", by: str = "") -> Outcome:
        return self.handle(cmd.ReviseDecision(decision_id, option_id, rationale=rationale, decided_by=by))

    @property
    def decide_first(self) -> bool:
        """The session is played decide-first (the team writes, a facilitator or evaluator maps)."""
        return self.state.decide_first

    def write(self, decision_id: str, text: str, rationale: str = "", by: str = "") -> Outcome:
        """Decide-first: the team's decision in its own words (no option is chosen)."""
        outcome = self.handle(cmd.WriteDecision(decision_id, text, rationale=rationale, decided_by=by))
        return attrs.evolve(outcome, note=t("decision.written_note", id=decision_id)) if outcome.ok else outcome

    def map_decision(self, decision_id: str, option_id: str, by: str, levels: Sequence[tuple[str, Any]] = (),
                     note: str = "") -> Outcome:
        """Decide-first: map a written decision to an option, or to `annet` with levels."""
        outcome = self.handle(cmd.MapDecision(decision_id, option_id, by, tuple(levels), note))
        return attrs.evolve(outcome, note=t("decision.mapped_note", id=decision_id, option=option_id)) \
            if outcome.ok else outcome

    def amend(self, decision_id: str, rationale: str, by: str) -> Outcome:
        """Correct who decided or why on the choice in force (an amending event; the original
        record stays in the log). The correction is by the console's user, the facilitator."""
        outcome = self.handle(cmd.AmendDecisionRecord(decision_id, rationale=rationale, decided_by=by,
                                                      by=facilitator_name()))
        return attrs.evolve(outcome, note=t("decision.amended", id=decision_id)) if outcome.ok else outcome

    def observe(self, observation: Any) -> Outcome:
        outcome = self.handle(cmd.AddObservation(text=observation.text, author=facilitator_name(),
                                                 criteria=tuple(observation.criteria)))
        return attrs.evolve(outcome, note=t("observe.saved")) if outcome.ok else outcome

    def rate(self, criterion_id: str, level: Any, reason: str = "", by: str = "") -> Outcome:
        """The evaluator's final rating: a confirmation (the suggested level) or an override."""
        return self.handle(cmd.RateCriterion(criterion_id, level, reason=reason, by=by or evaluator_name()))

    def can_rate(self) -> bool:
        """Whether the engine takes ratings now (also after ENDEX; not in a read-only window)."""
        if self.readonly or self.engine is None:
            return False
        criterion = next(iter(self.scenario.scoring.criteria), None) or next(iter(_criteria_ids(self.scenario)))
        refusal = self.engine.check(cmd.RateCriterion(criterion, Level.P, reason="check"))
        return refusal is None

    def unplayed(self) -> Unplayed:
        """What ENDEX now would leave unplayed: the scenario time up to the scenario's end and
        the decision points not opened yet."""
        state = self.state
        end = self.scenario.ends.minutes
        decisions = [state.decision(d.id) for d in self.scenario.decisions]
        unopened = sum(1 for d in decisions if d.status is DecisionStatus.CLOSED and d.opened_at is None)
        open_now = []
        for decision in state.open_decisions():
            d = self.scenario.decision(decision.decision_id)
            open_now.append((d.id, _tr(d.title) if d.title else _tr(d.prompt)[:60],
                             decision.deadline if decision.deadline is not None else end))
        return Unplayed(end_minutes=end, minutes_left=max(0, end - state.scenario_minutes),
                        decisions_unopened=unopened, decisions_total=len(decisions), open_now=tuple(open_now))

    def endex(self) -> Outcome:
        if self.ended:
            return Outcome(True)
        return self.handle(cmd.EndExercise())

    # -- hotwash and the participant questionnaire (after ENDEX) ------------------------------

    def note_hotwash(self, kind: str, text: str) -> Outcome:
        """A hotwash point (plus, delta or takeaway), noted by the facilitator."""
        return self.handle(cmd.NoteHotwash(kind, text, by=facilitator_name()))

    def give_feedback(self, answers: dict[str, str]) -> Outcome:
        """One participant's anonymous answers; unanswered questions are left out."""
        from krise_ovelse.report.questions import clean_answers

        cleaned = clean_answers(answers)
        if not cleaned:
            return Outcome(False, t("feedback.empty"))
        outcome = self.handle(cmd.GiveFeedback(cleaned))
        return attrs.evolve(outcome, note=t("feedback.saved")) if outcome.ok else outcome

    def _logged(self, kind: str) -> list[Any]:
        events = self.engine.events if self.engine is not None else self.events[:self.state.seq]
        return [event for event in events if getattr(event, "kind", None) == kind]

    def hotwash_entries(self) -> list[tuple[str, str]]:
        """(kind, text) of each hotwash point so far, in the order noted."""
        return [(event.entry_kind, event.text) for event in self._logged("hotwash_noted")]

    def feedback_count(self) -> int:
        return len(self._logged("feedback_given"))

    # -- follow and replay ------------------------------------------------------------------

    def poll(self) -> bool:
        """Read-only window: fold events stored since the last poll. True if any arrived.

        A new event this version cannot read leaves the window as it was (`poll_error` says why)."""
        if self._follower is None:
            return False
        from krise_ovelse.store.errors import StoreError

        try:
            new = self._follower.poll()
        except StoreError as error:
            self.poll_error = _store_message(error)
            return False
        self.poll_error = ""
        if not new:
            return False
        self._state = self._follower.state
        self.events = self._follower.events
        return True

    @property
    def step_count(self) -> int:
        return len(self.events)

    def goto(self, step: int) -> None:
        """Replay: the state after the first `step` events."""
        step = max(1, min(len(self.events), step))
        self._startex, self._startex_scan = None, 0
        current = self.state.seq
        if step >= current:
            self._state = _apply_all(self.state, self.events[current:step])
        else:
            self._state = _fold(self.scenario, self.events[:step])

    # -- what the widgets show --------------------------------------------------------------

    def participant_names(self) -> list[str]:
        session = self.state.session
        if session is None:
            return []
        return [p.name for p in session.participants]

    def snapshot(self, view: str = FACILITATOR) -> Snapshot:
        state = self.state
        scenario = self.scenario
        minutes = state.scenario_minutes
        phase = state.phase
        moment = scenario.calendar(minutes)
        calendar = format_date(moment) if moment is not None else ""
        clock = ClockView(minutes=minutes, phase_id=phase.id, phase_title=_tr(phase.title),
                          running=state.running, speed=state.speed, ended=state.ended, calendar=calendar,
                          compression=phase.compression, exercise_seconds=state.exercise_seconds)
        feed = self._feed()
        open_decisions = tuple(v for d in state.open_decisions()
                               if (v := self.decision_view(d.decision_id, view)) is not None)
        awaiting = tuple(v for w in state.awaiting_mapping()
                         if (v := self.decision_view(w.decision_id, view)) is not None)
        indicators = tuple(
            self.indicator_view(ind.id, minutes) for ind in scenario.indicators
            if ind.visible or view == FACILITATOR)
        log = self.log_entries()
        upcoming = self.upcoming() if view == FACILITATOR else ()
        observations = tuple(
            ObservationView(o.text, o.criteria, o.scenario_minutes, author=o.author)
            for o in state.observations) if view == FACILITATOR else ()
        presented = self.inject_record(state.presented) if state.presented else None
        return Snapshot(clock=clock, feed=feed, open_decisions=open_decisions, indicators=indicators,
                        log=log, upcoming=upcoming, observations=observations, seq=state.seq, presented=presented,
                        awaiting=awaiting, decide_first=state.decide_first)

    def indicator_view(self, indicator_id: str, end: float | None = None, points: int = SPARK_POINTS) -> IndicatorView:
        ind = self.scenario.indicator(indicator_id)
        state = self.state
        history = state.indicator_history(indicator_id)
        end_minutes = float(state.scenario_minutes) if end is None else end
        return IndicatorView(id=ind.id, name=_tr(ind.name), value=state.indicator(ind.id), minimum=ind.min,
                             maximum=ind.max, good=ind.good, visible=ind.visible,
                             history=sample_history(history, end_minutes, points), unit=ind.unit)

    def _feed(self) -> tuple[FeedItem, ...]:
        """Released injects and the phases begun (those with a summary), newest first."""
        items = [self._feed_item(s.inject_id) for s in self.state.released_injects()]
        phases = [self.phase_item(phase_id, minute) for _, minute, phase_id in self.phases_begun()
                  if self.scenario.phase(phase_id).summary]
        if not phases:
            return tuple(reversed(items))
        merged: list[FeedItem] = []
        queue = list(phases)
        for item in items:  # in release order; a phase begins before the injects of its minute
            while queue and queue[0].minutes <= item.minutes:
                merged.append(queue.pop(0))
            merged.append(item)
        merged.extend(queue)
        return tuple(reversed(merged))

    def phases_begun(self) -> list[tuple[int, int, str]]:
        """(seq, scenario minute, phase id) of each phase begun up to the state shown: the first
        at the session's start, the others at their `phase_changed` events (a phase jumped
        over is not begun)."""
        events: Sequence[Any] = self.engine.events if self.engine is not None else self.events
        for index in range(self._phase_scan, len(events)):
            event = events[index]
            if event.kind == "session_started" and self.scenario.phases:
                self._phases.append((event.seq, event.scenario_minutes, self.scenario.phases[0].id))
            elif event.kind == "phase_changed":
                self._phases.append((event.seq, event.scenario_minutes, event.phase_id))
        self._phase_scan = len(events)
        seq = self.state.seq
        return [p for p in self._phases if p[0] <= seq]

    def phase_item(self, phase_id: str, minutes: float) -> FeedItem:
        """A phase's beginning, as the feed shows it: its title and its summary."""
        phase = self.scenario.phase(phase_id)
        return FeedItem(inject_id=PHASE_PREFIX + phase.id, minutes=float(minutes), channel=None, sender="",
                        title=_tr(phase.title), body=_tr(phase.summary), unread=False, kind="phase")

    def _feed_item(self, inject_id: str) -> FeedItem:
        item = self.inject_record(inject_id)
        assert item is not None
        return item

    def inject_record(self, inject_id: str) -> FeedItem | None:
        """An inject (scenario or ad-hoc) with its status, for the feed or a preview; or the
        beginning of a phase (`phase:ID`) as the feed shows it."""
        if inject_id.startswith(PHASE_PREFIX):
            begun = {phase_id: minute for _, minute, phase_id in self.phases_begun()}
            phase_id = inject_id[len(PHASE_PREFIX):]
            return self.phase_item(phase_id, begun[phase_id]) if phase_id in begun else None
        state = self.state
        try:
            status = state.inject(inject_id)
        except KeyError:
            status = None
        unread = status is not None and status.status is InjectStatus.RELEASED
        minutes = float(status.released_at) if status is not None and status.released_at is not None else -1.0
        if self.scenario.has_inject(inject_id):
            inj = self.scenario.inject(inject_id)
            if minutes < 0:
                minutes = float(inj.at.minutes) if inj.at is not None else float(state.scenario_minutes)
            return FeedItem(
                inject_id=inj.id, minutes=minutes, channel=inj.channel, sender=inj.sender, title=_tr(inj.title),
                body=_tr(inj.body), unread=unread, notes=_tr(inj.facilitator_notes),
                expected=tuple(_tr(a) for a in inj.expected_actions), criteria=inj.criteria, to=self._roles(inj.to),
                opens=tuple(d.id for d in self.scenario.decisions_opened_by(inj.id)))
        adhoc = next((a for a in state.adhoc_injects() if a.inject_id == inject_id), None)
        if adhoc is None:
            return None
        return FeedItem(inject_id=adhoc.inject_id, minutes=minutes if minutes >= 0 else float(adhoc.created_at),
                        channel=adhoc.channel, sender=adhoc.sender, title=adhoc.title, body=adhoc.body,
                        unread=unread, adhoc=True, to=self._roles(adhoc.to))

    def _roles(self, ids: Iterable[str]) -> tuple[str, ...]:
        names = {r.id: _tr(r.name) for r in self.scenario.roles}
        return tuple(names.get(i, i) for i in ids)

    def real_seconds_left(self, deadline_minutes: float) -> float:
        """Real seconds until scenario minute `deadline_minutes` at the current speed."""
        state = self.state
        return real_seconds_until(self.scenario, state.scenario_minutes + state.clock.carry, deadline_minutes,
                                  state.speed)

    def startex_wall(self) -> dt.datetime | None:
        """When the clock first started (the first `resumed` event), from the stored events."""
        if self._startex is None:
            events: Sequence[Any] = self.engine.events if self.engine is not None else self.events
            for index in range(self._startex_scan, min(len(events), self.state.seq)):
                if events[index].kind == "resumed":
                    with contextlib.suppress(ValueError):
                        self._startex = dt.datetime.fromisoformat(events[index].wall)
                    break
            else:
                self._startex_scan = min(len(events), self.state.seq)
        return self._startex

    def pacing(self, now: dt.datetime | None = None) -> Pacing:
        """Where the exercise stands against its plan; `now` is the wall clock (a replay uses
        the time of the event shown)."""
        state = self.state
        position = state.scenario_minutes + state.clock.carry
        startex = self.startex_wall()
        if now is None and state.wall:
            with contextlib.suppress(ValueError):
                now = dt.datetime.fromisoformat(state.wall)
        elapsed = max(0.0, (now - startex).total_seconds()) if startex is not None and now is not None else None
        phase_windows = windows(self.scenario)
        window = phase_windows[state.clock.phase_index]
        first = phase_windows[0].start if phase_windows else 0
        following = phase_windows[window.index + 1] if window.index + 1 < len(phase_windows) else None
        return Pacing(
            elapsed=elapsed, played=state.exercise_seconds,
            plan_total=plan_seconds(self.scenario, first, self.scenario.ends.minutes),
            plan_used=plan_seconds(self.scenario, first, position),
            phase_id=window.phase_id,
            phase_plan=plan_seconds(self.scenario, window.start, window.end),
            phase_used=plan_seconds(self.scenario, window.start, position),
            speed=state.speed, phase_minutes_left=max(0.0, window.end - position),
            next_phase=following.phase_id if following is not None else None)

    def decision_view(self, decision_id: str, view: str = FACILITATOR) -> DecisionView | None:
        """A decision as `view` may see it: in the team's view of a decide-first session its
        options are left out until the decision is mapped."""
        if not self.scenario.has_decision(decision_id):
            return None
        d = self.scenario.decision(decision_id)
        state = self.state
        ds = state.decision(decision_id)
        written = state.written_decision(decision_id)
        hidden = view != FACILITATOR and state.options_hidden(decision_id)
        opened = float(ds.opened_at) if ds.opened_at is not None else float(self.state.scenario_minutes)
        deadline = float(ds.deadline) if ds.deadline is not None else opened + d.deadline.minutes
        record = None
        if ds.status is DecisionStatus.DECIDED:
            record = next((r for r in reversed(self.state.decision_history) if r.decision_id == decision_id), None)
        return DecisionView(decision_id=d.id, title=_tr(d.title), prompt=_tr(d.prompt), opened_minutes=opened,
                            deadline_minutes=deadline, category=d.category.value,
                            options=() if hidden else tuple((o.id, _tr(o.text)) for o in d.options),
                            default="" if hidden else d.default,
                            chosen=ds.option_id if ds.status in (DecisionStatus.DECIDED, DecisionStatus.MISSED)
                            else None, missed=ds.missed,
                            decided_by=record.decided_by if record is not None else "",
                            rationale=record.rationale if record is not None else "",
                            real_seconds_left=self.real_seconds_left(deadline) if ds.is_open else None,
                            clock_running=self.running, decide_first=state.decide_first, status=ds.status.value,
                            written=written.text if written is not None else "",
                            written_by=written.decided_by if written is not None else "",
                            written_rationale=written.rationale if written is not None else "",
                            written_minutes=float(written.scenario_minutes) if written is not None else None,
                            mapped=written.mapped_option if written is not None else None,
                            criteria=() if hidden or not state.decide_first else self._mapping_criteria(decision_id))

    def _mapping_criteria(self, decision_id: str) -> tuple[tuple[str, str], ...]:
        """The criteria a mapping to `annet` can rate: those the decision's options name, then
        the others the scenario tests, each with its name."""
        d = self.scenario.decision(decision_id)
        names = dict(self.criteria_choices())
        ids = list(dict.fromkeys([*(c for o in d.options for c in o.evidence), *self.scenario.scoring.criteria]))
        return tuple((c, names.get(c, c)) for c in ids)

    def consequence(self, decision_id: str, option_id: str) -> str:
        """The option's `consequence` text (what the team is told after choosing it), or ''."""
        if not self.scenario.has_decision(decision_id):
            return ""
        option = self.scenario.decision(decision_id).option(option_id)
        return _tr(option.consequence) if option is not None else ""

    def log_entries(self) -> tuple[LogEntry, ...]:
        """The decision log: each choice, revision and lapsed deadline, in the describer's words
        (`describe`), with who and why as they stand after any correction."""
        from krise_ovelse.describe import describe

        history = self.state.history()
        last_index = {r.decision_id: i for i, r in enumerate(history)}
        lang = language()
        entries: list[tuple[int, LogEntry]] = []
        #: the team's words behind a choice mapped from them (its decision_made follows the mapping)
        words = {w.mapped_seq + 1: w.text for w in self.state.written if w.mapped_seq is not None}
        for written in self.state.written:
            # decide-first: a mapping that applied no option (annet, or after ENDEX) is not in
            # the choice history; the log shows it with the team's own words
            if written.mapped_option is None or (written.mapped_seq is not None and any(
                    r.decision_id == written.decision_id and r.seq == written.mapped_seq + 1 for r in history)):
                continue
            described = describe({"kind": "decision_written", "decision_id": written.decision_id,
                                  "decided_by": written.decided_by}, self.scenario, lang, parts=True)
            entries.append((written.mapped_seq or written.seq, LogEntry(
                decision_id=written.decision_id, title=neutralise(described.subject),
                option_id=written.mapped_option, option_text="", own_words=written.text,
                minutes=float(written.mapped_minutes if written.mapped_minutes is not None
                              else written.scenario_minutes),
                rationale=written.rationale, decided_by=neutralise(described.by),
                current=written.decision_id not in last_index)))
        for index, record in enumerate(history):
            kind = "decision_missed" if record.missed else "decision_revised" if record.revision else "decision_made"
            described = describe({"kind": kind, "decision_id": record.decision_id, "option_id": record.option_id,
                                  "decided_by": record.decided_by, "rationale": record.rationale},
                                 self.scenario, lang, parts=True)
            option = self.scenario.decision(record.decision_id).option(record.option_id) \
                if self.scenario.has_decision(record.decision_id) else None
            entries.append((record.seq, LogEntry(
                decision_id=record.decision_id, title=neutralise(described.subject), option_id=record.option_id,
                option_text=neutralise(described.option), minutes=float(record.scenario_minutes),
                rationale=record.rationale, decided_by=neutralise(described.by), missed=record.missed,
                revision=record.revision,
                current=last_index[record.decision_id] == index,
                consequence=_tr(option.consequence) if option is not None else "",
                amendments=record.amendments, own_words=words.get(record.seq, ""))))
        if self.state.written:
            entries.sort(key=lambda pair: pair[0])
        return tuple(entry for _seq, entry in entries)

    def upcoming(self, limit: int = 30) -> tuple[UpcomingItem, ...]:
        """The dreiebok from now: pending scheduled injects in time order, follow-ups, then
        conditional and manual ones."""
        state = self.state
        timed: list[tuple[float, str]] = []
        later: list[str] = []
        follow = dict(state.scheduled_follow_ups())
        for status in state.inject_states():
            if status.status is not InjectStatus.PENDING or not self.scenario.has_inject(status.inject_id):
                continue
            inj = self.scenario.inject(status.inject_id)
            if status.inject_id in follow:
                timed.append((float(follow[status.inject_id]), inj.id))
            elif inj.kind is Trigger.SCHEDULED and inj.at is not None:
                timed.append((float(inj.at.minutes), inj.id))
            elif inj.kind in (Trigger.MANUAL, Trigger.CONDITIONAL):
                later.append(inj.id)
        timed.sort()
        items = [self._upcoming_item(i, m) for m, i in timed]
        items += [self._upcoming_item(i, None) for i in later]
        return tuple(items[:limit])

    def _upcoming_item(self, inject_id: str, minutes: float | None) -> UpcomingItem:
        inj = self.scenario.inject(inject_id)
        return UpcomingItem(inject_id=inj.id, minutes=minutes, kind=inj.kind.value, title=_tr(inj.title),
                            sender=inj.sender, channel=inj.channel)

    def releasable(self) -> tuple[UpcomingItem, ...]:
        """Pending injects the facilitator may release now: manual ones first, then the rest."""
        items = self.upcoming(limit=10_000)
        manual = [i for i in items if i.kind == Trigger.MANUAL.value]
        return tuple(manual + [i for i in items if i.kind != Trigger.MANUAL.value])

    def skippable(self) -> tuple[UpcomingItem, ...]:
        return self.upcoming(limit=10_000)

    def criteria_choices(self) -> list[tuple[str, str]]:
        from krise_ovelse.catalogue import load_catalogue
        from krise_ovelse.scoring.ratings import criterion_info

        catalogue = load_catalogue()
        ids = list(self.scenario.scoring.criteria)
        for decision in self.scenario.decisions:
            for option in decision.options:
                ids.extend(c for c in option.evidence if c not in ids)
        ids.extend(c.id for c in catalogue.criteria if c.id not in ids)
        return [(cid, _tr(criterion_info(cid, self.scenario, catalogue).name)) for cid in ids]

    # -- scoring and the report ---------------------------------------------------------------

    def scoring_record(self) -> Any:
        """The scoring record of the events so far (in a replay: up to the current step), as the
        store and the report build it."""
        from krise_ovelse.scoring.adapter import scoring_input_from_events

        events = self.engine.events if self.engine is not None else self.events[:self.state.seq]
        return scoring_input_from_events(self.scenario, events)

    def score(self) -> Any:
        from krise_ovelse.scoring.ratings import score

        return score(self.scenario, self.scoring_record())

    def session_meta(self) -> Any:
        from krise_ovelse.report import SessionMeta

        participants: tuple[str, ...] = ()
        facilitator = ""
        if self.state.session is not None:
            participants = tuple(participant_label(p, self.scenario) for p in self.state.session.participants)
            facilitator = self.state.session.facilitator
        date = self.state.wall[:10] if self.state.wall else ""
        return SessionMeta(session_id=self.session_id or "", team=self.team, participants=participants,
                           facilitator=facilitator, date=date,
                           status="ended" if self.ended else "running")


# --- the store and the engine --------------------------------------------------------------------


def _national_stream(store: Any, session_id: str) -> tuple[str, str] | None:
    """(exercise, stream) if `session_id` is a stream of a national exercise on a shared store
    (`org.ID` an organisation's, `eval.ID` an evaluator's)."""
    execute = getattr(store, "execute", None)
    if execute is None:
        return None
    rows = execute("SELECT exercise_id, stream FROM sessions WHERE id = %s", (store.resolve(session_id),))
    if not rows or not rows[0][0] or not rows[0][1]:
        return None
    return str(rows[0][0]), str(rows[0][1])


def _open_store(db: str | None, reading: bool = False) -> Any:
    from krise_ovelse.store.backend import open_store
    from krise_ovelse.store.errors import StoreError

    try:
        return open_store(db, reading=reading)
    except StoreError as error:
        raise SessionError(error.render()) from None


@contextlib.contextmanager
def _lifecycle_errors(store: Any) -> Iterator[None]:
    """A lifecycle StoreError as a SessionError in the console's language; the store is closed."""
    from krise_ovelse.store.errors import StoreError

    try:
        yield
    except StoreError as error:
        store.close()
        raise SessionError(_store_message(error)) from None
    except BaseException:
        store.close()
        raise


def _store_message(error: Any) -> str:
    """A store error for the facilitator, in the console's language where it is a known one."""
    from krise_ovelse.store.errors import SessionHeld, UnknownSession

    if isinstance(error, UnknownSession):
        return t("session.unknown", id=error.session_id)
    if isinstance(error, SessionHeld):
        return t("session.open_elsewhere", id=error.session_id, owner=error.owner)
    return t("session.store_error", error=error.render())


def _event(data: Any) -> Any:
    from krise_ovelse.engine.events import Event, event_from_dict

    return data if isinstance(data, Event) else event_from_dict(data)


def _criteria_ids(scenario: Scenario) -> frozenset[str]:
    from krise_ovelse.store.lifecycle import criteria_ids

    return criteria_ids(scenario)



def _fold(scenario: Scenario, events: Sequence[Any]) -> ExerciseState:
    from krise_ovelse.engine.apply import initial_state

    return _apply_all(initial_state(scenario), events)


def _apply_all(state: ExerciseState, events: Iterable[Any]) -> ExerciseState:
    from krise_ovelse.engine.apply import apply_event

    for event in events:
        state = apply_event(state, event)
    return state


def refusal_message(error: CommandRefused) -> str:
    """The refusal in the console's language (by its stable code), else the engine's words."""
    key = f"refused.{error.code}"
    return t(key) if has(key) else error.reason
