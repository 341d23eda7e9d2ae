"""The team decides: choose an open decision's option, revise one already in force, or correct
who decided or why on the record in force.

Each command has a check (refuses with `refuse`, changes nothing) and a run (emits events on
the `Run`); `COMMANDS` below registers the pairs (merged in `krise_ovelse.engine.handlers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from krise_ovelse.engine.commands import (
    AmendDecisionRecord,
    Command,
    Decide,
    ReviseDecision,
)
from krise_ovelse.engine.events import (
    DecisionMade,
    DecisionRecordAmended,
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


def _amended_record(state: ExerciseState, decision_id: object) -> Any:
    """The record of the team's choice in force at `decision_id` (its latest made or revised)."""
    index = state.plan.decision_index.get(decision_id) if isinstance(decision_id, str) else None
    if index is None:
        refuse("unknown_decision", f"there is no decision {decision_id!r}")
    if state.decisions[index].status is DecisionStatus.DECIDED:
        history = state.decision_history
        for position in range(len(history) - 1, -1, -1):
            record = history[position]
            if record.decision_id == decision_id:
                return record
    refuse("not_decided", f"decision {decision_id} has no choice by the team to correct")


def _check_amend(state: ExerciseState, cmd: AmendDecisionRecord, engine: Engine) -> None:
    record = _amended_record(state, cmd.decision_id)
    if record.rationale == cmd.rationale and record.decided_by == cmd.decided_by:
        refuse("no_change", f"the record of decision {cmd.decision_id} already says this")


def _run_amend(run: Run, cmd: AmendDecisionRecord) -> None:
    record = _amended_record(run.state, cmd.decision_id)
    run.emit(DecisionRecordAmended, decision_id=cmd.decision_id, record_seq=record.seq, rationale=cmd.rationale,
             decided_by=cmd.decided_by, previous_rationale=record.rationale,
             previous_decided_by=record.decided_by, by=cmd.by)


COMMANDS: dict[type[Command], tuple[Check, Execute]] = {
    Decide: (_check_decide, _run_decide),
    ReviseDecision: (_check_revise, _run_revise),
    AmendDecisionRecord: (_check_amend, _run_amend),
}
