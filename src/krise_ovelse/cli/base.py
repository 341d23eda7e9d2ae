"""The root click group and the conventions every command shares (exit codes, output).

Command modules are imported only when their command runs. `COMMANDS` maps each command's name
to the `module:attribute` that defines it and to its one-line help, so `krise-ovelse --help`
lists every command without importing any of them, and `krise-ovelse play` imports the
console's module and nothing else (no store, engine or report at start). Each command module
still registers its commands with `@main.command(...)` when it is imported.

A new command needs a line in `COMMANDS`; `tests/tui/test_cli_and_imports.py` checks that the
map names every command and repeats its help exactly.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from gettext import gettext as _
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from krise_ovelse.model.problems import Problem

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
#: Problem codes that mean the input could not be read at all (exit 2, not 1).
UNREADABLE = ("E-READ",)


def problems_exit_code(problems: Iterable[Problem]) -> int:
    """2 when an input could not be read at all (an `E-READ…` problem), else 1."""
    return EXIT_USAGE if any(p.code.startswith(UNREADABLE) for p in problems) else EXIT_PROBLEMS


def exit_with_problems(problems: Sequence[Problem], shown: Iterable[Problem] | None = None) -> NoReturn:
    """Print `shown` (default: all `problems`) as `file:line:col: CODE message (hint)` on stderr
    and exit with `problems_exit_code(problems)`."""
    for problem in problems if shown is None else shown:
        click.echo(problem.render(), err=True)
    sys.exit(problems_exit_code(problems))

F = TypeVar("F", bound=Callable[..., Any])

#: The `--db` help of every command that opens the session database.
DB_HELP = ("Session database: a file, or a postgresql:// URL for a shared store (default: "
           "$KRISE_OVELSE_DB, else sessions.db in the user data directory).")


#: The languages of every command's output, and the variable that picks one for a user.
LANGS = ("nb", "en")
ENV_LANG = "KRISE_OVELSE_LANG"


def user_lang(lang: str | None) -> str:
    """The language a command speaks: `--lang`, else $KRISE_OVELSE_LANG, else bokmål (the users are
    Norwegian agencies; the console, report and compare default to bokmål too)."""
    value = (lang or os.environ.get(ENV_LANG, "")).strip().lower()
    return value if value in LANGS else "nb"


def lang_option(what: str) -> Callable[[F], F]:
    """The shared `--lang nb|en` option (None when not given: resolve it with `user_lang`)."""
    return click.option("--lang", type=click.Choice(LANGS), default=None,
                        help=f"Language of {what} (default: ${ENV_LANG}, else nb).")


def db_option(func: F) -> F:
    """The shared `--db PATH` option, for commands that should not import the store to declare it."""
    return click.option("--db", "db", metavar="PATH", default=None, help=DB_HELP)(func)


class LazyCommand(NamedTuple):
    """Where a command is defined (`module:attribute`) and the first paragraph of its help."""

    target: str
    help: str


_SESSION = "krise_ovelse.cli.session_cmds"
_AUTHORING = "krise_ovelse.cli.authoring_cmds"
_CONSOLE = "krise_ovelse.cli.console_cmds"

#: What `krise-ovelse` with no command runs: the console's start screen.
START_SCREEN = f"{_CONSOLE}:start_console"

COMMANDS: dict[str, LazyCommand] = {
    "balance": LazyCommand("krise_ovelse.cli.balance_cmd:balance",
                           "Play SCENARIO with shallow strategies (always the longest, shortest, first or last "
                           "option, the most good-practice words, the defaults, nothing) and many random teams, "
                           "and show each rating next to the strong playthrough's, which options dominate, and "
                           "whether an option's position or length predicts the rating."),
    "db": LazyCommand("krise_ovelse.cli.national_cmds:db_group",
                      "Create or upgrade the tables of a PostgreSQL session store (the SQLite file upgrades "
                      "itself)."),
    "branch": LazyCommand(f"{_SESSION}:branch_cmd",
                          "Start a what-if: a new session with SESSION's history up to (not including) the "
                          "choice at DECISION. Prints the new session's id; continue it in the console with "
                          "`krise-ovelse play --session ID`."),
    "cards": LazyCommand("krise_ovelse.cli.msel_cmds:cards",
                         "Write printable inject cards (HTML): one card per inject and per decision, one per "
                         "page."),
    "compare": LazyCommand(f"{_SESSION}:compare_cmd",
                           "Compare two sessions side by side: the decisions that differ (option and "
                           "rationale), the final indicators, and the ratings per criterion and theme with "
                           "the index."),
    "dreiebok": LazyCommand(f"{_AUTHORING}:dreiebok",
                            "Print the dreiebok (MSEL) as Markdown: every inject with its notes and decisions, "
                            "in order."),
    "export": LazyCommand(f"{_SESSION}:export_cmd",
                          "Write a session (scenario text, details and every event) to a JSON Lines file."),
    "import": LazyCommand(f"{_SESSION}:import_cmd", "Import a session exported with `krise-ovelse export`."),
    "inspect": LazyCommand(f"{_AUTHORING}:inspect",
                           "Show a scenario's span, phases and counts of injects, decisions, criteria and "
                           "indicators."),
    "keys": LazyCommand("krise_ovelse.cli.keys_cmd:keys_cmd",
                        "Manage the keys that sign session exports (export --sign) and the keys you trust "
                        "(import --verify)."),
    "lint": LazyCommand(f"{_AUTHORING}:lint",
                        "Validate, then warn about what makes a weaker exercise (unreachable injects, …)."),
    "msel": LazyCommand("krise_ovelse.cli.msel_cmds:msel",
                        "Import a master scenario events list (MSEL, dreiebok) from a spreadsheet, or export "
                        "one."),
    "plan": LazyCommand("krise_ovelse.cli.plan_cmds:plan_group",
                        "Follow up an action plan (tiltaksplan): show it, update a measure's status, convert "
                        "it between YAML and Excel."),
    "national": LazyCommand("krise_ovelse.cli.national_cmds:national_group",
                            "A national exercise on a shared PostgreSQL store: set it up, run the control "
                            "cell, follow it."),
    "play": LazyCommand(f"{_CONSOLE}:play_cmd",
                        "Play SCENARIO (a file or a shipped scenario id such as `maratonet`): opens the "
                        "briefing."),
    "replay": LazyCommand(f"{_SESSION}:replay_cmd",
                          "Refold a stored session from its stored scenario and check it, then print its "
                          "timeline."),
    "report": LazyCommand("krise_ovelse.cli.report_cmd:report",
                          "Write the after-action report of an exercise: summary with the key findings, goal "
                          "achievement, findings per theme, the action plan (tiltaksplan), hotwash, participant "
                          "feedback, evaluation of the exercise, method; timeline, indicators and all evidence "
                          "as appendices. Markdown, HTML or Word (.docx); the plan also as .xlsx. Norwegian by "
                          "default, English with --lang en."),
    "rescore": LazyCommand(f"{_SESSION}:rescore_cmd",
                           "Rate a stored session again under the current criteria catalogue and scoring "
                           "rules, and store the new ratings and index with it (the events are not changed)."),
    "resume": LazyCommand(f"{_SESSION}:resume_cmd",
                          "Continue an interrupted session from its last committed event."),
    "run": LazyCommand("krise_ovelse.cli.run_cmd:run",
                       "Play SCENARIO from start to end without a screen, in facilitator-paced mode."),
    "schema": LazyCommand(f"{_AUTHORING}:schema",
                          "Print the JSON Schema (draft 2020-12) of the scenario format, for editors."),
    "serve": LazyCommand(f"{_CONSOLE}:serve_cmd",
                         "Serve the console in a web browser (textual-serve), for hybrid exercises."),
    "sessions": LazyCommand(f"{_SESSION}:sessions_cmd",
                            "List the stored sessions, newest first: id, scenario, team, start, status, "
                            "index."),
    "validate": LazyCommand(f"{_AUTHORING}:validate",
                            "Check scenario files and report every problem as file:line:col: CODE message "
                            "(hint)."),
}


#: Commands that run the Textual console, which writes its own escape sequences (see cli.output).
CONSOLE_COMMANDS = frozenset({None, "play", "serve"})


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands: those registered so far, and those in the map, imported on lookup."""

    def __init__(self, lazy: Mapping[str, LazyCommand]) -> None:
        self.lazy = dict(lazy)
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            spec = self.lazy.get(name)
            if spec is None:
                raise KeyError(name)
            command = _load(spec.target)  # importing the module registers its commands
            if not isinstance(command, click.Command):
                raise TypeError(f"{spec.target} is not a click command")
            self.loaded.setdefault(name, command)
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self.loaded.pop(name, None)
        self.lazy.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self.loaded or name in self.lazy

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.loaded.keys() | self.lazy.keys()))

    def __len__(self) -> int:
        return len(self.loaded.keys() | self.lazy.keys())

    def short_help(self, name: str, limit: int) -> str | None:
        """The command's one-line help as `--help` lists it (None: a hidden command), without
        importing a command that is not loaded yet."""
        command = self.loaded.get(name)
        if command is not None:
            return None if command.hidden else command.get_short_help_str(limit)
        return click.Command(name, help=self.lazy[name].help).get_short_help_str(limit)


class LazyGroup(click.Group):
    """A click group whose commands are imported when they are run (see `COMMANDS`)."""

    def __init__(self, *args: Any, lazy_commands: Mapping[str, LazyCommand] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commands = LazyCommands(lazy_commands or {})
        for name, command in self.commands.items():
            commands[name] = command
        self.commands = commands

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click's, from the help in the map: `--help` imports no command module."""
        commands = self.commands
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        if isinstance(commands, LazyCommands):
            rows = [(name, text) for name in names if (text := commands.short_help(name, limit)) is not None]
        else:  # pragma: no cover - click replaced the mapping
            rows = [(name, cmd.get_short_help_str(limit)) for name in names
                    if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if rows:
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy_commands=COMMANDS, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="krise-ovelse")
@click.pass_context
def main(ctx: click.Context) -> None:
    """krise-øvelse: a terminal tabletop crisis-exercise simulator.

    Without a command it opens the console's start screen (shipped scenarios, saved sessions).
    """
    if ctx.invoked_subcommand not in CONSOLE_COMMANDS:
        from krise_ovelse.cli.output import neutralise_streams

        neutralise_streams()  # nothing printed from a file reaches the terminal as a control
    if ctx.invoked_subcommand is None:
        _load(START_SCREEN)()


def _load(target: str) -> Any:
    """`module:attribute`, imported now (how this module reaches the command modules, which
    import it to register their commands: a name, not an import, so there is no cycle)."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)
