"""Item 9 of issue #13 (locks): a failed `resume --force --play` leaves a live console's session
as it was — still running and owned by the console — instead of unowned and open to a second
console."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from krise_ovelse.cli import main
from krise_ovelse.paths import shipped_scenarios_dir
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import StoreError
from krise_ovelse.store.session_rows import this_host

EXAMPLE = shipped_scenarios_dir() / "examples" / "kort-eksempel.yaml"
PLAY = shipped_scenarios_dir() / "playthroughs" / "kort-eksempel" / "blandet.yaml"


def test_a_failed_forced_resume_leaves_the_live_console_its_session(tmp_path: Path) -> None:
    from krise_ovelse.authoring import load_scenario_text
    from krise_ovelse.store.lifecycle import start_session

    db = tmp_path / "s.db"
    text = EXAMPLE.read_text(encoding="utf-8")
    scenario = load_scenario_text(text, str(EXAMPLE)).scenario
    assert scenario is not None
    console = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])  # the live console
    try:
        with SessionStore(db) as store:
            live = start_session(store, scenario, text, team="Lag i konsollen")
            session_id = live.session_id
        owner = f"{this_host()}:{console.pid}"
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE sessions SET status = 'running', owner = ? WHERE id = ?", (owner, session_id))
        conn.close()

        result = CliRunner().invoke(main, ["resume", session_id, "--force", "--play", str(PLAY), "--db", str(db)])
        assert result.exit_code == 1, result.output  # not this playthrough's session

        with SessionStore(db) as store:
            info = store.get(session_id)
            assert info.owner == owner and info.status == "running"
            with pytest.raises(StoreError, match="open"):
                store.claim(session_id)  # a second console is still refused
    finally:
        console.kill()
        console.wait()
    assert os.path.exists(db)
