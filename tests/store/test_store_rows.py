"""The session row every backend shares (`store/session_rows.py`), pinned where mutation testing
found it loose (issue #12, item 6; docs/testing.md): whether a run's process is alive (on Linux
and, through a stand-in for the Windows API, on Windows), and the row's queries at their edges.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import os
import secrets
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from krise_ovelse.store import session_rows
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import StoreError, UnknownSession
from krise_ovelse.store.schema import STATUSES
from krise_ovelse.store.session_rows import pid_alive

from .store_helpers import create_branch, make_event, row_fields


def test_no_process_has_an_id_below_one() -> None:
    assert pid_alive(0) is False
    assert pid_alive(-5) is False
    assert pid_alive(1) is True  # init: always there (as root or not: PermissionError counts as alive)
    assert pid_alive(os.getpid()) is True


@pytest.mark.parametrize(("error", "alive"), [(ProcessLookupError, False), (PermissionError, True),
                                              (OSError, False)])
def test_what_a_failed_signal_says_of_a_process(monkeypatch: pytest.MonkeyPatch, error: type[OSError],
                                                alive: bool) -> None:
    seen: list[tuple[int, int]] = []

    def kill(pid: int, sig: int) -> None:
        seen.append((pid, sig))
        raise error

    monkeypatch.setattr(os, "kill", kill)
    assert pid_alive(42) is alive
    assert seen == [(42, 0)]  # signal 0: asks, never kills


class _Kernel32:
    """A stand-in for the three Windows calls `pid_alive` makes, recording them."""

    def __init__(self, handle: int, last_error: int = 0, exit_code: int = 0) -> None:
        self.handle, self.last_error, self.exit_code = handle, last_error, exit_code
        self.calls: list[tuple[Any, ...]] = []

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:
        self.calls.append(("open", access, inherit, pid))
        return self.handle

    def GetLastError(self) -> int:
        return self.last_error

    def GetExitCodeProcess(self, handle: int, code: Any) -> int:
        self.calls.append(("exit code", handle))
        code._obj.value = self.exit_code  # what byref(c_ulong) lets the real call write into
        return 1

    def CloseHandle(self, handle: int) -> int:
        self.calls.append(("close", handle))
        return 1


@pytest.mark.parametrize(("kernel", "alive"), [
    (_Kernel32(handle=7, exit_code=259), True),  # STILL_ACTIVE
    (_Kernel32(handle=7, exit_code=0), False),  # it has exited
    (_Kernel32(handle=0, last_error=5), True),  # access denied: it exists, as another user's
    (_Kernel32(handle=0, last_error=87), False),  # invalid parameter: no such process
])
def test_on_windows_the_process_is_asked_for_without_signalling_it(monkeypatch: pytest.MonkeyPatch,
                                                                   kernel: _Kernel32, alive: bool) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "windll", type("windll", (), {"kernel32": kernel}), raising=False)
    monkeypatch.setattr(os, "kill", lambda *_: pytest.fail("os.kill terminates a process on Windows"))
    assert pid_alive(4242) is alive
    expected: list[tuple[Any, ...]] = [("open", 0x1000, False, 4242)]  # PROCESS_QUERY_LIMITED_INFORMATION
    if kernel.handle:
        expected += [("exit code", 7), ("close", 7)]
    assert kernel.calls == expected


def test_the_owner_of_a_run_is_this_host_and_process() -> None:
    assert session_rows.this_process() == f"{session_rows.this_host()}:{os.getpid()}"


def test_a_stored_summary_that_is_not_an_object_reads_as_none(store: SessionStore, session: str) -> None:
    """The summary is a cache another version may have written: anything but a JSON object is no summary."""
    for stored, read in (('[1, 2]', None), ('"text"', None), ('7', None), ('{"index": 50}', {"index": 50})):
        store._conn.execute("UPDATE sessions SET summary = ? WHERE id = ?", (stored, session))
        assert store.summary(session) == read


class _FailingConnection:
    """The store's SQLite connection, but a statement containing `fail_on` raises the error
    SQLite gives for a failing disk: a generic error, so the message says what was being done."""

    def __init__(self, conn: sqlite3.Connection, fail_on: str) -> None:
        self._conn, self._fail_on = conn, fail_on

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    def execute(self, query: str, params: Any = ()) -> Any:
        if self._fail_on in query:
            raise sqlite3.OperationalError("disk I/O error")
        return self._conn.execute(query, params)

    def executemany(self, query: str, params: Any) -> Any:
        if self._fail_on in query:
            raise sqlite3.OperationalError("disk I/O error")
        return self._conn.executemany(query, params)

    def close(self) -> None:
        self._conn.close()


@pytest.mark.parametrize(("fail_on", "call", "action"), [
    ("UPDATE sessions SET status = 'running'", lambda s, sid: s.claim(sid), "claim a session in"),
    ("UPDATE sessions SET summary", lambda s, sid: s.set_summary(sid, {"index": 1}), "write to"),
    ("UPDATE sessions SET status = ?", lambda s, sid: s.set_status(sid, "paused"), "write to"),
    ("INSERT INTO sessions", lambda s, sid: s.create_session(scenario_text="x", scenario_id="y"),
     "create a session in"),
    ("INSERT INTO events", lambda s, sid: s.append(sid, [make_event(6)]), "store events in"),
])
def test_a_failing_write_says_what_it_was_doing_and_changes_nothing(
        store: SessionStore, session: str, db_path: Path, fail_on: str, call: Any, action: str) -> None:
    before = (store.get(session), store.events(session), store.count_sessions())
    store._conn = _FailingConnection(store._conn, fail_on)  # type: ignore[assignment]
    with pytest.raises(StoreError) as raised:
        call(store, session)
    assert raised.value.message == f"cannot {action} the session database {db_path}: disk I/O error"
    assert (store.get(session), store.events(session), store.count_sessions()) == before


def test_errors_about_a_session_name_it_and_the_database(store: SessionStore, db_path: Path) -> None:
    calls: dict[str, Callable[[], object]] = {
        "get": lambda: store.get("nope"), "summary": lambda: store.summary("nope"),
        "last_seq": lambda: store.last_seq("nope"), "scenario_text": lambda: store.scenario_text("nope"),
        "set_summary": lambda: store.set_summary("nope", {"index": 1}),
        "set_status": lambda: store.set_status("nope", "paused"), "claim": lambda: store.claim("nope"),
        "resolve": lambda: store.resolve("nopenope"),
    }
    for name, call in calls.items():
        with pytest.raises(UnknownSession) as raised:
            call()
        assert (raised.value.session_id, raised.value.message) == (
            "nope" if name != "resolve" else "nopenope",
            f"no session with id {'nope' if name != 'resolve' else 'nopenope'!r} in {db_path}"), name


def test_a_prefix_that_fits_two_sessions_asks_for_more_characters(store: SessionStore) -> None:
    for sid in ("abcd01", "abcd02", "abce03"):
        store.create_session(scenario_text="x", scenario_id="y", session_id=sid)
    with pytest.raises(StoreError) as raised:
        store.resolve("abcd")
    assert (raised.value.message, raised.value.hint) == (
        "'abcd' matches more than one session", "type more characters of the id")
    assert store.resolve("abce") == "abce03"
    assert store.resolve(" abcd02 ") == "abcd02"  # as pasted, with blanks


def test_a_status_change_stamps_the_time_and_ending_stamps_the_end_once(db_path: Path) -> None:
    moments = iter(dt.datetime(2026, 3, 1, 9, m, tzinfo=dt.UTC) for m in range(10))
    with SessionStore(db_path, clock=lambda: next(moments)) as store:
        sid = store.create_session(scenario_text="x", scenario_id="y").id  # 09:00
        store.set_status(sid, "paused")  # 09:01
        info = store.get(sid)
        assert (info.status, info.updated, info.ended) == ("paused", "2026-03-01T09:01:00+00:00", None)
        store.set_status(sid, "ended")  # 09:02
        info = store.get(sid)
        assert (info.status, info.updated, info.ended) == ("ended", "2026-03-01T09:02:00+00:00",
                                                           "2026-03-01T09:02:00+00:00")
        store.set_status(sid, "ended")  # 09:03: the end stays when it was first recorded
        info = store.get(sid)
        assert (info.updated, info.ended) == ("2026-03-01T09:03:00+00:00", "2026-03-01T09:02:00+00:00")


@pytest.mark.parametrize(("stored", "read"), [
    ('["Kari", "Ola (HR)"]', ("Kari", "Ola (HR)")), ("[1, 2]", ("1", "2")), ('"Kari"', ()), ('{"a": 1}', ()),
    ("not json", ()),
])
def test_participants_are_a_stored_json_list_and_anything_else_is_none(
        store: SessionStore, session: str, stored: str, read: tuple[str, ...]) -> None:
    store._conn.execute("UPDATE sessions SET participants = ? WHERE id = ?", (stored, session))
    assert store.get(session).participants == read


def test_a_summary_is_stored_sorted_and_readable_and_no_summary_as_null(store: SessionStore, session: str) -> None:
    def raw() -> object:
        return store._conn.execute("SELECT summary FROM sessions WHERE id = ?", (session,)).fetchone()[0]

    assert raw() is None
    store.set_summary(session, {"b": 1, "a": "blåbær"}, 50.0)
    assert raw() == '{"a": "blåbær", "b": 1}'
    store.set_summary(session, None)
    assert raw() is None
    assert store.create_session(scenario_text="x", scenario_id="y", summary=None).id
    assert session_rows.summary_json(None) is None


def test_an_unknown_status_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError) as raised:
        session_rows.check_status("done")
    assert str(raised.value) == f"status must be one of {STATUSES}, not 'done'"


def test_only_a_claimed_running_session_is_owned_by_this_process(store: SessionStore) -> None:
    me = session_rows.this_process()
    owners = [store.create_session(scenario_text="x", scenario_id="y", claim=claim, status=status).owner
              for claim, status in ((True, "running"), (False, "running"), (True, "paused"), (False, "paused"))]
    assert owners == [me, None, None, None]


def test_a_backend_with_another_placeholder_gets_every_parameter_rewritten() -> None:
    class Percent(session_rows.SessionRows):
        PLACEHOLDER = "%s"

    query = "UPDATE sessions SET a = ?, b = ? WHERE id = ?"
    assert Percent()._sql(query) == "UPDATE sessions SET a = %s, b = %s WHERE id = %s"
    assert session_rows.SessionRows()._sql(query) == query


def test_a_session_id_that_is_taken_is_refused_with_the_way_out(store: SessionStore, session: str,
                                                                 db_path: Path) -> None:
    with pytest.raises(StoreError) as raised:
        store.create_session(scenario_text="x", scenario_id="y", session_id=session)
    assert (raised.value.message, raised.value.exit_code, raised.value.hint) == (
        f"a session with id {session!r} already exists in {db_path}", 1, "import it as a copy with --new-id")
    assert store.count_sessions() == 1


def test_a_new_session_gets_twelve_random_hex_digits_and_gives_up_after_twenty_collisions(
        store: SessionStore, session: str, monkeypatch: pytest.MonkeyPatch) -> None:
    new = store.create_session(scenario_text="x", scenario_id="y").id
    assert len(new) == 12 and int(new, 16) >= 0
    drawn: list[int] = []

    def taken(nbytes: int) -> str:
        drawn.append(nbytes)
        return session

    monkeypatch.setattr(secrets, "token_hex", taken)
    with pytest.raises(StoreError) as raised:
        store.create_session(scenario_text="x", scenario_id="y")
    assert (raised.value.message, raised.value.exit_code) == ("could not find a free session id", 2)
    assert drawn == [6] * 20
    assert store.count_sessions() == 2


def test_every_column_of_a_new_session_is_stored_as_given(store: SessionStore) -> None:
    """As tests/national/test_pg_store.py checks it on PostgreSQL: the row is written once, for both."""
    parent, info = create_branch(store, branch_seq=None, status="ended", ended="2026-03-01T10:00:00+00:00",
                                 claim=True)
    assert row_fields(info) == (
        "branch-1", "x", "Tittel", 11, "Lag B", ("Kari (hr)", "Ola"), "Per", "headless",
        "2026-03-01T09:00:00+00:00", "ended", "2026-03-01T10:00:00+00:00", parent.id, "d01", 1, 1, None,
        "2026-03-01T09:00:00+00:00", 40.0)  # branch_seq defaults to the events copied; ended is never owned
    assert store.summary("branch-1") == {"index": 40.0}
    assert store.get(parent.id).branch_seq is None  # not a branch
