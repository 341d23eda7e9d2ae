"""`describe(event, scenario, lang)`: the one description of an event that `run`, `replay`, the
console's replay and the store's facts share."""

from __future__ import annotations

import attrs
import pytest

from krise_ovelse.describe import describe, person
from krise_ovelse.engine import (
    EVENT_KINDS,
    AcknowledgeInject,
    AddAdhocInject,
    AddEvaluator,
    AddObservation,
    Advance,
    AmendDecisionRecord,
    Decide,
    EndExercise,
    Event,
    GiveFeedback,
    JumpToPhase,
    MapDecision,
    MarkInjectDone,
    MarkTask,
    Mode,
    NoteHotwash,
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
    WriteDecision,
    event_to_dict,
)
from krise_ovelse.model.scenario import Channel, Level, Role, Scenario
from krise_ovelse.model.text import Text
from krise_ovelse.model.timefmt import parse_time

from .engine_helpers import basic, do, start


def _scenario() -> Scenario:
    return attrs.evolve(basic(), roles=(Role("hr", Text({"nb": "HR-direktør", "en": "HR director"})),))


def _every_kind() -> tuple[Scenario, list[Event]]:
    scenario = _scenario()
    engine = start(scenario)
    do(engine,
       Advance(parse_time("D+0 08:00").minutes), Decide("d01", "a", rationale="Daglig status", decided_by="hr"),
       ReviseDecision("d01", "b", rationale="Vi snur"), AmendDecisionRecord("d01", "Vi snur nå", "hr", by="Eva"),
       AcknowledgeInject("i01", by="facilitator"), PresentInject("i01", by="facilitator"),
       MarkInjectDone("i01"), ReleaseInject("i03"), SkipInject("i06", reason="Tatt i møtet"),
       AddAdhocInject("VG ringer", "Hva skjer?", Channel.PHONE, sender="VG"),
       AddObservation("God involvering", author="Eva", criteria=("KH-2",)),
       RateCriterion("KH-2", Level.S, reason="Sent ute", by="evaluator"),
       AddEvaluator("Eva", lead=True), MarkTask("KH-2", 1, TaskStatus.PARTLY, "Eva", note="Sent"),
       AddObservation("Tydelig", author="Eva", criteria=("KH-2",), level=Level.P, why="Daglig status"),
       RateReasoning("d01", Level.S, "Eva", note="Tynn"), ReconcileRating("KH-2", Level.S, "Enige", "Eva"),
       SetSpeed(2.5), Pause(), Resume(), SetMode(Mode.REAL_TIME), SetMode(Mode.PACED),
       Advance(2 * 1440), JumpToPhase("lang"), EndExercise("Tiden er ute"),
       NoteHotwash("plus", "Rask første beskjed", by="facilitator"), GiveFeedback((("useful", "4"),)))
    first = start(scenario, decide_first=True)
    do(first, Advance(parse_time("D+1 12:00").minutes), WriteDecision("d01", "Daglig status", "Ro", decided_by="hr"),
       WriteDecision("d02", "Egen plan"), MapDecision("d01", "a", by="Eva"),
       MapDecision("d02", "annet", by="Eva", levels=(("KH-2", Level.S),), note="Ingen passet"))
    written = [e for e in first.events if e.kind in ("decision_written", "decision_mapped")]
    return scenario, [*engine.events, *written]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_kind_is_described_in_words_without_raw_keys(lang: str) -> None:
    scenario, events = _every_kind()
    assert {e.kind for e in events} == set(EVENT_KINDS)
    for event in events:
        line = describe(event, scenario, lang)
        assert line and "describe." not in line and "\n" not in line, (event.kind, line)
        assert line == describe(event_to_dict(event), scenario, lang)  # engine event or stored dict alike


def test_names_instead_of_ids_and_decimal_commas_in_bokmal() -> None:
    scenario, events = _every_kind()
    by_kind = {e.kind: e for e in events}
    made = describe(by_kind["decision_made"], scenario, "nb")
    assert made == "beslutning d01 «Spørsmål d01»: valgte a «Valg a» (HR-direktør): Daglig status"
    assert describe(by_kind["decision_made"], scenario, "en").endswith("chose a “Valg a” (HR director): Daglig status")
    assert describe(by_kind["inject_acknowledged"], scenario, "nb") == "innspill i01 «Innspill i01» lest (øvingsleder)"
    assert describe(by_kind["speed_changed"], scenario, "nb") == "tempo ×2,5"
    assert describe(by_kind["decision_record_amended"], scenario, "nb") == (
        "beslutning d01 «Spørsmål d01»: notatet rettet fra –: «Vi snur» til HR-direktør: «Vi snur nå» (Eva)")
    assert describe(by_kind["speed_changed"], scenario, "en") == "speed ×2.5"
    moved = next(e for e in events if e.kind == "clock_advanced" and e.values)  # type: ignore[attr-defined]
    assert "," in describe(moved, scenario, "nb").split("(")[1]
    assert describe(by_kind["session_ended"], scenario, "en") == "ENDEX (ended by the facilitator): Tiden er ute"


def test_decide_first_events_show_the_teams_words_and_the_mapping() -> None:
    scenario, events = _every_kind()
    written = [describe(e, scenario, "nb") for e in events if e.kind == "decision_written"]
    assert written[0] == "beslutning d01 «Spørsmål d01»: skrevet med egne ord: «Daglig status» (HR-direktør): Ro"
    mapped = [describe(e, scenario, lang) for e in events if e.kind == "decision_mapped" for lang in ("nb", "en")]
    assert mapped == ["beslutning d01 «Spørsmål d01»: koblet til a «Valg a» (Eva)",
                      "decision d01 “Spørsmål d01”: mapped to a “Valg a” (Eva)",
                      "beslutning d02 «Spørsmål d02»: koblet til «annet», vurdert KH-2 S (Eva): Ingen passet",
                      "decision d02 “Spørsmål d02”: mapped to “other”, rated KH-2 S (Eva): Ingen passet"]


def test_without_a_scenario_ids_are_kept_and_odd_input_never_raises() -> None:
    scenario, events = _every_kind()
    released = next(e for e in events if e.kind == "inject_released")
    assert describe(released, None, "en").startswith(f"inject {released.inject_id} released")  # type: ignore[attr-defined]
    assert describe({"kind": "something_new"}, scenario, "nb") == "something_new"
    assert describe({"kind": "clock_advanced", "values": "junk"}, scenario, "nb")
    assert describe({"kind": "inject_skipped", "reason": "a\x1b[31m\nb"}, None, "nb", width=30).count("\n") == 0
    assert len(describe({"kind": "observation_added", "text": "x" * 500}, None, "en", width=40)) == 40


def test_person_is_a_role_name_a_role_word_or_as_given() -> None:
    scenario = _scenario()
    assert (person("hr", scenario, "en"), person("facilitator", scenario, "nb"), person("Kari", None, "nb")) == (
        "HR director", "øvingsleder", "Kari")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_kind_has_parts_with_a_label_and_the_same_line(lang: str) -> None:
    scenario, events = _every_kind()
    for event in events:
        parts = describe(event, scenario, lang, parts=True)
        assert parts.kind == event.kind and parts.line == describe(event, scenario, lang)
        assert parts.label and "describe." not in parts.label, event.kind
        assert parts == describe(event_to_dict(event), scenario, lang, parts=True)
        assert all("\n" not in part for part in (parts.label, parts.subject, parts.option, parts.by))


def test_parts_name_the_subject_the_option_and_who() -> None:
    scenario, events = _every_kind()
    by_kind = {e.kind: e for e in events}
    made = describe(by_kind["decision_made"], scenario, "nb", parts=True)
    assert (made.label, made.subject, made.option, made.by) == ("Beslutning", "Spørsmål d01", "Valg a", "HR-direktør")
    adhoc = describe(by_kind["adhoc_inject_added"], scenario, "en", parts=True)
    assert (adhoc.label, adhoc.subject, adhoc.option) == ("Inject (ad hoc)", "VG ringer", "")
    skipped = describe(by_kind["inject_skipped"], scenario, "nb", parts=True)
    assert (skipped.label, skipped.subject) == ("Utelatt innspill", "Innspill i06")
    observed = describe(by_kind["observation_added"], scenario, "nb", parts=True)
    assert (observed.label, observed.subject, observed.by) == ("Observasjon", "Tydelig", "Eva")  # the last one
    paused = describe(by_kind["paused"], scenario, "en", parts=True)
    assert (paused.label, paused.subject, paused.by) == ("Clock", "", "")
    assert describe(by_kind["session_ended"], scenario, "nb", parts=True).subject == "ENDEX"


def test_parts_without_a_scenario_or_of_an_unknown_kind() -> None:
    untitled = describe({"kind": "adhoc_inject_added", "inject_id": "x1", "title": " "}, None, "nb", parts=True)
    assert untitled.subject == "Innspill uten overskrift"
    chosen = describe({"kind": "decision_missed", "decision_id": "d9", "option_id": "z"}, None, "en", parts=True)
    assert (chosen.subject, chosen.option) == ("d9", "z")
    unknown = describe({"kind": "something_new"}, None, "nb", parts=True)
    assert (unknown.label, unknown.subject, unknown.line) == ("something_new", "", "something_new")
