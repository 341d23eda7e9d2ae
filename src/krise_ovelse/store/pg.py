"""The PostgreSQL session store (psycopg 3): one server, many machines, a national exercise.

Chosen by `--db postgresql://…` or `KRISE_OVELSE_DB` (`backend.open_store`). It keeps the SQLite
store's interface and guarantees: a session is an append-only, gap-free list of events, each
command's events are stored in one transaction, and nothing committed is lost when a client
is killed (the server commits durably before it answers). In addition every event has a global
`position`, sessions may belong to an exercise as one of its streams (control, one per
organisation, one per evaluator), and each append sends a small NOTIFY on the exercise's
channel in the same transaction, so listeners (`PgListener`) wake up and read what is new.

The schema is created and upgraded by `krise-ovelse db migrate` (`pg_schema`), never by a
console. Connection problems (bad URL, wrong password, missing database, server too old, the
server going away) become StoreErrors with exit 2 and a hint; never a traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import psycopg
from psycopg import sql

from krise_ovelse.startup import collection_paused
from krise_ovelse.store.backend import display_target
from krise_ovelse.store.codec import EventDict, event_to_row, row_to_event
from krise_ovelse.store.errors import EXIT_USAGE, StoreError, UnknownSession
from krise_ovelse.store.pg_schema import PG_VERSION, server_version_problem, stored_version
from krise_ovelse.store.session_rows import SessionInfo, SessionRows, iso, new_session_columns
from krise_ovelse.store.sink import StoreSink
from krise_ovelse.wallclock import utc_now

#: Seconds to wait for the server when connecting.
CONNECT_TIMEOUT = 5

_INSERT_EVENT = ("INSERT INTO events (session_id, seq, kind, payload, scenario_minutes, exercise_seconds, wall) "
                 "VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING position")
_SELECT_EVENTS = ("SELECT seq, kind, payload, scenario_minutes, exercise_seconds, wall FROM events "
                  "WHERE session_id = %s AND seq >= %s AND seq <= %s ORDER BY seq")



def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for an exercise (or a lone session)."""
    return int.from_bytes(hashlib.sha256(("krise:" + name).encode()).digest()[:8], "big", signed=True)


def append_group(session_id: str, exercise: str | None, stream: str | None, team: str = "") -> str:
    """The streams whose appends take one lock, so that their commit order is their position
    order: the streams that are read together by position. That is the control stream alone (the
    organisations' clients read only it), and one organisation's stream together with its
    evaluators' streams (the evaluators' clients and the report merge exactly those). A lock per
    exercise would make sixty organisations wait for each other on every control event; a lone
    session is its own group."""
    if not exercise or not stream:
        return session_id
    if stream.startswith("org."):
        return f"{exercise}:org:{stream[4:]}"
    if stream.startswith("eval."):
        return f"{exercise}:org:{team}"  # an evaluator stream's team is its organisation's id
    return f"{exercise}:{stream}"


#: Suffix of a group's activity channel (`activity_channel`): appends to an organisation's and
#: its evaluators' streams notify there, so that they wake neither the organisations' clients,
#: which follow the control stream only (`channel_for(exercise)`), nor other organisations'
#: evaluators.
ACTIVITY = ":activity"


def activity_channel(group: str) -> str:
    """The name (for `channel_for` / `PgListener`) on which the appends of a group of streams
    (`append_group`) other than the control stream notify: an evaluator's client listens on its
    organisation's."""
    return group + ACTIVITY


def channel_for(name: str) -> str:
    """The LISTEN/NOTIFY channel of an exercise (or a lone session): a short, safe identifier."""
    return "krise_" + hashlib.sha256(name.encode()).hexdigest()[:20]


def connect_error(exc: BaseException, location: str) -> StoreError:
    """A connection failure as a sentence a person can act on (exit 2)."""
    text = " ".join(str(exc).split())
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return StoreError(f"the PostgreSQL server at {location} refused the user name or password",
                          EXIT_USAGE, "check the user and password in the URL (or in ~/.pgpass)")
    if "does not exist" in low and "database" in low:
        return StoreError(f"the database in {location} does not exist on the server", EXIT_USAGE,
                          "create it (createdb NAME) and run `krise-ovelse db migrate --db URL`")
    if "role" in low and "does not exist" in low:
        return StoreError(f"the user in {location} does not exist on the server", EXIT_USAGE,
                          "set up the roles with `krise-ovelse national roles`, or check the URL")
    if "invalid dsn" in low or "missing \"=\"" in low or "invalid connection option" in low or \
            "invalid integer value" in low or "invalid uri" in low or "invalid percent" in low:
        return StoreError(f"{location} is not a valid PostgreSQL URL ({text})", EXIT_USAGE,
                          "write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
    if "connection refused" in low or "could not connect" in low or "timeout expired" in low or "timed out" in low or \
            "translate host name" in low or "resolve host" in low or "no route" in low or "server closed" in low:
        return StoreError(f"cannot reach the PostgreSQL server at {location} ({text})", EXIT_USAGE,
                          "check that the server runs and the host and port in the URL")
    return StoreError(f"cannot use the PostgreSQL store at {location}: {text}", EXIT_USAGE)


def _store_error(exc: BaseException, location: str, action: str) -> StoreError:
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return StoreError(f"the server refused to {action}: this user may not "
                          f"({' '.join(str(exc).split())})", EXIT_USAGE,
                          "each organisation and evaluator writes only its own stream")
    if isinstance(exc, psycopg.OperationalError):
        return connect_error(exc, location)
    return StoreError(f"cannot {action} the PostgreSQL store at {location}: {' '.join(str(exc).split())}",
                      EXIT_USAGE)


def check_url(url: str, location: str) -> None:
    """Refuse a URL libpq would misread (a port that is not a number, a malformed option)."""
    from urllib.parse import urlsplit

    from psycopg.conninfo import conninfo_to_dict

    try:
        _port = urlsplit(url).port
        conninfo_to_dict(url)
    except (ValueError, psycopg.Error) as exc:
        raise StoreError(f"{location} is not a valid PostgreSQL URL ({' '.join(str(exc).split())})", EXIT_USAGE,
                         "write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE") from None


def open_connection(url: str, location: str, *, autocommit: bool = True) -> psycopg.Connection[Any]:
    """A connection to a supported server, or a StoreError that says what is wrong."""
    check_url(url, location)
    try:
        conn = psycopg.connect(url, autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT,
                               application_name="krise-ovelse")
    except (psycopg.Error, ValueError) as exc:
        raise connect_error(exc, location) from None
    problem = server_version_problem(conn.info.server_version)
    if problem is not None:
        conn.close()
        raise StoreError(f"{problem} ({location})", EXIT_USAGE, "use PostgreSQL 13 or newer")
    return conn


class PgStore(SessionRows):
    """The session store on a PostgreSQL server; the same methods as `db.SessionStore`.

    One connection, shared by the threads of one process under a lock (like the SQLite store).
    `readonly` refuses writes in the client (the server's grants refuse them for real)."""

    immutable = False
    PLACEHOLDER = "%s"
    FOR_UPDATE = " FOR UPDATE"

    def __init__(self, url: str, *, readonly: bool = False, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.url = url
        self.readonly = readonly
        self.clock = clock
        self._location = display_target(url)
        self._lock = threading.RLock()
        self._streams: dict[str, tuple[str | None, str | None, str]] = {}
        self._conn = open_connection(url, self._location)
        try:
            version = stored_version(self._conn)
        except psycopg.Error as exc:
            self._conn.close()
            raise _store_error(exc, self._location, "read") from None
        if version != PG_VERSION:
            self._conn.close()
            if version is None:
                raise StoreError(f"the database {self._location} has no krise-øvelse tables yet", EXIT_USAGE,
                                 f"create them: krise-ovelse db migrate --db '{self._location}'")
            raise StoreError(f"the database {self._location} has krise-øvelse schema version {version}, "
                             f"this krise-øvelse needs {PG_VERSION}", EXIT_USAGE,
                             "run `krise-ovelse db migrate --db URL` (as the database owner) with the "
                             "newer of the two versions")

    @property
    def location(self) -> str:
        return self._location

    @property
    def user(self) -> str:
        return str(self._conn.info.user)

    @property
    def backend_pid(self) -> int:
        """The server process of this connection (the fault tests terminate it)."""
        return int(self._conn.info.backend_pid)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- connection ------------------------------------------------------------------------

    def _reconnect(self) -> None:
        with self._lock:
            self._conn.close()
            self._conn = open_connection(self.url, self._location)

    def _read(self, query: Any, params: Sequence[Any] = ()) -> list[Any]:
        """Run a read; a connection the server dropped is opened again once (a read is safe to
        repeat)."""
        with self._lock:
            for attempt in (1, 2):
                try:
                    return self._conn.execute(query, params).fetchall()
                except psycopg.OperationalError as exc:
                    if attempt == 2 or not _is_disconnect(exc):
                        raise _store_error(exc, self._location, "read") from None
                    self._reconnect()
                except psycopg.Error as exc:
                    raise _store_error(exc, self._location, "read") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(self, work: Callable[[psycopg.Connection[Any]], Any], action: str = "write to") -> Any:
        """Run `work` in one transaction. A write is not repeated after a lost connection (the
        commit may or may not have happened): the caller reopens and reads what is stored."""
        if self.readonly:
            raise StoreError(f"the store {self._location} was opened for reading only")
        with self._lock:
            if self._conn.closed or self._conn.broken:
                self._reconnect()
            try:
                with self._conn.transaction():
                    return work(self._conn)
            except psycopg.Error as exc:
                raise _store_error(exc, self._location, action) from None

    # -- sessions (the rest of the row methods: session_rows.SessionRows) -------------------

    def create_session(
        self, *, scenario_text: str, scenario_id: str, title: str = "", seed: int | None = None,
        team: str = "", participants: Sequence[str] = (), facilitator: str = "", mode: str = "live",
        started: str | None = None, session_id: str | None = None, events: Sequence[Mapping[str, Any]] = (),
        parent_id: str | None = None, branch_decision: str | None = None, branch_seq: int | None = None,
        status: str = "running", ended: str | None = None, claim: bool = True,
        summary: Mapping[str, Any] | None = None, score_index: float | None = None,
        exercise_id: str | None = None, stream: str | None = None, writer: str | None = None,
        readers: str | None = None,
    ) -> SessionInfo:
        """Record a new session (or an exercise's stream) with its scenario text and first events,
        in one transaction (see `db.SessionStore.create_session`)."""
        rows = [event_to_row(e) for e in events]
        columns = new_session_columns(
            scenario_text=scenario_text, scenario_id=scenario_id, title=title, seed=seed, team=team,
            participants=participants, facilitator=facilitator, mode=mode, started=started or iso(self.clock()),
            parent_id=parent_id, branch_decision=branch_decision, branch_seq=branch_seq, events=len(rows),
            status=status, ended=ended, claim=claim, summary=summary, score_index=score_index)
        columns.update(exercise_id=exercise_id, stream=stream, writer=writer, readers=readers)

        def work(conn: psycopg.Connection[Any]) -> str:
            new_id = self._insert_session(conn, scenario_text, session_id, columns)
            self._insert(conn, new_id, rows, exercise_id, stream, team)
            return new_id

        new_id: str = self._write(work, "create a session in")
        return self.get(new_id)

    def _prefix_matches(self, prefix: str) -> list[Any]:
        return self._read("SELECT id FROM sessions WHERE starts_with(id, %s) ORDER BY id LIMIT 2", (prefix,))

    # -- events ----------------------------------------------------------------------------

    def _stream_of(self, session_id: str) -> tuple[str | None, str | None, str]:
        """(exercise id, stream, append group) of a session: fixed when it is created (no role
        may change them), so read once."""
        found = self._streams.get(session_id)
        if found is None:
            rows = self._read("SELECT exercise_id, stream, team FROM sessions WHERE id = %s", (session_id,))
            if not rows:
                raise UnknownSession(session_id, self._location)
            exercise, stream, team = rows[0]
            found = self._streams[session_id] = (exercise, stream,
                                                  append_group(session_id, exercise, stream, team or ""))
        return found

    def _append_statement(self, session_id: str, rows: Sequence[Any], exercise: str | None, stream: str | None,
                          applied_control: int | None, group: str) -> tuple[sql.Composed, list[Any]]:
        """One statement that appends a command's events: it takes the append lock of the
        session's group (`append_group`), inserts the rows (the trigger checks the writer and the
        numbering), records the applied control position and notifies, so an append is one round
        trip and one transaction.

        Events an organisation derived from the control stream (`applied_control`) are
        committed without waiting for the disk: they can be derived again, and if a crash loses
        them the applied position goes with them (same transaction), so the client applies that
        control event again. The control cell's own appends and the teams' decisions wait.

        Those derived events send no notification either. The server wakes every listening
        connection of the database for every NOTIFY and only then looks at the channel (on
        PostgreSQL 15, 120 idle listeners cost it about 4 ms of CPU per NOTIFY), so sixty
        organisations answering each control event cost the server a quarter of a second of CPU
        just when the organisations needed it. The only listeners that care, the organisation's
        evaluators, wake on the control event itself and read a moment later
        (`national.evaluator.EvaluatorClient.wait_and_sync`)."""
        derived = applied_control is not None
        setup = sql.SQL("SELECT pg_advisory_xact_lock(%s), set_config('krise.applied_control', %s, true)"
                        + (", set_config('synchronous_commit', 'off', true)" if derived else ""))
        values = sql.SQL(", ").join(sql.SQL("(%s, %s::integer, %s, %s, %s::integer, %s::double precision, %s)")
                                    for _row in rows)
        query = sql.SQL(
            "WITH setup AS ({setup}), ins AS (INSERT INTO events (session_id, seq, kind, payload, "
            "scenario_minutes, exercise_seconds, wall) SELECT v.* FROM setup CROSS JOIN (VALUES {values}) "
            "AS v(session_id, seq, kind, payload, scenario_minutes, exercise_seconds, wall) RETURNING position) "
            "SELECT max(position)" + ("" if derived else ", pg_notify(%s, %s)") + " FROM ins"
        ).format(setup=setup, values=values)
        params: list[Any] = [lock_key(group), "" if applied_control is None else str(applied_control)]
        for row in rows:
            params.extend((session_id, *row))
        if not derived:
            channel = activity_channel(group) if exercise and stream != "control" else exercise or session_id
            payload = json.dumps({"s": session_id, "q": rows[-1][0]}, separators=(",", ":"))
            params.extend((channel_for(channel), payload))
        return query, params

    def _insert(self, conn: psycopg.Connection[Any], session_id: str, rows: Sequence[Any], exercise: str | None,
                stream: str | None, team: str) -> None:
        if rows:
            query, params = self._append_statement(session_id, rows, exercise, stream, None,
                                                   append_group(session_id, exercise, stream, team))
            conn.execute(query, params)

    def append(self, session_id: str, events: Sequence[Mapping[str, Any]], *,
               applied_control: int | None = None) -> int:
        """Store one command's events in one transaction (one statement); return the last seq.

        The first event's seq must be the stored last seq + 1 and the rest consecutive (the
        server's trigger refuses anything else: nothing is stored then). `applied_control`: the
        control-stream position these events answer (an organisation's client), recorded in the
        same transaction."""
        rows = [event_to_row(e) for e in events]
        if not rows:
            return self.last_seq(session_id)
        if self.readonly:
            raise StoreError(f"the store {self._location} was opened for reading only")
        exercise, stream, group = self._stream_of(session_id)
        query, params = self._append_statement(session_id, rows, exercise, stream, applied_control, group)
        with self._lock:
            if self._conn.closed or self._conn.broken:
                self._reconnect()
            try:
                self._conn.execute(query, params)
            except psycopg.errors.CheckViolation as exc:
                if "not the next one" not in str(exc):
                    raise _store_error(exc, self._location, "store events in") from None
                expected = self.last_seq(session_id) + 1
                raise StoreError(
                    f"session {session_id}: the next event must have seq {expected}, not {rows[0][0]}; "
                    "another process may have written to this session",
                    hint="reopen the session to continue from what is stored") from None
            except psycopg.Error as exc:
                raise _store_error(exc, self._location, "store events in") from None
        return int(rows[-1][0])

    def iter_events(self, session_id: str, start: int = 1, stop: int | None = None) -> Iterator[EventDict]:
        high = stop if stop is not None else (1 << 31) - 1
        rows = self._read(_SELECT_EVENTS, (session_id, start, high))
        return (row_to_event(*row) for row in rows)

    def events(self, session_id: str, start: int = 1, stop: int | None = None) -> list[EventDict]:
        self.get(session_id)
        with collection_paused():
            return list(self.iter_events(session_id, start, stop))

    def events_after(self, exercise_id: str, position: int, session_ids: Sequence[str] | None = None,
                     limit: int = 10_000) -> list[tuple[int, str, EventDict]]:
        """An exercise's events after `position` (in position order) as (position, session id,
        event): what a listener reads on every wake-up and after every reconnect."""
        query = ("SELECT position, session_id, seq, kind, payload, scenario_minutes, exercise_seconds, wall "
                 "FROM events WHERE exercise_id = %s AND position > %s")
        params: list[Any] = [exercise_id, position]
        if session_ids is not None:
            query += " AND session_id = ANY(%s)"
            params.append(list(session_ids))
        rows = self._read(query + " ORDER BY position LIMIT %s", (*params, limit))
        return [(int(r[0]), str(r[1]), row_to_event(*r[2:])) for r in rows]

    def applied_control(self, session_id: str) -> int:
        return int(self._value("applied_control", session_id))

    def set_applied_control(self, session_id: str, position: int) -> None:
        """Record that an organisation applied the control stream up to `position` (a control
        event that changed nothing in its state); derived, so not waiting for the disk."""
        with self._lock:
            try:
                self._conn.execute(
                    "WITH c AS (SELECT set_config('synchronous_commit', 'off', true)) UPDATE sessions "
                    "SET applied_control = GREATEST(applied_control, %s) FROM c WHERE id = %s",
                    (position, session_id))
            except psycopg.Error as exc:
                raise _store_error(exc, self._location, "write to") from None

    def integrity_problems(self) -> list[str]:
        return []

    def sink(self, session_id: str, to_dict: Callable[[Any], Mapping[str, Any]] | None = None) -> StoreSink:
        return StoreSink(self, session_id, to_dict)

    def execute(self, query: str | sql.Composable, params: Sequence[Any] = ()) -> list[Any]:
        """A read for the national exercise's status queries (rows as tuples)."""
        return self._read(query, params)


def _is_disconnect(exc: BaseException) -> bool:
    low = str(exc).lower()
    return any(w in low for w in ("terminat", "server closed", "connection", "consuming input failed"))


class PgListener:
    """LISTEN on one or more channels (`channel_for` of each name) on a dedicated connection.

    `wait_for(timeout)` returns the names on which a notification came (all of them when the
    connection had to be opened again, after which the caller must read everything after its
    last position, as after every wake-up; none at the timeout): a lost notification costs
    latency, never data. Notifications already waiting after the first are taken in the same
    call, so a burst costs the caller one read. It never raises for a dropped connection; it
    retries at the next call."""

    def __init__(self, url: str, *names: str) -> None:
        if not names:
            raise ValueError("PgListener needs at least one channel name")
        self.url = url
        self.names = names
        self._by_channel = {channel_for(name): name for name in names}
        self._location = display_target(url)
        self._conn: psycopg.Connection[Any] | None = None
        self.reconnects = 0

    def _connect(self) -> None:
        conn = open_connection(self.url, self._location)
        for channel in self._by_channel:
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
        self._conn = conn

    @property
    def backend_pid(self) -> int | None:
        return None if self._conn is None or self._conn.closed else int(self._conn.info.backend_pid)

    def wait(self, timeout: float) -> bool:
        """Whether anything came within `timeout` (see `wait_for`)."""
        return bool(self.wait_for(timeout))

    def wait_for(self, timeout: float) -> frozenset[str]:
        if self._conn is None or self._conn.closed or self._conn.broken:
            try:
                self._connect()
            except StoreError:
                return frozenset()
            self.reconnects += 1
            return frozenset(self.names)
        assert self._conn is not None
        came: set[str] = set()
        try:
            for notify in self._conn.notifies(timeout=timeout, stop_after=1):
                came.add(self._by_channel.get(notify.channel, self.names[0]))
            if came:
                for notify in self._conn.notifies(timeout=0):
                    came.add(self._by_channel.get(notify.channel, self.names[0]))
        except psycopg.Error:
            if self._conn is not None:
                self._conn.close()
            return frozenset()  # connect again at the next call
        return frozenset(came)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
