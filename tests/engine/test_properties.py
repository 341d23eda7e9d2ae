"""Random command sequences: never a crash, state == fold(events), exact JSON, determinism."""

from __future__ import annotations

import json

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krise_ovelse.engine import (
    AcknowledgeInject,
    AddAdhocInject,
    AddObservation,
    Advance,
    AdvanceToDecision,
    AdvanceToNext,
    AmendDecisionRecord,
    Command,
    CommandRefused,
    Decide,
    EndExercise,
    Engine,
    JumpToPhase,
    MarkInjectDone,
    Mode,
    Pause,
    PresentInject,
    RateCriterion,
    ReleaseInject,
    Resume,
    ReviseDecision,
    SetMode,
    SetSpeed,
    SkipInject,
    Tick,
    event_from_dict,
    event_to_dict,
    fold,
)
from krise_ovelse.model.scenario import Channel, Level

from ..budget import examples
from .engine_helpers import FakeClock, rich

SCENARIO = rich()
#: "*" stands for a fitting id picked at run time (an open decision, a pending or released inject),
#: so that random sequences get far into a session instead of being refused at every step.
INJECTS = [i.id for i in SCENARIO.injects] + ["adhoc-1", "adhoc-2", "nope", "*", "*", "*"]
DECISIONS = [d.id for d in SCENARIO.decisions] + ["zz", "*", "*", "*"]
OPTIONS = ["a", "b", "c", "x"]
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
inject_ids = st.sampled_from(INJECTS)

commands: st.SearchStrategy[Command] = st.one_of(
    st.builds(Tick, st.floats(min_value=-1, max_value=900) | st.just(float("nan"))),
    st.builds(Advance, st.integers(min_value=-2, max_value=6000)),
    st.builds(Advance, st.integers(min_value=1, max_value=600)),
    st.builds(AdvanceToNext, st.none() | st.integers(min_value=0, max_value=90_000)),
    st.builds(AdvanceToNext, st.none()),
    st.builds(AdvanceToDecision, st.none() | st.integers(min_value=0, max_value=90_000)),
    st.builds(Tick, st.floats(min_value=0.1, max_value=60)),
    st.just(Pause()), st.just(Resume()), st.just(Resume()),
    st.builds(SetSpeed, st.sampled_from([0, 0.5, 1, 2, 4, 500])),
    st.builds(SetMode, st.sampled_from(list(Mode))),
    st.builds(JumpToPhase, st.sampled_from(["akutt", "mellom", "lang", "nope"])),
    st.tuples(st.integers(0, 9), text).map(lambda t: EndExercise(t[1]) if t[0] == 0 else Pause()),  # ENDEX rarely
    st.builds(ReleaseInject, inject_ids, text),
    st.builds(AcknowledgeInject, inject_ids, text),
    st.builds(MarkInjectDone, inject_ids, text),
    st.builds(SkipInject, inject_ids, text, text),
    st.builds(AddAdhocInject, text, text, st.sampled_from(list(Channel)), text, st.lists(text, max_size=2).map(tuple),
              text, st.booleans()),
    st.builds(Decide, st.sampled_from(DECISIONS), st.sampled_from(OPTIONS), text, text),
    st.builds(Decide, st.just("*"), st.sampled_from(["a", "b"]), text, text),
    st.builds(ReviseDecision, st.sampled_from(DECISIONS), st.sampled_from(OPTIONS), text, text),
    st.builds(ReviseDecision, st.just("*"), st.sampled_from(["a", "b", "c"]), text, text),
    st.builds(AmendDecisionRecord, st.sampled_from([*DECISIONS, "*"]), text, text, text),
    st.builds(PresentInject, st.none() | inject_ids, text),
    st.builds(AddObservation, text, text, st.lists(st.sampled_from(["KH-1", "OE-2", ""]), max_size=2).map(tuple),
              st.none() | inject_ids, st.none() | st.sampled_from(DECISIONS)),
    st.builds(RateCriterion, st.sampled_from(["KH-1", "AM-3", ""]), st.sampled_from(list(Level)), text, text),
)
steps = st.lists(st.tuples(commands, st.floats(min_value=0, max_value=120)), min_size=5, max_size=80)


def resolve(engine: Engine, command: Command) -> Command:
    """Replace a "*" id with one that fits the state, if there is one."""
    state = engine.state
    if getattr(command, "decision_id", None) == "*":
        wanted = ("open",) if isinstance(command, Decide) else ("decided", "missed")
        fitting = [d.decision_id for d in state.decisions if d.status.value in wanted] or ["zz"]
        command = attrs.evolve(command, decision_id=fitting[0])  # type: ignore[call-arg]
    if getattr(command, "inject_id", None) == "*":
        wanted = ("released", "acknowledged") if isinstance(command, AcknowledgeInject | MarkInjectDone) else (
            "pending",)
        if isinstance(command, AddObservation):
            wanted = ("released",)
        fitting = [i.inject_id for i in state.injects if i.status.value in wanted] or ["nope"]
        command = attrs.evolve(command, inject_id=fitting[-1])  # type: ignore[call-arg]
    return command


def play(mode: Mode, script: list[tuple[Command, float]], resume_at: int | None = None,
         check_fold: bool = False) -> Engine:
    clock = FakeClock()
    engine = Engine.start(SCENARIO, team="T", clock=clock, mode=mode, seed=7)
    engine.handle(Resume())
    for n, (raw, seconds) in enumerate(script):
        if resume_at == n:
            engine = Engine(SCENARIO, clock=clock, events=list(engine.events))
        clock.advance(seconds)
        command = resolve(engine, raw)
        before_state, before_len = engine.state, len(engine.events)
        try:
            new = engine.handle(command)
        except CommandRefused as refused:
            assert refused.code and refused.reason
            assert engine.state is before_state and len(engine.events) == before_len
            continue
        assert list(engine.events)[before_len:] == list(new)
        if check_fold:
            assert engine.state == fold(SCENARIO, engine.events)
    return engine


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(list(Mode)), steps)
def test_random_commands_never_crash_and_state_is_the_fold(mode: Mode, script: list[tuple[Command, float]]) -> None:
    engine = play(mode, script, check_fold=True)
    events = list(engine.events)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    for event in events:
        data = json.loads(json.dumps(event_to_dict(event), sort_keys=True, ensure_ascii=False))
        assert event_from_dict(data) == event
        assert event_to_dict(event_from_dict(data)) == event_to_dict(event)
    minutes = [e.scenario_minutes for e in events]
    assert minutes == sorted(minutes)  # scenario time never goes back
    assert all(isinstance(e.exercise_seconds, float) for e in events)


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(list(Mode)), steps, st.integers(min_value=0, max_value=40))
def test_same_commands_same_events_even_across_a_resume(mode: Mode, script: list[tuple[Command, float]],
                                                        resume_at: int) -> None:
    first = [event_to_dict(e) for e in play(mode, script).events]
    second = [event_to_dict(e) for e in play(mode, script).events]
    resumed = [event_to_dict(e) for e in play(mode, script, resume_at=resume_at).events]
    assert first == second == resumed
