"""The exercise state: what is true after the events so far. Frozen; only `apply` makes new ones.

Big collections are persistent vectors (`PVec`) indexed like the scenario (injects, then ad-hoc
injects in creation order; decisions), so one event copies a few small nodes, not the session.
Read the state through its methods (`inject(id)`, `open_decisions()`, `indicator_values()` …):
the field layout is tuned for speed and may change.

The state also answers the condition language's questions (`ConditionContext`), so
`holds(inject.when, state)` evaluates a `when:` against it directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from krise_ovelse.engine.events import Event
from krise_ovelse.engine.pvec import PVec
from krise_ovelse.engine.values import (
    RELEASED_STATUSES,
    DecisionStatus,
    InjectStatus,
    Mode,
    Participant,
    ReleaseSource,
)
from krise_ovelse.model.scenario import Channel, Level, Phase, Scenario
from krise_ovelse.model.timefmt import MINUTES_PER_DAY

if TYPE_CHECKING:
    from krise_ovelse.engine.plan import Plan


@attrs.frozen
class SessionInfo:
    seed: int
    scenario_id: str
    team: str
    participants: tuple[Participant, ...]
    facilitator: str
    #: Decide first, see the options after (chosen at the start; off for older sessions).
    decide_first: bool = False


@attrs.frozen
class ClockState:
    """The clock apart from the current minute (which is the last event's `scenario_minutes`)."""

    carry: float = 0.0  # fraction of a scenario minute accumulated by ticks (real-time mode)
    phase_index: int = 0
    running: bool = False
    speed: float = 1.0
    mode: Mode = Mode.PACED
    ended: bool = False
    end_reason: str = ""


@attrs.frozen(slots=False)  # a dict class: built once per event, ~30% faster to create
class InjectState:
    """One inject's status; times are scenario minutes."""

    inject_id: str
    status: InjectStatus = InjectStatus.PENDING
    source: ReleaseSource | None = None
    released_at: int | None = None
    released_exercise_seconds: float | None = None
    acknowledged_at: int | None = None
    done_at: int | None = None
    skipped_at: int | None = None
    skip_reason: str = ""

    @property
    def released(self) -> bool:
        """Whether the team has received it (released, acknowledged or done)."""
        return self.status in RELEASED_STATUSES


@attrs.frozen
class AdhocInject:
    """An inject the facilitator wrote during play (not in the scenario)."""

    inject_id: str
    title: str
    body: str
    channel: Channel
    sender: str
    to: tuple[str, ...]
    created_at: int
    by: str


@attrs.frozen(slots=False)  # a dict class: built once per event, ~30% faster to create
class DecisionState:
    """Where one decision point stands.

    `option_id` is the option in force (the team's latest choice, or the default after a
    missed deadline); `chosen_option` only counts what the team chose, which is what the
    condition functions `chose()` and `decided()` read.
    """

    decision_id: str
    status: DecisionStatus = DecisionStatus.CLOSED
    opened_at: int | None = None
    deadline: int | None = None
    opened_exercise_seconds: float | None = None
    option_id: str | None = None
    chosen_option: str | None = None
    missed: bool = False
    revisions: int = 0

    @property
    def is_open(self) -> bool:
        return self.status is DecisionStatus.OPEN


@attrs.frozen(slots=False)  # a dict class: built once per event, ~30% faster to create
class DecisionRecord:
    """One entry of the decision history: a choice, a revision or a missed deadline."""

    seq: int
    decision_id: str
    option_id: str
    revision: int
    missed: bool
    rationale: str
    decided_by: str
    scenario_minutes: int
    exercise_seconds: float
    wall: str
    response_minutes: int | None
    response_seconds: float | None
    #: How often who/why was corrected since (`decision_record_amended`); the events keep each version.
    amendments: int = 0


@attrs.frozen
class WrittenDecision:
    """Decide-first mode: a decision in the team's own words, and how it was mapped (if yet).

    `mapped_option` is an option id or `annet` (OTHER_OPTION); None while it awaits mapping.
    `levels` are the mapper's (criterion, level) ratings of an `annet` decision.
    """

    seq: int
    decision_id: str
    text: str
    rationale: str
    decided_by: str
    scenario_minutes: int
    exercise_seconds: float
    wall: str
    response_minutes: int
    response_seconds: float
    mapped_option: str | None = None
    mapped_by: str = ""
    mapped_seq: int | None = None
    mapped_minutes: int | None = None
    levels: tuple[tuple[str, Level], ...] = ()
    note: str = ""

    @property
    def mapped(self) -> bool:
        return self.mapped_option is not None


@attrs.frozen
class Observation:
    seq: int
    observation_id: str
    text: str
    author: str
    criteria: tuple[str, ...]
    inject_id: str | None
    decision_id: str | None
    scenario_minutes: int
    exercise_seconds: float
    wall: str


@attrs.frozen
class Rating:
    seq: int
    criterion_id: str
    level: Level
    reason: str
    by: str
    scenario_minutes: int
    exercise_seconds: float
    wall: str


@attrs.frozen
class IndicatorsState:
    """Values, the start of each indicator's current drift line, and the full history.

    Drift is computed from the anchor (minute, value) where the current line started (the
    phase start or the last effect), not step by step, so the value at a minute does not
    depend on how many clock events led there; the condition scheduler relies on that.
    """

    values: tuple[float, ...]
    anchors: tuple[tuple[int, float], ...]
    history: tuple[PVec[tuple[int, float]], ...]


@attrs.frozen(slots=False)
class ExerciseState:
    """The state of one session; equal to `fold(scenario, events)` by construction.

    Not slotted on purpose: `apply` copies `__dict__` to make the next state, which is several
    times faster than `attrs.evolve` on a class with this many fields.
    """

    plan: Plan = attrs.field(eq=False, repr=False)
    last: Event | None
    session: SessionInfo | None
    clock: ClockState
    indicators: IndicatorsState
    flags: frozenset[str]
    injects: PVec[InjectState]
    release_order: PVec[int]
    follow_ups: tuple[tuple[int, int], ...]  # (due minute, inject index), sorted
    decisions: PVec[DecisionState]
    open_deadlines: tuple[tuple[int, int], ...]  # (deadline, decision index), sorted
    decision_history: PVec[DecisionRecord]
    observations: PVec[Observation]
    ratings: PVec[Rating]
    adhoc: PVec[AdhocInject]
    #: The evaluators named in the session (name, lead), in order; empty: one unnamed evaluator.
    evaluators: tuple[tuple[str, bool], ...] = ()
    #: The inject on the team's screen (`inject_presented`), if any.
    presented: str | None = None
    #: Decide-first mode: the team's written decisions, in the order written.
    written: tuple[WrittenDecision, ...] = ()

    # --- times and clock ---------------------------------------------------------------------

    def evaluator(self, name: str) -> tuple[str, bool] | None:
        """The named evaluator (exactly as registered, after trimming), or None."""
        name = name.strip()
        return next((e for e in self.evaluators if e[0] == name), None)

    @property
    def decide_first(self) -> bool:
        """Decide first, see the options after: chosen when the session started."""
        return self.session is not None and self.session.decide_first

    def written_decision(self, decision_id: str) -> WrittenDecision | None:
        """The team's written decision at `decision_id` (decide-first mode), or None."""
        return next((w for w in self.written if w.decision_id == decision_id), None)

    def awaiting_mapping(self) -> tuple[WrittenDecision, ...]:
        """Written decisions no facilitator or evaluator has mapped yet, oldest first."""
        return tuple(w for w in self.written if not w.mapped)

    def options_hidden(self, decision_id: str) -> bool:
        """Whether the team may not see this decision's options yet: in decide-first mode, until
        its decision is mapped (a missed deadline's default is in force and may be shown)."""
        if not self.decide_first:
            return False
        status = self.decision(decision_id).status
        return status in (DecisionStatus.CLOSED, DecisionStatus.OPEN, DecisionStatus.WRITTEN)

    @property
    def lead_evaluator(self) -> str | None:
        return next((name for name, lead in self.evaluators if lead), None)

    @property
    def scenario(self) -> Scenario:
        return self.plan.scenario

    @property
    def seq(self) -> int:
        """The seq of the last event (0 before the first)."""
        return 0 if self.last is None else self.last.seq

    @property
    def scenario_minutes(self) -> int:
        return 0 if self.last is None else self.last.scenario_minutes

    @property
    def exercise_seconds(self) -> float:
        return 0.0 if self.last is None else self.last.exercise_seconds

    @property
    def wall(self) -> str:
        return "" if self.last is None else self.last.wall

    @property
    def started(self) -> bool:
        return self.session is not None

    @property
    def ended(self) -> bool:
        return self.clock.ended

    @property
    def end_reason(self) -> str:
        return self.clock.end_reason

    @property
    def running(self) -> bool:
        return self.clock.running

    @property
    def paused(self) -> bool:
        """Started, not ended, and the clock is stopped."""
        return self.started and not self.clock.ended and not self.clock.running

    @property
    def speed(self) -> float:
        return self.clock.speed

    @property
    def mode(self) -> Mode:
        return self.clock.mode

    @property
    def phase(self) -> Phase:
        return self.plan.phases[self.clock.phase_index]

    @property
    def phase_id(self) -> str:
        return self.plan.phases[self.clock.phase_index].id

    # --- indicators ----------------------------------------------------------------------------

    def indicator(self, indicator_id: str) -> float:
        return self.indicators.values[self.plan.indicator_index[indicator_id]]

    def indicator_values(self) -> dict[str, float]:
        return dict(zip(self.plan.indicator_ids, self.indicators.values, strict=True))

    def visible_indicators(self) -> dict[str, float]:
        """The values the team may see (indicators without `visible: false`)."""
        return {ind.id: value for ind, value in zip(self.plan.indicators, self.indicators.values, strict=True)
                if ind.visible}

    def indicator_history(self, indicator_id: str) -> tuple[tuple[int, float], ...]:
        """(scenario minute, value) points, one per change, starting with (0, initial)."""
        return tuple(self.indicators.history[self.plan.indicator_index[indicator_id]])

    # --- injects -------------------------------------------------------------------------------

    def inject_index(self, inject_id: str) -> int | None:
        index = self.plan.inject_index.get(inject_id)
        if index is not None:
            return index
        for offset, adhoc in enumerate(self.adhoc):
            if adhoc.inject_id == inject_id:
                return self.plan.inject_count + offset
        return None

    def has_inject(self, inject_id: str) -> bool:
        return self.inject_index(inject_id) is not None

    def inject(self, inject_id: str) -> InjectState:
        """The status of a scenario or ad-hoc inject; KeyError for an unknown id."""
        index = self.inject_index(inject_id)
        if index is None:
            raise KeyError(inject_id)
        return self.injects[index]

    def inject_states(self) -> tuple[InjectState, ...]:
        """All injects: the scenario's in order, then ad-hoc ones in creation order."""
        return tuple(self.injects)

    def released_injects(self) -> tuple[InjectState, ...]:
        """Injects the team has received, in the order they were released (the team's inbox)."""
        injects = self.injects
        return tuple(injects[index] for index in self.release_order)

    def adhoc_injects(self) -> tuple[AdhocInject, ...]:
        return tuple(self.adhoc)

    def scheduled_follow_ups(self) -> tuple[tuple[str, int], ...]:
        """(inject id, due minute) of follow-ups that choices have scheduled but not yet released."""
        injects = self.injects
        return tuple((injects[index].inject_id, due) for due, index in self.follow_ups)

    # --- decisions -----------------------------------------------------------------------------

    def decision(self, decision_id: str) -> DecisionState:
        """KeyError for an unknown id."""
        return self.decisions[self.plan.decision_index[decision_id]]

    def open_decisions(self) -> tuple[DecisionState, ...]:
        """Open decisions, earliest deadline first."""
        decisions = self.decisions
        return tuple(decisions[index] for _deadline, index in self.open_deadlines)

    def history(self) -> tuple[DecisionRecord, ...]:
        """Every choice, revision and missed deadline in order."""
        return tuple(self.decision_history)

    def current_ratings(self) -> dict[str, Rating]:
        """The latest rating per criterion."""
        return {rating.criterion_id: rating for rating in self.ratings}

    # --- ConditionContext (krise_ovelse.model.conditions) ------------------------------------------

    def indicator_value(self, indicator: str) -> float | None:
        index = self.plan.indicator_index.get(indicator)
        return None if index is None else self.indicators.values[index]

    def has_flag(self, flag: str) -> bool:
        return flag in self.flags

    def chosen_option(self, decision: str) -> str | None:
        index = self.plan.decision_index.get(decision)
        return None if index is None else self.decisions[index].chosen_option

    def was_missed(self, decision: str) -> bool:
        index = self.plan.decision_index.get(decision)
        return index is not None and self.decisions[index].missed

    def was_released(self, inject: str) -> bool:
        index = self.inject_index(inject)
        return index is not None and self.injects[index].status in RELEASED_STATUSES

    def current_phase(self) -> str:
        return self.phase_id

    def scenario_day(self) -> float:
        return self.scenario_minutes / MINUTES_PER_DAY

