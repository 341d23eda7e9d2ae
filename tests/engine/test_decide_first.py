"""Decide first, see the options after: the team writes its decision in its own words, a
facilitator or evaluator maps it to an option or to `annet` and rates it."""

from __future__ import annotations

import json

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krise_ovelse.engine import (
    OTHER_OPTION,
    AddEvaluator,
    Advance,
    AdvanceToNext,
    AmendDecisionRecord,
    Command,
    CommandRefused,
    Decide,
    DecisionStatus,
    EndExercise,
    Engine,
    MapDecision,
    Pause,
    Resume,
    ReviseDecision,
    WriteDecision,
    event_from_dict,
    event_to_dict,
    fold,
)
from krise_ovelse.model.scenario import Level, Scenario
from krise_ovelse.model.timefmt import parse_time

from ..budget import examples
from .engine_helpers import FakeClock, basic, decision, do, inject, kinds, option, phase, scenario, start

OPENS = parse_time("D+0 08:00").minutes


def opened(clock: FakeClock | None = None, **kwargs: object) -> Engine:
    engine = start(basic(), clock, decide_first=True, **kwargs)  # type: ignore[arg-type]
    do(engine, Advance(OPENS))
    return engine


def refused(engine: Engine, command: Command) -> str:
    before = (engine.state, len(engine.events))
    with pytest.raises(CommandRefused) as caught:
        engine.handle(command)
    assert (engine.state, len(engine.events)) == before  # nothing stored, nothing changed
    return caught.value.code


class TestWriting:
    def test_the_mode_is_chosen_at_the_start_and_recorded(self) -> None:
        engine = opened()
        first = event_to_dict(engine.events[0])
        assert first["decide_first"] is True and engine.state.decide_first
        from krise_ovelse.describe import describe

        assert describe(engine.events[0], engine.scenario, "nb").endswith(", beslutt først")
        assert describe(engine.events[0], engine.scenario, "en").endswith(", decide first")
        assert "decide_first" not in event_to_dict(start(basic()).events[0])  # off: the stored form as before

    def test_written_decision_counts_for_the_deadline_and_applies_nothing(self) -> None:
        clock = FakeClock()
        engine = opened(clock)
        clock.advance(30)
        do(engine, Advance(60))
        values = engine.state.indicator_values()
        events = do(engine, WriteDecision("d01", "Vi sender daglig status til alle", "Ro i organisasjonen", "hr"))
        assert kinds(events) == ["decision_written"]
        assert (events[0].response_minutes, events[0].response_seconds) == (60, 30.0)  # type: ignore[attr-defined]
        state = engine.state
        assert state.decision("d01").status is DecisionStatus.WRITTEN
        assert state.open_decisions() == () and state.indicator_values() == values
        assert [w.text for w in state.awaiting_mapping()] == ["Vi sender daglig status til alle"]
        assert state.options_hidden("d01")
        # the deadline passes: no default, the written decision stands until it is mapped
        events = do(engine, Advance(3 * 1440))
        assert "decision_missed" not in [e.kind for e in events if getattr(e, "decision_id", "") == "d01"]
        assert engine.state.decision("d01").status is DecisionStatus.WRITTEN

    def test_nothing_written_before_the_deadline_is_missed_as_always(self) -> None:
        engine = opened()
        events = do(engine, Advance(2 * 1440))
        missed = [e for e in events if e.kind == "decision_missed"]
        assert ("d01", "b") in [(e.decision_id, e.option_id) for e in missed]  # type: ignore[attr-defined]
        assert not engine.state.options_hidden("d01")  # the default is in force and may be shown
        assert refused(engine, WriteDecision("d01", "For sent")) == "not_open"

    def test_choosing_an_option_directly_is_refused(self) -> None:
        engine = opened()
        assert refused(engine, Decide("d01", "a")) == "decide_first"
        with pytest.raises(CommandRefused) as caught:
            engine.handle(Decide("d01", "a"))
        assert caught.value.reason == (
            "this exercise is played decide-first: the team writes its decision in its own words (WriteDecision) "
            "and a facilitator or evaluator maps it (MapDecision)")

    def test_writing_and_mapping_in_a_normal_exercise_are_refused(self) -> None:
        engine = start(basic())
        do(engine, Advance(OPENS))
        assert refused(engine, WriteDecision("d01", "Daglig status")) == "not_decide_first"
        assert refused(engine, MapDecision("d01", "a", by="Eva")) == "not_decide_first"
        assert not engine.state.options_hidden("d01")

    @pytest.mark.parametrize(("command", "code"), [
        (WriteDecision("zz", "Daglig status"), "unknown_decision"),
        (WriteDecision("d01", "   "), "bad_value"),
        (WriteDecision("d01", "x" * 2001), "bad_value"),
        (WriteDecision("d01", None), "bad_value"),  # type: ignore[arg-type]
        (WriteDecision("d02", "Ikke åpnet ennå"), "not_open"),
    ])
    def test_bad_writing_is_refused_with_a_code(self, command: Command, code: str) -> None:
        assert refused(opened(), command) == code

    def test_writing_twice_is_refused(self) -> None:
        engine = opened()
        do(engine, WriteDecision("d01", "Daglig status"))
        assert refused(engine, WriteDecision("d01", "Noe annet")) == "not_open"


class TestMapping:
    def written(self, clock: FakeClock | None = None) -> Engine:
        clock = clock or FakeClock()
        engine = opened(clock)
        do(engine, Advance(45))
        clock.advance(20)
        do(engine, WriteDecision("d01", "Daglig status til alle", "Ro", "hr"))
        clock.advance(600)
        do(engine, Advance(300))
        return engine

    def test_mapping_to_an_option_applies_it_with_the_teams_words_and_time(self) -> None:
        engine = self.written()
        events = do(engine, MapDecision("d01", "a", by="Eva", note="Nærmest a"))
        assert kinds(events)[:2] == ["decision_mapped", "decision_made"]
        mapped, made = events[0], events[1]
        assert (mapped.option_id, mapped.by, mapped.applied, mapped.levels) == ("a", "Eva", True, ())  # type: ignore[attr-defined]
        assert (made.option_id, made.rationale, made.decided_by) == ("a", "Ro", "hr")  # type: ignore[attr-defined]
        assert (made.response_minutes, made.response_seconds) == (45, 20.0)  # type: ignore[attr-defined]
        state = engine.state
        assert state.decision("d01").status is DecisionStatus.DECIDED and state.chosen_option("d01") == "a"
        assert state.indicator("trust") == 100.0 and state.has_flag("daily")  # the option's effects, at mapping
        assert state.written_decision("d01").mapped_option == "a" and not state.options_hidden("d01")  # type: ignore[union-attr]
        assert state.awaiting_mapping() == ()
        assert [r.option_id for r in state.history()] == ["a"]

    def test_mapping_to_annet_rates_and_applies_no_option(self) -> None:
        engine = self.written()
        values = engine.state.indicator_values()
        events = do(engine, MapDecision("d01", OTHER_OPTION, by="Eva",
                                        levels=(("KH-2", Level.S), ("DA-1", Level.P)), note="Ingen av valgene"))
        assert kinds(events) == ["decision_mapped"]
        assert events[0].levels == (("DA-1", Level.P), ("KH-2", Level.S))  # type: ignore[attr-defined]
        assert event_to_dict(events[0])["levels"] == {"DA-1": "P", "KH-2": "S"}
        state = engine.state
        assert state.decision("d01").status is DecisionStatus.DECIDED
        assert state.decision("d01").option_id is None and state.chosen_option("d01") == OTHER_OPTION
        assert state.indicator_values() == values and state.history() == ()
        # the team has seen the options now, and may revise to one as in any exercise
        revised = do(engine, ReviseDecision("d01", "b", "Vi går for b", "hr"))
        assert revised[0].kind == "decision_revised" and engine.state.decision("d01").option_id == "b"

    def test_annet_counts_as_decided_in_conditions(self) -> None:
        scn = scenario(injects=[inject("i01", "D+0 08:00"), inject("c1", when="decided(d01)")],
                       decisions=[decision("d01", "i01", [option("a"), option("b")], "b")])
        engine = start(scn, decide_first=True)
        do(engine, Advance(OPENS), WriteDecision("d01", "Egen løsning"))
        events = do(engine, MapDecision("d01", "annet", by="facilitator", levels=(("KH-1", Level.M),)))
        assert [(e.kind, getattr(e, "inject_id", "")) for e in events][-1] == ("inject_released", "c1")

    def test_the_written_record_keeps_the_teams_words_times_and_who_mapped_it(self) -> None:
        clock = FakeClock()
        engine = start(basic(), clock, decide_first=True)
        clock.advance(100)  # the decision opens 100 s into the exercise
        do(engine, Advance(OPENS + 45))
        clock.advance(20)
        do(engine, WriteDecision("d01", "Daglig status til alle", "Ro", "hr"))
        written = engine.state.written_decision("d01")
        assert written is not None and not written.mapped
        assert (written.seq, written.text, written.rationale, written.decided_by) == (
            engine.events[-1].seq, "Daglig status til alle", "Ro", "hr")
        assert (written.scenario_minutes, written.exercise_seconds, written.wall) == (
            OPENS + 45, engine.events[-1].exercise_seconds, engine.events[-1].wall)
        assert written.exercise_seconds > 100 and written.wall
        assert (written.response_minutes, written.response_seconds) == (45, 20.0)  # from the opening
        assert engine.state.seq == engine.events[-1].seq
        clock.advance(600)
        do(engine, Advance(300), MapDecision("d01", OTHER_OPTION, by="Eva", levels=(("KH-2", Level.S),),
                                             note="Egen løsning"))
        mapped = engine.state.written_decision("d01")
        event = engine.events[-1]
        assert mapped is not None and event.kind == "decision_mapped"
        assert (mapped.mapped_option, mapped.mapped_by, mapped.mapped_seq, mapped.mapped_minutes) == (
            OTHER_OPTION, "Eva", event.seq, OPENS + 345)
        assert (mapped.levels, mapped.note) == ((("KH-2", Level.S),), "Egen løsning")
        assert (mapped.seq, mapped.text, mapped.response_minutes) == (written.seq, written.text, 45)
        assert engine.state.seq == event.seq  # the state follows the log

    def test_a_decision_mapped_to_annet_has_no_team_record_to_amend(self) -> None:
        engine = opened()
        do(engine, WriteDecision("d01", "Egen løsning", "Ro", "hr"),
           MapDecision("d01", OTHER_OPTION, by="Eva", levels=(("KH-2", Level.S),)))
        do(engine, Advance(parse_time("D+1 12:00").minutes - OPENS), WriteDecision("d02", "Kutt", "Fort", "hr"),
           MapDecision("d02", "a", by="Eva"))
        assert [r.decision_id for r in engine.state.history()] == ["d02"]  # only the mapped option is a record
        with pytest.raises(CommandRefused) as refused:
            engine.handle(AmendDecisionRecord("d01", "Ro og orden", "hr"))
        assert (refused.value.code, refused.value.reason) == (
            "not_decided", "decision d01 has no choice by the team to correct")

    def test_mapping_twice_is_refused(self) -> None:
        engine = self.written()
        do(engine, MapDecision("d01", "a", by="Eva"))
        assert refused(engine, MapDecision("d01", "b", by="Eva")) == "already_mapped"
        assert refused(engine, MapDecision("d01", "annet", by="Eva", levels=(("KH-1", Level.P),))) == "already_mapped"

    def test_mapping_before_writing_is_refused(self) -> None:
        engine = opened()
        assert refused(engine, MapDecision("d01", "a", by="Eva")) == "not_written"

    @pytest.mark.parametrize(("command", "code"), [
        (MapDecision("zz", "a", by="Eva"), "unknown_decision"),
        (MapDecision("d01", "x", by="Eva"), "unknown_option"),
        (MapDecision("d01", "a", by=" "), "bad_value"),
        (MapDecision("d01", "annet", by="Eva"), "bad_value"),  # annet must rate something
        (MapDecision("d01", "a", by="Eva", levels=(("KH-1", Level.P),)), "bad_value"),  # an option rates itself
        (MapDecision("d01", "annet", by="Eva", levels=(("KH-1", Level.NO),)), "bad_value"),
        (MapDecision("d01", "annet", by="Eva", levels=(("KH-1", "X"),)), "bad_value"),  # type: ignore[arg-type]
        (MapDecision("d01", "annet", by="Eva", levels=(("KH-1", Level.P), ("KH-1", Level.S))), "bad_value"),
        (MapDecision("d01", "annet", by="Eva", levels=(("ZZ-9", Level.P),)), "unknown_criterion"),
        (MapDecision("d01", "annet", by="Eva", levels=(("KH-1",),)), "bad_value"),  # type: ignore[arg-type]
    ])
    def test_bad_mapping_is_refused_with_a_code(self, command: Command, code: str) -> None:
        clock = FakeClock()
        engine = start(basic(), clock, decide_first=True, criteria={"KH-1", "KH-2", "DA-1"})
        do(engine, Advance(OPENS), WriteDecision("d01", "Daglig status"))
        assert refused(engine, command) == code

    def test_once_evaluators_are_named_annet_is_rated_by_one_of_them(self) -> None:
        engine = self.written()
        do(engine, AddEvaluator("Eva", lead=True))
        assert refused(engine, MapDecision("d01", "annet", by="Per", levels=(("KH-1", Level.P),))) == (
            "unknown_evaluator")
        do(engine, MapDecision("d01", "annet", by="Eva", levels=(("KH-1", Level.P),)))

    def test_after_endex_a_mapping_is_recorded_without_effects(self) -> None:
        engine = self.written()
        do(engine, EndExercise("Slutt"))
        values = engine.state.indicator_values()
        events = do(engine, MapDecision("d01", "a", by="Eva"))
        assert kinds(events) == ["decision_mapped"] and events[0].applied is False  # type: ignore[attr-defined]
        assert engine.state.indicator_values() == values
        assert engine.state.decision("d01").status is DecisionStatus.DECIDED


class TestStoredForm:
    def test_events_round_trip_and_a_session_stored_before_the_mode_folds_as_before(self) -> None:
        engine = opened()
        do(engine, WriteDecision("d01", "Daglig status", "Ro", "hr"),
           MapDecision("d01", "annet", by="Eva", levels=(("KH-2", Level.S),)))
        for event in engine.events:
            data = json.loads(json.dumps(event_to_dict(event), sort_keys=True, ensure_ascii=False))
            assert event_from_dict(data) == event
        # a session stored by an older version: its session_started has no decide_first key
        old = start(basic())
        do(old, Advance(OPENS), Decide("d01", "a", "Ro", "hr"))
        stored = [event_to_dict(e) for e in old.events]
        assert "decide_first" not in stored[0]
        read = [event_from_dict(d) for d in stored]
        assert [event_to_dict(e) for e in read] == stored  # byte-identical again
        assert fold(old.scenario, read) == old.state and not fold(old.scenario, read).decide_first

    def test_bad_stored_mappings_are_format_errors(self) -> None:
        engine = opened()
        do(engine, WriteDecision("d01", "Daglig status"))
        data = event_to_dict(engine.events[-1])
        mapped = {**data, "kind": "decision_mapped", "seq": data["seq"] + 1, "option_id": "annet", "by": "Eva",
                  "levels": {"KH-2": "Q"}, "note": "", "applied": False}
        for key in ("text", "rationale", "decided_by", "response_minutes", "response_seconds"):
            mapped.pop(key)
        from krise_ovelse.engine import EventFormatError
        with pytest.raises(EventFormatError) as error:
            event_from_dict(mapped)
        assert str(error.value) == f"decision_mapped event {mapped['seq']}: 'Q' is not a valid Level"
        with pytest.raises(EventFormatError) as error:
            event_from_dict({**mapped, "levels": ["KH-2"]})
        assert str(error.value) == f"decision_mapped event {mapped['seq']}: expected a mapping, found list ['KH-2']"
        good = event_from_dict({**mapped, "levels": {"KH-2": "S"}})
        with pytest.raises(EventFormatError) as error:  # no written decision to map at that point of a log
            fold(engine.scenario, [*list(engine.events)[:-1], attrs.evolve(good, seq=data["seq"])])
        assert str(error.value) == f"decision_mapped {data['seq']}: no written, unmapped decision 'd01'"
        with pytest.raises(EventFormatError) as error:  # mapped twice
            fold(engine.scenario, [*engine.events, good, attrs.evolve(good, seq=data["seq"] + 2)])
        assert str(error.value) == f"decision_mapped {data['seq'] + 2}: no written, unmapped decision 'd01'"
        with pytest.raises(EventFormatError) as error:  # written twice
            fold(engine.scenario, [*engine.events, attrs.evolve(engine.events[-1], seq=data["seq"] + 1)])
        assert str(error.value) == f"decision_written {data['seq'] + 1}: decision d01 is written, not open"


# --- property: random decide-first sessions fold to the engine's state, deterministically -----

SMALL: Scenario = scenario(
    phases=[phase("p1", "D+0", 720)], ends="D+10",
    injects=[inject("i01", "D+0 08:00"), inject("i02", "D+1 08:00"), inject("c1", when="decided(d01)")],
    decisions=[decision("d01", "i01", [option("a"), option("b")], "b", deadline="1d"),
               decision("d02", "i02", [option("a"), option("b")], "a", deadline="6h")],
)
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8)
ids = st.sampled_from(["d01", "d02", "zz"])
step = st.one_of(
    st.builds(Advance, st.integers(min_value=-1, max_value=900)),
    st.builds(AdvanceToNext, st.none()),
    st.builds(WriteDecision, ids, words, words, words),
    st.builds(MapDecision, ids, st.sampled_from(["a", "b", "annet", "x"]), st.sampled_from(["Eva", "", "Per"]),
              st.lists(st.tuples(st.sampled_from(["KH-1", "KH-2"]), st.sampled_from(list(Level))), max_size=2)
              .map(tuple), words),
    st.builds(Decide, ids, st.sampled_from(["a", "b"])),
    st.just(Pause()), st.just(Resume()),
    st.integers(0, 12).map(lambda n: EndExercise("") if n == 0 else Resume()),
)


def _play(script: list[Command], resume_at: int | None = None) -> Engine:
    clock = FakeClock()
    engine = Engine.start(SMALL, team="T", clock=clock, seed=3, decide_first=True)
    engine.handle(Resume())
    for n, command in enumerate(script):
        if n == resume_at:
            engine = Engine(SMALL, clock=clock, events=list(engine.events))
        clock.advance(7)
        try:
            engine.handle(command)
        except CommandRefused as refusal:
            assert refusal.code != "decide_first" or isinstance(command, Decide)
            continue
        assert engine.state == fold(SMALL, engine.events)
    return engine


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=3, max_size=40), st.integers(min_value=0, max_value=30))
def test_random_decide_first_sessions_fold_deterministically(script: list[Command], resume_at: int) -> None:
    first = _play(script)
    events = [event_to_dict(e) for e in first.events]
    assert events == [event_to_dict(e) for e in _play(script, resume_at).events]
    assert all(e["kind"] != "decision_made" or any(
        m["kind"] == "decision_mapped" and m["decision_id"] == e["decision_id"] for m in events) for e in events)
    for data in events:
        assert event_to_dict(event_from_dict(json.loads(json.dumps(data)))) == data


def _reason(engine: Engine, command: Command) -> str:
    with pytest.raises(CommandRefused) as caught:
        engine.handle(command)
    return caught.value.reason


def test_refused_writing_and_mapping_say_why() -> None:
    normal = start(basic())
    do(normal, Advance(OPENS))
    assert _reason(normal, WriteDecision("d01", "x")) == (
        "writing a decision in the team's own words is for exercises played decide-first; this one shows the "
        "options and the team chooses one (Decide)")
    assert _reason(normal, MapDecision("d01", "a", by="Eva")) == (
        "mapping a written decision is for exercises played decide-first; this one shows the options and the team "
        "chooses one (Decide)")
    engine = start(basic(), decide_first=True, criteria={"KH-1", "KH-2"})
    do(engine, Advance(OPENS))
    assert _reason(engine, MapDecision("d01", "a", by="Eva")) == (
        "decision d01 is open; the team has not written a decision to map")
    assert _reason(engine, WriteDecision("d01", " ")) == "the team's decision must not be empty"
    assert _reason(engine, WriteDecision("d01", "x" * 2001)) == (
        "the team's decision is at most 2000 characters, not 2001")
    assert _reason(engine, WriteDecision("zz", "x")) == "there is no decision 'zz'"
    do(engine, WriteDecision("d01", "x" * 2000))  # at the limit
    assert _reason(engine, WriteDecision("d01", "igjen")) == "decision d01 is already written and awaits mapping"
    for command, reason in [
        (MapDecision("d01", "x", by="Eva"), "decision d01 has no option 'x' (options: a, b, or annet)"),
        (MapDecision("d01", "a", by=" "), "the name of who maps the decision must not be empty"),
        (MapDecision("d01", "a", by="Eva", levels=(("KH-1", Level.P),)),
         "levels go with a mapping to annet; an option's own tags rate a mapped option"),
        (MapDecision("d01", "annet", by="Eva"), "a mapping to annet must rate at least one criterion (P, S, M or U)"),
        (MapDecision("d01", "annet", by="Eva", levels=(("KH-1",),)),  # type: ignore[arg-type]
         "levels must be (criterion id, level) pairs"),
        (MapDecision("d01", "annet", by="Eva", levels=(("KH-1", Level.NO),)),
         "the level must be one of P, S, M, U, not <Level.NO: 'N/O'>"),
        (MapDecision("d01", "annet", by="Eva", levels=(("KH-1", Level.P), ("KH-1", Level.S))),
         "criterion KH-1 is rated twice"),
    ]:
        assert _reason(engine, command) == reason
    do(engine, AddEvaluator("Eva", lead=True), AddEvaluator("Kim"))
    assert _reason(engine, MapDecision("d01", "annet", by="Per", levels=(("KH-1", Level.P),))) == (
        "'Per' is not an evaluator of this session (evaluators: Eva, Kim)")
    do(engine, MapDecision("d01", "a", by="Eva"))
    assert _reason(engine, MapDecision("d01", "b", by="Eva")) == (
        "decision d01 is already mapped to a by Eva; a mapping is final (the team can revise the decision)")
