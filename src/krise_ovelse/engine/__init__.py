"""The exercise engine: an event-sourced clock, scheduler and state for one session.

Pure Python: no Textual, no SQLite, no wall-clock reads (a clock is passed in), no sleeping.
Names below are the public API that the console, store, scoring and reports build on; they
stay stable. See docs/engine.md for the concepts.

Running a session
    `Engine(scenario, clock=…, sink=…, events=(), criteria=None)` – `events` resumes a stored
    session (folded, sink not called). `Engine.start(scenario, team=…, clock=…, …)` creates a
    session and its `session_started` event. `engine.handle(command) -> tuple[Event, ...]`
    either returns the new events (after `sink(events)` succeeded) or raises `CommandRefused`
    (`.code`, `.reason`) and changes nothing. `engine.state`, `engine.events` (read-only
    view), `engine.tick(seconds)` (no-op unless running in real time), `engine.check(command)`
    (the refusal, or None), `engine.next_stop()`.

Commands (frozen attrs, `krise_ovelse.engine.commands`)
    StartSession, Tick, Advance, AdvanceToNext, AdvanceToDecision, Pause, Resume, SetSpeed,
    SetMode, JumpToPhase, EndExercise, ReleaseInject, AcknowledgeInject, MarkInjectDone,
    SkipInject, AddAdhocInject, Decide, ReviseDecision, AddObservation, RateCriterion,
    AddEvaluator, MarkTask, RateReasoning, ReconcileRating (the evaluators), NoteHotwash, GiveFeedback,
    AmendDecisionRecord, PresentInject, WriteDecision and MapDecision (decide-first mode).
    Refusal codes are listed on `CommandRefused`.

Events (frozen attrs, `krise_ovelse.engine.events`; `kind` in brackets)
    SessionStarted [session_started], ClockAdvanced [clock_advanced], ClockJumped
    [clock_jumped], PhaseChanged [phase_changed], Paused [paused], Resumed [resumed],
    SpeedChanged [speed_changed], ModeChanged [mode_changed], InjectReleased
    [inject_released], InjectAcknowledged [inject_acknowledged], InjectDone [inject_done],
    InjectSkipped [inject_skipped], AdhocInjectAdded [adhoc_inject_added], DecisionOpened
    [decision_opened], DecisionMade [decision_made], DecisionRevised [decision_revised],
    DecisionMissed [decision_missed], ObservationAdded [observation_added], EvaluatorAdded
    [evaluator_added], TaskMarked [task_marked], ReasoningRated [reasoning_rated], RatingReconciled
    [rating_reconciled], CriterionRated [criterion_rated], SessionEnded [session_ended], HotwashNoted
    [hotwash_noted], FeedbackGiven [feedback_given], DecisionRecordAmended
    [decision_record_amended], InjectPresented [inject_presented], DecisionWritten
    [decision_written], DecisionMapped [decision_mapped]. Every event: seq, kind,
    scenario_minutes, exercise_seconds, wall. `event_to_dict`/`event_from_dict` give the
    stable JSON form (`EventFormatError` for bad input).

State
    `ExerciseState` (frozen) with `InjectState`, `DecisionState`, `DecisionRecord`,
    `Observation`, `Rating`, `AdhocInject`, `SessionInfo`, `WrittenDecision`; `apply(scenario, state, event)`,
    `fold(scenario, events)`, `initial_state(scenario)`. The state answers the condition
    language (`ConditionContext`): `holds(inject.when, state)`. Values: `Mode`, `InjectStatus`,
    `ReleaseSource`, `DecisionStatus`, `EndReason`, `JumpReason`, `Participant`, `OTHER_OPTION`.

Queries
    `upcoming_injects(state, scenario, n)` (the facilitator's dreiebok).

Adding a command
    The command in `commands.py`, its events in `events.py` (+ their `apply` handler), then a
    check/run pair in the `engine.handlers` module of its concern, registered in that module's
    `COMMANDS` table. The facade (`engine.facade`) and the scheduler (`engine.scheduler`) need
    no change for most commands.

Headless play (a front end, not part of the engine)
    `krise_ovelse.scripted.playthrough` (`load_playthrough`, `Playthrough`) and
    `krise_ovelse.scripted.headless` (`run_headless`, `RunResult`, `format_timeline`); the
    CLI command `krise-ovelse run` lives in `krise_ovelse.cli.run_cmd`.
"""

from krise_ovelse.engine.apply import apply, fold, initial_state
from krise_ovelse.engine.commands import (
    COMMAND_TYPES,
    AcknowledgeInject,
    AddAdhocInject,
    AddEvaluator,
    AddObservation,
    Advance,
    AdvanceToDecision,
    AdvanceToNext,
    AmendDecisionRecord,
    Command,
    Decide,
    EndExercise,
    GiveFeedback,
    JumpToPhase,
    MapDecision,
    MarkInjectDone,
    MarkTask,
    NoteHotwash,
    Pause,
    PresentInject,
    RateCriterion,
    RateReasoning,
    ReconcileRating,
    ReleaseInject,
    Resume,
    ReviseDecision,
    SetMode,
    SetSpeed,
    SkipInject,
    StartSession,
    Tick,
    WriteDecision,
)
from krise_ovelse.engine.events import (
    EVENT_KINDS,
    EVENT_TYPES,
    AdhocInjectAdded,
    ClockAdvanced,
    ClockJumped,
    CriterionRated,
    DecisionMade,
    DecisionMapped,
    DecisionMissed,
    DecisionOpened,
    DecisionRecordAmended,
    DecisionRevised,
    DecisionWritten,
    EvaluatorAdded,
    Event,
    EventFormatError,
    FeedbackGiven,
    HotwashNoted,
    InjectAcknowledged,
    InjectDone,
    InjectPresented,
    InjectReleased,
    InjectSkipped,
    ModeChanged,
    ObservationAdded,
    OptionApplied,
    Paused,
    PhaseChanged,
    RatingReconciled,
    ReasoningRated,
    Resumed,
    SessionEnded,
    SessionStarted,
    SpeedChanged,
    TaskMarked,
    event_from_dict,
    event_to_dict,
)
from krise_ovelse.engine.facade import Clock, CommandRefused, Engine, EventLog, Sink
from krise_ovelse.engine.queries import Upcoming, upcoming_injects
from krise_ovelse.engine.state import (
    AdhocInject,
    ClockState,
    DecisionRecord,
    DecisionState,
    ExerciseState,
    InjectState,
    Observation,
    Rating,
    SessionInfo,
    WrittenDecision,
)
from krise_ovelse.engine.values import (
    OTHER_OPTION,
    DecisionStatus,
    EndReason,
    InjectStatus,
    JumpReason,
    Mode,
    Participant,
    ReleaseSource,
    TaskStatus,
)

__all__ = [
    "COMMAND_TYPES",
    "EVENT_KINDS",
    "EVENT_TYPES",
    "OTHER_OPTION",
    "AcknowledgeInject",
    "AddAdhocInject",
    "AddEvaluator",
    "AddObservation",
    "AdhocInject",
    "AdhocInjectAdded",
    "Advance",
    "AdvanceToDecision",
    "AdvanceToNext",
    "AmendDecisionRecord",
    "Clock",
    "ClockAdvanced",
    "ClockJumped",
    "ClockState",
    "Command",
    "CommandRefused",
    "CriterionRated",
    "Decide",
    "DecisionMade",
    "DecisionMapped",
    "DecisionMissed",
    "DecisionOpened",
    "DecisionRecord",
    "DecisionRecordAmended",
    "DecisionRevised",
    "DecisionState",
    "DecisionStatus",
    "DecisionWritten",
    "EndExercise",
    "EndReason",
    "Engine",
    "EvaluatorAdded",
    "Event",
    "EventFormatError",
    "EventLog",
    "ExerciseState",
    "FeedbackGiven",
    "GiveFeedback",
    "HotwashNoted",
    "InjectAcknowledged",
    "InjectDone",
    "InjectPresented",
    "InjectReleased",
    "InjectSkipped",
    "InjectState",
    "InjectStatus",
    "JumpReason",
    "JumpToPhase",
    "MapDecision",
    "MarkInjectDone",
    "MarkTask",
    "Mode",
    "ModeChanged",
    "NoteHotwash",
    "Observation",
    "ObservationAdded",
    "OptionApplied",
    "Participant",
    "Pause",
    "Paused",
    "PhaseChanged",
    "PresentInject",
    "RateCriterion",
    "RateReasoning",
    "Rating",
    "RatingReconciled",
    "ReasoningRated",
    "ReconcileRating",
    "ReleaseInject",
    "ReleaseSource",
    "Resume",
    "Resumed",
    "ReviseDecision",
    "SessionEnded",
    "SessionInfo",
    "SessionStarted",
    "SetMode",
    "SetSpeed",
    "Sink",
    "SkipInject",
    "SpeedChanged",
    "StartSession",
    "TaskMarked",
    "TaskStatus",
    "Tick",
    "Upcoming",
    "WriteDecision",
    "WrittenDecision",
    "apply",
    "event_from_dict",
    "event_to_dict",
    "fold",
    "initial_state",
    "upcoming_injects",
]
