"""Play a team's choices headless and rate the run: the one step every strategy repeats.

Random teams are many, so they are played in worker processes (`play_random_teams`), each
worker holding the scenario once; team `n` always makes the same choices, whatever the number
of workers, so the analysis is deterministic.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor

import attrs

from krise_ovelse.balance.strategies import random_choices
from krise_ovelse.engine.commands import AddObservation, Command, MapDecision, RateCriterion
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.scoring.adapter import score_events
from krise_ovelse.scoring.ratings import ScoringResult
from krise_ovelse.scripted.headless import run_headless
from krise_ovelse.scripted.playthrough import Playthrough, ScriptedDecision
from krise_ovelse.startup import collection_paused


@attrs.frozen
class Played:
    """One team's run: the option it ended with at each decision, and the rating summary."""

    choices: Mapping[str, str]
    index: float | None
    levels: Mapping[str, str]  # criterion → final level code


def strategy_playthrough(scenario: Scenario, team: str, choices: Mapping[str, str], seed: int = 0) -> Playthrough:
    """A playthrough that takes `choices` the moment each decision opens (others: defaults at the deadline)."""
    decisions = tuple(ScriptedDecision(decision_id, option_id, "", "", None, 0, 0)
                      for decision_id, option_id in choices.items())
    return Playthrough(file=f"<{team}>", scenario_id=scenario.id, team=team, seed=seed, decisions=decisions)


def is_evaluator_input(command: Command) -> bool:
    """Whether a scripted action is an evaluator's judgement rather than play: a rating, an
    observation that carries a level (a note without a level is context and stays), or a
    decide-first mapping to `annet`, which is rated by the mapper's levels alone."""
    if isinstance(command, RateCriterion):
        return True
    if isinstance(command, MapDecision):
        return bool(command.levels)
    return isinstance(command, AddObservation) and getattr(command, "level", None) is not None


def without_evaluator_input(playthrough: Playthrough) -> Playthrough:
    """The same team's play with every evaluator judgement taken out: the balance analysis
    compares choices with choices, so the strong team may not win on the evaluator's notes."""
    actions = tuple(a for a in playthrough.actions if not is_evaluator_input(a.command))
    return attrs.evolve(playthrough, actions=actions)


def final_choices(result_events: Sequence[object]) -> dict[str, str]:
    """The option in force at each decision at the end of a run (from its events)."""
    found: dict[str, str] = {}
    for event in result_events:
        kind = getattr(event, "kind", None)
        if kind in ("decision_made", "decision_revised", "decision_missed"):
            found[str(getattr(event, "decision_id"))] = str(getattr(event, "option_id"))  # noqa: B009
    return found


def summarise(result: ScoringResult) -> tuple[float | None, dict[str, str]]:
    return result.index, {r.criterion: r.final.value for r in result.ratings}


def play(scenario: Scenario, playthrough: Playthrough, *, score: bool = True) -> Played:
    """Run `playthrough` and rate it (`score=False`: run only, for measuring the engine alone)."""
    run = run_headless(scenario, playthrough)
    choices = final_choices(run.events)
    if not score:
        return Played(choices, None, {})
    index, levels = summarise(score_events(scenario, run.events))
    return Played(choices, index, levels)


def play_choices(scenario: Scenario, team: str, choices: Mapping[str, str], seed: int = 0, *,
                 score: bool = True) -> Played:
    return play(scenario, strategy_playthrough(scenario, team, choices, seed), score=score)


# --- many random teams, on every core -----------------------------------------------------------

_WORKER: dict[str, object] = {}


def _init_worker(scenario: Scenario, seed: int, engine_seed: int, score: bool) -> None:
    _WORKER.update(scenario=scenario, seed=seed, engine_seed=engine_seed, score=score)


def _play_range(bounds: tuple[int, int]) -> list[Played]:
    scenario = _WORKER["scenario"]
    seed = _WORKER["seed"]
    engine_seed = _WORKER["engine_seed"]
    score = _WORKER["score"]
    assert isinstance(scenario, Scenario) and isinstance(seed, int) and isinstance(engine_seed, int)
    assert isinstance(score, bool)
    return _play_teams(scenario, range(*bounds), seed, engine_seed, score)


def _play_teams(scenario: Scenario, teams: range, seed: int, engine_seed: int, score: bool) -> list[Played]:
    # short-lived acyclic objects by the thousand: the cyclic collector would only cost time
    with collection_paused():
        return [play_choices(scenario, f"random-{n}", random_choices(scenario, n, seed), engine_seed, score=score)
                for n in teams]


def _chunks(count: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, count, size):
        yield start, min(count, start + size)


def default_jobs() -> int:
    """Worker processes: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def play_random_teams(scenario: Scenario, count: int, seed: int = 0, *, engine_seed: int = 0,
                      jobs: int | None = None, score: bool = True) -> list[Played]:
    """Teams 0 … count-1, each choosing at random (`random_choices` with `seed`), in order of
    team number, on `jobs` processes (default: every core); `engine_seed` is the sessions' seed."""
    if count <= 0:
        return []
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or count < 20:
        return _play_teams(scenario, range(count), seed, engine_seed, score)
    size = max(10, min(250, count // (jobs * 8) or 1))
    results: list[Played] = []
    arguments = (scenario, seed, engine_seed, score)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=arguments) as pool:
        for chunk in pool.map(_play_range, _chunks(count, size)):
            results.extend(chunk)
    return results
