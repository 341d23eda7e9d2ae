"""The balance analysis: strategies pick what they say, random teams are deterministic on any
number of processes, a scenario where form wins is flagged and a fair one is not, and the
command and `lint --balance` report it without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.balance import STRATEGIES, analyse, shallow_gaps, strong_playthrough_path
from krise_ovelse.balance.play import play_random_teams, without_evaluator_input
from krise_ovelse.balance.strategies import choices_for, good_practice_words, random_choices
from krise_ovelse.cli import main
from krise_ovelse.engine.commands import AddObservation, RateCriterion
from krise_ovelse.model.scenario import Level, Scenario
from krise_ovelse.scripted.playthrough import ScriptedAction, load_playthrough_text

from .balance_scenario import scenario_text, strong_text


def _scenario(fair: bool = False) -> Scenario:
    loaded = load_scenario_text(scenario_text(fair), "balanse.yaml")
    assert loaded.scenario is not None, loaded.problems
    return loaded.scenario


def _strong(scenario: Scenario, fair: bool = False):  # type: ignore[no-untyped-def]
    result = load_playthrough_text(strong_text(fair), scenario)
    assert result.playthrough is not None, result.problems
    return result.playthrough


def test_each_strategy_picks_what_it_says() -> None:
    scenario = _scenario(fair=True)
    assert choices_for(scenario, STRATEGIES["longest"]) == {"d01": "a", "d02": "a", "d03": "a"}
    assert choices_for(scenario, STRATEGIES["shortest"]) == {"d01": "c", "d02": "c", "d03": "c"}
    assert choices_for(scenario, STRATEGIES["first"]) == {"d01": "a", "d02": "a", "d03": "a"}
    assert choices_for(scenario, STRATEGIES["last"]) == {"d01": "c", "d02": "c", "d03": "c"}
    assert choices_for(scenario, STRATEGIES["defaults"]) == {"d01": "c", "d02": "c", "d03": "c"}
    assert choices_for(scenario, STRATEGIES["nothing"]) == {}
    assert choices_for(scenario, STRATEGIES["good-words"]) == {"d01": "a", "d02": "a", "d03": "a"}


def test_good_practice_words_counts_stems_case_insensitively() -> None:
    assert good_practice_words("Drøfte med Tillitsvalgte og informere ÅPENT") == 4
    assert good_practice_words("Vente og se") == 0


def test_random_teams_are_the_same_on_one_or_two_processes() -> None:
    scenario = _scenario()
    assert random_choices(scenario, 7, seed=3) == random_choices(scenario, 7, seed=3)
    assert any(random_choices(scenario, n) != random_choices(scenario, 0) for n in range(1, 10))
    one = play_random_teams(scenario, 30, seed=1, jobs=1)
    two = play_random_teams(scenario, 30, seed=1, jobs=2)
    assert one == two
    assert [dict(t.choices) for t in one] == [random_choices(scenario, n, 1) for n in range(30)]


def test_unfair_scenario_is_flagged_and_explained() -> None:
    scenario = _scenario()
    report = analyse(scenario, _strong(scenario), random_teams=60, jobs=1)
    assert report.strong is not None and report.strong.index is not None
    assert all((o.index or 0) <= report.strong.index for o in report.strategies)
    names = {o.name for o in report.too_close}
    assert {"longest", "first", "good-words"} <= names
    assert "nothing" not in names and "last" not in names
    by_name = {o.name: o for o in report.strategies}
    assert by_name["longest"].gap == 0.0
    # every decision's best option is a: first and longest, and it dominates
    assert all(d.best is not None and d.best.option == "a" for d in report.decisions)
    assert all(d.dominant for d in report.decisions)
    predictors = {p.name: p for p in report.predictors}
    assert predictors["position"].predicts and predictors["position"].correlation is not None
    assert predictors["position"].correlation < 0  # later options, lower index
    assert predictors["length"].best_is_extreme == 3


def test_fair_scenario_has_no_warning() -> None:
    scenario = _scenario(fair=True)
    gaps = shallow_gaps(scenario, _strong(scenario, fair=True))
    assert set(gaps) == set(STRATEGIES)
    assert all(gap is not None and gap >= 15 for gap in gaps.values()), gaps
    report = analyse(scenario, _strong(scenario, fair=True), random_teams=60, jobs=1)
    assert report.too_close == ()
    assert all(d.best is not None and d.best.option == "b" for d in report.decisions)
    predictors = {p.name: p for p in report.predictors}
    assert predictors["position"].best_is_extreme == 0


def test_the_strong_team_is_compared_without_evaluator_input() -> None:
    scenario = _scenario()
    strong = _strong(scenario)
    rated = ScriptedAction(60, RateCriterion("KH-2", Level.U, "nei", "Eva"), "rate", 1, 1)
    note = ScriptedAction(60, AddObservation("bare en merknad", "Eva", ("KH-2",)), "note", 1, 1)
    stripped = without_evaluator_input(attrs.evolve(strong, actions=(rated, note)))
    assert [a.label for a in stripped.actions] == ["note"]


def test_strong_playthrough_is_found_beside_or_above_the_scenario(tmp_path: Path) -> None:
    (tmp_path / "examples").mkdir()
    (tmp_path / "playthroughs" / "x").mkdir(parents=True)
    (tmp_path / "playthroughs" / "x" / "sterkt.yaml").write_text("x", encoding="utf-8")
    assert strong_playthrough_path(tmp_path / "x.yaml") == tmp_path / "playthroughs" / "x" / "sterkt.yaml"
    assert strong_playthrough_path(tmp_path / "examples" / "x.yaml") == (
        tmp_path / "playthroughs" / "x" / "sterkt.yaml")
    assert strong_playthrough_path(tmp_path / "y.yaml") is None


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    scenario = tmp_path / "balanse.yaml"
    scenario.write_text(scenario_text(), encoding="utf-8")
    folder = tmp_path / "playthroughs" / "balanse"
    folder.mkdir(parents=True)
    strong = folder / "sterkt.yaml"
    strong.write_text(strong_text(), encoding="utf-8")
    return scenario, strong


def test_command_prints_the_comparison_and_check_fails(files: tuple[Path, Path]) -> None:
    scenario, _ = files
    result = CliRunner().invoke(main, ["balance", str(scenario), "--random", "30", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "longest" in result.output and "for nær det sterke" in result.output
    checked = CliRunner().invoke(main, ["balance", str(scenario), "--random", "0", "--check", "--lang", "en"])
    assert checked.exit_code == 1
    assert "Warning: strategy 'longest'" in checked.output


def test_command_json(files: tuple[Path, Path]) -> None:
    scenario, strong = files
    result = CliRunner().invoke(main, ["balance", str(scenario), "--strong", str(strong), "--random", "25",
                                       "--jobs", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "krise-ovelse/balance" and data["strong"]["index"] > 50
    assert {s["name"] for s in data["strategies"] if s["too_close"]} >= {"longest", "first"}
    assert data["random"]["teams"] == 25 and len(data["decisions"]) == 3
    assert data["warnings"]


def test_command_bad_input(files: tuple[Path, Path], tmp_path: Path) -> None:
    scenario, _ = files
    missing = CliRunner().invoke(main, ["balance", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "E-READ" in missing.output and "Traceback" not in missing.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: balanse\nteam: X\ndecisions: {d09: a}\n", encoding="utf-8")
    wrong = CliRunner().invoke(main, ["balance", str(scenario), "--strong", str(bad)])
    assert wrong.exit_code == 1 and "E-REF-DECISION" in wrong.output
    usage = CliRunner().invoke(main, ["balance", str(scenario), "--random", "-3"])
    assert usage.exit_code == 2


def test_lint_balance_warns_in_the_cli_layer(files: tuple[Path, Path]) -> None:
    scenario, _ = files
    plain = CliRunner().invoke(main, ["lint", str(scenario)])
    assert "W-BALANCE-SHALLOW" not in plain.output
    result = CliRunner().invoke(main, ["lint", "--balance", str(scenario)])
    assert "W-BALANCE-SHALLOW strategy 'longest'" in result.output
    assert result.exit_code == 0
    strict = CliRunner().invoke(main, ["lint", "--balance", "--strict", str(scenario)])
    assert strict.exit_code == 1
