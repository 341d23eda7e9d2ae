"""The record scoring builds from a stored event log, field for field (`scoring_input_from_events`
on the dict form the session store keeps). Every event kind the adapter reads is here with every
field it takes, so a field read from the wrong key, a time or sequence number dropped, or a
default that is not empty shows up (issue #12, item 6: the engine-played tests compared only a
few fields, and none of the evaluators' events). Also: logs that start late, objects without a
`__dict__`, mappings that are not dicts."""

from __future__ import annotations

import types
from typing import Any

import pytest

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.model.scenario import Level, Scenario
from krise_ovelse.scoring.adapter import scoring_input_from_events
from krise_ovelse.scoring.inputs import (
    Choice,
    DecisionRecord,
    InjectRecord,
    Observation,
    Override,
    ReasoningRating,
    Sample,
    ScoringInput,
    TaskMark,
)

from .test_adapter import SCENARIO

P, S, M, U = Level.P, Level.S, Level.M, Level.U


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    loaded = load_scenario_text(SCENARIO, "adapter.yaml")
    assert loaded.scenario is not None, loaded.problems
    return loaded.scenario


def _at(seq: int, kind: str, minutes: float, seconds: float, **fields: Any) -> dict[str, Any]:
    return {"seq": seq, "kind": kind, "scenario_minutes": minutes, "exercise_seconds": seconds, **fields}


LOG = [
    _at(1, "session_started", 0, 0.0, team="Ledergruppen", facilitator="Liv", wall="2024-05-06T09:30:00+00:00",
        participants=[{"name": "Kari", "role": "direktor"}, {"name": "Ola", "role": ""}]),
    _at(2, "evaluator_added", 0, 0.0, name="Eva", lead=False),
    _at(3, "evaluator_added", 0, 0.0, name="Kim", lead=True),
    _at(4, "clock_advanced", 480, 30.0, from_minute=0, values={"load": 41.0}),
    _at(5, "inject_released", 480, 30.0, inject_id="i01"),
    _at(6, "decision_opened", 480, 31.0, decision_id="d01", deadline=840),
    _at(7, "decision_made", 480, 61.0, decision_id="d01", option_id="a", rationale="Fort", decided_by="Kari",
        response_minutes=0, response_seconds=30.0, values={"load": 46.0}),
    _at(8, "decision_record_amended", 480, 70.0, decision_id="d01", record_seq=7, rationale="Fort og ærlig",
        decided_by="Kari og Ola"),
    _at(9, "observation_added", 490, 80.0, text="Godt samarbeid", criteria=["KH-2"], level="S", author="Eva",
        inject_id="i01", decision_id="d01", why="de spurte"),
    _at(10, "decision_revised", 540, 180.0, decision_id="d01", option_id="b", rationale="Vi snur",
        decided_by="HR", response_minutes=60, response_seconds=150.0, values=[["load", 66.0]]),
    _at(11, "inject_released", 540, 210.0, inject_id="i04", by="Liv"),
    _at(12, "inject_skipped", 540, 240.0, inject_id="i05", reason="Ikke nødvendig", by="Liv"),
    _at(13, "adhoc_inject_added", 540, 270.0, inject_id="adhoc-1", title="VG ringer", sender="VG",
        channel="phone", body="Vil ha en kommentar"),
    _at(14, "inject_released", 540, 270.0, inject_id="adhoc-1", by="Liv"),
    _at(15, "task_marked", 545, 280.0, criterion_id="KH-2", task=2, status="partly", by="Eva", note="halvveis",
        evidence="loggen", observed_at=500),
    _at(16, "reasoning_rated", 546, 290.0, decision_id="d01", level="M", by="Eva", note="tynt",
        criteria=["KH-2"]),
    _at(17, "decision_opened", 1920, 360.0, decision_id="d02", deadline=2280),
    _at(18, "decision_missed", 2280, 390.0, decision_id="d02", option_id="b", response_minutes=360,
        response_seconds=30.0, values={}),
    _at(19, "criterion_rated", 2300, 400.0, criterion_id="KH-4", level="S", reason="Drøftet", by="Eva"),
    _at(20, "criterion_rated", 2301, 401.0, criterion_id="KH-4", level="M", reason="Nei", by="Kim"),
    _at(21, "rating_reconciled", 2302, 402.0, criterion_id="KH-4", level="S", reason="Samlet", by="Kim"),
    _at(22, "something_newer", 2303, 403.0, payload=1),
    _at(23, "session_ended", 2400, 410.0, reason="slutt"),
]

RECORD = ScoringInput(
    decisions=(
        DecisionRecord("d01", opened_seq=6, opened_minutes=480.0, opened_seconds=31.0, deadline_minutes=840.0,
                       choices=(Choice("a", seq=7, minutes=480.0, seconds=61.0, rationale="Fort og ærlig",
                                       decided_by="Kari og Ola", response_minutes=0.0, response_seconds=30.0),
                                Choice("b", seq=10, minutes=540.0, seconds=180.0, rationale="Vi snur",
                                       decided_by="HR", response_minutes=60.0, response_seconds=150.0))),
        DecisionRecord("d02", opened_seq=17, opened_minutes=1920.0, opened_seconds=360.0, deadline_minutes=2280.0,
                       choices=(Choice("b", seq=18, minutes=2280.0, seconds=390.0, missed=True),))),
    history={"load": (Sample(0.0, 40.0, 1), Sample(480.0, 41.0, 4), Sample(480.0, 46.0, 7),
                      Sample(540.0, 46.0, None), Sample(540.0, 66.0, 10))},
    observations=(Observation("Godt samarbeid", ("KH-2",), S, "Eva", seq=9, minutes=490.0, inject="i01",
                              decision="d01", why="de spurte"),),
    overrides=(Override("KH-4", S, "Drøftet", "Eva", seq=19, minutes=2300.0),
               Override("KH-4", M, "Nei", "Kim", seq=20, minutes=2301.0)),
    injects=(InjectRecord("i01", seq=5, minutes=480.0, seconds=30.0),
             InjectRecord("i04", seq=11, minutes=540.0, seconds=210.0, by="Liv"),
             InjectRecord("i05", seq=12, minutes=540.0, seconds=240.0, skipped=True, reason="Ikke nødvendig",
                          by="Liv"),
             InjectRecord("adhoc-1", seq=14, minutes=540.0, seconds=270.0, title="VG ringer", by="Liv", adhoc=True,
                          sender="VG", channel="phone", body="Vil ha en kommentar")),
    evaluators=(("Eva", False), ("Kim", True)),
    task_marks=(TaskMark("KH-2", 2, "partly", "Eva", "halvveis", "loggen", seen_minutes=500.0, seq=15,
                         minutes=545.0),),
    reasoning=(ReasoningRating("d01", M, "Eva", "tynt", ("KH-2",), seq=16, minutes=546.0),),
    reconciliations=(Override("KH-4", S, "Samlet", "Kim", seq=21, minutes=2302.0),),
    start_minutes=0.0, end_minutes=2400.0, ended=True, team="Ledergruppen",
    participants=("Kari (direktor)", "Ola"), facilitator="Liv", started="2024-05-06T09:30:00+00:00")


def test_a_stored_log_gives_this_record(scenario: Scenario) -> None:
    assert scoring_input_from_events(scenario, LOG) == RECORD


def test_the_record_does_not_depend_on_the_mapping_type(scenario: Scenario) -> None:
    assert scoring_input_from_events(scenario, [types.MappingProxyType(e) for e in LOG]) == RECORD


class _Slotted:
    """An event object without a `__dict__` (read through the adapter's field view)."""

    __slots__ = ("exercise_seconds", "inject_id", "kind", "scenario_minutes", "seq", "team")

    def __init__(self, kind: str, seq: int, minutes: float, **fields: Any) -> None:
        self.kind, self.seq, self.scenario_minutes, self.exercise_seconds = kind, seq, minutes, 5.0
        for name, value in fields.items():
            setattr(self, name, value)


def test_event_objects_without_a_dict_are_read_by_their_fields(scenario: Scenario) -> None:
    events = [_Slotted("session_started", 1, 0, team="Lag"), _Slotted("inject_released", 2, 480, inject_id="i01"),
              _Slotted("session_ended", 3, 600)]
    record = scoring_input_from_events(scenario, events)
    assert record.team == "Lag" and record.facilitator == "" and record.participants == ()
    assert record.injects == (InjectRecord("i01", seq=2, minutes=480.0, seconds=5.0),)
    assert (record.start_minutes, record.end_minutes, record.ended) == (0.0, 600.0, True)


def test_a_log_without_its_start_begins_at_its_first_minute(scenario: Scenario) -> None:
    events = [_at(40, "clock_advanced", 600, 10.0, values={"load": 45.0}),
              _at(41, "inject_released", 700, 20.0, inject_id="i02")]
    record = scoring_input_from_events(scenario, events)
    assert record.start_minutes == 600.0
    # the initial value from the first minute on (no event behind it), then the drift to 45
    assert record.history["load"] == (Sample(600.0, 40.0, None), Sample(600.0, 45.0, 40))
    assert record.end_minutes == 700.0 and not record.ended  # still running: the last minute seen


def test_a_start_without_a_minute_is_minute_zero(scenario: Scenario) -> None:
    record = scoring_input_from_events(scenario, [{"seq": 1, "kind": "session_started"},
                                                  _at(2, "clock_advanced", 60, 1.0, from_minute=0,
                                                      values={"load": 42.0})])
    assert record.start_minutes == 0.0
    assert record.history["load"] == (Sample(0.0, 40.0, 1), Sample(60.0, 42.0, 2))


def test_drift_without_its_starting_minute_is_a_jump_at_its_minute(scenario: Scenario) -> None:
    events = [_at(1, "session_started", 0, 0.0), _at(2, "clock_advanced", 120, 1.0, values={"load": 44.0})]
    assert scoring_input_from_events(scenario, events).history["load"] == (
        Sample(0.0, 40.0, 1), Sample(120.0, 40.0, None), Sample(120.0, 44.0, 2))
    events[1]["from_minute"] = 60  # the value held until minute 60, then drifted
    assert scoring_input_from_events(scenario, events).history["load"] == (
        Sample(0.0, 40.0, 1), Sample(60.0, 40.0, None), Sample(120.0, 44.0, 2))


def test_an_indicator_the_scenario_lost_starts_at_its_first_value(scenario: Scenario) -> None:
    events = [_at(1, "session_started", 0, 0.0), _at(2, "clock_advanced", 120, 1.0, values={"gone": 3.0})]
    assert scoring_input_from_events(scenario, events).history["gone"] == (Sample(120.0, 3.0, None),
                                                                           Sample(120.0, 3.0, 2))


def test_a_sparse_event_reads_as_empty_values(scenario: Scenario) -> None:
    events = [_at(1, "session_started", 0, 0.0),
              _at(2, "decision_made", 480, 3.0, decision_id="d01", option_id="a"),
              _at(3, "decision_record_amended", 490, 4.0, decision_id="d01", record_seq=2),
              _at(4, "decision_record_amended", 491, 5.0, decision_id="d09", record_seq=2),
              _at(5, "observation_added", 500, 6.0),
              _at(6, "criterion_rated", 510, 7.0, criterion_id="KH-2", level="P"),
              _at(7, "evaluator_added", 520, 8.0),
              _at(8, "task_marked", 530, 9.0, criterion_id="KH-2", status="observed"),
              _at(9, "reasoning_rated", 540, 10.0, decision_id="d01", level="S"),
              _at(10, "rating_reconciled", 550, 11.0, criterion_id="KH-2", level="S"),
              _at(11, "inject_skipped", 560, 12.0, inject_id="i02")]
    record = scoring_input_from_events(scenario, events)
    assert record.decisions == (DecisionRecord("d01", choices=(Choice("a", 2, 480.0, 3.0),)),)
    assert record.observations == (Observation("", seq=5, minutes=500.0),)
    assert record.overrides == (Override("KH-2", P, seq=6, minutes=510.0),)
    assert record.evaluators == (("", False),)
    assert record.task_marks == (TaskMark("KH-2", 0, "observed", seq=8, minutes=530.0),)
    assert record.reasoning == (ReasoningRating("d01", S, seq=9, minutes=540.0),)
    assert record.reconciliations == (Override("KH-2", S, seq=10, minutes=550.0),)
    assert record.injects == (InjectRecord("i02", seq=11, minutes=560.0, seconds=12.0, skipped=True),)
