"""Spreadsheets in and out (issue #16 items 3-5): import, export, round trips, inject cards, and
the bad spreadsheets a facilitator is sent — each a clear message with its cell, never a
traceback, within bounded time and memory."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from krise_ovelse.authoring.load import load_scenario
from krise_ovelse.cli import main
from krise_ovelse.msel.sheet import MAX_ROWS
from krise_ovelse.paths import shipped_scenarios_dir

from .minimal_scenario import MINIMAL

SHIPPED = sorted(p for p in shipped_scenarios_dir().rglob("*.yaml") if "playthroughs" not in p.parts)
HEADER = ["ID", "Tid", "Fra", "Til", "Kanal", "Tittel", "Innspill", "Forventet handling", "Kriterium", "Notater"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def workbook(path: Path, rows: Sequence[list[Any]], *, title: str = "Dreiebok") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def good_rows() -> list[list[Any]]:
    return [HEADER,
            ["i01", "D+0 08:00", "NRK", "alle", "Nyheter", "Regjeringen stenger ned", "Alle jobber hjemme.",
             "Samle ledergruppen\nInformere ansatte", "KH-1", "Åpningen"],
            ["i02", "D+1 H+3 M+30", "Departementet", "direktor, hr", "E-post", "Rapportering", "Send status.",
             "", "KH-2, KH-3", ""]]


def test_import_a_norwegian_dreiebok_that_validates(tmp_path: Path) -> None:
    source = workbook(tmp_path / "dreiebok.xlsx", good_rows())
    out = tmp_path / "ovelse.yaml"
    code, _, err = run("msel", "import", str(source), "-o", str(out), "--profile", "dreiebok")
    assert code == 0, err
    result = load_scenario(out)
    assert result.scenario is not None, [p.render() for p in result.problems]
    s = result.scenario
    assert [i.id for i in s.injects] == ["i01", "i02"]
    assert (at := s.inject("i02").at) is not None and at.minutes == 1440 + 3 * 60 + 30
    assert s.inject("i02").to == ("direktor", "hr")
    assert s.inject("i01").expected_actions[1].get() == "Informere ansatte"
    assert s.inject("i02").criteria == ("KH-2", "KH-3")
    text = out.read_text(encoding="utf-8")
    assert "# source: dreiebok.xlsx, sheet 'Dreiebok', row 2" in text


def test_the_issue_layout_without_ids_or_titles(tmp_path: Path) -> None:
    # Tid, Fra, Til, Kanal, Innspill, Forventet handling, Kriterium: ids and titles are made
    rows = [["Tid", "Fra", "Til", "Kanal", "Innspill", "Forventet handling", "Kriterium", "Rom"],
            ["D+2 09:00", "NSM", "it", "Telefon", "Vi ser mistenkelig trafikk.\nRing tilbake.", "Varsle", "KH-1",
             "Sal 2"]]
    source = workbook(tmp_path / "d.xlsx", rows)
    out = tmp_path / "d.yaml"
    assert run("msel", "import", str(source), "-o", str(out))[0] == 0
    result = load_scenario(out)
    assert result.scenario is not None
    inject = result.scenario.injects[0]
    assert inject.id == "i001" and inject.title.get() == "Vi ser mistenkelig trafikk."
    assert inject.facilitator_notes.get() == "Rom: Sal 2"  # an unmapped column is kept as a note


def test_every_bad_field_at_once_with_sheet_row_and_column(tmp_path: Path) -> None:
    rows = [HEADER,
            ["i01", "D+x", "NRK", "", "Nyhetr", "Tittel", "", "", "KH-99", ""],
            ["i 2", "", "NRK", "", "", "", "", "", "", ""],
            ["i01", "D+1", "NRK", "", "E-post", "Tittel", "", "", "", ""]]
    source = workbook(tmp_path / "bad.xlsx", rows)
    out = tmp_path / "bad.yaml"
    code, _, err = run("msel", "import", str(source), "-o", str(out), "--profile", "dreiebok")
    assert code == 1
    assert not out.exists()
    lines = [line for line in err.splitlines() if "E-MSEL" in line]
    assert f"{source}:2:2: E-MSEL-TIME sheet 'Dreiebok', cell B2 (Tid): bad time 'D+x'" in err
    assert any(":2:5: E-MSEL-CHANNEL" in line and "did you mean 'nyheter'" in line for line in lines)
    assert any(":2:9: W-MSEL-CRITERION" in line for line in err.splitlines())
    assert any(":3:1: E-MSEL-ID" in line for line in lines)
    assert any(":3:2: E-MSEL-TIME" in line and "empty" in line for line in lines)
    assert any(":3:5: E-MSEL-CHANNEL" in line for line in lines)
    assert any(":3:6: E-MSEL-TITLE" in line for line in lines)
    assert any(":4:1: E-MSEL-ID" in line and "used twice" in line for line in lines)
    assert len(lines) == 7


def test_a_scenario_that_needs_more_says_what_to_add(tmp_path: Path) -> None:
    rows = [HEADER, ["i01", "D+0 08:00", "", "", "E-post", "Start", "", "", "", ""],
            ["f01", "oppfølging 2d", "", "", "E-post", "Etterpå", "", "", "", ""]]
    out = tmp_path / "o.yaml"
    code, _, err = run("msel", "import", str(workbook(tmp_path / "o.xlsx", rows)), "-o", str(out))
    assert code == 1 and out.exists()
    assert "E-FOLLOWUP no option lists 'f01' in its follow_up" in err


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
@pytest.mark.parametrize("profile", ["dreiebok", "hseep"])
def test_export_import_export_is_identical(tmp_path: Path, path: Path, profile: str) -> None:
    first_csv, first_xlsx = tmp_path / "a.csv", tmp_path / "a.xlsx"
    assert run("msel", "export", str(path), "-o", str(first_csv), "--profile", profile)[0] == 0
    assert run("msel", "export", str(path), "-o", str(first_xlsx), "--profile", profile)[0] == 0
    for first in (first_csv, first_xlsx):
        imported = tmp_path / f"{first.suffix[1:]}.yaml"
        code, _, err = run("msel", "import", str(first), "-o", str(imported), "--profile", profile)
        assert code in (0, 1) and imported.exists(), err  # shipped scenarios' follow-ups need their decisions
        again = tmp_path / f"again{first.suffix}"
        assert run("msel", "export", str(imported), "-o", str(again), "--profile", profile)[0] == 0
        if first.suffix == ".csv":
            assert again.read_bytes() == first.read_bytes()
        else:
            assert sheet_values(again) == sheet_values(first)


def sheet_values(path: Path) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def test_export_never_writes_a_formula(tmp_path: Path) -> None:
    text = MINIMAL.replace('title: "Status"', 'title: "=HYPERLINK(\\"http://x\\",\\"klikk\\")"')
    scenario = tmp_path / "f.yaml"
    scenario.write_text(text, encoding="utf-8")
    assert run("msel", "export", str(scenario), "-o", str(tmp_path / "f.xlsx"))[0] == 0
    book = openpyxl.load_workbook(tmp_path / "f.xlsx")
    sheet = book.active
    assert sheet is not None
    cell = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    assert run("msel", "export", str(scenario), "-o", str(tmp_path / "f.csv"))[0] == 0
    assert "'=HYPERLINK" in (tmp_path / "f.csv").read_text(encoding="utf-8-sig")
    out = tmp_path / "back.yaml"
    run("msel", "import", str(tmp_path / "f.csv"), "-o", str(out))
    assert "\"=HYPERLINK(\\\"http://x\\\",\\\"klikk\\\")\"" in out.read_text(encoding="utf-8")


# --- bad spreadsheets ----------------------------------------------------------------------------

def import_problem(tmp_path: Path, source: Path, *extra: str) -> tuple[int, str]:
    code, _, err = run("msel", "import", str(source), "-o", str(tmp_path / "x.yaml"), *extra)
    assert "Traceback" not in err
    return code, err


def test_not_a_zip_and_truncated(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"ID;Tid\n")
    code, err = import_problem(tmp_path, fake)
    assert code == 2 and "E-MSEL-FORMAT not an .xlsx workbook: it is not a zip archive" in err
    good = workbook(tmp_path / "good.xlsx", good_rows()).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good[: len(good) // 2])
    code, err = import_problem(tmp_path, cut)
    assert code == 2 and "E-MSEL-FORMAT" in err


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_unpacking(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)  # packs ~1000:1
    assert bomb.stat().st_size < 100_000
    code, err = import_problem(tmp_path, bomb)
    assert code == 2 and "E-MSEL-ZIP" in err and "zip bomb" in err
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(1001):
            archive.writestr(f"p{n}", b"")
    assert "E-MSEL-ZIP" in import_problem(tmp_path, many)[1]


def test_a_formula_is_reported_at_its_cell(tmp_path: Path) -> None:
    rows = good_rows()
    rows[2][5] = "=A2&B2"
    code, err = import_problem(tmp_path, workbook(tmp_path / "f.xlsx", rows))
    assert code == 1 and ":3:6: E-MSEL-FORMULA cell F3 holds a formula (=A2&B2)" in err


def test_merged_cells_leave_the_cells_below_empty(tmp_path: Path) -> None:
    path = workbook(tmp_path / "m.xlsx", good_rows())
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    sheet.merge_cells("B2:B3")  # one time for two rows: B3 is empty in the file
    book.save(path)
    code, err = import_problem(tmp_path, path)
    assert code == 1 and "cell B3 (Tid): the time is empty" in err


def test_excel_dates_and_serial_numbers_with_a_start_date(tmp_path: Path) -> None:
    rows: list[list[Any]] = [HEADER, ["i01", dt.datetime(2023, 8, 6, 10, 30), "", "", "E-post", "Dato", "", "", "", ""],
            ["i02", 45145.5, "", "", "E-post", "Serienummer", "", "", "", ""]]  # 2023-08-07 12:00
    source = workbook(tmp_path / "dates.xlsx", rows)
    code, err = import_problem(tmp_path, source)
    assert code == 1 and "is a calendar time" in err and "--start" in err
    out = tmp_path / "dates.yaml"
    assert run("msel", "import", str(source), "-o", str(out), "--start", "2023-08-06")[0] == 0
    scenario = load_scenario(out).scenario
    assert scenario is not None and scenario.start_date == dt.date(2023, 8, 6)
    assert [i.at.minutes for i in scenario.injects if i.at is not None] == [10 * 60 + 30, 1440 + 12 * 60]
    code, err = import_problem(tmp_path, source, "--start", "2023-08-07")
    assert code == 1 and "before the start date" in err


def test_hidden_sheets_are_skipped_and_said(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    hidden = book.active
    assert hidden is not None
    hidden.title = "Gammel"
    hidden.append(["tull"])
    hidden.sheet_state = "hidden"
    visible = book.create_sheet("Dreiebok")
    for row in good_rows():
        visible.append(row)
    book.save(tmp_path / "h.xlsx")
    code, err = import_problem(tmp_path, tmp_path / "h.xlsx")
    assert code == 0 and "W-MSEL-HIDDEN the hidden sheet 'Gammel' was not read" in err
    code, err = import_problem(tmp_path, tmp_path / "h.xlsx", "--sheet", "Gamel")
    assert code == 2 and "did you mean 'Gammel'" in err


@pytest.mark.parametrize(("encoding", "delimiter"), [("cp1252", ";"), ("utf-8", "\t"), ("utf-16", ","),
                                                     ("utf-8-sig", "|")])
def test_csv_in_other_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(good_rows())
    source = tmp_path / "d.csv"
    source.write_bytes(out.getvalue().encode(encoding))
    target = tmp_path / "d.yaml"
    code, _, err = run("msel", "import", str(source), "-o", str(target))
    assert code == 0, err
    scenario = load_scenario(target).scenario
    assert scenario is not None and scenario.inject("i01").facilitator_notes.get() == "Åpningen"
    assert ("W-MSEL-ENCODING" in err) == (encoding == "cp1252")


def test_empty_sheet_and_sheet_without_header(tmp_path: Path) -> None:
    code, err = import_problem(tmp_path, workbook(tmp_path / "e.xlsx", []))
    assert code == 1 and "E-MSEL-EMPTY the sheet is empty" in err
    code, err = import_problem(tmp_path, workbook(tmp_path / "n.xlsx", [["a", "b"], ["c", "d"]]))
    assert code == 1 and "E-MSEL-HEADER" in err
    empty_csv = tmp_path / "e.csv"
    empty_csv.write_bytes(b"")
    assert "E-MSEL-EMPTY" in import_problem(tmp_path, empty_csv)[1]


def test_a_hundred_thousand_rows_stop_at_the_limit(tmp_path: Path) -> None:
    source = tmp_path / "big.csv"
    lines = [";".join(HEADER)] + [f"i{n};D+1;;;E-post;T{n};;;;" for n in range(100_000)]
    source.write_text("\n".join(lines), encoding="utf-8")
    code, err = import_problem(tmp_path, source)
    assert code == 1 and f"E-MSEL-ROWS more than {MAX_ROWS:,} rows" in err
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Dreiebok")
    sheet.append(HEADER)
    for n in range(MAX_ROWS + 5):
        sheet.append([f"i{n}", "D+1", "", "", "E-post", f"T{n}"])
    book.save(tmp_path / "big.xlsx")
    code, err = import_problem(tmp_path, tmp_path / "big.xlsx")
    assert code == 1 and "E-MSEL-ROWS" in err


def test_special_files_and_missing_files(tmp_path: Path) -> None:
    code, err = import_problem(tmp_path, tmp_path / "none.xlsx")
    assert code == 2 and "E-READ-MISSING" in err
    code, err = import_problem(tmp_path, Path("/dev/zero"))
    assert code == 2 and "E-READ" in err


def test_an_own_mapping(tmp_path: Path) -> None:
    rows = [["Når", "Hvem", "Hva", "Hvordan"], ["D+0 09:00", "NRK", "Nyhet om stengning", "Radio"]]
    source = workbook(tmp_path / "own.xlsx", rows)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  time: Når\n  from: Hvem\n  title: Hva\n  channel: [Hvordan]\n"
                       "channels:\n  Radio: news\n", encoding="utf-8")
    out = tmp_path / "own.yaml"
    code, _, err = run("msel", "import", str(source), "-o", str(out), "--mapping", str(mapping))
    assert code == 0, err
    scenario = load_scenario(out).scenario
    assert scenario is not None and scenario.injects[0].channel.value == "news"
    mapping.write_text("columns:\n  tiem: Når\n", encoding="utf-8")
    code, _, err = run("msel", "import", str(source), "-o", str(out), "--mapping", str(mapping))
    assert code == 1 and "E-MSEL-MAPPING unknown field 'tiem' (did you mean 'time'?)" in err
    mapping.write_text("columns:\n  time: Når\n  time: Hvem\n", encoding="utf-8")
    code, _, err = run("msel", "import", str(source), "-o", str(out), "--mapping", str(mapping))
    assert code == 1 and f"{mapping}:3:3: E-YAML-DUPKEY duplicate key 'time'" in err  # at the mapping's own path


def test_profiles_are_listed_and_printable_as_mappings(tmp_path: Path) -> None:
    code, out, _ = run("msel", "profiles")
    assert code == 0 and {"dreiebok", "hseep", "auto"} <= {line.split(":")[0] for line in out.splitlines()}
    code, out, _ = run("msel", "profiles", "--show", "hseep")
    mapping = tmp_path / "hseep.yaml"
    mapping.write_text(out, encoding="utf-8")
    source = tmp_path / "h.csv"
    assert run("msel", "export", str(SHIPPED[0]), "-o", str(source), "--profile", "hseep")[0] == 0
    code, _, err = run("msel", "import", str(source), "-o", str(tmp_path / "h.yaml"), "--mapping", str(mapping))
    assert code in (0, 1) and "E-MSEL" not in err


# --- inject cards --------------------------------------------------------------------------------

def test_cards_one_per_inject_and_decision_escaped(tmp_path: Path) -> None:
    text = MINIMAL.replace('title: "Status"', 'title: "<script>alert(1)</script> \\e]52;c;x\\a"')
    scenario = tmp_path / "c.yaml"
    scenario.write_text(text, encoding="utf-8")
    out = tmp_path / "cards.html"
    code, _, err = run("cards", str(scenario), "-o", str(out), "--size", "A5")
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert html.count('class="card"') == 5 + 1
    assert "<script>" not in html and "&lt;script&gt;" in html and "\x1b" not in html
    assert "size: A5" in html and "page-break-after: always" in html
    assert "KH-2" not in html  # evidence levels are the answers: never on a player's card
    assert "Daglig status" in html
    assert "Til øvingsleder" not in html
    with_notes = text.replace('title: "Vi ble ikke drøftet"',
                              'title: "Vi ble ikke drøftet"\n    facilitator_notes: "Hold igjen <b>svaret</b>"')
    scenario.write_text(with_notes, encoding="utf-8")
    facilitator = tmp_path / "f.html"
    assert run("cards", str(scenario), "-o", str(facilitator), "--facilitator")[0] == 0
    notes = facilitator.read_text(encoding="utf-8")
    assert "Til øvingsleder" in notes and "Hold igjen &lt;b&gt;svaret&lt;/b&gt;" in notes


def test_export_and_import_through_standard_output() -> None:
    code, out, _ = run("msel", "export", str(SHIPPED[0]), "-o", "-")
    assert code == 0 and out.splitlines()[0].lstrip("\ufeff").startswith("ID;Tid;Fra")


def test_cards_refuse_to_follow_a_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    link = tmp_path / "cards.html"
    link.symlink_to(victim)
    code, _, err = run("cards", str(SHIPPED[0]), "-o", str(link))
    assert "E-WRITE" in err
    assert code == 2 and victim.read_text(encoding="utf-8") == "keep"


def test_every_msel_code_is_documented() -> None:
    import re

    root = Path(__file__).resolve().parents[2]
    source = "\n".join(p.read_text(encoding="utf-8") for p in (root / "src" / "krise_ovelse" / "msel").glob("*.py"))
    guide = (root / "docs" / "import-export.md").read_text(encoding="utf-8")
    codes = set(re.findall(r'"([EW]-MSEL-[A-Z]+)"', source))
    assert codes and not sorted(code for code in codes if f"`{code}`" not in guide)
