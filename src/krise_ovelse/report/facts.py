"""What the report needs from a session's events beyond the scoring record: wall-clock times
(so response times count the pauses, where the discussion happens), how and when play ended,
the hotwash and the participants' anonymous feedback.

`facts_from_events` reads events as engine objects or their dicts, in seq order. A report made
from a saved run result has no events: its facts are empty and the report says less.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

HOTWASH_KINDS = ("plus", "delta", "takeaway")


@attrs.frozen
class HotwashEntry:
    """One point from the hotwash: what went well (plus), what to change (delta), or what we
    take with us (takeaway)."""

    kind: str
    text: str
    by: str = ""
    seq: int | None = None


@attrs.frozen
class FeedbackResponse:
    """One participant's anonymous answers: question id → answer (a 1–5 score as text, or words)."""

    answers: tuple[tuple[str, str], ...]
    seq: int | None = None

    def get(self, question: str) -> str:
        return next((value for key, value in self.answers if key == question), "")


@attrs.frozen
class SessionFacts:
    started_wall: str = ""
    startex_wall: str = ""
    ended_wall: str = ""
    last_wall: str = ""
    end_reason: str = ""
    end_note: str = ""
    #: Wall seconds the clock stood paused between STARTEX and ENDEX.
    paused_seconds: float = 0.0
    pauses: int = 0
    #: Decision id → wall seconds from its opening to the team's first choice (pauses included).
    wall_response: Mapping[str, float] = attrs.field(factory=dict)
    #: Ids of the phases play was in at some point (empty without events).
    phases_played: tuple[str, ...] = ()
    hotwash: tuple[HotwashEntry, ...] = ()
    feedback: tuple[FeedbackResponse, ...] = ()
    has_events: bool = False

    @property
    def played_seconds_wall(self) -> float | None:
        """Wall seconds from STARTEX to ENDEX (or the last event), pauses included."""
        start = parse_wall(self.startex_wall or self.started_wall)
        end = parse_wall(self.ended_wall or self.last_wall)
        if start is None or end is None:
            return None
        return max(0.0, (end - start).total_seconds())


def parse_wall(text: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _get(event: Any, key: str) -> Any:
    if isinstance(event, Mapping):
        return event.get(key)
    return getattr(event, key, None)


def _value(value: Any) -> str:
    return str(getattr(value, "value", value) or "")


def facts_from_events(events: Iterable[Any]) -> SessionFacts:
    started = startex = ended = last = ""
    reason = note = ""
    paused_at: dt.datetime | None = None
    paused = 0.0
    pauses = 0
    opened: dict[str, dt.datetime] = {}
    response: dict[str, float] = {}
    hotwash: list[HotwashEntry] = []
    feedback: list[FeedbackResponse] = []
    phases: list[str] = []
    seen = False
    for event in events:
        seen = True
        kind = _get(event, "kind")
        wall = str(_get(event, "wall") or "")
        when = parse_wall(wall)
        if wall and not ended:
            last = wall
        if kind == "session_started":
            started = wall
        elif kind == "resumed":
            if not startex:
                startex = wall
            elif paused_at is not None and when is not None and not ended:
                paused += max(0.0, (when - paused_at).total_seconds())
            paused_at = None
        elif kind == "paused" and startex and not ended:
            paused_at = when
            pauses += 1
        elif kind == "phase_changed":
            for key in ("previous_phase_id", "phase_id"):
                phase = str(_get(event, key) or "")
                if phase and phase not in phases:
                    phases.append(phase)
        elif kind == "decision_opened" and when is not None:
            opened[str(_get(event, "decision_id"))] = when
        elif kind in ("decision_made", "decision_written"):  # written first (decide-first): made then
            decision = str(_get(event, "decision_id"))
            if decision in opened and decision not in response and when is not None:
                response[decision] = max(0.0, (when - opened[decision]).total_seconds())
        elif kind == "session_ended" and not ended:
            ended = wall
            reason = _value(_get(event, "reason"))
            note = str(_get(event, "note") or "")
            if paused_at is not None and when is not None:
                paused += max(0.0, (when - paused_at).total_seconds())
                paused_at = None
        elif kind == "hotwash_noted":
            hotwash.append(HotwashEntry(kind=_value(_get(event, "entry_kind")), text=str(_get(event, "text") or ""),
                                        by=str(_get(event, "by") or ""), seq=_get(event, "seq")))
        elif kind == "feedback_given":
            answers = _get(event, "answers") or ()
            feedback.append(FeedbackResponse(
                answers=tuple((str(k), str(v)) for k, v in (answers.items() if isinstance(answers, Mapping)
                                                              else answers)),
                seq=_get(event, "seq")))
    if started and started == last == (ended or last):
        # a headless run with a fixed clock: the wall times say nothing about the exercise
        startex, response, paused, pauses = "", {}, 0.0, 0
    return SessionFacts(started_wall=started, startex_wall=startex, ended_wall=ended, last_wall=last,
                        end_reason=reason, end_note=note, paused_seconds=paused, pauses=pauses,
                        wall_response=response, phases_played=tuple(phases), hotwash=tuple(hotwash),
                        feedback=tuple(feedback), has_events=seen)
