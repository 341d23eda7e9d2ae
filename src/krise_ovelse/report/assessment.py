"""Goal achievement (måloppnåelse) and the key findings: what a director reads first.

A goal is assessed from the final ratings of the criteria the scenario links to it (P = 4 …
U = 1, N/O left out): a mean of at least 3.5 is "reached", 2.5 "largely reached", 1.75
"partly reached", below that "not reached". A goal whose criteria were all unobserved, or
that names none, is said to be not assessable, never silently skipped. The evaluator's own
words on those criteria (override reasons, levelled observations) go with the verdict.
"""

from __future__ import annotations

import attrs

from krise_ovelse.model.scenario import Goal, Level
from krise_ovelse.scoring.levels import VALUES
from krise_ovelse.scoring.ratings import Finding, ScoringResult, says_only_confirmed

VERDICTS = ("reached", "largely", "partly", "not_reached", "not_observed", "not_linked")


@attrs.frozen
class GoalAssessment:
    goal: Goal
    verdict: str
    mean: float | None
    levels: tuple[tuple[str, Level], ...]  # (criterion, final level) for linked criteria with a rating
    words: tuple[str, ...]  # the evaluators' words on those criteria


def verdict_for(mean: float | None) -> str:
    if mean is None:
        return "not_observed"
    if mean >= 3.5:
        return "reached"
    if mean >= 2.5:
        return "largely"
    if mean >= 1.75:
        return "partly"
    return "not_reached"


def assess_goal(goal: Goal, result: ScoringResult) -> GoalAssessment:
    if not goal.criteria:
        return GoalAssessment(goal, "not_linked", None, (), ())
    levels = tuple((c, result.rating(c).final) for c in goal.criteria if result.has_rating(c))
    values = [VALUES[level] for _, level in levels if level in VALUES]
    mean = sum(values) / len(values) if values else None
    words: list[str] = []
    for criterion, _ in levels:
        override = result.rating(criterion).override
        if override is not None and not says_only_confirmed(override.reason) and override.reason not in words:
            words.append(override.reason.strip())
    return GoalAssessment(goal, verdict_for(mean), mean, levels, tuple(words))


def assess_goals(goals: tuple[Goal, ...], result: ScoringResult) -> tuple[GoalAssessment, ...]:
    return tuple(assess_goal(goal, result) for goal in goals)


_SEVERITY = {Level.U: 0, Level.M: 1, Level.S: 2, Level.P: 3}


def key_findings(result: ScoringResult, limit: int = 5) -> tuple[Finding, ...]:
    """3–5 findings for the summary: the weakest areas for improvement (up to three), then the
    strongest strengths to fill up, so a director sees both what to fix and what to keep."""
    improvements = sorted(result.improvements, key=lambda f: (_SEVERITY.get(f.level, 9), -len(f.evidence)))
    strengths = sorted(result.strengths, key=lambda f: (-_SEVERITY.get(f.level, 0), -len(f.evidence)))
    chosen = list(improvements[:3])
    chosen += strengths[:max(2, 3 - len(chosen))][: limit - len(chosen)]
    if len(chosen) < 3:
        chosen += improvements[3:3 + (3 - len(chosen))]
    return tuple(chosen[:limit])
