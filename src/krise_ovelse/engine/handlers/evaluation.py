"""The evaluators: observations and ratings of criteria (also taken after ENDEX).

Each command has a check (refuses with `refuse`, changes nothing) and a run (emits events on
the `Run`); `COMMANDS` below registers the pairs (merged in `krise_ovelse.engine.handlers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from krise_ovelse.engine.commands import (
    AddObservation,
    Command,
    RateCriterion,
)
from krise_ovelse.engine.events import (
    CriterionRated,
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


COMMANDS: dict[type[Command], tuple[Check, Execute]] = {
    AddObservation: (_check_note, _run_note),
    RateCriterion: (_check_rate, _run_rate),
}
