"""Every command's check and run, grouped by concern, merged into one registry.

A new command: define it in `krise_ovelse.engine.commands` (and its events in `events.py` with
their `apply` handler), then write `_check_x(state, cmd, engine)` and `_run_x(run, cmd)` in the
module of its concern here (session, clock, injects, decisions, evaluation) and add the pair to
that module's `COMMANDS` table. `tests/engine` checks that every command type is registered once.
"""

from __future__ import annotations

from krise_ovelse.engine.commands import (
    AddEvaluator,
    AddObservation,
    AmendDecisionRecord,
    Command,
    GiveFeedback,
    MapDecision,
    MarkTask,
    NoteHotwash,
    RateCriterion,
    RateReasoning,
    ReconcileRating,
)
from krise_ovelse.engine.handlers import clock, decisions, evaluation, injects, session
from krise_ovelse.engine.handlers.common import Check, Execute, check_text_fields

#: Commands the engine still takes after ENDEX: the evaluation, the hotwash, the questionnaire,
#: corrections of decision records and the mapping of written decisions (decide-first) go on
#: after play has stopped.
AFTER_ENDEX: frozenset[type[Command]] = frozenset({
    AddObservation, RateCriterion, AddEvaluator, MarkTask, RateReasoning, ReconcileRating, NoteHotwash, GiveFeedback,
    AmendDecisionRecord, MapDecision})

#: Command type → (check, run), from each concern's table.
COMMANDS: dict[type[Command], tuple[Check, Execute]] = {
    **session.COMMANDS,
    **clock.COMMANDS,
    **injects.COMMANDS,
    **decisions.COMMANDS,
    **evaluation.COMMANDS,
}

__all__ = ["AFTER_ENDEX", "COMMANDS", "Check", "Execute", "check_text_fields"]
