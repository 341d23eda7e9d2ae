"""Filling a DataTable with columns as wide as their widest cell, measured before it is drawn.

DataTable sizes an auto-width column when it next goes idle, after the rows were added; a frame
drawn in between is kept in its line cache (which a new width does not clear), so whether the
columns show cut off or whole depended on timing. `fill_table` measures the cells itself and
gives every column a fixed width, so the first frame is already the right one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable


def fill_table(table: DataTable[Any], columns: Sequence[tuple[str, int | None]],
               rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
    """Replace the table's columns and rows.

    `columns` are (label, width): a width of None fits the widest of the label and the cells.
    `rows` are (key, cells).
    """
    table.clear(columns=True)
    for index, (label, width) in enumerate(columns):
        if width is None:
            width = max([Text(label).cell_len, *(_cell_width(cells[index]) for _, cells in rows)])
        table.add_column(label, width=width)
    for key, cells in rows:
        table.add_row(*cells, key=key)


def _cell_width(cell: Text) -> int:
    return max((Text(line).cell_len for line in cell.plain.splitlines()), default=0)
