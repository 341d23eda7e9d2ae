"""The scenario clock: compression, speed, phases, jumps, pauses, both modes, the end."""

from __future__ import annotations

import pytest

from krise_ovelse.engine import (
    AddObservation,
    Advance,
    AdvanceToDecision,
    AdvanceToNext,
    CommandRefused,
    Decide,
    EndExercise,
    InjectStatus,
    JumpToPhase,
    Mode,
    Pause,
    RateCriterion,
    ReleaseInject,
    Resume,
    SetMode,
    SetSpeed,
    Tick,
    fold,
)
from krise_ovelse.model.scenario import Level, Scenario
from krise_ovelse.model.timefmt import parse_time

from .engine_helpers import FakeClock, basic, do, indicator, inject, kinds, phase, scenario, start


def minutes(text: str) -> int:
    return parse_time(text).minutes


def two_phases(compression1: float = 720, compression2: float = 1440, **kw: object) -> Scenario:
    return scenario(phases=[phase("p1", "D+0", compression1), phase("p2", "D+1", compression2)], **kw)  # type: ignore[arg-type]


class TestRealTime:
    def test_compression_turns_seconds_into_scenario_minutes(self) -> None:
        engine = start(two_phases(), mode=Mode.REAL_TIME)
        events = do(engine, Tick(10))
        assert kinds(events) == ["clock_advanced"]
        assert engine.state.scenario_minutes == 120  # 10 s at 12 scenario minutes per second
        assert engine.state.exercise_seconds == 10.0

    def test_speed_multiplies(self) -> None:
        engine = start(two_phases(), mode=Mode.REAL_TIME)
        do(engine, SetSpeed(2), Tick(10))
        assert engine.state.scenario_minutes == 240  # twice as fast: 24 scenario minutes per second
        do(engine, SetSpeed(0.5), Tick(10))
        assert engine.state.scenario_minutes == 240 + 60
        assert engine.state.exercise_seconds == 20.0  # speed changes scenario time, not play time

    def test_fractions_of_a_minute_carry_over(self) -> None:
        engine = start(two_phases(compression1=1), mode=Mode.REAL_TIME)
        do(engine, Tick(30))
        assert (engine.state.scenario_minutes, engine.state.clock.carry) == (0, 0.5)
        do(engine, Tick(30))
        assert (engine.state.scenario_minutes, engine.state.clock.carry) == (1, 0.0)

    def test_crossing_a_phase_start_changes_compression(self) -> None:
        engine = start(two_phases(), mode=Mode.REAL_TIME)
        do(engine, SetMode(Mode.PACED), Advance(minutes("D+0 23:00")), SetMode(Mode.REAL_TIME))
        events = do(engine, Tick(10))
        # 60 minutes at 12/s take 5 s; the other 5 s run at 24/s: 120 minutes into p2
        assert engine.state.scenario_minutes == minutes("D+1 02:00")
        assert engine.state.phase_id == "p2"
        changed = next(e for e in events if e.kind == "phase_changed")
        assert changed.scenario_minutes == minutes("D+1 00:00")
        assert changed.exercise_seconds == pytest.approx(engine.state.exercise_seconds - 5)

    def test_reaching_a_phase_end_jumps_to_the_next_start(self) -> None:
        scn = scenario(phases=[phase("a", "D+0", 1440, ends="D+1"), phase("b", "D+10", 1440)], ends="D+20")
        engine = start(scn, mode=Mode.REAL_TIME)
        events = do(engine, Tick(60 + 30))  # one day takes 60 s; then 30 s more in b
        assert "clock_jumped" in kinds(events)
        jumped = next(e for e in events if e.kind == "clock_jumped")
        assert (jumped.from_minute, jumped.scenario_minutes) == (minutes("D+1"), minutes("D+10"))  # type: ignore[attr-defined]
        assert engine.state.scenario_minutes == minutes("D+10 12:00")
        assert engine.state.phase_id == "b"

    def test_every_event_in_a_tick_has_its_own_times(self) -> None:
        scn = scenario(phases=[phase("p1", "D+0", 60)], injects=[inject("i1", "D+0 00:10"), inject("i2", "D+0 00:20")])
        engine = start(scn, mode=Mode.REAL_TIME)
        events = do(engine, Tick(25))  # 60 scenario minutes per minute: one per second
        released = [e for e in events if e.kind == "inject_released"]
        assert [(e.scenario_minutes, e.exercise_seconds) for e in released] == [(10, 10.0), (20, 20.0)]

    def test_a_tick_that_ends_on_an_injects_minute_releases_it(self) -> None:
        scn = scenario(phases=[phase("p1", "D+0", 60)], injects=[inject("i1", "D+0 00:10")])
        engine = start(scn, mode=Mode.REAL_TIME)
        events = do(engine, Tick(10))
        assert kinds(events) == ["clock_advanced", "inject_released"]
        assert (engine.state.scenario_minutes, engine.state.clock.carry) == (10, 0.0)

    def test_the_part_of_a_tick_after_a_release_still_counts(self) -> None:
        scn = scenario(phases=[phase("p1", "D+0", 60)], injects=[inject("i1", "D+0 00:10")])
        engine = start(scn, mode=Mode.REAL_TIME)
        events = do(engine, Tick(10.5))
        assert kinds(events) == ["clock_advanced", "inject_released", "clock_advanced"]
        assert (engine.state.scenario_minutes, engine.state.clock.carry) == (10, 0.5)
        assert engine.state.exercise_seconds == 10.5
        do(engine, Tick(1))  # a single second is a minute here
        assert (engine.state.scenario_minutes, engine.state.clock.carry) == (11, 0.5)

    def test_a_jump_and_a_switch_to_paced_drop_the_part_minute(self) -> None:
        engine = start(two_phases(compression1=1), mode=Mode.REAL_TIME)
        do(engine, Tick(30))
        assert engine.state.clock.carry == 0.5
        do(engine, JumpToPhase("p2"))
        assert (engine.state.scenario_minutes, engine.state.clock.carry) == (minutes("D+1"), 0.0)
        do(engine, Tick(1.25))  # 24 minutes a second in p2: 30 minutes
        assert (engine.state.scenario_minutes, engine.state.clock.carry) == (minutes("D+1 00:30"), 0.0)
        do(engine, Tick(0.1))  # 2.4 minutes
        assert engine.state.scenario_minutes == minutes("D+1 00:32")
        assert engine.state.clock.carry == pytest.approx(0.4)
        do(engine, SetMode(Mode.PACED))
        assert engine.state.clock.carry == 0.0
        do(engine, Advance(1))
        assert (engine.state.scenario_minutes, engine.state.clock.carry) == (minutes("D+1 00:33"), 0.0)

    @pytest.mark.parametrize("seconds", [0, -1, 86400.5, float("inf"), float("nan"), True, "1"])
    def test_a_tick_is_more_than_nothing_and_at_most_a_day(self, seconds: object) -> None:
        engine = start(two_phases(), mode=Mode.REAL_TIME)
        with pytest.raises(CommandRefused) as refused:
            engine.handle(Tick(seconds))  # type: ignore[arg-type]
        assert (refused.value.code, refused.value.reason) == (
            "bad_value", f"a tick must be between 0 and 86400 seconds, not {seconds!r}")

    def test_half_a_second_and_a_whole_day_are_ticks(self) -> None:
        engine = start(scenario(phases=[phase("p1", "D+0", 1)], ends="D+30"), mode=Mode.REAL_TIME)
        do(engine, Tick(0.5), Tick(86400))
        assert engine.state.exercise_seconds == 86400.5 and engine.state.scenario_minutes == 1440

    def test_the_speed_goes_up_to_a_hundred(self) -> None:
        engine = start(two_phases(), mode=Mode.REAL_TIME)
        do(engine, SetSpeed(100), Tick(1))
        assert engine.state.scenario_minutes == 1200  # 12 scenario minutes a second, a hundred times

    def test_paused_clock_does_not_tick(self) -> None:
        engine = start(two_phases(), mode=Mode.REAL_TIME)
        do(engine, Pause())
        with pytest.raises(CommandRefused) as refused:
            engine.handle(Tick(5))
        assert refused.value.code == "paused"
        assert engine.tick(5) == ()  # the console's timer may keep calling
        do(engine, Resume())
        assert len(engine.tick(5)) == 1

    def test_tick_is_refused_in_paced_mode(self) -> None:
        engine = start(two_phases())
        with pytest.raises(CommandRefused) as refused:
            engine.handle(Tick(5))
        assert refused.value.code == "wrong_mode"
        assert engine.tick(5) == ()


class TestPaced:
    def test_session_starts_paused_and_releases_d0_injects(self) -> None:
        scn = scenario(injects=[inject("i0", "D+0"), inject("i1", "D+0 08:00")])
        engine = start(scn, run=False)
        assert engine.state.paused
        assert kinds(engine.events) == ["session_started", "inject_released"]
        with pytest.raises(CommandRefused) as refused:
            engine.handle(Advance(10))
        assert refused.value.code == "paused"

    def test_advance_releases_on_the_way_at_the_right_minutes(self) -> None:
        scn = scenario(injects=[inject("i1", "D+0 08:00"), inject("i2", "D+0 09:30")])
        engine = start(scn)
        events = do(engine, Advance(minutes("D+0 10:00")))
        assert [(e.kind, e.scenario_minutes) for e in events] == [
            ("clock_advanced", 480), ("inject_released", 480),
            ("clock_advanced", 570), ("inject_released", 570),
            ("clock_advanced", 600),
        ]

    def test_advance_to_next_stops_at_the_first_of_inject_deadline_phase(self) -> None:
        engine = start(basic())
        stops = []
        while not engine.state.ended:
            do(engine, AdvanceToNext())
            stops.append(engine.state.scenario_minutes)
        assert stops == [
            minutes("D+0 08:00"),  # i01
            minutes("D+1 12:00"),  # i05
            minutes("D+2 00:00"),  # d02's deadline (12h)
            minutes("D+2 08:00"),  # d01's deadline, b by default
            minutes("D+14"),  # the end of akutt (D+3) jumps to lang
            minutes("D+15 09:00"),  # i06
            minutes("D+30"),  # the end
        ]

    def test_advance_to_next_respects_a_limit(self) -> None:
        engine = start(basic())
        do(engine, AdvanceToNext(limit=60))
        assert engine.state.scenario_minutes == 60
        with pytest.raises(CommandRefused):
            engine.handle(AdvanceToNext(limit=60))

    def test_exercise_seconds_follow_the_wall_clock_while_running(self) -> None:
        clock = FakeClock()
        engine = start(basic(), clock, run=False)
        clock.advance(100)  # before STARTEX: not play
        do(engine, Resume())
        clock.advance(30)
        do(engine, Advance(10))
        assert engine.state.exercise_seconds == 30.0
        do(engine, Pause())
        clock.advance(600)  # a coffee break
        do(engine, Resume())
        clock.advance(15)
        do(engine, Advance(10))
        assert engine.state.exercise_seconds == 45.0
        assert engine.state.wall == "2025-03-12T08:12:25+00:00"


class TestJumps:
    def test_jump_to_phase_skips_scheduled_injects_and_misses_deadlines(self) -> None:
        engine = start(basic())
        do(engine, Advance(minutes("D+0 09:00")))  # d01 open, deadline D+2 08:00
        load = engine.state.indicator("load")
        events = do(engine, JumpToPhase("lang"))
        assert kinds(events) == [
            "inject_skipped", "clock_jumped", "phase_changed", "decision_missed", "inject_released",
        ]
        assert engine.state.inject("i05").status.value == "skipped"
        assert "jump to phase lang" in engine.state.inject("i05").skip_reason
        assert engine.state.scenario_minutes == minutes("D+14")
        missed = engine.state.decision("d01")
        assert missed.missed and missed.option_id == "b"
        assert engine.state.indicator("load") == load  # no drift across the jump
        assert engine.state.inject("i07").released  # b's follow-up, due at once

    def test_a_jump_skips_what_lies_strictly_between_and_releases_what_is_due_where_it_lands(self) -> None:
        scn = scenario(phases=[phase("p1", "D+0"), phase("p2", "D+2")], ends="D+5",
                       injects=[inject("now", "D+0 01:00"), inject("next", "D+0 01:01"), inject("last", "D+1 23:59"),
                                inject("there", "D+2")])
        engine = start(scn)
        do(engine, Advance(60))
        events = do(engine, JumpToPhase("p2"))
        skipped = [(e.inject_id, e.reason, e.by) for e in events if e.kind == "inject_skipped"]  # type: ignore[attr-defined]
        assert skipped == [("next", "passed over by the jump to phase p2", ""),
                           ("last", "passed over by the jump to phase p2", "")]
        assert [e.inject_id for e in events if e.kind == "inject_released"] == ["there"]  # type: ignore[attr-defined]
        assert engine.state.inject("now").status is InjectStatus.RELEASED

    def test_jumps_only_go_ahead(self) -> None:
        engine = start(basic())
        for target, code in (("akutt", "backwards"), ("nope", "unknown_phase")):
            with pytest.raises(CommandRefused) as refused:
                engine.handle(JumpToPhase(target))
            assert refused.value.code == code


class TestEnd:
    def test_reaching_the_end_of_play_is_endex(self) -> None:
        engine = start(basic())
        events = do(engine, Advance(10**7))
        assert events[-1].kind == "session_ended"
        assert events[-1].reason.value == "scenario_end"  # type: ignore[attr-defined]
        assert engine.state.scenario_minutes == minutes("D+30")
        assert engine.state.ended and not engine.state.running

    def test_the_end_of_play_is_recorded_without_a_note(self) -> None:
        engine = start(basic())
        events = do(engine, Advance(minutes("D+30")))
        ended = events[-1]
        assert (ended.kind, ended.reason.value, ended.note) == ("session_ended", "scenario_end", "")  # type: ignore[attr-defined]
        assert engine.state.session is not None and engine.state.session.facilitator == ""

    def test_endex_by_the_facilitator_refuses_everything_after(self) -> None:
        engine = start(basic())
        do(engine, EndExercise("tiden er ute"))
        assert engine.state.end_reason == "facilitator"
        for command in (Advance(1), Resume(), ReleaseInject("i03"), EndExercise()):
            with pytest.raises(CommandRefused) as refused:
                engine.handle(command)
            assert refused.value.code == "ended"
        assert engine.tick(1) == ()

    def test_evaluation_goes_on_after_endex(self) -> None:
        engine = start(basic())
        do(engine, EndExercise("tiden er ute"))
        rated = do(engine, RateCriterion("KH-2", Level.S, "god informasjon", "evaluator"))
        noted = do(engine, AddObservation("Laget informerte tidlig", "evaluator", ("KH-2",)))
        assert [e.kind for e in (*rated, *noted)] == ["criterion_rated", "observation_added"]
        assert engine.state == fold(engine.scenario, engine.events)
        assert engine.state.ended

    def test_indicator_drift_stops_at_a_real_time_end(self) -> None:
        scn = scenario(phases=[phase("p", "D+0", 1440)], ends="D+1",
                       indicators=[indicator("x", 0, drift={"p": "10/day"})])
        engine = start(scn, mode=Mode.REAL_TIME)
        do(engine, Tick(3600))
        assert engine.state.ended
        assert engine.state.indicator("x") == 10.0
        assert engine.state.exercise_seconds == 60.0  # the rest of the tick was not played


def test_advance_to_decision_plays_through_to_the_next_opening() -> None:
    engine = start(basic())
    events = do(engine, AdvanceToDecision())
    assert engine.state.scenario_minutes == minutes("D+0 08:00") and events[-1].kind == "decision_opened"
    do(engine, Decide("d01", "a"))
    events = do(engine, AdvanceToDecision())
    assert engine.state.scenario_minutes == minutes("D+1 12:00")  # i04 (follow-up) released on the way
    assert "inject_released" in kinds(events[:-2])
    do(engine, AdvanceToDecision(limit=minutes("D+1 13:00")))
    assert engine.state.scenario_minutes == minutes("D+1 13:00")  # nothing opened before the limit
    do(engine, AdvanceToDecision())
    assert engine.state.ended  # no decision left to open


def test_next_stop_tells_the_console_when_something_happens() -> None:
    engine = start(basic())
    assert engine.next_stop() == minutes("D+0 08:00")
    do(engine, Advance(minutes("D+0 08:00")), Decide("d01", "a"))
    assert engine.next_stop() == minutes("D+1 08:00")  # the follow-up i04
    do(engine, EndExercise())
    assert engine.next_stop() is None


def test_start_refuses_bad_participants() -> None:
    from krise_ovelse.engine import Engine, StartSession

    engine = Engine(basic(), clock=FakeClock())
    with pytest.raises(CommandRefused) as refused:
        engine.handle(StartSession("T", participants=({"name": "Kari"},)))  # type: ignore[arg-type]
    assert refused.value.code == "bad_value"
