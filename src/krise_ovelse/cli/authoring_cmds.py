"""Authors' commands: validate, lint, schema, inspect."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from krise_ovelse.authoring.load import load_scenario
from krise_ovelse.cli.base import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main, problems_exit_code
from krise_ovelse.cli.loading import scenario_or_exit, write_output
from krise_ovelse.model.problems import Problem
from krise_ovelse.paths import PLAYTHROUGH_DIR, resolve_scenario_arg


def _expand(paths: Iterable[str]) -> list[Path]:
    """Files as given; a directory stands for the scenario files in it and its subfolders."""
    result: list[Path] = []
    for raw in paths:
        path = resolve_scenario_arg(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml") and PLAYTHROUGH_DIR not in p.relative_to(path).parts
            )
            result.extend(found or [path])
        else:
            result.append(path)
    return result


def _exit_code(problems: list[Problem], strict: bool = False) -> int:
    if problems_exit_code(problems) == EXIT_USAGE:
        return EXIT_USAGE
    if any(p.is_error or strict for p in problems):
        return EXIT_PROBLEMS
    return EXIT_OK


def _report(results: list[tuple[Path, list[Problem]]], as_json: bool) -> None:
    if as_json:
        payload = {
            "files": [
                {"file": str(path), "ok": not any(p.is_error for p in problems),
                 "problems": [p.to_dict() for p in problems]}
                for path, problems in results
            ]
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for path, problems in results:
        for problem in problems:
            click.echo(problem.render())
        errors = sum(p.is_error for p in problems)
        warnings = len(problems) - errors
        status = "ok" if not problems else f"{errors} error(s), {warnings} warning(s)"
        click.echo(f"{path}: {status}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def validate(paths: tuple[str, ...], as_json: bool) -> None:
    """Check scenario files and report every problem as file:line:col: CODE message (hint).

    Exit 0 when clean, 1 when problems were found, 2 when a file cannot be read.
    """
    results = [(path, list(load_scenario(path).problems)) for path in _expand(paths)]
    _report(results, as_json)
    sys.exit(max(_exit_code(problems) for _, problems in results))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.option("--balance", "with_balance", is_flag=True,
              help="Also play the shallow strategies and warn (W-BALANCE-SHALLOW) when one comes within 15 "
                   "index points of the scenario's strong playthrough.")
def lint(paths: tuple[str, ...], strict: bool, as_json: bool, with_balance: bool) -> None:
    """Validate, then warn about what makes a weaker exercise (unreachable injects, …)."""
    from krise_ovelse.authoring.lint import lint_scenario

    results = []
    for path in _expand(paths):
        result = load_scenario(path)
        problems = list(result.problems)
        if result.scenario is not None and result.document is not None:
            problems = sorted(problems + lint_scenario(result.scenario, result.document))
            if with_balance:  # plays the scenario: engine and scoring, so it lives in the CLI layer
                from krise_ovelse.cli.balance_cmd import balance_problems

                problems += balance_problems(path, result.scenario)
        results.append((path, problems))
    _report(results, as_json)
    sys.exit(max(_exit_code(problems, strict) for _, problems in results))


@main.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of the scenario format, for editors."""
    from krise_ovelse.authoring.schema import scenario_schema

    click.echo(json.dumps(scenario_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.argument("scenario")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def inspect(scenario: str, as_json: bool) -> None:
    """Show a scenario's span, phases and counts of injects, decisions, criteria and indicators."""
    from krise_ovelse.authoring.inspect import format_inspection, inspect_scenario

    info = inspect_scenario(scenario_or_exit(scenario).scenario)
    click.echo(json.dumps(info, ensure_ascii=False, indent=2) if as_json else format_inspection(info))


@main.command()
@click.argument("scenario")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write to a file ('-' for standard output).")
def dreiebok(scenario: str, lang: str, output: str | None) -> None:
    """Print the dreiebok (MSEL) as Markdown: every inject with its notes and decisions, in order.

    For the facilitator to read and print before the exercise.
    """
    from krise_ovelse.authoring.dreiebok import dreiebok_markdown

    text = dreiebok_markdown(scenario_or_exit(scenario).scenario, lang)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_output(output, text)
