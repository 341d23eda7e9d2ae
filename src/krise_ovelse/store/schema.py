"""The database schema, versioned with `PRAGMA user_version` and upgraded by a list of migrations.

Why this shape:

- `events` is the record of what happened. It is append-only: triggers abort any UPDATE or
  DELETE, and a BEFORE INSERT trigger refuses an event whose `seq` is not exactly one more than
  the session's last stored `seq`. So whatever code (ours, a future one, a person with the
  sqlite3 shell) touches the file, a session's history can only grow, without gaps, and a crash
  can at worst lose the command that was being committed -- never reorder or damage the rest.
- `events` is `WITHOUT ROWID` with the key (session_id, seq): a session's events lie together
  in key order, so loading one for replay is a single range scan.
- Scenario texts live in their own table keyed by their sha256 (v2). Listing sessions never
  touches them, and a hundred runs of one scenario store its text once.
- Each migration runs in its own `BEGIN IMMEDIATE` transaction together with the new
  `user_version`, so an interrupted upgrade leaves the previous version intact, and two
  processes opening an old file at once upgrade it once.

Migrations are append-only too: never edit one that has shipped; add the next one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import attrs

from krise_ovelse.store.errors import StoreError

STATUSES = ("running", "paused", "ended", "interrupted")


@attrs.frozen
class Migration:
    version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


def _v1_initial(conn: sqlite3.Connection) -> None:
    """The first schema: sessions with their scenario text inline, and the append-only events."""
    conn.execute(
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            scenario_id TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            scenario_text TEXT NOT NULL,
            scenario_sha256 TEXT NOT NULL,
            seed INTEGER,
            team TEXT NOT NULL DEFAULT '',
            participants TEXT NOT NULL DEFAULT '[]',
            facilitator TEXT NOT NULL DEFAULT '',
            started TEXT NOT NULL,
            ended TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'paused', 'ended', 'interrupted')),
            mode TEXT NOT NULL DEFAULT 'live'
        )"""
    )
    conn.execute(
        """
        CREATE TABLE events (
            session_id TEXT NOT NULL REFERENCES sessions(id),
            seq INTEGER NOT NULL CHECK (seq >= 1),
            kind TEXT NOT NULL CHECK (kind <> ''),
            payload TEXT NOT NULL,
            scenario_minutes,  -- no declared type: 480 stays 480 and 7.5 stays 7.5
            exercise_seconds,
            wall,
            PRIMARY KEY (session_id, seq)
        ) WITHOUT ROWID"""
    )
    conn.execute(
        """
        CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only: an event cannot be changed'); END"""
    )
    conn.execute(
        """
        CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only: an event cannot be deleted'); END"""
    )
    conn.execute(
        """
        CREATE TRIGGER events_seq_contiguous BEFORE INSERT ON events
        WHEN NEW.seq <> 1 + COALESCE(
            (SELECT MAX(seq) FROM events WHERE session_id = NEW.session_id), 0)
        BEGIN SELECT RAISE(ABORT, 'event seq must be the last stored seq + 1 (no gaps)'); END"""
    )


def _v2_scenario_texts_and_branches(conn: sqlite3.Connection) -> None:
    """Move scenario texts to a table keyed by hash; add what-if branches, the scoring cache,
    the owner of a running session and the columns `sessions` lists, with an index."""
    conn.execute(
        """
        CREATE TABLE scenario_texts (
            sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
            text TEXT NOT NULL
        )"""
    )
    conn.execute(
        "INSERT OR IGNORE INTO scenario_texts (sha256, text) "
        "SELECT scenario_sha256, scenario_text FROM sessions"
    )
    # The SQLite way to drop a column on any version: build the new table, copy, swap.
    conn.execute(
        """
        CREATE TABLE sessions_v2 (
            id TEXT PRIMARY KEY,
            scenario_id TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            scenario_sha256 TEXT NOT NULL REFERENCES scenario_texts(sha256),
            seed INTEGER,
            team TEXT NOT NULL DEFAULT '',
            participants TEXT NOT NULL DEFAULT '[]',
            facilitator TEXT NOT NULL DEFAULT '',
            started TEXT NOT NULL,
            ended TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'paused', 'ended', 'interrupted')),
            mode TEXT NOT NULL DEFAULT 'live',
            parent_id TEXT REFERENCES sessions(id),
            branch_decision TEXT,
            branch_seq INTEGER,
            last_seq INTEGER NOT NULL DEFAULT 0,
            owner TEXT,
            updated TEXT,
            score_index REAL,
            summary TEXT
        )"""
    )
    conn.execute(
        """
        INSERT INTO sessions_v2 (id, scenario_id, title, scenario_sha256, seed, team,
            participants, facilitator, started, ended, status, mode, last_seq)
        SELECT s.id, s.scenario_id, s.title, s.scenario_sha256, s.seed, s.team, s.participants,
            s.facilitator, s.started, s.ended, s.status, s.mode,
            COALESCE((SELECT MAX(seq) FROM events e WHERE e.session_id = s.id), 0)
        FROM sessions s"""
    )
    conn.execute("DROP TABLE sessions")
    conn.execute("ALTER TABLE sessions_v2 RENAME TO sessions")
    conn.execute("CREATE INDEX sessions_by_started ON sessions (started, id)")
    conn.execute("CREATE INDEX sessions_by_parent ON sessions (parent_id) WHERE parent_id IS NOT NULL")
    conn.execute(
        """
        CREATE TRIGGER events_track_last_seq AFTER INSERT ON events
        BEGIN UPDATE sessions SET last_seq = NEW.seq WHERE id = NEW.session_id; END"""
    )
    conn.execute(
        """
        CREATE TRIGGER sessions_identity_fixed
        BEFORE UPDATE OF id, scenario_id, scenario_sha256, seed, started, parent_id,
            branch_decision, branch_seq ON sessions
        BEGIN SELECT RAISE(ABORT, 'a session''s identity and scenario cannot be changed'); END"""
    )
    conn.execute(
        """
        CREATE TRIGGER scenario_texts_immutable BEFORE UPDATE ON scenario_texts
        BEGIN SELECT RAISE(ABORT, 'a stored scenario text cannot be changed'); END"""
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "sessions and append-only events", _v1_initial),
    Migration(2, "scenario texts by hash, branches, scoring cache, list index",
              _v2_scenario_texts_and_branches),
)
CURRENT_VERSION = MIGRATIONS[-1].version
OUR_TABLES = frozenset({"sessions", "events", "scenario_texts"})


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_openable(conn: sqlite3.Connection, db_path: Path | str) -> int:
    """The file's schema version, after making sure it is ours and not from a newer release.

    Runs before anything writes to the file (even the switch to WAL), so a file we refuse is
    left byte for byte as it was.
    """
    version = user_version(conn)
    if version > CURRENT_VERSION:
        raise StoreError(
            f"the session database {db_path} was written by a newer krise-øvelse "
            f"(schema {version}, this version knows {CURRENT_VERSION})",
            hint="upgrade krise-ovelse, or use another database with --db",
        )
    if version == 0:
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        if tables - OUR_TABLES:
            raise StoreError(
                f"{db_path} is an SQLite database, but not a krise-øvelse session database "
                f"(it has tables {', '.join(sorted(tables))})",
                hint="point --db or KRISE_OVELSE_DB at another file; this one was not changed",
            )
    return version


def migrate(conn: sqlite3.Connection, db_path: Path | str, target: int = CURRENT_VERSION) -> int:
    """Bring the database up to `target`; return the version it had before.

    `conn` must be in autocommit mode (isolation_level=None). Foreign keys are switched off
    while a migration rebuilds a table (SQLite ignores that pragma inside a transaction) and
    checked before each migration commits.
    """
    before = check_openable(conn, db_path)
    if before >= target:
        return before
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for migration in MIGRATIONS:
            if migration.version > target:
                break
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Re-read under the write lock: another process may have upgraded meanwhile.
                if user_version(conn) >= migration.version:
                    conn.execute("ROLLBACK")
                    continue
                migration.apply(conn)
                bad = conn.execute("PRAGMA foreign_key_check").fetchall()
                if bad:
                    raise StoreError(
                        f"cannot upgrade {db_path} to schema {migration.version}: "
                        f"{len(bad)} row(s) refer to missing rows", hint="the file was not changed")
                conn.execute(f"PRAGMA user_version = {int(migration.version)}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return before
