"""Pacing arithmetic: plan time over phases and jumps, real time at a speed, the suggestion."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.pacing import Pacing, clock_text, plan_seconds, real_seconds_until, suggest, windows

DAY = 1440


def test_windows_and_plan_time_skip_the_jump(example: LoadedScenario) -> None:
    scenario = example.scenario
    assert [(w.phase_id, w.start, w.end, w.compression) for w in windows(scenario)] == [
        ("akutt", 0, 3 * DAY, 360), ("uke-to", 10 * DAY, 14 * DAY, 720)]
    assert plan_seconds(scenario, 0, 14 * DAY) == 20 * 60  # 12 + 8 minutes of play
    assert plan_seconds(scenario, 3 * DAY, 10 * DAY) == 0  # the jump takes no time
    assert plan_seconds(scenario, 2 * DAY, 11 * DAY) == (DAY / 360 + DAY / 720) * 60
    assert real_seconds_until(scenario, 420, 750, 1) == 55
    assert real_seconds_until(scenario, 420, 750, 2) == 27.5


@given(st.floats(0, 14 * DAY), st.floats(0, 14 * DAY), st.floats(0, 14 * DAY))
def test_plan_time_adds_up(a: float, b: float, c: float) -> None:
    from krise_ovelse.tui.loaded import load_for_console

    from .conftest import EXAMPLE

    loaded, _ = load_for_console(EXAMPLE)
    assert loaded is not None
    low, mid, high = sorted((a, b, c))
    whole = plan_seconds(loaded.scenario, low, high)
    assert whole == pytest.approx(plan_seconds(loaded.scenario, low, mid) + plan_seconds(loaded.scenario, mid, high))
    assert whole >= 0


def test_clock_text() -> None:
    assert [clock_text(s) for s in (0, 9, 65, 3600, 3909.4, -5)] == ["0:00", "0:09", "1:05", "1:00:00", "1:05:09",
                                                                      "0:00"]


def pacing(elapsed: float | None, used: float, speed: float = 1.0, phase_left: float = 600) -> Pacing:
    return Pacing(elapsed=elapsed, played=used, plan_total=9600, plan_used=used, phase_id="p",
                  phase_plan=used + phase_left, phase_used=used, speed=speed, phase_minutes_left=100,
                  next_phase="q")


def test_suggestions() -> None:
    assert suggest(pacing(None, 0)).kind == "none"
    assert suggest(pacing(3000, 3000)).kind == "on_time"
    behind = suggest(pacing(5400, 3000))  # 90 min gone, 50 min of plan done: 110 left in 70
    assert (behind.kind, behind.speed) == ("speed", 2.0)
    ahead = suggest(pacing(1200, 4800))  # 20 min gone, 80 done: 80 left in 140
    assert (ahead.kind, ahead.speed) == ("speed", 0.5)
    late = suggest(pacing(9500, 3000, phase_left=1200))  # 100 s left for 110 minutes: jump
    assert (late.kind, late.saves) == ("jump", 1200)
    assert pacing(5400, 3000, speed=2).late == pytest.approx(5400 + 6600 / 2 - 9600)
