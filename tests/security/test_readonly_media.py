"""Item 10 of issue #13: read-only commands work on a WAL database on read-only media.

A WAL database whose directory cannot be written and that has no `-shm` file cannot be opened
by SQLite even read-only; the store opens it as an immutable file and the command says so.
As root a directory without write permission is still writable, so there it is made immutable
(`chattr +i`, as on read-only media nobody may create a file in it)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from krise_ovelse.cli import main


def _read_only(folder: Path, on: bool) -> None:
    if os.geteuid() == 0:
        result = subprocess.run(["chattr", "+i" if on else "-i", str(folder)], capture_output=True, check=False)
        if result.returncode != 0:
            pytest.skip("cannot make a directory read-only as root here (chattr)")
    else:
        folder.chmod(0o555 if on else 0o755)


@pytest.fixture
def readonly_db(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    db = tmp_path / "media" / "sessions.db"
    db.parent.mkdir()
    result = CliRunner().invoke(main, ["run", "kort-eksempel", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert not Path(f"{db}-shm").exists()  # the last connection closed cleanly
    _read_only(db.parent, True)
    try:
        yield db, json.loads(result.stdout)["session_id"]
    finally:
        _read_only(db.parent, False)


def test_read_only_commands_open_a_wal_db_on_read_only_media(readonly_db: tuple[Path, str]) -> None:
    db, session = readonly_db
    for args in (("sessions",), ("replay", session), ("export", session, "-o", "-"),
                 ("compare", session, session), ("report", session)):
        result = CliRunner().invoke(main, [*args, "--db", str(db)])
        assert result.exit_code == 0, (args, result.output)
        assert "read-only media" in result.stderr, (args, result.stderr)
        if args == ("sessions",):
            assert session[:8] in result.stdout
    assert sorted(p.name for p in db.parent.iterdir()) == ["sessions.db"]


def test_a_writable_store_is_not_opened_immutable(tmp_path: Path) -> None:
    from krise_ovelse.store.db import SessionStore

    db = tmp_path / "sessions.db"
    SessionStore(db).close()
    with SessionStore.for_reading(db) as store:
        assert not store.immutable
