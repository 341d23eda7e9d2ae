"""Old databases open and are upgraded; unknown and newer ones are refused, untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from krise_ovelse.store import schema
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import StoreError

from .store_helpers import SCENARIO_TEXT, make_event

# The schema as version 1 shipped it, frozen here on purpose: if someone edits migration 1 in
# schema.py, this fixture still builds what real v1 files on users' disks look like.
V1_DDL = """
CREATE TABLE sessions (
    id TEXT PRIMARY KEY, scenario_id TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',
    scenario_text TEXT NOT NULL, scenario_sha256 TEXT NOT NULL, seed INTEGER,
    team TEXT NOT NULL DEFAULT '', participants TEXT NOT NULL DEFAULT '[]',
    facilitator TEXT NOT NULL DEFAULT '', started TEXT NOT NULL, ended TEXT,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'paused', 'ended', 'interrupted')),
    mode TEXT NOT NULL DEFAULT 'live');
CREATE TABLE events (
    session_id TEXT NOT NULL REFERENCES sessions(id), seq INTEGER NOT NULL CHECK (seq >= 1),
    kind TEXT NOT NULL CHECK (kind <> ''), payload TEXT NOT NULL,
    scenario_minutes, exercise_seconds, wall,
    PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: an event cannot be changed'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: an event cannot be deleted'); END;
CREATE TRIGGER events_seq_contiguous BEFORE INSERT ON events
WHEN NEW.seq <> 1 + COALESCE((SELECT MAX(seq) FROM events WHERE session_id = NEW.session_id), 0)
BEGIN SELECT RAISE(ABORT, 'event seq must be the last stored seq + 1 (no gaps)'); END;
PRAGMA user_version = 1;
"""


def make_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1_DDL)
    sha = hashlib.sha256(SCENARIO_TEXT.encode()).hexdigest()
    for sid, team, n in (("aaaa0001", "Lag A", 4), ("bbbb0002", "Lag B", 2), ("cccc0003", "", 0)):
        conn.execute("INSERT INTO sessions (id, scenario_id, title, scenario_text, scenario_sha256, "
                     "seed, team, participants, started, status) VALUES (?, 's', 'T', ?, ?, 3, ?, "
                     "'[\"Kari\"]', '2024-05-01T10:00:00+00:00', 'paused')",
                     (sid, SCENARIO_TEXT, sha, team))
        for seq in range(1, n + 1):
            conn.execute("INSERT INTO events VALUES (?, ?, 'note', ?, ?, ?, ?)",
                         (sid, seq, f'{{"n": {seq}}}', seq * 60, seq * 1.5, "2024-05-01T10:00:00"))
    conn.commit()
    conn.close()


def test_a_v1_database_is_upgraded_with_everything_kept(db_path: Path) -> None:
    make_v1(db_path)
    with SessionStore(db_path) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == schema.CURRENT_VERSION
        sessions = {s.id: s for s in store.list_sessions()}
        assert set(sessions) == {"aaaa0001", "bbbb0002", "cccc0003"}
        a = sessions["aaaa0001"]
        assert (a.team, a.seed, a.participants, a.status, a.last_seq) == ("Lag A", 3, ("Kari",),
                                                                          "paused", 4)
        assert sessions["cccc0003"].last_seq == 0
        assert store.scenario_text("bbbb0002") == SCENARIO_TEXT
        assert store.events("aaaa0001")[2] == {"seq": 3, "kind": "note", "n": 3,
                                               "scenario_minutes": 180, "exercise_seconds": 4.5,
                                               "wall": "2024-05-01T10:00:00"}
        # The upgraded file keeps enforcing history and takes new events.
        assert store.append("aaaa0001", [make_event(5)]) == 5
        with pytest.raises(sqlite3.IntegrityError):
            store._conn.execute("DELETE FROM events")
        assert store._conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.integrity_problems() == []


def test_an_empty_v0_file_becomes_a_store(db_path: Path) -> None:
    db_path.write_bytes(b"")
    with SessionStore(db_path) as store:
        assert store.count_sessions() == 0
    conn = sqlite3.connect(db_path)  # a v0 database made by the sqlite3 shell: no tables yet
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.CURRENT_VERSION
    conn.close()
    other = db_path.with_name("v0.db")
    sqlite3.connect(other).execute("PRAGMA page_size = 4096").close()
    with SessionStore(other) as store:
        assert store.list_sessions() == []


def test_migrating_step_by_step_gives_the_same_schema_as_fresh(tmp_path: Path) -> None:
    def shape(path: Path) -> set[tuple[str, str]]:
        conn = sqlite3.connect(path)
        rows = {(r[0], r[1]) for r in conn.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
        cols = {("col", f"{t}.{c[1]}") for t in ("sessions", "events", "scenario_texts")
                for c in conn.execute(f"PRAGMA table_info({t})")}
        conn.close()
        return rows | cols

    make_v1(tmp_path / "old.db")
    SessionStore(tmp_path / "old.db").close()
    SessionStore(tmp_path / "new.db").close()
    assert shape(tmp_path / "old.db") == shape(tmp_path / "new.db")


def test_a_failed_migration_leaves_the_old_version_intact(db_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    make_v1(db_path)

    def boom(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(schema, "MIGRATIONS", (schema.MIGRATIONS[0], schema.Migration(2, "x", boom)))
    with pytest.raises(StoreError, match="disk is full"):
        SessionStore(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 6
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall() == []
    conn.close()
    monkeypatch.undo()
    with SessionStore(db_path) as store:  # and a later, working upgrade succeeds
        assert store.last_seq("aaaa0001") == 4


def test_a_newer_database_is_refused_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer krise-øvelse") as info:
        SessionStore(db_path)
    assert info.value.exit_code == 2
    assert db_path.read_bytes() == before


def test_someone_elses_sqlite_file_is_refused_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE invoices (id, amount)")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="not a krise-øvelse session database"):
        SessionStore(db_path)
    assert db_path.read_bytes() == before


def test_the_refusals_say_exactly_what_is_wrong_and_what_to_do(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError) as info:
        SessionStore(newer)
    assert (info.value.message, info.value.hint) == (
        f"the session database {newer} was written by a newer krise-øvelse (schema {schema.CURRENT_VERSION + 1}, "
        f"this version knows {schema.CURRENT_VERSION})", "upgrade krise-ovelse, or use another database with --db")
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE invoices (id)")
    conn.execute("CREATE TABLE events (id)")  # one of ours by name does not make it ours
    conn.close()
    with pytest.raises(StoreError) as info:
        SessionStore(foreign)
    assert (info.value.message, info.value.hint) == (
        f"{foreign} is an SQLite database, but not a krise-øvelse session database (it has tables events, invoices)",
        "point --db or KRISE_OVELSE_DB at another file; this one was not changed")


def test_an_upgrade_that_would_leave_rows_pointing_nowhere_is_refused(db_path: Path) -> None:
    make_v1(db_path)
    conn = sqlite3.connect(db_path)  # foreign keys are off in a plain connection: v1 files can hold this
    conn.execute("INSERT INTO events VALUES ('ghost', 1, 'note', '{}', 0, 0, '')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as info:
        SessionStore(db_path)
    assert (info.value.message, info.value.hint) == (
        f"cannot upgrade {db_path} to schema 2: 1 row(s) refer to missing rows", "the file was not changed")
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_migrate_stops_at_the_target_and_returns_the_version_before(db_path: Path) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    assert schema.migrate(conn, db_path, target=1) == 0
    assert schema.user_version(conn) == 1
    assert schema.migrate(conn, db_path, target=1) == 1
    assert schema.migrate(conn, db_path) == 1
    assert schema.user_version(conn) == schema.CURRENT_VERSION
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # on again after the rebuild
    conn.close()


def test_an_old_database_opened_read_only_cannot_be_upgraded(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    make_v1(old)
    with pytest.raises(StoreError) as info:
        SessionStore(old, readonly=True)
    assert (info.value.message, info.value.hint) == (
        f"the session database {old} has schema version 1, and this krise-øvelse needs {schema.CURRENT_VERSION}; "
        "it cannot be upgraded because it is read-only", "open it once where it is writable, or copy it")
