"""`krise-ovelse balance SCENARIO`: shallow strategies and random teams against the strong
playthrough; `lint --balance` turns its findings into warnings (`balance_problems`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from krise_ovelse.cli.base import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main
from krise_ovelse.cli.loading import playthrough_or_exit, scenario_or_exit
from krise_ovelse.model.problems import Problem, Severity

CODE = "W-BALANCE-SHALLOW"


@main.command("balance")
@click.argument("scenario", metavar="SCENARIO")
@click.option("--strong", "strong_file", metavar="PLAYTHROUGH",
              help="The strong playthrough to compare with (default: playthroughs/<scenario>/sterkt.yaml "
                   "beside the scenario).")
@click.option("--random", "random_teams", type=click.IntRange(0, 1_000_000), default=200, show_default=True,
              help="How many random teams to play.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random teams' choices.")
@click.option("--jobs", type=click.IntRange(1, 256), default=None,
              help="Worker processes for the random teams (default: one per core).")
@click.option("--margin", type=click.FloatRange(0, 100), default=15.0, show_default=True,
              help="How many index points below the strong playthrough each shallow strategy must stay.")
@click.option("--check", is_flag=True, help="Exit 1 when a shallow strategy comes within the margin (for CI).")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
def balance(scenario: str, strong_file: str | None, random_teams: int, seed: int, jobs: int | None, margin: float,
            check: bool, lang: str, as_json: bool) -> None:
    """Play SCENARIO with shallow strategies (always the longest, shortest, first or last option,
    the most good-practice words, the defaults, nothing) and many random teams, and show each
    rating next to the strong playthrough's, which options dominate, and whether an option's
    position or length predicts the rating.

    The strong playthrough is played without its evaluator input: choices are compared with
    choices. Exit 0 (with --check: 1 when a shallow strategy comes within --margin of the strong
    playthrough), 1 when the scenario or playthrough has problems, 2 when a file cannot be read.
    """
    try:
        report = _analyse(scenario, strong_file, random_teams, seed, jobs, margin)
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # never a traceback for a user: say what failed and stop
        click.echo(f"krise-ovelse balance: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    from krise_ovelse.balance import format_report, report_to_dict

    if as_json:
        click.echo(json.dumps(report_to_dict(report), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, lang), nl=False)
    sys.exit(EXIT_PROBLEMS if check and report.too_close else EXIT_OK)


def _analyse(scenario_arg: str, strong_file: str | None, random_teams: int, seed: int, jobs: int | None,
             margin: float) -> Any:
    from krise_ovelse.balance import analyse, strong_playthrough_path

    loaded = scenario_or_exit(scenario_arg)
    path = loaded.path
    strong_path = Path(strong_file) if strong_file else strong_playthrough_path(path)
    strong = None
    if strong_path is not None:
        strong = playthrough_or_exit(strong_path, loaded.scenario)
    elif strong_file is None:
        click.echo(f"{path}: no strong playthrough found (playthroughs/{path.stem}/sterkt.yaml); "
                   "showing the strategies only (give one with --strong)", err=True)
    return analyse(loaded.scenario, strong, random_teams=random_teams, seed=seed, jobs=jobs, margin=margin,
                   strong_file=str(strong_path) if strong_path else "")


def balance_problems(path: Path, scenario: Any, margin: float = 15.0) -> list[Problem]:
    """`lint --balance`: a W-BALANCE-SHALLOW warning per shallow strategy that comes within
    `margin` index points of the scenario's strong playthrough (none without one)."""
    from krise_ovelse.balance import analyse, strong_playthrough_path, warnings
    from krise_ovelse.scripted.playthrough import load_playthrough

    strong_path = strong_playthrough_path(path)
    if strong_path is None:
        return []
    scripted = load_playthrough(strong_path, scenario)
    if scripted.playthrough is None:
        return [Problem(str(strong_path), p.line, p.col, p.code, p.message, p.hint, Severity.WARNING)
                for p in scripted.problems if p.is_error]
    report = analyse(scenario, scripted.playthrough, margin=margin)
    return [Problem(str(path), 0, 0, CODE, message, "krise-ovelse balance shows which options dominate",
                    Severity.WARNING) for message in warnings(report, "en")]
