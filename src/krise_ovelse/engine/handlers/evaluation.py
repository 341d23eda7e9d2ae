"""The evaluators: observations and ratings of criteria (also taken after ENDEX).

Each command has a check (refuses with `refuse`, changes nothing) and a run (emits events on
the `Run`); `COMMANDS` below registers the pairs (merged in `krise_ovelse.engine.handlers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from krise_ovelse.engine.commands import (
    AddObservation,
    Command,
    GiveFeedback,
    NoteHotwash,
    RateCriterion,
)
from krise_ovelse.engine.events import (
    CriterionRated,
    FeedbackGiven,
    HotwashNoted,
    ObservationAdded,
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
from krise_ovelse.model.scenario import Level

if TYPE_CHECKING:
    from krise_ovelse.engine.facade import Engine

def _check_note(state: ExerciseState, cmd: AddObservation, engine: Engine) -> None:
    require_text(cmd.text, "the observation")
    if cmd.inject_id is not None:
        inject_index(state, cmd.inject_id)
    if cmd.decision_id is not None and cmd.decision_id not in state.plan.decision_index:
        refuse("unknown_decision", f"there is no decision {cmd.decision_id!r}")
    for criterion_id in cmd.criteria:
        require_criterion(engine, criterion_id)


def _run_note(run: Run, cmd: AddObservation) -> None:
    run.emit(ObservationAdded, observation_id=f"obs-{len(run.state.observations) + 1}", text=cmd.text,
             author=cmd.author, criteria=tuple(cmd.criteria), inject_id=cmd.inject_id, decision_id=cmd.decision_id)


def _check_rate(state: ExerciseState, cmd: RateCriterion, engine: Engine) -> None:
    require_criterion(engine, cmd.criterion_id)
    if not isinstance(cmd.level, Level):
        refuse("bad_value", f"the level must be one of P, S, M, U, N/O, not {cmd.level!r}")


def _run_rate(run: Run, cmd: RateCriterion) -> None:
    run.emit(CriterionRated, criterion_id=cmd.criterion_id, level=cmd.level, reason=cmd.reason, by=cmd.by)


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
    NoteHotwash: (_check_hotwash, _run_hotwash),
    GiveFeedback: (_check_feedback, _run_feedback),
}
