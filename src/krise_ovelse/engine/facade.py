"""The engine's facade: checks commands, turns them into events, hands them to the sink, then
applies them.

`Engine.handle(command)` either raises `CommandRefused` (and nothing happens) or returns the
events the command caused. The command's check and run come from `krise_ovelse.engine.handlers`;
the run works on a scratch copy of the state in a `scheduler.Run`, so later events see earlier
ones. The sink (the store) gets the whole batch before the engine adopts it; if the sink raises,
the engine is unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, overload

from krise_ovelse.engine.apply import apply_event, initial_state
from krise_ovelse.engine.commands import Command, StartSession, Tick
from krise_ovelse.engine.events import Event, EventFormatError
from krise_ovelse.engine.handlers import AFTER_ENDEX, COMMANDS, check_text_fields
from krise_ovelse.engine.refusal import CommandRefused, refuse
from krise_ovelse.engine.scheduler import Run, Watch
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.engine.values import Mode
from krise_ovelse.model.scenario import Scenario

Clock = Callable[[], dt.datetime]
Sink = Callable[[Sequence[Event]], None]

__all__ = ["Clock", "CommandRefused", "Engine", "EventLog", "Sink"]


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
                 events: Sequence[Event] = (), criteria: frozenset[str] | set[str] | None = None,
                 tasks: Mapping[str, int] | None = None) -> None:
        self.scenario = scenario
        self._clock = clock
        self._sink = sink
        self._criteria = None if criteria is None else frozenset(criteria)
        self._tasks = None if tasks is None else dict(tasks)
        state = initial_state(scenario)
        for event in events:
            state = apply_event(state, event)
        if state.session is not None and state.session.scenario_id != scenario.id:
            raise EventFormatError(f"the events are of scenario {state.session.scenario_id!r}, not {scenario.id!r}")
        self._state = state
        self._events: list[Event] = list(events)
        self._watch: Watch | None = None
        self._wall_cache: tuple[dt.datetime, str] | None = None
        self._parsed_wall: tuple[str, dt.datetime] | None = None

    @classmethod
    def start(cls, scenario: Scenario, *, team: str, clock: Clock, participants: Sequence[Any] = (),
              facilitator: str = "", mode: Mode = Mode.PACED, seed: int = 0, sink: Sink | None = None,
              criteria: frozenset[str] | set[str] | None = None, tasks: Mapping[str, int] | None = None,
              decide_first: bool = False) -> Engine:
        """A new session: the engine plus its `session_started` event (given to the sink)."""
        engine = cls(scenario, clock=clock, sink=sink, criteria=criteria, tasks=tasks)
        engine.handle(StartSession(team, tuple(participants), facilitator, mode, seed, decide_first))
        return engine

    @property
    def criteria(self) -> frozenset[str] | None:
        """The criterion ids observations and ratings may name (None: any)."""
        return self._criteria

    def task_count(self, criterion_id: str) -> int | None:
        """How many critical tasks a criterion's checklist has (None: not known to this engine)."""
        return None if self._tasks is None else self._tasks.get(criterion_id, 0)

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
        run = Run(state, wall, self._exercise_seconds(state, now), self._watch_for(state))
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

    def adopt(self, events: Sequence[Event]) -> None:
        """Fold events that are stored already, without the sink: events another writer stored
        (a national exercise's evaluator follows the organisation it evaluates this way, rather
        than folding everything again on every change). They must continue the numbering."""
        state = self._state
        for event in events:
            state = apply_event(state, event)
        self._state = state
        self._events.extend(events)
        self._watch = None

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
        run = Run(self._state, self._state.wall, self._state.exercise_seconds, self._watch_for(self._state))
        run.refresh()
        return run.next_stop()

    # --- internals ---------------------------------------------------------------------------

    def _validate(self, command: Command) -> Callable[[Run, Any], None]:
        entry = COMMANDS.get(type(command))
        if entry is None:
            refuse("unknown_command", f"not a command: {type(command).__name__}")
        check_text_fields(command)
        state = self._state
        if type(command) is StartSession:
            if state.started:
                refuse("already_started", "the session has already started")
        elif not state.started:
            refuse("not_started", "the session has not started; start it first")
        elif state.ended and type(command) not in AFTER_ENDEX:
            refuse("ended", "the exercise has ended (ENDEX); only evaluation (ratings, observations) goes on")
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

    def _watch_for(self, state: ExerciseState) -> Watch:
        if self._watch is None:
            self._watch = Watch(state.plan)
        return self._watch
