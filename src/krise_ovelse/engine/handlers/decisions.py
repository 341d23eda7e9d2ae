"""The team decides: choose an open decision's option, or revise one already in force.

Each command has a check (refuses with `refuse`, changes nothing) and a run (emits events on
the `Run`); `COMMANDS` below registers the pairs (merged in `krise_ovelse.engine.handlers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from krise_ovelse.engine.commands import (
    Command,
    Decide,
    ReviseDecision,
)
from krise_ovelse.engine.events import (
    DecisionMade,
    DecisionRevised,
)
from krise_ovelse.engine.handlers.common import (
    Check,
    Execute,
    decision_option,
)
from krise_ovelse.engine.refusal import refuse
from krise_ovelse.engine.scheduler import Run
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.engine.values import (
    DecisionStatus,
)

if TYPE_CHECKING:
    from krise_ovelse.engine.facade import Engine

def _check_decide(state: ExerciseState, cmd: Decide, engine: Engine) -> None:
    index = decision_option(state, cmd.decision_id, cmd.option_id)
    status = state.decisions[index].status
    if status is not DecisionStatus.OPEN:
        refuse("not_open", f"decision {cmd.decision_id} is {status.value}, not open")


def _run_decide(run: Run, cmd: Decide) -> None:
    index = run.plan.decision_index[cmd.decision_id]
    run.apply_option(index, cmd.option_id, DecisionMade, cmd.rationale, cmd.decided_by)
    run.settle()


def _check_revise(state: ExerciseState, cmd: ReviseDecision, engine: Engine) -> None:
    index = decision_option(state, cmd.decision_id, cmd.option_id)
    current = state.decisions[index]
    if current.status not in (DecisionStatus.DECIDED, DecisionStatus.MISSED):
        refuse("not_decided", f"decision {cmd.decision_id} is {current.status.value}; decide it before revising")
    if current.option_id == cmd.option_id:
        refuse("no_change", f"option {cmd.option_id} is already in force for decision {cmd.decision_id}")


def _run_revise(run: Run, cmd: ReviseDecision) -> None:
    index = run.plan.decision_index[cmd.decision_id]
    run.apply_option(index, cmd.option_id, DecisionRevised, cmd.rationale, cmd.decided_by)
    run.settle()


COMMANDS: dict[type[Command], tuple[Check, Execute]] = {
    Decide: (_check_decide, _run_decide),
    ReviseDecision: (_check_revise, _run_revise),
}
