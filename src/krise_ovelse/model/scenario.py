"""The scenario (dreiebok) as frozen data: phases, indicators, injects, decisions, scoring.

The YAML keys are the attribute names, except `from` (an inject's sender, `sender` here).
Loading, positions and checks live in `krise_ovelse.authoring`; this module does no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum
from functools import cached_property

import attrs

from krise_ovelse.model.conditions import Condition
from krise_ovelse.model.text import Text
from krise_ovelse.model.timefmt import Duration, Rate, ScenarioTime

SCHEMA_VERSION = 1


class Channel(str, Enum):
    """Where an inject comes from, as the team would receive it."""

    EMAIL = "email"
    NEWS = "news"
    PHONE = "phone"
    INTRANET = "intranet"
    SOCIAL_MEDIA = "social_media"
    MEETING = "meeting"
    UNION_REP = "union_rep"
    SAFETY_REP = "safety_rep"
    LETTER = "letter"
    SITREP = "sitrep"


class Category(str, Enum):
    """The five areas of decisions the report looks at."""

    COMMUNICATION = "communication"
    STAFF_MOBILITY = "staff_mobility"
    DIGITAL_MEETINGS = "digital_meetings"
    WORK_ENVIRONMENT = "work_environment"
    CRISIS_ORGANISATION = "crisis_organisation"


class Level(str, Enum):
    """HSEEP-style performance levels, best first; N/O means not observed."""

    P = "P"
    S = "S"
    M = "M"
    U = "U"
    NO = "N/O"


EVIDENCE_LEVELS = (Level.P, Level.S, Level.M, Level.U)


class Measure(str, Enum):
    MAX = "max"
    MIN = "min"
    FINAL = "final"
    MEAN = "mean"


class Trigger(str, Enum):
    """How an inject is released; `scheduled` and `conditional` follow from `at` and `when`."""

    SCHEDULED = "scheduled"
    CONDITIONAL = "conditional"
    MANUAL = "manual"
    FOLLOW_UP = "follow_up"


class Polarity(str, Enum):
    """Which end of an indicator is good for the agency (for display and lint)."""

    HIGH = "high"
    LOW = "low"


@attrs.frozen
class Agency:
    name: Text
    description: Text = Text()
    staff: int | None = None


@attrs.frozen
class Role:
    id: str
    name: Text
    description: Text = Text()


@attrs.frozen
class Goal:
    """An exercise goal (øvingsmål) and the criteria whose ratings show whether it was reached.

    In YAML a goal is a text (the old form, still valid) or `{text: …, criteria: [KH-2, …]}`.
    """

    text: Text
    criteria: tuple[str, ...] = ()

    def get(self, lang: str) -> str:
        """The goal's text in `lang` (like `Text.get`), so a goal reads like the text it was."""
        return self.text.get(lang)


@attrs.frozen
class Phase:
    """A stretch of the crisis played at one compression.

    `compression` is scenario minutes per minute of play (720: one minute is twelve hours).
    If `ends` is set, play jumps from there to the next phase's `starts`.
    """

    id: str
    title: Text
    starts: ScenarioTime
    compression: float
    ends: ScenarioTime | None = None
    summary: Text = Text()


@attrs.frozen
class Indicator:
    """A state indicator (tilstandsindikator), kept between `min` and `max`."""

    id: str
    name: Text
    initial: float
    min: float = 0
    max: float = 100
    description: Text = Text()
    drift: Mapping[str, Rate] = attrs.field(factory=dict)
    visible: bool = True
    good: Polarity | None = None
    unit: str = ""


@attrs.frozen
class Inject:
    """An inject (innspill).

    Released at `at`, or the first time `when` holds (not before `at` if both are given), or
    by the facilitator (`trigger: manual`), or by an option's `follow_up` after `after`.
    """

    id: str
    title: Text
    channel: Channel
    sender: str = ""
    to: tuple[str, ...] = ()
    body: Text = Text()
    at: ScenarioTime | None = None
    when: Condition | None = None
    trigger: Trigger | None = None
    after: Duration | None = None
    facilitator_notes: Text = Text()
    expected_actions: tuple[Text, ...] = ()
    criteria: tuple[str, ...] = ()

    @property
    def kind(self) -> Trigger:
        if self.trigger is not None:
            return self.trigger
        if self.when is not None:
            return Trigger.CONDITIONAL
        return Trigger.SCHEDULED


@attrs.frozen
class Option:
    id: str
    text: Text
    effects: Mapping[str, float] = attrs.field(factory=dict)
    evidence: Mapping[str, Level] = attrs.field(factory=dict)
    sets: tuple[str, ...] = ()
    clears: tuple[str, ...] = ()
    follow_up: tuple[str, ...] = ()
    consequence: Text = Text()


@attrs.frozen
class Decision:
    """A decision point (beslutningspunkt), opened by an inject; `default` applies at the deadline."""

    id: str
    opens_with: str
    deadline: Duration
    category: Category
    prompt: Text
    options: tuple[Option, ...]
    default: str
    title: Text = Text()

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@attrs.frozen
class IndicatorRule:
    """Rates a criterion from a measure of an indicator over the whole exercise.

    Thresholds P, S, M: ascending means lower is better (value <= P gives P); descending means
    higher is better (value >= P gives P). Past M the rating is U.
    """

    criterion: str
    indicator: str
    measure: Measure
    thresholds: Mapping[Level, float]


@attrs.frozen
class OwnCriterion:
    """A criterion a scenario adds to the catalogue's. `theme` is a catalogue theme's id or a new
    one; a new theme is named by `theme_name` (on any of its criteria)."""

    id: str
    theme: str
    name: Text
    description: Text = Text()
    theme_name: Text = Text()


@attrs.frozen
class Scoring:
    criteria: tuple[str, ...] = ()
    rules: tuple[IndicatorRule, ...] = ()
    own_criteria: tuple[OwnCriterion, ...] = ()


@attrs.frozen
class Scenario:
    schema_version: int
    id: str
    title: Text
    phases: tuple[Phase, ...]
    ends: ScenarioTime
    language: str = "nb"
    languages: tuple[str, ...] = ()
    summary: Text = Text()
    background: Text = Text()
    goals: tuple[Goal, ...] = ()
    exercise_form: Text = Text()
    agency: Agency | None = None
    roles: tuple[Role, ...] = ()
    start_date: dt.date | None = None
    indicators: tuple[Indicator, ...] = ()
    injects: tuple[Inject, ...] = ()
    decisions: tuple[Decision, ...] = ()
    scoring: Scoring = Scoring()

    @property
    def declared_languages(self) -> tuple[str, ...]:
        return self.languages or (self.language,)

    @cached_property
    def _index(self) -> _Index:
        return _Index(
            {i.id: i for i in self.injects},
            {d.id: d for d in self.decisions},
            {i.id: i for i in self.indicators},
            {p.id: p for p in self.phases},
        )

    def inject(self, inject_id: str) -> Inject:
        return self._index.injects[inject_id]

    def decision(self, decision_id: str) -> Decision:
        return self._index.decisions[decision_id]

    def indicator(self, indicator_id: str) -> Indicator:
        return self._index.indicators[indicator_id]

    def phase(self, phase_id: str) -> Phase:
        return self._index.phases[phase_id]

    def has_inject(self, inject_id: str) -> bool:
        return inject_id in self._index.injects

    def has_decision(self, decision_id: str) -> bool:
        return decision_id in self._index.decisions

    def has_indicator(self, indicator_id: str) -> bool:
        return indicator_id in self._index.indicators

    def decisions_opened_by(self, inject_id: str) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.opens_with == inject_id)

    def phase_at(self, minutes: int) -> Phase:
        """The phase that scenario time `minutes` falls in (the last one started)."""
        current = self.phases[0]
        for phase in self.phases:
            if phase.starts.minutes <= minutes:
                current = phase
        return current

    def calendar(self, minutes: int) -> dt.datetime | None:
        """Calendar date and time of a scenario time, if the scenario has a `start_date`."""
        if self.start_date is None:
            return None
        start = dt.datetime.combine(self.start_date, dt.time())
        return start + dt.timedelta(minutes=minutes)


@attrs.frozen
class _Index:
    injects: Mapping[str, Inject]
    decisions: Mapping[str, Decision]
    indicators: Mapping[str, Indicator]
    phases: Mapping[str, Phase]
