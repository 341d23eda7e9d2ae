"""`krise-ovelse run SCENARIO [--play PLAYTHROUGH] [--seed N] [--json]`: play a scenario headless."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from krise_ovelse.cli.base import (
    EXIT_OK,
    EXIT_USAGE,
    db_option,
    lang_option,
    main,
    user_lang,
)
from krise_ovelse.cli.loading import playthrough_or_exit, scenario_or_exit


@main.command("run")
@click.argument("scenario", metavar="SCENARIO")
@click.option("--play", "play", metavar="PLAYTHROUGH", help="A playthrough file scripting the team's choices.")
@click.option("--seed", type=int, default=None, help="Seed of the session (default: the playthrough's, else 0).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@db_option
@click.option("--no-store", is_flag=True, help="Do not record the run as a stored session.")
@click.option("--decide-first", is_flag=True,
              help="Play decide-first: the team writes its decisions, a facilitator maps them (else as the "
                   "playthrough says).")
@lang_option("the timeline and the ratings")
def run(scenario: str, play: str | None, seed: int | None, as_json: bool, db: str | None, no_store: bool,
        decide_first: bool, lang: str | None) -> None:
    """Play SCENARIO from start to end without a screen, in facilitator-paced mode.

    Scripted decisions and facilitator actions come from --play; decisions it leaves out get
    their defaults at the deadline. Prints the timeline (or JSON). The run is recorded as a
    stored session (its id is printed; `--no-store` opts out), each command committed as it is
    played, so `krise-ovelse resume ID --play PLAYTHROUGH` finishes a run that was killed.
    Exit 0 when the run completed, 1 when the scenario or playthrough has problems, 2 when a
    file cannot be read.
    """
    try:
        _run(scenario, play, seed, as_json, None if no_store else db or "", user_lang(lang), decide_first)
    except (SystemExit, KeyboardInterrupt):
        raise
    except BrokenPipeError:
        from krise_ovelse.cli.session_cmds import stop_on_broken_pipe

        stop_on_broken_pipe()
    except Exception as exc:  # never a traceback for a user: say what failed and stop
        click.echo(f"krise-ovelse run: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def _run(scenario_path: str, play: str | None, seed: int | None, as_json: bool, db: str | None, lang: str,
         decide_first: bool = False) -> None:
    """`db` is None for an unstored run, "" for the default database, else its path."""
    from krise_ovelse.scripted.headless import format_timeline, run_headless

    loaded = scenario_or_exit(scenario_path)
    playthrough = None if play is None else playthrough_or_exit(play, loaded.scenario)
    session_id = None
    if db is None:
        result = run_headless(loaded.scenario, playthrough, seed, decide_first=decide_first)
    else:
        session_id, result = _run_stored(loaded.scenario, loaded.text, playthrough, seed, db, decide_first)
    for warning in result.warnings:
        click.echo(warning.render(), err=True)
    from krise_ovelse.scoring.adapter import run_json_sections

    scoring = run_json_sections(loaded.scenario, result.events)  # ratings + the record they rest on
    if as_json:
        payload = {"session_id": session_id} | result.to_dict() | scoring
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        from krise_ovelse.messages import text
        from krise_ovelse.scoring import format_ratings, result_from_dict

        click.echo(format_timeline(result, lang), nl=False)
        click.echo("\n" + format_ratings(result_from_dict(scoring["scoring"]), lang))
        if session_id is not None:
            click.echo("\n" + text(lang, "run.session", id=session_id))
    sys.exit(EXIT_OK)


def _run_stored(scenario: Any, text: str, playthrough: Any, seed: int | None, db: str,
                decide_first: bool = False) -> tuple[str, Any]:
    from krise_ovelse.store.backend import open_store
    from krise_ovelse.store.engine_bridge import run_headless_stored
    from krise_ovelse.store.errors import StoreError

    try:
        store = open_store(db or None)
        try:
            return run_headless_stored(store, scenario, text, playthrough, seed, decide_first=decide_first)
        finally:
            store.close()
    except StoreError as exc:
        click.echo(exc.render(), err=True)
        sys.exit(exc.exit_code)
