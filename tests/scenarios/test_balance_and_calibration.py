"""The long scenarios are balanced and calibrated (issue #11).

Balanced: no shallow strategy (longest text, shortest, first, last, most «good» words, all
defaults, nothing decided) comes within 15 index points of the strong playthrough played
without evaluator input; the strong team's choices sit at varying positions; every scenario has
a decision where two options are defensible and the evaluator's judgement decides.

Calibrated: the strong, mixed and weak playthroughs end in distinguishable index ranges, and no
indicator of theirs is driven into its bounds (a saturated indicator says nothing more).
"""

from __future__ import annotations

from functools import cache

import pytest

from krise_ovelse.balance import DEFAULT_MARGIN, shallow_gaps
from krise_ovelse.model.scenario import Level, Scenario
from krise_ovelse.scoring.adapter import score_events, scoring_input_from_events
from krise_ovelse.scripted.headless import run_headless
from krise_ovelse.scripted.playthrough import Playthrough, load_playthrough

from .test_shipped_scenarios import LONG, ROOT, TEAMS, scenario

#: How far from its bounds an indicator must stay in every playthrough.
MARGIN_FROM_BOUNDS = 3.0
#: How far apart the strong, mixed and weak indexes must be.
DISTINGUISHABLE = 10.0
GOOD = frozenset({Level.P, Level.S})


@cache
def playthrough(scenario_id: str, team: str) -> Playthrough:
    loaded = load_playthrough(ROOT / "playthroughs" / scenario_id / f"{team}.yaml", scenario(scenario_id))
    assert loaded.playthrough is not None, [p.render() for p in loaded.problems]
    return loaded.playthrough


@cache
def run(scenario_id: str, team: str) -> tuple[Scenario, tuple[object, ...]]:
    s = scenario(scenario_id)
    return s, tuple(run_headless(s, playthrough(scenario_id, team)).events)


def test_the_margin_is_the_issues() -> None:
    assert DEFAULT_MARGIN == 15


@pytest.mark.parametrize("scenario_id", LONG)
def test_every_shallow_strategy_stays_15_points_below_the_strong_team(scenario_id: str) -> None:
    gaps = shallow_gaps(scenario(scenario_id), playthrough(scenario_id, "sterkt"))
    assert {"longest", "first", "last", "good-words", "defaults"} <= set(gaps)
    close = {name: gap for name, gap in gaps.items() if gap is None or gap < DEFAULT_MARGIN}
    assert not close, f"{scenario_id}: strategies within {DEFAULT_MARGIN} points of the strong team: {close}"


@pytest.mark.parametrize("scenario_id", LONG)
def test_strong_mixed_and_weak_end_in_distinguishable_ranges(scenario_id: str) -> None:
    indexes = []
    for team in TEAMS:
        s, events = run(scenario_id, team)
        index = score_events(s, list(events)).index
        assert index is not None
        indexes.append(index)
    strong, mixed, weak = indexes
    assert strong - mixed >= DISTINGUISHABLE and mixed - weak >= DISTINGUISHABLE, indexes


@pytest.mark.parametrize("team", TEAMS)
@pytest.mark.parametrize("scenario_id", LONG)
def test_no_indicator_saturates(scenario_id: str, team: str) -> None:
    s, events = run(scenario_id, team)
    history = scoring_input_from_events(s, list(events)).history
    for indicator in s.indicators:
        values = [sample.value for sample in history.get(indicator.id, ())] or [indicator.initial]
        low, high = indicator.min + MARGIN_FROM_BOUNDS, indicator.max - MARGIN_FROM_BOUNDS
        assert low <= min(values) and max(values) <= high, (
            f"{scenario_id}/{team}: {indicator.id} reaches {min(values):.1f}–{max(values):.1f}, "
            f"bounds {indicator.min}–{indicator.max}")


@pytest.mark.parametrize("scenario_id", LONG)
def test_the_strong_choices_sit_at_varying_positions(scenario_id: str) -> None:
    s = scenario(scenario_id)
    chosen = {d.decision_id: d.option_id for d in playthrough(scenario_id, "sterkt").decisions}
    positions = [[o.id for o in d.options].index(chosen[d.id]) for d in s.decisions if d.id in chosen]
    assert len(set(positions)) >= 3, positions
    assert max(positions.count(p) for p in set(positions)) <= len(positions) / 2, positions


@pytest.mark.parametrize("scenario_id", LONG)
def test_a_decision_with_two_defensible_options(scenario_id: str) -> None:
    """Two options that both rest on P/S evidence only, each with a P: the suggestion cannot
    separate them, so the evaluator's judgement of the team's reasoning decides."""
    def defensible(levels: list[Level]) -> bool:
        return bool(levels) and set(levels) <= GOOD and Level.P in levels

    pairs = [d.id for d in scenario(scenario_id).decisions
             if sum(defensible(list(o.evidence.values())) for o in d.options) >= 2]
    assert pairs, f"{scenario_id} has no decision with two defensible options"
