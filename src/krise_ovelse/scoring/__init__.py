"""Scoring: evidence, ratings per criterion, roll-ups, the index, strengths and areas for improvement.

Public API (see docs/scoring.md):

- `scoring_input_from_events(scenario, engine.events)` — the `ScoringInput` record of a session
  (events as engine objects or stored dicts); `scoring_input(scenario, engine_or_events_or_state)`
  accepts an Engine, events or an ExerciseState; `score_events(scenario, events)` rates at once;
- `score(scenario, record) -> ScoringResult` — rate a run from a `ScoringInput` record;
- `result_to_dict` / `result_from_dict` — the stable JSON form;
- `format_ratings(result, lang)` — a terminal table;
- the catalogue (`krise_ovelse.scoring.catalogue`).

Pure Python: no Textual, no SQLite.
"""

from krise_ovelse.scoring.adapter import score_events, scoring_input, scoring_input_from_events
from krise_ovelse.scoring.evidence import Evidence, Source
from krise_ovelse.scoring.inputs import (
    Choice,
    DecisionRecord,
    InjectRecord,
    Observation,
    Override,
    Sample,
    ScoringInput,
    input_from_dict,
    input_to_dict,
)
from krise_ovelse.scoring.ratings import Finding, FindingKind, Rating, RollUp, ScoringResult, score
from krise_ovelse.scoring.serialize import result_from_dict, result_to_dict
from krise_ovelse.scoring.text import format_ratings


def ratings_to_dict(result: ScoringResult) -> dict[str, object]:
    """Alias of `result_to_dict` (the name the CLI brief uses)."""
    return result_to_dict(result)


__all__ = [
    "Choice",
    "DecisionRecord",
    "Evidence",
    "Finding",
    "FindingKind",
    "InjectRecord",
    "Observation",
    "Override",
    "Rating",
    "RollUp",
    "Sample",
    "ScoringInput",
    "ScoringResult",
    "Source",
    "format_ratings",
    "input_from_dict",
    "input_to_dict",
    "ratings_to_dict",
    "result_from_dict",
    "result_to_dict",
    "score",
    "score_events",
    "scoring_input",
    "scoring_input_from_events",
]
