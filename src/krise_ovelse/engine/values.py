"""Small value types shared by commands, events and the state (enums are `str` so JSON is plain)."""

from __future__ import annotations

from enum import Enum

import attrs


class Mode(str, Enum):
    """How scenario time moves: by `tick` (real time) or by the facilitator's commands (paced)."""

    REAL_TIME = "real_time"
    PACED = "paced"


class InjectStatus(str, Enum):
    """pending → released → acknowledged → done, or pending → skipped (with a reason)."""

    PENDING = "pending"
    RELEASED = "released"
    ACKNOWLEDGED = "acknowledged"
    DONE = "done"
    SKIPPED = "skipped"


#: Statuses of an inject the team has received.
RELEASED_STATUSES = frozenset({InjectStatus.RELEASED, InjectStatus.ACKNOWLEDGED, InjectStatus.DONE})


class ReleaseSource(str, Enum):
    """Why an inject was released: its time came, its condition held, a choice, or the facilitator."""

    SCHEDULE = "schedule"
    CONDITION = "condition"
    FOLLOW_UP = "follow_up"
    FACILITATOR = "facilitator"


class DecisionStatus(str, Enum):
    """closed (not yet opened) → open → decided, or → missed when the deadline passed.

    A missed decision that the team later revises becomes decided; `missed` stays true on it.
    In decide-first mode: open → written (the team's own words, awaiting mapping) → decided
    when a facilitator or evaluator maps it to an option or to `annet`.
    """

    CLOSED = "closed"
    OPEN = "open"
    DECIDED = "decided"
    MISSED = "missed"
    WRITTEN = "written"


#: What a written decision is mapped to when it matches none of the options ("other").
OTHER_OPTION = "annet"


class EndReason(str, Enum):
    FACILITATOR = "facilitator"  # ENDEX called by the facilitator
    SCENARIO_END = "scenario_end"  # the clock reached the scenario's `ends`


class JumpReason(str, Enum):
    PHASE_END = "phase_end"  # the phase had `ends`: time jumps to the next phase's start
    JUMP_TO_PHASE = "jump_to_phase"  # the facilitator jumped ahead


@attrs.frozen
class Participant:
    name: str
    role: str = ""


class TaskStatus(str, Enum):
    """An evaluator's mark on a critical task of a criterion (the evaluation guide's checklist)."""

    OBSERVED = "observed"
    PARTLY = "partly"
    NOT_OBSERVED = "not_observed"
    NOT_APPLICABLE = "not_applicable"
