"""What a command loads before it works, and writes when it is done: one way for every command.

A scenario or playthrough with errors stops the command with each error as
`file:line:col: CODE message (hint)` on stderr and exit 1, or 2 when a file could not be read
(`base.exit_with_problems`). An output goes through the one safe writer (`fileio`): never
through a link, never over a FIFO or device; a file that cannot be written is `PATH: CODE
message (hint)` and exit 2. The loaders are imported when called, so importing this module
costs a command nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import attrs
import click

from krise_ovelse.cli.base import exit_with_problems

if TYPE_CHECKING:
    from krise_ovelse.model.problems import Problem
    from krise_ovelse.model.scenario import Scenario
    from krise_ovelse.scripted.playthrough import Playthrough


def exit_with_errors(problems: Sequence[Problem]) -> NoReturn:
    """Print the errors among `problems` (not the warnings) and exit 1, or 2 if unreadable."""
    exit_with_problems(problems, [p for p in problems if p.is_error])


@attrs.frozen
class ScenarioFile:
    """A scenario that loaded without errors, with the file it came from and that file's text."""

    path: Path
    scenario: Scenario
    text: str


def scenario_or_exit(name: str) -> ScenarioFile:
    """The scenario `name` (a path, or a shipped scenario's name such as `maratonet`), or its
    errors and an exit."""
    from krise_ovelse.authoring import load_scenario
    from krise_ovelse.paths import resolve_scenario_arg

    path = resolve_scenario_arg(name)
    loaded = load_scenario(path)
    if loaded.scenario is None or loaded.text is None:
        exit_with_errors(loaded.problems)
    return ScenarioFile(path, loaded.scenario, loaded.text)


def playthrough_or_exit(path: str | Path, scenario: Scenario) -> Playthrough:
    """The playthrough in `path` for `scenario`, or its errors and an exit."""
    from krise_ovelse.scripted.playthrough import load_playthrough

    loaded = load_playthrough(path, scenario)
    if loaded.playthrough is None:
        exit_with_errors(loaded.problems)
    return loaded.playthrough


def write_output(target: str, data: bytes | str) -> None:
    """Write a command's output to `target` (`-`: standard output; text with terminal controls
    neutralised) and name the file written on stderr; a file that cannot be written: its
    problem on stderr and exit 2."""
    from krise_ovelse.fileio import STDOUT, WriteError, write_bytes, write_text

    try:
        if isinstance(data, bytes):
            write_bytes(target, data)
        else:
            write_text(target, data)
    except WriteError as exc:
        click.echo(exc.render(), err=True)
        sys.exit(exc.exit_code)
    if target != STDOUT:
        click.echo(f"{target}: written", err=True)
