"""`krise-ovelse report`: the after-action report (evalueringsrapport) as Markdown, HTML or
Word, and its action plan (tiltaksplan) as YAML or an Excel workbook.

Three sources, one of them:

    krise-ovelse report SESSION_ID                      a stored session (or --session ID)
    krise-ovelse report SCENARIO --play PLAYTHROUGH     play the scenario headless first
    krise-ovelse report SCENARIO --from-run RESULT.json a saved `krise-ovelse run --json` result

and the improvement plan workflow:

    krise-ovelse report … --write-plan plan.yaml        write the draft plan to edit (or plan.xlsx)
    krise-ovelse report … --plan plan.yaml -o r.docx    the report with the edited plan

Exit 0 when the report was written, 1 when the scenario or playthrough has problems, 2 for a
usage error or input that cannot be read (no traceback for bad input).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from krise_ovelse.cli.base import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main
from krise_ovelse.cli.loading import playthrough_or_exit, scenario_or_exit

#: A `run --json` result larger than this is refused before parsing.
MAX_RUN_BYTES = 64 * 1024 * 1024

FORMATS = ("md", "html", "docx", "xlsx")
LANGS = ("nb", "en")
BY_EXTENSION = {".html": "html", ".htm": "html", ".docx": "docx", ".xlsx": "xlsx", ".md": "md"}
#: Document formats a user may ask for that the report is not written in (other names: Markdown).
NOT_WRITTEN = frozenset({".pdf", ".doc", ".odt", ".rtf", ".xls", ".ods", ".csv"})


class ReportInputError(Exception):
    """Input the report cannot use; carries the exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.hint = hint


def _fail(message: str, exit_code: int = EXIT_USAGE, hint: str = "") -> NoReturn:
    click.echo(f"krise-ovelse report: {message}" + (f"\n  hint: {hint}" if hint else ""), err=True)
    sys.exit(exit_code)


def _from_session(session_id: str, db: str | None) -> Any:
    """(scenario, record, session meta) of a stored session, read-only."""
    from krise_ovelse.report.view import session_meta_from_record
    from krise_ovelse.scoring.adapter import scoring_input_from_events
    from krise_ovelse.store.backend import open_store
    from krise_ovelse.store.errors import StoreError
    from krise_ovelse.store.lifecycle import open_checked

    try:
        store = open_store(db, reading=True)
        try:
            if store.immutable:
                from krise_ovelse.cli.session_cmds import immutable_note

                click.echo(immutable_note(store.location), err=True)
            opened = open_checked(store, session_id)
        finally:
            store.close()
        info, scenario, events = opened.info, opened.scenario, opened.events
        record = scoring_input_from_events(scenario, events)
    except StoreError as error:
        raise ReportInputError(error.message, error.exit_code, error.hint) from None
    meta = session_meta_from_record(record, session_id=info.id, date=_real_date(info.started or ""),
                                    status=info.effective_status)
    if info.team and not meta.team:
        meta = _evolve(meta, team=info.team)
    if info.participants and not meta.participants:
        meta = _evolve(meta, participants=tuple(info.participants))
    if info.facilitator and not meta.facilitator:
        meta = _evolve(meta, facilitator=info.facilitator)
    return scenario, record, meta, events


def _evolve(meta: Any, **changes: Any) -> Any:
    import attrs

    return attrs.evolve(meta, **changes)


def _from_playthrough(scenario_path: str, play: str, seed: int | None) -> Any:
    from krise_ovelse.report.view import session_meta_from_record
    from krise_ovelse.scoring.adapter import scoring_input_from_events
    from krise_ovelse.scripted.headless import run_headless

    scenario = scenario_or_exit(scenario_path).scenario
    result = run_headless(scenario, playthrough_or_exit(play, scenario), seed)
    for warning in result.warnings:
        click.echo(warning.render(), err=True)
    record = scoring_input_from_events(scenario, result.events)
    today = dt.date.today().isoformat()  # the run is played now (its events carry a fixed test clock)
    return scenario, record, session_meta_from_record(record, date=today), result.events


def _from_run(scenario_path: str, run_file: str) -> Any:
    from krise_ovelse.report.view import session_meta_from_record
    from krise_ovelse.scoring.inputs import InputFormatError, input_from_dict

    scenario = scenario_or_exit(scenario_path).scenario
    from krise_ovelse.fileio import ReadError, read_text_limited

    try:  # regular files only, bounded: a FIFO or /dev/zero is refused, not waited on
        data = json.loads(read_text_limited(run_file, MAX_RUN_BYTES, what="run result"))
    except ReadError as exc:
        raise ReportInputError(exc.render()) from None
    except json.JSONDecodeError as exc:
        raise ReportInputError(f"{run_file}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:  # digits beyond int's limit, nesting too deep
        raise ReportInputError(f"{run_file}: not a run result krise-ovelse wrote ({exc.__class__.__name__})",
                               EXIT_PROBLEMS) from None
    if not isinstance(data, dict) or "scoring_input" not in data:
        raise ReportInputError(f"{run_file}: not a `krise-ovelse run --json` result with a scoring_input section",
                               hint="make it with: krise-ovelse run SCENARIO --play PLAYTHROUGH --json > RESULT.json")
    ran = data.get("scenario")
    ran_id = ran.get("id") if isinstance(ran, dict) else None
    if ran_id is not None and ran_id != scenario.id:
        raise ReportInputError(f"{run_file} is a run of scenario {ran_id!r}, but {scenario_path} is {scenario.id!r}",
                               hint="give the scenario file the run was made with")
    try:
        record = input_from_dict(data["scoring_input"])
    except InputFormatError as exc:
        raise ReportInputError(f"{run_file}: {exc}", EXIT_PROBLEMS) from None
    return scenario, record, session_meta_from_record(record, date=_real_date(record.started or "")), None


def _resolve_source(source: str | None, session: str | None, play: str | None,
                    from_run: str | None) -> tuple[str, str, str | None]:
    """(kind, main argument, extra) from the CLI's arguments, or a usage error."""
    chosen = [name for name, value in (("--session", session), ("--play", play), ("--from-run", from_run))
              if value is not None]
    if len(chosen) > 1:
        raise ReportInputError(f"give only one of {', '.join(chosen)}")
    if session is not None:
        if source is not None:
            raise ReportInputError("with --session the stored copy of the scenario is used; drop SCENARIO")
        return "session", session, None
    if play is not None or from_run is not None:
        if source is None:
            raise ReportInputError(f"{chosen[0]} needs the scenario file: "
                                   f"krise-ovelse report SCENARIO {chosen[0]} FILE")
        return ("play", source, play) if play is not None else ("run", source, from_run)
    if source is None:
        raise ReportInputError("say what to report on: a session id, or SCENARIO with --play or --from-run",
                               hint="krise-ovelse sessions lists the stored sessions")
    if source.endswith((".yaml", ".yml")) and Path(source).is_file():
        raise ReportInputError(f"{source} is a scenario file: add --play PLAYTHROUGH or --from-run RESULT.json")
    return "session", source, None


def _real_date(started: str) -> str:
    """The date a session started, unless it is the fixed clock of a headless run (`run`)."""
    from krise_ovelse.scripted.headless import HEADLESS_EPOCH

    day = started[:10]
    return day if day and day != HEADLESS_EPOCH.date().isoformat() else ""


def format_for(output: str | None, fmt: str | None) -> str:
    """The format `--format` names, else the one -o's extension says (Markdown for `-` and for
    other names); a document format the report is not written in is refused with a hint."""
    if fmt is not None:
        return fmt
    if output is None or output == "-":
        return "md"
    suffix = Path(output).suffix.lower()
    if suffix in NOT_WRITTEN:
        hint = ("write .docx or .html and convert it (Word, a browser's print, or soffice --convert-to pdf)"
                if suffix == ".pdf" else "or give --format md|html|docx|xlsx")
        raise ReportInputError(f"{output}: the report is not written as {suffix} (it is .md, .html, .docx or .xlsx)",
                               hint=hint)
    return BY_EXTENSION.get(suffix, "md")


def _write(path: str, data: bytes | str) -> None:
    """The report to `path` (`-`: standard output) through the one safe writer (fileio); text
    with terminal controls neutralised."""
    from krise_ovelse.fileio import WriteError, write_bytes, write_text

    try:
        if isinstance(data, str):
            write_text(path, data)
        else:
            write_bytes(path, data)
    except WriteError as exc:
        raise ReportInputError(f"{exc.path}: {exc.code} {exc.message}", exc.exit_code, exc.hint) from None


def _read_plan(path: str) -> Any:
    from krise_ovelse.report import PlanError, load_plan

    try:
        return load_plan(path)
    except PlanError as exc:
        raise ReportInputError(str(exc)) from None


@main.command("report")
@click.argument("source", required=False, metavar="[SESSION_ID | SCENARIO]")
@click.option("--session", "session", metavar="ID", default=None, help="A stored session (id or unique prefix).")
@click.option("--play", "play", metavar="PLAYTHROUGH", default=None,
              help="Play SCENARIO headless with this playthrough, then report.")
@click.option("--from-run", "from_run", metavar="RESULT.json", default=None,
              help="A saved `krise-ovelse run SCENARIO --json` result of SCENARIO.")
@click.option("--seed", type=int, default=None, help="Seed for --play (default: the playthrough's).")
@click.option("--db", "db", metavar="PATH", default=None,
              help="Session database (default: $KRISE_OVELSE_DB, else the user data directory).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="md (default), html, docx (Word) or xlsx (the action plan as a workbook); by default "
                   "from the extension of -o.")
@click.option("-o", "--output", "output", metavar="FILE", default=None, help="Write the report here (default: stdout).")
@click.option("--lang", type=click.Choice(LANGS), default="nb", show_default=True, help="Language of the report.")
@click.option("--plan", "plan_file", metavar="FILE", default=None,
              help="An edited improvement plan (YAML or JSON) to put in the report instead of the draft.")
@click.option("--write-plan", "write_plan", metavar="FILE", default=None,
              help="Write the draft improvement plan to FILE for editing (the report only with -o).")
@click.option("--force", is_flag=True, help="Let --write-plan replace an existing file.")
@click.option("--previous-plan", "previous_plan", metavar="FILE", default=None,
              help="The plan of the previous exercise: the report follows up its measures, and "
                   "--write-plan starts from its open ones.")
@click.option("--doc-version", "doc_version", metavar="TEXT", default=None, help="Document version (default 0.1).")
@click.option("--doc-status", "doc_status", metavar="draft|approved", default=None,
              help="Document status: draft (default) or approved, or your own word.")
@click.option("--distribution", metavar="TEXT", default=None, help="Who the report is distributed to.")
@click.option("--classification", metavar="TEXT", default=None,
              help="Classification line printed at the top and bottom, e.g. \"Unntatt offentlighet, offl. § 13\".")
@click.option("--author", metavar="TEXT", default=None, help="Who prepared the report.")
@click.option("--approved-by", "approved_by", metavar="TEXT", default=None, help="Who approved the report.")
@click.option("--report-date", "report_date", metavar="YYYY-MM-DD", default=None,
              help="The report's date in the document control (default: today).")
@click.option("--date", "date", metavar="TEXT", default=None, help="Date of the exercise shown in the report.")
@click.option("--team", "team", metavar="TEXT", default=None, help="Team name shown in the report.")
@click.option("--facilitator", "facilitator", metavar="TEXT", default=None, help="Facilitator shown in the report.")
def report(source: str | None, session: str | None, play: str | None, from_run: str | None, seed: int | None,
           db: str | None, fmt: str | None, output: str | None, lang: str, plan_file: str | None,
           write_plan: str | None, force: bool, previous_plan: str | None, doc_version: str | None,
           doc_status: str | None, distribution: str | None, classification: str | None, author: str | None,
           approved_by: str | None, report_date: str | None, date: str | None, team: str | None,
           facilitator: str | None) -> None:
    """Write the after-action report of an exercise: summary with the key findings, goal
    achievement, findings per theme, the action plan (tiltaksplan), hotwash, participant
    feedback, evaluation of the exercise, method; timeline, indicators and all evidence as
    appendices. Markdown, HTML or Word (.docx); the plan also as .xlsx. Norwegian by default,
    English with --lang en.

    \b
    Sources (one of):
      krise-ovelse report SESSION_ID
      krise-ovelse report SCENARIO --play PLAYTHROUGH
      krise-ovelse report SCENARIO --from-run RESULT.json
    Improvement plan:
      krise-ovelse report … --write-plan plan.yaml     (edit it, then)
      krise-ovelse report … --plan plan.yaml -o rapport.docx
      krise-ovelse plan status plan.yaml T1 done       (later)
    """
    from krise_ovelse.report.view import DocumentControl

    control = DocumentControl(date=report_date or "", version=doc_version or "0.1", status=doc_status or "draft",
                              distribution=distribution or "", classification=classification or "",
                              author=author or "", approved_by=approved_by or "")
    try:
        _report(source, session, play, from_run, seed, db, fmt, output, lang, plan_file, write_plan, force,
                previous_plan, control, date, team, facilitator)
    except ReportInputError as error:
        _fail(error.message, error.exit_code, error.hint)
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # a bug, not bad input: still no traceback at the venue
        if os.environ.get("KRISE_OVELSE_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc}", EXIT_USAGE,
              "set KRISE_OVELSE_DEBUG=1 for the details and report it")


def _report(source: str | None, session: str | None, play: str | None, from_run: str | None, seed: int | None,
            db: str | None, fmt: str | None, output: str | None, lang: str, plan_file: str | None,
            write_plan: str | None, force: bool, previous_plan: str | None, control: Any, date: str | None,
            team: str | None, facilitator: str | None) -> None:
    from krise_ovelse.report import build_report, draft_plan, render_report_bytes
    from krise_ovelse.report.plan import carry_over, plan_bytes

    kind, main_arg, extra = _resolve_source(source, session, play, from_run)
    if write_plan is not None and os.path.lexists(write_plan) and not force:
        raise ReportInputError(f"{write_plan} exists; it may hold the facilitator's edits",
                               hint="use --plan to read it, another file name, or --force to replace it")
    chosen_format = format_for(output, fmt)
    if chosen_format in ("docx", "xlsx") and output in (None, "-"):
        raise ReportInputError(f"--format {chosen_format} writes a file: give -o FILE.{chosen_format}")
    plan = _read_plan(plan_file) if plan_file is not None else None
    previous = _read_plan(previous_plan) if previous_plan is not None else None

    if kind == "session":
        scenario, record, meta, events = _from_session(main_arg, db)
    elif kind == "play":
        assert extra is not None
        scenario, record, meta, events = _from_playthrough(main_arg, extra, seed)
    else:
        assert extra is not None
        scenario, record, meta, events = _from_run(main_arg, extra)
    changes = {k: v for k, v in (("date", date), ("team", team), ("facilitator", facilitator)) if v is not None}
    if changes:
        meta = _evolve(meta, **changes)
    if plan is not None and plan.scenario and plan.scenario != scenario.id:
        click.echo(f"warning: {plan_file} was drafted for scenario {plan.scenario!r}, this is {scenario.id!r}",
                   err=True)

    data = build_report(scenario, record, session=meta, plan=plan, events=events, control=control,
                        previous_plan=previous)
    if write_plan is not None:
        carried = carry_over(previous) if previous is not None else ()
        draft = draft_plan(data.result, lang, meta.session_id, carried=carried)
        _write(write_plan, plan_bytes(draft, write_plan))
        click.echo(f"wrote the draft action plan ({len(draft.items)} item(s)) to {write_plan}; edit it, "
                   f"then make the report with --plan {write_plan}", err=True)
        if output is None:
            sys.exit(EXIT_OK)

    content = render_report_bytes(data, chosen_format, lang)
    if output is None or output == "-":
        click.echo(content.decode("utf-8"), nl=False)
    else:
        _write(output, content.decode("utf-8") if chosen_format in ("md", "html") else content)
        click.echo(f"wrote {output}", err=True)
    sys.exit(EXIT_OK)
