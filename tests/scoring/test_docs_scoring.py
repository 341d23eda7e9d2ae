"""docs/scoring.md stays true: its worked example is played and every number it states checked."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.model.scenario import Level
from krise_ovelse.scoring import Override, ScoringInput, score
from krise_ovelse.scoring.adapter import scoring_input_from_events
from krise_ovelse.scoring.evidence import Source
from krise_ovelse.scoring.ratings import ScoringResult, Status
from krise_ovelse.scripted.headless import run_headless
from krise_ovelse.scripted.playthrough import load_playthrough_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"


@pytest.fixture(scope="module")
def example() -> tuple[ScoringInput, ScoringResult, object]:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    scenario_text = next(b for b in blocks if b.startswith("schema_version"))
    playthrough_text = next(b for b in blocks if b.startswith("scenario:") and "evaluator:" not in b)
    loaded = load_scenario_text(scenario_text, "scoring.md")
    assert loaded.scenario is not None and loaded.problems == (), loaded.problems
    scripted = load_playthrough_text(playthrough_text, loaded.scenario, "scoring.md")
    assert scripted.playthrough is not None, scripted.problems
    run = run_headless(loaded.scenario, scripted.playthrough)
    assert run.warnings == ()
    record = scoring_input_from_events(loaded.scenario, run.events)
    return record, score(loaded.scenario, record), loaded.scenario


def test_worked_example_ratings(example: tuple[ScoringInput, ScoringResult, object]) -> None:
    _, result, _ = example
    finals = {r.criterion: r.final for r in result.ratings}
    assert finals == {"KH-2": Level.P, "KH-3": Level.M, "KH-4": Level.U, "KH-5": Level.M}
    assert [e.level for e in result.rating("KH-4").counted] == [Level.U, Level.S]
    assert result.rating("KH-4").counted[1].value == pytest.approx(480000 / 8640, abs=1e-6)
    assert [e.level for e in result.rating("KH-5").counted] == [Level.M, Level.S, Level.M]
    assert result.rating("KH-5").counted[2].value == 75
    kh = next(t for t in result.themes if t.id == "KH")
    assert (kh.mean, kh.level) == (2.25, Level.M)
    lp1 = next(p for p in result.learning_points if p.id == "LP-1")
    assert (lp1.mean, lp1.level) == (2.0, Level.M)
    assert result.index == 41.7
    assert [f.criterion for f in result.strengths] == ["KH-2"]
    assert [f.criterion for f in result.improvements] == ["KH-4", "KH-3", "KH-5"]


def test_worked_example_override(example: tuple[ScoringInput, ScoringResult, object]) -> None:
    record, _, scenario = example
    evaluated = attrs.evolve(record, overrides=(Override("KH-4", "M", "Ringte de tillitsvalgte", "Eva"),))
    result = score(scenario, evaluated)  # type: ignore[arg-type]
    assert (result.rating("KH-4").suggested, result.rating("KH-4").final) == (Level.U, Level.M)
    kh = next(t for t in result.themes if t.id == "KH")
    assert (kh.mean, kh.level) == (2.5, Level.M)
    assert result.index == 50.0


def test_worked_example_evaluated() -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    loaded = load_scenario_text(next(b for b in blocks if b.startswith("schema_version")), "scoring.md")
    assert loaded.scenario is not None
    evaluated = next(b for b in blocks if b.startswith("scenario:") and "evaluator:" in b)
    scripted = load_playthrough_text(evaluated, loaded.scenario, "scoring.md")
    assert scripted.playthrough is not None, scripted.problems
    run = run_headless(loaded.scenario, scripted.playthrough)
    assert run.warnings == ()
    result = score(loaded.scenario, scoring_input_from_events(loaded.scenario, run.events))
    finals = {r.criterion: r.final for r in result.ratings}
    assert finals == {"KH-2": Level.P, "KH-3": Level.M, "KH-4": Level.M, "KH-5": Level.S}
    kh2, kh4, kh5 = (result.rating(c) for c in ("KH-2", "KH-4", "KH-5"))
    assert kh2.status is Status.SUGGESTION and kh2.one_click
    assert (kh4.indication, kh4.judgement, kh4.suggested) == (Level.U, Level.M, Level.M)
    assert [e.level for e in kh4.counted if e.source is Source.TASK] == [Level.S]
    assert kh4.status is Status.RECONCILED
    assert {v.name: v.level for v in kh4.evaluators} == {"Eva": Level.M, "Per": Level.S}
    assert (kh5.indication, kh5.judgement, kh5.suggested, kh5.status) == (Level.M, Level.S, Level.S,
                                                                          Status.SUGGESTION)
    kh = next(t for t in result.themes if t.id == "KH")
    assert (kh.mean, kh.level) == (2.75, Level.S)
    assert result.index == 58.3
    assert [f.criterion for f in result.strengths] == ["KH-2", "KH-5"]
    assert [f.criterion for f in result.improvements] == ["KH-3", "KH-4", "KH-5"]
