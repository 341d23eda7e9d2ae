"""How a failure of SQLite or the file system becomes a sentence a person can act on
(`store/errors.translate`): every branch, its exact words, exit code and hint (issue #12, item 6;
pinned where mutation testing found it loose)."""

from __future__ import annotations

import errno
import sqlite3

import pytest

from krise_ovelse.store.errors import EXIT_USAGE, StoreError, translate

DB = "/data/sessions.db"
OTHER = "close the other krise-ovelse window or command that uses it, then try again"
FULL = ("free some space (or choose another place with --db / KRISE_OVELSE_DB) and try again; what was "
        "stored before is unchanged")
READONLY = "check the permissions, or choose another place with --db or KRISE_OVELSE_DB"
OPEN = "check that the directory exists and is writable, or choose another place with --db or KRISE_OVELSE_DB"
DAMAGED = ("restore it from a backup or an export (`krise-ovelse import`), or start a new one with --db; "
           "krise-øvelse did not change the file")


FULL_MESSAGE = (f"cannot store events in the session database {DB}: the disk is full; nothing was written by "
                "this command")
READONLY_MESSAGE = f"cannot write to the session database {DB}: the file or its directory is read-only"


def locked(text: str) -> str:
    return f"the session database {DB} is locked by another process ({text})"


def damaged(text: str) -> str:
    return f"the session database {DB} is damaged or is not a krise-øvelse database ({text})"


@pytest.mark.parametrize(("exc", "message", "hint"), [
    (sqlite3.OperationalError("database is locked"), locked("database is locked"), OTHER),
    (sqlite3.OperationalError("database table is BUSY"), locked("database table is BUSY"), OTHER),
    (sqlite3.OperationalError("database or disk is full"), FULL_MESSAGE, FULL),
    (sqlite3.OperationalError("Disk full"), FULL_MESSAGE, FULL),
    (OSError(errno.ENOSPC, "No space left on device"), FULL_MESSAGE, FULL),
    (sqlite3.OperationalError("attempt to write a readonly database"), READONLY_MESSAGE, READONLY),
    (sqlite3.OperationalError("Read-Only file system"), READONLY_MESSAGE, READONLY),
    (PermissionError(errno.EACCES, "Permission denied"), READONLY_MESSAGE, READONLY),
    (sqlite3.OperationalError("unable to open database file"),
     f"cannot open the session database {DB} (unable to open database file)", OPEN),
    (FileNotFoundError(errno.ENOENT, "No such file or directory"),
     f"cannot open the session database {DB} ([Errno 2] No such file or directory)", OPEN),
    (sqlite3.OperationalError("file is not a database"), damaged("file is not a database"), DAMAGED),
    (sqlite3.OperationalError("database disk image is MALFORMED"), damaged("database disk image is MALFORMED"),
     DAMAGED),
    (sqlite3.OperationalError("a corrupt index"), damaged("a corrupt index"), DAMAGED),
    (sqlite3.DatabaseError("something odd"), damaged("something odd"), DAMAGED),
    (sqlite3.OperationalError("no such table: x"),
     f"cannot store events in the session database {DB}: no such table: x", ""),
    (sqlite3.IntegrityError("UNIQUE constraint failed"),
     f"cannot store events in the session database {DB}: UNIQUE constraint failed", ""),
    (ValueError("odd"), f"cannot store events in the session database {DB}: odd", ""),
])
def test_each_failure_is_named_with_what_to_do(exc: BaseException, message: str, hint: str) -> None:
    error = translate(exc, DB, "store events in")
    assert (error.message, error.exit_code, error.hint) == (message, EXIT_USAGE, hint)


def test_a_store_error_passes_through_and_the_default_action_is_use() -> None:
    original = StoreError("already said", 1, "hint")
    assert translate(original, DB) is original
    assert translate(sqlite3.OperationalError("odd"), DB).message == f"cannot use the session database {DB}: odd"
