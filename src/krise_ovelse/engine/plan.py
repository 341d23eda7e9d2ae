"""The static part of a session: indexes and schedules computed once from the scenario.

The plan travels on the state (excluded from equality) so `apply` and the scheduler can look
up an inject's index or a phase's drift rates without rebuilding anything per event.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping

from krise_ovelse.engine.pvec import PVec
from krise_ovelse.engine.state import DecisionState, InjectState
from krise_ovelse.model.conditions import BoolOp, Call, Condition, Expr, Name, walk
from krise_ovelse.model.scenario import Decision, Indicator, Inject, Phase, Scenario, Trigger
from krise_ovelse.model.timefmt import MINUTES_PER_DAY

#: A key a condition depends on: ("ind", id), ("flag", name), ("decision", id), ("released", id).
DepKey = tuple[str, str]


def drift_value(anchor_value: float, per_day: float, minutes: int, low: float, high: float) -> float:
    """An indicator's value `minutes` after its anchor at a drift of `per_day`, kept in bounds.

    The one formula both the clock and the condition scheduler use, so they agree exactly.
    """
    value = anchor_value + per_day * minutes / MINUTES_PER_DAY
    if value < low:
        return low
    if value > high:
        return high
    return value


class Conditional:
    """A conditional inject as the scheduler sees it.

    `conjuncts` are the parts of a top-level `and` (or the whole condition), each with its
    dependency keys and time-varying names: while one part that does not move with time is
    false, only a change to that part's keys can make the condition true.
    """

    __slots__ = ("at", "condition", "conjuncts", "deps", "index", "timed")

    def __init__(self, index: int, condition: Condition, at: int | None, deps: frozenset[DepKey],
                 timed: frozenset[str], conjuncts: tuple[tuple[Expr, frozenset[DepKey], frozenset[str]], ...]) -> None:
        self.index = index
        self.condition = condition
        self.at = at
        self.deps = deps
        self.timed = timed  # indicator ids (and "day") whose change over time matters
        self.conjuncts = conjuncts


class Plan:
    """Indexes over one scenario. Build with `Plan(scenario)`; never mutated afterwards."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.phases: tuple[Phase, ...] = scenario.phases
        self.phase_index: Mapping[str, int] = {p.id: i for i, p in enumerate(scenario.phases)}
        self.phase_starts: tuple[int, ...] = tuple(p.starts.minutes for p in scenario.phases)
        self.ends: int = scenario.ends.minutes

        self.indicators: tuple[Indicator, ...] = scenario.indicators
        self.indicator_ids: tuple[str, ...] = tuple(i.id for i in scenario.indicators)
        self.indicator_index: Mapping[str, int] = {i.id: n for n, i in enumerate(scenario.indicators)}
        self.bounds: tuple[tuple[float, float], ...] = tuple((i.min, i.max) for i in scenario.indicators)
        #: Per phase: drift per day of each indicator, and the indices that drift at all.
        self.rates: tuple[tuple[float, ...], ...] = tuple(
            tuple(i.drift[p.id].per_day if p.id in i.drift else 0.0 for i in scenario.indicators)
            for p in scenario.phases
        )
        self.drifting: tuple[tuple[int, ...], ...] = tuple(
            tuple(n for n, rate in enumerate(rates) if rate != 0.0) for rates in self.rates
        )

        self.injects: tuple[Inject, ...] = scenario.injects
        self.inject_count = len(scenario.injects)
        self.inject_index: Mapping[str, int] = {i.id: n for n, i in enumerate(scenario.injects)}
        self.kinds: tuple[Trigger, ...] = tuple(i.kind for i in scenario.injects)
        self.after: tuple[int, ...] = tuple(0 if i.after is None else i.after.minutes for i in scenario.injects)
        schedule = sorted(
            (inj.at.minutes, n) for n, inj in enumerate(scenario.injects)
            if inj.kind is Trigger.SCHEDULED and inj.at is not None
        )
        self.schedule_times: tuple[int, ...] = tuple(t for t, _ in schedule)
        self.schedule_indices: tuple[int, ...] = tuple(n for _, n in schedule)

        self.decisions: tuple[Decision, ...] = scenario.decisions
        self.decision_index: Mapping[str, int] = {d.id: n for n, d in enumerate(scenario.decisions)}
        opened: dict[int, list[int]] = {}
        for n, dec in enumerate(scenario.decisions):
            if dec.opens_with in self.inject_index:
                opened.setdefault(self.inject_index[dec.opens_with], []).append(n)
        self.opened_by: Mapping[int, tuple[int, ...]] = {k: tuple(v) for k, v in opened.items()}

        self.conditionals: dict[int, Conditional] = {}
        self.dependents: dict[DepKey, tuple[int, ...]] = {}
        deps_of: dict[DepKey, list[int]] = {}
        for n, inj in enumerate(scenario.injects):
            if inj.kind is Trigger.CONDITIONAL and inj.when is not None:
                deps, timed = self._dependencies(inj.when.expr)
                at = None if inj.at is None else inj.at.minutes
                expr = inj.when.expr
                parts = expr.operands if isinstance(expr, BoolOp) and expr.op == "and" else (expr,)
                conjuncts = tuple((part, *self._dependencies(part)) for part in parts)
                self.conditionals[n] = Conditional(n, inj.when, at, deps, timed, conjuncts)
                for key in deps:
                    deps_of.setdefault(key, []).append(n)
        self.dependents = {k: tuple(v) for k, v in deps_of.items()}
        self.conditional_indices: tuple[int, ...] = tuple(self.conditionals)

        self.reserved_ids = frozenset(
            [*self.inject_index, *self.decision_index, *self.indicator_index, *self.phase_index]
        )
        self.initial_injects: PVec[InjectState] = PVec(InjectState(i.id) for i in scenario.injects)
        self.initial_decisions: PVec[DecisionState] = PVec(DecisionState(d.id) for d in scenario.decisions)

    def _dependencies(self, expr: Expr) -> tuple[frozenset[DepKey], frozenset[str]]:
        deps: set[DepKey] = set()
        timed: set[str] = set()
        for node in walk(expr):
            if isinstance(node, Name):
                if node.name == "day":
                    timed.add("day")
                elif node.name in self.indicator_index:
                    deps.add(("ind", node.name))
                    timed.add(node.name)
                else:
                    deps.add(("flag", node.name))
            elif isinstance(node, Call):
                arg = node.args[0].name
                if node.function in ("chose", "decided", "missed"):
                    deps.add(("decision", arg))
                elif node.function == "released":
                    deps.add(("released", arg))
                elif node.function == "flag":
                    deps.add(("flag", arg))
                # phase(): phases change only with a phase event, which re-checks everything
        return frozenset(deps), frozenset(timed)

    # --- time helpers ------------------------------------------------------------------------------

    def phase_at(self, minute: int) -> int:
        """Index of the phase that `minute` falls in (the last one started)."""
        return max(0, bisect_right(self.phase_starts, minute) - 1)

    def span_end(self, phase_index: int) -> int:
        """The end of the current phase's stretch of steady drift: its `ends`, the next phase's
        start, or the end of play, whichever comes first."""
        end = self.ends
        phase = self.phases[phase_index]
        if phase.ends is not None:
            end = min(end, phase.ends.minutes)
        if phase_index + 1 < len(self.phases):
            end = min(end, self.phase_starts[phase_index + 1])
        return end

    def scheduled_between(self, low: int, high: int) -> range:
        """Positions in the schedule of injects with `low <= at <= high`."""
        return range(bisect_left(self.schedule_times, low), bisect_right(self.schedule_times, high))
