"""What scoring reads: a small, explicit record of one exercise run (`ScoringInput`).

Scoring never looks into the engine's state or events directly. One adapter
(`krise_ovelse.scoring.adapter.scoring_input`) builds this record from the engine's folded
state; tests build it by hand. Everything here is plain data with a stable dict form, so a
record can travel in `run --json` output and be read back for a report.

Times: `minutes` are scenario minutes since D+0 00:00 (floats allowed); `seconds` are seconds
of exercise time (play, pauses excluded); `seq` is the number of the engine event behind an
item, so every piece of evidence can be traced to the log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from krise_ovelse.model.scenario import Level
from krise_ovelse.scoring.levels import parse_level

FORMAT = "krise-ovelse/scoring-input"
#: 2 added the evaluators' records (evaluators, task marks, reasoning, reconciliations) and an
#: observation's `why`; version 1 records read as having none. 3 added a decision's `written`
#: (decide-first mode: the team's own words and how they were mapped); older records have none.
VERSION = 3
READABLE_VERSIONS = (1, 2, 3)


@attrs.frozen
class Sample:
    """A corner of an indicator's curve over scenario time.

    The curve runs in straight lines between samples (drift is linear within a phase); two
    samples at the same minute are a jump (an option's effect: the value before, then after);
    after the last sample the value holds.
    """

    minutes: float
    value: float
    seq: int | None = None


@attrs.frozen
class Choice:
    """One choice at a decision point: the team's, or the default applied at the deadline.

    `response_minutes`/`response_seconds` are the time from the opening (as the engine
    reports them); when absent they are worked out from the opening and the choice's times.
    """

    option: str
    seq: int | None = None
    minutes: float | None = None
    seconds: float | None = None
    missed: bool = False
    rationale: str = ""
    decided_by: str = ""
    response_minutes: float | None = None
    response_seconds: float | None = None


def _levels(values: Iterable[tuple[str, Any]]) -> tuple[tuple[str, Level], ...]:
    return tuple((str(criterion), parse_level(level)) for criterion, level in values)


@attrs.frozen
class Written:
    """Decide-first mode: the team's decision in its own words, and its mapping (if yet).

    `mapped_option` is an option id or `annet` (other), None while it awaits mapping; `levels`
    are the mapper's (criterion, level) ratings of an `annet` decision — evaluator evidence.
    `applied`: the mapped option's effects were applied (a choice records them).
    """

    text: str
    rationale: str = ""
    decided_by: str = ""
    seq: int | None = None
    minutes: float | None = None
    seconds: float | None = None
    response_minutes: float | None = None
    response_seconds: float | None = None
    mapped_option: str | None = None
    mapped_by: str = ""
    mapped_seq: int | None = None
    mapped_minutes: float | None = None
    levels: tuple[tuple[str, Level], ...] = attrs.field(default=(), converter=_levels)
    note: str = ""
    applied: bool = False

    @property
    def mapped(self) -> bool:
        return self.mapped_option is not None


@attrs.frozen
class DecisionRecord:
    """A decision point that was opened, with every choice made at it (oldest first).

    `choices[-1]` is the choice in force at the end; earlier ones were revised. A decision
    with no choices was still open when play ended, or (decide-first) was written by the team
    and awaits mapping, or was mapped to `annet`: `written` holds the team's own words.
    """

    decision: str
    opened_seq: int | None = None
    opened_minutes: float | None = None
    opened_seconds: float | None = None
    deadline_minutes: float | None = None
    choices: tuple[Choice, ...] = ()
    written: Written | None = None

    @property
    def final(self) -> Choice | None:
        return self.choices[-1] if self.choices else None

    @property
    def closed(self) -> bool:
        """Decided, missed, or written in the team's words (which counts for the deadline)."""
        return bool(self.choices) or self.written is not None

    @property
    def awaiting_mapping(self) -> bool:
        """Written by the team and not yet mapped to an option or `annet` (not a missed deadline)."""
        return self.written is not None and not self.written.mapped

    @property
    def missed(self) -> bool:
        """True if the deadline passed before the team chose (the default was applied)."""
        return bool(self.choices) and self.choices[0].missed

    @property
    def revisions(self) -> tuple[Choice, ...]:
        """The choices that were later replaced."""
        return self.choices[:-1]

    @property
    def response_seconds(self) -> float | None:
        """Exercise seconds from opening to the team's decision (None if missed or still open)."""
        if self.written is not None and self.written.response_seconds is not None:
            return self.written.response_seconds
        first = self.choices[0] if self.choices and not self.choices[0].missed else None
        if first is None:
            return None
        if first.response_seconds is not None:
            return first.response_seconds
        if first.seconds is None or self.opened_seconds is None:
            return None
        return max(0.0, first.seconds - self.opened_seconds)

    @property
    def response_minutes(self) -> float | None:
        """Scenario minutes from opening to the team's decision (None if missed or still open)."""
        if self.written is not None and self.written.response_minutes is not None:
            return self.written.response_minutes
        first = self.choices[0] if self.choices and not self.choices[0].missed else None
        if first is None:
            return None
        if first.response_minutes is not None:
            return first.response_minutes
        if first.minutes is None or self.opened_minutes is None:
            return None
        return max(0.0, first.minutes - self.opened_minutes)


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


@attrs.frozen
class Observation:
    """A note made during play (by the facilitator or an evaluator).

    `criteria` are the criteria it names. With a `level` it is evidence at that level for each
    of them; without one it is context, listed beside the rating but not counted.
    """

    text: str
    criteria: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    level: Level | None = attrs.field(default=None, converter=attrs.converters.optional(parse_level))
    author: str = ""
    seq: int | None = None
    minutes: float | None = None
    inject: str | None = None
    decision: str | None = None
    why: str = ""


#: An evaluator's checklist marks (`TaskMark.status`).
TASK_STATUSES = ("observed", "partly", "not_observed", "not_applicable")


def _task_status(value: object) -> str:
    text = str(getattr(value, "value", value))
    if text not in TASK_STATUSES:
        raise ValueError(f"a checklist mark must be one of {', '.join(TASK_STATUSES)}, not {text!r:.40}")
    return text


@attrs.frozen
class TaskMark:
    """An evaluator's mark on critical task `task` (1-based) of a criterion."""

    criterion: str
    task: int
    status: str = attrs.field(converter=_task_status)
    by: str = ""
    note: str = ""
    evidence: str = ""
    seen_minutes: float | None = None
    seq: int | None = None
    minutes: float | None = None


@attrs.frozen
class ReasoningRating:
    """An evaluator's rating of the team's reasoning at a decision; `criteria` empty: the
    criteria the decision's options name."""

    decision: str
    level: Level = attrs.field(converter=parse_level)
    by: str = ""
    note: str = ""
    criteria: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    seq: int | None = None
    minutes: float | None = None


@attrs.frozen
class Override:
    """An evaluator's rating of a criterion (the engine's `rate_criterion` event)."""

    criterion: str
    level: Level = attrs.field(converter=parse_level)
    reason: str = ""
    by: str = ""
    seq: int | None = None
    minutes: float | None = None


@attrs.frozen
class InjectRecord:
    """An inject released during play, or skipped by the facilitator (with a reason).

    `title`, `sender`, `channel` and `body` are set for injects written during play (ad hoc),
    which the scenario does not hold; `adhoc` marks them.
    """

    inject: str
    seq: int | None = None
    minutes: float | None = None
    seconds: float | None = None
    title: str = ""
    skipped: bool = False
    reason: str = ""
    by: str = ""
    adhoc: bool = False
    sender: str = ""
    channel: str = ""
    body: str = ""


@attrs.frozen
class ScoringInput:
    """Everything scoring (and the report's timeline) needs from one run."""

    decisions: tuple[DecisionRecord, ...] = ()
    history: Mapping[str, tuple[Sample, ...]] = attrs.field(factory=dict)
    observations: tuple[Observation, ...] = ()
    overrides: tuple[Override, ...] = ()
    injects: tuple[InjectRecord, ...] = ()
    #: The evaluators named in the session (name, lead), the checklist marks, the reasoning
    #: ratings and the lead's reconciliations (an `Override` each, reason required).
    evaluators: tuple[tuple[str, bool], ...] = ()
    task_marks: tuple[TaskMark, ...] = ()
    reasoning: tuple[ReasoningRating, ...] = ()
    reconciliations: tuple[Override, ...] = ()
    start_minutes: float = 0.0
    #: Scenario time when play stopped (ENDEX or the last event); None: the last sample.
    end_minutes: float | None = None
    ended: bool = False
    #: Who played (from `session_started`), for the report's overview; participants as
    #: "name (role)"; `started` is the wall-clock time (ISO 8601) the session started.
    team: str = ""
    participants: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    facilitator: str = ""
    started: str = ""

    def decision(self, decision_id: str) -> DecisionRecord | None:
        return next((d for d in self.decisions if d.decision == decision_id), None)


# --- dict form ------------------------------------------------------------------------------


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop None and empty values so the dict form stays short and stable."""
    return {k: v for k, v in data.items() if v is not None and v != "" and v != [] and v is not False}


def _choice_to_dict(choice: Choice) -> dict[str, Any]:
    return _clean({"option": choice.option, "seq": choice.seq, "minutes": choice.minutes,
                   "seconds": choice.seconds, "missed": choice.missed, "rationale": choice.rationale,
                   "decided_by": choice.decided_by, "response_minutes": choice.response_minutes,
                   "response_seconds": choice.response_seconds})


def _written_to_dict(written: Written | None) -> dict[str, Any] | None:
    if written is None:
        return None
    return _clean({"text": written.text, "rationale": written.rationale, "decided_by": written.decided_by,
                   "seq": written.seq, "minutes": written.minutes, "seconds": written.seconds,
                   "response_minutes": written.response_minutes, "response_seconds": written.response_seconds,
                   "mapped_option": written.mapped_option, "mapped_by": written.mapped_by,
                   "mapped_seq": written.mapped_seq, "mapped_minutes": written.mapped_minutes,
                   "levels": {criterion: level.value for criterion, level in written.levels} or None,
                   "note": written.note, "applied": written.applied})


def _written_from_dict(data: Any) -> Written | None:
    if data is None:
        return None
    return Written(
        text=str(data["text"]), rationale=str(data.get("rationale", "")), decided_by=str(data.get("decided_by", "")),
        seq=_opt_int(data.get("seq")), minutes=_opt_float(data.get("minutes")),
        seconds=_opt_float(data.get("seconds")), response_minutes=_opt_float(data.get("response_minutes")),
        response_seconds=_opt_float(data.get("response_seconds")),
        mapped_option=None if data.get("mapped_option") is None else str(data["mapped_option"]),
        mapped_by=str(data.get("mapped_by", "")), mapped_seq=_opt_int(data.get("mapped_seq")),
        mapped_minutes=_opt_float(data.get("mapped_minutes")), levels=dict(data.get("levels") or {}).items(),
        note=str(data.get("note", "")), applied=bool(data.get("applied", False)))


def input_to_dict(record: ScoringInput) -> dict[str, Any]:
    """The stable dict form of a record (JSON-ready)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "start_minutes": record.start_minutes,
        "end_minutes": record.end_minutes,
        "ended": record.ended,
        "team": record.team,
        "participants": list(record.participants),
        "facilitator": record.facilitator,
        "started": record.started,
        "injects": [_clean({"inject": i.inject, "seq": i.seq, "minutes": i.minutes, "seconds": i.seconds,
                            "title": i.title, "skipped": i.skipped, "reason": i.reason, "by": i.by,
                            "adhoc": i.adhoc, "sender": i.sender, "channel": i.channel, "body": i.body})
                    for i in record.injects],
        "decisions": [
            _clean({"decision": d.decision, "opened_seq": d.opened_seq, "opened_minutes": d.opened_minutes,
                    "opened_seconds": d.opened_seconds, "deadline_minutes": d.deadline_minutes,
                    "choices": [_choice_to_dict(c) for c in d.choices], "written": _written_to_dict(d.written)})
            for d in record.decisions
        ],
        "history": {
            indicator: [[s.minutes, s.value, s.seq] for s in samples]
            for indicator, samples in sorted(record.history.items())
        },
        "observations": [
            _clean({"text": o.text, "criteria": list(o.criteria), "level": o.level.value if o.level else None,
                    "author": o.author, "seq": o.seq, "minutes": o.minutes, "inject": o.inject,
                    "decision": o.decision, "why": o.why})
            for o in record.observations
        ],
        "overrides": [_override_to_dict(o) for o in record.overrides],
        "evaluators": [{"name": name, "lead": lead} for name, lead in record.evaluators],
        "task_marks": [
            _clean({"criterion": m.criterion, "task": m.task, "status": m.status, "by": m.by, "note": m.note,
                    "evidence": m.evidence, "seen_minutes": m.seen_minutes, "seq": m.seq, "minutes": m.minutes})
            for m in record.task_marks
        ],
        "reasoning": [
            _clean({"decision": r.decision, "level": r.level.value, "by": r.by, "note": r.note,
                    "criteria": list(r.criteria), "seq": r.seq, "minutes": r.minutes})
            for r in record.reasoning
        ],
        "reconciliations": [_override_to_dict(o) for o in record.reconciliations],
    }


def _override_to_dict(o: Override) -> dict[str, Any]:
    return _clean({"criterion": o.criterion, "level": o.level.value, "reason": o.reason, "by": o.by,
                   "seq": o.seq, "minutes": o.minutes})


def _override_from_dict(o: Mapping[str, Any]) -> Override:
    return Override(criterion=str(o["criterion"]), level=parse_level(o["level"]), reason=str(o.get("reason", "")),
                    by=str(o.get("by", "")), seq=_opt_int(o.get("seq")), minutes=_opt_float(o.get("minutes")))


class InputFormatError(ValueError):
    """A dict that is not a scoring input of a version we read."""


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def input_from_dict(data: Mapping[str, Any]) -> ScoringInput:
    """Read back `input_to_dict`'s form; InputFormatError if it is not one."""
    if data.get("format") != FORMAT or data.get("version") not in READABLE_VERSIONS:
        raise InputFormatError(f"not a {FORMAT} record of version {' or '.join(map(str, READABLE_VERSIONS))}")
    try:
        return ScoringInput(
            decisions=tuple(
                DecisionRecord(
                    decision=str(d["decision"]),
                    opened_seq=_opt_int(d.get("opened_seq")),
                    opened_minutes=_opt_float(d.get("opened_minutes")),
                    opened_seconds=_opt_float(d.get("opened_seconds")),
                    deadline_minutes=_opt_float(d.get("deadline_minutes")),
                    choices=tuple(
                        Choice(option=str(c["option"]), seq=_opt_int(c.get("seq")),
                               minutes=_opt_float(c.get("minutes")), seconds=_opt_float(c.get("seconds")),
                               missed=bool(c.get("missed", False)), rationale=str(c.get("rationale", "")),
                               decided_by=str(c.get("decided_by", "")),
                               response_minutes=_opt_float(c.get("response_minutes")),
                               response_seconds=_opt_float(c.get("response_seconds")))
                        for c in d.get("choices", ())
                    ),
                    written=_written_from_dict(d.get("written")),
                )
                for d in data.get("decisions", ())
            ),
            history={
                str(indicator): tuple(Sample(float(s[0]), float(s[1]), _opt_int(s[2] if len(s) > 2 else None))
                                      for s in samples)
                for indicator, samples in dict(data.get("history", {})).items()
            },
            observations=tuple(
                Observation(text=str(o.get("text", "")), criteria=tuple(str(c) for c in o.get("criteria", ())),
                            level=parse_level(o["level"]) if o.get("level") else None,
                            author=str(o.get("author", "")), seq=_opt_int(o.get("seq")),
                            minutes=_opt_float(o.get("minutes")), inject=o.get("inject"),
                            decision=o.get("decision"), why=str(o.get("why", "")))
                for o in data.get("observations", ())
            ),
            overrides=tuple(_override_from_dict(o) for o in data.get("overrides", ())),
            evaluators=tuple((str(e["name"]), bool(e.get("lead", False))) for e in data.get("evaluators", ())),
            task_marks=tuple(
                TaskMark(criterion=str(m["criterion"]), task=int(m["task"]), status=m["status"],
                         by=str(m.get("by", "")), note=str(m.get("note", "")), evidence=str(m.get("evidence", "")),
                         seen_minutes=_opt_float(m.get("seen_minutes")), seq=_opt_int(m.get("seq")),
                         minutes=_opt_float(m.get("minutes")))
                for m in data.get("task_marks", ())
            ),
            reasoning=tuple(
                ReasoningRating(decision=str(r["decision"]), level=r["level"], by=str(r.get("by", "")),
                                note=str(r.get("note", "")), criteria=tuple(str(c) for c in r.get("criteria", ())),
                                seq=_opt_int(r.get("seq")), minutes=_opt_float(r.get("minutes")))
                for r in data.get("reasoning", ())
            ),
            reconciliations=tuple(_override_from_dict(o) for o in data.get("reconciliations", ())),
            injects=tuple(
                InjectRecord(inject=str(i["inject"]), seq=_opt_int(i.get("seq")),
                             minutes=_opt_float(i.get("minutes")), seconds=_opt_float(i.get("seconds")),
                             title=str(i.get("title", "")), skipped=bool(i.get("skipped", False)),
                             reason=str(i.get("reason", "")), by=str(i.get("by", "")),
                             adhoc=bool(i.get("adhoc", False)), sender=str(i.get("sender", "")),
                             channel=str(i.get("channel", "")), body=str(i.get("body", "")))
                for i in data.get("injects", ())
            ),
            start_minutes=float(data.get("start_minutes", 0.0)),
            end_minutes=_opt_float(data.get("end_minutes")),
            ended=bool(data.get("ended", False)),
            team=str(data.get("team", "")),
            participants=tuple(str(p) for p in data.get("participants", ())),
            facilitator=str(data.get("facilitator", "")),
            started=str(data.get("started", "")),
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise InputFormatError(f"damaged {FORMAT} record: {exc}") from exc
