"""`krise-ovelse db …` (the PostgreSQL schema) and `krise-ovelse national …` (a national exercise).

See docs/national-exercise.md. Every command takes `--db postgresql://…` (or KRISE_OVELSE_DB);
problems are one line `error: … hint: …` with exit 2 for unusable input, 1 for problems in a file.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from krise_ovelse.cli.base import EXIT_OK, EXIT_USAGE, exit_with_problems, lang_option, main, user_lang
from krise_ovelse.store.errors import StoreError

PG_DB_HELP = "PostgreSQL URL postgresql://USER:PASSWORD@HOST/DB (default: $KRISE_OVELSE_DB)."


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except StoreError as error:
        click.echo(error.render(), err=True)
        sys.exit(error.exit_code)


def _url(db: str | None) -> str:
    from krise_ovelse.store.backend import is_url, resolve_target

    target = resolve_target(db)
    if not is_url(target):
        raise StoreError(f"{target} is not a PostgreSQL URL; a national exercise needs a shared server",
                         EXIT_USAGE, "pass --db postgresql://USER:PASSWORD@HOST/DB or set KRISE_OVELSE_DB")
    return str(target)


@main.group("db")
def db_group() -> None:
    """Create or upgrade the tables of a PostgreSQL session store (the SQLite file upgrades itself)."""


@db_group.command("migrate")
@click.option("--db", "db", metavar="URL", default=None, help=PG_DB_HELP)
def migrate_cmd(db: str | None) -> None:
    """Create krise-øvelse's tables in the database, or upgrade them to this version.

    Run it once as the database owner before the first exercise and after upgrading krise-øvelse;
    consoles never change the schema. Running it again changes nothing."""
    from krise_ovelse.store.backend import display_target
    from krise_ovelse.store.pg import open_connection
    from krise_ovelse.store.pg_schema import migrate

    with _errors():
        url = _url(db)
        conn = open_connection(url, display_target(url))
        try:
            before, after = migrate(conn, display_target(url))
        except Exception as exc:
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"cannot create the tables in {display_target(url)}: {' '.join(str(exc).split())}",
                             EXIT_USAGE, "run it as the owner of the database") from None
        finally:
            conn.close()
    click.echo(f"schema version {before} → {after} in {display_target(url)}"
               + (" (already up to date)" if before == after else ""))


@main.group("national")
def national_group() -> None:
    """A national exercise on a shared PostgreSQL store: set it up, run the control cell, follow it."""


def _load_scenario(path: str) -> tuple[Any, str]:
    from krise_ovelse.authoring import load_scenario

    result = load_scenario(Path(path))
    if result.scenario is None or result.text is None:
        exit_with_problems(result.problems)
    return result.scenario, result.text


@national_group.command("setup")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("participants", type=click.Path(dir_okay=False))
@click.option("--credentials", type=click.Path(dir_okay=False), required=True,
              help="New file for each writer's connection URL (only you can read it).")
@click.option("--db", "db", metavar="URL", default=None, help=PG_DB_HELP)
def setup_cmd(scenario: str, participants: str, credentials: str, db: str | None) -> None:
    """Create the exercise in PARTICIPANTS for SCENARIO: its streams and one database role per writer.

    Run as the database owner (it creates roles). Each organisation, evaluator and the control
    cell get a login role that may append only to its own stream (the server enforces it); their
    connection URLs are written to the --credentials file. Give each its own line."""
    from krise_ovelse.national.setup import create_exercise, create_roles, read_setup, write_credentials
    from krise_ovelse.store.pg import PgStore

    setup, problems = read_setup(Path(participants))
    if setup is None:
        exit_with_problems(problems)
    loaded, text = _load_scenario(scenario)
    with _errors():
        url = _url(db)
        if Path(credentials).exists() or Path(credentials).is_symlink():
            raise StoreError(f"{credentials} exists; the credentials are written to a new file only", EXIT_USAGE)
        with PgStore(url) as store:
            create_exercise(store, setup, loaded, text)
            creds = create_roles(store, setup, base_url=url)
        write_credentials(Path(credentials), creds)
    click.echo(f"exercise {setup.exercise}: control cell, {len(setup.organisations)} organisation(s), "
               f"{len(setup.evaluators)} evaluator(s); connection URLs in {credentials}")


@national_group.command("status")
@click.argument("exercise")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.option("--db", "db", metavar="URL", default=None, help=PG_DB_HELP)
def status_cmd(exercise: str, as_json: bool, db: str | None) -> None:
    """Every organisation at a glance: connected, decisions open/decided/lapsed, last activity, evaluators."""
    import attrs

    from krise_ovelse.national.control import exercise_status
    from krise_ovelse.national.setup import load_setup
    from krise_ovelse.store.pg import PgStore

    with _errors(), PgStore(_url(db), readonly=True) as store:
        rows = exercise_status(store, load_setup(store, exercise))
    if as_json:
        click.echo(json.dumps([attrs.asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    click.echo(f"{'ORGANISATION':<16} {'CONNECTED':<9} {'BEHIND':>6} {'MIN':>6} {'OPEN':>4} {'DECIDED':>7} "
               f"{'LAPSED':>6} {'EVAL':>5} {'OBS':>4} {'MARKS':>5} {'RATED':>5}  LAST")
    for r in rows:
        click.echo(f"{r.org_id:<16} {'yes' if r.connected else 'no':<9} {r.behind:>6} {r.minute:>6} "
                   f"{r.decisions_open:>4} {r.decided:>7} {r.lapsed:>6} {f'{r.evaluators_active}/{r.evaluators}':>5} "
                   f"{r.observations:>4} {r.task_marks:>5} {r.ratings:>5}  "
                   f"{r.last_activity or '-'}")


@national_group.command("control")
@click.argument("exercise")
@click.option("--release", "release", metavar="INJECT", default=None, help="Release an inject.")
@click.option("--to", "to", metavar="ORG,ORG", default="", help="Only to these organisations (default: all).")
@click.option("--pause", is_flag=True, help="Pause the clock for everyone.")
@click.option("--resume", is_flag=True, help="Start or resume the clock for everyone.")
@click.option("--speed", type=click.FloatRange(0.25, 32), default=None, help="Set everyone's speed.")
@click.option("--advance-to", "advance_to", type=click.IntRange(min=0), default=None, metavar="MINUTE",
              help="Move everyone's clock to this scenario minute.")
@click.option("--phase", default=None, help="Jump everyone to this phase.")
@click.option("--endex", is_flag=True, help="End the exercise for everyone.")
@click.option("--run", "run_seconds", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="Then keep the clock running in real time for SECONDS (0: until ENDEX or Ctrl-C).")
@click.option("--db", "db", metavar="URL", default=None, help=PG_DB_HELP)
def control_cmd(exercise: str, release: str | None, to: str, pause: bool, resume: bool, speed: float | None,
                advance_to: int | None, phase: str | None, endex: bool, run_seconds: float | None,
                db: str | None) -> None:
    """Act as the control cell (øvingsledelse) of EXERCISE: one control cell at a time.

    Takes the control cell's lease (refused while another control cell runs; freed by the server
    when one crashes), applies the options in the order listed, and with --run keeps the clock
    running: scenario time is written to the control stream as it passes."""
    from krise_ovelse.national.control import ControlCell

    targets = [t.strip() for t in to.split(",") if t.strip()]
    with _errors():
        cell = ControlCell.open(_url(db), exercise)
        try:
            if release:
                cell.release(release, targets)
            if pause:
                cell.pause()
            if resume:
                cell.resume()
            if speed is not None:
                cell.set_speed(speed)
            if advance_to is not None:
                cell.advance_to(advance_to)
            if phase:
                cell.jump_to_phase(phase)
            if endex:
                cell.endex()
            if run_seconds is not None:
                _run_clock(cell, run_seconds)
            state = cell.state
        finally:
            cell.close()
    click.echo(f"exercise {exercise}: minute {state.minute}, "
               f"{'ended' if state.ended else 'running' if state.running else 'paused'}, speed ×{state.speed:g}")


def _run_clock(cell: Any, seconds: float) -> None:
    start = last = time.monotonic()
    try:
        while not cell.state.ended and (seconds == 0 or time.monotonic() - start < seconds):
            time.sleep(0.5)
            now = time.monotonic()
            cell.tick(now - last)
            last = now
    except KeyboardInterrupt:
        pass


@national_group.command("follow")
@click.argument("exercise")
@click.argument("organisation")
@click.option("--seconds", type=click.FloatRange(min=0), default=0, help="Stop after SECONDS (0: at ENDEX).")
@lang_option("the lines")
@click.option("--db", "db", metavar="URL", default=None, help=PG_DB_HELP)
def follow_cmd(exercise: str, organisation: str, seconds: float, lang: str | None, db: str | None) -> None:
    """Keep ORGANISATION's stream in step with the control cell and print what arrives.

    The organisation's client without the console: it claims the stream, applies every control
    event after the position it has applied, and waits on the exercise's notification channel.
    Each event is printed as `replay` prints it: seq, scenario time and its description."""
    from krise_ovelse.describe import describe
    from krise_ovelse.model.timefmt import format_time
    from krise_ovelse.national.org import OrgClient

    lang = user_lang(lang)
    with _errors():
        client = OrgClient(_url(db), exercise, organisation)
        start = time.monotonic()
        try:
            seen = len(client.engine.events)
            while seconds == 0 or time.monotonic() - start < seconds:
                client.wait_and_sync(1.0)
                for event in list(client.engine.events)[seen:]:
                    click.echo(f"{event.seq:>5} {format_time(event.scenario_minutes):>11}  "
                               f"{describe(event, client.live.scenario, lang, width=100)}")
                seen = len(client.engine.events)
                if client.state.ended:
                    break
        except KeyboardInterrupt:
            pass
        finally:
            client.close()
    sys.exit(EXIT_OK)


@national_group.command("evaluate")
@click.argument("exercise")
@click.argument("evaluator")
@click.option("--mark", "marks", multiple=True, metavar="CRITERION.TASK=STATUS",
              help="Mark a critical task: observed, partly, not_observed or not_applicable (repeatable).")
@click.option("--observe", default=None, metavar="TEXT", help="Record an observation.")
@click.option("--criteria", default="", metavar="ID,ID", help="The criteria the observation concerns.")
@click.option("--level", default=None, metavar="P|S|M|U|N/O", help="The observation's level (needs --criteria).")
@click.option("--why", default="", help="Why the observation has that level.")
@click.option("--reasoning", default=None, metavar="DECISION=LEVEL", help="Rate the reasoning behind a decision.")
@click.option("--rate", "rate", default=None, metavar="CRITERION=LEVEL", help="Rate a criterion.")
@click.option("--reconcile", default=None, metavar="CRITERION=LEVEL",
              help="The lead evaluator's reconciled rating (needs --reason).")
@click.option("--note", default="", help="The note of --mark or --reasoning.")
@click.option("--reason", default="", help="The reason of --rate or --reconcile.")
@lang_option("the lines")
@click.option("--db", "db", metavar="URL", default=None, help=PG_DB_HELP)
def evaluate_cmd(exercise: str, evaluator: str, marks: tuple[str, ...], observe: str | None, criteria: str,
                 level: str | None, why: str, reasoning: str | None, rate: str | None, reconcile: str | None,
                 note: str, reason: str, lang: str | None, db: str | None) -> None:
    """Record EVALUATOR's judgements of its organisation in EXERCISE from the command line.

    For scripts and rehearsals; evaluators work in the console: `krise-ovelse play --session
    EXERCISE_eval_EVALUATOR --db URL`. Each judgement is checked against the organisation's state
    as it is now (bad input is refused with a code, exit 2, nothing stored for it) and stored in
    the evaluator's own stream, in the order: --mark, --observe, --reasoning, --rate, --reconcile.
    Without any of them: what the evaluator has recorded so far. Each judgement is printed as
    `replay` describes it."""
    from krise_ovelse.describe import describe
    from krise_ovelse.engine.refusal import CommandRefused
    from krise_ovelse.model.timefmt import format_time
    from krise_ovelse.national.evaluator import EvaluatorClient

    lang = user_lang(lang)

    def pair(value: str, option: str) -> tuple[str, str]:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip() or not rest.strip():
            raise click.UsageError(f"{option} takes KEY=VALUE, not {value!r}")
        return key.strip(), rest.strip()

    tasks = []
    for mark in marks:
        target, status = pair(mark, "--mark")
        criterion, dot, number = target.rpartition(".")
        if not dot or not number.isdigit():
            raise click.UsageError(f"--mark takes CRITERION.TASK=STATUS (KH-2.1=observed), not {mark!r}")
        tasks.append((criterion, int(number), status))
    def marker(criterion: str, number: int, status: str) -> Callable[[Any], None]:
        return lambda cl: cl.mark(criterion, number, status, note=note)

    steps: list[Callable[[Any], None]] = [marker(c, n, st) for c, n, st in tasks]
    if observe is not None:
        names = [c.strip() for c in criteria.split(",") if c.strip()]
        steps.append(lambda cl: cl.observe(observe, names, level=level, why=why))
    if reasoning is not None:
        decision, rated = pair(reasoning, "--reasoning")
        steps.append(lambda cl: cl.rate_reasoning(decision, rated, note))
    if rate is not None:
        criterion_id, rated_level = pair(rate, "--rate")
        steps.append(lambda cl: cl.rate(criterion_id, rated_level, reason))
    if reconcile is not None:
        reconciled, reconciled_level = pair(reconcile, "--reconcile")
        steps.append(lambda cl: cl.reconcile(reconciled, reconciled_level, reason))
    with _errors():
        client = EvaluatorClient(_url(db), exercise, evaluator)
        try:
            for step in steps:
                try:
                    step(client)
                except CommandRefused as refusal:
                    click.echo(f"error: refused ({refusal.code}): {refusal.reason}", err=True)
                    sys.exit(EXIT_USAGE)
                click.echo(f"{evaluator}: {describe(client.engine.events[-1], client.scenario, lang, width=100)}")
            if not steps:
                mine = [e for e in client.engine.events if getattr(e, "by", getattr(e, "author", None)) == evaluator]
                click.echo(f"{evaluator} evaluates {client.org.id} ({client.org.name}) in exercise {exercise}; "
                           f"scenario minute {client.state.scenario_minutes}"
                           + (", ended" if client.state.ended else "") + f"; {len(mine)} record(s) so far")
                for event in mine:
                    click.echo(f"{format_time(event.scenario_minutes):>11}  "
                               f"{describe(event, client.scenario, lang, width=100)}")
        finally:
            client.close()


@national_group.command("import")
@click.argument("exercise")
@click.argument("organisation")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--db", "db", metavar="URL", default=None, help=PG_DB_HELP)
@click.option("--verify", is_flag=True, help="Require a signature from a trusted key (export --sign).")
def import_cmd(exercise: str, organisation: str, file: str, db: str | None, verify: bool) -> None:
    """Put the session ORGANISATION played offline (an export FILE) into its stream of EXERCISE.

    The export is verified (a signature from a trusted key too with --verify); it must be of the
    exercise's scenario, its events must fold, and the
    organisation's stream must still be empty (a conflict is refused, exit 1)."""
    from krise_ovelse.national.offline import import_offline
    from krise_ovelse.national.setup import load_setup
    from krise_ovelse.store.pg import PgStore

    with _errors(), PgStore(_url(db)) as store:
        count = import_offline(store, load_setup(store, exercise), organisation, Path(file), verify=verify)
    click.echo(f"{organisation}: {count} events imported into exercise {exercise}")


@national_group.command("console")
@click.argument("exercise")
@click.option("--lang", type=click.Choice(("nb", "en")), default=None, help="Language of the screen (default: nb).")
@click.option("--db", "db", metavar="URL", default=None, help=PG_DB_HELP)
def console_cmd(exercise: str, lang: str | None, db: str | None) -> None:
    """The control cell's screen: every organisation at a glance, the clock, releases, ENDEX.

    Holds the control cell's lease while it is open (a second control cell is refused; after a
    crash the next one takes over from the control stream). Keys: space pause/resume, + and -
    speed, r release an inject (to all, or `i04 nav,dsb`), f next phase, e twice ENDEX, q quit."""
    from krise_ovelse.national.control import ControlCell
    from krise_ovelse.tui.i18n import set_language

    set_language(user_lang(lang))
    from krise_ovelse.tui.screens.control import ControlApp

    with _errors():
        cell = ControlCell.open(_url(db), exercise)
    try:
        ControlApp(cell).run()
    finally:
        cell.close()


@national_group.command("report")
@click.argument("exercise")
@click.option("-o", "--output", "output", default="-", metavar="FILE",
              help="Where to write the report: .md, .html, .docx, or .xlsx (the action plans and the ratings "
                   "as a workbook); '-' (the default) writes Markdown to standard output.")
@click.option("--format", "fmt", type=click.Choice(("md", "html", "docx", "xlsx")), default=None,
              help="md, html, docx or xlsx, whatever the extension of -o.")
@click.option("--lang", type=click.Choice(("nb", "en")), default=None, help="Language (default: nb).")
@click.option("--classification", metavar="TEXT", default="",
              help="Classification line at the top and bottom, e.g. \"Unntatt offentlighet, offl. § 13\".")
@click.option("--db", "db", metavar="URL", default=None, help=PG_DB_HELP)
def report_cmd(exercise: str, output: str, fmt: str | None, lang: str | None, classification: str,
               db: str | None) -> None:
    """The national report: ratings per criterion across organisations (table and chart), common
    strengths and areas for improvement, what the exercise adds to the knowledge base, and a
    chapter with ratings and action plan per organisation. Markdown, HTML or Word by the
    extension of -o; .xlsx writes every action plan and the ratings as a workbook. Run by the
    control cell or the database owner (they may read the evaluators' streams)."""
    from krise_ovelse.cli.loading import write_output
    from krise_ovelse.cli.report_cmd import ReportInputError, format_for
    from krise_ovelse.national.gather import chapters
    from krise_ovelse.national.setup import load_setup
    from krise_ovelse.report.national import build_national_view, render_national_bytes
    from krise_ovelse.store.pg import PgStore

    with _errors():
        try:
            chosen = format_for(output, fmt)
        except ReportInputError as error:
            raise StoreError(error.message, error.exit_code, error.hint) from None
        if chosen in ("docx", "xlsx") and output == "-":
            raise StoreError(f"--format {chosen} writes a file", EXIT_USAGE, f"give -o FILE.{chosen}")
        with PgStore(_url(db), readonly=True) as store:
            setup = load_setup(store, exercise)
            _refuse_organisation_role(store.user, setup)
            try:
                view = build_national_view(exercise, setup.title, chapters(store, setup), user_lang(lang),
                                           evaluators=len(setup.evaluators), classification=classification)
                content = render_national_bytes(view, chosen)
            except StoreError:
                raise
            except Exception as exc:  # a bug, not bad input: still no traceback in front of the control cell
                if os.environ.get("KRISE_OVELSE_DEBUG"):
                    raise
                raise StoreError(f"internal error: {type(exc).__name__}: {exc}", EXIT_USAGE,
                                 "set KRISE_OVELSE_DEBUG=1 for the details and report it") from None
    write_output(output, content.decode("utf-8") if chosen in ("md", "html") else content)


def _refuse_organisation_role(user: str, setup: Any) -> None:
    """An organisation's role may not read the evaluators' streams (the server hides them), so a
    report made with it would quietly lack every evaluator's ratings: refused instead."""
    from krise_ovelse.national.setup import org_stream, role_name

    for org in setup.organisations:
        if user.lower() == role_name(setup.exercise, org_stream(org.id)).lower():
            raise StoreError(f"{user} is organisation {org.id}'s role: it cannot read the evaluators' streams, so "
                             "the report would lack their ratings", EXIT_USAGE,
                             "run it with the control cell's URL (the 'control' line of the credentials file) "
                             "or as the owner of the database")
