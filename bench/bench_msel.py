"""MSEL import of a 5,000-row sheet, as a ratio to openpyxl's own read of it (same run).

Target (issue #16): `msel import` of a 5,000-row .xlsx (read, map, check every field, write the
scenario YAML) within 2x of `openpyxl.load_workbook(read_only=True)` plus iterating every row's
values. Run: python bench/bench_msel.py
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl

from krise_ovelse.msel.importer import import_sheet
from krise_ovelse.msel.profiles import PROFILES
from krise_ovelse.msel.sheet import read_sheet

TARGET = 2.0
ROWS = 5000


def sheet_bytes(rows: int = ROWS) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Dreiebok")
    sheet.append(["ID", "Tid", "Fra", "Til", "Kanal", "Tittel", "Innspill", "Forventet handling", "Kriterium",
                  "Notater"])
    for n in range(rows):
        day, minute = divmod(n * 7, 600)
        sheet.append([f"i{n}", f"D+{day} {8 + minute // 60:02d}:{minute % 60:02d}", f"Avsender {n % 17}",
                      "hr, direktor", ["E-post", "Telefon", "Nyheter", "Møte"][n % 4], f"Innspill nummer {n}",
                      f"Brødteksten til innspill {n}, lang nok til å ligne en ekte e-post med litt kontekst.",
                      "Vurdere situasjonen\nInformere de ansatte", ["KH-1", "KH-2", "OE-1"][n % 3],
                      f"Merknad til øvingsleder {n}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def openpyxl_read(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def our_import(path: Path) -> int:
    sheet = read_sheet(path)
    result = import_sheet(sheet, PROFILES["dreiebok"], output=Path("bench.yaml"), start=dt.date(2025, 1, 6),
                          known_criteria=frozenset({"KH-1", "KH-2", "OE-1"}), source=str(path))
    assert result.yaml_text is not None, [p.render() for p in result.problems[:5]]
    return result.injects


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        path.write_bytes(sheet_bytes())
        assert our_import(path) == ROWS
        floors, ours_times = [], []
        for _ in range(3):  # interleaved, so load from other processes hits both alike
            floors.append(best_of(lambda: openpyxl_read(path), 1))
            ours_times.append(best_of(lambda: our_import(path), 1))
        floor, ours = min(floors), min(ours_times)
    ratio = ours / floor
    print(f"openpyxl read-only read {floor * 1000:.0f} ms; msel import {ours * 1000:.0f} ms; "
          f"ratio {ratio:.2f} (target <= {TARGET})")
    sys.exit(0 if ratio <= TARGET else 1)


if __name__ == "__main__":
    main()
