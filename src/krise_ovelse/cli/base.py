"""The root click group and the conventions every command shares (exit codes, output)."""

from __future__ import annotations

import click

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="krise-ovelse")
@click.pass_context
def main(ctx: click.Context) -> None:
    """krise-øvelse: a terminal tabletop crisis-exercise simulator.

    Without a command it opens the console's start screen (shipped scenarios, saved sessions).
    """
    if ctx.invoked_subcommand is None:
        from krise_ovelse.cli.console_cmds import start_console

        start_console()
