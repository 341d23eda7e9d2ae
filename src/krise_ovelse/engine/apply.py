"""`apply(scenario, state, event) -> state` and `fold(scenario, events) -> state`: pure, and fast.

Events carry their results (new indicator values, due times), so applying one is bookkeeping:
no randomness, no clock, no condition evaluation. `Engine.handle` computes events by applying
them one by one to a scratch state, which is why `engine.state == fold(scenario, engine.events)`
holds exactly. Each handler copies only what the event touches (see `_evolve`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from krise_ovelse.engine.events import (
    AdhocInjectAdded,
    ClockAdvanced,
    ClockJumped,
    CriterionRated,
    DecisionMade,
    DecisionMapped,
    DecisionMissed,
    DecisionOpened,
    DecisionRecordAmended,
    DecisionRevised,
    DecisionWritten,
    EvaluatorAdded,
    Event,
    EventFormatError,
    FeedbackGiven,
    HotwashNoted,
    InjectAcknowledged,
    InjectDone,
    InjectPresented,
    InjectReleased,
    InjectSkipped,
    ModeChanged,
    ObservationAdded,
    OptionApplied,
    Paused,
    PhaseChanged,
    RatingReconciled,
    ReasoningRated,
    Resumed,
    SessionEnded,
    SessionStarted,
    SpeedChanged,
    TaskMarked,
    Values,
)
from krise_ovelse.engine.plan import Plan
from krise_ovelse.engine.pvec import EMPTY, PVec
from krise_ovelse.engine.state import (
    AdhocInject,
    ClockState,
    DecisionRecord,
    DecisionState,
    ExerciseState,
    IndicatorsState,
    InjectState,
    Observation,
    Rating,
    SessionInfo,
    WrittenDecision,
)
from krise_ovelse.engine.values import DecisionStatus, InjectStatus, Mode
from krise_ovelse.model.scenario import Scenario


def initial_state(scenario: Scenario) -> ExerciseState:
    """The state before the first event: indicators at their initial values, all injects pending."""
    plan = Plan(scenario)
    values = tuple(float(i.initial) for i in plan.indicators)
    return ExerciseState(
        plan=plan,
        last=None,
        session=None,
        clock=ClockState(),
        indicators=IndicatorsState(values, tuple((0, v) for v in values), tuple(PVec([(0, v)]) for v in values)),
        flags=frozenset(),
        injects=plan.initial_injects,
        release_order=EMPTY,
        follow_ups=(),
        decisions=plan.initial_decisions,
        open_deadlines=(),
        decision_history=EMPTY,
        observations=EMPTY,
        ratings=EMPTY,
        adhoc=EMPTY,
    )


def apply(scenario: Scenario, state: ExerciseState, event: Event) -> ExerciseState:
    """The state after `event`. EventFormatError if the event cannot follow `state`."""
    if state.plan.scenario is not scenario and state.plan.scenario != scenario:
        raise ValueError("the state belongs to another scenario")
    return apply_event(state, event)


def fold(scenario: Scenario, events: Iterable[Event]) -> ExerciseState:
    """The state after all `events`, from the initial state of `scenario`."""
    state = initial_state(scenario)
    for event in events:
        state = apply_event(state, event)
    return state


#: What may still happen after ENDEX: the evaluation (ratings and observations) goes on.
AFTER_ENDEX_EVENTS: frozenset[type[Event]] = frozenset({
    ObservationAdded, CriterionRated, EvaluatorAdded, TaskMarked, ReasoningRated, RatingReconciled, HotwashNoted,
    FeedbackGiven, DecisionRecordAmended, DecisionMapped})


def apply_event(state: ExerciseState, event: Event) -> ExerciseState:
    """`apply` without the scenario check (the engine's hot path)."""
    last = state.last
    if last is None:
        if type(event) is not SessionStarted or event.seq != 1:
            raise EventFormatError(f"a session must start with session_started seq 1, not {event.kind} {event.seq}")
    elif event.seq != last.seq + 1:
        raise EventFormatError(f"event seq {event.seq} does not follow {last.seq}")
    elif state.clock.ended and type(event) not in AFTER_ENDEX_EVENTS:
        raise EventFormatError(f"{event.kind} {event.seq} after the session ended")
    try:
        handler = HANDLERS[type(event)]
    except KeyError:
        raise EventFormatError(f"not an event: {type(event).__name__}") from None
    return handler(state, event)


_new = object.__new__
_set_attr = object.__setattr__


def _evolve(state: ExerciseState, changes: dict[str, Any]) -> ExerciseState:
    """A copy of `state` with `changes`: one dict copy, several times faster than `attrs.evolve`
    (which would re-run `__init__` over every field for each event)."""
    new: ExerciseState = _new(ExerciseState)
    fields = state.__dict__.copy()
    fields.update(changes)
    _set_attr(new, "__dict__", fields)
    return new


def _clock(clock: ClockState, **changes: Any) -> ClockState:
    if not changes:
        return clock
    get = changes.get
    return ClockState(
        get("carry", clock.carry), get("phase_index", clock.phase_index), get("running", clock.running),
        get("speed", clock.speed), get("mode", clock.mode), get("ended", clock.ended),
        get("end_reason", clock.end_reason),
    )


def _index(state: ExerciseState, inject_id: str) -> int:
    index = state.inject_index(inject_id)
    if index is None:
        raise EventFormatError(f"unknown inject {inject_id!r}")
    return index


def _decision_index(state: ExerciseState, decision_id: str) -> int:
    index = state.plan.decision_index.get(decision_id)
    if index is None:
        raise EventFormatError(f"unknown decision {decision_id!r}")
    return index


def _set_values(state: ExerciseState, values: Values, minute: int, reset_anchors: bool) -> IndicatorsState:
    ind = state.indicators
    index = state.plan.indicator_index
    new_values = list(ind.values)
    history = list(ind.history)
    anchors = list(ind.anchors) if reset_anchors else ind.anchors
    for indicator_id, value in values:
        try:
            n = index[indicator_id]
        except KeyError:
            raise EventFormatError(f"unknown indicator {indicator_id!r}") from None
        if new_values[n] != value:
            new_values[n] = value
            history[n] = history[n].append((minute, value))
        if reset_anchors:
            anchors[n] = (minute, value)  # type: ignore[index]
    return IndicatorsState(tuple(new_values), tuple(anchors), tuple(history))


def _reset_anchors(ind: IndicatorsState, minute: int) -> IndicatorsState:
    return IndicatorsState(ind.values, tuple((minute, v) for v in ind.values), ind.history)


def _insert(entries: tuple[tuple[int, int], ...], entry: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    """`entries` (sorted) with `entry` in its place."""
    position = bisect_right(entries, entry)
    return (*entries[:position], entry, *entries[position:])


def _drop_follow_up(follow_ups: tuple[tuple[int, int], ...], index: int) -> tuple[tuple[int, int], ...]:
    if not follow_ups:
        return follow_ups
    return tuple(entry for entry in follow_ups if entry[1] != index)


# --- handlers --------------------------------------------------------------------------------


def _session_started(state: ExerciseState, ev: SessionStarted) -> ExerciseState:
    session = SessionInfo(ev.seed, ev.scenario_id, ev.team, ev.participants, ev.facilitator, ev.decide_first)
    return _evolve(state, {"last": ev, "session": session, "clock": ClockState(mode=ev.mode)})


def _clock_advanced(state: ExerciseState, ev: ClockAdvanced) -> ExerciseState:
    fields = state.__dict__.copy()  # the most frequent event: `_evolve` inlined
    fields["last"] = ev
    if ev.carry != state.clock.carry:
        fields["clock"] = _clock(state.clock, carry=ev.carry)
    if ev.values:
        fields["indicators"] = _set_values(state, ev.values, ev.scenario_minutes, False)
    new: ExerciseState = _new(ExerciseState)
    _set_attr(new, "__dict__", fields)
    return new


def _clock_jumped(state: ExerciseState, ev: ClockJumped) -> ExerciseState:
    return _evolve(state, {
        "last": ev,
        "clock": _clock(state.clock, carry=0.0),
        "indicators": _reset_anchors(state.indicators, ev.scenario_minutes),
    })


def _phase_changed(state: ExerciseState, ev: PhaseChanged) -> ExerciseState:
    try:
        phase_index = state.plan.phase_index[ev.phase_id]
    except KeyError:
        raise EventFormatError(f"unknown phase {ev.phase_id!r}") from None
    return _evolve(state, {
        "last": ev,
        "clock": _clock(state.clock, phase_index=phase_index),
        "indicators": _reset_anchors(state.indicators, ev.scenario_minutes),
    })


def _paused(state: ExerciseState, ev: Paused) -> ExerciseState:
    return _evolve(state, {"last": ev, "clock": _clock(state.clock, running=False)})


def _resumed(state: ExerciseState, ev: Resumed) -> ExerciseState:
    return _evolve(state, {"last": ev, "clock": _clock(state.clock, running=True)})


def _speed_changed(state: ExerciseState, ev: SpeedChanged) -> ExerciseState:
    return _evolve(state, {"last": ev, "clock": _clock(state.clock, speed=ev.speed)})


def _mode_changed(state: ExerciseState, ev: ModeChanged) -> ExerciseState:
    carry = 0.0 if ev.mode is Mode.PACED else state.clock.carry
    return _evolve(state, {"last": ev, "clock": _clock(state.clock, mode=ev.mode, carry=carry)})


def _inject_released(state: ExerciseState, ev: InjectReleased) -> ExerciseState:
    index = state.plan.inject_index.get(ev.inject_id)
    if index is None:
        index = _index(state, ev.inject_id)  # an ad-hoc inject
    released = InjectState(ev.inject_id, InjectStatus.RELEASED, ev.source, ev.scenario_minutes, ev.exercise_seconds)
    fields = state.__dict__.copy()  # frequent: `_evolve` inlined
    fields["last"] = ev
    fields["injects"] = state.injects.set(index, released)
    fields["release_order"] = state.release_order.append(index)
    if state.follow_ups:
        fields["follow_ups"] = _drop_follow_up(state.follow_ups, index)
    new: ExerciseState = _new(ExerciseState)
    _set_attr(new, "__dict__", fields)
    return new


def _inject_acknowledged(state: ExerciseState, ev: InjectAcknowledged) -> ExerciseState:
    index = _index(state, ev.inject_id)
    old = state.injects[index]
    new = InjectState(old.inject_id, InjectStatus.ACKNOWLEDGED, old.source, old.released_at,
                      old.released_exercise_seconds, ev.scenario_minutes)
    return _evolve(state, {"last": ev, "injects": state.injects.set(index, new)})


def _inject_done(state: ExerciseState, ev: InjectDone) -> ExerciseState:
    index = _index(state, ev.inject_id)
    old = state.injects[index]
    new = InjectState(old.inject_id, InjectStatus.DONE, old.source, old.released_at,
                      old.released_exercise_seconds, old.acknowledged_at, ev.scenario_minutes)
    return _evolve(state, {"last": ev, "injects": state.injects.set(index, new)})


def _inject_skipped(state: ExerciseState, ev: InjectSkipped) -> ExerciseState:
    index = _index(state, ev.inject_id)
    new = InjectState(ev.inject_id, InjectStatus.SKIPPED, skipped_at=ev.scenario_minutes, skip_reason=ev.reason)
    return _evolve(state, {
        "last": ev,
        "injects": state.injects.set(index, new),
        "follow_ups": _drop_follow_up(state.follow_ups, index),
    })


def _adhoc_added(state: ExerciseState, ev: AdhocInjectAdded) -> ExerciseState:
    adhoc = AdhocInject(ev.inject_id, ev.title, ev.body, ev.channel, ev.sender, ev.to, ev.scenario_minutes, ev.by)
    return _evolve(state, {
        "last": ev,
        "adhoc": state.adhoc.append(adhoc),
        "injects": state.injects.append(InjectState(ev.inject_id)),
    })


def _decision_opened(state: ExerciseState, ev: DecisionOpened) -> ExerciseState:
    index = _decision_index(state, ev.decision_id)
    opened = DecisionState(ev.decision_id, DecisionStatus.OPEN, ev.scenario_minutes, ev.deadline, ev.exercise_seconds)
    return _evolve(state, {
        "last": ev,
        "decisions": state.decisions.set(index, opened),
        "open_deadlines": _insert(state.open_deadlines, (ev.deadline, index)),
    })


def _option_applied(state: ExerciseState, ev: OptionApplied) -> ExerciseState:
    index = _decision_index(state, ev.decision_id)
    old = state.decisions[index]
    changes: dict[str, Any] = {"last": ev}
    if ev.values:
        changes["indicators"] = _set_values(state, ev.values, ev.scenario_minutes, True)
    if ev.sets or ev.clears:
        changes["flags"] = (state.flags | frozenset(ev.sets)) - frozenset(ev.clears)
    if ev.follow_ups:
        follow_ups = state.follow_ups
        for inject_id, minute in ev.follow_ups:
            follow_ups = _insert(follow_ups, (minute, _index(state, inject_id)))
        changes["follow_ups"] = follow_ups
    response_minutes: int | None = None
    response_seconds: float | None = None
    if isinstance(ev, DecisionMade | DecisionRevised):
        new = DecisionState(old.decision_id, DecisionStatus.DECIDED, old.opened_at, old.deadline,
                            old.opened_exercise_seconds, ev.option_id, ev.option_id, old.missed, ev.revision)
        rationale, decided_by, revision, missed = ev.rationale, ev.decided_by, ev.revision, False
        response_minutes, response_seconds = ev.response_minutes, ev.response_seconds
    else:
        new = DecisionState(old.decision_id, DecisionStatus.MISSED, old.opened_at, old.deadline,
                            old.opened_exercise_seconds, ev.option_id, old.chosen_option, True, old.revisions)
        rationale, decided_by, revision, missed = "", "", 0, True
    changes["decisions"] = state.decisions.set(index, new)
    if old.status is DecisionStatus.OPEN:
        changes["open_deadlines"] = tuple(entry for entry in state.open_deadlines if entry[1] != index)
    record = DecisionRecord(ev.seq, ev.decision_id, ev.option_id, revision, missed, rationale, decided_by,
                            ev.scenario_minutes, ev.exercise_seconds, ev.wall, response_minutes, response_seconds)
    changes["decision_history"] = state.decision_history.append(record)
    return _evolve(state, changes)


def _record_amended(state: ExerciseState, ev: DecisionRecordAmended) -> ExerciseState:
    history = state.decision_history
    for position in range(len(history) - 1, -1, -1):
        record = history[position]
        if record.seq == ev.record_seq:
            amended = attrs.evolve(record, rationale=ev.rationale, decided_by=ev.decided_by,
                                   amendments=record.amendments + 1)
            return _evolve(state, {"last": ev, "decision_history": history.set(position, amended)})
    raise EventFormatError(f"decision_record_amended {ev.seq}: no decision record with seq {ev.record_seq}")


def _decision_written(state: ExerciseState, ev: DecisionWritten) -> ExerciseState:
    """The written decision counts for the deadline: it leaves the open deadlines."""
    index = _decision_index(state, ev.decision_id)
    old = state.decisions[index]
    if old.status is not DecisionStatus.OPEN:
        raise EventFormatError(f"decision_written {ev.seq}: decision {ev.decision_id} is {old.status.value}, not open")
    new = attrs.evolve(old, status=DecisionStatus.WRITTEN)
    written = WrittenDecision(ev.seq, ev.decision_id, ev.text, ev.rationale, ev.decided_by, ev.scenario_minutes,
                              ev.exercise_seconds, ev.wall, ev.response_minutes, ev.response_seconds)
    return _evolve(state, {
        "last": ev,
        "decisions": state.decisions.set(index, new),
        "open_deadlines": tuple(entry for entry in state.open_deadlines if entry[1] != index),
        "written": (*state.written, written),
    })


def _decision_mapped(state: ExerciseState, ev: DecisionMapped) -> ExerciseState:
    """The mapping is recorded on the written decision. An applied option's effects come with
    the `decision_made` that follows; otherwise (`annet`, or after ENDEX) the decision is closed
    here with no option in force: `decided()` holds, `chose()` only for the option mapped to."""
    position = next((n for n, w in enumerate(state.written) if w.decision_id == ev.decision_id), None)
    if position is None or state.written[position].mapped:
        raise EventFormatError(f"decision_mapped {ev.seq}: no written, unmapped decision {ev.decision_id!r}")
    mapped = attrs.evolve(state.written[position], mapped_option=ev.option_id, mapped_by=ev.by, mapped_seq=ev.seq,
                          mapped_minutes=ev.scenario_minutes, levels=ev.levels, note=ev.note)
    changes: dict[str, Any] = {"last": ev, "written": (*state.written[:position], mapped,
                                                       *state.written[position + 1:])}
    if not ev.applied:
        index = _decision_index(state, ev.decision_id)
        old = state.decisions[index]
        changes["decisions"] = state.decisions.set(index, attrs.evolve(
            old, status=DecisionStatus.DECIDED, chosen_option=ev.option_id))
    return _evolve(state, changes)


def _inject_presented(state: ExerciseState, ev: InjectPresented) -> ExerciseState:
    return _evolve(state, {"last": ev, "presented": ev.inject_id})


def _observation_added(state: ExerciseState, ev: ObservationAdded) -> ExerciseState:
    note = Observation(ev.seq, ev.observation_id, ev.text, ev.author, ev.criteria, ev.inject_id, ev.decision_id,
                       ev.scenario_minutes, ev.exercise_seconds, ev.wall)
    return _evolve(state, {"last": ev, "observations": state.observations.append(note)})


def _criterion_rated(state: ExerciseState, ev: CriterionRated) -> ExerciseState:
    rating = Rating(ev.seq, ev.criterion_id, ev.level, ev.reason, ev.by, ev.scenario_minutes, ev.exercise_seconds,
                    ev.wall)
    return _evolve(state, {"last": ev, "ratings": state.ratings.append(rating)})


def _evaluator_added(state: ExerciseState, ev: EvaluatorAdded) -> ExerciseState:
    return _evolve(state, {"last": ev, "evaluators": (*state.evaluators, (ev.name, ev.lead))})


def _noted(state: ExerciseState, ev: Event) -> ExerciseState:
    """Checklist marks, reasoning ratings, reconciliations, hotwash points and questionnaires
    change nothing in the exercise: scoring and the report read them from the log."""
    return _evolve(state, {"last": ev})


def _session_ended(state: ExerciseState, ev: SessionEnded) -> ExerciseState:
    clock = _clock(state.clock, running=False, ended=True, end_reason=ev.reason.value)
    return _evolve(state, {"last": ev, "clock": clock})


#: The apply function of each event class (the engine calls these directly: it numbers its own
#: events, so the ordering checks of `apply_event` would only repeat themselves).
HANDLERS: dict[type[Event], Callable[[ExerciseState, Any], ExerciseState]] = {
    SessionStarted: _session_started,
    ClockAdvanced: _clock_advanced,
    ClockJumped: _clock_jumped,
    PhaseChanged: _phase_changed,
    Paused: _paused,
    Resumed: _resumed,
    SpeedChanged: _speed_changed,
    ModeChanged: _mode_changed,
    InjectReleased: _inject_released,
    InjectAcknowledged: _inject_acknowledged,
    InjectDone: _inject_done,
    InjectSkipped: _inject_skipped,
    AdhocInjectAdded: _adhoc_added,
    DecisionOpened: _decision_opened,
    DecisionMade: _option_applied,
    DecisionRevised: _option_applied,
    DecisionMissed: _option_applied,
    ObservationAdded: _observation_added,
    CriterionRated: _criterion_rated,
    SessionEnded: _session_ended,
    EvaluatorAdded: _evaluator_added,
    TaskMarked: _noted,
    ReasoningRated: _noted,
    RatingReconciled: _noted,
    DecisionRecordAmended: _record_amended,
    InjectPresented: _inject_presented,
    DecisionWritten: _decision_written,
    DecisionMapped: _decision_mapped,
    HotwashNoted: _noted,
    FeedbackGiven: _noted,
}
