"""The session store: events round-trip exactly, history only grows, statuses stay honest."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krise_ovelse.store.codec import event_to_row, row_to_event
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import StoreError, UnknownSession
from krise_ovelse.store.schema import CURRENT_VERSION
from krise_ovelse.store.session_rows import this_host

from .store_helpers import SCENARIO_TEXT, make_event, make_events


def test_new_database_is_wal_full_sync_and_current(store: SessionStore, db_path: Path) -> None:
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    assert db_path.exists()


def test_events_round_trip_exactly(store: SessionStore, session: str) -> None:
    assert store.events(session) == make_events(1, 5)
    odd = {"seq": 6, "kind": "odd", "scenario_minutes": 480, "exercise_seconds": None,
           "extra": {"nested": [1, 2.5, "æøå", None, True]}}
    store.append(session, [odd])
    back = store.events(session)[-1]
    assert back == odd
    assert isinstance(back["scenario_minutes"], int)  # 480 does not come back as 480.0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children,
                                                                       max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(extra=st.dictionaries(st.text(min_size=1, max_size=10), json_values, max_size=5),
       minutes=st.none() | st.integers(0, 10**6) | st.floats(0, 1e6),
       seconds=st.none() | st.floats(0, 1e6))
def test_any_event_dict_round_trips_through_a_row(extra: dict[str, Any], minutes: Any,
                                                  seconds: Any) -> None:
    event: dict[str, Any] = {**extra, "seq": 3, "kind": "k"}
    if minutes is not None:
        event["scenario_minutes"] = minutes
    if seconds is not None:
        event["exercise_seconds"] = seconds
    back = row_to_event(*event_to_row(event))
    assert back == event
    assert json.dumps(back, sort_keys=True) == json.dumps(event, sort_keys=True)


def test_append_continues_the_sequence(store: SessionStore, session: str) -> None:
    assert store.append(session, make_events(6, 8)) == 8
    assert store.last_seq(session) == 8
    assert [e["seq"] for e in store.events(session)] == list(range(1, 9))
    assert store.append(session, []) == 8


@pytest.mark.parametrize("bad", [[7], [5], [6, 8], [6, 6], [1]])
def test_a_gap_or_repeat_is_refused_and_nothing_is_stored(store: SessionStore, session: str,
                                                           bad: list[int]) -> None:
    before = store.events(session)
    with pytest.raises(StoreError, match="next event must have seq"):
        store.append(session, [make_event(s) for s in bad])
    assert store.events(session) == before


def test_the_database_itself_refuses_update_delete_and_gaps(store: SessionStore, session: str,
                                                             db_path: Path) -> None:
    """Even code that bypasses the store (or the sqlite3 shell) cannot rewrite history."""
    before = store.events(session)
    raw = sqlite3.connect(db_path, isolation_level=None)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE events SET kind = 'forged' WHERE seq = 2")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM events WHERE seq = 5")
    with pytest.raises(sqlite3.IntegrityError, match="no gaps"):
        raw.execute("INSERT INTO events (session_id, seq, kind, payload) VALUES (?, 9, 'x', '{}')",
                    (session,))
    with pytest.raises(sqlite3.IntegrityError):
        raw.execute("INSERT INTO events (session_id, seq, kind, payload) VALUES (?, 3, 'x', '{}')",
                    (session,))
    with pytest.raises(sqlite3.IntegrityError, match="identity"):
        raw.execute("UPDATE sessions SET scenario_sha256 = 'x' WHERE id = ?", (session,))
    with pytest.raises(sqlite3.IntegrityError):  # foreign key: no events for unknown sessions
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute("INSERT INTO events (session_id, seq, kind, payload) VALUES ('nope', 1, 'x', '{}')")
    raw.close()
    assert store.events(session) == before


def test_unknown_session_says_how_to_list(store: SessionStore) -> None:
    with pytest.raises(UnknownSession) as info:
        store.events("feedfacecafe")
    assert info.value.exit_code == 2
    assert "krise-ovelse sessions" in info.value.render()
    with pytest.raises(UnknownSession):
        store.append("feedfacecafe", [make_event(1)])
    with pytest.raises(UnknownSession):
        store.resolve("feed")


def test_ids_resolve_from_a_unique_prefix(store: SessionStore) -> None:
    a = store.create_session(scenario_text=SCENARIO_TEXT, scenario_id="s", session_id="abcd1111")
    store.create_session(scenario_text=SCENARIO_TEXT, scenario_id="s", session_id="abcd2222")
    assert store.resolve("abcd1111") == a.id
    assert store.resolve("abcd1") == a.id
    with pytest.raises(StoreError, match="more than one"):
        store.resolve("abcd")
    with pytest.raises(UnknownSession, match="at least 4 characters"):
        store.resolve("ab")  # too short to be a prefix
    assert store.resolve("abcd1111") == a.id  # a whole id of any length is found


def test_a_prefix_finds_ids_whatever_characters_follow_it(store: SessionStore) -> None:
    """Generated ids are lowercase hex and imported ones may hold any id character: the prefix
    lookup must not stop at some character after the prefix."""
    ids = ["feedzz-1", "beefcafe", "cafe_Z_9", "deadffff"]
    for session_id in ids:
        store.create_session(scenario_text=SCENARIO_TEXT, scenario_id="s", session_id=session_id)
    assert [store.resolve(i[:4]) for i in ids] == ids
    assert store.resolve("beefc") == "beefcafe"
    with pytest.raises(UnknownSession):
        store.resolve("beefd")  # the lookup is a prefix, not a range that runs past it


def test_a_session_as_a_dict_lists_its_participants(store: SessionStore) -> None:
    """What `sessions --json` prints: every field, participants as a list, the effective status."""
    info = store.create_session(scenario_text=SCENARIO_TEXT, scenario_id="s", participants=["Kari", "Ola (HR)"])
    data = info.to_dict()
    assert data["participants"] == ["Kari", "Ola (HR)"] and data["effective_status"] == "running"
    assert set(data) == {*(f.name for f in attrs.fields(type(info))), "effective_status"}


def test_a_command_that_only_reads_never_creates_the_database(tmp_path: Path) -> None:
    from krise_ovelse.store.db import NoDatabase

    missing = tmp_path / "none" / "sessions.db"
    with pytest.raises(NoDatabase) as info:
        SessionStore.for_reading(missing)
    assert (info.value.message, info.value.hint, info.value.exit_code) == (
        f"there is no session database at {missing} yet",
        "sessions are stored there once an exercise is run or imported (or pass --db / set KRISE_OVELSE_DB)", 2)
    assert not missing.parent.exists()
    with pytest.raises(NoDatabase, match=r"env-default\.db"):  # no path: $KRISE_OVELSE_DB (conftest)
        SessionStore.for_reading(None)
    with SessionStore(tmp_path / "s.db"):
        pass
    with SessionStore.for_reading(tmp_path / "s.db", busy_timeout=7) as reading:
        assert (reading.path, reading.busy_timeout_ms, reading.readonly) == (tmp_path / "s.db", 7, False)


def test_scenario_text_is_kept_once_per_hash(store: SessionStore) -> None:
    ids = [store.create_session(scenario_text=SCENARIO_TEXT, scenario_id="s").id for _ in range(3)]
    assert store._conn.execute("SELECT count(*) FROM scenario_texts").fetchone()[0] == 1
    assert all(store.scenario_text(i) == SCENARIO_TEXT for i in ids)


def test_list_is_newest_first_and_has_the_list_fields(store: SessionStore) -> None:
    for n, day in enumerate(["2025-01-03", "2025-01-01", "2025-01-02"]):
        store.create_session(scenario_text=SCENARIO_TEXT, scenario_id="s", team=f"T{n}",
                             started=f"{day}T10:00:00+00:00")
    assert [s.team for s in store.list_sessions()] == ["T0", "T2", "T1"]
    assert store.count_sessions() == 3
    assert len(store.list_sessions(limit=2)) == 2


def test_ending_event_marks_the_session_ended_in_the_same_transaction(store: SessionStore,
                                                                      session: str) -> None:
    assert store.get(session).status == "running"
    store.append(session, [make_event(6, "session_ended")])
    info = store.get(session)
    assert info.status == "ended"
    assert info.ended == make_event(6)["wall"]
    assert info.owner is None
    store.set_status(session, "paused")
    assert store.get(session).status == "ended"  # never back from ended
    with pytest.raises(StoreError, match="has ended"):
        store.claim(session)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_running_session_whose_process_died_shows_as_interrupted(store: SessionStore,
                                                                   session: str) -> None:
    assert store.get(session).effective_status == "running"  # we own it and live
    store._conn.execute("UPDATE sessions SET owner = ? WHERE id = ?",
                        (f"{this_host()}:{_dead_pid()}", session))
    assert store.get(session).effective_status == "interrupted"
    store._conn.execute("UPDATE sessions SET owner = ? WHERE id = ?",
                        (f"another-host:{_dead_pid()}", session))
    assert store.get(session).effective_status == "running"  # cannot tell on another host
    store._conn.execute("UPDATE sessions SET owner = NULL WHERE id = ?", (session,))
    assert store.get(session).effective_status == "interrupted"


def test_claim_refuses_a_session_open_in_another_live_process(store: SessionStore,
                                                              session: str) -> None:
    store._conn.execute("UPDATE sessions SET owner = ? WHERE id = ?",
                        (f"{this_host()}:{os.getppid()}", session))
    with pytest.raises(StoreError, match="open in another process"):
        store.claim(session)
    assert store.claim(session, force=True).owner == f"{this_host()}:{os.getpid()}"
    store.set_status(session, "paused")
    info = store.get(session)
    assert (info.status, info.owner) == ("paused", None)
    assert store.claim(session).effective_status == "running"


def test_summary_cache_is_replaceable(store: SessionStore, session: str) -> None:
    assert store.summary(session) is None
    store.set_summary(session, {"index": 71.5, "facts": {"a": 1}}, 71.5)
    assert store.summary(session) == {"index": 71.5, "facts": {"a": 1}}
    assert store.get(session).score_index == 71.5
    store.set_summary(session, None)
    assert store.summary(session) is None


def test_sink_stores_dicts_and_converts_objects(store: SessionStore, session: str) -> None:
    class Obj:
        def __init__(self, seq: int) -> None:
            self.seq = seq

    sink = store.sink(session, to_dict=lambda o: make_event(o.seq))
    sink([make_event(6), Obj(7)])
    assert store.events(session) == make_events(1, 7)


def test_a_second_connection_reads_a_live_session(store: SessionStore, session: str,
                                                  db_path: Path) -> None:
    reader = SessionStore(db_path)
    try:
        assert len(reader.events(session)) == 5
        # The writer holds its write lock with an uncommitted event: the reader is not blocked
        # and does not see it.
        store._conn.execute("BEGIN IMMEDIATE")
        store._conn.execute("INSERT INTO events (session_id, seq, kind, payload) "
                            "VALUES (?, 6, 'note', '{}')", (session,))
        assert len(reader.events(session)) == 5
        store._conn.execute("COMMIT")
        assert len(reader.events(session)) == 6
    finally:
        reader.close()


def test_a_subprocess_reads_while_this_process_writes(store: SessionStore, session: str,
                                                       db_path: Path) -> None:
    """Another process follows a live session: each of its reads sees a gap-free prefix."""
    script = (
        "import sys\n"
        "from krise_ovelse.store.db import SessionStore\n"
        "s = SessionStore.for_reading(sys.argv[1])\n"
        "for line in sys.stdin:\n"
        "    seqs = [e['seq'] for e in s.events(sys.argv[2])]\n"
        "    assert seqs == list(range(1, len(seqs) + 1)), seqs\n"
        "    print(len(seqs), flush=True)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(db_path), session],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    seen = []
    for seq in range(6, 26):
        store.append(session, [make_event(seq)])
        proc.stdin.write("read\n")
        proc.stdin.flush()
        seen.append(int(proc.stdout.readline()))
    proc.stdin.close()
    assert proc.wait(timeout=30) == 0
    assert seen == list(range(6, 26))  # each append was visible to the other process at once


def test_threads_share_one_store(store: SessionStore, session: str) -> None:
    """The TUI may append from a worker thread while the UI thread reads."""
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(50):
                seqs = [e["seq"] for e in store.events(session)]
                assert seqs == list(range(1, len(seqs) + 1))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    for seq in range(6, 56):
        store.append(session, [make_event(seq)])
    thread.join()
    assert not errors
    assert store.last_seq(session) == 55


def test_a_path_with_awkward_characters(tmp_path: Path) -> None:
    path = tmp_path / "Øving 3 ? #1 %20" / "sessions.db"
    with SessionStore(path) as store:
        store.create_session(scenario_text=SCENARIO_TEXT, scenario_id="s")
    assert path.exists()
    with SessionStore.for_reading(path) as store:
        assert store.count_sessions() == 1


def test_listing_reads_only_the_sessions_index(store: SessionStore) -> None:
    """`sessions` must stay fast with 10,000 sessions: the list walks the started-index and
    never touches scenario texts or events (bench/bench_store.py measures the time)."""
    from krise_ovelse.store.session_rows import INFO_COLUMNS

    plan = " | ".join(str(row[-1]) for row in store._conn.execute(
        f"EXPLAIN QUERY PLAN SELECT {INFO_COLUMNS} FROM sessions ORDER BY started DESC, id DESC"))
    assert "sessions_by_started" in plan, plan
    assert "scenario_texts" not in plan and "events" not in plan and "TEMP B-TREE" not in plan
    assert "summary" not in INFO_COLUMNS  # the (possibly large) cached ratings stay unread
