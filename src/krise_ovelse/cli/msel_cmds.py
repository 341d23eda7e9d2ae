"""Spreadsheets in and out (`msel import`, `msel export`, `msel profiles`) and printable
inject cards (`cards`): docs/import-export.md."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from krise_ovelse.cli.base import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main, problems_exit_code
from krise_ovelse.cli.loading import scenario_or_exit, write_output
from krise_ovelse.model.problems import Problem
from krise_ovelse.msel.profiles import PROFILES, ColumnMapping


def _echo_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in problems:
        click.echo(problem.render(), err=True)


@main.group()
def msel() -> None:
    """Import a master scenario events list (MSEL, dreiebok) from a spreadsheet, or export one."""


def _start_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: write YYYY-MM-DD", param_hint="--start") from None


@msel.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, help="The scenario YAML file to write (`-`: standard output).")
@click.option("--profile", type=click.Choice(sorted(PROFILES)), default="auto", show_default=True,
              help="The column layout (see `krise-ovelse msel profiles`).")
@click.option("--mapping", "mapping_file", type=click.Path(dir_okay=False, path_type=Path),
              help="An own column mapping (YAML) instead of a profile.")
@click.option("--start", help="The calendar date of D+0 (YYYY-MM-DD), for sheets with dates and times.")
@click.option("--sheet", help="The sheet to read (default: the first visible one).")
@click.option("--encoding", help="The encoding of a CSV file (default: UTF-8, else Windows-1252).")
def msel_import(file: Path, output: str, profile: str, mapping_file: Path | None, start: str | None,
                sheet: str | None, encoding: str | None) -> None:
    """Read FILE (.xlsx or .csv) and write its injects as a scenario.

    Every bad or missing field is reported at once with its sheet, row and column. Columns the
    mapping does not know become facilitator notes. The written scenario is validated: problems
    it still has (a follow-up no option lists, …) say what to add. Exit 0 when it validates, 1
    when something is wrong or missing, 2 when the file cannot be read.
    """
    from krise_ovelse.authoring.checks import catalogue_criteria
    from krise_ovelse.authoring.load import load_scenario_text
    from krise_ovelse.msel.importer import import_sheet
    from krise_ovelse.msel.sheet import SheetError, read_sheet

    start_date = _start_date(start)
    chosen: ColumnMapping = PROFILES[profile].mapping
    if mapping_file is not None:
        chosen = _read_mapping(mapping_file)
    try:
        data = read_sheet(file, sheet=sheet or chosen.sheet, encoding=encoding)
    except SheetError as exc:
        _echo_problems([exc.problem])
        sys.exit(exc.exit_code)
    result = import_sheet(data, chosen, output=Path(output if output != "-" else "importert.yaml"),
                          start=start_date, known_criteria=catalogue_criteria(), source=str(file))
    _echo_problems(result.problems)
    if result.yaml_text is None:
        errors = sum(p.is_error for p in result.problems)
        click.echo(f"{file}: {errors} problem(s); nothing written", err=True)
        sys.exit(EXIT_PROBLEMS)
    write_output(output, result.yaml_text)
    checked = load_scenario_text(result.yaml_text, output)
    _echo_problems([p for p in checked.problems if p.is_error])
    click.echo(f"{file}: {result.injects} inject(s) imported"
               + ("" if checked.ok else "; the scenario needs what is listed above before it plays"), err=True)
    sys.exit(EXIT_OK if checked.ok else EXIT_PROBLEMS)


def _read_mapping(path: Path) -> ColumnMapping:
    from krise_ovelse.authoring.yamlio import load_file
    from krise_ovelse.msel.importer import mapping_problems

    doc, problems = load_file(path)
    if doc is None:
        _echo_problems(problems)
        sys.exit(problems_exit_code(problems))
    mapping, problems = mapping_problems(doc.data, str(path))
    if mapping is None:
        _echo_problems(problems)
        sys.exit(EXIT_PROBLEMS)
    return mapping


@msel.command("export")
@click.argument("scenario")
@click.option("-o", "--output", required=True, help="The .xlsx or .csv file to write (`-`: CSV on standard output).")
@click.option("--profile", type=click.Choice(["dreiebok", "hseep"]), default="dreiebok", show_default=True,
              help="Norwegian dreiebok columns, or the HSEEP MSEL template's.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True,
              help="The language of the texts.")
def msel_export(scenario: str, output: str, profile: str, lang: str) -> None:
    """Write SCENARIO's injects as a spreadsheet: one row per inject, in scenario order.

    `msel import` reads the file back: export → import → export gives the same sheet. A scenario
    whose form is right is exported even if it still has problems of meaning (say, a fresh
    import), with the problems listed.
    """
    from krise_ovelse.authoring.load import load_scenario
    from krise_ovelse.msel.exporter import to_csv, to_xlsx
    from krise_ovelse.paths import resolve_scenario_arg

    result = load_scenario(resolve_scenario_arg(scenario))
    _echo_problems([p for p in result.problems if p.is_error])
    if result.structured is None:
        sys.exit(problems_exit_code(result.problems))
    chosen = PROFILES[profile]
    suffix = Path(output).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        write_output(output, to_xlsx(result.structured, chosen, lang))
    elif suffix in (".csv", ".txt") or output == "-":
        write_output(output, to_csv(result.structured, chosen, lang))
    else:
        click.echo(f"{output}: E-WRITE give a file ending in .xlsx or .csv", err=True)
        sys.exit(EXIT_USAGE)


@msel.command("profiles")
@click.option("--show", type=click.Choice(sorted(PROFILES)), help="Print one profile as a mapping file to edit.")
def msel_profiles(show: str | None) -> None:
    """List the column layouts `msel import` knows, or print one as a mapping to edit."""
    import yaml

    if show is None:
        for name, profile in PROFILES.items():
            click.echo(f"{name}: {profile.description}")
        return
    text = yaml.safe_dump(PROFILES[show].mapping.to_data(), allow_unicode=True, sort_keys=False)
    click.echo(f"# The {show} profile as a mapping: edit the header names, then\n"
               f"# krise-ovelse msel import FILE --mapping this.yaml -o scenario.yaml\n{text}", nl=False)


@main.command()
@click.argument("scenario")
@click.option("-o", "--output", required=True, help="The HTML file to write (`-`: standard output).")
@click.option("--size", type=click.Choice(["A4", "A5"]), default="A4", show_default=True, help="Paper size.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.option("--facilitator", is_flag=True, help="Add facilitator notes and expected actions to each card.")
def cards(scenario: str, output: str, size: str, lang: str, facilitator: bool) -> None:
    """Write printable inject cards (HTML): one card per inject and per decision, one per page.

    Print from a browser. Player cards never show evidence levels; --facilitator adds the notes.
    """
    from krise_ovelse.msel.cards import cards_html

    write_output(output, cards_html(scenario_or_exit(scenario).scenario, lang=lang, size=size,
                                    facilitator=facilitator))
