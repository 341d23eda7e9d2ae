"""Arithmetic on rating levels: numeric values, the median rule, the U cap, means back to levels.

The scale, best first: P = 4, S = 3, M = 2, U = 1. N/O (not observed) has no value: it is
the absence of a rating, never averaged in.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable

from krise_ovelse.model.scenario import EVIDENCE_LEVELS, Level

#: Numeric value of each rated level (higher is better).
VALUES: dict[Level, int] = {Level.P: 4, Level.S: 3, Level.M: 2, Level.U: 1}
_BY_VALUE: dict[int, Level] = {value: level for level, value in VALUES.items()}


def parse_level(value: object) -> Level:
    """A Level from its code ("P", "s", "N/O", "NO", "n/o"); ValueError for anything else."""
    if isinstance(value, Level):
        return value
    if not isinstance(value, str):
        raise ValueError(f"a rating level must be P, S, M, U or N/O, not {value!r}")
    code = value.strip().upper()
    if code in ("NO", "N/O", "N-O", "NA", "N/A"):
        return Level.NO
    try:
        return Level(code)
    except ValueError:
        raise ValueError(f"a rating level must be P, S, M, U or N/O, not {value!r}") from None


def is_rated(level: Level | None) -> bool:
    """True for P, S, M and U; False for N/O and None."""
    return level in EVIDENCE_LEVELS


def median_level(levels: Iterable[Level]) -> Level | None:
    """The median of the rated levels, rounding toward the worse level on ties.

    With an even number of levels the two middle ones may differ; the worse one is taken
    (statistics.median_low over P=4 … U=1). None when there are no rated levels.
    """
    values = [VALUES[level] for level in levels if is_rated(level)]
    if not values:
        return None
    return _BY_VALUE[statistics.median_low(values)]


def level_from_mean(mean: float) -> Level:
    """The level nearest to a mean of values, ties toward the worse level.

    Above 3.5 is P, above 2.5 S, above 1.5 M, else U: a mean of exactly 3.5 is S.
    """
    if mean > 3.5:
        return Level.P
    if mean > 2.5:
        return Level.S
    if mean > 1.5:
        return Level.M
    return Level.U


def mean_value(levels: Iterable[Level]) -> float | None:
    """Mean of the rated levels' values (N/O left out); None when nothing is rated."""
    values = [VALUES[level] for level in levels if is_rated(level)]
    if not values:
        return None
    return sum(values) / len(values)


def index_of(levels: Iterable[Level]) -> float | None:
    """The 0–100 index: mean of (value − 1) / 3 over the rated levels, × 100, one decimal.

    All P gives 100, all U gives 0, N/O is left out; None when nothing is rated.
    """
    mean = mean_value(levels)
    if mean is None:
        return None
    return round((mean - 1) / 3 * 100, 1)
