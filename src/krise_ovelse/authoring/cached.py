"""Scenarios for play through the load cache (`krise_ovelse.cache`), to start the console faster.

After a load without errors the scenario and its text are stored under the file's bytes; a
later start on the same bytes with the same code takes them from the cache instead of parsing
and checking again. Only a scenario that loaded without errors is stored, so a hit is a
scenario that passed every check. `validate`, `lint` and `run` never use it. A hit imports
neither the YAML parser nor cattrs: the loader is imported only on a miss.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from krise_ovelse import cache
from krise_ovelse.fileio import ReadError, read_limited
from krise_ovelse.model.problems import Problem
from krise_ovelse.model.scenario import Scenario

if TYPE_CHECKING:
    from krise_ovelse.authoring.load import LoadResult

SCENARIO = "scenario"


@attrs.frozen
class CachedLoad:
    """A scenario from the cache: it loaded without errors from these very bytes before."""

    scenario: Scenario
    text: str
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return True


def _is_scenario_entry(value: Any) -> bool:
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Scenario)
            and isinstance(value[1], str))


def load_scenario_cached(path: str | Path) -> CachedLoad | LoadResult:
    """A scenario for play: from the cache if these bytes loaded cleanly before with this code,
    else loaded and checked in full (`load_scenario`), and stored if it has no errors."""
    path = Path(path)
    raw: bytes | None = None
    if cache.cache_dir() is not None:
        try:  # a regular file, bounded; anything else is reported by the full load
            raw = read_limited(path, cache.MAX_INPUT_BYTES)
        except ReadError:
            raw = None
    if raw is not None:
        hit = cache.get(SCENARIO, raw, _is_scenario_entry)
        if hit is not None:
            return CachedLoad(hit[0], hit[1])
    # A miss: only now the loader (a hit needs no YAML parser, no cattrs).
    from krise_ovelse.authoring.load import load_scenario, load_scenario_bytes

    if raw is None:
        return load_scenario(path)

    result = load_scenario_bytes(raw, str(path))  # the bytes just hashed, not read again
    if result.scenario is not None and result.text is not None:
        cache.put(SCENARIO, raw, (result.scenario, result.text))
    return result
