"""Faults: damaged, locked, read-only and full databases give a clear message and the right exit
code, and never lose or change what was already stored."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from krise_ovelse.cli import main
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import StoreError
from krise_ovelse.store.exchange import export_to_path

from .store_helpers import SCENARIO_TEXT, make_event, make_events


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def checkpoint(path: Path) -> None:
    """Fold the WAL into the main file, as a clean shutdown does."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "sessions.db"
    path.write_bytes(b"These are my meeting notes, not a database.\n" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="damaged or is not a krise-øvelse database") as info:
        SessionStore(path)
    assert "file is not a database" in info.value.message
    assert info.value.exit_code == 2
    for args in (["sessions"], ["export", "abcd", "-o", str(tmp_path / "x.jsonl")],
                 ["import", str(tmp_path / "x.jsonl")]):
        result = run_cli(*args, "--db", str(path))
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert "not a krise-øvelse database" in result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize("keep", [0.5, 0.9, 100])
def test_a_truncated_database(tmp_path: Path, keep: float) -> None:
    """A copy cut short (a full USB stick, an interrupted copy) is reported, not trusted."""
    path = tmp_path / "sessions.db"
    with SessionStore(path) as store:
        for n in range(20):
            store.create_session(scenario_text=SCENARIO_TEXT * 50 + str(n), scenario_id="s",
                                 events=make_events(1, 30))
    checkpoint(path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)] if keep < 1 else data[: int(keep)])
    before = path.read_bytes()
    result = run_cli("sessions", "--db", str(path))
    assert "Traceback" not in result.output
    if result.exit_code == 0:  # the list pages survived; reading everything must still fail
        with SessionStore(path) as store, pytest.raises(StoreError, match="damaged"):
            for info in store.list_sessions():
                store.events(info.id)
                store.scenario_text(info.id)
            assert store.integrity_problems() == []  # pragma: no cover
    else:
        assert result.exit_code == 2
        assert "damaged" in result.output
    assert path.read_bytes() == before


def test_a_locked_database_waits_then_says_so(store: SessionStore, session: str,
                                              db_path: Path) -> None:
    before = store.events(session)
    other = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(StoreError, match="locked by another process") as info:
            store.append(session, [make_event(6)])
        assert info.value.exit_code == 2
        result = run_cli("import", "nofile.jsonl", "--db", str(db_path))
        assert "Traceback" not in result.output
        assert store.events(session) == before  # readers are not blocked in WAL mode
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.events(session) == before
    assert store.append(session, [make_event(6)]) == 6  # and the store works again


def test_an_exclusive_lock_blocks_even_reading(store: SessionStore, session: str,
                                               db_path: Path, tmp_path: Path) -> None:
    store.close()  # in WAL mode an exclusive lock needs every other connection closed
    other = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        result = run_cli("export", session, "-o", str(tmp_path / "x.jsonl"), "--db", str(db_path))
        assert result.exit_code == 2
        assert "locked" in result.output and "Traceback" not in result.output
    finally:
        other.execute("ROLLBACK")
        other.close()
    with SessionStore(db_path) as again:
        assert again.events(session) == make_events(1, 5)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions, which root bypasses")
def test_a_read_only_directory(tmp_path: Path) -> None:  # pragma: no cover - not run as root
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        result = run_cli("import", "x.jsonl", "--db", str(ro / "sessions.db"))
        assert result.exit_code == 2
        assert "read-only" in result.output or "cannot open" in result.output
    finally:
        ro.chmod(0o755)


def test_a_read_only_database_file_refuses_writes_keeps_data(store: SessionStore, session: str) -> None:
    """SQLite's own read-only refusal (as for a file without write permission, or on
    read-only media), forced with query_only since the tests may run as root."""
    before = store.events(session)
    store._conn.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError, match="read-only") as info:
        store.append(session, [make_event(6)])
    assert info.value.exit_code == 2
    with pytest.raises(StoreError, match="read-only"):
        store.create_session(scenario_text="x", scenario_id="x")
    store._conn.execute("PRAGMA query_only = OFF")
    assert store.events(session) == before
    assert store.count_sessions() == 1


def test_read_only_media_still_lists_and_exports(store: SessionStore, session: str, db_path: Path,
                                                 tmp_path: Path) -> None:
    store.close()
    checkpoint(db_path)
    ro = SessionStore(db_path, readonly=True)
    assert [s.id for s in ro.list_sessions()] == [session]
    with pytest.raises(StoreError, match="read-only"):
        ro.append(session, [make_event(6)])
    assert export_to_path(ro, session, tmp_path / "x.jsonl") == 5
    ro.close()


def test_a_database_path_whose_directory_cannot_exist(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("I am a file, not a directory")
    result = run_cli("import", "x.jsonl", "--db", str(blocker / "sessions.db"))
    assert result.exit_code == 2
    assert "cannot" in result.output and "Traceback" not in result.output
    assert blocker.read_text() == "I am a file, not a directory"


def test_a_directory_given_as_the_database(tmp_path: Path) -> None:
    """`--db /tmp` names a directory: say so (exit 2), not SQLite's "disk I/O error"."""
    for args in (["sessions"], ["replay", "abcd"], ["run", "kort-eksempel"]):
        result = run_cli(*args, "--db", str(tmp_path))
        assert result.exit_code == 2, result.output
        assert f"{tmp_path} is a directory" in result.output, result.output
        assert "I/O" not in result.output and "Traceback" not in result.output
    with pytest.raises(StoreError, match="is a directory"):
        SessionStore(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_disk_full_for_real_via_max_page_count(store: SessionStore, session: str) -> None:
    """SQLite returns SQLITE_FULL exactly as on a full disk when max_page_count is reached."""
    before = store.events(session)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    big = [{**make_event(6), "payload": {"blob": "x" * 200_000}}]
    with pytest.raises(StoreError, match="disk is full") as info:
        store.append(session, big)
    assert info.value.exit_code == 2
    assert store.events(session) == before
    assert store.last_seq(session) == 5
    store._conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    assert store.append(session, big) == 6
    assert store.integrity_problems() == []


class FullDisk:
    """A connection whose writes of events fail the way a full disk makes them fail."""

    def __init__(self, conn: sqlite3.Connection, fail_on: str) -> None:
        self._conn = conn
        self.fail_on = fail_on

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.startswith(self.fail_on):
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        if sql.startswith(self.fail_on):
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.executemany(sql, *args)


@pytest.mark.parametrize("fail_on", ["INSERT INTO events", "COMMIT", "INSERT INTO sessions"])
def test_disk_full_patched_writer(store: SessionStore, session: str, fail_on: str,
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from krise_ovelse.authoring import load_scenario_text
    from krise_ovelse.paths import shipped_scenarios_dir
    from krise_ovelse.store.engine_bridge import run_headless_stored

    text = (shipped_scenarios_dir() / "examples" / "kort-eksempel.yaml").read_text(encoding="utf-8")
    scenario = load_scenario_text(text, "kort-eksempel.yaml").scenario
    assert scenario is not None
    played, _ = run_headless_stored(store, scenario, text)  # import replays: a real session
    before = [(s.to_dict(), store.events(s.id)) for s in store.list_sessions()]
    export_to_path(store, played, tmp_path / "x.jsonl")
    real = store._conn
    monkeypatch.setattr(store, "_conn", FullDisk(real, fail_on))
    with pytest.raises(StoreError, match="disk is full"):
        if fail_on == "INSERT INTO sessions":
            store.create_session(scenario_text="y", scenario_id="y", events=make_events(1, 3))
        else:
            store.append(session, [make_event(6), make_event(7)])
    from krise_ovelse.store.importing import import_verified

    with pytest.raises(StoreError, match="disk is full"):
        import_verified(store, tmp_path / "x.jsonl", new_id=True)
    monkeypatch.setattr(store, "_conn", real)
    assert not real.in_transaction
    assert [(s.to_dict(), store.events(s.id)) for s in store.list_sessions()] == before


def test_disk_full_through_the_cli(db_path: Path, tmp_path: Path) -> None:
    """`import` on a full disk: message, exit 2, database unchanged (run in a subprocess that
    caps the database size, which is how SQLite sees a full disk)."""
    from krise_ovelse.authoring import load_scenario_text
    from krise_ovelse.paths import shipped_scenarios_dir
    from krise_ovelse.store.engine_bridge import run_headless_stored

    text = (shipped_scenarios_dir() / "maratonet.yaml").read_text(encoding="utf-8")
    scenario = load_scenario_text(text, "maratonet.yaml").scenario
    assert scenario is not None
    with SessionStore(db_path) as store:
        sid, _ = run_headless_stored(store, scenario, text)  # import replays: a real (long) session
        export_to_path(store, sid, tmp_path / "x.jsonl")
        before = [(s.to_dict(), store.events(s.id)) for s in store.list_sessions()]
    script = (
        "import sys, sqlite3\n"
        "from krise_ovelse.store import db\n"
        "real = db.SessionStore._connect\n"
        "def capped(self):\n"
        "    conn = real(self)\n"
        "    pages = conn.execute('PRAGMA page_count').fetchone()[0]\n"
        "    conn.execute(f'PRAGMA max_page_count = {pages + 2}')\n"
        "    return conn\n"
        "db.SessionStore._connect = capped\n"
        "from krise_ovelse.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, "import", str(tmp_path / "x.jsonl"),
                           "--new-id", "--db", str(db_path)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "disk is full" in proc.stderr and "Traceback" not in proc.stderr
    with SessionStore(db_path) as store:
        assert [(s.to_dict(), store.events(s.id)) for s in store.list_sessions()] == before


def test_unknown_id_everywhere(store: SessionStore, session: str, db_path: Path,
                               tmp_path: Path) -> None:
    result = run_cli("export", "deadbeef0000", "-o", str(tmp_path / "x.jsonl"), "--db", str(db_path))
    assert result.exit_code == 2
    assert "no session with id 'deadbeef0000'" in result.output
    assert "krise-ovelse sessions" in result.output
    assert not (tmp_path / "x.jsonl").exists()
    assert store.events(session) == make_events(1, 5)


def test_an_id_too_short_to_be_a_prefix(store: SessionStore, session: str, db_path: Path) -> None:
    result = run_cli("replay", session[:2], "--db", str(db_path))
    assert result.exit_code == 2
    assert f"no session with id {session[:2]!r}: a shortened id needs at least 4 characters" in result.output
    assert "Traceback" not in result.output


def test_bad_export_line_through_the_cli(store: SessionStore, session: str, db_path: Path,
                                         tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    export_to_path(store, session, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3][:-5]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    other = tmp_path / "other.db"
    result = run_cli("import", str(path), "--db", str(other))
    assert result.exit_code == 1
    assert f"{path}:4: not valid JSON" in result.output
    assert "Traceback" not in result.output
    with SessionStore(other) as fresh:
        assert fresh.list_sessions() == []
    result = run_cli("import", str(path), "--db", str(db_path))
    assert result.exit_code == 1
    assert store.events(session) == make_events(1, 5)
    assert store.count_sessions() == 1


_DISK = ("cannot {action} the session database {p}: the disk is full; nothing was written by this command",
         "free some space (or choose another place with --db / KRISE_OVELSE_DB) and try again; what was stored "
         "before is unchanged")
_READ_ONLY = ("cannot write to the session database {p}: the file or its directory is read-only",
              "check the permissions, or choose another place with --db or KRISE_OVELSE_DB")
_OPEN = ("cannot open the session database {p} ({text})",
         "check that the directory exists and is writable, or choose another place with --db or KRISE_OVELSE_DB")
_DAMAGED = ("the session database {p} is damaged or is not a krise-øvelse database ({text})",
            "restore it from a backup or an export (`krise-ovelse import`), or start a new one with --db; "
            "krise-øvelse did not change the file")
_LOCKED = ("the session database {p} is locked by another process ({text})",
           "close the other krise-ovelse window or command that uses it, then try again")


@pytest.mark.parametrize(("error", "expected"), [
    (sqlite3.OperationalError("database is locked"), _LOCKED),
    (sqlite3.OperationalError("database table is busy"), _LOCKED),
    (sqlite3.OperationalError("database or disk is full"), _DISK),
    (sqlite3.OperationalError("disk full"), _DISK),
    (OSError(28, "No space left on device"), _DISK),
    (sqlite3.OperationalError("attempt to write a readonly database"), _READ_ONLY),
    (sqlite3.OperationalError("the medium is read-only"), _READ_ONLY),
    (PermissionError(13, "Permission denied"), _READ_ONLY),
    (sqlite3.OperationalError("unable to open database file"), _OPEN),
    (OSError(2, "No such file or directory"), _OPEN),
    (sqlite3.DatabaseError("file is not a database"), _DAMAGED),
    (sqlite3.OperationalError("database disk image is malformed"), _DAMAGED),
    (sqlite3.OperationalError("corrupt index"), _DAMAGED),
    (sqlite3.DatabaseError("something SQLite has not said before"), _DAMAGED),
    (sqlite3.IntegrityError("UNIQUE constraint failed: sessions.id"), ("cannot {action} the session database {p}: "
                                                                       "{text}", "")),
    (sqlite3.OperationalError("no such table: sessions"), ("cannot {action} the session database {p}: {text}", "")),
])
@pytest.mark.parametrize("action", ["use", "write to"])
def test_every_database_failure_is_one_sentence_with_what_to_do(error: BaseException, expected: tuple[str, str],
                                                                action: str) -> None:
    from krise_ovelse.store.errors import translate

    translated = translate(error, "/data/s.db", action) if action != "use" else translate(error, "/data/s.db")
    message, hint = expected
    assert (translated.message, translated.hint, translated.exit_code) == (
        message.format(action=action, p="/data/s.db", text=str(error)), hint, 2)
    already = StoreError("said already")
    assert translate(already, "/data/s.db") is already
