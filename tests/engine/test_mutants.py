"""Tests that kill mutants that survived mutation runs (issue #12, item 6; docs/testing.md): the
drift's upper clamp, a skipped follow-up that must never be released, the dreiebok's order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from krise_ovelse.engine import (
    AddAdhocInject,
    Advance,
    Decide,
    Engine,
    InjectStatus,
    JumpToPhase,
    ReleaseInject,
    SkipInject,
    upcoming_injects,
)
from krise_ovelse.engine.plan import drift_value
from krise_ovelse.model.scenario import Channel
from krise_ovelse.model.timefmt import parse_time

from .engine_helpers import basic, do, indicator, phase, rich, scenario, start


def test_drift_stops_at_the_upper_bound_and_stays_there() -> None:
    scn = scenario(phases=[phase("p1", "D+0")], ends="D+10",
                   indicators=[indicator("load", 90, low=0, high=100, drift={"p1": "5/day"})])
    engine = start(scn)
    do(engine, Advance(1440))
    assert engine.state.indicator("load") == 95
    do(engine, Advance(3 * 1440))
    assert engine.state.indicator("load") == 100  # 90 + 4 × 5 = 110, clamped
    do(engine, Advance(1440))
    assert engine.state.indicator("load") == 100


def test_drift_stops_at_the_lower_bound() -> None:
    scn = scenario(phases=[phase("p1", "D+0")], ends="D+10",
                   indicators=[indicator("load", 10, low=0, high=100, drift={"p1": "-5/day"})])
    engine = start(scn)
    do(engine, Advance(3 * 1440))
    assert engine.state.indicator("load") == 0


@given(anchor=st.floats(-1e6, 1e6), per_day=st.floats(-1e4, 1e4), minutes=st.integers(0, 10**6),
       low=st.floats(-1e3, 0), high=st.floats(0, 1e3))
def test_drift_value_is_always_within_the_bounds(anchor: float, per_day: float, minutes: int, low: float,
                                                 high: float) -> None:
    value = drift_value(anchor, per_day, minutes, low, high)
    assert low <= value <= high
    unclamped = anchor + per_day * minutes / 1440
    if low <= unclamped <= high:
        assert value == unclamped


def test_a_skipped_follow_up_is_never_released() -> None:
    engine = start(basic())
    do(engine, Advance(parse_time("D+0 08:00").minutes), Decide("d01", "a"))  # schedules i04 a day later
    assert engine.state.scheduled_follow_ups() == (("i04", parse_time("D+1 08:00").minutes),)
    do(engine, SkipInject("i04", reason="Tatt i møtet"))
    assert engine.state.scheduled_follow_ups() == ()
    events = do(engine, Advance(3 * 1440))
    assert not [e for e in events if e.kind == "inject_released" and e.inject_id == "i04"]  # type: ignore[attr-defined]
    assert engine.state.inject("i04").status is InjectStatus.SKIPPED
    # and after a resume from the stored events, too
    resumed = Engine(engine.scenario, clock=engine._clock, events=list(engine.events))
    assert resumed.state.scheduled_follow_ups() == ()
    assert resumed.state == engine.state


def _upcoming(engine: Engine, n: int = 20) -> list[tuple[str, str | None, int | None, str]]:
    return [(u.inject_id, u.kind.value if u.kind else None, u.due, u.note)
            for u in upcoming_injects(engine.state, engine.scenario, n)]


def test_the_dreiebok_lists_timed_injects_by_time_then_the_rest_in_scenario_order() -> None:
    engine = start(rich())
    assert _upcoming(engine) == [
        ("i01", "scheduled", 480, ""), ("i02", "scheduled", 720, ""), ("i03", "scheduled", 1980, ""),
        ("i04", "scheduled", 3480, ""), ("i05", "scheduled", 20700, ""),
        ("c2", "conditional", 21600, "when trust < 45 or morale > 70"),  # its `at` counts as a time
        ("i06", "scheduled", 30240, ""), ("i07", "scheduled", 57600, ""),
        ("c1", "conditional", None, "when load >= 55 and not calm"),
        ("c3", "conditional", None, "when chose(d01, a) and released(i03)"),
        ("c4", "conditional", None, "when missed(d02) or day >= 30.5"),
        ("c5", "conditional", None, "when phase(lang) and load < trust"),
        ("m1", "manual", None, "released by the facilitator"),
    ]
    assert [u[0] for u in _upcoming(engine, 3)] == ["i01", "i02", "i03"]
    assert _upcoming(engine, 0) == [] and _upcoming(engine, -1) == []


def test_the_dreiebok_after_play_shows_follow_ups_and_unreleased_ad_hoc_injects() -> None:
    engine = start(basic())
    do(engine, Advance(parse_time("D+0 08:00").minutes), Decide("d01", "a"),
       AddAdhocInject("VG ringer", "", Channel.PHONE, release=False))
    assert _upcoming(engine) == [
        ("i04", "follow_up", 1920, "follow-up of a choice"),
        ("i05", "scheduled", 2160, ""), ("i06", "scheduled", 22140, ""),
        ("i02", "conditional", None, "when load >= 75 and not daily"),
        ("i03", "manual", None, "released by the facilitator"),
        ("adhoc-1", None, None, "ad hoc, not yet released"),
    ]
    assert [u[0] for u in _upcoming(engine, 1)] == ["i04"]
    do(engine, ReleaseInject("i03"), ReleaseInject("adhoc-1"))  # released ones leave the list
    assert [u[0] for u in _upcoming(engine)] == ["i04", "i05", "i06", "i02"]


def test_a_conditional_whose_time_has_passed_has_no_due_time() -> None:
    engine = start(rich())
    do(engine, JumpToPhase("mellom"), Advance(parse_time("D+15 00:00").minutes - parse_time("D+14").minutes + 1))
    assert engine.state.scenario_minutes == 21601 and engine.state.inject("c2").status is InjectStatus.PENDING
    assert [(u[0], u[2]) for u in _upcoming(engine)] == [
        ("i06", 30240), ("i07", 57600), ("c1", None), ("c2", None), ("c3", None), ("c4", None), ("c5", None),
        ("m1", None)]
