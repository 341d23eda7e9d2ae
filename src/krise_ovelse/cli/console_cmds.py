"""The console commands: `play`, `serve`, and `krise-ovelse` with no command (the start screen).

Input is checked before the UI starts: a missing or broken scenario prints its problems
(`file:line:col: CODE message (hint)`) and exits 1 (problems) or 2 (unreadable / usage); an
unknown session id exits 2. Textual is imported only once the console really starts.
A scenario that loaded cleanly before (the same bytes, the same code) comes from the load cache
(`krise_ovelse.cache`); `validate` and `lint` always load in full.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import click

from krise_ovelse.cli.base import (
    ENV_LANG,
    EXIT_OK,
    EXIT_USAGE,
    LANGS,
    db_option,
    exit_with_problems,
    main,
    user_lang,
)
from krise_ovelse.startup import collection_paused

VIEWS = ("facilitator", "team")
AUTO_PAUSE = ("auto", "on", "off")


def _default_lang() -> str:
    return user_lang(None)


def resolve_scenario(name: str) -> Path | None:
    """A path as given if it exists, else a shipped scenario by id (`paths.resolve_scenario_arg`,
    as every command resolves it); None if neither exists."""
    from krise_ovelse.paths import resolve_scenario_arg

    path = resolve_scenario_arg(name)
    return path if path.exists() else None


def load_or_exit(name: str) -> Any:
    """The scenario for play, or its problems on stderr and exit 1/2 (never a traceback)."""
    from krise_ovelse.authoring.cached import load_scenario_cached
    from krise_ovelse.tui.loaded import LoadedScenario

    path = resolve_scenario(name)
    if path is None:
        click.echo(f"{name}: E-READ-MISSING no such file or shipped scenario (give a path to a .yaml file, "
                   "or the id of a shipped scenario such as `maratonet`)", err=True)
        sys.exit(EXIT_USAGE)
    if path.is_dir():
        click.echo(f"{path}: E-READ-DIR is a directory (give a scenario file)", err=True)
        sys.exit(EXIT_USAGE)
    result = load_scenario_cached(path)  # in full unless these bytes loaded cleanly before
    if result.scenario is None or result.text is None:
        exit_with_problems(result.problems)
    return LoadedScenario(result.scenario, result.text, str(path))


def check_session_or_exit(session: str, db: str | None) -> str:
    """The full id of a stored session, or the store's message and its exit code."""
    from krise_ovelse.store.backend import open_store
    from krise_ovelse.store.errors import StoreError

    try:
        store = open_store(db, reading=True)
        try:
            return store.resolve(session)
        finally:
            store.close()
    except StoreError as error:
        click.echo(error.render(), err=True)
        sys.exit(error.exit_code)


def run_console(**kwargs: Any) -> None:
    """Build the app and run it (the UI starts here).

    The app is built with the cyclic garbage collector paused (`collection_paused`), and
    `KriseApp.run` keeps it paused until the first frame, then freezes what exists out of later
    collections: starting allocates a great deal that lives as long as the console.
    """
    with collection_paused():
        from krise_ovelse.tui.app import make_app

        app = make_app(**kwargs)
    app.run()
    note = app.exit_note()
    if note:  # after the screen is restored: the session's id and how to go on
        click.echo(note)


def start_console(lang: str | None = None, db: str | None = None) -> None:
    """`krise-ovelse` with no command: the start screen."""
    run_console(lang=lang or _default_lang(), db=db)


@main.command("play")
@click.argument("scenario", required=False)
@click.option("--team", default="", help="The team's name (can also be typed in the briefing).")
@click.option("--lang", type=click.Choice(LANGS), default=None, help="Language of the console (default nb).")
@click.option("--view", type=click.Choice(VIEWS), default="facilitator", show_default=True,
              help="facilitator: dreiebok, notes and controls; team: only what the players may see.")
@click.option("--session", "session_id", default=None, metavar="ID",
              help="Continue this stored session (with --view team: follow it read-only in a second window).")
@click.option("--auto-pause", type=click.Choice(AUTO_PAUSE), default="auto", show_default=True,
              help="Pause the clock when a decision opens: auto (at speeds above ×1), on, off.")
@click.option("--bell", is_flag=True, help="Ring the terminal bell with each alert (inject, decision, deadline).")
@click.option("--warn-before", type=click.FloatRange(0, 3600), default=60.0, show_default=True, metavar="SECONDS",
              help="Warn this many real seconds before a decision's deadline (0: no warning).")
@click.option("--decide-first", is_flag=True,
              help="Decide first, see the options after: the team writes each decision in its own words and "
                   "the facilitator or an evaluator maps it (the briefing's checkbox starts ticked).")
@db_option
def play_cmd(scenario: str | None, team: str, lang: str | None, view: str, session_id: str | None,
             auto_pause: str, bell: bool, warn_before: float, decide_first: bool, db: str | None) -> None:
    """Play SCENARIO (a file or a shipped scenario id such as `maratonet`): opens the briefing.

    With --session ID the stored session is opened instead: resumed by the facilitator, or
    followed read-only with --view team (a second window for the team on the same live session).
    A stored session keeps the mode it was started with (--decide-first or not).
    """
    if scenario is None and session_id is None:
        click.echo("error: give a SCENARIO (file or shipped id) or --session ID", err=True)
        sys.exit(EXIT_USAGE)
    with collection_paused():  # loading builds long-lived objects too (see run_console)
        loaded = load_or_exit(scenario) if scenario is not None else None
        full_id = check_session_or_exit(session_id, db) if session_id is not None else None
    if decide_first and full_id is not None:
        click.echo("error: --decide-first is chosen when an exercise starts; a stored session keeps its mode",
                   err=True)
        sys.exit(EXIT_USAGE)
    run_console(scenario=loaded, lang=lang or _default_lang(), view=view, team=team, session=full_id, db=db,
                auto_pause=auto_pause, bell=bell, warn_before=warn_before, decide_first=decide_first)
    sys.exit(EXIT_OK)


def serve_command(scenario: str | None, view: str, session_id: str | None, lang: str | None,
                  db: str | None) -> str:
    """The shell command textual-serve runs for each browser tab.

    The database and the language go to the child in the environment (`KRISE_OVELSE_DB`,
    `KRISE_OVELSE_LANG`): the bare command (the start screen) takes no options.
    """
    args = [sys.executable, "-m", "krise_ovelse"]
    if scenario is not None or session_id is not None:
        args.append("play")
        if scenario is not None:
            args.append(str(resolve_scenario(scenario)))
        args += ["--view", view]
        if session_id is not None:
            args += ["--session", session_id]
    env = []
    if db:
        env.append(f"KRISE_OVELSE_DB={shlex.quote(str(Path(db).expanduser().absolute()))}")
    if lang:
        env.append(f"{ENV_LANG}={lang}")
    return " ".join([*env, *(shlex.quote(a) for a in args)])


@main.command("serve")
@click.argument("scenario", required=False)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (localhost only unless you say otherwise).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--lang", type=click.Choice(LANGS), default=None, help="Language of the console (default nb).")
@click.option("--view", type=click.Choice(VIEWS), default="facilitator", show_default=True)
@click.option("--session", "session_id", default=None, metavar="ID", help="Open this stored session.")
@db_option
def serve_cmd(scenario: str | None, host: str, port: int, lang: str | None, view: str,
              session_id: str | None, db: str | None) -> None:
    """Serve the console in a web browser (textual-serve), for hybrid exercises.

    Each browser tab runs its own console. Without SCENARIO it opens the start screen. The
    command prints a link with a token made for this run: only a browser with the link gets a
    console, and only from a page of this server (see docs/security.md). Listens on 127.0.0.1
    unless --host says otherwise.
    """
    try:
        import textual_serve.server  # noqa: F401 - only to say what to install
    except ImportError:
        click.echo("error: serving in a browser needs textual-serve, which is not installed\n"
                   "  hint: pip install 'krise-ovelse[serve]'", err=True)
        sys.exit(EXIT_USAGE)
    from krise_ovelse.cli.serving import GuardedServer, exposure_warning

    if scenario is not None:
        load_or_exit(scenario)
    full_id = check_session_or_exit(session_id, db) if session_id is not None else None
    command = serve_command(scenario, view, full_id, lang, db)
    server = GuardedServer(command, host=host, port=port, title="krise-øvelse")
    warning = exposure_warning(host, port)
    if warning:
        click.echo(warning, err=True)
    click.echo(f"serving the console at {server.url()}  (ctrl+c to stop)", err=True)
    server.serve()
