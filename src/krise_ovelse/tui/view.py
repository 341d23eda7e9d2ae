"""What the exercise screen shows, as plain records built from the engine's state.

`krise_ovelse.tui.session.snapshot()` builds a `Snapshot` from the scenario and the engine
state; widgets render these records and nothing else. This is the one place that knows the
shape of the engine state, and the widgets can be tested with hand-made snapshots.

Every text in a record passes through the one sanitiser (`safetext.neutralise`) as the record
is made (`_clean_fields`): titles, bodies, senders, rationales and names come from files and the store,
and no escape sequence in them may reach the terminal.
"""

from __future__ import annotations

from typing import Any

import attrs

from krise_ovelse.model.scenario import Channel, Polarity
from krise_ovelse.safetext import neutralise

FACILITATOR = "facilitator"
TEAM = "team"
VIEWS = (FACILITATOR, TEAM)


def _clean(value: Any) -> Any:
    """Texts neutralised, also inside tuples; other values as they are."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, tuple):
        return tuple(_clean(item) for item in value)
    return value


def _clean_fields(cls: type, fields: list[attrs.Attribute]) -> list[attrs.Attribute]:  # type: ignore[type-arg]
    return [field if field.converter is not None else field.evolve(converter=_clean) for field in fields]



@attrs.frozen(field_transformer=_clean_fields)
class ClockView:
    minutes: float
    phase_id: str
    phase_title: str
    running: bool
    speed: float
    ended: bool
    calendar: str = ""
    compression: float = 0.0
    exercise_seconds: float = 0.0


@attrs.frozen(field_transformer=_clean_fields)
class Unplayed:
    """What is still unplayed of the scenario: for the ENDEX question."""

    end_minutes: int  # the scenario's end (scenario minutes)
    minutes_left: int  # scenario time left until then
    decisions_unopened: int  # decision points not opened yet
    decisions_total: int
    #: Decisions open now, undecided: (id, title, deadline minute). ENDEX leaves them without a
    #: choice (no default is applied after the end).
    open_now: tuple[tuple[str, str, int], ...] = ()


@attrs.frozen
class JumpPreview:
    """What `j` would do: the jump, what it passes over, and what lapses on arrival."""

    phase_id: str
    phase_title: str
    from_minutes: int
    to_minutes: int
    #: Scheduled injects passed over (skipped): (id, title, scenario minute).
    skipped: tuple[tuple[str, str, int], ...]
    #: Open decisions whose deadline passes in the jump: (id, title, default option id, its text).
    lapsing: tuple[tuple[str, str, str, str], ...]
    #: Play time (×1) the jump skips, in real seconds.
    saves: float


@attrs.frozen(field_transformer=_clean_fields)
class FeedItem:
    inject_id: str
    minutes: float
    channel: Channel | None
    sender: str
    title: str
    body: str
    unread: bool
    adhoc: bool = False
    notes: str = ""
    expected: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    to: tuple[str, ...] = ()
    opens: tuple[str, ...] = ()
    #: "inject", or "phase": the beginning of a phase (title and summary), not an inject.
    kind: str = "inject"


@attrs.frozen(field_transformer=_clean_fields)
class DecisionView:
    decision_id: str
    title: str
    prompt: str
    opened_minutes: float
    deadline_minutes: float
    category: str
    options: tuple[tuple[str, str], ...]
    default: str
    chosen: str | None = None
    #: The deadline passed and the default applies (`chosen` is then the default).
    missed: bool = False
    #: Who decided and why, on the record of the team's choice in force (empty if none).
    decided_by: str = ""
    rationale: str = ""
    #: Real seconds to the deadline at the current speed (an open decision), and whether the
    #: clock runs (if not, the countdown stands).
    real_seconds_left: float | None = None
    clock_running: bool = False
    #: Decide first, see the options after: the session is played so. Where the view may not
    #: see the options yet (the team's, until the decision is mapped) `options` is empty and
    #: `default` blank: the texts are not in the record at all.
    decide_first: bool = False
    #: The engine's status: closed, open, written (awaiting mapping), decided, missed.
    status: str = ""
    #: The team's own words (decide-first), who decided, why, and when (scenario minutes).
    written: str = ""
    written_by: str = ""
    written_rationale: str = ""
    written_minutes: float | None = None
    #: What a written decision was mapped to (an option id or `annet`), if yet.
    mapped: str | None = None
    #: The criteria a mapping to `annet` can rate: (id, name), those the options name first.
    criteria: tuple[tuple[str, str], ...] = ()

    @property
    def awaiting_mapping(self) -> bool:
        return self.status == "written"


@attrs.frozen(field_transformer=_clean_fields)
class IndicatorView:
    id: str
    name: str
    value: float
    minimum: float
    maximum: float
    good: Polarity | None
    visible: bool
    history: tuple[float, ...]
    unit: str = ""

    @property
    def fraction(self) -> float:
        span = self.maximum - self.minimum
        return 0.0 if span <= 0 else max(0.0, min(1.0, (self.value - self.minimum) / span))

    @property
    def trend(self) -> float:
        """Change since the previous distinct value (0 if none)."""
        previous = [v for v in self.history if v != self.value]
        return self.value - previous[-1] if previous else 0.0


@attrs.frozen(field_transformer=_clean_fields)
class LogEntry:
    decision_id: str
    title: str
    option_id: str
    option_text: str
    minutes: float
    rationale: str = ""
    decided_by: str = ""
    missed: bool = False
    revision: int = 0
    current: bool = True
    #: The option's `consequence`: what the team is told after choosing it.
    consequence: str = ""
    #: How often who/why was corrected since (the original stays in the event log).
    amendments: int = 0
    #: Decide-first: the team's own words, which this choice was mapped from.
    own_words: str = ""


@attrs.frozen(field_transformer=_clean_fields)
class UpcomingItem:
    inject_id: str
    minutes: float | None
    kind: str
    title: str
    sender: str
    channel: Channel | None


@attrs.frozen(field_transformer=_clean_fields)
class ObservationView:
    text: str
    criteria: tuple[str, ...]
    minutes: float
    level: str = ""
    author: str = ""


@attrs.frozen(field_transformer=_clean_fields)
class Snapshot:
    clock: ClockView
    feed: tuple[FeedItem, ...]
    open_decisions: tuple[DecisionView, ...]
    indicators: tuple[IndicatorView, ...]
    log: tuple[LogEntry, ...]
    upcoming: tuple[UpcomingItem, ...]
    observations: tuple[ObservationView, ...] = ()
    seq: int = 0
    #: The inject on the team's screen (the projector), whole.
    presented: FeedItem | None = None
    #: Decide-first: decisions the team has written that await mapping, oldest first.
    awaiting: tuple[DecisionView, ...] = ()
    #: The session is played decide-first.
    decide_first: bool = False
