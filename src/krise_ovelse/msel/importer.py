"""An MSEL sheet → a scenario YAML file, every bad field reported at once with its cell.

Columns are found by their header through a mapping (a profile, or an own `--mapping` file);
columns the mapping does not know are kept as facilitator notes ("Header: value"); each inject
gets a YAML comment naming the sheet and row it came from, so the author can go back and forth.
The scenario around the injects is the smallest that plays: one phase over the whole span and
an end one day after the last inject, for the author to fill in.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import yaml

from krise_ovelse.authoring.ids import id_problem, scenario_id_problem
from krise_ovelse.authoring.suggest import did_you_mean
from krise_ovelse.model.problems import Problem, Severity
from krise_ovelse.model.scenario import Channel
from krise_ovelse.model.timefmt import MINUTES_PER_DAY, format_time
from krise_ovelse.msel.profiles import CHANNEL_WORDS, FIELDS, ColumnMapping, Profile
from krise_ovelse.msel.sheet import CellValue, Row, Sheet, column_letter
from krise_ovelse.msel.times import Release, TimeCellError, parse_release
from krise_ovelse.safetext import is_clean

#: How many rows from the top may hold a title before the header row.
HEADER_SEARCH_ROWS = 20
#: Characters of a body kept as the title when the sheet has no title column.
TITLE_LENGTH = 80
_FORMULA_ESCAPE = re.compile(r"^'(?=[=+\-@])")


@attrs.frozen
class Imported:
    yaml_text: str | None
    problems: tuple[Problem, ...]
    injects: int = 0


def _normal(header: str) -> str:
    return " ".join(header.replace("\n", " ").split()).strip(" :*").casefold()


def _cell_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return str(int(value))
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return _FORMULA_ESCAPE.sub("", text)  # a CSV cell we wrote as '=… to keep it from being a formula


class _Import:
    def __init__(self, sheet: Sheet, mapping: ColumnMapping, start: dt.date | None,
                 known_criteria: frozenset[str]) -> None:
        self.sheet = sheet
        self.mapping = mapping
        self.start = start
        self.known_criteria = known_criteria
        self.problems: list[Problem] = list(sheet.notices)
        self.channel_words = {**CHANNEL_WORDS, **{k.casefold(): v for k, v in mapping.channels.items()}}
        self.channel_words.update({c.value: c.value for c in Channel})

    def where(self, row: int, col: int, header: str) -> str:
        sheet = f"sheet {self.sheet.name!r}, " if self.sheet.name is not None else ""
        return f"{sheet}cell {column_letter(col)}{row} ({header})"

    def error(self, row: int, col: int, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.sheet.file, row, col, code, message, hint))

    def header(self) -> tuple[Row, dict[str, int]] | None:
        """The header row and the column of each mapped field (0-based)."""
        wanted = {field: {_normal(h) for h in headers} for field, headers in self.mapping.columns.items()}
        candidates: Sequence[Row] = self.sheet.rows[:HEADER_SEARCH_ROWS]
        if self.mapping.header_row is not None:
            candidates = [r for r in self.sheet.rows if r.number == self.mapping.header_row]
        best: tuple[int, Row, dict[str, int]] | None = None
        for row in candidates:
            found: dict[str, int] = {}
            for index, value in enumerate(row.values):
                text = _normal(_cell_text(value))
                for field, names in wanted.items():
                    if text and text in names and field not in found:
                        found[field] = index
                        break
            if len(found) >= 2 and (best is None or len(found) > best[0]):
                best = (len(found), row, found)
        if best is None:
            heard = ", ".join(repr(_cell_text(v)) for v in (self.sheet.rows[0].values if self.sheet.rows else ())
                              if _cell_text(v))[:200]
            self.error(self.sheet.rows[0].number if self.sheet.rows else 0, 0, "E-MSEL-HEADER",
                       "no header row with the profile's column names in the first "
                       f"{HEADER_SEARCH_ROWS} rows" + (f" (the first row has {heard})" if heard else ""),
                       "choose another --profile, or write a --mapping (krise-ovelse msel profiles)")
            return None
        _count, row, found = best
        for field in ("time",):
            if field not in found:
                looked = ", ".join(repr(h) for h in self.mapping.columns.get(field, ()))
                headers = [_cell_text(v) for v in row.values if _cell_text(v)]
                close = did_you_mean(self.mapping.columns.get(field, ("",))[0], headers, "column")
                self.error(row.number, 0, "E-MSEL-COLUMN", f"no column for the {field} (looked for {looked})",
                           close or "add the column, or map it in a --mapping file")
        if "title" not in found and "body" not in found:
            self.error(row.number, 0, "E-MSEL-COLUMN", "no column for the title or the text of the injects",
                       "add a Tittel or Innspill column, or map one in a --mapping file")
        return row, found

    def run(self) -> list[tuple[Row, dict[str, Any]]]:
        if not self.sheet.rows:
            self.error(0, 0, "E-MSEL-EMPTY", "the sheet is empty", "give the sheet with the injects (--sheet)")
            return []
        found = self.header()
        if found is None:
            return []
        header_row, columns = found
        headers = {i: _cell_text(v) or column_letter(i + 1) for i, v in enumerate(header_row.values)}
        unmapped = [i for i in headers if i not in columns.values() and _cell_text(header_row.values[i])]
        injects: list[tuple[Row, dict[str, Any]]] = []
        seen: dict[str, int] = {}
        for row in self.sheet.rows:
            if row.number <= header_row.number:
                continue
            inject = self.inject(row, columns, headers, unmapped, len(injects) + 1)
            if inject is None:
                continue
            ident = inject["id"]
            if ident in seen:
                col = columns.get("id", 0) + 1
                self.error(row.number, col, "E-MSEL-ID", f"{self.where(row.number, col, headers.get(col - 1, 'ID'))}: "
                           f"the id {ident!r} is used twice", f"first on row {seen[ident]}")
            else:
                seen[ident] = row.number
            injects.append((row, inject))
        if not injects and not any(p.is_error for p in self.problems):
            self.error(header_row.number, 0, "E-MSEL-EMPTY", "the sheet has a header but no injects below it")
        return injects

    def cell(self, row: Row, columns: Mapping[str, int], field: str) -> tuple[str, CellValue, int]:
        index = columns.get(field)
        if index is None or index >= len(row.values):
            return "", None, (index or 0) + 1
        value = row.values[index]
        return _cell_text(value), value, index + 1

    def inject(self, row: Row, columns: Mapping[str, int], headers: Mapping[int, str], unmapped: Iterable[int],
               ordinal: int) -> dict[str, Any] | None:
        def head(col: int) -> str:
            return headers.get(col - 1, column_letter(col))

        inject: dict[str, Any] = {}
        ident, _raw, col = self.cell(row, columns, "id")
        if ident:
            why = id_problem(ident)
            if why:
                self.error(row.number, col, "E-MSEL-ID", f"{self.where(row.number, col, head(col))}: {why}",
                           "ids are letters, digits, _, - and ., e.g. i01")
        inject["id"] = ident or f"i{ordinal:03d}"
        text, raw, col = self.cell(row, columns, "time")
        try:
            release = parse_release(raw if not isinstance(raw, str) else text, self.start)
        except TimeCellError as exc:
            self.error(row.number, col, "E-MSEL-TIME", f"{self.where(row.number, col, head(col))}: {exc.message}",
                       exc.hint)
            release = Release(at=0)
        channel_text, _raw, col = self.cell(row, columns, "channel")
        if "channel" not in columns:
            channel = Channel.EMAIL.value
        elif not channel_text:
            self.error(row.number, col, "E-MSEL-CHANNEL", f"{self.where(row.number, col, head(col))}: no channel",
                       "e.g. E-post, Telefon, Nyheter, Møte, Intranett")
            channel = Channel.EMAIL.value
        else:
            found_channel = self.channel_words.get(channel_text.casefold())
            if found_channel is None:
                self.error(row.number, col, "E-MSEL-CHANNEL",
                           f"{self.where(row.number, col, head(col))}: unknown channel {channel_text[:40]!r}",
                           did_you_mean(channel_text.casefold(), self.channel_words, "channel")
                           + "; or map it under `channels:` in a --mapping file")
            channel = found_channel or Channel.EMAIL.value
        title, _raw, _col = self.cell(row, columns, "title")
        body, _raw, _col = self.cell(row, columns, "body")
        if not title and body:
            first = body.split("\n", 1)[0]
            title = first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1].rstrip() + "…"
        if not title:
            col = columns.get("title", columns.get("body", 0)) + 1
            self.error(row.number, col, "E-MSEL-TITLE", f"{self.where(row.number, col, head(col))}: "
                       "the inject has neither a title nor a text", "write what the inject says")
        inject["title"] = title
        if release.at is not None:
            inject["at"] = format_time(release.at)
        if release.when is not None:
            inject["when"] = release.when
        if release.trigger is not None:
            inject["trigger"] = release.trigger
        if release.after is not None:
            inject["after"] = release.after
        inject["channel"] = channel
        sender, _raw, _col = self.cell(row, columns, "from")
        if sender:
            inject["from"] = sender
        to, _raw, _col = self.cell(row, columns, "to")
        if to:
            inject["to"] = [part.strip() for part in re.split(r"[,;\n]", to) if part.strip()]
        if body:
            inject["body"] = body
        expected, _raw, _col = self.cell(row, columns, "expected")
        if expected:
            inject["expected_actions"] = [line.strip().lstrip("-•*").strip() for line in expected.split("\n")
                                          if line.strip().lstrip("-•*").strip()]
        criteria_text, _raw, col = self.cell(row, columns, "criteria")
        if criteria_text:
            criteria = [part for part in re.split(r"[,;\s]+", criteria_text) if part]
            for criterion in criteria:
                if criterion not in self.known_criteria:  # perhaps an own criterion, yet to be defined
                    self.problems.append(Problem(
                        self.sheet.file, row.number, col, "W-MSEL-CRITERION",
                        f"{self.where(row.number, col, head(col))}: {criterion[:20]!r} is not in the catalogue",
                        did_you_mean(criterion, self.known_criteria, "criterion")
                        + "; or define it under scoring.own_criteria", Severity.WARNING))
            inject["criteria"] = criteria
        notes, _raw, _col = self.cell(row, columns, "notes")
        extra = [f"{headers[i]}: {_cell_text(row.values[i])}" for i in unmapped
                 if i < len(row.values) and _cell_text(row.values[i])]
        all_notes = "\n".join([notes] * bool(notes) + extra)
        if all_notes:
            inject["facilitator_notes"] = all_notes
        return inject


def import_sheet(sheet: Sheet, profile: Profile | ColumnMapping, *, output: Path, start: dt.date | None,
                 known_criteria: frozenset[str], source: str) -> Imported:
    """The scenario YAML for `sheet`, or the problems that stop it (every one, with its cell)."""
    mapping = profile.mapping if isinstance(profile, Profile) else profile
    run = _Import(sheet, mapping, start, known_criteria)
    injects = run.run()
    problems = tuple(run.problems)
    if any(p.is_error for p in problems):
        return Imported(None, problems)
    return Imported(_scenario_yaml(injects, output, start, sheet, source), problems, len(injects))


def _scenario_id(output: Path) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", output.stem).strip("-_")[:64] or "importert"
    return stem if scenario_id_problem(stem) is None else "importert"


_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)


def _scenario_yaml(injects: list[tuple[Row, dict[str, Any]]], output: Path, start: dt.date | None, sheet: Sheet,
                   source: str) -> str:
    last = max((_minutes(inject) for _row, inject in injects), default=0)
    ends_day = last // MINUTES_PER_DAY + 1
    compression = max(1, math.ceil(ends_day * MINUTES_PER_DAY / 180))
    head: dict[str, Any] = {"schema_version": 1, "id": _scenario_id(output), "title": output.stem or "Importert"}
    if start is not None:
        head["start_date"] = start
    head["phases"] = [{"id": "hele", "title": "Hele øvelsen", "starts": "D+0", "compression": compression}]
    head["ends"] = f"D+{ends_day}"
    sheet_name = f", sheet {sheet.name!r}" if sheet.name is not None else ""
    lines = [
        f"# Imported with `krise-ovelse msel import` from {Path(source).name}{sheet_name}.",
        "# One phase over the whole span, 3 hours of play: set phases, indicators, decisions and",
        "# scoring as docs/scenario-format.md describes, then `krise-ovelse lint` this file.",
        _dump(head).rstrip("\n"),
        "injects:",
    ]
    for row, inject in injects:
        lines.append(f"  # source: {Path(source).name}{sheet_name}, row {row.number}")
        lines.extend(_emit_inject(inject))
    return "\n".join(lines) + "\n"


def _scalar(value: str, indent: str) -> str:
    """A YAML scalar for text: a literal block for clean multi-line text, else a double-quoted
    string (JSON's escapes are YAML's), which holds any text exactly."""
    lines = value.split("\n")
    if len(lines) > 1 and is_clean(value.replace("\n", "")) and "\t" not in value and not value[:1].isspace() \
            and all(line == line.rstrip() for line in lines) and all(lines):
        return "|-\n" + "\n".join(indent + line for line in lines)
    return json.dumps(value, ensure_ascii=False)


def _emit_inject(inject: Mapping[str, Any]) -> list[str]:
    """One inject as YAML lines (written by hand: yaml's representer is the slow part of an
    import of thousands of rows; a test reads every result back with the loader)."""
    out: list[str] = []
    for index, (key, value) in enumerate(inject.items()):
        lead = "  - " if index == 0 else "    "
        if isinstance(value, list):
            out.append(f"{lead}{key}:")
            out.extend(f"      - {_scalar(str(item), '          ')}" for item in value)
        else:
            out.append(f"{lead}{key}: {_scalar(str(value), '      ')}")
    return out


def _minutes(inject: Mapping[str, Any]) -> int:
    from krise_ovelse.model.timefmt import parse_time

    return parse_time(inject["at"]).minutes if "at" in inject else 0


def mapping_problems(data: Any, file: str) -> tuple[ColumnMapping | None, list[Problem]]:
    """An own mapping from a YAML file's data: `columns: {field: header or [headers]}`,
    optionally `channels: {word: channel}`, `sheet:` and `header_row:`."""
    problems: list[Problem] = []

    def bad(message: str, hint: str = "") -> None:
        problems.append(Problem(file, 0, 0, "E-MSEL-MAPPING", message, hint))

    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        bad("a mapping needs `columns:`, a map of fields to header names",
            "start from `krise-ovelse msel profiles --show dreiebok`")
        return None, problems
    columns: dict[str, tuple[str, ...]] = {}
    for field, headers in data["columns"].items():
        if field not in FIELDS:
            bad(f"unknown field {str(field)[:30]!r}", did_you_mean(str(field), FIELDS, "field"))
            continue
        names = [headers] if isinstance(headers, str) else headers
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
            bad(f"the header of {field!r} must be a name or a list of names")
            continue
        columns[field] = tuple(names)
    channels: dict[str, str] = {}
    raw_channels = data.get("channels", {})
    if not isinstance(raw_channels, dict):
        bad("`channels:` must map words to channels")
    else:
        values = [c.value for c in Channel]
        for word, channel in raw_channels.items():
            if channel not in values:
                bad(f"unknown channel {str(channel)[:30]!r} for {str(word)[:30]!r}",
                    did_you_mean(str(channel), values, "channel"))
            else:
                channels[str(word)] = str(channel)
    sheet = data.get("sheet")
    header_row = data.get("header_row")
    if sheet is not None and not isinstance(sheet, str):
        bad("`sheet:` must be a sheet's name")
    if header_row is not None and (not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1):
        bad("`header_row:` must be a row number (1 or more)")
    unknown = set(data) - {"columns", "channels", "sheet", "header_row"}
    for key in sorted(map(str, unknown)):
        bad(f"unknown key {key[:30]!r}", did_you_mean(key, ["columns", "channels", "sheet", "header_row"], "key"))
    if problems:
        return None, problems
    return ColumnMapping(columns, channels, sheet if isinstance(sheet, str) else None,
                         header_row if isinstance(header_row, int) else None), []


def warnings_of(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.WARNING]
