"""Decision points, effects and bounds, drift, revisions, observations and ratings."""

from __future__ import annotations

import pytest

from krise_ovelse.engine import (
    AddObservation,
    Advance,
    AmendDecisionRecord,
    CommandRefused,
    Decide,
    DecisionStatus,
    EndExercise,
    JumpToPhase,
    Mode,
    Pause,
    RateCriterion,
    Resume,
    ReviseDecision,
    SetMode,
    Tick,
)
from krise_ovelse.model.scenario import Level
from krise_ovelse.model.timefmt import parse_time

from .engine_helpers import FakeClock, basic, do, indicator, inject, kinds, phase, scenario, start


def minutes(text: str) -> int:
    return parse_time(text).minutes


class TestDecisions:
    def test_opens_with_its_inject_and_has_a_deadline(self) -> None:
        engine = start(basic())
        events = do(engine, Advance(minutes("D+0 08:00")))
        assert kinds(events)[-2:] == ["inject_released", "decision_opened"]
        state = engine.state.decision("d01")
        assert (state.status, state.opened_at, state.deadline) == (DecisionStatus.OPEN, 480, minutes("D+2 08:00"))
        assert [d.decision_id for d in engine.state.open_decisions()] == ["d01"]

    def test_decide_records_rationale_who_and_response_time(self) -> None:
        clock = FakeClock()
        engine = start(basic(), clock)
        do(engine, Advance(minutes("D+0 08:00")))
        clock.advance(90)
        do(engine, Advance(30))
        clock.advance(60)
        events = do(engine, Decide("d01", "a", "Daglig status gir ro i organisasjonen", "HR-direktør"))
        record = engine.state.history()[-1]
        assert (record.option_id, record.rationale, record.decided_by) == (
            "a", "Daglig status gir ro i organisasjonen", "HR-direktør")
        assert (record.response_minutes, record.response_seconds, record.missed) == (30, 150.0, False)
        assert events[0].values == (("load", pytest.approx(45.0 + 8.5 / 24)), ("trust", 100.0))  # type: ignore[attr-defined]
        assert engine.state.open_decisions() == ()

    def test_effects_are_clamped_to_the_bounds(self) -> None:
        engine = start(basic())
        do(engine, Advance(minutes("D+0 08:00")), Decide("d01", "a"))
        assert engine.state.indicator("trust") == 100.0  # 60 + 50, max 100
        do(engine, Advance(minutes("D+1 04:00")), Decide("d02", "a"))
        assert engine.state.indicator("load") == 0.0  # -100, min 0

    def test_flags_are_set_and_cleared(self) -> None:
        engine = start(basic())
        do(engine, Advance(minutes("D+0 08:00")), Decide("d01", "a"))
        assert engine.state.has_flag("daily")
        do(engine, Advance(minutes("D+1 04:00")), Decide("d02", "b"))
        assert not engine.state.has_flag("daily")

    def test_deadline_passes_default_applied_and_recorded_as_missed(self) -> None:
        engine = start(basic())
        do(engine, Advance(minutes("D+0 08:00")))
        events = do(engine, Advance(minutes("D+2")))
        missed = [e for e in events if e.kind == "decision_missed"]
        assert [(e.decision_id, e.option_id, e.scenario_minutes) for e in missed] == [  # type: ignore[attr-defined]
            ("d02", "a", minutes("D+2 00:00")), ("d01", "b", minutes("D+2 08:00"))]
        assert engine.state.decision("d01").status is DecisionStatus.MISSED
        assert engine.state.was_missed("d01") and engine.state.chosen_option("d01") is None
        assert engine.state.decision("d01").option_id == "b"
        assert engine.state.history()[-1].missed
        assert engine.state.inject("i07").released  # the default's follow-up
        with pytest.raises(CommandRefused) as refused:
            engine.handle(Decide("d01", "a"))
        assert refused.value.code == "not_open"

    def test_a_decided_or_missed_decision_keeps_when_it_opened_and_its_deadline(self) -> None:
        clock = FakeClock()
        engine = start(basic(), clock)
        clock.advance(40)
        do(engine, Advance(minutes("D+0 08:00")))
        do(engine, Decide("d01", "a", "Ro", "Kari"))
        decided = engine.state.decision("d01")
        assert (decided.decision_id, decided.opened_at, decided.deadline, decided.opened_exercise_seconds) == (
            "d01", minutes("D+0 08:00"), minutes("D+2 08:00"), 40.0)
        do(engine, Advance(minutes("D+2") - minutes("D+0 08:00")))  # d02 (opened D+1 12:00) is missed
        missed = engine.state.decision("d02")
        assert (missed.decision_id, missed.status, missed.opened_at, missed.deadline) == (
            "d02", DecisionStatus.MISSED, minutes("D+1 12:00"), minutes("D+2"))
        assert missed.opened_exercise_seconds == engine.state.inject("i05").released_exercise_seconds
        record = engine.state.history()[-1]
        assert (record.decision_id, record.missed, record.response_minutes, record.response_seconds) == (
            "d02", True, None, None)  # no response: nobody chose

    def test_revision_applies_on_top_and_keeps_history(self) -> None:
        engine = start(basic())
        do(engine, Advance(minutes("D+0 08:00")), Decide("d01", "b", "vent og se", "Kari"))
        trust_after_b = engine.state.indicator("trust")
        events = do(engine, Advance(60), ReviseDecision("d01", "a", "vi snur", "Ola"))
        revised = events[-2] if events[-1].kind == "inject_released" else events[-1]
        assert revised.kind == "decision_revised"
        assert revised.revision == 1  # type: ignore[attr-defined]
        assert engine.state.indicator("trust") == min(100.0, trust_after_b + 50)
        assert [(r.option_id, r.revision, r.rationale, r.decided_by) for r in engine.state.history()] == [
            ("b", 0, "vent og se", "Kari"), ("a", 1, "vi snur", "Ola")]
        assert engine.state.chosen_option("d01") == "a"
        assert engine.state.decision("d01").revisions == 1
        with pytest.raises(CommandRefused) as refused:
            engine.handle(ReviseDecision("d01", "a"))
        assert refused.value.code == "no_change"
        do(engine, ReviseDecision("d01", "b"))
        assert engine.state.history()[-1].revision == 2

    def test_a_missed_decision_can_be_revised(self) -> None:
        engine = start(basic())
        do(engine, Advance(minutes("D+2 08:00")), ReviseDecision("d01", "a", "for sent, men likevel"))
        state = engine.state.decision("d01")
        assert (state.status, state.missed, state.option_id, state.revisions) == (DecisionStatus.DECIDED, True, "a", 1)

    def test_a_record_is_corrected_by_an_amending_event_and_the_original_kept(self) -> None:
        engine = start(basic())
        do(engine, Advance(minutes("D+0 08:00")), Decide("d01", "b", "vent og ser", "Ksri"))
        trust = engine.state.indicator("trust")
        made_seq = engine.state.history()[-1].seq
        [event] = do(engine, AmendDecisionRecord("d01", "vent og se", "Kari", by="øvingsleder"))
        assert event.kind == "decision_record_amended"
        assert (event.record_seq, event.previous_rationale, event.previous_decided_by, event.by) == (  # type: ignore[attr-defined]
            made_seq, "vent og ser", "Ksri", "øvingsleder")
        [record] = engine.state.history()
        assert (record.option_id, record.rationale, record.decided_by, record.amendments) == (
            "b", "vent og se", "Kari", 1)
        assert engine.state.indicator("trust") == trust  # nothing else changes
        original = next(e for e in engine.events if e.seq == made_seq)
        assert (original.rationale, original.decided_by) == ("vent og ser", "Ksri")  # type: ignore[attr-defined]
        with pytest.raises(CommandRefused) as refused:
            engine.handle(AmendDecisionRecord("d01", "vent og se", "Kari"))
        assert refused.value.code == "no_change"
        # a revision's record is amended, not the first choice's; also after ENDEX (evaluation)
        do(engine, ReviseDecision("d01", "a", "vi snur", "Ola"), EndExercise())
        do(engine, AmendDecisionRecord("d01", "vi snur nå", "Ola"))
        assert [(r.rationale, r.amendments) for r in engine.state.history()] == [("vent og se", 1), ("vi snur nå", 1)]

    def test_revising_to_the_option_in_force_or_amending_to_the_same_words_is_no_change(self) -> None:
        engine = start(basic())
        do(engine, Advance(minutes("D+0 08:00")), Decide("d01", "a", "Ro", "Kari"))
        for command, reason in (
                (ReviseDecision("d01", "a"), "option a is already in force for decision d01"),
                (AmendDecisionRecord("d01", "Ro", "Kari"), "the record of decision d01 already says this")):
            with pytest.raises(CommandRefused) as refused:
                engine.handle(command)
            assert (refused.value.code, refused.value.reason) == ("no_change", reason)

    def test_a_record_can_be_amended_only_after_the_team_chose(self) -> None:
        engine = start(basic())
        for command, code in ((AmendDecisionRecord("d01", "x", "y"), "not_decided"),
                              (AmendDecisionRecord("d99", "x", "y"), "unknown_decision")):
            with pytest.raises(CommandRefused) as refused:
                engine.handle(command)
            assert refused.value.code == code
        do(engine, Advance(minutes("D+2 08:00")))  # missed: the default, nobody's record
        with pytest.raises(CommandRefused) as refused:
            engine.handle(AmendDecisionRecord("d01", "x", "y"))
        assert refused.value.code == "not_decided"

    def test_unknown_decision_option_and_closed_decision_are_refused(self) -> None:
        engine = start(basic())
        for command, code in (
            (Decide("d01", "a"), "not_open"),
            (Decide("d99", "a"), "unknown_decision"),
            (Decide("d01", "z"), "unknown_option"),
            (ReviseDecision("d01", "a"), "not_decided"),
        ):
            with pytest.raises(CommandRefused) as refused:
                engine.handle(command)
            assert refused.value.code == code


class TestIndicators:
    def scn(self) -> object:
        return scenario(
            phases=[phase("a", "D+0", 1440, ends="D+2"), phase("b", "D+10", 1440)], ends="D+20",
            indicators=[indicator("x", 50, drift={"a": "2/day", "b": "-1/day"}),
                        indicator("hidden", 5, visible=False),
                        indicator("capped", 95, drift={"a": "10/day"})],
            injects=[inject("i1", "D+1")],
        )

    def test_drift_per_phase_none_across_the_jump(self) -> None:
        engine = start(self.scn())  # type: ignore[arg-type]
        do(engine, Advance(minutes("D+1 12:00")))
        assert engine.state.indicator("x") == 53.0
        do(engine, Advance(minutes("D+12") - minutes("D+1 12:00")))
        assert engine.state.phase_id == "b"
        assert engine.state.indicator("x") == 54.0 - 2.0  # +4 in a (two days), nothing D+2..D+10, -2 in b
        assert engine.state.indicator("capped") == 100.0

    def test_drift_of_a_phase_starts_when_the_phase_starts(self) -> None:
        scn = scenario(phases=[phase("a", "D+0"), phase("b", "D+1")], ends="D+5",
                       indicators=[indicator("x", 50, drift={"b": "24/day"})])  # one an hour, only in b
        engine = start(scn)
        do(engine, Advance(minutes("D+1 01:00")))
        assert engine.state.phase_id == "b" and engine.state.indicator("x") == 51.0

    def test_no_drift_while_paused(self) -> None:
        engine = start(self.scn(), mode=Mode.REAL_TIME)  # type: ignore[arg-type]
        do(engine, Tick(30))  # 30 s at 1440: half a day
        assert engine.state.indicator("x") == 51.0
        do(engine, Pause())
        assert engine.tick(600) == ()
        do(engine, Resume(), Tick(30))
        assert engine.state.indicator("x") == 52.0

    def test_drift_does_not_depend_on_how_time_was_cut(self) -> None:
        many = start(self.scn(), mode=Mode.REAL_TIME)  # type: ignore[arg-type]
        while many.state.scenario_minutes < minutes("D+15"):
            many.handle(Tick(7.3))
        many.handle(SetMode(Mode.PACED))
        one = start(self.scn())  # type: ignore[arg-type]
        do(one, Advance(many.state.scenario_minutes))
        assert one.state.indicator("x") == many.state.indicator("x")

    def test_hidden_indicators_are_filtered_from_the_team_view(self) -> None:
        engine = start(self.scn())  # type: ignore[arg-type]
        assert set(engine.state.visible_indicators()) == {"x", "capped"}
        assert set(engine.state.indicator_values()) == {"x", "hidden", "capped"}

    def test_history_for_charts(self) -> None:
        engine = start(self.scn())  # type: ignore[arg-type]
        do(engine, Advance(minutes("D+12")))
        assert engine.state.indicator_history("x") == (
            (0, 50.0), (minutes("D+1"), 52.0), (minutes("D+2"), 54.0), (minutes("D+12"), 52.0))
        assert engine.state.indicator_history("hidden") == ((0, 5.0),)

    def test_jump_to_phase_has_no_drift(self) -> None:
        engine = start(self.scn())  # type: ignore[arg-type]
        do(engine, Advance(60), JumpToPhase("b"))
        assert engine.state.indicator("x") == pytest.approx(50 + 2 / 24)


class TestNotes:
    def test_observations_with_criteria_and_references(self) -> None:
        engine = start(basic())
        do(engine, Advance(minutes("D+0 08:00")))
        events = do(engine, AddObservation("Teamet involverte tillitsvalgte tidlig", "evaluator",
                                           ("KH-2",), inject_id="i01", decision_id="d01"))
        assert events[0].observation_id == "obs-1"  # type: ignore[attr-defined]
        note = engine.state.observations[0]
        assert (note.text, note.author, note.criteria, note.inject_id, note.decision_id, note.scenario_minutes) == (
            "Teamet involverte tillitsvalgte tidlig", "evaluator", ("KH-2",), "i01", "d01", 480)
        assert (note.seq, note.observation_id, note.exercise_seconds, note.wall) == (
            events[0].seq, "obs-1", events[0].exercise_seconds, events[0].wall)
        assert note.wall  # the wall-clock time it was written
        for command, code in (
            (AddObservation(" "), "bad_value"),
            (AddObservation("x", inject_id="nope"), "unknown_inject"),
            (AddObservation("x", decision_id="nope"), "unknown_decision"),
        ):
            with pytest.raises(CommandRefused) as refused:
                engine.handle(command)
            assert refused.value.code == code

    def test_ratings_are_recorded_and_latest_wins(self) -> None:
        engine = start(basic(), criteria={"KH-2", "OE-1"})
        do(engine, RateCriterion("KH-2", Level.S, "ok", "evaluator"), RateCriterion("KH-2", Level.P, "bedre"))
        assert len(engine.state.ratings) == 2
        first = engine.state.ratings[0]
        rated = engine.events[-2]
        assert (first.seq, first.criterion_id, first.level, first.reason, first.by, first.scenario_minutes,
                first.exercise_seconds, first.wall) == (rated.seq, "KH-2", Level.S, "ok", "evaluator",
                                                        rated.scenario_minutes, rated.exercise_seconds, rated.wall)
        assert first.wall
        assert engine.state.current_ratings()["KH-2"].level is Level.P
        with pytest.raises(CommandRefused) as refused:
            engine.handle(RateCriterion("XX-9", Level.P))
        assert refused.value.code == "unknown_criterion"
        with pytest.raises(CommandRefused) as refused:
            engine.handle(RateCriterion("KH-2", "P"))  # type: ignore[arg-type]
        assert refused.value.code == "bad_value"
