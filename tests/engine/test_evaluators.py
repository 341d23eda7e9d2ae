"""Evaluator commands: named evaluators, checklist marks, levelled observations, reasoning
ratings and the lead's reconciliation — each refused with a clear reason and nothing written
when the input is bad, and older stored observations still read."""

from __future__ import annotations

import pytest

from krise_ovelse.engine import (
    AddEvaluator,
    AddObservation,
    Advance,
    CommandRefused,
    Decide,
    EndExercise,
    Engine,
    MarkTask,
    Mode,
    RateCriterion,
    RateReasoning,
    ReconcileRating,
    Resume,
    TaskStatus,
    event_from_dict,
    event_to_dict,
)
from krise_ovelse.engine.commands import Command
from krise_ovelse.engine.events import ObservationAdded, TaskMarked
from krise_ovelse.model.scenario import Level

from .engine_helpers import FakeClock, rich


def _engine(tasks: dict[str, int] | None = None) -> Engine:
    engine = Engine.start(rich(), team="Lag", clock=FakeClock(), mode=Mode.PACED,
                          criteria=frozenset({"KH-2", "KH-3", "OE-1"}), tasks=tasks or {"KH-2": 3, "KH-3": 2})
    engine.handle(Resume())
    engine.handle(Advance(480))
    engine.handle(Decide("d01", "a", "Ro i organisasjonen", "Kari"))
    return engine


def _refused(engine: Engine, command: Command, code: str) -> str:
    before = len(engine.events)
    with pytest.raises(CommandRefused) as info:
        engine.handle(command)
    assert info.value.code == code, info.value.reason
    assert len(engine.events) == before  # nothing stored half-way
    return info.value.reason


def test_evaluator_names_collide_ignoring_case_and_spaces() -> None:
    engine = _engine()
    engine.handle(AddEvaluator("Eva Berg", lead=True))
    assert "collides" in _refused(engine, AddEvaluator("  eva   BERG "), "evaluator_exists")
    _refused(engine, AddEvaluator("Per", lead=True), "lead_exists")
    _refused(engine, AddEvaluator("   "), "bad_value")
    _refused(engine, AddEvaluator("Per\x1b[31m"), "bad_value")
    engine.handle(AddEvaluator("Per"))
    assert engine.state.evaluators == (("Eva Berg", True), ("Per", False))


def test_checklist_marks_are_checked() -> None:
    engine = _engine()
    engine.handle(MarkTask("KH-2", 3, TaskStatus.PARTLY, "Eva", note="<b>[red]x", evidence="#12"))
    marked = engine.events[-1]
    assert isinstance(marked, TaskMarked) and marked.note == "<b>[red]x"
    _refused(engine, MarkTask("KH-2", 4, TaskStatus.OBSERVED, "Eva"), "unknown_task")
    _refused(engine, MarkTask("KH-2", 0, TaskStatus.OBSERVED, "Eva"), "unknown_task")
    _refused(engine, MarkTask("OE-1", 1, TaskStatus.OBSERVED, "Eva"), "unknown_task")  # no tasks known
    _refused(engine, MarkTask("XX-9", 1, TaskStatus.OBSERVED, "Eva"), "unknown_criterion")
    _refused(engine, MarkTask("KH-2", 1, "seen", "Eva"), "bad_value")  # type: ignore[arg-type]
    _refused(engine, MarkTask("KH-2", 1, TaskStatus.OBSERVED, ""), "bad_value")
    _refused(engine, MarkTask("KH-2", 1, TaskStatus.OBSERVED, "Eva", observed_at=10**9), "bad_value")


def test_once_evaluators_are_named_judgements_must_be_by_one_of_them() -> None:
    engine = _engine()
    engine.handle(AddEvaluator("Eva", lead=True))
    engine.handle(AddEvaluator("Per"))
    reason = _refused(engine, MarkTask("KH-2", 1, TaskStatus.OBSERVED, "Ola"), "unknown_evaluator")
    assert "Eva" in reason and "Per" in reason
    _refused(engine, AddObservation("Bra", "Ola", ("KH-2",), level=Level.P), "unknown_evaluator")
    engine.handle(AddObservation("Bare en merknad", "Ola", ("KH-2",)))  # without a level: anyone may note
    _refused(engine, ReconcileRating("KH-2", Level.S, "Enige", "Per"), "not_lead")
    _refused(engine, ReconcileRating("KH-2", Level.S, "  ", "Eva"), "bad_value")
    engine.handle(ReconcileRating("KH-2", Level.S, "Enige etter samtale", "Eva"))


def test_levelled_observation_and_reasoning() -> None:
    engine = _engine()
    _refused(engine, AddObservation("Bra", "Eva", (), level=Level.P), "bad_value")  # rates nothing
    engine.handle(AddObservation("Bra", "Eva", ("KH-2",), level=Level.P, why="Daglig status"))
    event = engine.events[-1]
    assert isinstance(event, ObservationAdded) and event.level is Level.P and event.why == "Daglig status"
    _refused(engine, RateReasoning("d02", Level.P, "Eva"), "not_decided")
    _refused(engine, RateReasoning("nope", Level.P, "Eva"), "unknown_decision")
    _refused(engine, RateReasoning("d01", Level.NO, "Eva"), "bad_value")
    engine.handle(RateReasoning("d01", Level.M, "Eva", note="Ingen begrunnelse for valget"))


def test_evaluation_goes_on_after_endex() -> None:
    engine = _engine()
    engine.handle(EndExercise("slutt"))
    engine.handle(AddEvaluator("Eva", lead=True))
    engine.handle(MarkTask("KH-2", 1, TaskStatus.NOT_OBSERVED, "Eva"))
    engine.handle(RateReasoning("d01", Level.S, "Eva"))
    engine.handle(RateCriterion("KH-2", Level.M, "Sent", "Eva"))
    engine.handle(ReconcileRating("KH-2", Level.M, "Enige", "Eva"))
    assert engine.state.ended


def test_stored_observations_without_level_read_unchanged() -> None:
    engine = _engine()
    engine.handle(AddObservation("Notat", "Eva", ("KH-2",)))
    stored = event_to_dict(engine.events[-1])
    assert "level" not in stored and "why" not in stored  # the dict form older sessions have
    assert event_from_dict(stored) == engine.events[-1]
    engine.handle(AddObservation("Nivå", "Eva", ("KH-2",), level=Level.S, why="fordi"))
    levelled = event_to_dict(engine.events[-1])
    assert levelled["level"] == "S" and levelled["why"] == "fordi"
    assert event_from_dict(levelled) == engine.events[-1]
    from krise_ovelse.engine import EventFormatError

    with pytest.raises(EventFormatError):
        event_from_dict({**levelled, "level": "X"})
    with pytest.raises(EventFormatError):
        event_from_dict({k: v for k, v in stored.items() if k != "text"})


def test_criterion_ratings_by_the_facilitator_role_or_a_named_evaluator_once_evaluators_are_named() -> None:
    engine = _engine()
    engine.handle(AddEvaluator("Eva", lead=True))
    for by in ("facilitator", "evaluator", "", "Eva"):  # the roles and an unnamed rating stay allowed
        engine.handle(RateCriterion("KH-2", Level.S, "ok", by))
    assert [r.by for r in engine.state.ratings] == ["facilitator", "evaluator", "", "Eva"]
    reason = _refused(engine, RateCriterion("KH-2", Level.S, "ok", "Ola"), "unknown_evaluator")
    assert reason == "'Ola' is not an evaluator of this session (evaluators: Eva)"


def test_a_criterion_may_be_rated_not_observed_but_reasoning_only_on_the_scale() -> None:
    engine = _engine()
    engine.handle(RateCriterion("KH-2", Level.NO, "Ikke sett", "Eva"))
    assert engine.state.ratings[-1].level is Level.NO
    assert _refused(engine, RateReasoning("d01", Level.NO, "Eva"), "bad_value") == (
        "the level must be one of P, S, M, U, not <Level.NO: 'N/O'>")


def test_a_plain_note_keeps_no_why() -> None:
    engine = _engine()
    engine.handle(AddObservation("Notat", "Eva", ("KH-2",), why="fordi"))  # no level: nothing to explain
    event = engine.events[-1]
    assert isinstance(event, ObservationAdded) and event.level is None and event.why == ""
