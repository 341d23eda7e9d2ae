"""Commands: what the console, the headless runner or a test asks the engine to do.

A command is a request, not a fact: `Engine.handle` checks it against the current state and
either returns the events it caused or raises `CommandRefused` (with no event at all).
"""

from __future__ import annotations

import attrs

from krise_ovelse.engine.values import Mode, Participant, TaskStatus
from krise_ovelse.model.scenario import Channel, Level


@attrs.frozen
class Command:
    """Base of all commands."""


@attrs.frozen
class StartSession(Command):
    """The first command of a session: who plays, in which mode. The session starts paused."""

    team: str
    participants: tuple[Participant, ...] = ()
    facilitator: str = ""
    mode: Mode = Mode.PACED
    seed: int = 0
    #: Decide first, see the options after: the team writes its decisions (`WriteDecision`) and
    #: a facilitator or evaluator maps them (`MapDecision`); `Decide` is refused.
    decide_first: bool = False


@attrs.frozen
class Tick(Command):
    """Real-time mode: `real_seconds` of play passed; scenario time moves by
    real_seconds / 60 × compression × speed. Refused in paced mode or while paused."""

    real_seconds: float


@attrs.frozen
class Advance(Command):
    """Move the clock `minutes` of scenario time ahead, releasing what falls due on the way."""

    minutes: int


@attrs.frozen
class AdvanceToNext(Command):
    """Move the clock to the next point where something happens (an inject, a deadline, a
    follow-up, a condition becoming true, a phase start or end, the end) but not past `limit`."""

    limit: int | None = None


@attrs.frozen
class AdvanceToDecision(Command):
    """Move the clock on until a decision opens (stopping at its minute), the `limit`, or the end.

    The events are the same as from repeated `AdvanceToNext`; this saves a round trip per stop
    for a console's "play to the next decision" and for headless runs.
    """

    limit: int | None = None


@attrs.frozen
class Pause(Command):
    pass


@attrs.frozen
class Resume(Command):
    """Start (STARTEX) or continue the clock."""


@attrs.frozen
class SetSpeed(Command):
    """Real-time speed factor (0.5, 1, 2, 4 …), above 0 and at most 100."""

    speed: float


@attrs.frozen
class SetMode(Command):
    mode: Mode


@attrs.frozen
class JumpToPhase(Command):
    """Jump ahead to a later phase's start. Scheduled injects jumped over are skipped,
    deadlines jumped over are missed on arrival, no drift is applied across the jump."""

    phase_id: str


@attrs.frozen
class EndExercise(Command):
    """ENDEX."""

    note: str = ""


@attrs.frozen
class ReleaseInject(Command):
    """Release a pending inject now (manual ones, or any other early)."""

    inject_id: str
    by: str = ""


@attrs.frozen
class AcknowledgeInject(Command):
    inject_id: str
    by: str = ""


@attrs.frozen
class MarkInjectDone(Command):
    inject_id: str
    by: str = ""


@attrs.frozen
class PresentInject(Command):
    """Put a released inject on the team's screen (the projector), or clear it (None). Recorded
    as an event, so every window on the session shows the same, and the log says when."""

    inject_id: str | None
    by: str = ""


@attrs.frozen
class SkipInject(Command):
    """Skip a pending inject; a reason is required (it goes into the report)."""

    inject_id: str
    reason: str
    by: str = ""


@attrs.frozen
class AddAdhocInject(Command):
    """An inject written during play; released at once unless `release` is false."""

    title: str
    body: str = ""
    channel: Channel = Channel.EMAIL
    sender: str = ""
    to: tuple[str, ...] = ()
    by: str = ""
    release: bool = True


@attrs.frozen
class Decide(Command):
    decision_id: str
    option_id: str
    rationale: str = ""
    decided_by: str = ""


@attrs.frozen
class ReviseDecision(Command):
    """Change a decided or missed decision; the new option's effects apply on top."""

    decision_id: str
    option_id: str
    rationale: str = ""
    decided_by: str = ""


@attrs.frozen
class WriteDecision(Command):
    """Decide-first mode: the team's decision in its own words, with why and who decided,
    written while the decision is open and before any option is shown."""

    decision_id: str
    text: str
    rationale: str = ""
    decided_by: str = ""


@attrs.frozen
class MapDecision(Command):
    """Decide-first mode: a facilitator or evaluator (`by`) maps a written decision to the closest
    option (its effects apply now) or to `annet` (OTHER_OPTION) with their levels (P/S/M/U) for
    the criteria they rate, as (criterion id, level) pairs."""

    decision_id: str
    option_id: str
    by: str
    levels: tuple[tuple[str, Level], ...] = ()
    note: str = ""


@attrs.frozen
class AmendDecisionRecord(Command):
    """Correct who decided, or the rationale, of the choice in force (a typo, a wrong name);
    the option stays. Recorded as its own event: the original record stays in the log."""

    decision_id: str
    rationale: str
    decided_by: str
    by: str = ""


@attrs.frozen
class AddObservation(Command):
    """A note; with a `level` (P/S/M/U) and the criteria it names it is an evaluator's levelled
    observation, evidence at that level, and `why` says what it rests on."""

    text: str
    author: str = ""
    criteria: tuple[str, ...] = ()
    inject_id: str | None = None
    decision_id: str | None = None
    level: Level | None = None
    why: str = ""


@attrs.frozen
class RateCriterion(Command):
    criterion_id: str
    level: Level
    reason: str = ""
    by: str = ""


@attrs.frozen
class AddEvaluator(Command):
    """Name an evaluator of this session; `lead` for the lead evaluator who reconciles."""

    name: str
    lead: bool = False


@attrs.frozen
class MarkTask(Command):
    """An evaluator's checklist mark on critical task `task` (1-based) of a criterion, with the
    scenario minute it was seen (None: now), a note and what it rests on."""

    criterion_id: str
    task: int
    status: TaskStatus
    by: str
    note: str = ""
    evidence: str = ""
    observed_at: int | None = None


@attrs.frozen
class RateReasoning(Command):
    """An evaluator's rating of the team's reasoning at a decision (its rationale and who
    decided), as evidence for `criteria` (none: the criteria the decision's options name)."""

    decision_id: str
    level: Level
    by: str
    note: str = ""
    criteria: tuple[str, ...] = ()


@attrs.frozen
class ReconcileRating(Command):
    """The lead evaluator's reconciled rating of a criterion; a reason is required."""

    criterion_id: str
    level: Level
    reason: str
    by: str


@attrs.frozen
class NoteHotwash(Command):
    """A hotwash point: `entry_kind` is plus, delta or takeaway."""

    entry_kind: str
    text: str
    by: str = ""


@attrs.frozen
class GiveFeedback(Command):
    """One participant's anonymous questionnaire answers: (question id, answer) pairs."""

    answers: tuple[tuple[str, str], ...]


COMMAND_TYPES: tuple[type[Command], ...] = (
    StartSession, Tick, Advance, AdvanceToNext, AdvanceToDecision, Pause, Resume, SetSpeed, SetMode, JumpToPhase,
    EndExercise, ReleaseInject, AcknowledgeInject, MarkInjectDone, SkipInject, AddAdhocInject,
    Decide, ReviseDecision, AddObservation, RateCriterion, AddEvaluator, MarkTask, RateReasoning, ReconcileRating,
    NoteHotwash, GiveFeedback, AmendDecisionRecord, PresentInject, WriteDecision, MapDecision,
)
