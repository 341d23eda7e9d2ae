"""The evaluators: observations and ratings of criteria (also taken after ENDEX).

Each command has a check (refuses with `refuse`, changes nothing) and a run (emits events on
the `Run`); `COMMANDS` below registers the pairs (merged in `krise_ovelse.engine.handlers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from krise_ovelse.engine.commands import (
    AddEvaluator,
    AddObservation,
    Command,
    GiveFeedback,
    MarkTask,
    NoteHotwash,
    RateCriterion,
    RateReasoning,
    ReconcileRating,
)
from krise_ovelse.engine.events import (
    CriterionRated,
    EvaluatorAdded,
    FeedbackGiven,
    HotwashNoted,
    ObservationAdded,
    RatingReconciled,
    ReasoningRated,
    TaskMarked,
)
from krise_ovelse.engine.handlers.common import (
    Check,
    Execute,
    inject_index,
    require_criterion,
    require_text,
)
from krise_ovelse.engine.refusal import refuse
from krise_ovelse.engine.scheduler import Run
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.engine.values import TaskStatus
from krise_ovelse.model.scenario import EVIDENCE_LEVELS, Level

if TYPE_CHECKING:
    from krise_ovelse.engine.facade import Engine

#: Longest name of an evaluator: names are labels, not text.
NAME_LIMIT = 60


def _require_level(level: object, *, rated_only: bool = False) -> None:
    allowed = EVIDENCE_LEVELS if rated_only else tuple(Level)
    if not isinstance(level, Level) or level not in allowed:
        codes = "P, S, M, U" if rated_only else "P, S, M, U, N/O"
        refuse("bad_value", f"the level must be one of {codes}, not {level!r:.40}")


def _require_evaluator(state: ExerciseState, by: object) -> None:
    """Once evaluators are named, every judgement is by one of them; before that, any name."""
    if not isinstance(by, str):
        refuse("bad_value", f"the evaluator must be a name, not {by!r:.40}")
    if state.evaluators and state.evaluator(by) is None:
        names = ", ".join(name for name, _ in state.evaluators)
        refuse("unknown_evaluator", f"{by.strip()!r} is not an evaluator of this session (evaluators: {names})")


def _require_decision(state: ExerciseState, decision_id: object) -> None:
    if not isinstance(decision_id, str) or decision_id not in state.plan.decision_index:
        refuse("unknown_decision", f"there is no decision {decision_id!r:.40}")


def _check_note(state: ExerciseState, cmd: AddObservation, engine: Engine) -> None:
    require_text(cmd.text, "the observation")
    if cmd.inject_id is not None:
        inject_index(state, cmd.inject_id)
    if cmd.decision_id is not None:
        _require_decision(state, cmd.decision_id)
    for criterion_id in cmd.criteria:
        require_criterion(engine, criterion_id)
    if cmd.level is not None:
        _require_level(cmd.level)
        if not cmd.criteria:
            refuse("bad_value", "an observation with a level must name the criteria it rates")
        if not isinstance(cmd.why, str):
            refuse("bad_value", "why must be text")
        _require_evaluator(state, cmd.author)


def _run_note(run: Run, cmd: AddObservation) -> None:
    run.emit(ObservationAdded, observation_id=f"obs-{len(run.state.observations) + 1}", text=cmd.text,
             author=cmd.author, criteria=tuple(cmd.criteria), inject_id=cmd.inject_id, decision_id=cmd.decision_id,
             level=cmd.level, why=cmd.why if cmd.level is not None else "")


def _check_rate(state: ExerciseState, cmd: RateCriterion, engine: Engine) -> None:
    require_criterion(engine, cmd.criterion_id)
    _require_level(cmd.level)
    if state.evaluators and cmd.by.strip() and cmd.by.strip() not in ("facilitator", "evaluator"):
        _require_evaluator(state, cmd.by)


def _run_rate(run: Run, cmd: RateCriterion) -> None:
    run.emit(CriterionRated, criterion_id=cmd.criterion_id, level=cmd.level, reason=cmd.reason, by=cmd.by)


def _check_evaluator(state: ExerciseState, cmd: AddEvaluator, engine: Engine) -> None:
    require_text(cmd.name, "the evaluator's name")
    name = cmd.name.strip()
    if len(name) > NAME_LIMIT or any(not ch.isprintable() for ch in name):
        refuse("bad_value", f"an evaluator's name is one line of at most {NAME_LIMIT} printable characters")
    if not isinstance(cmd.lead, bool):
        refuse("bad_value", "lead must be true or false")
    folded = " ".join(name.split()).casefold()
    for existing, _lead in state.evaluators:
        if " ".join(existing.split()).casefold() == folded:
            refuse("evaluator_exists", f"{name!r} collides with the evaluator {existing!r}; give another name")
    lead = state.lead_evaluator
    if cmd.lead and lead is not None:
        refuse("lead_exists", f"{lead!r} is already the lead evaluator")


def _run_evaluator(run: Run, cmd: AddEvaluator) -> None:
    run.emit(EvaluatorAdded, name=cmd.name.strip(), lead=cmd.lead)


def _check_task(state: ExerciseState, cmd: MarkTask, engine: Engine) -> None:
    require_criterion(engine, cmd.criterion_id)
    if not isinstance(cmd.task, int) or isinstance(cmd.task, bool) or cmd.task < 1:
        refuse("unknown_task", f"a critical task is numbered from 1, not {cmd.task!r:.40}")
    count = engine.task_count(cmd.criterion_id)
    if count is not None and cmd.task > count:
        refuse("unknown_task", f"{cmd.criterion_id} has {count} critical task(s), not {cmd.task}"
               if count else f"{cmd.criterion_id} has no critical tasks")
    if not isinstance(cmd.status, TaskStatus):
        refuse("bad_value", "the mark must be observed, partly, not_observed or not_applicable, "
               f"not {cmd.status!r:.40}")
    require_text(cmd.by, "the evaluator")
    _require_evaluator(state, cmd.by)
    if cmd.observed_at is not None and (not isinstance(cmd.observed_at, int) or isinstance(cmd.observed_at, bool)
                                        or not 0 <= cmd.observed_at <= state.scenario.ends.minutes):
        refuse("bad_value", "the scenario time it was seen must lie within the scenario")


def _run_task(run: Run, cmd: MarkTask) -> None:
    at = cmd.observed_at if cmd.observed_at is not None else run.state.scenario_minutes
    run.emit(TaskMarked, criterion_id=cmd.criterion_id, task=cmd.task, status=cmd.status, by=cmd.by.strip(),
             note=cmd.note, evidence=cmd.evidence, observed_at=at)


def _check_reasoning(state: ExerciseState, cmd: RateReasoning, engine: Engine) -> None:
    _require_decision(state, cmd.decision_id)
    decision = state.decision(cmd.decision_id)
    if decision.option_id is None:
        refuse("not_decided", f"decision {cmd.decision_id} has not been decided: there is no reasoning to rate")
    _require_level(cmd.level, rated_only=True)
    require_text(cmd.by, "the evaluator")
    _require_evaluator(state, cmd.by)
    for criterion_id in cmd.criteria:
        require_criterion(engine, criterion_id)


def _run_reasoning(run: Run, cmd: RateReasoning) -> None:
    run.emit(ReasoningRated, decision_id=cmd.decision_id, level=cmd.level, by=cmd.by.strip(), note=cmd.note,
             criteria=tuple(cmd.criteria))


def _check_reconcile(state: ExerciseState, cmd: ReconcileRating, engine: Engine) -> None:
    require_criterion(engine, cmd.criterion_id)
    _require_level(cmd.level)
    require_text(cmd.reason, "the reason for the reconciled rating")
    require_text(cmd.by, "the lead evaluator")
    lead = state.lead_evaluator
    if lead is not None and cmd.by.strip() != lead:
        refuse("not_lead", f"only the lead evaluator ({lead}) reconciles ratings")
    _require_evaluator(state, cmd.by)


def _run_reconcile(run: Run, cmd: ReconcileRating) -> None:
    run.emit(RatingReconciled, criterion_id=cmd.criterion_id, level=cmd.level, reason=cmd.reason, by=cmd.by.strip())


#: The three kinds of hotwash point.
HOTWASH_KINDS = ("plus", "delta", "takeaway")
#: At most this many answers per questionnaire, each at most MAX_ANSWER characters.
MAX_ANSWERS = 50
MAX_ANSWER = 2000


def _check_hotwash(state: ExerciseState, cmd: NoteHotwash, engine: Engine) -> None:
    if cmd.entry_kind not in HOTWASH_KINDS:
        refuse("bad_value", f"a hotwash point is one of {', '.join(HOTWASH_KINDS)}, not {cmd.entry_kind!r:.30}")
    require_text(cmd.text, "the hotwash point")
    if len(cmd.text) > MAX_ANSWER:
        refuse("bad_value", f"a hotwash point is at most {MAX_ANSWER} characters")


def _run_hotwash(run: Run, cmd: NoteHotwash) -> None:
    run.emit(HotwashNoted, entry_kind=cmd.entry_kind, text=cmd.text, by=cmd.by)


def _check_feedback(state: ExerciseState, cmd: GiveFeedback, engine: Engine) -> None:
    answers = cmd.answers
    if not isinstance(answers, tuple | list) or not answers:
        refuse("bad_value", "the questionnaire has no answers")
    if len(answers) > MAX_ANSWERS:
        refuse("bad_value", f"at most {MAX_ANSWERS} answers")
    seen: set[str] = set()
    for pair in answers:
        if (not isinstance(pair, tuple | list) or len(pair) != 2
                or not all(isinstance(part, str) for part in pair)):
            refuse("bad_value", "each answer is a (question, answer) pair of texts")
        question, answer = pair
        if not question.strip() or question in seen:
            refuse("bad_value", f"question {question!r:.30} is empty or answered twice")
        if not answer.strip() or len(answer) > MAX_ANSWER:
            refuse("bad_value", f"the answer to {question!r:.30} is empty or longer than {MAX_ANSWER} characters")
        seen.add(question)


def _run_feedback(run: Run, cmd: GiveFeedback) -> None:
    run.emit(FeedbackGiven, answers=tuple(sorted((q, a) for q, a in cmd.answers)))


COMMANDS: dict[type[Command], tuple[Check, Execute]] = {
    AddObservation: (_check_note, _run_note),
    RateCriterion: (_check_rate, _run_rate),
    AddEvaluator: (_check_evaluator, _run_evaluator),
    MarkTask: (_check_task, _run_task),
    RateReasoning: (_check_reasoning, _run_reasoning),
    ReconcileRating: (_check_reconcile, _run_reconcile),
    NoteHotwash: (_check_hotwash, _run_hotwash),
    GiveFeedback: (_check_feedback, _run_feedback),
}
