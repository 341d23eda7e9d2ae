"""The condition scheduler's prediction equals minute-by-minute evaluation (the slow truth)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krise_ovelse.engine.plan import drift_value
from krise_ovelse.engine.predict import _flip, first_time
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.model.conditions import holds, parse_condition
from krise_ovelse.model.timefmt import MINUTES_PER_DAY

from ..budget import examples
from .engine_helpers import indicator, phase, scenario, start

NAMES = ["a", "b", "day"]
values = st.one_of(st.sampled_from(NAMES), st.integers(-5, 110).map(str),
                   st.floats(-5, 110, allow_nan=False).map(lambda x: f"{x:.2f}"))
ops = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
atoms = st.one_of(
    st.builds(lambda left, op, right: f"{left} {op} {right}", values, ops, values),
    st.sampled_from(["a", "day", "true", "false"]),
)
conditions = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.builds(lambda x, y: f"({x} and {y})", inner, inner),
        st.builds(lambda x, y: f"({x} or {y})", inner, inner),
        st.builds(lambda x: f"not ({x})", inner),
        st.builds(lambda x, op, v: f"({x}) {op} {v}", inner, ops, st.sampled_from(["true", "false", "0", "1"])),
    ),
    max_leaves=6,
)


class At:
    """The state as it will be at minute `t` if time just runs on (the slow way)."""

    def __init__(self, state: ExerciseState, t: int) -> None:
        self.state = state
        self.t = t

    def indicator_value(self, name: str) -> float | None:
        plan = self.state.plan
        n = plan.indicator_index.get(name)
        if n is None:
            return None
        anchor_at, anchor_value = self.state.indicators.anchors[n]
        low, high = plan.bounds[n]
        return drift_value(anchor_value, plan.rates[self.state.clock.phase_index][n], self.t - anchor_at, low, high)

    def has_flag(self, flag: str) -> bool:
        return False

    def chosen_option(self, decision: str) -> str | None:
        return None

    def was_missed(self, decision: str) -> bool:
        return False

    def was_released(self, inject: str) -> bool:
        return False

    def current_phase(self) -> str:
        return "p"

    def scenario_day(self) -> float:
        return self.t / MINUTES_PER_DAY


@settings(max_examples=examples(300), deadline=None)
@given(conditions, st.floats(0, 100), st.floats(-30, 30), st.floats(0, 100), st.floats(-30, 30),
       st.integers(0, 2000), st.integers(0, 2500))
def test_first_time_matches_brute_force(source: str, a0: float, a_rate: float, b0: float, b_rate: float,
                                        low: int, span: int) -> None:
    scn = scenario(
        phases=[phase("p", "D+0")], ends="D+10",
        indicators=[indicator("a", a0, drift={"p": f"{a_rate:.4f}/day"}),
                    indicator("b", b0, drift={"p": f"{b_rate:.4f}/day"})],
    )
    state = start(scn).state
    condition = parse_condition(source)
    high = low + span
    expected = next((t for t in range(low, high + 1) if holds(condition, At(state, t))), None)
    assert first_time(condition, state, low, high) == expected, source


@pytest.mark.parametrize(("start", "end", "first"), [(0, 100, 71), (1000, 1100, 1071), (0, 100, 100), (0, 100, 1),
                                                     (0, 100, 2), (5000, 9000, 8123), (7, 9, 8)])
@pytest.mark.parametrize("at_end", [True, False])
def test_a_flip_the_straight_line_misses_is_found_by_search(start: int, end: int, first: int, at_end: bool) -> None:
    """The comparisons of the condition language are straight lines between their bends, so the
    guess from the gaps at both ends is right but for float rounding; when it is not (here a gap
    that jumps), the search still finds the first minute from which the comparison has its value
    at the end."""
    late = first - start > (end - start) / 2  # a jump that puts the straight-line guess at the other end

    def holds(minute: int) -> bool:
        return (minute >= first) == at_end

    def gap(minute: int) -> float:
        value = (-1.0 if late else -1e9) if minute < first else (1e9 if late else 1.0)
        return value if at_end else -value

    found = _flip(holds, gap, start, end, at_end)
    assert found == first and type(found) is int


@pytest.mark.parametrize(("source", "low", "high", "expected"), [
    ("not (day < 1)", 0, 1440, 1440),  # true only at the last minute of the span
    ("not (day >= 1 and day <= 2) and day >= 1.0004", 0, 4000, 2881),  # the gap ends right before the window
    ("not (day >= 1 and day <= 2) and day >= 0.9993", 0, 4000, 1439),  # the gap's last minute
    ("not (day >= 1 and day <= 2) and day > 3", 0, 5000, 4321),
    ("day != 1 and day >= 1", 1000, 3000, 1441),
])
def test_where_a_negation_holds_is_exact_at_its_edges(source: str, low: int, high: int, expected: int) -> None:
    state = start(scenario(phases=[phase("p", "D+0")], ends="D+10")).state
    condition = parse_condition(source)
    assert next(t for t in range(low, high + 1) if holds(condition, At(state, t))) == expected  # the slow truth
    assert first_time(condition, state, low, high) == expected


def test_a_condition_first_true_at_the_minute_an_indicator_reaches_its_bound() -> None:
    # 99 + 1/day reaches its bound 100 at minute 1440 exactly: a piece of one minute between the bends
    scn = scenario(phases=[phase("p", "D+0")], ends="D+10",
                   indicators=[indicator("a", 99, drift={"p": "1/day"}), indicator("b", 0)])
    state = start(scn).state
    assert first_time(parse_condition("a >= 100"), state, 0, 3000) == 1440
    assert first_time(parse_condition("a >= 100 and day <= 1"), state, 0, 3000) == 1440
