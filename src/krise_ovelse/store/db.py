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
import functools
import json
import os
import secrets
import socket
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs

from krise_ovelse.fileio import ReadError, check_regular
from krise_ovelse.startup import collection_paused
from krise_ovelse.store.codec import EventDict, event_to_row, row_to_event, sha256_text
from krise_ovelse.store.errors import SessionHeld, StoreError, UnknownSession, translate
from krise_ovelse.store.location import DB_FILENAME, busy_timeout_ms, resolve_db_path
from krise_ovelse.store.schema import CURRENT_VERSION, STATUSES, check_openable, migrate
from krise_ovelse.store.sink import StoreSink
from krise_ovelse.wallclock import utc_now

#: Event kinds that end a session: appending one marks the session `ended` in the same
#: transaction, so the status can never disagree with the events after a crash.
END_KINDS = frozenset({"session_ended"})
#: A session id can be shortened to a unique prefix of at least this many characters.
MIN_PREFIX = 4

Clock = Callable[[], dt.datetime]



def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


@functools.cache
def this_host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (a crashed run's pid does not)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # access denied: it exists
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@attrs.frozen
class SessionInfo:
    """A row of `sessions`: everything but the scenario text and the events."""

    id: str
    scenario_id: str
    title: str
    scenario_sha256: str
    seed: int | None
    team: str
    participants: tuple[str, ...]
    facilitator: str
    started: str
    ended: str | None
    status: str
    mode: str
    parent_id: str | None
    branch_decision: str | None
    branch_seq: int | None
    last_seq: int
    owner: str | None
    updated: str | None
    score_index: float | None

    @property
    def effective_status(self) -> str:
        """`running` only while the process that runs it is alive; otherwise `interrupted`.

        A run that was killed (power cut, kill -9, a crash) cannot mark itself interrupted,
        so the status is worked out when read: the owner's pid on this host is checked. On
        another host we cannot tell and report `running`.
        """
        if self.status != "running":
            return self.status
        if not self.owner:
            return "interrupted"
        host, _, pid = self.owner.rpartition(":")
        if host != this_host():
            return "running"
        try:
            return "running" if pid_alive(int(pid)) else "interrupted"
        except ValueError:
            return "interrupted"

    def to_dict(self) -> dict[str, Any]:
        data = attrs.asdict(self)
        data["participants"] = list(self.participants)
        data["effective_status"] = self.effective_status
        return data


_INFO_COLUMNS = (
    "id, scenario_id, title, scenario_sha256, seed, team, participants, facilitator, started, "
    "ended, status, mode, parent_id, branch_decision, branch_seq, last_seq, owner, updated, "
    "score_index"
)
_INSERT_EVENT = (
    "INSERT INTO events (session_id, seq, kind, payload, scenario_minutes, exercise_seconds, "
    "wall) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_SELECT_EVENTS = (
    "SELECT seq, kind, payload, scenario_minutes, exercise_seconds, wall FROM events "
    "WHERE session_id = ? AND seq >= ? AND seq <= ? ORDER BY seq"
)


def _info(row: Sequence[Any]) -> SessionInfo:
    values = list(row)
    try:
        participants = json.loads(values[6])
    except (TypeError, ValueError):
        participants = []
    values[6] = tuple(str(p) for p in participants) if isinstance(participants, list) else ()
    return SessionInfo(*values)


class NoDatabase(StoreError):
    """A read-only command was pointed at a database file that does not exist (yet)."""


class SessionStore:
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

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
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

    # -- sessions --------------------------------------------------------------------------

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
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        sha = sha256_text(scenario_text)
        rows = [event_to_row(e) for e in events]
        started = started or iso(self.clock())
        owner = f"{this_host()}:{os.getpid()}" if claim and status == "running" else None
        fixed_id = session_id
        branch = (len(rows) if branch_seq is None else branch_seq) if parent_id is not None else None
        summary_text = None if summary is None else json.dumps(summary, ensure_ascii=False,
                                                               sort_keys=True)

        def work(conn: sqlite3.Connection) -> str:
            conn.execute("INSERT OR IGNORE INTO scenario_texts (sha256, text) VALUES (?, ?)",
                         (sha, scenario_text))
            for _attempt in range(20):
                new_id = fixed_id or secrets.token_hex(6)
                exists = conn.execute("SELECT 1 FROM sessions WHERE id = ?", (new_id,)).fetchone()
                if exists is None:
                    break
                if fixed_id:
                    raise StoreError(f"a session with id {new_id!r} already exists in {self.path}",
                                     1, "import it as a copy with --new-id")
            else:  # pragma: no cover - 20 collisions of 48 random bits
                raise StoreError("could not find a free session id")
            conn.execute(
                "INSERT INTO sessions (id, scenario_id, title, scenario_sha256, seed, team, "
                "participants, facilitator, started, ended, status, mode, parent_id, "
                "branch_decision, branch_seq, owner, updated, summary, score_index) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id, scenario_id, title, sha, seed, team,
                 json.dumps(list(participants), ensure_ascii=False), facilitator, started, ended,
                 status, mode, parent_id, branch_decision, branch, owner, started, summary_text,
                 score_index),
            )
            self._insert_rows(conn, new_id, rows, expected_first=1)
            return new_id

        new_id: str = self._write(work, "create a session in")
        return self.get(new_id)

    def resolve(self, session_id: str) -> str:
        """The full id for an id or a unique prefix of one (at least 4 characters), as people
        type the first few characters they see in `krise-ovelse sessions`."""
        text = session_id.strip()
        if self._read("SELECT 1 FROM sessions WHERE id = ?", (text,)):
            return text
        if len(text) < MIN_PREFIX:
            raise UnknownSession(session_id, self.path, min_prefix=MIN_PREFIX)
        rows = self._read("SELECT id FROM sessions WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                          (text, text + "\uffff"))
        if len(rows) == 1:
            return str(rows[0][0])
        if len(rows) > 1:
            raise StoreError(f"{session_id!r} matches more than one session",
                             hint="type more characters of the id")
        raise UnknownSession(session_id, self.path)

    def get(self, session_id: str) -> SessionInfo:
        rows = self._read(f"SELECT {_INFO_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise UnknownSession(session_id, self.path)
        return _info(rows[0])

    def list_sessions(self, limit: int | None = None) -> list[SessionInfo]:
        """Every session, newest first. Reads only the `sessions` row (never scenario texts or
        events), in the order of the `sessions_by_started` index."""
        sql = f"SELECT {_INFO_COLUMNS} FROM sessions ORDER BY started DESC, id DESC"
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (int(limit),)
        return [_info(row) for row in self._read(sql, params)]

    def count_sessions(self) -> int:
        return int(self._read("SELECT count(*) FROM sessions")[0][0])

    def scenario_text(self, session_id: str) -> str:
        rows = self._read(
            "SELECT t.text FROM sessions s JOIN scenario_texts t ON t.sha256 = s.scenario_sha256 "
            "WHERE s.id = ?", (session_id,))
        if not rows:
            raise UnknownSession(session_id, self.path)
        return str(rows[0][0])

    def summary(self, session_id: str) -> dict[str, Any] | None:
        """The cached index/summary JSON that scoring wrote, if any."""
        rows = self._read("SELECT summary FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise UnknownSession(session_id, self.path)
        if rows[0][0] is None:
            return None
        value = json.loads(rows[0][0])
        return value if isinstance(value, dict) else None

    def set_summary(self, session_id: str, summary: Mapping[str, Any] | None,
                    score_index: float | None = None) -> None:
        """Cache the scoring result (a derived value: may be replaced, unlike events)."""
        text = None if summary is None else json.dumps(summary, ensure_ascii=False, sort_keys=True)

        def work(conn: sqlite3.Connection) -> None:
            cur = conn.execute("UPDATE sessions SET summary = ?, score_index = ? WHERE id = ?",
                               (text, score_index, session_id))
            if cur.rowcount == 0:
                raise UnknownSession(session_id, self.path)

        self._write(work)

    def set_status(self, session_id: str, status: str, *, release: bool = True) -> None:
        """Mark a session paused/ended/interrupted/running. `release` drops this process's
        ownership; a status never goes back from `ended`."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        now = iso(self.clock())
        owner = None if release or status != "running" else f"{this_host()}:{os.getpid()}"

        def work(conn: sqlite3.Connection) -> None:
            row = conn.execute("SELECT status FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise UnknownSession(session_id, self.path)
            new = "ended" if row[0] == "ended" else status
            conn.execute(
                "UPDATE sessions SET status = ?, owner = ?, updated = ?, "
                "ended = CASE WHEN ? = 'ended' THEN COALESCE(ended, ?) ELSE ended END WHERE id = ?",
                (new, owner, now, new, now, session_id))

        self._write(work)

    def claim(self, session_id: str, *, force: bool = False) -> SessionInfo:
        """Take a session for writing from this process (resume). Refused while another live
        process on this machine has it open, unless `force`."""
        me = f"{this_host()}:{os.getpid()}"
        now = iso(self.clock())

        def work(conn: sqlite3.Connection) -> None:
            row = conn.execute(f"SELECT {_INFO_COLUMNS} FROM sessions WHERE id = ?",
                               (session_id,)).fetchone()
            if row is None:
                raise UnknownSession(session_id, self.path)
            info = _info(row)
            if info.status == "ended":
                raise StoreError(f"session {session_id} has ended; it cannot be continued",
                                 hint=f"start a what-if from it with `krise-ovelse branch {session_id}"
                                      " --at DECISION`")
            if (not force and info.owner and info.owner != me
                    and info.effective_status == "running"):
                raise SessionHeld(session_id, info.owner)
            conn.execute("UPDATE sessions SET status = 'running', owner = ?, updated = ? "
                         "WHERE id = ?", (me, now, session_id))

        self._write(work, "claim a session in")
        return self.get(session_id)

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

    def last_seq(self, session_id: str) -> int:
        rows = self._read("SELECT last_seq FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise UnknownSession(session_id, self.path)
        return int(rows[0][0])

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
