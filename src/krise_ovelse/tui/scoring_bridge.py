"""The engine state as scoring's `ScoringInput`.

Scoring reads a `ScoringInput`; `krise_ovelse.scoring.adapter.scoring_input` builds it from
the engine state when that module is present. Until then (and as a fallback) this builds the
same record from the state's public methods.
"""

from __future__ import annotations

import importlib
from typing import Any

from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.scoring.inputs import (
    Choice,
    DecisionRecord,
    InjectRecord,
    Observation,
    Override,
    Sample,
    ScoringInput,
)


def scoring_input(scenario: Scenario, state: ExerciseState) -> ScoringInput:
    try:
        adapter: Any = importlib.import_module("krise_ovelse.scoring.adapter")
    except ImportError:
        adapter = None
    if adapter is not None and hasattr(adapter, "scoring_input"):
        try:
            record: ScoringInput = adapter.scoring_input(scenario, state)
            return record
        except TypeError:
            pass
    return build_input(scenario, state)


def build_input(scenario: Scenario, state: ExerciseState) -> ScoringInput:
    history = state.history()
    decisions = []
    for ds in state.decisions:
        if ds.opened_at is None:
            continue
        choices = tuple(
            Choice(option=r.option_id, seq=r.seq, minutes=float(r.scenario_minutes), seconds=r.exercise_seconds,
                   missed=r.missed and r.revision == 0, rationale=r.rationale, decided_by=r.decided_by)
            for r in history if r.decision_id == ds.decision_id)
        decisions.append(DecisionRecord(
            decision=ds.decision_id, opened_minutes=float(ds.opened_at),
            opened_seconds=ds.opened_exercise_seconds,
            deadline_minutes=float(ds.deadline) if ds.deadline is not None else None, choices=choices))
    samples = {
        ind.id: tuple(Sample(float(m), float(v)) for m, v in state.indicator_history(ind.id))
        for ind in scenario.indicators
    }
    observations = tuple(
        Observation(text=o.text, criteria=o.criteria, author=o.author, seq=o.seq, minutes=float(o.scenario_minutes),
                    inject=o.inject_id, decision=o.decision_id)
        for o in state.observations)
    overrides = tuple(
        Override(criterion=r.criterion_id, level=r.level, reason=r.reason, by=r.by, seq=r.seq,
                 minutes=float(r.scenario_minutes))
        for r in state.ratings)
    injects = tuple(
        InjectRecord(inject=s.inject_id, minutes=float(s.released_at) if s.released_at is not None else None,
                     seconds=s.released_exercise_seconds)
        for s in state.released_injects())
    return ScoringInput(decisions=tuple(decisions), history=samples, observations=observations,
                        overrides=overrides, injects=injects, start_minutes=0.0,
                        end_minutes=float(state.scenario_minutes), ended=state.ended)
