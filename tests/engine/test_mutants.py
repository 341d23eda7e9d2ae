"""Tests that kill the mutants a hand mutation run left alive (issue #12, item 6): the drift's
upper clamp, and a skipped follow-up that must never be released."""

from __future__ import annotations

from engine_helpers import basic, do, indicator, phase, scenario, start
from hypothesis import given
from hypothesis import strategies as st

from krise_ovelse.engine import Advance, Decide, Engine, InjectStatus, SkipInject
from krise_ovelse.engine.plan import drift_value
from krise_ovelse.model.timefmt import parse_time


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
