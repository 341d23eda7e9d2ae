"""The stable JSON form of events, and a scripted session that produces every kind."""

from __future__ import annotations

import json

import attrs
import pytest

from krise_ovelse.engine import (
    EVENT_KINDS,
    AcknowledgeInject,
    AddAdhocInject,
    AddEvaluator,
    AddObservation,
    Advance,
    AdvanceToNext,
    AmendDecisionRecord,
    Decide,
    EndExercise,
    Engine,
    EventFormatError,
    GiveFeedback,
    JumpToPhase,
    MarkInjectDone,
    MarkTask,
    Mode,
    NoteHotwash,
    Participant,
    Pause,
    PresentInject,
    RateCriterion,
    RateReasoning,
    ReconcileRating,
    ReleaseInject,
    Resume,
    ReviseDecision,
    SetMode,
    SetSpeed,
    SkipInject,
    TaskStatus,
    Tick,
    apply,
    event_from_dict,
    event_to_dict,
    fold,
)
from krise_ovelse.engine.events import FeedbackGiven
from krise_ovelse.model.scenario import Level

from .engine_helpers import FakeClock, dicts, rich, scenario


def scripted(clock: FakeClock) -> Engine:
    engine = Engine.start(rich(), team="Ledergruppen", clock=clock, mode=Mode.PACED, seed=42, facilitator="Øvingsleder",
                          participants=(Participant("Kari", "HR-direktør"), Participant("Ola", "Kommunikasjon")))
    script = [
        Resume(), Advance(480), Decide("d01", "a", "Ro i organisasjonen", "Kari"), AcknowledgeInject("i01", "Kari"),
        PresentInject("i01", "øvingsleder"),
        MarkInjectDone("i01", "Kari"), SkipInject("i02", "tatt i møtet", "øvingsleder"), ReleaseInject("m1"),
        AddAdhocInject("VG ringer", "Kommentar?", sender="VG"),
        AddObservation("God involvering", "evaluator", ("KH-2",)),
        RateCriterion("KH-2", Level.S, "nesten", "evaluator"), SetMode(Mode.REAL_TIME), SetSpeed(2), Tick(30),
        Pause(), Resume(), SetMode(Mode.PACED), ReviseDecision("d01", "b", "vi snur", "Ola"),
        AmendDecisionRecord("d01", "vi snur nå", "Ola", "øvingsleder"), AdvanceToNext(),
        JumpToPhase("lang"), Advance(600), AddEvaluator("Eva", lead=True), AddEvaluator("Per"),
        MarkTask("KH-2", 1, TaskStatus.OBSERVED, "Per", note="Daglig status", evidence="d01"),
        AddObservation("Tydelig", "Per", ("KH-2",), level=Level.P, why="Daglig status"),
        RateReasoning("d01", Level.S, "Per", note="Tynn begrunnelse"), EndExercise("tiden er ute"),
        ReconcileRating("KH-2", Level.S, "Vi ble enige", "Eva"),
        NoteHotwash("delta", "Vi glemte de tillitsvalgte", "øvingsleder"),
        GiveFeedback((("useful", "4"), ("learned", "Å spørre tidlig"))),
    ]
    for n, command in enumerate(script):
        clock.advance(7.5 * (n % 3))
        engine.handle(command)
    return engine


def test_a_scripted_session_produces_every_kind_and_round_trips() -> None:
    engine = scripted(FakeClock())
    produced = {e.kind for e in engine.events}
    # the two kinds of the decide-first mode come from a session played that way
    assert produced | {"decision_written", "decision_mapped"} == set(EVENT_KINDS)
    for event in engine.events:
        text = json.dumps(event_to_dict(event), sort_keys=True, ensure_ascii=False)
        assert event_from_dict(json.loads(text)) == event
    assert engine.state == fold(engine.scenario, engine.events)


def test_applying_events_one_at_a_time_keeps_the_state_in_step_with_the_log() -> None:
    engine = scripted(FakeClock())
    state = fold(engine.scenario, [])
    for event in engine.events:  # every kind but the two decide-first ones (test_decide_first.py)
        state = apply(engine.scenario, state, event)
        assert (state.seq, state.scenario_minutes, state.exercise_seconds, state.wall) == (
            event.seq, event.scenario_minutes, event.exercise_seconds, event.wall), event.kind
    assert state == engine.state


def test_apply_refuses_a_state_of_another_scenario() -> None:
    engine = scripted(FakeClock())
    event = engine.events[1]
    state = fold(engine.scenario, engine.events[:1])
    assert apply(rich(), state, event) == fold(engine.scenario, engine.events[:2])  # an equal scenario will do
    with pytest.raises(ValueError, match=r"^the state belongs to another scenario$"):
        apply(scenario(), state, event)


def test_same_session_twice_gives_identical_json() -> None:
    first = json.dumps(dicts(scripted(FakeClock()).events), sort_keys=True)
    second = json.dumps(dicts(scripted(FakeClock()).events), sort_keys=True)
    assert first == second


def test_event_dict_shape() -> None:
    engine = scripted(FakeClock())
    started = event_to_dict(engine.events[0])
    assert started == {
        "kind": "session_started", "seq": 1, "scenario_minutes": 0, "exercise_seconds": 0.0,
        "wall": "2025-03-12T08:00:00+00:00", "seed": 42, "scenario_id": "test", "team": "Ledergruppen",
        "participants": [{"name": "Kari", "role": "HR-direktør"}, {"name": "Ola", "role": "Kommunikasjon"}],
        "facilitator": "Øvingsleder", "mode": "paced",
    }
    made = next(event_to_dict(e) for e in engine.events if e.kind == "decision_made")
    assert set(made) == {"kind", "seq", "scenario_minutes", "exercise_seconds", "wall", "decision_id", "option_id",
                         "values", "sets", "clears", "follow_ups", "rationale", "decided_by", "revision",
                         "response_minutes", "response_seconds"}
    assert made["values"] == {"load": pytest.approx(30.0 + 5 / 3), "morale": 65.0}


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "nope"}, "unknown event kind"),
    ({}, "unknown event kind"),
    ({"kind": "paused", "seq": 1, "scenario_minutes": 0, "exercise_seconds": 0.0}, "missing keys"),
    ({"kind": "paused", "seq": 1, "scenario_minutes": 0, "exercise_seconds": 0.0, "wall": "", "x": 1}, "unknown keys"),
    ({"kind": "paused", "seq": "1", "scenario_minutes": 0, "exercise_seconds": 0.0, "wall": ""}, "integer"),
    ({"kind": "paused", "seq": True, "scenario_minutes": 0, "exercise_seconds": 0.0, "wall": ""}, "integer"),
    ({"kind": "mode_changed", "seq": 1, "scenario_minutes": 0, "exercise_seconds": 0.0, "wall": "", "mode": "x"},
     "not a valid Mode"),
    ({"kind": "clock_advanced", "seq": 1, "scenario_minutes": 0, "exercise_seconds": 0.0, "wall": "",
      "from_minute": 0, "carry": 0.0, "values": [1]}, "mapping"),
])
def test_bad_dicts_are_refused_clearly(data: dict[str, object], message: str) -> None:
    with pytest.raises(EventFormatError, match=message):
        event_from_dict(data)


_STARTED = {"kind": "session_started", "seq": 1, "scenario_minutes": 0, "exercise_seconds": 0.0, "wall": "",
            "seed": 0, "scenario_id": "test", "team": "Lag", "participants": [], "facilitator": "", "mode": "paced"}
_NOTE = {"kind": "observation_added", "seq": 2, "scenario_minutes": 0, "exercise_seconds": 0.0, "wall": "",
         "observation_id": "o1", "text": "x", "author": "", "criteria": [], "inject_id": None, "decision_id": None}


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "nope"}, "unknown event kind 'nope'"),
    (["kind"], "unknown event kind None"),
    ({"kind": "paused", "seq": 1, "scenario_minutes": 0, "exercise_seconds": 0.0},
     "paused event: missing keys ['wall'], unknown keys []"),
    ({"kind": "paused", "seq": 1, "scenario_minutes": 0, "exercise_seconds": 0.0, "wall": "", "y": 1, "x": 2},
     "paused event: missing keys [], unknown keys ['x', 'y']"),
    ({**_STARTED, "participants": {"name": "Kari"}},
     "session_started event 1: expected a list, found dict {'name': 'Kari'}"),
    ({**_STARTED, "participants": [{"name": "Kari"}]},
     "session_started event 1: expected a participant {name, role}, found dict {'name': 'Kari'}"),
    ({**_STARTED, "participants": [["name", "role"]]},
     "session_started event 1: expected a participant {name, role}, found list ['name', 'role']"),
    ({**_STARTED, "participants": [{"name": "Kari", "role": 3}]},
     "session_started event 1: expected text, found int 3"),
    ({**_NOTE, "criteria": "KH-2"}, "observation_added event 2: expected a list, found str 'KH-2'"),
    ({**_NOTE, "criteria": [2]}, "observation_added event 2: expected text, found int 2"),
])
def test_a_stored_event_that_is_not_what_the_engine_wrote_is_named_exactly(data: object, message: str) -> None:
    with pytest.raises(EventFormatError) as error:
        event_from_dict(data)  # type: ignore[arg-type]
    assert str(error.value) == message
    assert [event_from_dict(good).kind for good in (_STARTED, _NOTE)] == ["session_started", "observation_added"]


@pytest.mark.parametrize(("payload", "message"), [
    ({"kind": "inject_acknowledged", "inject_id": "zz", "by": ""}, "unknown inject 'zz'"),
    ({"kind": "phase_changed", "phase_id": "x", "previous_phase_id": "akutt"}, "unknown phase 'x'"),
])
def test_a_stored_event_naming_what_the_scenario_lacks_is_a_format_error(payload: dict[str, str],
                                                                         message: str) -> None:
    engine = scripted(FakeClock())
    events = list(engine.events[:3])
    stored = event_from_dict({"seq": 4, "scenario_minutes": events[-1].scenario_minutes, "exercise_seconds": 0.0,
                              "wall": "", **payload})
    with pytest.raises(EventFormatError) as error:
        fold(engine.scenario, [*events, stored])
    assert str(error.value) == message


def test_fold_refuses_events_out_of_order_or_after_the_end() -> None:
    events = list(scripted(FakeClock()).events)
    with pytest.raises(EventFormatError, match="does not follow"):
        fold(rich(), [events[0], events[2]])
    with pytest.raises(EventFormatError, match="start with session_started"):
        fold(rich(), events[1:])
    after = event_from_dict({**event_to_dict(events[1]), "seq": len(events) + 1})
    with pytest.raises(EventFormatError, match="after the session ended"):
        fold(rich(), [*events, after])


def test_fast_built_events_equal_constructed_ones() -> None:
    """The engine and the decoder fill `__dict__` directly; it must give what `__init__` gives."""
    engine = scripted(FakeClock())
    for event in engine.events:
        fields = {name: getattr(event, name) for name in attrs.fields_dict(type(event))}
        built = type(event)(**fields)
        assert built == event and repr(built) == repr(event) and hash(built) == hash(event)


@pytest.mark.parametrize(("command", "reason"), [
    (NoteHotwash("kanskje", "noe"), "one of plus, delta, takeaway"),
    (NoteHotwash("plus", "  "), "must not be empty"),
    (NoteHotwash("plus", "x" * 2001), "at most 2000"),
    (GiveFeedback(()), "no answers"),
    (GiveFeedback((("useful", "4"), ("useful", "5"))), "answered twice"),
    (GiveFeedback((("useful", ""),)), "empty"),
    (GiveFeedback((("useful", 4),)), "pair of texts"),  # type: ignore[arg-type]
])
def test_hotwash_and_feedback_are_checked(command: object, reason: str) -> None:
    engine = scripted(FakeClock())
    refusal = engine.check(command)  # type: ignore[arg-type]
    assert refusal is not None and refusal.code == "bad_value" and reason in refusal.reason


def test_hotwash_and_feedback_come_after_endex_and_keep_no_name() -> None:
    engine = scripted(FakeClock())
    kinds = [e.kind for e in engine.events]
    assert kinds.index("session_ended") < kinds.index("hotwash_noted") < kinds.index("feedback_given")
    feedback = next(e for e in engine.events if isinstance(e, FeedbackGiven))
    assert feedback.answers == (("learned", "Å spørre tidlig"), ("useful", "4"))  # sorted, no name
    assert set(event_to_dict(feedback)) == {"kind", "seq", "scenario_minutes", "exercise_seconds", "wall", "answers"}
