"""The team decides: choose an open decision's option, revise one already in force, or correct
who decided or why on the record in force. In decide-first mode the team writes its decision in
its own words instead, and a facilitator or evaluator maps it to an option or to `annet`.

Each command has a check (refuses with `refuse`, changes nothing) and a run (emits events on
the `Run`); `COMMANDS` below registers the pairs (merged in `krise_ovelse.engine.handlers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from krise_ovelse.engine.commands import (
    AmendDecisionRecord,
    Command,
    Decide,
    MapDecision,
    ReviseDecision,
    WriteDecision,
)
from krise_ovelse.engine.events import (
    DecisionMade,
    DecisionMapped,
    DecisionRecordAmended,
    DecisionRevised,
    DecisionWritten,
)
from krise_ovelse.engine.handlers.common import (
    Check,
    Execute,
    decision_option,
    require_criterion,
    require_text,
)
from krise_ovelse.engine.refusal import refuse
from krise_ovelse.engine.scheduler import Run
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.engine.values import (
    OTHER_OPTION,
    DecisionStatus,
)
from krise_ovelse.model.scenario import EVIDENCE_LEVELS, Level

#: Longest decision a team writes in its own words (characters): a decision, not a report.
TEXT_LIMIT = 2000
#: Who may rate an `annet` mapping once evaluators are named, besides them: the role words.
ROLE_WORDS = ("facilitator", "øvingsleder", "evaluator")

if TYPE_CHECKING:
    from krise_ovelse.engine.facade import Engine

def _check_decide(state: ExerciseState, cmd: Decide, engine: Engine) -> None:
    if state.decide_first:
        refuse("decide_first", "this exercise is played decide-first: the team writes its decision in its own "
                               "words (WriteDecision) and a facilitator or evaluator maps it (MapDecision)")
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


def _decision_index(state: ExerciseState, decision_id: object) -> int:
    index = state.plan.decision_index.get(decision_id) if isinstance(decision_id, str) else None
    if index is None:
        refuse("unknown_decision", f"there is no decision {decision_id!r:.40}")
    return index


def _require_decide_first(state: ExerciseState, doing: str) -> None:
    if not state.decide_first:
        refuse("not_decide_first", f"{doing} is for exercises played decide-first; this one shows the options "
                                   "and the team chooses one (Decide)")


def _check_write(state: ExerciseState, cmd: WriteDecision, engine: Engine) -> None:
    _require_decide_first(state, "writing a decision in the team's own words")
    index = _decision_index(state, cmd.decision_id)
    require_text(cmd.text, "the team's decision")
    if len(cmd.text) > TEXT_LIMIT:
        refuse("bad_value", f"the team's decision is at most {TEXT_LIMIT} characters, not {len(cmd.text)}")
    status = state.decisions[index].status
    if status is DecisionStatus.WRITTEN:
        refuse("not_open", f"decision {cmd.decision_id} is already written and awaits mapping")
    if status is not DecisionStatus.OPEN:
        refuse("not_open", f"decision {cmd.decision_id} is {status.value}, not open")


def _run_write(run: Run, cmd: WriteDecision) -> None:
    current = run.state.decision(cmd.decision_id)
    opened_at = current.opened_at if current.opened_at is not None else run.minute
    run.emit(DecisionWritten, decision_id=cmd.decision_id, text=cmd.text, rationale=cmd.rationale,
             decided_by=cmd.decided_by, response_minutes=run.minute - opened_at,
             response_seconds=run.seconds - (current.opened_exercise_seconds or 0.0))


def _check_map(state: ExerciseState, cmd: MapDecision, engine: Engine) -> None:
    _require_decide_first(state, "mapping a written decision")
    index = _decision_index(state, cmd.decision_id)
    decision = state.plan.decisions[index]
    other = cmd.option_id == OTHER_OPTION and decision.option(OTHER_OPTION) is None
    if not other and (not isinstance(cmd.option_id, str) or decision.option(cmd.option_id) is None):
        known = ", ".join(o.id for o in decision.options)
        refuse("unknown_option", f"decision {cmd.decision_id} has no option {cmd.option_id!r:.40} "
                                 f"(options: {known}, or {OTHER_OPTION})")
    require_text(cmd.by, "the name of who maps the decision")
    written = state.written_decision(cmd.decision_id)
    if written is None:
        status = state.decisions[index].status.value
        refuse("not_written", f"decision {cmd.decision_id} is {status}; the team has not written a decision to map")
    if written.mapped:
        refuse("already_mapped", f"decision {cmd.decision_id} is already mapped to {written.mapped_option} by "
                                 f"{written.mapped_by}; a mapping is final (the team can revise the decision)")
    levels = cmd.levels
    if not isinstance(levels, tuple | list) or not all(isinstance(p, tuple | list) and len(p) == 2 for p in levels):
        refuse("bad_value", "levels must be (criterion id, level) pairs")
    if not other and levels:
        refuse("bad_value", "levels go with a mapping to annet; an option's own tags rate a mapped option")
    if other and not levels:
        refuse("bad_value", "a mapping to annet must rate at least one criterion (P, S, M or U)")
    seen: set[str] = set()
    for criterion_id, level in levels:
        require_criterion(engine, criterion_id)
        if not isinstance(level, Level) or level not in EVIDENCE_LEVELS:
            refuse("bad_value", f"the level must be one of P, S, M, U, not {level!r:.40}")
        if criterion_id in seen:
            refuse("bad_value", f"criterion {criterion_id} is rated twice")
        seen.add(criterion_id)
    if other and state.evaluators and cmd.by.strip() not in ROLE_WORDS and state.evaluator(cmd.by) is None:
        names = ", ".join(name for name, _ in state.evaluators)
        refuse("unknown_evaluator", f"{cmd.by.strip()!r} is not an evaluator of this session (evaluators: {names})")


def _run_map(run: Run, cmd: MapDecision) -> None:
    index = run.plan.decision_index[cmd.decision_id]
    option = run.plan.decisions[index].option(cmd.option_id)
    applied = option is not None and not run.state.ended
    written = run.state.written_decision(cmd.decision_id)
    assert written is not None  # the check made sure
    run.emit(DecisionMapped, decision_id=cmd.decision_id, option_id=cmd.option_id, by=cmd.by.strip(),
             levels=tuple(sorted((str(c), Level(v)) for c, v in cmd.levels)), note=cmd.note, applied=applied)
    if applied:
        run.apply_option(index, cmd.option_id, DecisionMade, written.rationale, written.decided_by,
                         response=(written.response_minutes, written.response_seconds))
    if not run.state.ended:
        run.settle()


COMMANDS: dict[type[Command], tuple[Check, Execute]] = {
    Decide: (_check_decide, _run_decide),
    ReviseDecision: (_check_revise, _run_revise),
    AmendDecisionRecord: (_check_amend, _run_amend),
    WriteDecision: (_check_write, _run_write),
    MapDecision: (_check_map, _run_map),
}
