"""A scenario loaded for play: the model, its text (stored with the session) and where it came from.

Kept apart from `session` so that starting the console (the briefing) does not import the engine.
Scenarios come through the load cache (`krise_ovelse.cache`): a file that loaded cleanly before
starts without the YAML parser, cattrs or the checks.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from krise_ovelse.model.scenario import Scenario


@attrs.frozen
class LoadedScenario:
    scenario: Scenario
    text: str
    source: str


def load_for_console(path: Path) -> tuple[LoadedScenario | None, list[str]]:
    """A scenario file for play, or its problems as `file:line:col: CODE message (hint)`."""
    from krise_ovelse.authoring.cached import load_scenario_cached

    result = load_scenario_cached(path)
    if result.scenario is None or result.text is None:
        return None, [p.render() for p in result.problems if p.is_error] or [p.render() for p in result.problems]
    return LoadedScenario(result.scenario, result.text, str(path)), []
