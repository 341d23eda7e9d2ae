"""The `sessions` table as every backend has it: a row (`SessionInfo`), the columns read for
it, who owns a running session, and `SessionRows`, the session-row queries that SQLite and
PostgreSQL run alike.

The two backends differ in how they connect, lock and append events; reading a session's row,
its scenario text and summary, claiming it and changing its status are the same SQL but for the
parameter placeholder. Written once here, they cannot drift apart (a check one backend makes
and the other forgets). A backend supplies `_read`, `_write`, `location`, its placeholder and
the prefix query of `resolve`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import secrets
import socket
import sys
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, ClassVar, Self

import attrs

from krise_ovelse.store.codec import sha256_text
from krise_ovelse.store.errors import SessionHeld, StoreError, UnknownSession
from krise_ovelse.store.schema import STATUSES

#: A session id can be shortened to a unique prefix of at least this many characters.
MIN_PREFIX = 4

#: The columns of a `SessionInfo`, in its order (never the scenario text or the summary).
INFO_COLUMNS = (
    "id, scenario_id, title, scenario_sha256, seed, team, participants, facilitator, started, "
    "ended, status, mode, parent_id, branch_decision, branch_seq, last_seq, owner, updated, "
    "score_index"
)


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


@functools.cache
def this_host() -> str:
    return socket.gethostname()


def this_process() -> str:
    """The owner this process writes into a session it runs: `host:pid`."""
    return f"{this_host()}:{os.getpid()}"


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


def info_from_row(row: Sequence[Any]) -> SessionInfo:
    """A `SessionInfo` from the `INFO_COLUMNS` of a row (participants are stored as JSON)."""
    values = list(row)
    try:
        participants = json.loads(values[6])
    except (TypeError, ValueError):
        participants = []
    values[6] = tuple(str(p) for p in participants) if isinstance(participants, list) else ()
    return SessionInfo(*values)


def summary_json(summary: Mapping[str, Any] | None) -> str | None:
    """The stored form of a cached summary (None stays NULL)."""
    return None if summary is None else json.dumps(summary, ensure_ascii=False, sort_keys=True)


def check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}, not {status!r}")


def new_session_columns(
    *, scenario_text: str, scenario_id: str, title: str, seed: int | None, team: str,
    participants: Sequence[str], facilitator: str, mode: str, started: str, parent_id: str | None,
    branch_decision: str | None, branch_seq: int | None, events: int, status: str, ended: str | None,
    claim: bool, summary: Mapping[str, Any] | None, score_index: float | None,
) -> dict[str, Any]:
    """The `sessions` columns of a new session but its id (`SessionRows._insert_session`).

    Owned by this process when claimed and running; a branch (`parent_id`) records `branch_seq`,
    the number of events copied from the parent (by default all `events` of them)."""
    check_status(status)
    return {
        "scenario_id": scenario_id, "title": title, "scenario_sha256": sha256_text(scenario_text), "seed": seed,
        "team": team, "participants": json.dumps(list(participants), ensure_ascii=False),
        "facilitator": facilitator, "started": started, "ended": ended, "status": status, "mode": mode,
        "parent_id": parent_id, "branch_decision": branch_decision,
        "branch_seq": (events if branch_seq is None else branch_seq) if parent_id is not None else None,
        "owner": this_process() if claim and status == "running" else None, "updated": started,
        "summary": summary_json(summary), "score_index": score_index,
    }


class SessionRows:
    """The session-row methods of a store, written once for every backend.

    The queries are written with `?`; a backend whose driver wants another placeholder sets
    `PLACEHOLDER`. `FOR_UPDATE` locks a row read before it is changed (PostgreSQL; SQLite's
    `BEGIN IMMEDIATE` has locked the whole file already)."""

    PLACEHOLDER: ClassVar[str] = "?"
    FOR_UPDATE: ClassVar[str] = ""
    clock: Callable[[], dt.datetime]

    # -- what a backend supplies -------------------------------------------------------------

    @property
    def location(self) -> str:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def _read(self, query: Any, params: Sequence[Any] = ()) -> list[Any]:
        raise NotImplementedError

    def _write(self, work: Callable[[Any], Any], action: str = "write to") -> Any:
        raise NotImplementedError

    def _prefix_matches(self, prefix: str) -> list[Any]:
        """Up to two rows (id,) of the sessions whose id starts with `prefix`, in id order."""
        raise NotImplementedError

    # -- shared ------------------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _sql(self, query: str) -> str:
        return query if self.PLACEHOLDER == "?" else query.replace("?", self.PLACEHOLDER)

    def _insert_session(self, conn: Any, scenario_text: str, session_id: str | None,
                        columns: Mapping[str, Any]) -> str:
        """Store the scenario text (once per text) and the session's row, with `session_id` or a
        new random id; return the id. Inside the backend's `_write` transaction."""
        conn.execute(self._sql("INSERT INTO scenario_texts (sha256, text) VALUES (?, ?) ON CONFLICT DO NOTHING"),
                     (columns["scenario_sha256"], scenario_text))
        for _attempt in range(20):
            new_id = session_id or secrets.token_hex(6)
            if conn.execute(self._sql("SELECT 1 FROM sessions WHERE id = ?"), (new_id,)).fetchone() is None:
                break
            if session_id:
                raise StoreError(f"a session with id {new_id!r} already exists in {self.location}",
                                 1, "import it as a copy with --new-id")
        else:  # 20 collisions of 48 random bits
            raise StoreError("could not find a free session id")
        names = ", ".join(("id", *columns))
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        conn.execute(self._sql(f"INSERT INTO sessions ({names}) VALUES ({marks})"), (new_id, *columns.values()))
        return new_id

    def resolve(self, session_id: str) -> str:
        """The full id for an id or a unique prefix of one (at least 4 characters), as people
        type the first few characters they see in `krise-ovelse sessions`."""
        text = session_id.strip()
        if self._read(self._sql("SELECT 1 FROM sessions WHERE id = ?"), (text,)):
            return text
        if len(text) < MIN_PREFIX:
            raise UnknownSession(session_id, self.location, min_prefix=MIN_PREFIX)
        rows = self._prefix_matches(text)
        if len(rows) == 1:
            return str(rows[0][0])
        if len(rows) > 1:
            raise StoreError(f"{session_id!r} matches more than one session", hint="type more characters of the id")
        raise UnknownSession(session_id, self.location)

    def get(self, session_id: str) -> SessionInfo:
        rows = self._read(self._sql(f"SELECT {INFO_COLUMNS} FROM sessions WHERE id = ?"), (session_id,))
        if not rows:
            raise UnknownSession(session_id, self.location)
        return info_from_row(rows[0])

    def list_sessions(self, limit: int | None = None) -> list[SessionInfo]:
        """Every session, newest first. Reads only the `sessions` row (never scenario texts or
        events), in the order of the `sessions_by_started` index."""
        query = f"SELECT {INFO_COLUMNS} FROM sessions ORDER BY started DESC, id DESC"
        if limit is None:
            return [info_from_row(row) for row in self._read(query)]
        return [info_from_row(row) for row in self._read(self._sql(query + " LIMIT ?"), (int(limit),))]

    def count_sessions(self) -> int:
        return int(self._read("SELECT count(*) FROM sessions")[0][0])

    def _value(self, column: str, session_id: str) -> Any:
        """One column of a session's row (UnknownSession if there is none)."""
        rows = self._read(self._sql(f"SELECT {column} FROM sessions WHERE id = ?"), (session_id,))
        if not rows:
            raise UnknownSession(session_id, self.location)
        return rows[0][0]

    def scenario_text(self, session_id: str) -> str:
        rows = self._read(self._sql(
            "SELECT t.text FROM sessions s JOIN scenario_texts t ON t.sha256 = s.scenario_sha256 WHERE s.id = ?"),
            (session_id,))
        if not rows:
            raise UnknownSession(session_id, self.location)
        return str(rows[0][0])

    def summary(self, session_id: str) -> dict[str, Any] | None:
        """The cached index/summary JSON that scoring wrote, if any."""
        stored = self._value("summary", session_id)
        if stored is None:
            return None
        value = json.loads(stored)
        return value if isinstance(value, dict) else None

    def last_seq(self, session_id: str) -> int:
        return int(self._value("last_seq", session_id))

    def set_summary(self, session_id: str, summary: Mapping[str, Any] | None,
                    score_index: float | None = None) -> None:
        """Cache the scoring result (a derived value: may be replaced, unlike events)."""
        text = summary_json(summary)

        def work(conn: Any) -> None:
            cur = conn.execute(self._sql("UPDATE sessions SET summary = ?, score_index = ? WHERE id = ?"),
                               (text, score_index, session_id))
            if cur.rowcount == 0:
                raise UnknownSession(session_id, self.location)

        self._write(work)

    def set_status(self, session_id: str, status: str, *, release: bool = True) -> None:
        """Mark a session paused/ended/interrupted/running. `release` drops this process's
        ownership; a status never goes back from `ended`."""
        check_status(status)
        now = iso(self.clock())
        owner = None if release or status != "running" else this_process()

        def work(conn: Any) -> None:
            row = conn.execute(self._sql(f"SELECT status FROM sessions WHERE id = ?{self.FOR_UPDATE}"),
                               (session_id,)).fetchone()
            if row is None:
                raise UnknownSession(session_id, self.location)
            new = "ended" if row[0] == "ended" else status
            conn.execute(self._sql(
                "UPDATE sessions SET status = ?, owner = ?, updated = ?, "
                "ended = CASE WHEN ? = 'ended' THEN COALESCE(ended, ?) ELSE ended END WHERE id = ?"),
                (new, owner, now, new, now, session_id))

        self._write(work)

    def claim(self, session_id: str, *, force: bool = False) -> SessionInfo:
        """Take a session for writing from this process (resume). Refused while another live
        process on this machine has it open, unless `force`."""
        me = this_process()
        now = iso(self.clock())

        def work(conn: Any) -> None:
            row = conn.execute(self._sql(f"SELECT {INFO_COLUMNS} FROM sessions WHERE id = ?{self.FOR_UPDATE}"),
                               (session_id,)).fetchone()
            if row is None:
                raise UnknownSession(session_id, self.location)
            info = info_from_row(row)
            if info.status == "ended":
                raise StoreError(f"session {session_id} has ended; it cannot be continued",
                                 hint=f"start a what-if from it with `krise-ovelse branch {session_id} --at DECISION`")
            if not force and info.owner and info.owner != me and info.effective_status == "running":
                raise SessionHeld(session_id, info.owner)
            conn.execute(self._sql("UPDATE sessions SET status = 'running', owner = ?, updated = ? WHERE id = ?"),
                         (me, now, session_id))

        self._write(work, "claim a session in")
        return self.get(session_id)
