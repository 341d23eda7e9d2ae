"""The scheduler: moves the clock of one command's run and releases whatever falls due.

`Run` holds one command's scratch state and the events so far; each `emit` applies the event at
once, so later events see earlier ones (a release opens a decision, whose choice schedules a
follow-up …). Time moves only here, in whole scenario minutes, and stops at every point where
something is due (see `Run.next_stop`), so each event carries the minute it really happened at.
`Watch` is the scheduler's cache of conditional injects (kept by the engine between commands).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from typing import Any

from krise_ovelse.engine.apply import HANDLERS
from krise_ovelse.engine.events import (
    ClockAdvanced,
    ClockJumped,
    DecisionMade,
    DecisionMapped,
    DecisionMissed,
    DecisionOpened,
    Event,
    InjectReleased,
    InjectSkipped,
    OptionApplied,
    PhaseChanged,
    SessionEnded,
    SessionStarted,
    make_event,
)
from krise_ovelse.engine.plan import DepKey, Plan, drift_value
from krise_ovelse.engine.predict import first_time, varies
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.engine.values import DecisionStatus, EndReason, InjectStatus, JumpReason, ReleaseSource
from krise_ovelse.model.conditions import evaluate, holds


class SchedulerStuck(RuntimeError):
    """A loop of the scheduler stopped making progress: a bug, not a refusal. The command fails
    (the engine keeps its state, the sink is not called) instead of hanging the console."""


def event_budget(state: ExerciseState) -> int:
    """More events than one command can cause: a clock move per minute of play left, each inject
    released or skipped once, each decision opened and closed once, a few per phase."""
    plan = state.plan
    minutes = max(plan.ends - state.scenario_minutes, 0)
    return 2 * minutes + 4 * (len(state.injects) + len(plan.decisions) + len(plan.phases)) + 64


class Watch:
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
        elif kind is DecisionMapped:
            self._mark(("decision", event.decision_id))  # type: ignore[attr-defined]
        elif kind is PhaseChanged or kind is ClockJumped or kind is SessionStarted:
            self.dirty = set(plan.conditional_indices)
            self.due.clear()
            self.parked.clear()


class Run:
    """One command's work: a scratch state, the events so far, and the clock procedures."""

    def __init__(self, state: ExerciseState, wall: str, exercise_seconds: float, watch: Watch) -> None:
        self.plan = state.plan
        self.state = state
        self.wall = wall
        self.seconds = exercise_seconds
        self.events: list[Event] = []
        self.watch = watch
        self.conditional = bool(self.plan.conditionals)
        self.budget = event_budget(state)
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
        if len(self.events) > self.budget:
            raise SchedulerStuck(f"one command caused more than {self.budget} events (last: {event.kind})")
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
        for _ in range(len(plan.phases) + 2):  # each round that goes on jumps to a later phase
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
        raise SchedulerStuck(f"phase ends kept jumping at minute {self.minute}")

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
        # a round that releases nothing leaves nothing due now, so the next one ends the loop
        for _ in range(len(plan.conditional_indices) + 2):
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
        raise SchedulerStuck(f"conditional injects kept releasing at minute {minute}")

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
                     rationale: str = "", decided_by: str = "",
                     response: tuple[int, float] | None = None) -> None:
        """Apply an option's effects as a `cls` event. `response` (scenario minutes, exercise
        seconds) overrides the response time from the opening: a decision written first and
        mapped later was made when it was written."""
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
        minutes, seconds = response if response is not None else (minute - opened_at, self.seconds - opened_seconds)
        self.emit(cls, rationale=rationale, decided_by=decided_by,
                  revision=0 if cls is DecisionMade else current.revisions + 1,
                  response_minutes=minutes, response_seconds=seconds, **common)
