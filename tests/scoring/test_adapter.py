"""The adapter from the engine to scoring, on sessions played by the real engine."""

from __future__ import annotations

import datetime as dt
import itertools
import textwrap

import pytest

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.engine import (
    AddAdhocInject,
    AddObservation,
    Advance,
    Decide,
    EndExercise,
    Engine,
    RateCriterion,
    ReleaseInject,
    Resume,
    ReviseDecision,
    SkipInject,
    event_to_dict,
)
from krise_ovelse.engine.commands import AdvanceToDecision
from krise_ovelse.engine.values import Participant
from krise_ovelse.model.scenario import Channel, Level, Measure, Scenario
from krise_ovelse.scoring import input_from_dict, input_to_dict, result_to_dict, score
from krise_ovelse.scoring.adapter import run_json_sections, score_events, scoring_input, scoring_input_from_events
from krise_ovelse.scoring.evidence import measure_value

SCENARIO = textwrap.dedent(
    """\
    schema_version: 1
    id: adapter
    title: Adapterprøve
    phases:
      - {id: en, title: En, starts: D+0, compression: 720, ends: D+2}
      - {id: to, title: To, starts: D+5, compression: 720}
    ends: D+8
    indicators:
      - {id: load, name: Belastning, initial: 40, drift: {en: 2/day}}
    injects:
      - {id: i01, at: D+0 08:00, channel: news, title: "Første"}
      - {id: i02, at: D+1 08:00, channel: email, title: "Andre"}
      - {id: i03, at: D+5 08:00, channel: email, title: "Tredje"}
      - {id: i04, trigger: manual, channel: phone, title: "Manuell"}
      - {id: i05, trigger: manual, channel: phone, title: "Hoppes over"}
    decisions:
      - id: d01
        opens_with: i01
        deadline: 6h
        category: communication
        prompt: "Første?"
        options:
          - {id: a, text: "Godt", effects: {load: 5}, evidence: {KH-2: P}}
          - {id: b, text: "Dårlig", effects: {load: 20}, evidence: {KH-2: U}}
        default: b
      - id: d02
        opens_with: i02
        deadline: 6h
        category: staff_mobility
        prompt: "Andre?"
        options:
          - {id: a, text: "Drøfte", evidence: {KH-4: P}}
          - {id: b, text: "Pålegge", evidence: {KH-4: M}}
        default: b
      - id: d03
        opens_with: i03
        deadline: 1d
        category: work_environment
        prompt: "Tredje?"
        options:
          - {id: a, text: "A", evidence: {AM-3: S}}
          - {id: b, text: "B", evidence: {AM-3: M}}
        default: b
    scoring:
      criteria: [KH-2, KH-4, AM-3]
      rules:
        - {criterion: KH-5, indicator: load, measure: max, thresholds: {P: 50, S: 60, M: 70}}
    """
)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    loaded = load_scenario_text(SCENARIO, "adapter.yaml")
    assert loaded.scenario is not None, loaded.problems
    return loaded.scenario


def _clock() -> dt.datetime:
    return dt.datetime(2024, 5, 6, 9, 30, tzinfo=dt.UTC)


def play(scenario: Scenario) -> Engine:
    """d01 decided, then revised; d02 missed; d03 decided; notes, a rating, an ad-hoc and a skip."""
    engine = Engine.start(scenario, team="Laget", clock=_clock, participants=(Participant("Kari", "Direktør"),),
                          facilitator="Liv")
    engine.handle(Resume())
    engine.handle(AdvanceToDecision())  # d01 opens at D+0 08:00
    engine.handle(Decide("d01", "a", "Fort og ærlig", "Direktør"))
    engine.handle(AddObservation("Godt samarbeid", "Eva", ("KH-2",), None, "d01"))
    engine.handle(Advance(60))
    engine.handle(ReviseDecision("d01", "b", "Vi snur", "HR"))
    engine.handle(ReleaseInject("i04", "Liv"))
    engine.handle(SkipInject("i05", "Ikke nødvendig", "Liv"))
    engine.handle(AddAdhocInject("VG ringer", "Vil ha en kommentar", Channel.PHONE, "VG", by="Liv"))
    engine.handle(AdvanceToDecision())  # d01 is settled; d02 opens at D+1 08:00
    engine.handle(Advance(7 * 60))  # past d02's deadline: missed
    engine.handle(AdvanceToDecision())  # d03 opens at D+5 08:00
    engine.handle(Decide("d03", "a", "", ""))
    engine.handle(RateCriterion("KH-4", Level.S, "Drøftet likevel", "Eva"))
    engine.handle(EndExercise("slutt"))
    return engine


def test_record_from_a_played_session(scenario: Scenario) -> None:
    engine = play(scenario)
    record = scoring_input_from_events(scenario, engine.events)
    assert (record.team, record.facilitator, record.participants) == ("Laget", "Liv", ("Kari (Direktør)",))
    assert record.started == "2024-05-06T09:30:00+00:00"
    assert record.ended
    d01, d02, d03 = record.decisions
    assert [c.option for c in d01.choices] == ["a", "b"]
    assert d01.choices[0].rationale == "Fort og ærlig" and d01.choices[1].decided_by == "HR"
    assert d01.opened_minutes == 480 and d01.response_minutes == 0
    assert d02.missed and d02.choices[0].option == "b"
    assert d03.choices[0].option == "a" and not d03.missed
    assert [(i.inject, i.skipped) for i in record.injects] == [
        ("i01", False), ("i04", False), ("i05", True), ("adhoc-1", False), ("i02", False), ("i03", False)]
    adhoc = record.injects[3]
    assert (adhoc.adhoc, adhoc.title, adhoc.sender, adhoc.channel, adhoc.body) == (
        True, "VG ringer", "VG", "phone", "Vil ha en kommentar")
    assert not record.injects[0].adhoc
    assert scoring_input_from_events(scenario, [event_to_dict(e) for e in engine.events]) == record
    assert record.injects[2].reason == "Ikke nødvendig"
    (observation,) = record.observations
    assert (observation.text, observation.author, observation.criteria, observation.decision) == (
        "Godt samarbeid", "Eva", ("KH-2",), "d01")
    assert observation.level is None
    (override,) = record.overrides
    assert (override.criterion, override.level, override.reason, override.by) == ("KH-4", Level.S,
                                                                                    "Drøftet likevel", "Eva")


def test_indicator_history_follows_drift_and_effects(scenario: Scenario) -> None:
    engine = play(scenario)
    record = scoring_input_from_events(scenario, engine.events)
    samples = record.history["load"]
    assert samples[0].minutes == 0 and samples[0].value == 40
    minutes = [s.minutes for s in samples]
    assert minutes == sorted(minutes)
    # the same corners as the engine's own history: drift lines, and effects as jumps (two
    # samples at one minute, e.g. d01 at 08:00 and its revision an hour later)
    assert [(s.minutes, s.value) for s in samples] == list(engine.state.indicator_history("load"))
    assert sum(1 for a, b in itertools.pairwise(samples) if a.minutes == b.minutes) == 2
    assert measure_value(samples, Measure.FINAL) == pytest.approx(engine.state.indicator("load"))
    engine_values = [v for _, v in engine.state.indicator_history("load")]
    assert measure_value(samples, Measure.MAX) == pytest.approx(max(engine_values))


def test_objects_and_dicts_give_the_same_record(scenario: Scenario) -> None:
    engine = play(scenario)
    from_objects = scoring_input_from_events(scenario, engine.events)
    from_dicts = scoring_input_from_events(scenario, [event_to_dict(e) for e in engine.events])
    assert from_objects == from_dicts
    assert input_from_dict(input_to_dict(from_objects)) == from_objects


def test_scoring_a_played_session(scenario: Scenario) -> None:
    engine = play(scenario)
    result = score_events(scenario, engine.events)
    kh2 = result.rating("KH-2")
    # both the first choice (P) and the revision (U) count; the note is context
    assert [(e.source.value, e.level) for e in kh2.evidence] == [
        ("option", Level.P), ("option", Level.U), ("observation", None)]
    assert kh2.final is Level.U
    kh3 = result.rating("KH-3")  # one of three decisions missed
    assert [e.level for e in kh3.evidence] == [Level.M]
    kh4 = result.rating("KH-4")
    assert (kh4.suggested, kh4.final) == (Level.M, Level.S)
    assert result.rating("AM-3").final is Level.S
    assert result_to_dict(result) == result_to_dict(score(scenario, scoring_input_from_events(scenario,
                                                                                             engine.events)))


def test_run_json_sections(scenario: Scenario) -> None:
    sections = run_json_sections(scenario, play(scenario).events)
    assert set(sections) == {"scoring", "scoring_input"}
    assert sections["scoring"]["scenario"]["id"] == "adapter"
    assert input_from_dict(sections["scoring_input"]).team == "Laget"


def test_unknown_event_kinds_are_ignored(scenario: Scenario) -> None:
    events = [event_to_dict(e) for e in play(scenario).events]
    events.insert(3, {"seq": 999, "kind": "something_new", "scenario_minutes": 480, "payload": 1})
    assert scoring_input_from_events(scenario, events).decisions


def test_no_events_gives_an_empty_record(scenario: Scenario) -> None:
    record = scoring_input_from_events(scenario, [])
    assert record.decisions == () and not record.ended
    assert score(scenario, record).rating("KH-5").final is Level.P  # the rule on the initial value


def test_scoring_input_accepts_an_engine_or_its_events(scenario: Scenario) -> None:
    engine = play(scenario)
    from_events = scoring_input_from_events(scenario, engine.events)
    assert scoring_input(scenario, engine) == from_events
    assert scoring_input(scenario, list(engine.events)) == from_events
    assert scoring_input(scenario, [event_to_dict(e) for e in engine.events]) == from_events
