"""What a scenario means, not just its form: can each condition hold, and can each inject be
released and each decision opened by the scenario's own triggers (docs/authoring-lint.md).

Two analyses, both sound in one direction: when they say "never", it is never (a lint warning is
then certain); when they cannot tell, they say nothing.

- **Satisfiability** by interval reasoning. A condition is brought into negation normal form and
  read as a conjunction of facts: an interval per indicator (within its bounds; a fixed value if
  nothing ever changes it) and for `day` (within the played span, not before an inject's `at`),
  the phases it may hold in, flags that must be set or clear, options that must be chosen. A
  conjunction whose facts cannot all hold, a comparison outside the bounds, a literal `false`, a
  phase whose days the `day` facts exclude, an inject waiting for its own release: each is a
  reason it never holds. An `or` holds if one of its alternatives can.
- **Reachability** as a fixed point from what surely happens: scheduled injects in play and
  manual ones (the facilitator's); a decision opens when its inject is released; a flag can be
  set when an option of an opened decision sets it; a follow-up can come when an option of an
  opened decision lists it and is due before the end; a conditional inject can come when its
  condition can hold with what is reachable so far.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from krise_ovelse.model.conditions import Bool, BoolOp, Call, Compare, Expr, Name, Not, Number
from krise_ovelse.model.scenario import Inject, Scenario, Trigger
from krise_ovelse.model.timefmt import MINUTES_PER_DAY, format_time

_INF: Final = math.inf


@attrs.frozen
class Interval:
    """Real numbers from `lo` to `hi`; an open end excludes its bound."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    @property
    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open))

    def meet(self, other: Interval) -> Interval:
        lo, lo_open = max((self.lo, self.lo_open), (other.lo, other.lo_open))
        hi, hi_open = min((self.hi, not self.hi_open), (other.hi, not other.hi_open))
        return Interval(lo, hi, lo_open, not hi_open)

    def show(self) -> str:
        """The interval as an author reads it: `(10, 21]`, `[75, ∞)`."""
        left = "(" if self.lo_open or self.lo == -_INF else "["
        right = ")" if self.hi_open or self.hi == _INF else "]"
        return f"{left}{_number(self.lo)}, {_number(self.hi)}{right}"


def _number(value: float) -> str:
    return "∞" if value == _INF else "-∞" if value == -_INF else f"{value:g}"


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def _interval(op: str, value: float) -> Interval | None:
    """The values x with `x op value`; None where no interval says it (`!=`)."""
    return {
        "<": Interval(-_INF, value, hi_open=True),
        "<=": Interval(-_INF, value),
        ">": Interval(value, _INF, lo_open=True),
        ">=": Interval(value, _INF),
        "==": Interval(value, value),
    }.get(op)


@attrs.frozen
class Never:
    """A condition that cannot hold, why, and where in its text."""

    reason: str
    offset: int
    #: True when the cause lies in the rest of the scenario (a flag, decision or inject that is
    #: never reached), False when the condition contradicts itself or the scenario's bounds.
    dependent: bool = False


@attrs.frozen
class Facts:
    """What must be true where a condition holds (all of it at once)."""

    ranges: Mapping[str, Interval] = attrs.field(factory=dict)
    flags: Mapping[str, bool] = attrs.field(factory=dict)
    phases: frozenset[str] | None = None
    chosen: Mapping[str, str] = attrs.field(factory=dict)


_ANYTHING = Facts()


@attrs.frozen
class Reach:
    """What the scenario's own triggers can bring about (the fixed point's current state)."""

    injects: frozenset[str]
    decisions: frozenset[str]
    flags: frozenset[str]


class Analysis:
    """Satisfiability of conditions and reachability of injects and decisions in one scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.ends_day = scenario.ends.minutes / MINUTES_PER_DAY
        changed = {i for d in scenario.decisions for o in d.options for i in o.effects}
        self.bounds: dict[str, Interval] = {}
        for ind in scenario.indicators:
            moves = ind.id in changed or any(rate.per_day for rate in ind.drift.values())
            self.bounds[ind.id] = Interval(ind.min, ind.max) if moves else Interval(ind.initial, ind.initial)
        self.windows = tuple(self._windows())
        self.reach = self._fixed_point()

    # --- the played time ---------------------------------------------------------------------

    def _windows(self) -> Iterable[tuple[str, Interval]]:
        """Each phase's played days (from its start to its end, or to the next start)."""
        phases = self.s.phases
        for index, phase in enumerate(phases):
            end = phase.ends if phase.ends is not None else (
                phases[index + 1].starts if index + 1 < len(phases) else self.s.ends)
            end_minutes = min(end.minutes, self.s.ends.minutes)
            yield phase.id, Interval(phase.starts.minutes / MINUTES_PER_DAY, end_minutes / MINUTES_PER_DAY)

    def in_jump(self, minutes: int) -> tuple[str, int] | None:
        """(the phase whose jump it is, the minute play arrives) if `minutes` falls in a jump."""
        phases = self.s.phases
        for index, phase in enumerate(phases):
            if phase.ends is None or minutes <= phase.ends.minutes:
                continue
            arrival = phases[index + 1].starts.minutes if index + 1 < len(phases) else self.s.ends.minutes
            if minutes < arrival:
                return phase.id, arrival
        return None

    # --- satisfiability ----------------------------------------------------------------------

    def condition(self, inject: Inject, reach: Reach | None = None) -> Facts | Never:
        """Whether `inject`'s `when` can hold (with what `reach` says can happen)."""
        assert inject.when is not None
        start_day = inject.at.minutes / MINUTES_PER_DAY if inject.at is not None else 0.0
        base = Facts(ranges={**self.bounds, "day": Interval(start_day, self.ends_day)})
        result = self._eval(inject.when.expr, True, inject.id, reach or self.reach)
        if isinstance(result, Never):
            return result
        return self._conjoin([base, result], inject.when.expr.offset)

    def _eval(self, expr: Expr, positive: bool, own: str, reach: Reach) -> Facts | Never:
        if isinstance(expr, Bool):
            return _ANYTHING if expr.value == positive else Never("it is always false", expr.offset)
        if isinstance(expr, Not):
            return self._eval(expr.operand, not positive, own, reach)
        if isinstance(expr, BoolOp):
            conjunction = (expr.op == "and") == positive
            parts = [self._eval(operand, positive, own, reach) for operand in expr.operands]
            if conjunction:
                never = next((p for p in parts if isinstance(p, Never)), None)
                return never or self._conjoin([p for p in parts if isinstance(p, Facts)], expr.offset)
            possible = [p for p in parts if isinstance(p, Facts)]
            if not possible:
                first = parts[0]
                assert isinstance(first, Never)
                return Never("none of its alternatives can hold: " + first.reason, first.offset,
                             any(isinstance(p, Never) and p.dependent for p in parts))
            return possible[0] if len(possible) == 1 else _ANYTHING
        if isinstance(expr, Compare):
            return self._compare(expr, positive)
        if isinstance(expr, Name):
            if expr.name == "day" or expr.name in self.bounds:
                return _ANYTHING  # a number read as true or false: not analysed
            return self._flag(expr.name, positive, expr.offset, reach)
        if isinstance(expr, Call):
            return self._call(expr, positive, own, reach)
        return _ANYTHING  # a bare number

    def _flag(self, flag: str, positive: bool, offset: int, reach: Reach) -> Facts | Never:
        if positive and flag not in reach.flags:
            return Never(f"no option of a decision that can open sets the flag {flag!r}", offset, True)
        return Facts(flags={flag: positive})

    def _call(self, call: Call, positive: bool, own: str, reach: Reach) -> Facts | Never:
        first = call.args[0].name
        if call.function == "flag":
            return self._flag(first, positive, call.args[0].offset, reach)
        if call.function == "phase":
            phases = frozenset(p.id for p in self.s.phases)
            return Facts(phases=frozenset({first}) if positive else phases - {first})
        if not positive:
            return _ANYTHING
        if call.function in ("chose", "decided", "missed"):
            if first not in reach.decisions:
                return Never(f"the decision {first!r} never opens", call.args[0].offset, True)
            return Facts(chosen={first: call.args[1].name}) if call.function == "chose" else _ANYTHING
        if call.function == "released":
            if first == own:
                return Never(f"it waits for its own release (released({own}))", call.offset)
            if first not in reach.injects:
                return Never(f"the inject {first!r} is never released", call.args[0].offset, True)
        return _ANYTHING

    def _compare(self, cmp: Compare, positive: bool) -> Facts | Never:
        op = cmp.op if positive else _NEGATE[cmp.op]
        left, right = cmp.left, cmp.right
        if isinstance(left, Number) and isinstance(right, Number):
            holds = _interval(op, right.value)
            if holds is not None and holds.meet(Interval(left.value, left.value)).empty:
                return Never(f"it compares two numbers and is always false ({left.value:g} {op} {right.value:g})",
                             cmp.offset)
            return _ANYTHING
        if isinstance(left, Number) and isinstance(right, Name):
            left, right, op = right, left, _FLIP[op]
        if not (isinstance(left, Name) and isinstance(right, Number)):
            return _ANYTHING
        name = left.name
        if name != "day" and name not in self.bounds:
            return _ANYTHING  # a flag compared with a number: not analysed
        wanted = _interval(op, right.value)
        if wanted is None:
            return _ANYTHING
        bound = self.bounds.get(name) or Interval(0.0, self.ends_day)
        if wanted.meet(bound).empty:
            said = f"{name} {op} {right.value:g}"
            if name == "day":
                return Never(f"{said} cannot hold: play ends at {self.s.ends} (day {self.ends_day:g})", cmp.offset)
            if bound.lo == bound.hi:
                return Never(f"{said} cannot hold: nothing moves {name!r} from {bound.lo:g}", cmp.offset)
            return Never(f"{said} cannot hold: {name!r} stays within {bound.lo:g}–{bound.hi:g}", cmp.offset)
        return self._conjoin([Facts(ranges={name: wanted})], cmp.offset)

    def _conjoin(self, parts: list[Facts], offset: int) -> Facts | Never:
        ranges: dict[str, Interval] = {}
        flags: dict[str, bool] = {}
        chosen: dict[str, str] = {}
        phases: frozenset[str] | None = None
        for part in parts:
            for name, interval in part.ranges.items():
                ranges[name] = ranges[name].meet(interval) if name in ranges else interval
                if ranges[name].empty:
                    return Never(self._range_reason(name), offset)
            for flag, value in part.flags.items():
                if flags.get(flag, value) != value:
                    return Never(f"the flag {flag!r} would have to be set and clear at once", offset)
                flags[flag] = value
            for decision, option in part.chosen.items():
                if chosen.get(decision, option) != option:
                    return Never(f"it asks for two choices in {decision!r} at once", offset)
                chosen[decision] = option
            if part.phases is not None:
                phases = part.phases if phases is None else phases & part.phases
                if not phases:
                    return Never("it asks for two phases at once", offset)
        if "day" in ranges:
            windows = [(pid, w) for pid, w in self.windows if phases is None or pid in phases]
            if not any(not w.meet(ranges["day"]).empty for _pid, w in windows):
                where = (f"phase {', '.join(sorted(phases))} is played on days "
                         + ", ".join(w.show() for _pid, w in windows)) if phases is not None else (
                    "those days are not played (after the end or inside a jump)")
                return Never(f"`day` would have to be in {ranges['day'].show()}, but {where}", offset)
        return Facts(ranges, flags, phases, chosen)

    def _range_reason(self, name: str) -> str:
        if name == "day":
            return ("its parts on `day` cannot all hold at once (with the inject's `at` and the end of play, "
                    f"{self.s.ends})")
        bound = self.bounds[name]
        return f"its parts on {name!r} cannot all hold at once ({name!r} stays within {bound.lo:g}–{bound.hi:g})"

    # --- reachability ------------------------------------------------------------------------

    def _fixed_point(self) -> Reach:
        s = self.s
        decisions_of = {d.opens_with: d for d in s.decisions}
        listed_by: dict[str, list[tuple[str, int]]] = {}
        for decision in s.decisions:
            for option in decision.options:
                for inject_id in option.follow_up:
                    listed_by.setdefault(inject_id, []).append((decision.id, self.earliest_open(decision.id)))
        injects: set[str] = set()
        flags: set[str] = set()
        decisions: set[str] = set()
        pending = list(s.injects)
        while True:
            reach = Reach(frozenset(injects), frozenset(decisions), frozenset(flags))
            added = False
            still: list[Inject] = []
            for inject in pending:
                if self._can_release(inject, reach, listed_by):
                    injects.add(inject.id)
                    added = True
                    opened = decisions_of.get(inject.id)
                    if opened is not None:
                        decisions.add(opened.id)
                        flags.update(f for o in opened.options for f in o.sets)
                else:
                    still.append(inject)
            pending = still
            if not added:
                return Reach(frozenset(injects), frozenset(decisions), frozenset(flags))

    def _can_release(self, inject: Inject, reach: Reach, listed_by: Mapping[str, list[tuple[str, int]]]) -> bool:
        kind = inject.kind
        if kind is Trigger.MANUAL:
            return True
        if kind is Trigger.FOLLOW_UP:
            after = inject.after.minutes if inject.after is not None else 0
            return any(d in reach.decisions and start + after <= self.s.ends.minutes
                       for d, start in listed_by.get(inject.id, ()))
        if kind is Trigger.CONDITIONAL:
            return isinstance(self.condition(inject, reach), Facts)
        return True  # scheduled: a time out of play is an error already

    def earliest_open(self, decision_id: str) -> int:
        """The earliest minute a decision can open (a lower bound: 0 when its inject has no `at`)."""
        decision = self.s.decision(decision_id)
        if not self.s.has_inject(decision.opens_with):
            return 0
        opener = self.s.inject(decision.opens_with)
        return opener.at.minutes if opener.at is not None else 0

    def why_unreleased(self, inject: Inject) -> tuple[str, int | None]:
        """Why the triggers never release `inject` (it is not in `reach`): a reason and an offset
        inside its `when` if that is where the cause is."""
        kind = inject.kind
        if kind is Trigger.CONDITIONAL:
            result = self.condition(inject)
            assert isinstance(result, Never)
            return result.reason, result.offset
        assert kind is Trigger.FOLLOW_UP
        after = inject.after.minutes if inject.after is not None else 0
        listers = [d for d in self.s.decisions for o in d.options if inject.id in o.follow_up]
        closed = sorted({d.id for d in listers if d.id not in self.reach.decisions})
        if closed:
            return f"only options of decisions that never open list it ({', '.join(closed)})", None
        due = min(self.earliest_open(d.id) for d in listers) + after
        return f"it would be due at {format_time(due)} at the earliest, after the end of play ({self.s.ends})", None
