"""A real PostgreSQL server for the shared-store tests: never a mock.

Set KRISE_OVELSE_TEST_PG to a URL of a role that may create databases and roles (CI does:
.ci/run starts Debian's server and exports it). Each test gets a fresh database with the
schema migrated, and its exercise roles are dropped afterwards. Without the variable these
tests are skipped with the reason; in CI they must run (.ci/run fails if the server is not up).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

from .pg_helpers import admin_url, with_database


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, migrated database on the test server; dropped (with its exercise roles) after."""
    from krise_ovelse.store.pg import open_connection
    from krise_ovelse.store.pg_schema import migrate

    admin = admin_url()
    name = "kt_" + secrets.token_hex(5)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = with_database(admin, name)
    conn = open_connection(url, name)
    migrate(conn, name)
    conn.close()
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            for (role,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                                        (f"kx\\_{name.replace('_', '')}%",)).fetchall():
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture
def exercise_id(pg_url: str) -> str:
    """An exercise id unique to this test's database (its roles are dropped with it)."""
    return urlsplit(pg_url).path.lstrip("/").replace("_", "")
