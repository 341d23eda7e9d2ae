"""`krise-ovelse report` to Word and Excel by the output's extension, document control from the
command line, and the `krise-ovelse plan` commands that follow the measures up later."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from krise_ovelse.report import Status, load_plan

from .test_cli_report import files, invoke  # noqa: F401  (the fixture is used by name)


def _args(files: dict[str, Path]) -> tuple[str, ...]:  # noqa: F811
    return ("report", str(files["scenario"]), "--play", str(files["weak"]))


def test_word_and_workbook_by_extension_with_document_control(files: dict[str, Path],  # noqa: F811
                                                              tmp_path: Path) -> None:
    word = tmp_path / "rapport.docx"
    code, _, err = invoke(*_args(files), "-o", str(word), "--classification", "Begrenset", "--doc-status",
                          "approved", "--doc-version", "1.0", "--distribution", "Ledergruppen", "--author",
                          "Liv", "--approved-by", "Direktøren", "--report-date", "2024-03-04")
    assert code == 0, err
    document = Document(str(word))
    assert document.sections[0].header.paragraphs[0].text == "Begrenset"
    control = document.tables[0]
    assert [row.cells[1].text for row in control.rows] == ["2024-03-04", "1.0", "Godkjent", "Liv", "Direktøren",
                                                           "Ledergruppen", "Begrenset"]
    book = tmp_path / "tiltak.xlsx"
    code, _, err = invoke(*_args(files), "-o", str(book))
    assert code == 0, err
    sheet = load_workbook(book).active
    assert sheet is not None and sheet["A1"].value == "Nr." and sheet["A2"].value == "T1"
    code, _, err = invoke(*_args(files), "--format", "docx")
    assert code == 2 and "give -o FILE.docx" in err


@pytest.mark.parametrize(("name", "message"), [("rapport.pdf", "soffice --convert-to pdf"),
                                               ("rapport.doc", "--format md|html|docx|xlsx")])
def test_an_output_extension_that_says_no_format_is_refused(files: dict[str, Path], tmp_path: Path,  # noqa: F811
                                                            name: str, message: str) -> None:
    code, _, err = invoke(*_args(files), "-o", str(tmp_path / name))
    assert code == 2 and message in err
    assert not (tmp_path / name).exists()


def test_outputs_never_go_through_a_link(files: dict[str, Path], tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "rapport.docx"
    link.symlink_to(target)
    code, _, err = invoke(*_args(files), "-o", str(link))
    assert code == 2 and "E-WRITE-LINK" in err and err.count("hint:") == 1
    assert target.read_text(encoding="utf-8") == "keep me"


def test_plan_status_show_convert_and_the_next_exercise(files: dict[str, Path], tmp_path: Path) -> None:  # noqa: F811
    plan = tmp_path / "tiltak.xlsx"
    code, _, err = invoke(*_args(files), "--write-plan", str(plan))
    assert code == 0, err
    first = load_plan(plan).items[0]
    code, _, err = invoke("plan", "status", str(plan), first.id.lower(), "fullført", "--owner", "HR-direktør",
                          "--date", "2024-05-02")
    assert code == 0, err
    updated = load_plan(plan).items[0]
    assert (updated.status, updated.owner, updated.updated) == (Status.DONE, "HR-direktør", "2024-05-02")
    code, out, _ = invoke("plan", "show", str(plan), "--open")
    assert code == 0 and first.id not in out.split() and "Åpen" in out
    code, _, err = invoke("plan", "status", str(plan), "T99", "done")
    assert code == 1 and "no measure 'T99'" in err and "T1" in err
    code, _, err = invoke("plan", "status", str(plan), "T2", "halvferdig")
    assert code == 2 and "status must be one of" in err
    yaml_plan = tmp_path / "tiltak.yaml"
    code, _, err = invoke("plan", "convert", str(plan), str(yaml_plan))
    assert code == 0, err
    assert load_plan(yaml_plan) == load_plan(plan)
    code, _, err = invoke("plan", "convert", str(plan), str(yaml_plan))
    assert code == 2 and "exists" in err

    # the next exercise: its report follows the old plan up, its draft starts from the open measures
    code, out, err = invoke(*_args(files), "--previous-plan", str(yaml_plan))
    assert code == 0, err
    follow = out.split("### Oppfølging av tiltak fra forrige øvelse")[1].split("## ")[0]
    assert f"| {first.id} |" in follow and "Fullført" in follow
    following = tmp_path / "tiltak-2.yaml"
    code, _, err = invoke(*_args(files), "--previous-plan", str(yaml_plan), "--write-plan", str(following))
    assert code == 0, err
    carried = load_plan(following)
    old_open = [item.id for item in load_plan(yaml_plan).open_items()]
    assert [item.id for item in carried.items][:len(old_open)] == old_open
    assert first.id not in [item.id for item in carried.items]  # done: not carried, its number not reused
    assert first.criterion in [item.criterion for item in carried.items]  # the finding still gets a draft
