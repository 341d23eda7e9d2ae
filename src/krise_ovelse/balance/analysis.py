"""The balance analysis: do ratings reward judgement, or can a shallow strategy match them?

`analyse(scenario, strong)` plays every shallow strategy (`strategies.STRATEGIES`), the strong
playthrough without its evaluator input, and optionally many random teams, and reports:

- each strategy's index and its gap to the strong playthrough (a gap under `margin`, 15 index
  points by default, is a warning: the scenario lets a team win by form);
- per decision and option, the mean index of the random teams that ended with that option
  (an option far above the others at its decision dominates it);
- whether an option's position or the length of its text predicts the rating: the correlation
  over the random teams, and where the best option of each decision sits.

`shallow_gaps(scenario, strong)` is the short form the scenario tests use.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

import attrs

from krise_ovelse.balance.play import Played, play, play_choices, play_random_teams, without_evaluator_input
from krise_ovelse.balance.strategies import STRATEGIES, choices_for, good_practice_words
from krise_ovelse.model.scenario import Decision, Scenario
from krise_ovelse.scripted.playthrough import Playthrough

#: A shallow strategy must stay at least this many index points below the strong playthrough.
DEFAULT_MARGIN = 15.0
#: An option whose random teams average this many points above every other option's dominates.
DOMINANCE = 5.0
#: A correlation at least this strong (either sign) is reported as predicting the rating.
PREDICTS = 0.3


@attrs.frozen
class Outcome:
    """How one team was rated: its index, the level of each criterion, its gap to the strong team."""

    name: str
    index: float | None
    levels: Mapping[str, str]
    choices: Mapping[str, str]
    gap: float | None = None  # strong index − this index; None without a strong playthrough


@attrs.frozen
class OptionStat:
    option: str
    position: int  # 1 = first
    length_rank: int  # 1 = longest text
    good_words: int
    teams: int  # random teams that ended with this option
    mean_index: float | None


@attrs.frozen
class DecisionStat:
    decision: str
    options: tuple[OptionStat, ...]
    strong: str | None  # the strong playthrough's option

    @property
    def ranked(self) -> list[OptionStat]:
        return sorted((o for o in self.options if o.mean_index is not None), key=lambda o: -(o.mean_index or 0.0))

    @property
    def best(self) -> OptionStat | None:
        ranked = self.ranked
        return ranked[0] if ranked else None

    @property
    def margin(self) -> float | None:
        """How far the best option's teams average above the next option's."""
        ranked = self.ranked
        if len(ranked) < 2:
            return None
        return round((ranked[0].mean_index or 0.0) - (ranked[1].mean_index or 0.0), 1)

    @property
    def dominant(self) -> bool:
        margin = self.margin
        return margin is not None and margin >= DOMINANCE


@attrs.frozen
class Predictor:
    """A feature of the chosen options and its correlation with the index over the random teams."""

    name: str  # position | length | good-words
    correlation: float | None
    best_is_extreme: int  # decisions whose best option is first (position) / longest / wordiest
    decisions: int

    @property
    def predicts(self) -> bool:
        return self.correlation is not None and abs(self.correlation) >= PREDICTS


@attrs.frozen
class RandomSummary:
    teams: int
    seed: int
    minimum: float | None
    p10: float | None
    median: float | None
    p90: float | None
    maximum: float | None
    within_margin: int  # teams rated less than `margin` below the strong playthrough


@attrs.frozen
class BalanceReport:
    scenario_id: str
    scenario_title: str
    margin: float
    strong: Outcome | None
    strong_file: str
    strategies: tuple[Outcome, ...]
    random: RandomSummary | None
    decisions: tuple[DecisionStat, ...]
    predictors: tuple[Predictor, ...]

    @property
    def too_close(self) -> tuple[Outcome, ...]:
        """The shallow strategies rated less than `margin` below the strong playthrough."""
        return tuple(o for o in self.strategies if o.gap is not None and o.gap < self.margin)

    @property
    def dominated(self) -> tuple[DecisionStat, ...]:
        return tuple(d for d in self.decisions if d.dominant)


def _gap(strong: Outcome | None, index: float | None) -> float | None:
    if strong is None or strong.index is None:
        return None
    return round(strong.index - (index if index is not None else 0.0), 1)


def _outcome(name: str, played: Played, strong: Outcome | None = None) -> Outcome:
    return Outcome(name, played.index, dict(played.levels), dict(played.choices), _gap(strong, played.index))


def play_strong(scenario: Scenario, strong: Playthrough) -> Outcome:
    """The strong playthrough without evaluator input (choices only), as an outcome."""
    return _outcome("strong", play(scenario, without_evaluator_input(strong)))


def play_strategies(scenario: Scenario, strong: Outcome | None, seed: int = 0) -> tuple[Outcome, ...]:
    return tuple(
        _outcome(name, play_choices(scenario, name, choices_for(scenario, pick), seed), strong)
        for name, pick in STRATEGIES.items())


def shallow_gaps(scenario: Scenario, strong: Playthrough) -> dict[str, float | None]:
    """Each shallow strategy's index distance below the strong playthrough (without its
    evaluator input), by strategy name. The scenario tests assert every gap ≥ 15."""
    outcome = play_strong(scenario, strong)
    return {o.name: o.gap for o in play_strategies(scenario, outcome, strong.seed or 0)}


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    position = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[position]


def _random_summary(teams: Sequence[Played], seed: int, strong: Outcome | None, margin: float) -> RandomSummary:
    values = [t.index if t.index is not None else 0.0 for t in teams]
    limit = None if strong is None or strong.index is None else strong.index - margin
    within = 0 if limit is None else sum(1 for v in values if v > limit)
    if not values:
        return RandomSummary(0, seed, None, None, None, None, None, 0)
    return RandomSummary(len(values), seed, min(values), _percentile(values, 0.1), _percentile(values, 0.5),
                         _percentile(values, 0.9), max(values), within)


def _length_ranks(scenario: Scenario, decision: Decision) -> dict[str, int]:
    lang = scenario.language
    ordered = sorted(decision.options, key=lambda o: -len(o.text.get(lang)))
    return {o.id: rank for rank, o in enumerate(ordered, start=1)}


def _decision_stats(scenario: Scenario, teams: Sequence[Played], strong: Outcome | None) -> tuple[DecisionStat, ...]:
    stats = []
    for decision in scenario.decisions:
        lengths = _length_ranks(scenario, decision)
        options = []
        for position, option in enumerate(decision.options, start=1):
            indexes = [t.index or 0.0 for t in teams if t.choices.get(decision.id) == option.id]
            options.append(OptionStat(
                option=option.id, position=position, length_rank=lengths[option.id],
                good_words=good_practice_words(option.text.get(scenario.language)), teams=len(indexes),
                mean_index=round(statistics.fmean(indexes), 1) if indexes else None))
        stats.append(DecisionStat(decision.id, tuple(options),
                                  strong.choices.get(decision.id) if strong is not None else None))
    return tuple(stats)


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 3:
        return None
    try:
        return round(statistics.correlation(xs, ys), 2)
    except statistics.StatisticsError:  # a constant series
        return None


def _predictors(scenario: Scenario, teams: Sequence[Played], stats: Sequence[DecisionStat]) -> tuple[Predictor, ...]:
    """Per team: the mean relative position (0 first … 1 last), the mean relative length rank
    (0 longest … 1 shortest) and the mean good-word count of the options it ended with."""
    by_decision = {s.decision: {o.option: o for o in s.options} for s in stats}
    features: dict[str, list[float]] = {"position": [], "length": [], "good-words": []}
    indexes: list[float] = []
    for team in teams:
        pos, length, words = [], [], []
        for decision_id, option_id in team.choices.items():
            options = by_decision.get(decision_id)
            stat = options.get(option_id) if options else None
            if stat is None or options is None:
                continue
            span = max(1, len(options) - 1)
            pos.append((stat.position - 1) / span)
            length.append((stat.length_rank - 1) / span)
            words.append(float(stat.good_words))
        if not pos:
            continue
        features["position"].append(statistics.fmean(pos))
        features["length"].append(statistics.fmean(length))
        features["good-words"].append(statistics.fmean(words))
        indexes.append(team.index or 0.0)
    rated = [s for s in stats if s.best is not None]
    extremes = {
        "position": sum(1 for s in rated if s.best is not None and s.best.position == 1),
        "length": sum(1 for s in rated if s.best is not None and s.best.length_rank == 1),
        "good-words": sum(1 for s in rated if s.best is not None
                          and s.best.good_words == max(o.good_words for o in s.options)),
    }
    return tuple(Predictor(name, _correlation(values, indexes), extremes[name], len(rated))
                 for name, values in features.items())


def analyse(scenario: Scenario, strong: Playthrough | None = None, *, random_teams: int = 0, seed: int = 0,
            jobs: int | None = None, margin: float = DEFAULT_MARGIN, strong_file: str = "") -> BalanceReport:
    """Play the shallow strategies (and `random_teams` random teams on `jobs` processes) and
    compare each with the strong playthrough."""
    strong_outcome = play_strong(scenario, strong) if strong is not None else None
    engine_seed = (strong.seed or 0) if strong is not None else 0
    strategies = play_strategies(scenario, strong_outcome, engine_seed)
    teams = (play_random_teams(scenario, random_teams, seed, engine_seed=engine_seed, jobs=jobs)
             if random_teams > 0 else [])
    stats = _decision_stats(scenario, teams, strong_outcome) if teams else ()
    return BalanceReport(
        scenario_id=scenario.id, scenario_title=scenario.title.get(scenario.language), margin=margin,
        strong=strong_outcome, strong_file=strong_file or (strong.file if strong is not None else ""),
        strategies=strategies,
        random=_random_summary(teams, seed, strong_outcome, margin) if teams else None,
        decisions=stats, predictors=_predictors(scenario, teams, stats) if teams else ())
