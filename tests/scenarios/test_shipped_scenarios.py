"""The shipped scenarios: what the product promises facilitators, kept from regressing.

Each long scenario must be a credible, long crisis (span, phases, jumps, play time, injects,
channels, triggers, decisions, categories, criteria) and its playthroughs must prove the scoring:
the strong team beats the mixed team, which beats the weak team.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from krise_ovelse.authoring import load_scenario
from krise_ovelse.authoring.inspect import inspect_scenario
from krise_ovelse.authoring.lint import lint_scenario
from krise_ovelse.catalogue import load_catalogue
from krise_ovelse.model.scenario import Category, Level, Scenario
from krise_ovelse.paths import shipped_scenarios_dir
from krise_ovelse.scoring import ScoringResult
from krise_ovelse.scoring.adapter import score_events
from krise_ovelse.scripted.headless import run_headless
from krise_ovelse.scripted.playthrough import load_playthrough

ROOT = shipped_scenarios_dir()
LONG = ["maratonet", "svart-skjerm", "den-lange-vinteren", "den-nye-normalen"]
EXAMPLE = "kort-eksempel"
ALL = [*LONG, EXAMPLE]
TEAMS = ("sterkt", "blandet", "svakt")
GOOD = (Level.P, Level.S)


def scenario_path(scenario_id: str) -> Path:
    return ROOT / "examples" / f"{scenario_id}.yaml" if scenario_id == EXAMPLE else ROOT / f"{scenario_id}.yaml"


@cache
def scenario(scenario_id: str) -> Scenario:
    result = load_scenario(scenario_path(scenario_id))
    assert result.scenario is not None, [p.render() for p in result.problems]
    return result.scenario


@cache
def played(scenario_id: str, team: str) -> ScoringResult:
    s = scenario(scenario_id)
    loaded = load_playthrough(ROOT / "playthroughs" / scenario_id / f"{team}.yaml", s)
    assert loaded.playthrough is not None, [p.render() for p in loaded.problems]
    run = run_headless(s, loaded.playthrough)
    assert not run.warnings, [w.render() for w in run.warnings]
    return score_events(s, run.events)


@pytest.mark.parametrize("scenario_id", ALL)
def test_validates_and_is_lint_clean(scenario_id: str) -> None:
    result = load_scenario(scenario_path(scenario_id))
    assert result.scenario is not None and result.document is not None
    problems = list(result.problems) + lint_scenario(result.scenario, result.document)
    assert problems == [], [p.render() for p in problems]


@pytest.mark.parametrize("scenario_id", LONG)
def test_long_scenario_counts(scenario_id: str) -> None:
    info: dict[str, Any] = inspect_scenario(scenario(scenario_id))
    assert info["span"]["days"] >= 90
    assert len(info["phases"]) >= 4
    assert info["span"]["jumps"] >= 1
    assert 120 <= info["span"]["play_minutes"] <= 240
    injects = info["injects"]
    assert injects["total"] >= 25
    assert len(injects["by_channel"]) >= 5
    assert injects["by_trigger"]["conditional"] >= 3
    assert injects["by_trigger"]["manual"] >= 2
    assert injects["with_facilitator_notes"] >= 5 and injects["with_expected_actions"] >= 5
    decisions = info["decisions"]
    assert decisions["total"] >= 7
    assert set(decisions["by_category"]) == {c.value for c in Category}
    assert all(3 <= len(d.options) <= 4 for d in scenario(scenario_id).decisions)
    assert len(info["criteria"]["with_evidence"]) >= 12
    assert info["criteria"]["rules"] >= 1
    assert all(i.sender for i in scenario(scenario_id).injects)


def test_example_is_short() -> None:
    info = inspect_scenario(scenario(EXAMPLE))
    assert 15 <= info["span"]["play_minutes"] <= 20


def test_the_four_together_cover_every_criterion() -> None:
    covered: set[str] = set()
    for scenario_id in LONG:
        covered |= set(inspect_scenario(scenario(scenario_id))["criteria"]["with_evidence"])
    assert set(load_catalogue().ids()) <= covered  # a scenario may add its own criteria too


@pytest.mark.parametrize("scenario_id", ALL)
def test_strong_beats_mixed_beats_weak(scenario_id: str) -> None:
    strong, mixed, weak = (played(scenario_id, team) for team in TEAMS)
    assert strong.index is not None and mixed.index is not None and weak.index is not None
    assert strong.index > mixed.index > weak.index


@pytest.mark.parametrize("scenario_id", ALL)
def test_strong_team_rates_at_least_s_everywhere_it_is_tested(scenario_id: str) -> None:
    strong = played(scenario_id, "sterkt")
    tested = scenario(scenario_id).scoring.criteria
    below = {c: strong.rating(c).final.value for c in tested if strong.rating(c).final not in GOOD}
    assert not below


@pytest.mark.parametrize("scenario_id", ALL)
def test_weak_team_rates_at_most_m_on_most(scenario_id: str) -> None:
    weak = played(scenario_id, "svakt")
    tested = scenario(scenario_id).scoring.criteria
    poor = [c for c in tested if weak.has_rating(c) and weak.rating(c).final in (Level.M, Level.U)]
    assert len(poor) > len(tested) * 2 / 3
