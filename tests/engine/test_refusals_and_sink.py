"""Refused commands leave no trace; the sink sees events before the engine adopts them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from krise_ovelse.engine import (
    AcknowledgeInject,
    AddAdhocInject,
    AddObservation,
    Advance,
    AdvanceToNext,
    AmendDecisionRecord,
    Command,
    CommandRefused,
    Decide,
    Engine,
    Event,
    JumpToPhase,
    MarkInjectDone,
    Mode,
    Pause,
    PresentInject,
    RateCriterion,
    RateReasoning,
    ReleaseInject,
    Resume,
    ReviseDecision,
    SetMode,
    SetSpeed,
    SkipInject,
    StartSession,
    Tick,
    fold,
)
from krise_ovelse.model.scenario import Level

from .engine_helpers import FakeClock, basic, do, scenario, start

REFUSED: list[tuple[Command, str]] = [
    (StartSession("igjen"), "already_started"),
    (Tick(1), "wrong_mode"),
    (Advance(0), "bad_value"),
    (Advance(1.5), "bad_value"),  # type: ignore[arg-type]
    (AdvanceToNext(limit=0), "bad_value"),
    (AdvanceToNext(limit=600.5), "bad_value"),  # type: ignore[arg-type]  # a whole minute after now
    (Resume(), "already_running"),
    (SetSpeed(0), "bad_value"),
    (SetSpeed(float("nan")), "bad_value"),
    (SetSpeed(1000), "bad_value"),
    (SetSpeed(1), "no_change"),
    (SetMode(Mode.PACED), "no_change"),
    (SetMode("fast"), "bad_value"),  # type: ignore[arg-type]
    (JumpToPhase("akutt"), "backwards"),
    (JumpToPhase("x"), "unknown_phase"),
    (ReleaseInject("nope"), "unknown_inject"),
    (ReleaseInject("i01"), "bad_status"),  # already released
    (AcknowledgeInject("i05"), "bad_status"),  # still pending
    (MarkInjectDone("i05"), "bad_status"),
    (SkipInject("i01", "for sent"), "bad_status"),
    (SkipInject("i05", ""), "bad_value"),
    (AddAdhocInject(""), "bad_value"),
    (AddAdhocInject("x", channel="fax"), "bad_value"),  # type: ignore[arg-type]
    (Decide("d01", "z"), "unknown_option"),
    (Decide("d02", "a"), "not_open"),
    (Decide("zz", "a"), "unknown_decision"),
    (Decide("d01", None), "bad_value"),  # type: ignore[arg-type]
    (ReviseDecision("d01", "a"), "not_decided"),
    (AddObservation(""), "bad_value"),
    (AddObservation("x", criteria=("",)), "bad_value"),
    (RateCriterion("", Level.P), "bad_value"),
    (Command(), "unknown_command"),
]


@pytest.mark.parametrize(("command", "code"), REFUSED, ids=[f"{type(c).__name__}-{code}" for c, code in REFUSED])
def test_refusal_has_a_code_a_reason_and_no_event(command: Command, code: str) -> None:
    engine = start(basic())
    do(engine, Advance(480))  # i01 released, d01 open
    before_state, before_events = engine.state, list(engine.events)
    assert isinstance(engine.check(command), CommandRefused)
    with pytest.raises(CommandRefused) as refused:
        engine.handle(command)
    assert refused.value.code == code
    assert refused.value.reason and str(refused.value) == refused.value.reason
    assert engine.state is before_state
    assert list(engine.events) == before_events


REASONS: list[tuple[Command, str]] = [
    (Tick(1), "ticks move the clock only in real-time mode; use advance in paced mode"),
    (SetMode("fast"), "unknown mode 'fast'"),  # type: ignore[arg-type]
    (AcknowledgeInject("i05"), "cannot acknowledge inject i05: it is pending, not released"),
    (MarkInjectDone("i05"), "cannot mark done inject i05: it is pending, not released or acknowledged"),
    (SkipInject("i01", "x"), "cannot skip inject i01: it is released, not pending"),
    (SkipInject("i05", " "), "the reason for skipping must not be empty"),
    (AddAdhocInject(" "), "the title must not be empty"),
    (PresentInject("i05"), "cannot present inject i05: it is pending, not released or acknowledged or done"),
    (PresentInject(None), "that is already on the team's screen"),
    (AddObservation(" "), "the observation must not be empty"),
    (AddObservation("x", level=Level.P), "an observation with a level must name the criteria it rates"),
    (RateCriterion(" ", Level.P), "the criterion id must not be empty"),
    (RateCriterion("KH-2", "X"), "the level must be one of P, S, M, U, N/O, not 'X'"),  # type: ignore[arg-type]
    (RateReasoning("zz", Level.P, "Eva"), "there is no decision 'zz'"),
    (AmendDecisionRecord("zz", "r", "k"), "there is no decision 'zz'"),
    (SetSpeed(100.5), "speed must be above 0 and at most 100, not 100.5"),
    (Decide("d01", "z"), "decision d01 has no option 'z' (options: a, b)"),
    (StartSession("igjen"), "the session has already started"),
    (Resume(), "the exercise is already running"),
    (AddAdhocInject("x", to="HR"), "to must be a list of texts, not 'HR'"),  # type: ignore[arg-type]
    (AddObservation("x", criteria="KH-2"), "criteria must be a list of texts, not 'KH-2'"),  # type: ignore[arg-type]
    (AddObservation("x", inject_id=None, decision_id=3), "decision_id must be text, not 3"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("command", "reason"), REASONS, ids=[type(c).__name__ for c, _ in REASONS])
def test_the_reason_of_a_refusal_says_what_is_wrong(command: Command, reason: str) -> None:
    engine = start(basic())
    do(engine, Advance(480))  # i01 released, d01 open
    with pytest.raises(CommandRefused) as refused:
        engine.handle(command)
    assert refused.value.reason == reason


@pytest.mark.parametrize(("command", "reason"), [
    (StartSession("Lag", decide_first="ja"), "decide_first must be true or false"),  # type: ignore[arg-type]
    (StartSession("Lag", seed=True), "the seed must be a whole number"),
    (StartSession("Lag", seed=1.5), "the seed must be a whole number"),  # type: ignore[arg-type]
])
def test_a_bad_start_is_refused_with_its_reason(command: Command, reason: str) -> None:
    engine = Engine(basic(), clock=FakeClock())
    with pytest.raises(CommandRefused) as refused:
        engine.handle(command)
    assert (refused.value.code, refused.value.reason) == ("bad_value", reason)
    assert len(engine.events) == 0


def test_nothing_but_start_before_the_session_starts() -> None:
    engine = Engine(basic(), clock=FakeClock())
    with pytest.raises(CommandRefused) as refused:
        engine.handle(Resume())
    assert refused.value.code == "not_started"
    assert len(engine.events) == 0
    with pytest.raises(CommandRefused):
        engine.handle(StartSession("  "))


def test_while_paused_the_clock_cannot_move_but_the_team_can_work() -> None:
    engine = start(basic())
    do(engine, Advance(480), Pause())
    for command in (Advance(1), AdvanceToNext(), JumpToPhase("lang"), Pause()):
        with pytest.raises(CommandRefused) as refused:
            engine.handle(command)
        assert refused.value.code == "paused"
    do(engine, Decide("d01", "a"), AcknowledgeInject("i01"), ReleaseInject("i03"))


class RecordingSink:
    def __init__(self, fail: bool = False) -> None:
        self.batches: list[tuple[Event, ...]] = []
        self.fail = fail

    def __call__(self, events: Sequence[Event]) -> None:
        if self.fail:
            raise OSError("disk full")
        self.batches.append(tuple(events))


def test_sink_gets_each_batch_once_and_first() -> None:
    sink = RecordingSink()
    engine = start(basic(), sink=sink)
    do(engine, Advance(480), Decide("d01", "a"))
    assert [e for batch in sink.batches for e in batch] == list(engine.events)
    assert [[e.kind for e in b] for b in sink.batches][:2] == [["session_started"], ["resumed"]]


def test_failing_sink_leaves_the_engine_unchanged_and_it_recovers() -> None:
    sink = RecordingSink()
    engine = start(basic(), sink=sink)
    do(engine, Advance(400))
    before = engine.state
    sink.fail = True
    with pytest.raises(OSError, match="disk full"):
        engine.handle(Advance(80))
    assert engine.state is before and len(engine.events) == before.seq
    sink.fail = False
    do(engine, Advance(80))
    assert engine.state.inject("i01").released
    assert [e for batch in sink.batches for e in batch] == list(engine.events)


def test_resume_folds_without_calling_the_sink() -> None:
    sink = RecordingSink()
    first = start(basic(), sink=sink)
    do(first, Advance(480), Decide("d01", "a"), Advance(3000))
    calls = len(sink.batches)
    again = Engine(basic(), clock=FakeClock(), sink=sink, events=list(first.events))
    assert len(sink.batches) == calls
    assert again.state == first.state == fold(basic(), first.events)


def test_resume_refuses_another_scenarios_events() -> None:
    events = list(start(basic()).events)
    with pytest.raises(ValueError, match="scenario"):
        Engine(scenario(sid="annet"), clock=FakeClock(), events=events)


def test_clock_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone"):
        Engine.start(basic(), team="T", clock=lambda: dt.datetime(2025, 1, 1))
