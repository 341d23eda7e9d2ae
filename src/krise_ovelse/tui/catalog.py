"""The shipped scenarios as the start screen lists them (loaded off the UI thread).

They come through the load cache (`krise_ovelse.cache`), as `play` does: a file that loaded
cleanly before is not parsed and checked again.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from krise_ovelse.authoring.inspect import played_minutes
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.model.text import Text
from krise_ovelse.model.timefmt import MINUTES_PER_DAY
from krise_ovelse.paths import PLAYTHROUGH_DIR, shipped_scenario_files, shipped_scenarios_dir

__all__ = ["PLAYTHROUGH_DIR", "ScenarioEntry", "entry_for", "find_shipped", "scenario_files", "shipped_entries"]


@attrs.frozen
class ScenarioEntry:
    path: Path
    id: str
    title: Text
    days: float
    phases: int
    injects: int
    decisions: int
    languages: tuple[str, ...]
    play_minutes: int
    example: bool = False


def entry_for(path: Path, scenario: Scenario, example: bool = False) -> ScenarioEntry:
    return ScenarioEntry(
        path=path, id=scenario.id, title=scenario.title,
        days=scenario.ends.minutes / MINUTES_PER_DAY, phases=len(scenario.phases),
        injects=len(scenario.injects), decisions=len(scenario.decisions),
        languages=scenario.declared_languages,
        play_minutes=sum(play for _, play in played_minutes(scenario)), example=example)


def scenario_files(directory: Path | None = None) -> list[Path]:
    return shipped_scenario_files(directory)


def shipped_entries(directory: Path | None = None) -> list[ScenarioEntry]:
    """Every shipped scenario that loads without errors (broken files are left out)."""
    from krise_ovelse.authoring.cached import load_scenario_cached

    root = directory or shipped_scenarios_dir()
    entries = []
    for path in scenario_files(root):
        result = load_scenario_cached(path)
        if result.scenario is not None:
            entries.append(entry_for(path, result.scenario, example=len(path.relative_to(root).parts) > 1))
    return entries


def find_shipped(name: str, directory: Path | None = None) -> Path | None:
    """A shipped scenario by id or file stem (`maratonet`, `kort-eksempel`)."""
    for path in scenario_files(directory):
        if path.stem == name:
            return path
    for entry in shipped_entries(directory):
        if entry.id == name:
            return entry.path
    return None
