"""The PostgreSQL backend against a real server: the same lifecycle and guarantees as SQLite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from click.testing import CliRunner

from krise_ovelse.cli import main
from krise_ovelse.store.backend import open_store
from krise_ovelse.store.errors import StoreError
from krise_ovelse.store.pg import PgStore
from krise_ovelse.store.pg_schema import server_version_problem

from ..store.store_helpers import create_branch, row_fields
from .pg_helpers import EXAMPLE, ROOT, admin_url, with_database

PLAY = ROOT / "scenarios" / "playthroughs" / "kort-eksempel" / "sterkt.yaml"


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_run_stores_a_session_that_replays_from_the_server(pg_url: str) -> None:
    play = PLAY if PLAY.exists() else next((ROOT / "scenarios" / "playthroughs").rglob("*.yaml"))
    code, out, err = cli("run", str(EXAMPLE), "--play", str(play), "--db", pg_url)
    if code != 0:  # the playthrough may belong to another scenario: run without one
        code, out, err = cli("run", str(EXAMPLE), "--db", pg_url)
    assert code == 0, err
    with open_store(pg_url) as store:
        (info,) = store.list_sessions()
        assert info.status == "ended" and info.last_seq > 5
        short = info.id[:5]
    code, out, err = cli("replay", short, "--json", "--db", pg_url)
    assert code == 0, err
    assert json.loads(out)["ok"] is True
    code, out, err = cli("sessions", "--db", pg_url)
    assert code == 0 and info.id in out
    password = urlsplit(pg_url).password
    if password:  # where the sessions are is said without the password
        assert ":***@" in err and f":{password}@" not in out + err


def test_the_server_keeps_events_append_only_and_gap_free(pg_url: str) -> None:
    with PgStore(pg_url) as store:
        info = store.create_session(scenario_text="id: x\n", scenario_id="x", events=[
            {"seq": 1, "kind": "session_started"}, {"seq": 2, "kind": "paused"}])
        with pytest.raises(StoreError) as raised:
            store.append(info.id, [{"seq": 4, "kind": "resumed"}])
        assert (raised.value.message, raised.value.hint) == (
            f"session {info.id}: the next event must have seq 3, not 4; another process may have written to "
            "this session", "reopen the session to continue from what is stored")
        assert store.append(info.id, [{"seq": 3, "kind": "resumed"}]) == 3
    with psycopg.connect(pg_url, autocommit=True) as conn:  # another program, past our client
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("UPDATE events SET kind = 'x'")
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("DELETE FROM events")
        with pytest.raises(psycopg.Error, match="not the next one"):
            conn.execute("INSERT INTO events (session_id, seq, kind, payload) VALUES (%s, 9, 'x', '{}')", (info.id,))
        assert conn.execute("SELECT array_agg(seq ORDER BY position) FROM events").fetchone() == ([1, 2, 3],)


def test_session_ended_marks_the_session_ended_in_the_same_transaction(pg_url: str) -> None:
    with PgStore(pg_url) as store:
        info = store.create_session(scenario_text="id: x\n", scenario_id="x", events=[{"seq": 1, "kind": "a"}])
        store.append(info.id, [{"seq": 2, "kind": "session_ended", "wall": "2026-01-01T10:00:00+00:00"}])
        after = store.get(info.id)
        assert after.status == "ended" and after.owner is None and after.ended == "2026-01-01T10:00:00+00:00"


def _url_with(url: str, **parts: str) -> str:
    split = urlsplit(url)
    if "password" in parts:
        user = split.username or ""
        host = split.netloc.rpartition("@")[2]
        split = split._replace(netloc=f"{user}:{parts['password']}@{host}")
    if "database" in parts:
        split = split._replace(path="/" + parts["database"])
    return urlunsplit(split)


@pytest.mark.parametrize("case", ["bad url", "wrong password", "missing database", "no tables", "no server"])
def test_connection_problems_are_one_clear_line_and_exit_2(pg_url: str, case: str) -> None:
    url = {"bad url": "postgresql://user@host:notaport/db",
           "wrong password": _url_with(pg_url, password="wrong-password"),
           "missing database": _url_with(pg_url, database="no_such_db_here"),
           "no tables": admin_url(),
           "no server": "postgresql://u:p@127.0.0.1:1/db"}[case]
    if case == "no tables":  # a fresh database without `db migrate`
        with psycopg.connect(admin_url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE kt_empty_probe") if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = 'kt_empty_probe'").fetchone() else None
        url = with_database(admin_url(), "kt_empty_probe")
    proc = subprocess.run([sys.executable, "-m", "krise_ovelse", "sessions", "--db", url],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert "wrong-password" not in proc.stderr
    expected = {"bad url": "not a valid PostgreSQL URL", "wrong password": "user name or password",
                "missing database": "does not exist", "no tables": "db migrate", "no server": "cannot reach"}[case]
    assert expected in proc.stderr


def test_an_old_server_is_refused_with_the_version_it_needs() -> None:
    assert server_version_problem(110022) == ("the PostgreSQL server is version 11; krise-øvelse needs "
                                              "version 13 or newer")
    assert server_version_problem(100000) == ("the PostgreSQL server is version 10; krise-øvelse needs "
                                              "version 13 or newer")
    assert server_version_problem(129999) is not None
    assert server_version_problem(130000) is None
    assert server_version_problem(150018) is None


def test_db_migrate_creates_and_then_changes_nothing(pg_url: str) -> None:
    code, out, _err = cli("db", "migrate", "--db", pg_url)
    assert code == 0 and "(already up to date)" in out
    code, _out, err = cli("db", "migrate", "--db", str(Path("/tmp/x.db")))
    assert code == 2 and "not a PostgreSQL URL" in err


def test_the_console_lifecycle_works_on_the_server(pg_url: str) -> None:
    from krise_ovelse.tui.loaded import load_for_console
    from krise_ovelse.tui.session import ExerciseSession

    loaded, problems = load_for_console(EXAMPLE)
    assert loaded is not None, problems
    live = ExerciseSession.start(loaded, team="Lag P", db=pg_url)
    assert live.toggle_pause().ok and live.next_inject().ok
    follower = ExerciseSession.follow(live.session_id or "", db=pg_url)
    seq = follower.state.seq
    assert live.next_inject().ok
    assert follower.poll() and follower.state.seq > seq
    live.close()
    follower.close()
    resumed = ExerciseSession.resume(live.session_id or "", db=pg_url)
    with PgStore(pg_url) as store:  # closing paused the clock: one event more than the window saw
        assert resumed.state.seq == store.last_seq(live.session_id or "") == follower.state.seq + 1
    resumed.close()


def test_claim_summary_and_lookups_behave_as_in_sqlite(pg_url: str, tmp_path: Path) -> None:
    """The Store interface's refusals and lookups, on both backends (mutation testing found them untested)."""
    from krise_ovelse.store.db import SessionStore
    from krise_ovelse.store.errors import SessionHeld, UnknownSession

    events = [{"seq": 1, "kind": "session_started"}, {"seq": 2, "kind": "paused"}, {"seq": 3, "kind": "resumed"}]
    for store in (SessionStore(tmp_path / "s.db"), PgStore(pg_url)):
        with store:
            info = store.create_session(scenario_text="id: x\n", scenario_id="x", session_id="abcd1234", events=events)
            store.create_session(scenario_text="id: x\n", scenario_id="x", session_id="bcde2345")
            for lookup in (store.claim, store.summary, store.last_seq):
                with pytest.raises(UnknownSession) as unknown:
                    lookup("feedbeef")
                assert unknown.value.session_id == "feedbeef"
                assert unknown.value.message == f"no session with id 'feedbeef' in {store.location}"
            assert store.last_seq(info.id) == 3
            assert [e["seq"] for e in store.events(info.id, 2)] == [2, 3]
            assert [e["seq"] for e in store.events(info.id, 1, 2)] == [1, 2]
            assert len(store.list_sessions(limit=1)) == 1 and len(store.list_sessions()) == 2
            assert store.summary(info.id) is None
            store.set_summary(info.id, {"index": 50.0}, 50.0)
            assert store.summary(info.id) == {"index": 50.0}
            store.set_status(info.id, "paused")
            mine = store.claim(info.id)
            assert (mine.status, mine.owner is not None) == ("running", True)
            if isinstance(store, SessionStore):
                store._conn.execute("UPDATE sessions SET owner = 'otherhost:1' WHERE id = ?", (info.id,))
            else:
                with psycopg.connect(pg_url, autocommit=True) as conn:
                    conn.execute("UPDATE sessions SET owner = 'otherhost:1' WHERE id = %s", (info.id,))
            with pytest.raises(SessionHeld) as held:
                store.claim(info.id)
            assert (held.value.session_id, held.value.owner) == (info.id, "otherhost:1")
            assert store.claim(info.id, force=True).owner == mine.owner
            store.set_status(info.id, "ended")
            with pytest.raises(StoreError) as ended:
                store.claim(info.id)
            assert (ended.value.message, ended.value.hint) == (
                "session abcd1234 has ended; it cannot be continued",
                "start a what-if from it with `krise-ovelse branch abcd1234 --at DECISION`")


def _exercise_with_two_streams(pg_url: str, exercise: str) -> tuple[PgStore, dict[str, str]]:
    """An exercise with streams org.a and org.b, each written by its own role (`pg_roles`)."""
    from krise_ovelse.store.pg_roles import Writer, set_up_roles

    store = PgStore(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO scenario_texts (sha256, text) VALUES ('h', 'id: x\n')")
        conn.execute("INSERT INTO exercises (id, scenario_sha256, created) VALUES (%s, 'h', '2026-01-01')",
                     (exercise,))
    for stream in ("org.a", "org.b"):
        store.create_session(scenario_text="id: x\n", scenario_id="x", session_id=f"{exercise}_{stream[-1]}",
                             exercise_id=exercise, stream=stream, events=[{"seq": 1, "kind": "session_started"}])
    writers = [Writer(stream, f"kx_{exercise}_{stream[-1]}", staff=False, readers=None)
               for stream in ("org.a", "org.b")]
    passwords = set_up_roles(store, exercise, writers, f"kx_{exercise}_staff")
    split = urlsplit(pg_url)
    host = split.netloc.rpartition("@")[2]
    urls = {w.stream: urlunsplit(split._replace(netloc=f"{w.role}:{passwords[w.role]}@{host}")) for w in writers}
    return store, urls


def test_a_stream_written_by_another_role_is_refused_with_who_may_write(pg_url: str, exercise_id: str) -> None:
    owner, urls = _exercise_with_two_streams(pg_url, exercise_id)
    with owner, PgStore(urls["org.a"]) as a:
        assert a.append(f"{exercise_id}_a", [{"seq": 2, "kind": "paused"}]) == 2  # its own stream
        with pytest.raises(StoreError) as info:
            a.append(f"{exercise_id}_b", [{"seq": 2, "kind": "paused"}])
        assert info.value.message.startswith(  # the server's words follow, on the same line
            f"the server refused to store events in: this user may not (krise: kx_{exercise_id}_a may not write to "
            f"session {exercise_id}_b ")
        assert info.value.message.endswith(")") and "\n" not in info.value.message
        assert (info.value.hint, info.value.exit_code) == (
            "each organisation and evaluator writes only its own stream", 2)
        assert owner.last_seq(f"{exercise_id}_b") == 1  # nothing was stored
        # setting up again gives the existing role a new password
        assert set(_exercise_roles_again(owner, exercise_id)) == {f"kx_{exercise_id}_a"}
        with pytest.raises(StoreError, match="refused the user name or password"):
            PgStore(urls["org.a"])  # the old password no longer works


def _exercise_roles_again(store: PgStore, exercise: str) -> dict[str, str]:
    from krise_ovelse.store.pg_roles import Writer, set_up_roles

    return set_up_roles(store, exercise, [Writer("org.a", f"kx_{exercise}_a", staff=False, readers=None)],
                        f"kx_{exercise}_staff")


def test_a_failed_statement_names_what_was_being_done_and_where(pg_url: str) -> None:
    with PgStore(pg_url) as store:
        with pytest.raises(StoreError) as info:  # the parent must be a stored session
            store.create_session(scenario_text="id: x\n", scenario_id="x", parent_id="nosuchparent")
        assert info.value.message == (
            f"cannot create a session in the PostgreSQL store at {store.location}: insert or update on table "
            '"sessions" violates foreign key constraint "sessions_parent_id_fkey" DETAIL: Key '
            '(parent_id)=(nosuchparent) is not present in table "sessions".')
        assert info.value.exit_code == 2
        assert store.list_sessions() == []  # one transaction: not even the scenario text stayed
        assert store.execute("SELECT count(*) FROM scenario_texts") == [(0,)]


def test_the_engine_sink_and_the_exercise_reads_on_the_server(pg_url: str) -> None:
    """What a national exercise's clients use: the sink, reads in position order, the applied position."""
    with PgStore(pg_url) as store:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("INSERT INTO scenario_texts (sha256, text) VALUES ('h', 'id: x\n')")
            conn.execute("INSERT INTO exercises (id, scenario_sha256, created) VALUES ('ex', 'h', '2026-01-01')")
        first = store.create_session(scenario_text="id: x\n", scenario_id="x", exercise_id="ex", stream="control",
                                     session_id="ex_control", events=[{"seq": 1, "kind": "session_started"}])
        second = store.create_session(scenario_text="id: x\n", scenario_id="x", exercise_id="ex", stream="org.a",
                                      session_id="ex_org_a", events=[{"seq": 1, "kind": "session_started"}])
        store.create_session(scenario_text="id: x\n", scenario_id="x", session_id="alone",
                             events=[{"seq": 1, "kind": "session_started"}])  # in no exercise
        store.sink(first.id)([{"seq": 2, "kind": "resumed"}, {"seq": 3, "kind": "paused"}])
        assert [e["kind"] for e in store.events(first.id)] == ["session_started", "resumed", "paused"]
        store.append(second.id, [{"seq": 2, "kind": "resumed"}], applied_control=3)
        after = store.events_after("ex", 0)
        assert [(sid, e["seq"]) for _p, sid, e in after] == [
            ("ex_control", 1), ("ex_org_a", 1), ("ex_control", 2), ("ex_control", 3), ("ex_org_a", 2)]
        positions = [p for p, _sid, _e in after]
        assert positions == sorted(positions) and len(set(positions)) == 5
        assert [(sid, e["seq"]) for _p, sid, e in store.events_after("ex", positions[1], ["ex_control"])] == [
            ("ex_control", 2), ("ex_control", 3)]
        assert len(store.events_after("ex", 0, limit=2)) == 2
        assert store.events_after("ex", positions[-1]) == []
        assert store.applied_control(second.id) == 3
        store.set_applied_control(second.id, 2)  # never goes back
        assert store.applied_control(second.id) == 3
        store.set_applied_control(second.id, 7)
        assert (store.applied_control(second.id), store.applied_control(first.id)) == (7, 0)
        assert store.integrity_problems() == []
        store.sink(second.id, lambda kind: {"seq": 3, "kind": kind})(["paused"])  # engine events via to_dict
        assert store.events(second.id)[-1]["kind"] == "paused"


def test_a_query_the_server_cancels_is_not_called_a_lost_server(pg_url: str) -> None:
    """A statement timeout (set by a database administrator) says so; it is not "cannot reach"."""
    with PgStore(pg_url) as store:
        store.execute("SELECT set_config('statement_timeout', '50', false)")
        with pytest.raises(StoreError) as info:
            store.execute("SELECT pg_sleep(2)")
        assert info.value.message == (f"cannot use the PostgreSQL store at {store.location}: "
                                      "canceling statement due to statement timeout")
        assert info.value.exit_code == 2


def test_a_failing_read_and_an_unknown_stream_name_the_store_and_the_session(pg_url: str) -> None:
    from krise_ovelse.store.backend import display_target
    from krise_ovelse.store.errors import UnknownSession

    where = display_target(pg_url)
    with PgStore(pg_url) as store:
        with pytest.raises(StoreError) as raised:
            store._read("SELECT * FROM no_such_table")
        assert raised.value.message.startswith(f"cannot read the PostgreSQL store at {where}: relation ")
        assert "no_such_table" in raised.value.message and raised.value.exit_code == 2
        with pytest.raises(UnknownSession) as unknown:
            store.append("nope", [{"seq": 1, "kind": "session_started"}])
        assert (unknown.value.session_id, unknown.value.message) == ("nope", f"no session with id 'nope' in {where}")


def test_every_column_of_a_new_session_is_stored_as_given(pg_url: str) -> None:
    with PgStore(pg_url) as store:
        parent, info = create_branch(store, branch_seq=1, status="paused", ended=None, claim=False)
        assert row_fields(info) == (
            "branch-1", "x", "Tittel", 11, "Lag B", ("Kari (hr)", "Ola"), "Per", "headless",
            "2026-03-01T09:00:00+00:00", "paused", None, parent.id, "d01", 1, 1, None,
            "2026-03-01T09:00:00+00:00", 40.0)
        assert store.summary("branch-1") == {"index": 40.0}
        assert store.scenario_text("branch-1") == "id: x\n"


def test_what_the_server_cannot_store_is_refused_with_the_store_and_the_action(pg_url: str) -> None:
    from krise_ovelse.store.backend import display_target

    where = display_target(pg_url)
    with PgStore(pg_url) as store:
        info = store.create_session(scenario_text="id: x\n", scenario_id="x", events=[
            {"seq": 1, "kind": "session_started"}])
        with pytest.raises(StoreError) as raised:
            store.append(info.id, [{"seq": 2, "kind": "pau\x00sed"}])
        assert raised.value.message.startswith(f"cannot store events in the PostgreSQL store at {where}: ")
        assert "NUL" in raised.value.message
        with pytest.raises(StoreError) as raised:
            store.set_applied_control(info.id, 2**70)
        assert raised.value.message.startswith(f"cannot write to the PostgreSQL store at {where}: ")
        assert "out of range" in raised.value.message
        assert store.last_seq(info.id) == 1
    with PgStore(pg_url, readonly=True) as reader:
        assert reader.readonly is True
        for write in (lambda: reader.append(info.id, [{"seq": 2, "kind": "paused"}]),
                      lambda: reader.set_status(info.id, "paused")):
            with pytest.raises(StoreError) as raised:
                write()
            assert raised.value.message == f"the store {where} was opened for reading only"
        assert reader.get(info.id).status == "running"


def test_the_stored_schema_version_and_a_newer_one_refused_by_migrate(pg_url: str) -> None:
    from krise_ovelse.store.backend import display_target
    from krise_ovelse.store.pg_schema import PG_VERSION, migrate, stored_version

    where = display_target(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert stored_version(conn) == PG_VERSION
        conn.execute("DELETE FROM krise_schema")
        assert stored_version(conn) == 0  # the table without its row: as before the first migration
        conn.execute("INSERT INTO krise_schema (version) VALUES (99)")
        with pytest.raises(StoreError) as raised:
            migrate(conn, where)
        assert (raised.value.message, raised.value.hint) == (
            f"the database {where} has krise-øvelse schema version 99; this krise-øvelse knows only up to "
            f"{PG_VERSION}", "upgrade krise-øvelse on this machine")
        conn.execute("DROP TABLE krise_schema")
        assert stored_version(conn) is None


def test_each_writer_gets_its_own_strong_password(pg_url: str, exercise_id: str) -> None:
    from krise_ovelse.store.pg_roles import Writer, set_up_roles

    with PgStore(pg_url) as store:
        writers = [Writer(role=f"kx_{exercise_id}_{n}", stream=n, readers=None, staff=False) for n in "ab"]
        passwords = set_up_roles(store, exercise_id, writers, f"kx_{exercise_id}_staff")
    assert sorted(passwords) == [w.role for w in writers]
    assert all(len(p) == 24 for p in passwords.values()) and len(set(passwords.values())) == 2  # 18 random bytes
