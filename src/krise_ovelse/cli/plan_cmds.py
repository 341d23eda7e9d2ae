"""`krise-ovelse plan`: follow up an action plan (tiltaksplan) after the report.

    krise-ovelse plan show tiltak.yaml [--open]          the measures and their status
    krise-ovelse plan status tiltak.yaml T2 done          update a measure (the file is rewritten)
    krise-ovelse plan convert tiltak.yaml tiltak.xlsx     the same plan as a workbook (or back)

The plan file (YAML, JSON or .xlsx) is the source; every report format is rebuilt from it with
`krise-ovelse report … --plan FILE`, and the next exercise's report follows up the open
measures with `--previous-plan FILE`. Exit 0 done, 1 no such measure, 2 unreadable input or a
usage error.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any, NoReturn

import click

from krise_ovelse.cli.base import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main


def _fail(message: str, code: int = EXIT_USAGE, hint: str = "") -> NoReturn:
    click.echo(f"krise-ovelse plan: {message}" + (f"\n  hint: {hint}" if hint else ""), err=True)
    sys.exit(code)


def _load(path: str) -> Any:
    from krise_ovelse.report.plan import PlanError, load_plan

    try:
        return load_plan(path)
    except PlanError as exc:
        _fail(str(exc))


def _save(plan: Any, path: str) -> None:
    from krise_ovelse.fileio import WriteError
    from krise_ovelse.report.plan import save_plan

    try:
        save_plan(plan, path)
    except WriteError as exc:
        _fail(f"{exc.path}: {exc.code} {exc.message}", exc.exit_code, exc.hint)


@main.group("plan")
def plan_group() -> None:
    """Follow up an action plan (tiltaksplan): show it, update a measure's status, convert it
    between YAML and Excel."""


@plan_group.command("show")
@click.argument("plan_file", metavar="PLAN")
@click.option("--open", "only_open", is_flag=True, help="Only the measures still open or in progress.")
@click.option("--lang", type=click.Choice(("nb", "en")), default=None, help="Language (default: the plan's).")
def show_cmd(plan_file: str, only_open: bool, lang: str | None) -> None:
    """List the measures of PLAN: number, status, priority, owner, due date and the measure."""
    from krise_ovelse.messages import Messages

    plan = _load(plan_file)
    m = Messages(lang or plan.language, "report.")
    items = plan.open_items() if only_open else plan.items
    for item in items:
        status = m[f"status_{item.status.value}"]
        priority = m[f"priority_{item.priority.value}"] if item.priority else m["dash"]
        due = item.due or m["dash"]
        owner = item.owner or m["dash"]
        click.echo(f"{item.id or '?':<4} {status:<10} {priority:<8} {due:<11} {owner}: {item.action or item.area}")
    if not items:
        click.echo(m["no_plan_items"])
    sys.exit(EXIT_OK)


@plan_group.command("status")
@click.argument("plan_file", metavar="PLAN")
@click.argument("item_id", metavar="NUMBER")
@click.argument("status", metavar="STATUS")
@click.option("--owner", default=None, help="Set the owner (ansvarlig) too.")
@click.option("--due", default=None, help="Set the due date (frist) too.")
@click.option("--date", "today", metavar="YYYY-MM-DD", default=None, help="The date of the change (default: today).")
@click.option("-o", "--output", metavar="FILE", default=None, help="Write the updated plan here instead of PLAN.")
def status_cmd(plan_file: str, item_id: str, status: str, owner: str | None, due: str | None, today: str | None,
               output: str | None) -> None:
    """Set the status of measure NUMBER (e.g. T2) in PLAN: open, in_progress, done or dropped
    (åpen, pågår, fullført, forkastet). The file keeps its format (YAML, JSON or .xlsx)."""
    from krise_ovelse.report.plan import set_status

    plan = _load(plan_file)
    try:
        updated = set_status(plan, item_id, status, today or dt.date.today().isoformat(), owner=owner, due=due)
    except KeyError:
        known = ", ".join(i.id for i in plan.items if i.id) or "none"
        _fail(f"{plan_file}: no measure {item_id!r:.30}", EXIT_PROBLEMS, f"the plan's measures: {known}")
    except ValueError as exc:
        _fail(str(exc))
    target = output or plan_file
    _save(updated, target)
    item = updated.items[updated.index_of(item_id)]
    click.echo(f"{item.id}: {item.status.value} ({target})", err=True)
    sys.exit(EXIT_OK)


@plan_group.command("convert")
@click.argument("source", metavar="PLAN")
@click.argument("target", metavar="OUTPUT")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
def convert_cmd(source: str, target: str, force: bool) -> None:
    """Write PLAN in another format, by OUTPUT's extension: .xlsx (a workbook to edit in a
    spreadsheet), .json, or YAML."""
    import os

    from krise_ovelse.fileio import WriteError, write_bytes
    from krise_ovelse.report.plan import plan_bytes

    plan = _load(source)
    if os.path.lexists(target) and not force:
        _fail(f"{target} exists", hint="use another name, or --force to replace it")
    try:
        write_bytes(target, plan_bytes(plan, target))
    except WriteError as exc:
        _fail(f"{exc.path}: {exc.code} {exc.message}", exc.exit_code, exc.hint)
    click.echo(f"wrote {target} ({len(plan.items)} measure(s))", err=True)
    sys.exit(EXIT_OK)
