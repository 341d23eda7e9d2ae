"""Connecting to the PostgreSQL store: every way it fails is one sentence and a hint, exit 2.

The command-line test in test_pg_store.py checks the first words from a separate process; these
pin the whole sentence and hint in-process: once with real failures against the test server,
and once per libpq/server wording the store recognises (some need a server set up otherwise
than the test server: `trust` authentication, a firewall, an old libpq).
"""

from __future__ import annotations

import psycopg
import pytest

from krise_ovelse.store.errors import EXIT_USAGE, StoreError
from krise_ovelse.store.pg import PgListener, PgStore, channel_for, check_url, connect_error, open_connection

from .pg_helpers import admin_url, with_database

WHERE = "postgresql://u:***@db.example/krise"

PASSWORD = (f"the PostgreSQL server at {WHERE} refused the user name or password",
            "check the user and password in the URL (or in ~/.pgpass)")
NO_DATABASE = (f"the database in {WHERE} does not exist on the server",
               "create it (createdb NAME) and run `krise-ovelse db migrate --db URL`")
NO_ROLE = (f"the user in {WHERE} does not exist on the server",
           "set up the roles with `krise-ovelse national roles`, or check the URL")
URL_HINT = "write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
REACH_HINT = "check that the server runs and the host and port in the URL"


@pytest.mark.parametrize(("server_says", "expected"), [
    ('FATAL:  password authentication failed for user "nav"', PASSWORD),
    ("fe_sendauth: no password supplied", PASSWORD),
    ('FATAL:  database "krise" does not exist', NO_DATABASE),
    ('FATAL:  role "nav" does not exist', NO_ROLE),
])
def test_who_and_where_the_server_refused_is_named_with_what_to_do(server_says: str,
                                                                   expected: tuple[str, str]) -> None:
    error = connect_error(psycopg.OperationalError(server_says), WHERE)
    assert (error.message, error.hint, error.exit_code) == (*expected, EXIT_USAGE)


@pytest.mark.parametrize("libpq_says", [
    "invalid dsn: not a URL",
    'missing "=" after "dbname" in connection info string',
    'invalid connection option "colour"',
    'invalid integer value "abc" for connection option "port"',
    "invalid URI query parameter",
    'invalid percent-encoded token: "%zz"',
])
def test_a_url_libpq_cannot_read_is_called_not_a_valid_url(libpq_says: str) -> None:
    error = connect_error(psycopg.ProgrammingError(libpq_says + "\n"), WHERE)
    assert (error.message, error.hint, error.exit_code) == (
        f"{WHERE} is not a valid PostgreSQL URL ({libpq_says})", URL_HINT, EXIT_USAGE)


@pytest.mark.parametrize("libpq_says", [
    'connection to server at "10.0.0.9", port 5432 failed: Connection refused',
    'could not connect to server: No such file or directory',
    "connection timeout expired",
    "could not receive data from server: Connection timed out",
    'could not translate host name "db.example" to address: Name or service not known',
    "failed to resolve host 'db.example': [Errno -2] Name or service not known",
    'connection to server at "10.0.0.9", port 5432 failed: No route to host',
    "server closed the connection unexpectedly",
])
def test_a_server_out_of_reach_is_said_so_with_libpqs_reason(libpq_says: str) -> None:
    error = connect_error(psycopg.OperationalError(libpq_says), WHERE)
    assert (error.message, error.hint, error.exit_code) == (
        f"cannot reach the PostgreSQL server at {WHERE} ({libpq_says})", REACH_HINT, EXIT_USAGE)


@pytest.mark.parametrize(("server_says", "one_line"), [
    ("server does not support SSL,\n\tbut SSL was required", "server does not support SSL, but SSL was required"),
    ('FATAL:  role "nav" is not permitted to log in', 'FATAL: role "nav" is not permitted to log in'),
    ('FATAL:  tablespace "fast" does not exist', 'FATAL: tablespace "fast" does not exist'),
    ("canceling statement due to statement timeout", "canceling statement due to statement timeout"),
])
def test_an_unrecognised_failure_keeps_the_servers_words_on_one_line(server_says: str, one_line: str) -> None:
    error = connect_error(psycopg.OperationalError(server_says), WHERE)
    assert (error.message, error.hint, error.exit_code) == (
        f"cannot use the PostgreSQL store at {WHERE}: {one_line}", "", EXIT_USAGE)


def test_a_url_with_a_port_that_is_not_a_number_is_refused_before_connecting() -> None:
    with pytest.raises(StoreError) as info:
        check_url("postgresql://user@host:notaport/db", "the-url")
    assert info.value.message.startswith("the-url is not a valid PostgreSQL URL (")
    assert (info.value.hint, info.value.exit_code) == (URL_HINT, EXIT_USAGE)
    check_url("postgresql://user@host:5432/db", "the-url")  # a good one passes


def _with_password(url: str, password: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    split = urlsplit(url)
    return urlunsplit(split._replace(netloc=f"{split.username}:{password}@{split.netloc.rpartition('@')[2]}"))


def test_real_connection_failures_become_the_sentences(pg_url: str) -> None:
    wrong = _with_password(pg_url, "wrong-password")
    with pytest.raises(StoreError) as info:
        open_connection(wrong, "WHERE")
    assert (info.value.message, info.value.exit_code) == (
        "the PostgreSQL server at WHERE refused the user name or password", EXIT_USAGE)
    with pytest.raises(StoreError) as info:
        open_connection(with_database(pg_url, "no_such_db_here"), "WHERE")
    assert info.value.message == "the database in WHERE does not exist on the server"
    with pytest.raises(StoreError) as info:
        open_connection("postgresql://u:p@127.0.0.1:1/db", "WHERE")
    assert info.value.message.startswith("cannot reach the PostgreSQL server at WHERE (")
    with pytest.raises(StoreError) as info:
        open_connection(pg_url + "?colour=blue", "WHERE")
    assert info.value.message.startswith("WHERE is not a valid PostgreSQL URL (")
    conn = open_connection(pg_url, "WHERE")
    try:  # what the store opens: autocommit (each read sees what others committed), named
        assert conn.autocommit is True
        assert conn.execute("SHOW application_name").fetchone() == ("krise-ovelse",)
    finally:
        conn.close()
    conn = open_connection(pg_url, "WHERE", autocommit=False)
    assert conn.autocommit is False
    conn.close()


def test_a_database_without_the_tables_or_with_another_schema_version_is_refused(pg_url: str) -> None:
    from krise_ovelse.store.backend import display_target

    with psycopg.connect(admin_url(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'kt_empty_probe'").fetchone():
            conn.execute("CREATE DATABASE kt_empty_probe")
    empty = with_database(admin_url(), "kt_empty_probe")
    with pytest.raises(StoreError) as info:
        PgStore(empty)
    where = display_target(empty)
    assert (info.value.message, info.value.hint, info.value.exit_code) == (
        f"the database {where} has no krise-øvelse tables yet", f"create them: krise-ovelse db migrate --db '{where}'",
        EXIT_USAGE)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE krise_schema SET version = 99")
    where = display_target(pg_url)
    with pytest.raises(StoreError) as info:
        PgStore(pg_url)
    assert (info.value.message, info.value.hint, info.value.exit_code) == (
        f"the database {where} has krise-øvelse schema version 99, this krise-øvelse needs 1",
        "run `krise-ovelse db migrate --db URL` (as the database owner) with the newer of the two versions",
        EXIT_USAGE)


def test_a_listener_wakes_on_a_notification_and_after_a_lost_connection(pg_url: str) -> None:
    """`wait(timeout)`: True when a notification came or the connection was opened (again)."""
    listener = PgListener(pg_url, "ex")
    try:
        assert listener.wait(0.01) is True and listener.reconnects == 1
        assert listener.wait(0.01) is False
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("SELECT pg_notify(%s, 'x')", (channel_for("ex"),))
        assert listener.wait(5) is True
        assert listener.wait(0.01) is False
        pid = listener.backend_pid
        with psycopg.connect(admin_url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert listener.wait(1) is False and listener.reconnects == 1  # noticed, no exception
        assert listener.wait(0.01) is True and listener.reconnects == 2 and listener.backend_pid != pid
        with psycopg.connect(pg_url, autocommit=True) as conn:  # listening again on the new connection
            conn.execute("SELECT pg_notify(%s, 'x')", (channel_for("ex"),))
        assert listener.wait(5) is True
    finally:
        listener.close()


def test_a_listener_that_cannot_connect_says_nothing_and_tries_again_later(pg_url: str) -> None:
    listener = PgListener("postgresql://u:p@127.0.0.1:1/db", "ex")
    assert listener.wait(0.01) is False and listener.reconnects == 0 and listener.backend_pid is None
    listener.close()
    with pytest.raises(ValueError):
        PgListener(pg_url)  # nothing to listen on
    listener = PgListener(pg_url, "ex", "ex:org:nav:activity")
    try:
        # (re)connected: every name, for the caller reads everything after its last position
        assert listener.wait_for(0.01) == {"ex", "ex:org:nav:activity"} and listener.reconnects == 1
        assert listener.backend_pid is not None
        assert listener.wait_for(0.01) == frozenset() and listener.wait(0.01) is False  # nothing came
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("SELECT pg_notify(%s, 'x')", (channel_for("ex:org:nav:activity"),))
        assert listener.wait_for(5) == {"ex:org:nav:activity"}
        with psycopg.connect(pg_url) as conn:  # a burst (one transaction, delivered at its commit): one call
            for n, name in enumerate(("ex", "ex:org:nav:activity", "ex")):
                conn.execute("SELECT pg_notify(%s, %s)", (channel_for(name), str(n)))
        assert listener.wait_for(5) == {"ex", "ex:org:nav:activity"}
        assert listener.wait_for(0.01) == frozenset()
        with psycopg.connect(admin_url(), autocommit=True) as admin:  # the server drops the connection
            admin.execute("SELECT pg_terminate_backend(%s)", (listener.backend_pid,))
        assert listener.wait_for(1) == frozenset()  # noticed; no exception
        assert listener.wait_for(0.01) == {"ex", "ex:org:nav:activity"} and listener.reconnects == 2
    finally:
        listener.close()
    assert listener.backend_pid is None


@pytest.mark.parametrize(("server_says", "lost"), [
    ("FATAL:  terminating connection due to administrator command", True),
    ("the backend was terminated", True),
    ("server closed the socket unexpectedly", True),
    ("the connection is lost", True),
    ("consuming input failed: EOF detected", True),
    ("canceling statement due to statement timeout", False),
    ("could not serialize access due to concurrent update", False),
])
def test_a_read_is_repeated_once_only_after_a_lost_connection(server_says: str, lost: bool) -> None:
    """`PgStore._read` opens the connection again and repeats a read only when the server went
    away (a read is safe to repeat); any other error is the caller's at once."""
    from krise_ovelse.store.pg import _is_disconnect

    assert _is_disconnect(psycopg.OperationalError(server_says)) is lost


def test_a_store_whose_connection_the_server_dropped_reads_on(pg_url: str) -> None:
    with PgStore(pg_url) as store:
        info = store.create_session(scenario_text="id: x\n", scenario_id="x", events=[{"seq": 1, "kind": "a"}])
        with psycopg.connect(admin_url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (store.backend_pid,))
        assert store.get(info.id).last_seq == 1  # reconnected, read again
        assert store.append(info.id, [{"seq": 2, "kind": "b"}]) == 2
