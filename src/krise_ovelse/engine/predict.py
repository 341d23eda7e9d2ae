"""When will a condition first hold if time runs on and nothing else happens?

Between two events only two things change: `day` and the indicators that drift in the current
phase (each a clamped straight line from its anchor, see `plan.drift_value`). Everything else a
condition reads (flags, choices, releases, the phase) is constant. So instead of evaluating
every condition at every minute, the scheduler asks this module for the first whole minute in
[low, high] at which the condition holds, and stops the clock there.

The answer is exact for the engine's own arithmetic: every comparison is evaluated with the
same float formula the clock uses, splitting the span where a term bends (an indicator hitting
its bound, a sub-condition switching) and binary-searching each straight piece for the one
minute where the comparison flips. The engine still checks `holds()` when it gets there.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

from krise_ovelse.engine.plan import drift_value
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.model.conditions import (
    Bool,
    BoolOp,
    Compare,
    Condition,
    Expr,
    Name,
    Not,
    Number,
    evaluate,
    walk,
)
from krise_ovelse.model.timefmt import MINUTES_PER_DAY

#: Sorted, disjoint, inclusive ranges of whole minutes.
IntSet = list[tuple[int, int]]

#: The comparisons of the condition language, as `evaluate` applies them (to floats).
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}


class _Term:
    """A number as a function of the minute: constant (`fn` None), or `fn` with bends."""

    __slots__ = ("breaks", "const", "fn")

    def __init__(self, const: float = 0.0, fn: Callable[[int], float] | None = None,
                 breaks: tuple[int, ...] = ()) -> None:
        self.const = const
        self.fn = fn
        self.breaks = breaks  # minutes where the function stops being one straight line

    def at(self, minute: int) -> float:
        fn = self.fn
        return self.const if fn is None else fn(minute)


def first_time(condition: Condition, state: ExerciseState, low: int, high: int) -> int | None:
    """The first minute in [low, high] at which `condition` holds, with time running undisturbed
    in the current phase from the state's anchors; None if there is none."""
    if low > high:
        return None
    truth = _Span(state, low, high).truth(condition.expr)
    return truth[0][0] if truth else None


def varies(timed: frozenset[str], state: ExerciseState) -> bool:
    """Whether any of these names (`day` or indicator ids) changes with time in the current phase."""
    plan = state.plan
    rates = plan.rates[state.clock.phase_index]
    index = plan.indicator_index
    return any(name == "day" or rates[index[name]] != 0.0 for name in timed)


class _Span:
    def __init__(self, state: ExerciseState, low: int, high: int) -> None:
        self.state = state
        self.low = low
        self.high = high
        plan = state.plan
        self.index = plan.indicator_index
        self.rates = plan.rates[state.clock.phase_index]
        self.full: IntSet = [(low, high)]
        self._timed: dict[int, bool] = {}

    # --- which sub-expressions change over the span ---------------------------------------------

    def timed(self, expr: Expr) -> bool:
        known = self._timed.get(id(expr))
        if known is not None:
            return known
        result = False
        for node in walk(expr):
            if isinstance(node, Name):
                n = self.index.get(node.name)
                if node.name == "day" or (n is not None and self.rates[n] != 0.0):
                    result = True
                    break
        self._timed[id(expr)] = result
        return result

    # --- truth sets -----------------------------------------------------------------------------

    def truth(self, expr: Expr) -> IntSet:
        if not self.timed(expr):
            return self.full if evaluate(expr, self.state) else []
        if isinstance(expr, Not):
            return _complement(self.truth(expr.operand), self.low, self.high)
        if isinstance(expr, BoolOp):
            # constant operands first: they often settle the answer without any search
            operands = sorted(expr.operands, key=self.timed)
            if expr.op == "and":
                result = self.full
                for operand in operands:
                    result = _intersect(result, self.truth(operand))
                    if not result:
                        break
                return result
            result = []
            for operand in operands:
                result = _union(result, self.truth(operand))
                if result == self.full:
                    break
            return result
        if isinstance(expr, Compare):
            return self.compare(self.term(expr.left), self.term(expr.right), expr.op)
        # a bare number in a yes/no position is true when it is not zero
        return self.compare(self.term(expr), _Term(0.0), "!=")

    def term(self, expr: Expr) -> _Term:
        if isinstance(expr, Number | Bool):
            return _Term(float(expr.value))
        if not self.timed(expr):
            return _Term(float(evaluate(expr, self.state)))
        if isinstance(expr, Name):
            if expr.name == "day":
                return _Term(fn=_day)
            return self.indicator(self.index[expr.name])
        truth = self.truth(expr)  # a yes/no sub-condition compared as 0/1
        breaks = tuple(b for start, end in truth for b in (start, end + 1))
        return _Term(fn=_member(truth), breaks=breaks)

    def indicator(self, n: int) -> _Term:
        plan = self.state.plan
        rate = self.rates[n]
        anchor_at, anchor_value = self.state.indicators.anchors[n]
        low, high = plan.bounds[n]

        def value(minute: int) -> float:
            return drift_value(anchor_value, rate, minute - anchor_at, low, high)

        bound = high if rate > 0 else low
        bend = anchor_at + (bound - anchor_value) * MINUTES_PER_DAY / rate
        breaks = (int(bend), int(bend) + 1) if abs(bend) < 1e15 else ()
        return _Term(fn=value, breaks=breaks)

    def compare(self, left: _Term, right: _Term, op: str) -> IntSet:
        if left.fn is None and right.fn is None:
            return self.full if _COMPARE[op](left.const, right.const) else []
        if op == "==":
            return _intersect(self.compare(left, right, ">="), self.compare(left, right, "<="))
        if op == "!=":
            return _complement(self.compare(left, right, "=="), self.low, self.high)
        cmp = _COMPARE[op]

        def holds(minute: int) -> bool:
            return cmp(left.at(minute), right.at(minute))

        def gap(minute: int) -> float:
            return left.at(minute) - right.at(minute)

        # between bends both sides are straight lines, so each comparison flips at most once
        pieces = _pieces(self.low, self.high, (*left.breaks, *right.breaks))
        result: IntSet = []
        for start, end in pieces:
            at_start, at_end = holds(start), holds(end)
            if at_start == at_end:
                if at_start:
                    _add(result, start, end)
                continue
            flip = _flip(holds, gap, start, end, at_end)
            if at_start:
                _add(result, start, flip - 1)
            else:
                _add(result, flip, end)
        return result


def _day(minute: int) -> float:
    return minute / MINUTES_PER_DAY


def _member(truth: IntSet) -> Callable[[int], float]:
    def value(minute: int) -> float:
        return 1.0 if any(start <= minute <= end for start, end in truth) else 0.0

    return value


def _flip(holds: Callable[[int], bool], gap: Callable[[int], float], start: int, end: int,
          at_end: bool) -> int:
    """The first minute in (start, end] from which `holds` equals `at_end` (it flips once).

    The straight line through the gaps at both ends says where; the exact comparisons at that
    minute and the one before confirm it (float rounding can shift it by one), else search.
    """
    before, after = gap(start), gap(end)
    if before != after:
        guess = math.ceil(start + before * (end - start) / (before - after))
        for minute in (guess, guess + 1, guess - 1):
            if start < minute <= end and holds(minute) == at_end and holds(minute - 1) != at_end:
                return minute
    return _search(holds, start, end, at_end)


def _search(holds: Callable[[int], bool], start: int, end: int, at_end: bool) -> int:
    """Binary search for the first minute in (start, end] where `holds` equals `at_end`."""
    low, high = start, end
    while high - low > 1:
        mid = (low + high) // 2
        if holds(mid) == at_end:
            high = mid
        else:
            low = mid
    return high


def _pieces(low: int, high: int, breaks: tuple[int, ...]) -> list[tuple[int, int]]:
    cuts = sorted({b for b in breaks if low < b <= high})
    pieces = []
    start = low
    for cut in cuts:
        pieces.append((start, cut - 1))
        start = cut
    pieces.append((start, high))
    return pieces


def _add(result: IntSet, start: int, end: int) -> None:
    if start > end:
        return
    if result and result[-1][1] + 1 >= start:
        result[-1] = (result[-1][0], max(result[-1][1], end))
    else:
        result.append((start, end))


def _intersect(a: IntSet, b: IntSet) -> IntSet:
    result: IntSet = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start <= end:
            result.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return result


def _union(a: IntSet, b: IntSet) -> IntSet:
    result: IntSet = []
    for start, end in sorted([*a, *b]):
        _add(result, start, end)
    return result


def _complement(a: IntSet, low: int, high: int) -> IntSet:
    result: IntSet = []
    cursor = low
    for start, end in a:
        if start > cursor:
            result.append((cursor, start - 1))
        cursor = max(cursor, end + 1)
    if cursor <= high:
        result.append((cursor, high))
    return result

