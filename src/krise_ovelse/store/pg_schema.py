"""The PostgreSQL store's schema, its version and its migrations (`krise-ovelse db migrate`).

The same guarantees as the SQLite file, enforced by the server whatever program connects:

- `events` is append-only: triggers refuse UPDATE, DELETE and TRUNCATE.
- Each session (stream) is numbered 1, 2, 3, … without gaps: a BEFORE INSERT trigger accepts an
  event only if its seq is the session's `last_seq + 1`, moves `last_seq`, and marks the session
  `ended` in the same transaction as a `session_ended` event.
- Every event has a global `position` (bigserial). Writers take a transaction-scoped advisory
  lock per exercise before inserting (`PgStore.append`), so within an exercise commit order is
  position order and a reader that reads "everything after position P" never skips an event
  that commits later with a lower position.
- Who may write what is the server's business: row-level security lets a role append only to
  the streams whose `writer` it is, and read an evaluator stream only if it is that stream's
  writer or a member of the stream's `readers` role (the control cell and the evaluators). The
  helper functions run as the schema owner (SECURITY DEFINER) so the policies can look at
  `sessions` without recursing into its own policy; inside them `session_user` is the role
  that logged in and `current_user` the owner, who (like a superuser) may do everything.
"""

from __future__ import annotations

from typing import Any

from krise_ovelse.store.errors import StoreError

#: The schema version this krise-øvelse writes and reads.
PG_VERSION = 1
#: The oldest PostgreSQL server this store supports (row-level security, starts_with, ...).
MIN_SERVER_VERSION = 130000

_V1 = r"""
CREATE TABLE krise_schema (version integer NOT NULL);
INSERT INTO krise_schema (version) VALUES (0);

CREATE TABLE scenario_texts (
    sha256 text PRIMARY KEY,
    text text NOT NULL
);

CREATE TABLE exercises (
    id text PRIMARY KEY,
    title text NOT NULL DEFAULT '',
    scenario_sha256 text NOT NULL REFERENCES scenario_texts (sha256),
    created text NOT NULL,
    setup text NOT NULL DEFAULT '{}'
);

CREATE TABLE sessions (
    id text PRIMARY KEY,
    scenario_id text NOT NULL,
    title text NOT NULL DEFAULT '',
    scenario_sha256 text NOT NULL REFERENCES scenario_texts (sha256),
    seed bigint,
    team text NOT NULL DEFAULT '',
    participants text NOT NULL DEFAULT '[]',
    facilitator text NOT NULL DEFAULT '',
    started text NOT NULL,
    ended text,
    status text NOT NULL CHECK (status IN ('running', 'paused', 'ended', 'interrupted')),
    mode text NOT NULL DEFAULT 'live',
    parent_id text REFERENCES sessions (id),
    branch_decision text,
    branch_seq integer,
    last_seq integer NOT NULL DEFAULT 0,
    owner text,
    updated text,
    summary text,
    score_index double precision,
    exercise_id text REFERENCES exercises (id),
    stream text,
    writer text,
    readers text,
    applied_control bigint NOT NULL DEFAULT 0,
    UNIQUE (exercise_id, stream)
);
CREATE INDEX sessions_by_started ON sessions (started DESC, id DESC);

CREATE TABLE events (
    position bigserial PRIMARY KEY,
    session_id text NOT NULL REFERENCES sessions (id),
    seq integer NOT NULL CHECK (seq >= 1),
    kind text NOT NULL,
    payload text NOT NULL,
    scenario_minutes integer,
    exercise_seconds double precision,
    wall text,
    exercise_id text,
    UNIQUE (session_id, seq)
);
CREATE INDEX events_by_exercise ON events (exercise_id, position);

CREATE FUNCTION krise_events_append() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
    ex text;
BEGIN
    IF NOT krise_may_write(NEW.session_id) THEN  -- the policy says so too; this says it first
        RAISE EXCEPTION 'krise: % may not write to session %', session_user, NEW.session_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- `krise.applied_control` (set for this transaction by PgStore.append) records how far an
    -- organisation has applied the control stream, in the same transaction as its events.
    UPDATE sessions SET last_seq = NEW.seq,
           applied_control = GREATEST(applied_control,
               COALESCE(NULLIF(current_setting('krise.applied_control', true), '')::bigint, 0))
     WHERE id = NEW.session_id AND last_seq = NEW.seq - 1
    RETURNING exercise_id INTO ex;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'krise: event % of session % is not the next one (no gaps, no rewrites)',
            NEW.seq, NEW.session_id USING ERRCODE = 'check_violation';
    END IF;
    NEW.exercise_id := ex;
    IF NEW.kind = 'session_ended' THEN
        UPDATE sessions SET status = 'ended', owner = NULL, ended = COALESCE(NEW.wall, ended)
         WHERE id = NEW.session_id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER events_append BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION krise_events_append();

CREATE FUNCTION krise_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'krise: % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION krise_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION krise_append_only();
CREATE TRIGGER scenario_texts_fixed BEFORE UPDATE OR DELETE ON scenario_texts
    FOR EACH ROW EXECUTE FUNCTION krise_append_only();

CREATE FUNCTION krise_may_write(sid text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
    SELECT pg_has_role(session_user, current_user, 'MEMBER')  -- the owner (current_user here)
        OR COALESCE((SELECT s.writer IS NULL OR s.writer = session_user::text
                       FROM sessions s WHERE s.id = sid), false)
$$;
CREATE FUNCTION krise_may_read(sid text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
    SELECT pg_has_role(session_user, current_user, 'MEMBER')
        OR COALESCE((SELECT s.readers IS NULL OR s.writer = session_user::text
                            OR pg_has_role(session_user, s.readers, 'MEMBER')
                       FROM sessions s WHERE s.id = sid), false)
$$;

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY events_read ON events FOR SELECT USING (krise_may_read(session_id));
CREATE POLICY events_write ON events FOR INSERT WITH CHECK (krise_may_write(session_id));
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY sessions_read ON sessions FOR SELECT USING (krise_may_read(id));
CREATE POLICY sessions_write ON sessions FOR UPDATE USING (krise_may_write(id)) WITH CHECK (krise_may_write(id));
"""

MIGRATIONS: dict[int, str] = {1: _V1}


def server_version_problem(version: int) -> str | None:
    """Why a server of this version (`server_version_num`) cannot be used, or None."""
    if version < MIN_SERVER_VERSION:
        major = version // 10000
        return (f"the PostgreSQL server is version {major}; krise-øvelse needs version "
                f"{MIN_SERVER_VERSION // 10000} or newer")
    return None


def stored_version(conn: Any) -> int | None:
    """The schema version in the database, or None if krise-øvelse's tables are not there."""
    row = conn.execute("SELECT to_regclass('krise_schema') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return None
    found = conn.execute("SELECT version FROM krise_schema").fetchone()
    return int(found[0]) if found else 0


def migrate(conn: Any, location: str) -> tuple[int, int]:
    """Create or upgrade the schema in one transaction; return (version before, after).

    Run by the database owner (`krise-ovelse db migrate --db URL`); consoles never change the
    schema. A database newer than this krise-øvelse is refused, not touched."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(4242424242)")  # one migration at a time
        before = stored_version(conn)
        current = before or 0
        if current > PG_VERSION:
            raise StoreError(f"the database {location} has krise-øvelse schema version {current}; this "
                             f"krise-øvelse knows only up to {PG_VERSION}",
                             hint="upgrade krise-øvelse on this machine")
        for version in range(current + 1, PG_VERSION + 1):
            conn.execute(MIGRATIONS[version])
            conn.execute("UPDATE krise_schema SET version = %s", (version,))
    return before or 0, PG_VERSION
