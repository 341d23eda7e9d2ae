"""Database roles for a national exercise's writers, and what each may do (PostgreSQL only).

Every writer (the control cell, each organisation, each evaluator) gets its own login role
with a fresh password. Each may read the exercise's tables, insert events and update the
session columns a client changes (status, owner, summary, applied position); the row-level
security policies in `pg_schema` narrow both to its own streams (and keep evaluator streams
from teams). The control cell and the evaluators are members of the exercise's staff role,
which may read evaluator streams.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

import attrs
from psycopg import sql


@attrs.frozen
class Writer:
    stream: str  # control, org.ID, eval.ID
    role: str
    staff: bool  # member of the staff role (reads evaluator streams)
    readers: str | None  # for an evaluator stream: the role that may read it


def set_up_roles(store: Any, exercise: str, writers: Sequence[Writer], staff: str) -> dict[str, str]:
    """Create (or give new passwords to) the roles, grant, and tie each stream to its writer, in
    one transaction; return role -> password."""
    passwords: dict[str, str] = {}

    def work(conn: Any) -> None:
        dbname = conn.info.dbname
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (staff,)).fetchone():
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(staff)))
        for writer in writers:
            password = secrets.token_urlsafe(18)
            ident = sql.Identifier(writer.role)
            verb = "ALTER" if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                           (writer.role,)).fetchone() else "CREATE"
            conn.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password)))
            conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(dbname), ident))
            conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident))
            conn.execute(sql.SQL("GRANT SELECT ON krise_schema, scenario_texts, exercises, sessions, events TO {}")
                         .format(ident))
            conn.execute(sql.SQL("GRANT INSERT ON events TO {}").format(ident))
            conn.execute(sql.SQL("GRANT USAGE ON SEQUENCE events_position_seq TO {}").format(ident))
            conn.execute(sql.SQL("GRANT UPDATE (status, owner, updated, ended, summary, score_index, "
                                 "applied_control) ON sessions TO {}").format(ident))
            if writer.staff:
                conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(staff), ident))
            conn.execute("UPDATE sessions SET writer = %s, readers = %s WHERE exercise_id = %s AND stream = %s",
                         (writer.role, writer.readers, exercise, writer.stream))
            passwords[writer.role] = password

    store._write(work, "set up the roles in")
    return passwords
