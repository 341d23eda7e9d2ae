"""Scenario arguments: every command resolves them the same way (`paths.resolve_scenario_arg`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from krise_ovelse.authoring import load_scenario
from krise_ovelse.cli.console_cmds import resolve_scenario
from krise_ovelse.paths import resolve_scenario_arg, shipped_scenario_files


def test_a_shipped_scenarios_id_is_its_file_name() -> None:
    """So resolving by file name is resolving by id."""
    files = shipped_scenario_files()
    assert files
    for path in files:
        loaded = load_scenario(path)
        assert loaded.scenario is not None and loaded.scenario.id == path.stem, path


@pytest.mark.parametrize("name", ["maratonet", "kort-eksempel"])
def test_shipped_ids_resolve_alike_for_play_and_the_other_commands(name: str) -> None:
    assert resolve_scenario(name) == resolve_scenario_arg(name)
    assert resolve_scenario_arg(name).stem == name


def test_paths_win_and_missing_ones_are_none_for_play(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "maratonet").write_text("x", encoding="utf-8")
    assert resolve_scenario("maratonet") == Path("maratonet")
    assert resolve_scenario("nowhere.yaml") is None and resolve_scenario("no-such-id") is None
    assert resolve_scenario_arg("nowhere.yaml") == Path("nowhere.yaml")
