"""The action plan as an Excel workbook (openpyxl) that round-trips: write it, let people edit it
in a spreadsheet, read it back into the same `Plan`.

Sheet 1 is the plan: one row per measure under a header row in the plan's language (headers in
either language are read). Element, priority and status have drop-down lists in the plan's
language; both languages' words are accepted back. Sheet 2 ("Om planen"/"About") holds the file
format, version, scenario, session and language. Reading is bounded (compressed and unpacked
size, rows) and takes cell values only: formulas are never evaluated.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from krise_ovelse.report.plan import (
    FORMAT,
    ITEM_KEYS,
    MAX_ITEMS,
    NAMES_NB,
    VERSION,
    Plan,
    PlanError,
    PlanItem,
    item_to_dict,
    plan_from_dict,
)

#: Column key → header (nb, en).
HEADERS: dict[str, tuple[str, str]] = {
    "id": ("Nr.", "No."),
    "criterion": ("Funn (kriterium)", "Finding (criterion)"),
    "area": ("Forbedringspunkt", "Area for improvement"),
    "action": ("Tiltak", "Measure"),
    "element": ("Element (POETE)", "Element (POETE)"),
    "owner": ("Ansvarlig", "Owner"),
    "due": ("Frist", "Due"),
    "priority": ("Prioritet", "Priority"),
    "status": ("Status", "Status"),
    "root_cause": ("Årsak", "Root cause"),
    "updated": ("Oppdatert", "Updated"),
}
WIDTHS = {"id": 6, "criterion": 12, "area": 40, "action": 60, "element": 15, "owner": 20, "due": 12,
          "priority": 11, "status": 12, "root_cause": 40, "updated": 12}
SHEET = {"nb": "Tiltaksplan", "en": "Action plan"}
META_SHEET = {"nb": "Om planen", "en": "About"}
MAX_XLSX_UNPACKED = 64 << 20
_CHOICES = {"element": ("plan", "organisation", "equipment", "training", "exercise"),
            "priority": ("high", "medium", "low"), "status": ("open", "in_progress", "done", "dropped")}


def _cell(value: str) -> str:
    """Text for a cell: control characters (which a workbook cannot hold) shown as visible
    symbols, as everywhere else text from files is shown."""
    from krise_ovelse.safetext import neutralise

    return neutralise(value)


def _word(value: str, lang: str) -> str:
    return NAMES_NB.get(value, value) if lang == "nb" else value.replace("_", " ")


def text_row(sheet: Any, values: Sequence[Any]) -> None:
    """Append a row of values; text is shown as the one sanitiser shows it and never becomes a
    formula (openpyxl reads a text starting with "=" as one)."""
    sheet.append([_cell(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def about_sheet(book: Any, title: str, facts: Iterable[tuple[str, str | int]]) -> bytes:
    """Add the last sheet, which says what the file is (format, version, …: a key and a value a
    row), and return the workbook's bytes."""
    sheet = book.create_sheet(title[:31])
    for key, value in facts:
        text_row(sheet, [key, value])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def header_style(row: Any) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for cell in row:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EAF0")
        cell.alignment = Alignment(vertical="top", wrap_text=True)


def fill_plan_sheet(sheet: Any, rows: Iterable[tuple[Sequence[str], PlanItem]], lang: str,
                    lead: Sequence[tuple[str, int]] = ()) -> None:
    """The plan's header and one row per measure on `sheet`, with the `lead` columns (header,
    width) first and each row's lead values before its measure: how the plan workbook and the
    national report's workbook (an organisation column first) write measures."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    column = 0 if lang == "nb" else 1
    sheet.append([header for header, _ in lead] + [HEADERS[key][column] for key in ITEM_KEYS])
    header_style(sheet[1])
    count = 0
    for values, item in rows:
        row = item_to_dict(item)
        text_row(sheet, [*values, *(_word(row[key], lang) if key in _CHOICES and row[key] else row[key]
                                    for key in ITEM_KEYS)])
        count += 1
    widths = [width for _, width in lead] + [WIDTHS[key] for key in ITEM_KEYS]
    keys: list[str | None] = [None] * len(lead) + list(ITEM_KEYS)
    for index, (key, width) in enumerate(zip(keys, widths, strict=True), start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.number_format = "@"  # text: a due date stays as typed, "Q3 2025" too
        if key in _CHOICES:
            words = ",".join(_word(v, lang) for v in _CHOICES[key])
            check = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True)
            check.add(f"{letter}2:{letter}{max(count, MAX_ITEMS) + 1}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = f"{get_column_letter(len(lead) + 1)}2"


def plan_to_xlsx(plan: Plan) -> bytes:
    """The workbook's bytes."""
    from openpyxl import Workbook

    lang = plan.language if plan.language in ("nb", "en") else "nb"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET[lang]
    fill_plan_sheet(sheet, (((), item) for item in plan.items), lang)
    return about_sheet(book, META_SHEET[lang], (("format", FORMAT), ("version", VERSION),
                                                ("scenario", plan.scenario), ("session", plan.session),
                                                ("language", lang)))


def _header_keys() -> dict[str, str]:
    names: dict[str, str] = {}
    for key, labels in HEADERS.items():
        for label in (*labels, key):
            names[label.strip().lower()] = key
    return names


def _cell_text(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    return value


def plan_from_xlsx(content: bytes, source: str = "<plan.xlsx>") -> Plan:
    """Read a plan workbook written by `plan_to_xlsx` (and edited), given its bytes; PlanError
    naming `source` on any problem."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise PlanError(f"{source}: not an Excel workbook (.xlsx)") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise PlanError(f"{source}: the workbook unpacks to more than {MAX_XLSX_UNPACKED >> 20} MiB")
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise PlanError(f"{source}: cannot read the workbook ({type(exc).__name__})") from None
    try:
        sheets = book.worksheets
        if not sheets:
            raise PlanError(f"{source}: the workbook has no sheets")
        sheet = sheets[0]
        meta: dict[str, Any] = {}
        for extra in sheets[1:]:
            if extra.title in META_SHEET.values():
                for row in extra.iter_rows(max_row=50, max_col=2, values_only=True):
                    if row and isinstance(row[0], str):
                        meta[row[0].strip().lower()] = _cell_text(row[1] if len(row) > 1 else None)
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise PlanError(f"{source}: the sheet {sheet.title!r} is empty")
        names = _header_keys()
        keys: list[str | None] = []
        for col, value in enumerate(header, start=1):
            text = str(value).strip().lower() if value is not None else ""
            if not text:
                keys.append(None)
                continue
            if text not in names:
                raise PlanError(f"{source}: {sheet.title}!{_letter(col)}1: unknown column {str(value)[:40]!r} "
                                f"(known: {', '.join(h[0] for h in HEADERS.values())})")
            keys.append(names[text])
        items = []
        for number, row in enumerate(rows, start=2):
            if number > MAX_ITEMS + 1:
                raise PlanError(f"{source}: more than {MAX_ITEMS} rows")
            values = {key: _cell_text(value) for key, value in zip(keys, row, strict=False)
                      if key is not None and value is not None and value != ""}
            if not values:
                continue
            values["_row"] = number
            items.append(values)
    finally:
        book.close()
    data: dict[str, Any] = {
        "format": meta.get("format", FORMAT), "version": _version(meta.get("version", VERSION)),
        "scenario": meta.get("scenario") or "", "session": meta.get("session") or "",
        "language": meta.get("language") or "nb",
        "items": [{k: v for k, v in item.items() if k != "_row"} for item in items],
    }
    try:
        return plan_from_dict(data, source)
    except PlanError as exc:
        raise PlanError(_with_rows(str(exc), source, sheet.title, items)) from None


def _version(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _with_rows(message: str, source: str, sheet: str, items: list[dict[str, Any]]) -> str:
    """`file: item 3: …` as `file: Sheet!row 4: …`, the row a spreadsheet user sees."""
    prefix = f"{source}: item "
    if message.startswith(prefix):
        number, _, rest = message[len(prefix):].partition(":")
        if number.isdigit() and 0 < int(number) <= len(items):
            return f"{source}: {sheet}!A{items[int(number) - 1]['_row']}:{rest}"
    return message


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))
