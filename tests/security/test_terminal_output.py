"""Item 2 of issue #13 (output side): no text from a file reaches the terminal or an output file
as a control. Every CLI command is run on a hostile scenario and playthrough (see hostile.py) and
its stdout, stderr and files are searched for raw ESC, C1, BEL, NUL and U+202E."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from krise_ovelse.cli import main

from .hostile import assert_clean, hostile_files


def cli(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert_clean(result.stdout, f"stdout of {args[0]}")
    assert_clean(result.stderr, f"stderr of {args[0]}")
    return result


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    return hostile_files(tmp_path)


@pytest.fixture
def stored(hostile: tuple[Path, Path], tmp_path: Path) -> str:
    scenario, play = hostile
    result = CliRunner().invoke(main, ["run", str(scenario), "--play", str(play), "--json"])
    assert result.exit_code == 0, result.output
    session_id: str = json.loads(result.stdout)["session_id"]
    return session_id


def test_authoring_commands_print_no_controls(hostile: tuple[Path, Path], tmp_path: Path) -> None:
    scenario, play = hostile
    assert cli("validate", str(scenario)).exit_code == 0
    assert cli("lint", str(scenario)).exit_code in (0, 1)
    assert cli("inspect", str(scenario)).exit_code == 0
    assert cli("inspect", "--json", str(scenario)).exit_code == 0
    out = cli("dreiebok", str(scenario))
    assert "␛" in out.stdout  # shown, not dropped: the reader sees what the file says
    assert cli("dreiebok", str(scenario), "-o", str(tmp_path / "d.md")).exit_code == 0
    assert_clean((tmp_path / "d.md").read_text(encoding="utf-8"), "dreiebok -o")
    assert cli("run", str(scenario), "--play", str(play), "--no-store").exit_code == 0


def test_session_commands_print_no_controls(stored: str, hostile: tuple[Path, Path], tmp_path: Path) -> None:
    scenario, play = hostile
    for args in (("sessions",), ("sessions", "--json"), ("replay", stored), ("replay", stored, "--json"),
                 ("compare", stored, stored), ("rescore", stored), ("export", stored, "-o", "-"),
                 ("report", stored), ("report", stored, "--format", "html")):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)
    for fmt in ("md", "html"):
        target = tmp_path / f"r.{fmt}"
        assert cli("report", stored, "-o", str(target)).exit_code == 0
        assert_clean(target.read_text(encoding="utf-8"), f"report -o .{fmt}")
    assert cli("report", str(scenario), "--play", str(play)).exit_code == 0
    branch = cli("branch", stored, "--at", "d02")
    assert branch.exit_code == 0, branch.output


def test_exported_file_holds_no_raw_controls_and_imports_unchanged(stored: str, tmp_path: Path) -> None:
    target = tmp_path / "x.jsonl"
    assert cli("export", stored, "-o", str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert_clean(text, "export file")
    assert "\\u009b" in text  # escaped in JSON: the same data
    db = tmp_path / "other.db"
    assert cli("import", str(target), "--db", str(db)).exit_code == 0
    replay = cli("replay", stored, "--db", str(db))
    assert replay.exit_code == 0, replay.output


def test_validate_directory_names_files_without_controls(tmp_path: Path) -> None:
    (tmp_path / "a\x1b]0;PWNED\x07\u202e.yaml").write_text("schema_version: [", encoding="utf-8")
    result = cli("validate", str(tmp_path))
    assert result.exit_code == 1
    assert "␛]0;PWNED␇‹U+202E›.yaml" in result.stderr + result.stdout
