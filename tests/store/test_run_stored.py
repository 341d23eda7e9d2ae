"""`krise-ovelse run` records its run as a stored session unless told not to."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from krise_ovelse.cli import main
from krise_ovelse.paths import shipped_scenarios_dir

PLAY = shipped_scenarios_dir() / "playthroughs" / "kort-eksempel" / "sterkt.yaml"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout


def test_run_stores_the_session_and_prints_its_id(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    code, out = invoke("run", "kort-eksempel", "--play", str(PLAY), "--json", "--db", db)
    assert code == 0
    session_id = json.loads(out)["session_id"]
    code, listing = invoke("sessions", "--json", "--db", db)
    assert code == 0
    (session,) = json.loads(listing)["sessions"]
    assert session["id"] == session_id
    code, out = invoke("run", "kort-eksempel", "--play", str(PLAY), "--db", db)
    assert code == 0 and "Økt: " in out


def test_no_store_records_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    code, out = invoke("run", "kort-eksempel", "--json", "--no-store", "--db", str(db))
    assert code == 0
    assert json.loads(out)["session_id"] is None
    assert not db.exists()


def test_unusable_database_is_a_clear_error(tmp_path: Path) -> None:
    code, _ = invoke("run", "kort-eksempel", "--db", str(tmp_path))
    assert code == 2
