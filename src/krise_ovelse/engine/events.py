"""Events: the facts a session is made of, and their stable JSON form.

Every event has `seq` (1-based, consecutive), a stable snake_case `kind` and three times:
`scenario_minutes` (minutes since D+0 after the event), `exercise_seconds` (seconds of play,
pauses excluded) and `wall` (ISO-8601 with time zone, from the injected clock).

Events carry their results (an indicator's new value, not just "option a was chosen"), so that
folding them needs no arithmetic that could drift between versions, and so a report can read
what happened straight from the log. `event_to_dict`/`event_from_dict` round-trip exactly;
mappings are stored as sorted tuples of pairs so that a dict dumped with `sort_keys=True` comes
back equal.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, ClassVar, TypeAlias, TypeVar

import attrs

from krise_ovelse.engine.values import EndReason, JumpReason, Mode, Participant, ReleaseSource, TaskStatus
from krise_ovelse.model.scenario import Channel, Level

#: Indicator id → value after the event, sorted by id.
Values: TypeAlias = tuple[tuple[str, float], ...]
#: Inject id → scenario minute it falls due, sorted by id.
FollowUps: TypeAlias = tuple[tuple[str, int], ...]
#: Question id → answer, sorted by question id.
Answers: TypeAlias = tuple[tuple[str, str], ...]
#: Criterion id → level, sorted by criterion id (a mapper's rating of a decision mapped to "annet").
Levels: TypeAlias = tuple[tuple[str, Level], ...]


_new = object.__new__
_set_attr = object.__setattr__
E = TypeVar("E", bound="Event")


def make_event(cls: type[E], fields: dict[str, Any]) -> E:
    """`cls(**fields)` without running `__init__`: the engine's and the decoder's fast path.

    Events are frozen dict classes without validators or converters, so filling `__dict__`
    gives the same object as the constructor (a test checks this for every kind); keep it so.
    """
    event: E = _new(cls)
    _set_attr(event, "__dict__", fields)
    return event


class EventFormatError(ValueError):
    """A dict (from a store or a file) that is not a valid event, or events out of order."""


@attrs.frozen(kw_only=True, slots=False)
class Event:
    """Base of all events; `kind` is the stable name used in JSON and by other packages.

    Dict classes, not slotted: `make_event` builds them by filling `__dict__`, which is
    several times faster than attrs' frozen `__init__` and matters at 100,000 events.
    """

    kind: ClassVar[str] = ""

    seq: int
    scenario_minutes: int
    exercise_seconds: float
    wall: str


@attrs.frozen(kw_only=True, slots=False)
class SessionStarted(Event):
    """Always the first event. The session starts paused: `Resume` starts the clock (STARTEX)."""

    kind: ClassVar[str] = "session_started"
    seed: int
    scenario_id: str
    team: str
    participants: tuple[Participant, ...]
    facilitator: str
    mode: Mode
    #: Optional (absent from the stored form when off, so older sessions read unchanged):
    #: "decide first, see the options after" — the team writes its decision in its own words
    #: (`decision_written`) and a facilitator or evaluator maps it (`decision_mapped`).
    decide_first: bool = False


@attrs.frozen(kw_only=True, slots=False)
class ClockAdvanced(Event):
    """Scenario time moved from `from_minute` to `scenario_minutes` within one phase.

    `carry` is the fraction of a minute accumulated in real-time mode; `values` holds the
    indicators whose drift changed them.
    """

    kind: ClassVar[str] = "clock_advanced"
    from_minute: int
    carry: float
    values: Values


@attrs.frozen(kw_only=True, slots=False)
class ClockJumped(Event):
    """Scenario time jumped from `from_minute` to `scenario_minutes`: no drift in between."""

    kind: ClassVar[str] = "clock_jumped"
    from_minute: int
    reason: JumpReason


@attrs.frozen(kw_only=True, slots=False)
class PhaseChanged(Event):
    kind: ClassVar[str] = "phase_changed"
    phase_id: str
    previous_phase_id: str


@attrs.frozen(kw_only=True, slots=False)
class Paused(Event):
    kind: ClassVar[str] = "paused"


@attrs.frozen(kw_only=True, slots=False)
class Resumed(Event):
    kind: ClassVar[str] = "resumed"


@attrs.frozen(kw_only=True, slots=False)
class SpeedChanged(Event):
    kind: ClassVar[str] = "speed_changed"
    speed: float


@attrs.frozen(kw_only=True, slots=False)
class ModeChanged(Event):
    kind: ClassVar[str] = "mode_changed"
    mode: Mode


@attrs.frozen(kw_only=True, slots=False)
class InjectReleased(Event):
    kind: ClassVar[str] = "inject_released"
    inject_id: str
    source: ReleaseSource
    by: str


@attrs.frozen(kw_only=True, slots=False)
class InjectAcknowledged(Event):
    kind: ClassVar[str] = "inject_acknowledged"
    inject_id: str
    by: str


@attrs.frozen(kw_only=True, slots=False)
class InjectDone(Event):
    kind: ClassVar[str] = "inject_done"
    inject_id: str
    by: str


@attrs.frozen(kw_only=True, slots=False)
class InjectSkipped(Event):
    kind: ClassVar[str] = "inject_skipped"
    inject_id: str
    reason: str
    by: str


@attrs.frozen(kw_only=True, slots=False)
class AdhocInjectAdded(Event):
    """An inject the facilitator wrote during play; it gets the next free id `adhoc-N`."""

    kind: ClassVar[str] = "adhoc_inject_added"
    inject_id: str
    title: str
    body: str
    channel: Channel
    sender: str
    to: tuple[str, ...]
    by: str


@attrs.frozen(kw_only=True, slots=False)
class DecisionOpened(Event):
    kind: ClassVar[str] = "decision_opened"
    decision_id: str
    inject_id: str
    deadline: int


@attrs.frozen(kw_only=True, slots=False)
class OptionApplied(Event):
    """Common part of the three ways an option takes effect (made, revised, missed).

    `values` are the indicators' values after the option's effects (clamped to their bounds);
    `sets`/`clears` are the option's flags (set first, then cleared); `follow_ups` the follow-up
    injects this choice scheduled and when they fall due.
    """

    decision_id: str
    option_id: str
    values: Values
    sets: tuple[str, ...]
    clears: tuple[str, ...]
    follow_ups: FollowUps


@attrs.frozen(kw_only=True, slots=False)
class DecisionMade(OptionApplied):
    """The team decided an open decision (revision 0). Response times count from the opening."""

    kind: ClassVar[str] = "decision_made"
    rationale: str
    decided_by: str
    revision: int
    response_minutes: int
    response_seconds: float


@attrs.frozen(kw_only=True, slots=False)
class DecisionRevised(OptionApplied):
    """The team changed a decided (or missed) decision; revision counts from 1.

    The new option's effects apply on top of the old ones: what the first choice set in motion
    has happened in the crisis and is not undone. The old choice stays in the history.
    """

    kind: ClassVar[str] = "decision_revised"
    rationale: str
    decided_by: str
    revision: int
    response_minutes: int
    response_seconds: float


@attrs.frozen(kw_only=True, slots=False)
class DecisionMissed(OptionApplied):
    """The deadline passed without a decision: the default option was applied."""

    kind: ClassVar[str] = "decision_missed"
    deadline: int


@attrs.frozen(kw_only=True, slots=False)
class DecisionRecordAmended(Event):
    """A correction of who decided or why, on the record of a choice (`record_seq`, the seq of
    its decision_made or decision_revised event); the option and its effects stay as they were.

    Additive: the original event is never rewritten, and this event carries the values it
    replaces, so the audit trail shows the record before and after the correction.
    """

    kind: ClassVar[str] = "decision_record_amended"
    decision_id: str
    record_seq: int
    rationale: str
    decided_by: str
    previous_rationale: str
    previous_decided_by: str
    by: str


@attrs.frozen(kw_only=True, slots=False)
class DecisionWritten(Event):
    """Decide-first mode: the team wrote its decision in its own words (`text`), with who decided
    and why, before seeing any option. It counts for the deadline when written (response times
    from the opening); no option takes effect until the decision is mapped."""

    kind: ClassVar[str] = "decision_written"
    decision_id: str
    text: str
    rationale: str
    decided_by: str
    response_minutes: int
    response_seconds: float


@attrs.frozen(kw_only=True, slots=False)
class DecisionMapped(Event):
    """A facilitator or evaluator (`by`) mapped a written decision to the closest option, or to
    `annet` (other) with their own levels for the criteria they rated.

    `applied`: the option's effects were applied with it (a `decision_made` carrying the team's
    words follows in the same command); false for `annet` and for a mapping after ENDEX, when
    play has stopped and the indicators stay as they ended.
    """

    kind: ClassVar[str] = "decision_mapped"
    decision_id: str
    option_id: str
    by: str
    levels: Levels
    note: str
    applied: bool


@attrs.frozen(kw_only=True, slots=False)
class InjectPresented(Event):
    """The facilitator put a released inject on the team's screen (None: cleared it)."""

    kind: ClassVar[str] = "inject_presented"
    inject_id: str | None
    by: str


@attrs.frozen(kw_only=True, slots=False)
class ObservationAdded(Event):
    kind: ClassVar[str] = "observation_added"
    observation_id: str
    text: str
    author: str
    criteria: tuple[str, ...]
    inject_id: str | None
    decision_id: str | None
    #: Optional (absent from the stored form when unset, so older sessions read unchanged):
    #: the evaluator's level for the criteria named, and why.
    level: Level | None = None
    why: str = ""


@attrs.frozen(kw_only=True, slots=False)
class CriterionRated(Event):
    """A rating given during play; the engine records it, scoring interprets it."""

    kind: ClassVar[str] = "criterion_rated"
    criterion_id: str
    level: Level
    reason: str
    by: str


@attrs.frozen(kw_only=True, slots=False)
class EvaluatorAdded(Event):
    kind: ClassVar[str] = "evaluator_added"
    name: str
    lead: bool


@attrs.frozen(kw_only=True, slots=False)
class TaskMarked(Event):
    """A checklist mark on critical task `task` (1-based) of a criterion."""

    kind: ClassVar[str] = "task_marked"
    criterion_id: str
    task: int
    status: TaskStatus
    by: str
    note: str
    evidence: str
    observed_at: int


@attrs.frozen(kw_only=True, slots=False)
class ReasoningRated(Event):
    kind: ClassVar[str] = "reasoning_rated"
    decision_id: str
    level: Level
    by: str
    note: str
    criteria: tuple[str, ...]


@attrs.frozen(kw_only=True, slots=False)
class RatingReconciled(Event):
    kind: ClassVar[str] = "rating_reconciled"
    criterion_id: str
    level: Level
    reason: str
    by: str


@attrs.frozen(kw_only=True, slots=False)
class SessionEnded(Event):
    """ENDEX: by the facilitator or because the clock reached the scenario's end."""

    kind: ClassVar[str] = "session_ended"
    reason: EndReason
    note: str


@attrs.frozen(kw_only=True, slots=False)
class HotwashNoted(Event):
    """A point from the hotwash right after ENDEX: `entry_kind` plus (what worked), delta (what
    to change) or takeaway (what we take with us)."""

    kind: ClassVar[str] = "hotwash_noted"
    entry_kind: str
    text: str
    by: str


@attrs.frozen(kw_only=True, slots=False)
class FeedbackGiven(Event):
    """One participant's answers to the questionnaire. Anonymous: no name is recorded."""

    kind: ClassVar[str] = "feedback_given"
    answers: Answers


EVENT_TYPES: tuple[type[Event], ...] = (
    SessionStarted, ClockAdvanced, ClockJumped, PhaseChanged, Paused, Resumed, SpeedChanged,
    ModeChanged, InjectReleased, InjectAcknowledged, InjectDone, InjectSkipped, AdhocInjectAdded,
    DecisionOpened, DecisionMade, DecisionRevised, DecisionMissed, ObservationAdded,
    CriterionRated, SessionEnded, EvaluatorAdded, TaskMarked, ReasoningRated, RatingReconciled, HotwashNoted,
    FeedbackGiven, DecisionRecordAmended, InjectPresented, DecisionWritten, DecisionMapped,
)
EVENT_KINDS: Mapping[str, type[Event]] = types.MappingProxyType({cls.kind: cls for cls in EVENT_TYPES})


# --- JSON form -------------------------------------------------------------------------------

Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]


def _bad(expected: str, value: Any) -> EventFormatError:
    return EventFormatError(f"expected {expected}, found {type(value).__name__} {value!r:.40}")


def _dec_int(value: Any) -> int:
    if type(value) is int:
        return value
    raise _bad("an integer", value)


def _dec_float(value: Any) -> float:
    if type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    raise _bad("a number", value)


def _dec_str(value: Any) -> str:
    if type(value) is str:
        return value
    raise _bad("text", value)


def _dec_opt_str(value: Any) -> str | None:
    return None if value is None else _dec_str(value)


def _dec_strs(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise _bad("a list", value)
    return tuple(_dec_str(item) for item in value)


def _dec_pairs(value_decoder: Decode, value: Any) -> tuple[tuple[str, Any], ...]:
    if type(value) is not dict:
        raise _bad("a mapping", value)
    return tuple((_dec_str(k), value_decoder(v)) for k, v in value.items())


# The decoders the tables below hold are bound with `partial`, not closures: a closure's body
# is fixed when the table is built at import, so mutation testing could never reach it.
def _pairs(value_decoder: Decode) -> Decode:  # pragma: no mutate block (runs once, at import)
    return functools.partial(_dec_pairs, value_decoder)


def _enc_pairs(value: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    return dict(value)


def _dec_enum(cls: type[Enum], value: Any) -> Enum:
    try:
        return cls(value)
    except ValueError:
        raise EventFormatError(f"{value!r:.40} is not a valid {cls.__name__}") from None


def _enum(cls: type[Enum]) -> Decode:  # pragma: no mutate block (runs once, at import)
    return functools.partial(_dec_enum, cls)


def _dec_participants(value: Any) -> tuple[Participant, ...]:
    if type(value) is not list:
        raise _bad("a list", value)
    result = []
    for item in value:
        if type(item) is not dict or set(item) != {"name", "role"}:
            raise _bad("a participant {name, role}", item)
        result.append(Participant(_dec_str(item["name"]), _dec_str(item["role"])))
    return tuple(result)


def _enc_participants(value: tuple[Participant, ...]) -> list[dict[str, str]]:
    return [{"name": p.name, "role": p.role} for p in value]


def _dec_bool(value: Any) -> bool:
    if type(value) is bool:
        return value
    raise _bad("true or false", value)


def _dec_opt_level(value: Any) -> Level | None:
    if value is None:
        return None
    try:
        return Level(value)
    except ValueError:
        raise EventFormatError(f"{value!r:.40} is not a valid Level") from None


def _dec_levels(value: Any) -> Levels:
    if type(value) is not dict:
        raise _bad("a mapping", value)
    out = []
    for key, level in value.items():
        try:
            out.append((_dec_str(key), Level(level)))
        except ValueError:
            raise EventFormatError(f"{level!r:.40} is not a valid Level") from None
    return tuple(out)


def _enc_levels(value: Levels) -> dict[str, str]:
    return {key: level.value for key, level in value}


def _enc_opt_enum(value: Enum | None) -> Any:
    return None if value is None else value.value


def _enc_strs(value: tuple[str, ...]) -> list[str]:
    return list(value)


def _enc_enum(value: Enum) -> Any:
    return value.value


_CODECS: list[tuple[Any, Encode | None, Decode]] = [
    (int, None, _dec_int),
    (bool, None, _dec_bool),
    (Level | None, _enc_opt_enum, _dec_opt_level),
    (float, None, _dec_float),
    (str, None, _dec_str),
    (str | None, None, _dec_opt_str),
    (tuple[str, ...], _enc_strs, _dec_strs),
    (Values, _enc_pairs, _pairs(_dec_float)),
    (FollowUps, _enc_pairs, _pairs(_dec_int)),
    (Answers, _enc_pairs, _pairs(_dec_str)),
    (Levels, _enc_levels, _dec_levels),
    (tuple[Participant, ...], _enc_participants, _dec_participants),
]


def _codec(tp: Any) -> tuple[Encode | None, Decode]:  # pragma: no mutate block (runs once, at import)
    for known, enc, dec in _CODECS:
        if tp == known:
            return enc, dec
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enc_enum, _enum(tp)
    raise TypeError(f"no JSON codec for {tp!r}")  # pragma: no cover - a programming error


@attrs.frozen
class _Spec:
    cls: type[Event]
    fields: tuple[tuple[str, Encode | None, Decode], ...]
    keys: frozenset[str]
    #: Fields added after sessions were stored, with their defaults: left out of the dict form
    #: when at the default, filled in when absent, so older stored events read unchanged.
    optional: Mapping[str, Any] = attrs.field(factory=dict)


def _spec(cls: type[Event]) -> _Spec:  # pragma: no mutate block (runs once, at import)
    attrs.resolve_types(cls, globals())
    fields = tuple((f.name, *_codec(f.type)) for f in attrs.fields(cls))
    optional = {f.name: f.default for f in attrs.fields(cls) if f.default is not attrs.NOTHING}
    return _Spec(cls, fields, frozenset({"kind", *(name for name, _, _ in fields)}), optional)


_SPECS: Mapping[str, _Spec] = {cls.kind: _spec(cls) for cls in EVENT_TYPES}
_SPEC_BY_TYPE: Mapping[type[Event], _Spec] = {spec.cls: spec for spec in _SPECS.values()}


def event_to_dict(event: Event) -> dict[str, Any]:
    """The stable JSON-ready dict of an event: `kind`, the times and the payload, flat."""
    out: dict[str, Any] = {"kind": event.kind}
    spec = _SPEC_BY_TYPE[type(event)]
    optional = spec.optional
    for name, enc, _dec in spec.fields:
        value = getattr(event, name)
        if optional and name in optional and value == optional[name]:
            continue
        out[name] = value if enc is None else enc(value)
    return out


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """Rebuild an event from `event_to_dict`'s form; EventFormatError for anything else."""
    try:
        spec = _SPECS[data["kind"]]
    except (KeyError, TypeError):
        kind = data.get("kind") if isinstance(data, Mapping) else None
        raise EventFormatError(f"unknown event kind {kind!r:.40}") from None
    optional = spec.optional
    if (len(data) != len(spec.keys) and not optional) or not spec.keys.issuperset(data) or (
            optional and not spec.keys.difference(optional).issubset(data)):
        missing = sorted(spec.keys - set(data) - set(optional))
        extra = sorted(set(data) - spec.keys)
        raise EventFormatError(f"{spec.cls.kind} event: missing keys {missing}, unknown keys {extra}")
    try:
        fields = {name: dec(data[name]) if name in data else optional[name] for name, _enc, dec in spec.fields}
    except EventFormatError as exc:
        raise EventFormatError(f"{spec.cls.kind} event {data.get('seq')!r:.20}: {exc}") from None
    return make_event(spec.cls, fields)
