"""Inject triggers (scheduled, conditional, manual, follow-up, ad hoc) and statuses."""

from __future__ import annotations

import pytest

from krise_ovelse.engine import (
    AcknowledgeInject,
    AddAdhocInject,
    Advance,
    AdvanceToNext,
    CommandRefused,
    Decide,
    InjectStatus,
    MarkInjectDone,
    PresentInject,
    ReleaseInject,
    ReleaseSource,
    SkipInject,
    upcoming_injects,
)
from krise_ovelse.model.scenario import Channel
from krise_ovelse.model.timefmt import parse_time

from .engine_helpers import FakeClock, basic, decision, do, indicator, inject, kinds, option, phase, scenario, start


def minutes(text: str) -> int:
    return parse_time(text).minutes


def test_scheduled_inject_is_released_at_its_time() -> None:
    engine = start(basic())
    do(engine, Advance(minutes("D+0 07:59")))
    assert engine.state.inject("i01").status is InjectStatus.PENDING
    do(engine, Advance(1))
    state = engine.state.inject("i01")
    assert (state.status, state.source, state.released_at) == (InjectStatus.RELEASED, ReleaseSource.SCHEDULE, 480)


def test_status_goes_released_acknowledged_done() -> None:
    engine = start(basic())
    do(engine, Advance(minutes("D+0 08:00")))
    do(engine, AcknowledgeInject("i01", by="Kari"))
    assert engine.state.inject("i01").status is InjectStatus.ACKNOWLEDGED
    do(engine, MarkInjectDone("i01", by="Kari"))
    state = engine.state.inject("i01")
    assert (state.status, state.acknowledged_at, state.done_at) == (InjectStatus.DONE, 480, 480)
    assert state.released


def test_an_inject_acknowledged_and_done_keeps_when_and_how_it_was_released() -> None:
    clock = FakeClock()
    engine = start(basic(), clock)
    clock.advance(90)
    do(engine, Advance(minutes("D+0 08:00")))
    released = engine.state.inject("i01")
    assert released.released_exercise_seconds == 90.0
    do(engine, Advance(10), AcknowledgeInject("i01", by="Kari"))
    acknowledged = engine.state.inject("i01")
    assert (acknowledged.source, acknowledged.released_at, acknowledged.released_exercise_seconds,
            acknowledged.acknowledged_at) == (ReleaseSource.SCHEDULE, 480, 90.0, 490)
    do(engine, Advance(20), MarkInjectDone("i01", by="Kari"))
    done = engine.state.inject("i01")
    assert (done.inject_id, done.status, done.source, done.released_at, done.released_exercise_seconds,
            done.acknowledged_at, done.done_at) == ("i01", InjectStatus.DONE, ReleaseSource.SCHEDULE, 480, 90.0,
                                                    490, 510)
    assert done.released and engine.state.released_injects()[0] == done


def test_the_inject_on_the_teams_screen_is_remembered_until_another_is_shown() -> None:
    engine = start(basic())
    do(engine, Advance(minutes("D+0 08:00")), PresentInject("i01", by="Kari"))
    assert engine.state.presented == "i01" and engine.state.seq == engine.events[-1].seq
    with pytest.raises(CommandRefused) as refused:
        engine.handle(PresentInject("i01"))
    assert refused.value.code == "no_change"
    do(engine, PresentInject(None))
    assert engine.state.presented is None


def test_the_state_lists_scenario_injects_then_ad_hoc_ones() -> None:
    engine = start(basic())
    do(engine, AddAdhocInject("VG ringer", "", Channel.PHONE, release=False))
    states = engine.state.inject_states()
    assert [s.inject_id for s in states] == ["i01", "i02", "i03", "i04", "i05", "i06", "i07", "adhoc-1"]
    assert all(engine.state.has_inject(s.inject_id) for s in states)
    assert not engine.state.has_inject("i99") and not engine.state.has_inject("adhoc-2")


def test_done_without_acknowledging_is_fine_but_not_twice() -> None:
    engine = start(basic())
    do(engine, Advance(minutes("D+0 08:00")), MarkInjectDone("i01"))
    with pytest.raises(CommandRefused) as refused:
        engine.handle(MarkInjectDone("i01"))
    assert refused.value.code == "bad_status"


def test_skip_needs_a_reason_and_a_pending_inject() -> None:
    engine = start(basic())
    with pytest.raises(CommandRefused) as refused:
        engine.handle(SkipInject("i05", "  "))
    assert refused.value.code == "bad_value"
    do(engine, SkipInject("i05", "teamet har allerede tatt dette", by="øvingsleder"))
    skipped = engine.state.inject("i05")
    assert (skipped.inject_id, skipped.status, skipped.skipped_at, skipped.skip_reason) == (
        "i05", InjectStatus.SKIPPED, 0, "teamet har allerede tatt dette")
    events = do(engine, Advance(minutes("D+2")))
    assert "i05" not in [getattr(e, "inject_id", None) for e in events]
    assert engine.state.decision("d02").status.value == "closed"  # its opener never came


def test_manual_inject_waits_for_the_facilitator() -> None:
    engine = start(basic())
    do(engine, Advance(minutes("D+2")))
    assert engine.state.inject("i03").status is InjectStatus.PENDING
    events = do(engine, ReleaseInject("i03", by="øvingsleder"))
    assert kinds(events) == ["inject_released"]
    assert events[0].source is ReleaseSource.FACILITATOR  # type: ignore[attr-defined]
    assert events[0].by == "øvingsleder"  # type: ignore[attr-defined]


def test_early_release_opens_the_decision_from_then() -> None:
    engine = start(basic())
    do(engine, ReleaseInject("i05"))
    assert engine.state.decision("d02").deadline == 12 * 60
    events = do(engine, Advance(minutes("D+1 12:00")))
    assert not [e for e in events if e.kind == "inject_released" and e.inject_id == "i05"]  # type: ignore[attr-defined]


def test_follow_up_is_released_after_its_delay() -> None:
    engine = start(basic())
    do(engine, Advance(minutes("D+0 08:00")))
    events = do(engine, Decide("d01", "a", "daglig status gir ro", "HR-direktør"))
    made = events[0]
    assert made.follow_ups == (("i04", minutes("D+1 08:00")),)  # type: ignore[attr-defined]
    assert engine.state.scheduled_follow_ups() == (("i04", minutes("D+1 08:00")),)
    do(engine, AdvanceToNext())
    assert engine.state.scenario_minutes == minutes("D+1 08:00")
    assert engine.state.inject("i04").source is ReleaseSource.FOLLOW_UP
    assert engine.state.scheduled_follow_ups() == ()


def test_follow_up_without_delay_comes_at_once() -> None:
    engine = start(basic())
    do(engine, Advance(minutes("D+0 08:00")))
    events = do(engine, Decide("d01", "b"))
    assert kinds(events) == ["decision_made", "inject_released"]
    assert engine.state.inject("i07").released


def test_follow_up_released_early_is_not_scheduled_again() -> None:
    engine = start(basic())
    do(engine, Advance(minutes("D+0 08:00")), ReleaseInject("i04"))
    events = do(engine, Decide("d01", "a"))
    assert events[0].follow_ups == ()  # type: ignore[attr-defined]


class TestConditional:
    def scn(self, when: str, at: str | None = None, drift: str = "1/day") -> object:
        return scenario(
            phases=[phase("p", "D+0")], ends="D+60",
            indicators=[indicator("load", 40, drift={"p": drift}), indicator("trust", 50, drift={"p": "-0.5/day"})],
            injects=[inject("c1", at, when=when), inject("late", "D+50")],
            decisions=[],
        )

    def test_released_the_first_minute_the_condition_holds(self) -> None:
        engine = start(self.scn("load >= 45"))  # type: ignore[arg-type]
        do(engine, AdvanceToNext())
        assert engine.state.scenario_minutes == minutes("D+5")  # 40 + 1/day reaches 45 at D+5 00:00
        assert engine.state.inject("c1").source is ReleaseSource.CONDITION
        assert engine.state.indicator("load") == 45.0

    def test_crossing_inside_a_long_advance_is_not_missed(self) -> None:
        engine = start(self.scn("load > 45.5"))  # type: ignore[arg-type]
        do(engine, Advance(minutes("D+40")))
        assert engine.state.inject("c1").released_at == minutes("D+5 12:01")

    def test_not_before_at(self) -> None:
        engine = start(self.scn("load >= 41", at="D+10"))  # type: ignore[arg-type]
        do(engine, Advance(minutes("D+20")))
        assert engine.state.inject("c1").released_at == minutes("D+10")

    def test_day_and_phase_conditions(self) -> None:
        scn = scenario(phases=[phase("p", "D+0"), phase("q", "D+4")], ends="D+10",
                       injects=[inject("c1", when="day >= 2.5"), inject("c2", when="phase(q)")])
        engine = start(scn)
        do(engine, Advance(minutes("D+9")))
        assert engine.state.inject("c1").released_at == minutes("D+2 12:00")
        assert engine.state.inject("c2").released_at == minutes("D+4")

    def test_chained_conditions_release_in_one_minute(self) -> None:
        scn = scenario(injects=[inject("a", "D+1"), inject("b", when="released(a)"),
                                inject("c", when="released(b) and released(a)")])
        engine = start(scn)
        events = do(engine, Advance(minutes("D+2")))
        released = [(e.inject_id, e.scenario_minutes) for e in events if e.kind == "inject_released"]  # type: ignore[attr-defined]
        assert released == [("a", 1440), ("b", 1440), ("c", 1440)]

    def test_condition_made_true_by_a_decision(self) -> None:
        scn = scenario(
            injects=[inject("i1", "D+0 08:00"), inject("c1", when="chose(d1, b) or load > 50")],
            indicators=[indicator("load", 40)],
            decisions=[decision("d1", "i1", [option("a"), option("b", {"load": 5})], "a")],
        )
        engine = start(scn)
        do(engine, Advance(480))
        events = do(engine, Decide("d1", "b"))
        assert kinds(events) == ["decision_made", "inject_released"]

    def test_missed_and_decided_read_the_decision(self) -> None:
        scn = scenario(
            injects=[inject("i1", "D+0 08:00"), inject("c_missed", when="missed(d1)"),
                     inject("c_decided", when="decided(d1)")],
            decisions=[decision("d1", "i1", [option("a"), option("b")], "a", deadline="1h")],
        )
        engine = start(scn)
        do(engine, Advance(minutes("D+1")))
        assert engine.state.inject("c_missed").released_at == 540
        # the default is in force, but the team did not choose it
        assert engine.state.inject("c_decided").status is InjectStatus.PENDING

    def test_a_timed_condition_that_nothing_can_make_true_costs_no_stop(self) -> None:
        scn = scenario(indicators=[indicator("calm", 50)], injects=[inject("c1", "D+1", when="calm >= 60")])
        engine = start(scn)
        events = do(engine, Advance(minutes("D+2")))
        assert kinds(events) == ["clock_advanced"]  # one move: no stop at D+1 for a condition that stays false
        assert engine.state.inject("c1").status is InjectStatus.PENDING

    def test_predictions_match_minute_by_minute_play(self) -> None:
        """Stopping at every minute must give the same release times as one long advance."""
        conds = {
            "load >= 47.3": 15018, "day > 3 and load > 42.5": 5143, "not (load < 44)": 8229,
            "load > 41 and load < 41.5 and day > 2": 2881, "(load > 45) == true": 10286,
            "load > trust": 12001, "load == 41": None, "trust == 49": 2880,
        }
        for when, expected in conds.items():
            long_run = start(self.scn(when, drift="0.7/day"))  # type: ignore[arg-type]
            do(long_run, Advance(minutes("D+20")))
            step = start(self.scn(when, drift="0.7/day"))  # type: ignore[arg-type]
            for _ in range(minutes("D+20") // 30):
                step.handle(Advance(30))
            assert long_run.state.inject("c1") == step.state.inject("c1"), when
            assert long_run.state.inject("c1").released_at == expected, when


def test_adhoc_inject_gets_a_deterministic_id_and_is_released() -> None:
    engine = start(scenario(injects=[inject("adhoc-1", trigger="manual")]))
    events = do(engine, AddAdhocInject("Pressen ringer", body="VG vil ha kommentar", channel=Channel.PHONE,
                                       sender="VG", by="øvingsleder"))
    assert kinds(events) == ["adhoc_inject_added", "inject_released"]
    assert events[0].inject_id == "adhoc-2"  # type: ignore[attr-defined]
    assert (events[1].source, events[1].by) == (ReleaseSource.FACILITATOR, "øvingsleder")  # type: ignore[attr-defined]
    (written,) = engine.state.adhoc_injects()
    assert (written.inject_id, written.title, written.body, written.channel, written.sender, written.to,
            written.created_at, written.by) == ("adhoc-2", "Pressen ringer", "VG vil ha kommentar", Channel.PHONE,
                                                "VG", (), 0, "øvingsleder")
    do(engine, Advance(90), AddAdhocInject("Kladd", release=False, to=("HR", "Kommunikasjon")))
    assert (engine.state.adhoc_injects()[1].created_at, engine.state.adhoc_injects()[1].to) == (
        90, ("HR", "Kommunikasjon"))
    assert [a.inject_id for a in engine.state.adhoc_injects()] == ["adhoc-2", "adhoc-3"]
    assert engine.state.inject("adhoc-3").status is InjectStatus.PENDING
    do(engine, ReleaseInject("adhoc-3"), AcknowledgeInject("adhoc-2"))
    assert [i.inject_id for i in engine.state.released_injects()] == ["adhoc-2", "adhoc-3"]


def test_upcoming_injects_for_the_dreiebok() -> None:
    engine = start(basic())
    do(engine, Advance(minutes("D+0 08:00")), Decide("d01", "a"))
    upcoming = upcoming_injects(engine.state, engine.scenario, 10)
    assert [(u.inject_id, u.due) for u in upcoming] == [
        ("i04", minutes("D+1 08:00")), ("i05", minutes("D+1 12:00")), ("i06", minutes("D+15 09:00")),
        ("i02", None), ("i03", None),
    ]
    assert upcoming_injects(engine.state, engine.scenario, 2)[1].inject_id == "i05"
    # every entry carries the inject's title: follow-ups and manual ones too
    assert [u.title for u in upcoming] == [engine.scenario.inject(u.inject_id).title for u in upcoming]
