"""Session commands: sessions, resume, replay, branch, compare, export, import, rescore.

Every command takes `--db PATH`; without it `$KRISE_OVELSE_DB`, then the user data directory
(see `krise_ovelse.store.location`). A StoreError becomes its message on stderr and its exit
code (1 problems found, 2 usage/unreadable); no command prints a traceback for bad input.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import click

from krise_ovelse.cli.base import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, db_option, lang_option, main, user_lang
from krise_ovelse.messages import Messages
from krise_ovelse.store.backend import Store, display_target, resolve_target
from krise_ovelse.store.backend import open_store as open_backend
from krise_ovelse.store.db import NoDatabase
from krise_ovelse.store.errors import StoreError
from krise_ovelse.store.session_rows import SessionInfo

F = TypeVar("F", bound=Callable[..., Any])


def fail(error: StoreError) -> NoReturn:
    click.echo(error.render(), err=True)
    sys.exit(error.exit_code)


@contextmanager
def store_errors() -> Iterator[None]:
    """Turn a StoreError into its message and exit code."""
    try:
        yield
    except StoreError as error:
        fail(error)


def stop_on_broken_pipe() -> NoReturn:
    """The reader of our output went away (`krise-ovelse … | head`): stop quietly, as other
    command-line tools do, instead of reporting an internal error."""
    with contextlib.suppress(OSError, ValueError):  # no more flushing into the closed pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(EXIT_OK)


def open_store(db: str | None, *, reading: bool = False) -> Store:
    with store_errors():
        store = open_backend(db, reading=reading)
    if store.immutable:
        click.echo(immutable_note(store.location), err=True)
    return store


def immutable_note(path: os.PathLike[str] | str) -> str:
    """What a command says when it reads a database on read-only media (see SessionStore)."""
    wal = os.path.exists(f"{path}-wal")
    return (f"note: {path} is on read-only media; it was opened read-only as an unchanging file"
            + (" (changes still in its -wal file are not shown)" if wal else ""))


def with_store(reading: bool) -> Callable[[F], F]:
    """Open the store for the command (its first argument) and close it afterwards."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, db: str | None = None, **kwargs: Any) -> Any:
            store = open_store(db, reading=reading)
            try:
                with store_errors():
                    return func(store, *args, **kwargs)
            except (SystemExit, KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
                raise
            except BrokenPipeError:
                stop_on_broken_pipe()
            except Exception as exc:
                if os.environ.get("KRISE_OVELSE_DEBUG"):
                    raise
                # A bug, not bad input; still no traceback for the facilitator at the venue.
                click.echo(f"krise-ovelse: internal error: {type(exc).__name__}: {exc}\n"
                           "  hint: stored events are never changed by a failed command; set KRISE_OVELSE_DEBUG=1 for "
                           "the details and report it", err=True)
                sys.exit(EXIT_USAGE)
            finally:
                store.close()

        return db_option(wrapper)  # type: ignore[return-value]

    return decorate


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _short_time(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ")


def _index(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def session_table(sessions: list[SessionInfo]) -> str:
    header = ("ID", "SCENARIO", "TEAM", "STARTED", "STATUS", "EVENTS", "INDEX")
    rows = [header] + [
        (s.id, s.scenario_id, s.team or "-", _short_time(s.started),
         s.effective_status + (f" (what-if of {s.parent_id})" if s.parent_id else ""),
         str(s.last_seq), _index(s.score_index))
        for s in sessions
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
        for row in rows
    )


@main.command("sessions")
@click.option("--json", "as_json", is_flag=True, help="Print the sessions as JSON.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show only the newest N.")
@db_option
def sessions_cmd(as_json: bool, limit: int | None, db: str | None) -> None:
    """List the stored sessions, newest first: id, scenario, team, start, status, index.

    A session whose program stopped without closing it (a crash, a power cut) is listed as
    `interrupted`; continue it with `krise-ovelse resume ID`.
    """
    path = display_target(resolve_target(db))
    try:
        store = open_backend(db, reading=True)
        if store.immutable:
            click.echo(immutable_note(store.location), err=True)
    except NoDatabase:
        if as_json:
            echo_json({"db": str(path), "sessions": []})
        else:
            click.echo(f"No sessions yet (database: {path}).")
        sys.exit(EXIT_OK)
    except StoreError as error:
        fail(error)
    with store_errors():
        try:
            found = store.list_sessions(limit)
        finally:
            store.close()
    if as_json:
        echo_json({"db": str(path), "sessions": [s.to_dict() for s in found]})
    elif not found:
        click.echo(f"No sessions yet (database: {path}).")
    else:
        click.echo(session_table(found))
        click.echo(f"{len(found)} session(s) in {path}", err=True)


@main.command("export")
@click.argument("session")
@click.option("-o", "--output", "output", required=True, metavar="FILE.jsonl",
              help="File to write ('-' for standard output).")
@click.option("--sign", is_flag=True, help="Sign the export with your key (see `krise-ovelse keys`).")
@click.option("--key", "key_name", default="default", show_default=True, metavar="NAME",
              help="The signing key to use with --sign.")
@with_store(reading=True)
def export_cmd(store: Store, session: str, output: str, sign: bool, key_name: str) -> None:
    """Write a session (scenario text, details and every event) to a JSON Lines file.

    The file can be imported on another machine with `krise-ovelse import`; hashes in its
    first line make accidental changes visible, and --sign adds an Ed25519 signature that
    shows who made it (`import --verify` checks it against the keys you trust).
    """
    from krise_ovelse.store.exchange import export_session, export_to_path

    session_id = store.resolve(session)
    sign_with = key_name if sign else None
    if output == "-":  # `export_lines` escapes controls; the stream neutralises the rest
        export_session(store, session_id, sys.stdout, sign_with)
        return
    count = export_to_path(store, session_id, output, sign_with)
    signed = f", signed with key {key_name!r}" if sign else ""
    click.echo(f"exported session {session_id} ({count} events{signed}) to {output}", err=True)


@main.command("import")
@click.argument("file", metavar="FILE.jsonl")
@click.option("--new-id", is_flag=True,
              help="Store the session as a copy under a fresh id (when its id is already here).")
@click.option("--verify", is_flag=True,
              help="Accept only a file signed by a key you trust (`krise-ovelse keys trust`).")
@with_store(reading=False)
def import_cmd(store: Store, file: str, new_id: bool, verify: bool) -> None:
    """Import a session exported with `krise-ovelse export`.

    The file is checked first (format, version, the hashes, every line, a signature if it has
    one); then its scenario is loaded and its events are replayed over it, and every value
    shown later (team, status, ratings, index) is derived from them, not taken from the file.
    A damaged, edited or unreplayable file is refused with exit 1 and nothing is stored. The
    session keeps its id; importing it again is refused unless --new-id is given.
    """
    from krise_ovelse.store.importing import import_verified

    imported = import_verified(store, file, new_id=new_id, verify=verify)
    info = imported.info
    click.echo(info.id)
    click.echo(f"imported session {info.id} ({info.last_seq} events, {info.status})", err=True)
    if imported.signer is None:
        click.echo("note: the file is not signed; its hashes show accidental damage, not who made it "
                   "(see docs/security.md)", err=True)
    elif imported.trusted:
        click.echo(f"signed by {imported.signer!r} (a trusted key, fingerprint {imported.key_id})", err=True)
    else:
        click.echo(f"note: signed by a key you do not trust ({imported.signer!r}, fingerprint "
                   f"{imported.key_id}); the file is unchanged since it was signed, but by whom is unconfirmed",
                   err=True)


def _time(minutes: Any) -> str:
    from krise_ovelse.model.timefmt import format_time

    return format_time(int(minutes)) if isinstance(minutes, int | float) else "?"


@main.command("resume")
@click.argument("session")
@click.option("--play", "play", metavar="PLAYTHROUGH",
              help="Finish an interrupted headless run with the playthrough it was started with.")
@click.option("--force", is_flag=True, help="Take the session over even if another live process "
              "on this machine has it open.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@with_store(reading=True)
def resume_cmd(store: Store, session: str, play: str | None, force: bool,
               as_json: bool) -> None:
    """Continue an interrupted session from its last committed event.

    Without --play: show where the session stands (scenario time, open decisions, last
    events) and how to continue it in the console (`krise-ovelse play --session ID`); nothing
    is changed. With --play PLAYTHROUGH: finish a headless run -- the playthrough is played
    again from the start (same seed, fixed clock), the stored events must be exactly its
    beginning, and the rest is committed command by command.
    """
    from krise_ovelse.store.engine_bridge import finish_headless, state_summary, stored_scenario

    sid = store.resolve(session)
    if play is None:
        summary = state_summary(store, sid)
        if as_json:
            echo_json(summary)
            return
        info = summary["session"]
        click.echo(f"Session {sid}: {info['title'] or info['scenario_id']} — team {info['team'] or '-'}")
        click.echo(f"  status {info['effective_status']}; {summary['events']} events stored; "
                   f"scenario time {summary['scenario_time']}, phase {summary['phase']}, "
                   f"clock {summary['clock']}")
        for item in summary["open_decisions"]:
            click.echo(f"  open decision {item['decision']} «{item['title']}» (deadline {item['deadline']})")
        if summary["decided"]:
            click.echo("  decided: " + ", ".join(f"{k} → {v}" for k, v in summary["decided"].items()))
        click.echo("  last events:")
        for line in summary["last"]:
            click.echo(f"    {line}")
        if info["status"] == "ended":
            click.echo(f"The session has ended. Replay it with `krise-ovelse replay {sid}`, or start "
                       f"a what-if with `krise-ovelse branch {sid} --at DECISION`.")
        else:
            click.echo(f"Continue it in the console:  krise-ovelse play --session {sid}")
            if info["mode"] == "headless" and not info["parent_id"]:
                # a run of `krise-ovelse run --play`: the same playthrough can finish it; a session
                # played in the console (or a what-if) has events no playthrough reproduces
                click.echo(f"Or finish the headless run:  krise-ovelse resume {sid} --play PLAYTHROUGH.yaml "
                           "(the playthrough it was started with)")
        return
    from krise_ovelse.cli.loading import playthrough_or_exit

    playthrough = playthrough_or_exit(play, stored_scenario(store, sid))
    before = store.last_seq(sid)
    result = finish_headless(store, sid, playthrough, force=force)
    for warning in result.warnings:
        click.echo(warning.render(), err=True)
    after = store.get(sid)
    if as_json:
        echo_json({"session": after.to_dict(), "resumed_from": before, "added": after.last_seq - before,
                   "ended": result.state.ended})
        return
    click.echo(f"session {sid}: resumed after event {before}, {after.last_seq - before} events "
               f"added; {after.status}")


@main.command("replay")
@click.argument("session")
@click.option("--json", "as_json", is_flag=True, help="Print the checks and the timeline as JSON.")
@click.option("--step", is_flag=True, help="Show one event at a time (any key: next, q: stop).")
@lang_option("the timeline")
@with_store(reading=True)
def replay_cmd(store: Store, session: str, as_json: bool, step: bool, lang: str | None) -> None:
    """Refold a stored session from its stored scenario and check it, then print its timeline.

    Checks that the scenario text still matches its hash, that the events fold over it, and
    that the final state matches the summary stored when the session was closed. Exit 0 when
    everything matches, 1 when something does not.
    """
    from krise_ovelse.describe import describe
    from krise_ovelse.messages import text
    from krise_ovelse.store.engine_bridge import replay_session

    lang = user_lang(lang)
    replay = replay_session(store, store.resolve(session))
    info = replay.info
    if as_json:
        echo_json({
            "session": info.to_dict(), "ok": replay.ok,
            "checks": [{"check": c.name, "ok": c.ok, "detail": c.detail} for c in replay.checks],
            "facts": replay.facts,
            "timeline": [{"seq": e["seq"], "time": _time(e.get("scenario_minutes")),
                          "kind": e["kind"], "description": describe(e, replay.scenario, lang),
                          "event": e} for e in replay.events],
        })
        sys.exit(EXIT_OK if replay.ok else EXIT_PROBLEMS)
    click.echo(text(lang, "cli.replay.header", id=info.id, title=info.title or info.scenario_id,
                    team=info.team or "-", status=text(lang, f"status.{info.effective_status}"),
                    events=len(replay.events)))
    paging = step and sys.stdin.isatty() and sys.stdout.isatty()
    for event in replay.events:
        click.echo(f"{_time(event.get('scenario_minutes')):>12}  #{event['seq']:<5} "
                   f"{describe(event, replay.scenario, lang, width=100)}")
        if paging:
            key = click.getchar()
            if key in ("q", "Q", "\x1b", "\x03"):
                break
    for check in replay.checks:
        mark = {True: "ok  ", False: "FAIL", None: "-   "}[check.ok]
        click.echo(f"{mark} {check.name}: {check.detail}", err=check.ok is False)
    if not replay.ok:
        click.echo(text(lang, "cli.replay.mismatch", id=info.id), err=True)
    sys.exit(EXIT_OK if replay.ok else EXIT_PROBLEMS)


@main.command("branch")
@click.argument("session")
@click.option("--at", "decision", required=True, metavar="DECISION",
              help="The decision point to take again (its id, e.g. d03).")
@with_store(reading=False)
def branch_cmd(store: Store, session: str, decision: str) -> None:
    """Start a what-if: a new session with SESSION's history up to (not including) the choice
    at DECISION. Prints the new session's id; continue it in the console with
    `krise-ovelse play --session ID`."""
    from krise_ovelse.store.engine_bridge import branch_session

    parent = store.resolve(session)
    info = branch_session(store, parent, decision)
    click.echo(info.id)
    click.echo(f"what-if session {info.id}: {info.last_seq} events of {parent} copied, up to "
               f"decision {decision}; continue it with `krise-ovelse play --session {info.id}`",
               err=True)


def _option_label(scenario: Any, decision_id: str, option_id: str, lang: str = "nb") -> str:
    if scenario.has_decision(decision_id):
        option = scenario.decision(decision_id).option(option_id)
        if option is not None:
            text = " ".join(option.text.get(lang).split())
            return f"{option_id} ({text[:40]}{'…' if len(text) > 40 else ''})"
    return option_id


def _how_settled(scenario: Any, decision_id: str, value: Mapping[str, Any], lang: str = "en") -> str:
    """How the option in force came to be: " (deadline missed: default b applied, later revised
    to a)", " (deadline missed: the default)", " (revised)" or nothing."""
    m = Messages(lang, "compare.")
    revisions = int(value.get("revisions") or 0)
    if value["missed"]:
        if not revisions:
            return m["missed_default"]
        default = scenario.decision(decision_id).default if scenario.has_decision(decision_id) else "?"
        return m["missed_revised"].format(default=default, option=value["option"])
    if revisions:
        return m["revised"] if revisions == 1 else m["revised_n"].format(n=revisions)
    return ""


def _progress_line(side: str, progress: Mapping[str, Any], lang: str) -> str:
    from krise_ovelse.authoring.dreiebok import duration_words
    from krise_ovelse.store.comparison import played_short

    m = Messages(lang, "compare.")
    missed = m["missed_n"].format(n=progress["decisions_missed"]) if progress["decisions_missed"] else ""
    state = "" if not played_short(progress) else (m["ended_early"] if progress["ended"] else m["not_ended"])
    return m["progress"].format(
        side=side, reached=duration_words(progress["scenario_minutes"], lang),
        end=duration_words(progress["end_minutes"], lang), settled=progress["decisions_settled"],
        total=progress["decisions_total"], missed=missed, state=state)


def _num(value: float | None, width: int = 8) -> str:
    return "-".rjust(width) if value is None else f"{value:{width}.1f}"


@main.command("compare")
@click.argument("session_a")
@click.argument("session_b")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@lang_option("the comparison")
@with_store(reading=True)
def compare_cmd(store: Store, session_a: str, session_b: str, as_json: bool, lang: str | None) -> None:
    """Compare two sessions side by side: the decisions that differ (option and rationale),
    the final indicators, and the ratings per criterion and theme with the index.

    First it says how far each session was played (scenario time reached, decisions settled).
    Norwegian by default, English with --lang en."""
    lang = user_lang(lang)
    from krise_ovelse.store.comparison import compare_sessions, played_short

    result = compare_sessions(store, session_a, session_b)
    scenarios = result.pop("_scenarios")
    if as_json:
        echo_json(result)
        return
    m = Messages(lang, "compare.")
    a_info, b_info = result["a"], result["b"]
    click.echo(f"A = {a_info['id']} ({a_info['team'] or '-'}, {a_info['scenario_id']})   "
               f"B = {b_info['id']} ({b_info['team'] or '-'}, {b_info['scenario_id']})")
    if not result["same_scenario"]:
        click.echo(m["different_texts"], err=True)
    click.echo(f"\n{m['played']}")
    for side in ("a", "b"):
        click.echo(f"  {_progress_line(side.upper(), result['progress'][side], lang)}")
    click.echo(f"\n{m['decisions']}")
    for row in result["decisions"]:
        did = str(row["decision"])
        click.echo(f" {'*' if row['differs'] else ' '} {did}")
        for side, value, scenario in (("A", row["a"], scenarios[0]), ("B", row["b"], scenarios[1])):
            if value is None:
                click.echo(f"      {side}: {m['not_decided']}")
                continue
            how = _how_settled(scenario, did, value, lang)
            why = f" — {value['rationale']}" if value["rationale"] else ""
            click.echo(f"      {side}: {_option_label(scenario, did, value['option'], lang)}{how}{why}")
    click.echo(f"\n{m['indicators']:<32}A        B      B−A")
    for row in result["indicators"]:
        a_val, b_val = row["a"], row["b"]
        delta = _num(b_val - a_val) if a_val is not None and b_val is not None else ""
        click.echo(f"  {row['indicator']:<26}{_num(a_val)} {_num(b_val)} {delta}")
    ratings = result["ratings"]
    click.echo(f"\n{m['criteria']:<32}A        B")
    for row in ratings["criteria"]:
        mark = "*" if row["a"] != row["b"] else " "
        click.echo(f" {mark} {row['criterion']:<29}{row['a'] or '-':<9}{row['b'] or '-'}")
    click.echo(m["themes"])
    for row in ratings["themes"]:
        click.echo(f"   {row['theme']:<29}{row['a'] or '-':<9}{row['b'] or '-'}")
    index = ratings["index"]
    click.echo(f"{m['index']:<32}{_num(index['a'], 0):<9}{_num(index['b'], 0)}")
    short = [side.upper() for side in ("a", "b") if played_short(result["progress"][side])]
    if short:
        click.echo(m["short_note"].format(sides=m["and"].join(short)))


@main.command("rescore")
@click.argument("session")
@click.option("--json", "as_json", is_flag=True, help="Print the ratings as JSON.")
@lang_option("the table")
@with_store(reading=False)
def rescore_cmd(store: Store, session: str, as_json: bool, lang: str | None) -> None:
    """Rate a stored session again under the current criteria catalogue and scoring rules,
    and store the new ratings and index with it (the events are not changed)."""
    from krise_ovelse.store.comparison import folded_session
    from krise_ovelse.store.engine_bridge import catalogue_version_of, score_result, session_summary

    info, scenario, events, state = folded_session(store, session)
    before = info.score_index
    before_catalogue = catalogue_version_of(store.summary(info.id))
    result = score_result(scenario, events)
    summary = session_summary(scenario, state, events, result)
    index = summary.get("index")
    store.set_summary(info.id, summary, float(index) if isinstance(index, int | float) else None)
    if as_json:
        echo_json({"session": info.id, "previous_index": before,
                   "previous_catalogue_version": before_catalogue, "summary": summary})
        return
    from krise_ovelse.messages import format_number, text
    from krise_ovelse.scoring import format_ratings

    lang = user_lang(lang)
    click.echo(format_ratings(result, lang))
    was = "-" if before is None else format_number(before, 1, lang)
    now = "-" if result.index is None else format_number(result.index, 1, lang)
    click.echo(text(lang, "cli.rescore.index", was=was, now=now, id=info.id), err=True)
    was_catalogue = "-" if before_catalogue is None else f"v{before_catalogue}"
    click.echo(text(lang, "cli.rescore.catalogue", was=was_catalogue, now=f"v{summary.get('catalogue_version')}"),
               err=True)


__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "db_option", "open_store", "store_errors"]
