"""The engine: checks commands, turns them into events, hands them to the sink, then applies them.

`Engine.handle(command)` either raises `CommandRefused` (and nothing happens) or returns the
events the command caused. It computes them by applying each new event to a scratch copy of
the state as it goes, so later events see earlier ones (a release opens a decision, whose
choice schedules a follow-up …). The sink (the store) gets the whole batch before the engine
adopts it; if the sink raises, the engine is unchanged.

Time moves only here, in whole scenario minutes, and stops at every point where something is
due (see `_Run.next_stop`), so each event carries the minute it really happened at.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn, overload

import attrs

from krise_ovelse.engine import commands as commands_module
from krise_ovelse.engine.apply import HANDLERS, apply_event, initial_state
from krise_ovelse.engine.commands import (
    COMMAND_TYPES,
    AcknowledgeInject,
    AddAdhocInject,
    AddObservation,
    Advance,
    AdvanceToDecision,
    AdvanceToNext,
    AmendDecisionRecord,
    Command,
    Decide,
    EndExercise,
    JumpToPhase,
    MarkInjectDone,
    Pause,
    RateCriterion,
    ReleaseInject,
    Resume,
    ReviseDecision,
    SetMode,
    SetSpeed,
    SkipInject,
    StartSession,
    Tick,
)
from krise_ovelse.engine.events import (
    AdhocInjectAdded,
    ClockAdvanced,
    ClockJumped,
    CriterionRated,
    DecisionMade,
    DecisionMissed,
    DecisionOpened,
    DecisionRecordAmended,
    DecisionRevised,
    Event,
    EventFormatError,
    InjectAcknowledged,
    InjectDone,
    InjectReleased,
    InjectSkipped,
    ModeChanged,
    ObservationAdded,
    OptionApplied,
    Paused,
    PhaseChanged,
    Resumed,
    SessionEnded,
    SessionStarted,
    SpeedChanged,
    make_event,
)
from krise_ovelse.engine.plan import DepKey, Plan, drift_value
from krise_ovelse.engine.predict import first_time, varies
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.engine.values import (
    DecisionStatus,
    EndReason,
    InjectStatus,
    JumpReason,
    Mode,
    Participant,
    ReleaseSource,
)
from krise_ovelse.model.conditions import evaluate, holds
from krise_ovelse.model.scenario import Channel, Level, Scenario

Clock = Callable[[], dt.datetime]
Sink = Callable[[Sequence[Event]], None]

#: Real-time speed factors the engine accepts: above 0, at most this.
MAX_SPEED = 100.0
#: The longest single tick (a day): longer ones are almost certainly a bug in the caller.
MAX_TICK_SECONDS = 86_400.0


class CommandRefused(Exception):
    """The command does not fit the current state; no event was produced.

    `code` is stable (for tests and translations), `reason` a sentence in English for people.
    Codes: not_started, already_started, ended, paused, already_running, wrong_mode, bad_value,
    no_change, unknown_command, unknown_phase, backwards, unknown_inject, bad_status,
    unknown_decision, unknown_option, not_open, not_decided, unknown_criterion.
    """

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _refuse(code: str, reason: str) -> NoReturn:
    raise CommandRefused(code, reason)


class EventLog(Sequence[Event]):
    """A read-only, live view of the engine's events (no copy per access)."""

    __slots__ = ("_events",)

    def __init__(self, events: list[Event]) -> None:
        self._events = events

    def __len__(self) -> int:
        return len(self._events)

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Event]: ...

    def __getitem__(self, index: int | slice) -> Event | Sequence[Event]:
        if isinstance(index, slice):
            return tuple(self._events[index])
        return self._events[index]

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __repr__(self) -> str:
        return f"EventLog({len(self._events)} events)"


class Engine:
    """One exercise session.

    `Engine(scenario, clock=…, sink=…)` starts empty (the first command must be
    `StartSession`; `Engine.start` does both); `Engine(scenario, events=stored, …)` resumes
    by folding stored events without calling the sink. `criteria`, if given, is the set of
    criterion ids that observations and ratings may name (the catalogue's plus the scenario's).
    """

    def __init__(self, scenario: Scenario, *, clock: Clock, sink: Sink | None = None,
                 events: Sequence[Event] = (), criteria: frozenset[str] | set[str] | None = None) -> None:
        self.scenario = scenario
        self._clock = clock
        self._sink = sink
        self._criteria = None if criteria is None else frozenset(criteria)
        state = initial_state(scenario)
        for event in events:
            state = apply_event(state, event)
        if state.session is not None and state.session.scenario_id != scenario.id:
            raise EventFormatError(f"the events are of scenario {state.session.scenario_id!r}, not {scenario.id!r}")
        self._state = state
        self._events: list[Event] = list(events)
        self._watch: _Watch | None = None
        self._wall_cache: tuple[dt.datetime, str] | None = None
        self._parsed_wall: tuple[str, dt.datetime] | None = None

    @classmethod
    def start(cls, scenario: Scenario, *, team: str, clock: Clock, participants: Sequence[Any] = (),
              facilitator: str = "", mode: Mode = Mode.PACED, seed: int = 0, sink: Sink | None = None,
              criteria: frozenset[str] | set[str] | None = None) -> Engine:
        """A new session: the engine plus its `session_started` event (given to the sink)."""
        engine = cls(scenario, clock=clock, sink=sink, criteria=criteria)
        engine.handle(StartSession(team, tuple(participants), facilitator, mode, seed))
        return engine

    @property
    def state(self) -> ExerciseState:
        return self._state

    @property
    def events(self) -> EventLog:
        return EventLog(self._events)

    # --- commands ----------------------------------------------------------------------------

    def check(self, command: Command) -> CommandRefused | None:
        """The refusal `handle(command)` would raise, or None; changes nothing, calls nothing."""
        try:
            self._validate(command)
        except CommandRefused as refusal:
            return refusal
        return None

    def handle(self, command: Command) -> tuple[Event, ...]:
        """Check `command`, compute its events, give them to the sink, then adopt them."""
        handler = self._validate(command)
        now, wall = self._now()
        state = self._state
        run = _Run(self, state, wall, self._exercise_seconds(state, now))
        try:
            handler(run, command)
            events = tuple(run.events)
            if self._sink is not None and events:
                self._sink(events)
        except BaseException:
            self._watch = None  # the scheduler's cache may describe the abandoned state
            raise
        self._state = run.state
        self._events.extend(events)
        self._watch = run.watch
        return events

    def tick(self, real_seconds: float) -> tuple[Event, ...]:
        """`handle(Tick(real_seconds))` when the clock runs in real time; else nothing, no error.

        For a console timer that ticks regardless of pauses and modes.
        """
        state = self._state
        if not state.started or state.ended or not state.running or state.mode is not Mode.REAL_TIME:
            return ()
        return self.handle(Tick(real_seconds))

    def next_stop(self) -> int | None:
        """The scenario minute at which something next happens, if time runs on (None if ended)."""
        if self._state.ended or not self._state.started:
            return None
        run = _Run(self, self._state, self._state.wall, self._state.exercise_seconds)
        run.refresh()
        return run.next_stop()

    # --- internals ---------------------------------------------------------------------------

    def _validate(self, command: Command) -> Callable[[_Run, Any], None]:
        entry = _COMMANDS.get(type(command))
        if entry is None:
            _refuse("unknown_command", f"not a command: {type(command).__name__}")
        _check_text_fields(command)
        state = self._state
        if type(command) is StartSession:
            if state.started:
                _refuse("already_started", "the session has already started")
        elif not state.started:
            _refuse("not_started", "the session has not started; start it first")
        elif state.ended and type(command) not in AFTER_ENDEX:
            _refuse("ended", "the exercise has ended (ENDEX); only evaluation (ratings, observations) goes on")
        check, run = entry
        check(state, command, self)
        return run

    def _now(self) -> tuple[dt.datetime, str]:
        now = self._clock()
        cache = self._wall_cache
        if cache is not None and cache[0] is now:
            return now, cache[1]
        if not isinstance(now, dt.datetime) or now.utcoffset() is None:
            raise ValueError("the engine's clock must return a timezone-aware datetime")
        wall = now.isoformat()
        self._wall_cache = (now, wall)
        return now, wall

    def _exercise_seconds(self, state: ExerciseState, now: dt.datetime) -> float:
        """Seconds of play at `now`: in paced mode the wall time since the last event counts while
        the clock runs; in real-time mode only ticks count (they carry their own seconds)."""
        seconds = state.exercise_seconds
        if state.running and state.mode is Mode.PACED and state.wall:
            cache = self._wall_cache
            if cache is not None and cache[0] is now and cache[1] == state.wall:
                return seconds  # the clock has not moved since the last event
            parsed = self._parsed_wall
            if parsed is None or parsed[0] != state.wall:
                parsed = (state.wall, dt.datetime.fromisoformat(state.wall))
                self._parsed_wall = parsed
            delta = (now - parsed[1]).total_seconds()
            if delta > 0:
                seconds += delta
        return seconds

    def _watch_for(self, state: ExerciseState) -> _Watch:
        if self._watch is None:
            self._watch = _Watch(state.plan)
        return self._watch


class _Watch:
    """The scheduler's memory of conditional injects: which need a fresh look (`dirty`) and,
    for the others, the minute their condition will first hold if time just runs on (`due`).

    Pure cache: a conditional is re-examined whenever something it reads changes (by the
    dependency keys of `Plan`), or everything after a phase change or jump. Dropping the cache
    (after a failed sink, on resume) only costs time; the events come out the same.
    """

    __slots__ = ("dirty", "due", "parked", "plan")

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.dirty: set[int] = set(plan.conditional_indices)
        self.due: dict[int, int] = {}
        #: Conditions held false by a part that does not move with time: only these keys matter.
        self.parked: dict[int, frozenset[DepKey]] = {}

    def _mark(self, key: DepKey) -> None:
        parked = self.parked
        for index in self.plan.dependents.get(key, ()):
            keys = parked.get(index)
            if keys is None or key in keys:
                self.dirty.add(index)

    def touch(self, event: Event, flags_before: frozenset[str], flags_after: frozenset[str]) -> None:
        """Mark what `event` may have made true (a flag counts only if it really changed)."""
        plan = self.plan
        kind = type(event)
        if kind is ClockAdvanced:
            return  # drift is what `due` predicts
        if kind is InjectReleased or kind is InjectSkipped:
            inject_id = event.inject_id  # type: ignore[attr-defined]
            if self.due:
                index = plan.inject_index.get(inject_id)
                if index is not None:
                    self.due.pop(index, None)
            key = ("released", inject_id)
            if key in plan.dependents:
                self._mark(key)
        elif isinstance(event, OptionApplied):
            self._mark(("decision", event.decision_id))
            for indicator_id, _value in event.values:
                self._mark(("ind", indicator_id))
            if flags_before is not flags_after:
                for flag in flags_before ^ flags_after:
                    self._mark(("flag", flag))
        elif kind is PhaseChanged or kind is ClockJumped or kind is SessionStarted:
            self.dirty = set(plan.conditional_indices)
            self.due.clear()
            self.parked.clear()


class _Run:
    """One command's work: a scratch state, the events so far, and the clock procedures."""

    def __init__(self, engine: Engine, state: ExerciseState, wall: str, exercise_seconds: float) -> None:
        self.engine = engine
        self.plan = state.plan
        self.state = state
        self.wall = wall
        self.seconds = exercise_seconds
        self.events: list[Event] = []
        self.watch = engine._watch_for(state)
        self.conditional = bool(self.plan.conditionals)
        self.opened = 0  # decisions opened so far by this command

    @property
    def minute(self) -> int:
        return self.state.scenario_minutes

    def emit(self, cls: type[Event], minute: int | None = None, **payload: Any) -> None:
        state = self.state
        last = state.last
        payload["seq"] = 1 if last is None else last.seq + 1
        payload["scenario_minutes"] = (0 if last is None else last.scenario_minutes) if minute is None else minute
        payload["exercise_seconds"] = self.seconds
        payload["wall"] = self.wall
        event = make_event(cls, payload)
        self.state = new = HANDLERS[cls](state, event)
        self.events.append(event)
        if self.conditional:
            self.watch.touch(event, state.flags, new.flags)

    # --- what is due when --------------------------------------------------------------------

    def next_stop(self) -> int:
        """The next minute after now at which something is due; at the latest the end of play."""
        state = self.state
        plan = self.plan
        minute = state.scenario_minutes
        best = plan.ends
        phase_index = state.clock.phase_index
        phase = plan.phases[phase_index]
        if phase.ends is not None and minute < phase.ends.minutes < best:
            best = phase.ends.minutes
        if phase_index + 1 < len(plan.phases) and plan.phase_starts[phase_index + 1] < best:
            best = plan.phase_starts[phase_index + 1]
        times = plan.schedule_times
        position = bisect_right(times, minute)
        injects = state.injects
        while position < len(times) and times[position] < best:
            if injects[plan.schedule_indices[position]].status is InjectStatus.PENDING:
                best = times[position]
                break
            position += 1
        if state.follow_ups and state.follow_ups[0][0] < best:
            best = state.follow_ups[0][0]
        if state.open_deadlines and state.open_deadlines[0][0] < best:
            best = state.open_deadlines[0][0]
        for due in self.watch.due.values():
            if due < best:
                best = due
        return max(best, minute + 1)

    # --- moving the clock --------------------------------------------------------------------

    def move(self, to: int, carry: float) -> None:
        """Emit `clock_advanced` to minute `to`, with the drift of the current phase."""
        state = self.state
        minute = state.scenario_minutes
        values: list[tuple[str, float]] = []
        if to != minute:
            plan = self.plan
            phase_index = state.clock.phase_index
            rates = plan.rates[phase_index]
            ind = state.indicators
            for n in plan.drifting[phase_index]:
                anchor_at, anchor_value = ind.anchors[n]
                low, high = plan.bounds[n]
                value = drift_value(anchor_value, rates[n], to - anchor_at, low, high)
                if value != ind.values[n]:
                    values.append((plan.indicator_ids[n], value))
            values.sort()
        self.emit(ClockAdvanced, minute=to, from_minute=minute, carry=carry, values=tuple(values))

    def advance_to(self, target: int, stop: int | None = None, until_decision: bool = False) -> None:
        """Move to `target`, stopping wherever something is due on the way (`stop`: the first
        such minute, if the caller already knows it); with `until_decision`, end the move at
        the first minute where a decision opened."""
        if self.watch.dirty:
            self.settle()  # after a resume the scheduler first re-reads every condition
            stop = None
            if until_decision and self.opened:
                return
        while not self.state.clock.ended and self.state.scenario_minutes < target:
            if stop is None:
                stop = self.next_stop()
            to = min(stop, target)
            self.move(to, self.state.clock.carry)
            if to == stop:
                opened = self.opened
                self.arrive()
                if until_decision and self.opened != opened:
                    return
            stop = None

    def tick(self, real_seconds: float) -> None:
        """Real-time mode: play `real_seconds`, at each phase's compression times the speed."""
        remaining = real_seconds
        plan = self.plan
        if self.watch.dirty:
            self.settle()
        while remaining > 1e-9 and not self.state.clock.ended:
            clock = self.state.clock
            per_second = plan.phases[clock.phase_index].compression * clock.speed / 60.0
            position = self.minute + clock.carry
            stop = self.next_stop()
            reach = position + remaining * per_second
            if reach >= stop:
                used = (stop - position) / per_second
                remaining -= used
                self.seconds += used
                self.move(stop, 0.0)
                self.arrive()
            else:
                whole = math.floor(reach)
                self.seconds += remaining
                remaining = 0.0
                self.move(whole, reach - whole)

    def jump(self, to: int, reason: JumpReason, where: str) -> None:
        """Jump to minute `to` (no drift); scheduled injects in between are skipped."""
        minute = self.minute
        plan = self.plan
        for position in plan.scheduled_between(minute + 1, to - 1):
            index = plan.schedule_indices[position]
            inject = self.state.injects[index]
            if inject.status is InjectStatus.PENDING:
                reason_text = f"passed over by the jump to {where}"
                self.emit(InjectSkipped, inject_id=inject.inject_id, reason=reason_text, by="")
        self.emit(ClockJumped, minute=to, from_minute=minute, reason=reason)

    def arrive(self) -> None:
        """Everything due at the current minute, in a fixed order: phase change, deadlines,
        scheduled injects, follow-ups, conditions; then the end of play or a phase's jump."""
        plan = self.plan
        starts = plan.phase_starts
        while True:
            minute = self.state.scenario_minutes
            current = self.state.clock.phase_index
            if current + 1 < len(starts) and minute >= starts[current + 1]:
                target = plan.phase_at(minute)
                self.emit(PhaseChanged, phase_id=plan.phases[target].id, previous_phase_id=plan.phases[current].id)
            self.settle()
            if self.state.clock.ended:
                return
            if minute >= plan.ends:
                self.emit(SessionEnded, reason=EndReason.SCENARIO_END, note="")
                return
            phase_index = self.state.clock.phase_index
            phase = plan.phases[phase_index]
            if phase.ends is None or minute < phase.ends.minutes:
                return
            has_next = phase_index + 1 < len(plan.phases)
            to = plan.phase_starts[phase_index + 1] if has_next else plan.ends
            where = f"phase {plan.phases[phase_index + 1].id}" if has_next else "the end"
            self.jump(to, JumpReason.PHASE_END, where)

    def settle(self) -> None:
        """Release what is due now (never moves the clock)."""
        plan = self.plan
        state = self.state
        minute = state.scenario_minutes
        if state.open_deadlines and state.open_deadlines[0][0] <= minute:
            while self.state.open_deadlines and self.state.open_deadlines[0][0] <= minute:
                index = self.state.open_deadlines[0][1]
                self.apply_option(index, plan.decisions[index].default, DecisionMissed)
        times = plan.schedule_times
        position = bisect_left(times, minute)
        while position < len(times) and times[position] == minute:
            index = plan.schedule_indices[position]
            if self.state.injects[index].status is InjectStatus.PENDING:
                self.release(index, ReleaseSource.SCHEDULE)
            position += 1
        while self.state.follow_ups and self.state.follow_ups[0][0] <= minute:
            self.release(self.state.follow_ups[0][1], ReleaseSource.FOLLOW_UP)
        if self.conditional and (self.watch.dirty or self.watch.due):
            self.conditionals()

    def conditionals(self) -> None:
        """Release conditional injects whose condition holds now, until none does (a release
        can make another condition true); remember when the others will next hold."""
        watch = self.watch
        plan = self.plan
        minute = self.minute
        while True:
            if not watch.dirty and not watch.due:
                return
            candidates = {index for index, due in watch.due.items() if due <= minute}
            candidates |= watch.dirty
            if not candidates:
                return
            watch.dirty = set()
            for index in sorted(candidates):
                watch.due.pop(index, None)
                watch.parked.pop(index, None)
                if self.state.injects[index].status is not InjectStatus.PENDING:
                    continue
                conditional = plan.conditionals[index]
                if conditional.at is not None and conditional.at > minute:
                    self.predict(index, conditional.at)
                elif holds(conditional.condition, self.state):
                    self.release(index, ReleaseSource.CONDITION)
                else:
                    self.wait(index)

    def refresh(self) -> None:
        """Work out `due` for conditions that need a fresh look, releasing nothing (for queries);
        those that hold right now stay marked and are released by the next command."""
        watch = self.watch
        minute = self.minute
        for index in sorted(watch.dirty):
            conditional = self.plan.conditionals[index]
            watch.parked.pop(index, None)
            if self.state.injects[index].status is InjectStatus.PENDING:
                if conditional.at is not None and conditional.at > minute:
                    self.predict(index, conditional.at)
                elif holds(conditional.condition, self.state):
                    continue
                else:
                    self.wait(index)
            watch.dirty.discard(index)

    def wait(self, index: int) -> None:
        """A condition that is false now: park it on a false part that time cannot change, or
        work out when drift and the passing days will make it true."""
        state = self.state
        rates = self.plan.rates[state.clock.phase_index]
        indicator_index = self.plan.indicator_index
        for part, deps, timed in self.plan.conditionals[index].conjuncts:
            if any(name == "day" or rates[indicator_index[name]] != 0.0 for name in timed):
                continue
            if not evaluate(part, state):
                self.watch.parked[index] = deps
                return
        self.predict(index, state.scenario_minutes + 1)

    def predict(self, index: int, low: int) -> None:
        conditional = self.plan.conditionals[index]
        state = self.state
        high = self.plan.span_end(state.clock.phase_index)
        if low > high:
            return
        if not varies(conditional.timed, state):
            # nothing it reads moves with time: it holds at `low` only if it holds now
            if low > state.scenario_minutes and holds(conditional.condition, state):
                self.watch.due[index] = low
            return
        due = first_time(conditional.condition, state, low, high)
        if due is not None:
            self.watch.due[index] = due

    # --- injects and decisions ---------------------------------------------------------------

    def release(self, index: int, source: ReleaseSource, by: str = "") -> None:
        plan = self.plan
        inject_id = plan.injects[index].id if index < plan.inject_count else self.state.injects[index].inject_id
        self.emit(InjectReleased, inject_id=inject_id, source=source, by=by)
        opens = plan.opened_by.get(index)
        if opens is None:
            return
        for decision_index in opens:
            decision = self.state.decisions[decision_index]
            if decision.status is DecisionStatus.CLOSED:
                deadline = self.state.scenario_minutes + plan.decisions[decision_index].deadline.minutes
                self.emit(DecisionOpened, decision_id=decision.decision_id, inject_id=inject_id, deadline=deadline)
                self.opened += 1

    def apply_option(self, decision_index: int, option_id: str, cls: type[OptionApplied],
                     rationale: str = "", decided_by: str = "") -> None:
        plan = self.plan
        state = self.state
        minute = state.scenario_minutes
        decision = plan.decisions[decision_index]
        option = decision.option(option_id)
        if option is None:  # pragma: no cover - the scenario checks guarantee the default exists
            raise ValueError(f"decision {decision.id!r} has no option {option_id!r}")
        values = []
        for indicator_id, delta in sorted(option.effects.items()):
            n = plan.indicator_index.get(indicator_id)
            if n is None:
                continue
            low, high = plan.bounds[n]
            values.append((indicator_id, min(max(state.indicators.values[n] + delta, low), high)))
        scheduled = {index for _due, index in state.follow_ups}
        follow_ups = []
        for inject_id in sorted(set(option.follow_up)):
            index = plan.inject_index.get(inject_id)
            if index is None or index in scheduled or state.injects[index].status is not InjectStatus.PENDING:
                continue
            follow_ups.append((inject_id, minute + plan.after[index]))
        common: dict[str, Any] = {
            "decision_id": decision.id, "option_id": option.id, "values": tuple(values),
            "sets": tuple(sorted(set(option.sets))), "clears": tuple(sorted(set(option.clears))),
            "follow_ups": tuple(follow_ups),
        }
        current = state.decisions[decision_index]
        if cls is DecisionMissed:
            self.emit(DecisionMissed, deadline=current.deadline if current.deadline is not None else minute, **common)
            return
        opened_at = current.opened_at if current.opened_at is not None else minute
        opened_seconds = current.opened_exercise_seconds or 0.0
        self.emit(cls, rationale=rationale, decided_by=decided_by,
                  revision=0 if cls is DecisionMade else current.revisions + 1,
                  response_minutes=minute - opened_at, response_seconds=self.seconds - opened_seconds, **common)


# --- command checks and runs -------------------------------------------------------------------

Check = Callable[[ExerciseState, Any, Engine], None]
Execute = Callable[[_Run, Any], None]


def _text_fields(cls: type[Command]) -> tuple[tuple[str, bool, bool], ...]:
    """(name, optional, is a list) of each text field of a command class."""
    attrs.resolve_types(cls, vars(commands_module))
    found = []
    for field in attrs.fields(cls):
        if field.type is str:
            found.append((field.name, False, False))
        elif field.type == (str | None):
            found.append((field.name, True, False))
        elif field.type == tuple[str, ...]:
            found.append((field.name, False, True))
    return tuple(found)


def _check_text_fields(command: Command) -> None:
    """Text that ends up in events must be text: a None or a number would not round-trip."""
    for name, optional, is_list in _TEXT_FIELDS[type(command)]:
        value = getattr(command, name)
        if optional and value is None:
            continue
        items = value if is_list and isinstance(value, tuple | list) else (value,)
        if is_list and not isinstance(value, tuple | list):
            _refuse("bad_value", f"{name} must be a list of texts, not {value!r:.40}")
        for item in items:
            if not isinstance(item, str):
                _refuse("bad_value", f"{name} must be text, not {item!r:.40}")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _text(value: object, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        _refuse("bad_value", f"{what} must not be empty")


def _require_running(state: ExerciseState) -> None:
    if not state.running:
        _refuse("paused", "the exercise is paused; resume it first")


def _inject_index(state: ExerciseState, inject_id: object) -> int:
    index = state.inject_index(inject_id) if isinstance(inject_id, str) else None
    if index is None:
        _refuse("unknown_inject", f"there is no inject {inject_id!r}")
    return index


def _inject_status(state: ExerciseState, inject_id: object, allowed: tuple[InjectStatus, ...], doing: str) -> None:
    index = _inject_index(state, inject_id)
    status = state.injects[index].status
    if status not in allowed:
        wanted = " or ".join(s.value for s in allowed)
        _refuse("bad_status", f"cannot {doing} inject {inject_id}: it is {status.value}, not {wanted}")


def _decision_option(state: ExerciseState, decision_id: object, option_id: object) -> int:
    index = state.plan.decision_index.get(decision_id) if isinstance(decision_id, str) else None
    if index is None:
        _refuse("unknown_decision", f"there is no decision {decision_id!r}")
    decision = state.plan.decisions[index]
    if not isinstance(option_id, str) or decision.option(option_id) is None:
        known = ", ".join(o.id for o in decision.options)
        _refuse("unknown_option", f"decision {decision_id} has no option {option_id!r} (options: {known})")
    return index


def _criterion(engine: Engine, criterion_id: object) -> None:
    _text(criterion_id, "the criterion id")
    if engine._criteria is not None and criterion_id not in engine._criteria:
        _refuse("unknown_criterion", f"there is no criterion {criterion_id!r}")


def _check_start(state: ExerciseState, cmd: StartSession, engine: Engine) -> None:
    _text(cmd.team, "the team name")
    if not isinstance(cmd.participants, tuple | list) or not all(
            isinstance(p, Participant) and isinstance(p.name, str) and isinstance(p.role, str)
            for p in cmd.participants):
        _refuse("bad_value", "participants must be a list of Participant(name, role)")
    if not isinstance(cmd.mode, Mode):
        _refuse("bad_value", f"unknown mode {cmd.mode!r}")
    if not isinstance(cmd.seed, int) or isinstance(cmd.seed, bool):
        _refuse("bad_value", "the seed must be a whole number")


def _run_start(run: _Run, cmd: StartSession) -> None:
    run.emit(SessionStarted, minute=0, seed=cmd.seed, scenario_id=run.plan.scenario.id, team=cmd.team,
             participants=tuple(cmd.participants), facilitator=cmd.facilitator, mode=cmd.mode)
    run.arrive()


def _check_tick(state: ExerciseState, cmd: Tick, engine: Engine) -> None:
    if state.mode is not Mode.REAL_TIME:
        _refuse("wrong_mode", "ticks move the clock only in real-time mode; use advance in paced mode")
    if not _is_number(cmd.real_seconds) or not 0 < cmd.real_seconds <= MAX_TICK_SECONDS:
        _refuse("bad_value", f"a tick must be between 0 and {MAX_TICK_SECONDS:g} seconds, not {cmd.real_seconds!r}")
    _require_running(state)


def _run_tick(run: _Run, cmd: Tick) -> None:
    run.tick(float(cmd.real_seconds))


def _check_advance(state: ExerciseState, cmd: Advance, engine: Engine) -> None:
    if not isinstance(cmd.minutes, int) or isinstance(cmd.minutes, bool) or cmd.minutes < 1:
        _refuse("bad_value", f"advance by a whole number of minutes above 0, not {cmd.minutes!r}")
    _require_running(state)


def _run_advance(run: _Run, cmd: Advance) -> None:
    run.advance_to(run.minute + cmd.minutes)


def _check_next(state: ExerciseState, cmd: AdvanceToNext, engine: Engine) -> None:
    limit = cmd.limit
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit <= state.scenario_minutes):
        _refuse("bad_value", f"the limit must be a minute after now ({state.scenario_minutes}), not {limit!r}")
    _require_running(state)


def _run_next(run: _Run, cmd: AdvanceToNext) -> None:
    if run.watch.dirty:
        run.settle()
    stop = run.next_stop()
    run.advance_to(stop if cmd.limit is None else min(stop, cmd.limit), stop)


def _run_to_decision(run: _Run, cmd: AdvanceToDecision) -> None:
    run.advance_to(run.plan.ends if cmd.limit is None else cmd.limit, until_decision=True)


def _check_pause(state: ExerciseState, cmd: Pause, engine: Engine) -> None:
    if not state.running:
        _refuse("paused", "the exercise is already paused")


def _check_resume(state: ExerciseState, cmd: Resume, engine: Engine) -> None:
    if state.running:
        _refuse("already_running", "the exercise is already running")


def _check_speed(state: ExerciseState, cmd: SetSpeed, engine: Engine) -> None:
    if not _is_number(cmd.speed) or not 0 < cmd.speed <= MAX_SPEED:
        _refuse("bad_value", f"speed must be above 0 and at most {MAX_SPEED:g}, not {cmd.speed!r}")
    if float(cmd.speed) == state.speed:
        _refuse("no_change", f"the speed is already {state.speed:g}")


def _check_mode(state: ExerciseState, cmd: SetMode, engine: Engine) -> None:
    if not isinstance(cmd.mode, Mode):
        _refuse("bad_value", f"unknown mode {cmd.mode!r}")
    if cmd.mode is state.mode:
        _refuse("no_change", f"the mode is already {state.mode.value}")


def _check_jump(state: ExerciseState, cmd: JumpToPhase, engine: Engine) -> None:
    index = state.plan.phase_index.get(cmd.phase_id) if isinstance(cmd.phase_id, str) else None
    if index is None:
        _refuse("unknown_phase", f"there is no phase {cmd.phase_id!r}")
    if index <= state.clock.phase_index:
        _refuse("backwards", f"phase {cmd.phase_id} has already started; jumps only go ahead")
    _require_running(state)


def _run_jump(run: _Run, cmd: JumpToPhase) -> None:
    index = run.plan.phase_index[cmd.phase_id]
    run.jump(run.plan.phase_starts[index], JumpReason.JUMP_TO_PHASE, f"phase {cmd.phase_id}")
    run.arrive()


def _check_end(state: ExerciseState, cmd: EndExercise, engine: Engine) -> None:
    if not isinstance(cmd.note, str):
        _refuse("bad_value", "the note must be text")


def _check_release(state: ExerciseState, cmd: ReleaseInject, engine: Engine) -> None:
    _inject_status(state, cmd.inject_id, (InjectStatus.PENDING,), "release")


def _run_release(run: _Run, cmd: ReleaseInject) -> None:
    index = run.state.inject_index(cmd.inject_id)
    assert index is not None
    run.release(index, ReleaseSource.FACILITATOR, cmd.by)
    run.settle()


def _check_ack(state: ExerciseState, cmd: AcknowledgeInject, engine: Engine) -> None:
    _inject_status(state, cmd.inject_id, (InjectStatus.RELEASED,), "acknowledge")


def _check_done(state: ExerciseState, cmd: MarkInjectDone, engine: Engine) -> None:
    _inject_status(state, cmd.inject_id, (InjectStatus.RELEASED, InjectStatus.ACKNOWLEDGED), "mark done")


def _check_skip(state: ExerciseState, cmd: SkipInject, engine: Engine) -> None:
    _inject_status(state, cmd.inject_id, (InjectStatus.PENDING,), "skip")
    _text(cmd.reason, "the reason for skipping")


def _check_adhoc(state: ExerciseState, cmd: AddAdhocInject, engine: Engine) -> None:
    _text(cmd.title, "the title")
    if not isinstance(cmd.channel, Channel):
        _refuse("bad_value", f"unknown channel {cmd.channel!r}")


def _run_adhoc(run: _Run, cmd: AddAdhocInject) -> None:
    number = len(run.state.adhoc) + 1
    while f"adhoc-{number}" in run.plan.reserved_ids or run.state.inject_index(f"adhoc-{number}") is not None:
        number += 1
    inject_id = f"adhoc-{number}"
    run.emit(AdhocInjectAdded, inject_id=inject_id, title=cmd.title, body=cmd.body, channel=cmd.channel,
             sender=cmd.sender, to=tuple(cmd.to), by=cmd.by)
    if cmd.release:
        run.release(len(run.state.injects) - 1, ReleaseSource.FACILITATOR, cmd.by)
        run.settle()


def _check_decide(state: ExerciseState, cmd: Decide, engine: Engine) -> None:
    index = _decision_option(state, cmd.decision_id, cmd.option_id)
    status = state.decisions[index].status
    if status is not DecisionStatus.OPEN:
        _refuse("not_open", f"decision {cmd.decision_id} is {status.value}, not open")


def _run_decide(run: _Run, cmd: Decide) -> None:
    index = run.plan.decision_index[cmd.decision_id]
    run.apply_option(index, cmd.option_id, DecisionMade, cmd.rationale, cmd.decided_by)
    run.settle()


def _check_revise(state: ExerciseState, cmd: ReviseDecision, engine: Engine) -> None:
    index = _decision_option(state, cmd.decision_id, cmd.option_id)
    current = state.decisions[index]
    if current.status not in (DecisionStatus.DECIDED, DecisionStatus.MISSED):
        _refuse("not_decided", f"decision {cmd.decision_id} is {current.status.value}; decide it before revising")
    if current.option_id == cmd.option_id:
        _refuse("no_change", f"option {cmd.option_id} is already in force for decision {cmd.decision_id}")


def _run_revise(run: _Run, cmd: ReviseDecision) -> None:
    index = run.plan.decision_index[cmd.decision_id]
    run.apply_option(index, cmd.option_id, DecisionRevised, cmd.rationale, cmd.decided_by)
    run.settle()


def _amended_record(state: ExerciseState, decision_id: object) -> Any:
    """The record of the team's choice in force at `decision_id` (its latest made or revised)."""
    index = state.plan.decision_index.get(decision_id) if isinstance(decision_id, str) else None
    if index is None:
        _refuse("unknown_decision", f"there is no decision {decision_id!r}")
    if state.decisions[index].status is not DecisionStatus.DECIDED:
        _refuse("not_decided", f"decision {decision_id} has no choice by the team to correct")
    history = state.decision_history
    for position in range(len(history) - 1, -1, -1):
        record = history[position]
        if record.decision_id == decision_id:
            return record
    _refuse("not_decided", f"decision {decision_id} has no choice by the team to correct")  # pragma: no cover


def _check_amend(state: ExerciseState, cmd: AmendDecisionRecord, engine: Engine) -> None:
    record = _amended_record(state, cmd.decision_id)
    if record.rationale == cmd.rationale and record.decided_by == cmd.decided_by:
        _refuse("no_change", f"the record of decision {cmd.decision_id} already says this")


def _run_amend(run: _Run, cmd: AmendDecisionRecord) -> None:
    record = _amended_record(run.state, cmd.decision_id)
    run.emit(DecisionRecordAmended, decision_id=cmd.decision_id, record_seq=record.seq, rationale=cmd.rationale,
             decided_by=cmd.decided_by, previous_rationale=record.rationale,
             previous_decided_by=record.decided_by, by=cmd.by)


def _check_note(state: ExerciseState, cmd: AddObservation, engine: Engine) -> None:
    _text(cmd.text, "the observation")
    if cmd.inject_id is not None:
        _inject_index(state, cmd.inject_id)
    if cmd.decision_id is not None and cmd.decision_id not in state.plan.decision_index:
        _refuse("unknown_decision", f"there is no decision {cmd.decision_id!r}")
    for criterion_id in cmd.criteria:
        _criterion(engine, criterion_id)


def _run_note(run: _Run, cmd: AddObservation) -> None:
    run.emit(ObservationAdded, observation_id=f"obs-{len(run.state.observations) + 1}", text=cmd.text,
             author=cmd.author, criteria=tuple(cmd.criteria), inject_id=cmd.inject_id, decision_id=cmd.decision_id)


def _check_rate(state: ExerciseState, cmd: RateCriterion, engine: Engine) -> None:
    _criterion(engine, cmd.criterion_id)
    if not isinstance(cmd.level, Level):
        _refuse("bad_value", f"the level must be one of P, S, M, U, N/O, not {cmd.level!r}")


def _run_rate(run: _Run, cmd: RateCriterion) -> None:
    run.emit(CriterionRated, criterion_id=cmd.criterion_id, level=cmd.level, reason=cmd.reason, by=cmd.by)


def _simple(cls: type[Event], **fixed: Any) -> Execute:
    def execute(run: _Run, cmd: Any) -> None:
        run.emit(cls, **{key: getter(cmd) for key, getter in fixed.items()})

    return execute


def _no_check(state: ExerciseState, cmd: Any, engine: Engine) -> None:
    return None


#: Commands the engine still takes after ENDEX: the evaluation goes on after play has stopped.
AFTER_ENDEX: frozenset[type[Command]] = frozenset({AddObservation, RateCriterion, AmendDecisionRecord})

_TEXT_FIELDS: dict[type[Command], tuple[tuple[str, bool, bool], ...]] = {
    cls: _text_fields(cls) for cls in COMMAND_TYPES
}

_COMMANDS: dict[type[Command], tuple[Check, Execute]] = {
    StartSession: (_check_start, _run_start),
    Tick: (_check_tick, _run_tick),
    Advance: (_check_advance, _run_advance),
    AdvanceToNext: (_check_next, _run_next),
    AdvanceToDecision: (_check_next, _run_to_decision),
    Pause: (_check_pause, _simple(Paused)),
    Resume: (_check_resume, _simple(Resumed)),
    SetSpeed: (_check_speed, _simple(SpeedChanged, speed=lambda c: float(c.speed))),
    SetMode: (_check_mode, _simple(ModeChanged, mode=lambda c: c.mode)),
    JumpToPhase: (_check_jump, _run_jump),
    EndExercise: (_check_end, _simple(SessionEnded, reason=lambda c: EndReason.FACILITATOR, note=lambda c: c.note)),
    ReleaseInject: (_check_release, _run_release),
    AcknowledgeInject: (_check_ack, _simple(InjectAcknowledged, inject_id=lambda c: c.inject_id, by=lambda c: c.by)),
    MarkInjectDone: (_check_done, _simple(InjectDone, inject_id=lambda c: c.inject_id, by=lambda c: c.by)),
    SkipInject: (_check_skip, _simple(InjectSkipped, inject_id=lambda c: c.inject_id, reason=lambda c: c.reason,
                                      by=lambda c: c.by)),
    AddAdhocInject: (_check_adhoc, _run_adhoc),
    Decide: (_check_decide, _run_decide),
    ReviseDecision: (_check_revise, _run_revise),
    AddObservation: (_check_note, _run_note),
    RateCriterion: (_check_rate, _run_rate),
    AmendDecisionRecord: (_check_amend, _run_amend),
}
