"""Scoring: evidence, ratings per criterion, roll-ups, the index, strengths and areas for improvement.

Public API (see docs/scoring.md):

- `scoring_input_from_events(scenario, engine.events)` — the `ScoringInput` record of a session
  (events as engine objects or stored dicts); `scoring_input(scenario, engine_or_events)`
  accepts an Engine or its events; `score_events(scenario, events)` rates at once;
- `score(scenario, record) -> ScoringResult` — rate a run from a `ScoringInput` record;
- `result_to_dict` / `result_from_dict` — the stable JSON form;
- `format_ratings(result, lang)` — a terminal table;
- the criteria catalogue lives below scoring and authoring, in `krise_ovelse.catalogue`.

Pure Python: no Textual, no SQLite. The names below are imported from their modules on first use,
so importing one light module of the package does not import the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krise_ovelse.startup import lazy_attributes

if TYPE_CHECKING:
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

_MODULE_OF = {
    "Choice": "inputs",
    "DecisionRecord": "inputs",
    "Evidence": "evidence",
    "Finding": "ratings",
    "FindingKind": "ratings",
    "InjectRecord": "inputs",
    "Observation": "inputs",
    "Override": "inputs",
    "Rating": "ratings",
    "RollUp": "ratings",
    "Sample": "inputs",
    "ScoringInput": "inputs",
    "ScoringResult": "ratings",
    "Source": "evidence",
    "format_ratings": "text",
    "input_from_dict": "inputs",
    "input_to_dict": "inputs",
    "result_from_dict": "serialize",
    "result_to_dict": "serialize",
    "score": "ratings",
    "score_events": "adapter",
    "scoring_input": "adapter",
    "scoring_input_from_events": "adapter",
}

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
    "result_from_dict",
    "result_to_dict",
    "score",
    "score_events",
    "scoring_input",
    "scoring_input_from_events",
]


__getattr__ = lazy_attributes(__name__, _MODULE_OF)
