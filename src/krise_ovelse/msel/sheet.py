"""Reading a spreadsheet (.xlsx or .csv) into rows of cell values, bounded in size and time.

Every spreadsheet is a file someone else made. The bounds, all checked before or while reading:

- the file: a regular file of at most 20 MB (`fileio.read_limited`: never a FIFO or a device);
- an .xlsx is a zip archive: before openpyxl sees it, the archive's directory is read and
  refused if it has more than 1,000 members, unpacks to more than 100 MB in all, or has a member
  packed more than 200 to 1 — that bounds a zip bomb, since Python's zipfile never unpacks more
  than a member's declared size; the XML inside is parsed by expat, which refuses entity
  expansion attacks ("billion laughs");
- openpyxl reads in read-only (streaming) mode, and reading stops after 10,000 rows and 100
  columns; a cell holds at most 32,767 characters (Excel's own limit).

Formulas are not evaluated: a formula cell is reported (paste values instead). Dates come as
Excel gives them (a date cell is a date; a bare serial number is read as a date where a time is
expected, with a start date). Hidden sheets are not read unless named.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from krise_ovelse.fileio import ReadError, read_limited
from krise_ovelse.model.problems import Problem, Severity

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_RATIO = 200
MAX_ROWS = 10_000
MAX_COLUMNS = 100
MAX_CELL = 32_767

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | None


@attrs.frozen
class Row:
    number: int  # 1-based, as the spreadsheet counts
    values: tuple[CellValue, ...]


@attrs.frozen
class Sheet:
    """The rows of one sheet (non-empty rows only), where they came from, and what was noticed."""

    file: str
    name: str | None  # None for a CSV file
    rows: tuple[Row, ...]
    notices: tuple[Problem, ...] = ()


class SheetError(Exception):
    """A spreadsheet that cannot be read at all (exit 2), or holds what we refuse (exit 1)."""

    def __init__(self, problem: Problem, exit_code: int = 1) -> None:
        super().__init__(problem.render())
        self.problem = problem
        self.exit_code = exit_code


def column_letter(index: int) -> str:
    """Excel's name of the 1-based column `index` (1 → A, 28 → AB)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _fail(file: str, code: str, message: str, hint: str = "", *, unreadable: bool = False,
          line: int = 0, col: int = 0) -> SheetError:
    return SheetError(Problem(file, line, col, code, message, hint), 2 if unreadable else 1)


def read_sheet(path: Path, *, sheet: str | None = None, encoding: str | None = None) -> Sheet:
    """The rows of `path` (.xlsx, or .csv/.tsv/.txt); SheetError for what cannot be read."""
    name = str(path)
    try:
        raw = read_limited(path, MAX_FILE_BYTES, what="spreadsheet")
    except ReadError as exc:
        raise SheetError(Problem(name, 0, 0, exc.code, exc.message, exc.hint), 2) from None
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(raw, name, sheet)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(raw, name, encoding)
    if raw[:4] == b"PK\x03\x04":
        return _read_xlsx(raw, name, sheet)
    raise _fail(name, "E-MSEL-FORMAT", f"cannot tell the format of a {suffix or 'nameless'} file",
                "give an .xlsx or a .csv file", unreadable=True)


# --- .xlsx --------------------------------------------------------------------------------------

def _check_archive(raw: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _fail(name, "E-MSEL-FORMAT", "not an .xlsx workbook: it is not a zip archive (damaged, cut "
                    "short, or another format)", "save it again from the spreadsheet program as .xlsx",
                    unreadable=True) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _fail(name, "E-MSEL-ZIP", f"the workbook has {len(members):,} parts (at most {MAX_MEMBERS:,})",
                        "this is not an ordinary workbook", unreadable=True)
        total = sum(m.file_size for m in members)
        if total > MAX_UNPACKED_BYTES:
            raise _fail(name, "E-MSEL-ZIP", f"the workbook unpacks to {total:,} bytes (at most "
                        f"{MAX_UNPACKED_BYTES:,}): a zip bomb, or far too large", "give a smaller workbook",
                        unreadable=True)
        for member in members:
            if member.file_size > 1_000_000 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise _fail(name, "E-MSEL-ZIP", f"the part {member.filename[:60]!r} is packed more than "
                            f"{MAX_RATIO} to 1: a zip bomb?", "give an ordinary workbook", unreadable=True)
        if "xl/workbook.xml" not in {m.filename for m in members}:
            raise _fail(name, "E-MSEL-FORMAT", "not an .xlsx workbook: the archive has no xl/workbook.xml",
                        "save it from the spreadsheet program as an Excel workbook (.xlsx)", unreadable=True)


def _read_xlsx(raw: bytes, name: str, wanted: str | None) -> Sheet:
    _check_archive(raw, name)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # a hostile workbook can fail anywhere inside openpyxl
        raise _fail(name, "E-MSEL-FORMAT", f"the workbook cannot be read: {type(exc).__name__}",
                    "open and save it again in the spreadsheet program", unreadable=True) from None
    try:
        worksheets = list(workbook.worksheets)
        notices: list[Problem] = []
        if wanted is not None:
            chosen = next((ws for ws in worksheets if ws.title == wanted), None)
            if chosen is None:
                from krise_ovelse.authoring.suggest import did_you_mean

                raise _fail(name, "E-MSEL-SHEET", f"no sheet named {wanted!r}",
                            did_you_mean(wanted, [ws.title for ws in worksheets], "sheet"), unreadable=True)
        else:
            visible = [ws for ws in worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
            if not visible:
                raise _fail(name, "E-MSEL-SHEET", "the workbook has no visible sheet",
                            "name the sheet to read with --sheet", unreadable=True)
            chosen = visible[0]
        for ws in worksheets:
            if ws is not chosen and getattr(ws, "sheet_state", "visible") != "visible":
                notices.append(Problem(name, 0, 0, "W-MSEL-HIDDEN", f"the hidden sheet {ws.title!r} was not read",
                                       "give --sheet to read it", Severity.WARNING))
        rows = tuple(_xlsx_rows(chosen, name))
        return Sheet(name, chosen.title, rows, tuple(notices))
    except SheetError:
        raise
    except Exception as exc:
        raise _fail(name, "E-MSEL-FORMAT", f"the workbook cannot be read: {type(exc).__name__}",
                    "open and save it again in the spreadsheet program", unreadable=True) from None
    finally:
        workbook.close()


def _xlsx_rows(ws: Any, name: str) -> Iterator[Row]:
    count = 0
    for number, cells in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
        values = tuple(cell.value for cell in cells)
        if not any(v is not None and v != "" for v in values):
            continue
        for col, cell in enumerate(cells, start=1):
            if cell.data_type == "f":
                raise _fail(name, "E-MSEL-FORMULA", f"cell {column_letter(col)}{number} holds a formula "
                            f"({str(cell.value)[:40]})", "formulas are not calculated here: copy the sheet and "
                            "paste values only", line=number, col=col)
        for col, value in enumerate(values, start=1):
            if not (value is None or isinstance(value, str | int | float | dt.datetime | dt.date | dt.time)):
                values = (*values[: col - 1], str(value), *values[col:])
            elif isinstance(value, str) and len(value) > MAX_CELL:
                _checked(value, name, number, col)
        count += 1
        if count > MAX_ROWS:
            raise _fail(name, "E-MSEL-ROWS", f"more than {MAX_ROWS:,} rows", "split the sheet: a scenario "
                        f"holds at most {MAX_ROWS:,} injects", line=number)
        yield Row(number, values)


def _checked(value: object, name: str, row: int, col: int) -> CellValue:
    if isinstance(value, str):
        if len(value) > MAX_CELL:
            raise _fail(name, "E-MSEL-CELL", f"cell {column_letter(col)}{row} holds {len(value):,} characters "
                        f"(at most {MAX_CELL:,})", "shorten it", line=row, col=col)
        return value
    if value is None or isinstance(value, int | float | bool | dt.datetime | dt.date | dt.time):
        return value
    return str(value)


# --- .csv ---------------------------------------------------------------------------------------

def _decode(raw: bytes, name: str, encoding: str | None) -> tuple[str, list[Problem]]:
    if encoding is not None:
        try:
            return raw.decode(encoding), []
        except LookupError:
            raise _fail(name, "E-MSEL-ENCODING", f"unknown encoding {encoding!r}",
                        "e.g. utf-8, cp1252, latin-1, utf-16", unreadable=True) from None
        except UnicodeDecodeError as exc:
            raise _fail(name, "E-MSEL-ENCODING", f"the file is not {encoding}: byte {exc.start:,} does not "
                        "decode", "give the right --encoding", unreadable=True) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            raise _fail(name, "E-MSEL-ENCODING", "the file starts like UTF-16 but does not decode",
                        "save it as UTF-8", unreadable=True) from None
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        return text, [Problem(name, 0, 0, "W-MSEL-ENCODING", "the file is not UTF-8; it was read as Windows-1252 "
                              "(Western European, as older Excel saves CSV)",
                              "check æ, ø and å in the result, or give --encoding", Severity.WARNING)]


def _dialect(text: str) -> str:
    sample = text[:16_384]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(",;\t|", key=first.count)


def _read_csv(raw: bytes, name: str, encoding: str | None) -> Sheet:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")) and encoding is None:
        raise _fail(name, "E-MSEL-FORMAT", "the file holds NUL bytes: it is not a text (CSV) file",
                    "give a .csv file, or an .xlsx file with the .xlsx suffix", unreadable=True)
    text, notices = _decode(raw, name, encoding)
    text = text.replace("\x00", "")
    delimiter = _dialect(text)
    csv.field_size_limit(MAX_CELL + 1)
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = end = 0
    try:
        for record in reader:
            number, end = end + 1, reader.line_num  # a record may span lines: report where it starts
            values = tuple(record[:MAX_COLUMNS])
            for col, value in enumerate(values, start=1):
                _checked(value, name, number, col)
            if any(v.strip() for v in values):
                if len(rows) >= MAX_ROWS:
                    raise _fail(name, "E-MSEL-ROWS", f"more than {MAX_ROWS:,} rows",
                                f"split the file: a scenario holds at most {MAX_ROWS:,} injects", line=number)
                rows.append(Row(number, values))
    except csv.Error as exc:
        raise _fail(name, "E-MSEL-CSV", f"the CSV cannot be read after line {end}: {exc}",
                    "check the quotes on that line", line=end + 1) from None
    return Sheet(name, None, tuple(rows), tuple(notices))
