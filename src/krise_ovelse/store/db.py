"""The SQLite session store: one file, many sessions, each an append-only list of events.

Crash safety, and why each setting is there:

- WAL journal: a writer appends pages to `sessions.db-wal` and never rewrites the main file
  in place during a transaction, so a process killed mid-commit leaves the last committed
  state readable; readers (a second window, `krise-ovelse replay` on a live session) see a
  consistent snapshot while the exercise keeps writing.
- `synchronous = FULL`: the WAL is fsynced at every commit. With the default for WAL
  (NORMAL) a commit survives a killed process but can be lost on power failure or an OS
  crash; in an exercise a decision the team saw acknowledged must survive the laptop losing
  power, and one fsync per command is cheap next to the pace of a tabletop exercise.
- A command's events are written in one `BEGIN IMMEDIATE` transaction: the write lock is
  taken up front (no deadlock upgrading a read lock), and either all of a command's events are
  stored or none are. The engine calls the sink before it changes its own state, so what the
  team sees never runs ahead of what is on disk.
- `busy_timeout`: a second writer waits for the lock instead of failing at once, and past the
  timeout gets a message that says another program holds the database.

The store works on plain event dicts (see `codec`); `lifecycle` adapts the engine's event
objects. Nothing here imports the engine, scoring or any UI.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from krise_ovelse.fileio import ReadError, check_regular
from krise_ovelse.startup import collection_paused
from krise_ovelse.store.codec import EventDict, event_to_row, row_to_event
from krise_ovelse.store.errors import StoreError, UnknownSession, translate
from krise_ovelse.store.location import DB_FILENAME, busy_timeout_ms, resolve_db_path
from krise_ovelse.store.schema import CURRENT_VERSION, check_openable, migrate
from krise_ovelse.store.session_rows import SessionInfo, SessionRows, iso, new_session_columns
from krise_ovelse.store.sink import StoreSink
from krise_ovelse.wallclock import utc_now

#: Event kinds that end a session: appending one marks the session `ended` in the same
#: transaction, so the status can never disagree with the events after a crash.
END_KINDS = frozenset({"session_ended"})

Clock = Callable[[], dt.datetime]



_INSERT_EVENT = (
    "INSERT INTO events (session_id, seq, kind, payload, scenario_minutes, exercise_seconds, "
    "wall) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_SELECT_EVENTS = (
    "SELECT seq, kind, payload, scenario_minutes, exercise_seconds, wall FROM events "
    "WHERE session_id = ? AND seq >= ? AND seq <= ? ORDER BY seq"
)


class NoDatabase(StoreError):
    """A read-only command was pointed at a database file that does not exist (yet)."""


class SessionStore(SessionRows):
    """A connection to the session database, safe to share between threads.

    Open it with `SessionStore(path)` (created and upgraded as needed) or
    `SessionStore.for_reading(path)` for commands that only look. Use it as a context manager
    or call `close()`.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        readonly: bool = False,
        immutable: bool = False,
        busy_timeout: int | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.path = resolve_db_path(path) if path is None else Path(path)
        self.readonly = readonly or immutable
        #: Opened as an unchanging file (read-only media, see `for_reading`).
        self.immutable = immutable
        self.clock = clock
        self.busy_timeout_ms = busy_timeout_ms() if busy_timeout is None else busy_timeout
        self._lock = threading.RLock()
        self._conn = self._connect()

    @classmethod
    def for_reading(cls, path: str | os.PathLike[str] | None = None, **kwargs: Any) -> SessionStore:
        """Open for a command that only reads: never create the file; upgrade it if writable,
        else fall back to a read-only connection (a database on read-only media still lists)."""
        db_path = resolve_db_path(path) if path is None else Path(path)
        if not db_path.exists():
            raise NoDatabase(f"there is no session database at {db_path} yet",
                             hint="sessions are stored there once an exercise is run or imported"
                                  " (or pass --db / set KRISE_OVELSE_DB)")
        try:
            return cls(db_path, **kwargs)
        except StoreError as exc:
            if "read-only" not in exc.message and "cannot open" not in exc.message:
                raise
        try:
            return cls(db_path, readonly=True, **kwargs)
        except StoreError as exc:
            # A WAL database in a read-only directory without its -shm file cannot even be
            # opened read-only (SQLite must create the -shm); on read-only media nobody can be
            # writing it, so it is opened as an immutable file instead. `immutable` says so.
            if "read-only" not in exc.message and "cannot open" not in exc.message:
                raise
            if os.access(db_path.parent, os.W_OK) or Path(f"{db_path}-shm").exists():
                raise
        return cls(db_path, immutable=True, **kwargs)

    @property
    def location(self) -> str:
        return str(self.path)

    # -- connection ------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        path = self.path
        if path.is_dir():
            raise StoreError(f"the session database {path} is a directory, not a file",
                             hint=f"give the file, e.g. --db {path / DB_FILENAME}")
        try:  # a FIFO or a device would hang SQLite or be written over
            check_regular(path)
        except ReadError as exc:
            raise StoreError(f"the session database {path} {exc.message}", hint=exc.hint) from None
        if not self.readonly:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise translate(exc, path, "create") from None
        mode = "ro" if self.readonly else "rwc"
        # A URI, so `mode=ro` can be asked for; as_uri() escapes spaces, '?', '#' and '%' and
        # gives the file:///C:/... form on Windows.
        uri = f"{path.absolute().as_uri()}?mode={mode}" + ("&immutable=1" if self.immutable else "")
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                                   timeout=self.busy_timeout_ms / 1000)
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            # Reading the schema here is what detects a file that is not a database at all.
            version = check_openable(conn, path)
            if self.readonly:
                conn.execute("PRAGMA query_only = ON")
                if version != CURRENT_VERSION:
                    raise StoreError(
                        f"the session database {path} has schema version {version}, and this "
                        f"krise-øvelse needs {CURRENT_VERSION}; it cannot be upgraded because "
                        "it is read-only", hint="open it once where it is writable, or copy it")
            else:
                journal = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(journal).lower() != "wal":
                    raise StoreError(f"cannot switch {path} to write-ahead logging "
                                     f"(journal mode is {journal})",
                                     hint="put the database on a local disk (not a network share)")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                migrate(conn, path)
            return conn
        except (sqlite3.Error, OSError, StoreError) as exc:
            if conn is not None:
                conn.close()
            raise translate(exc, path, "open") from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _read(self, query: Any, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._conn.execute(query, params).fetchall()
            except sqlite3.Error as exc:
                raise translate(exc, self.path, "read") from None

    def _write(self, work: Callable[[sqlite3.Connection], Any], action: str = "write to") -> Any:
        """Run `work` in one BEGIN IMMEDIATE transaction; on any failure roll back, so a
        failed command leaves the database exactly as it was."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                result = work(conn)
                conn.execute("COMMIT")
                return result
            except BaseException as exc:
                if conn.in_transaction:
                    # SQLite may have rolled back already (e.g. after SQLITE_FULL).
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error | OSError):
                    raise translate(exc, self.path, action) from None
                raise

    # -- sessions (the rest of the row methods: session_rows.SessionRows) -------------------

    def create_session(
        self,
        *,
        scenario_text: str,
        scenario_id: str,
        title: str = "",
        seed: int | None = None,
        team: str = "",
        participants: Sequence[str] = (),
        facilitator: str = "",
        mode: str = "live",
        started: str | None = None,
        session_id: str | None = None,
        events: Sequence[Mapping[str, Any]] = (),
        parent_id: str | None = None,
        branch_decision: str | None = None,
        branch_seq: int | None = None,
        status: str = "running",
        ended: str | None = None,
        claim: bool = True,
        summary: Mapping[str, Any] | None = None,
        score_index: float | None = None,
    ) -> SessionInfo:
        """Record a new session (with its scenario text) and, optionally, its first events,
        all in one transaction. The session is owned by this process (status `running`)
        unless `claim` is false. A branch (`parent_id`) records `branch_seq`, the number of
        events copied from the parent (by default all of `events`)."""
        rows = [event_to_row(e) for e in events]
        columns = new_session_columns(
            scenario_text=scenario_text, scenario_id=scenario_id, title=title, seed=seed, team=team,
            participants=participants, facilitator=facilitator, mode=mode, started=started or iso(self.clock()),
            parent_id=parent_id, branch_decision=branch_decision, branch_seq=branch_seq, events=len(rows),
            status=status, ended=ended, claim=claim, summary=summary, score_index=score_index)

        def work(conn: sqlite3.Connection) -> str:
            new_id = self._insert_session(conn, scenario_text, session_id, columns)
            self._insert_rows(conn, new_id, rows, expected_first=1)
            return new_id

        new_id: str = self._write(work, "create a session in")
        return self.get(new_id)

    def _prefix_matches(self, prefix: str) -> list[Any]:
        return self._read("SELECT id FROM sessions WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                          (prefix, prefix + "\uffff"))

    # -- events ----------------------------------------------------------------------------

    def _insert_rows(self, conn: sqlite3.Connection, session_id: str, rows: Sequence[Any],
                     expected_first: int) -> int:
        for offset, row in enumerate(rows):
            if row[0] != expected_first + offset:
                raise StoreError(
                    f"session {session_id}: the next event must have seq {expected_first + offset}, "
                    f"not {row[0]}; another process may have written to this session",
                    hint="reopen the session to continue from what is stored")
        conn.executemany(_INSERT_EVENT, [(session_id, *row) for row in rows])
        ended = [row for row in rows if row[1] in END_KINDS]
        if ended:
            conn.execute("UPDATE sessions SET status = 'ended', owner = NULL, ended = ?, updated = ? "
                         "WHERE id = ?", (ended[-1][5] or iso(self.clock()), iso(self.clock()),
                                          session_id))
        return expected_first + len(rows) - 1

    def append(self, session_id: str, events: Sequence[Mapping[str, Any]]) -> int:
        """Store one command's events in one durable transaction; return the last stored seq.

        The first event's seq must be the stored last seq + 1 and the rest consecutive;
        otherwise nothing is stored and a StoreError explains why (the database triggers
        would refuse a gap too). When this returns, the events are on disk.
        """
        rows = [event_to_row(e) for e in events]
        if not rows:
            return self.last_seq(session_id)

        def work(conn: sqlite3.Connection) -> int:
            row = conn.execute("SELECT last_seq FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise UnknownSession(session_id, self.path)
            return self._insert_rows(conn, session_id, rows, int(row[0]) + 1)

        last: int = self._write(work, "store events in")
        return last

    def iter_events(self, session_id: str, start: int = 1, stop: int | None = None) -> Iterator[EventDict]:
        """A session's events with start <= seq <= stop, in order, as dicts.

        One statement, so the events come from one consistent snapshot even while another
        process appends (WAL readers never block the writer, nor it them). The rows are
        fetched at once and turned into dicts as they are consumed.
        """
        high = stop if stop is not None else (1 << 62)
        rows = self._read(_SELECT_EVENTS, (session_id, start, high))
        return (row_to_event(*row) for row in rows)

    def events(self, session_id: str, start: int = 1, stop: int | None = None) -> list[EventDict]:
        """Like `iter_events`, as a list; an unknown id raises UnknownSession."""
        self.get(session_id)
        high = stop if stop is not None else (1 << 62)
        with collection_paused():
            rows = self._read(_SELECT_EVENTS, (session_id, start, high))
            return [row_to_event(*row) for row in rows]

    def integrity_problems(self) -> list[str]:
        """`PRAGMA quick_check` findings (empty when the file is sound)."""
        rows = self._read("PRAGMA quick_check")
        return [str(r[0]) for r in rows if r[0] != "ok"]

    def sink(self, session_id: str, to_dict: Callable[[Any], Mapping[str, Any]] | None = None
             ) -> StoreSink:
        """A callable for the engine's `sink=`: stores each batch before the engine applies it
        (`lifecycle.engine_sink` passes the engine's `to_dict`)."""
        return StoreSink(self, session_id, to_dict)
