"""The one error type the store raises: a sentence a person can act on, and an exit code.

The CLI prints `StoreError.render()` and exits with `exit_code`; it never shows a traceback for
anything that comes from the user's files (a damaged database, a tampered export, an unknown
id). Exit codes follow `krise_ovelse.cli.base`: 1 means "the input has problems" (a tampered or
malformed export file, a replay that does not match), 2 means "unusable input or usage" (an
unknown session id, a database that cannot be opened, read or written).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class StoreError(Exception):
    """Something about the session store that the user has to fix or know about."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.hint = hint

    def render(self) -> str:
        return f"error: {self.message}" + (f"\n  hint: {self.hint}" if self.hint else "")


class UnknownSession(StoreError):
    """No session has the id the user typed."""

    def __init__(self, session_id: str, db_path: Path | str, *, min_prefix: int = 0) -> None:
        """`min_prefix`: the id was too short to be a prefix (ids shorten to this many characters)."""
        if min_prefix:
            message = (f"no session with id {session_id!r}: a shortened id needs at least {min_prefix} "
                       "characters")
            hint = "type more of the id that `krise-ovelse sessions` shows"
        else:
            message = f"no session with id {session_id!r} in {db_path}"
            hint = "run `krise-ovelse sessions` to list the sessions (or pass --db for another database)"
        super().__init__(message, EXIT_USAGE, hint)
        self.session_id = session_id


class SessionHeld(StoreError):
    """Another live process has the session open for writing."""

    def __init__(self, session_id: str, owner: str) -> None:
        super().__init__(f"session {session_id} is open in another process ({owner})", EXIT_USAGE,
                         "close it there first")
        self.session_id = session_id
        self.owner = owner


class ExportFileError(StoreError):
    """A problem in a session export file, positioned as FILE:LINE like a compiler error."""

    def __init__(self, file: str, line: int, message: str, hint: str = "") -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}", EXIT_PROBLEMS, hint)
        self.file = file
        self.line = line


_OTHER_TOOL = "close the other krise-ovelse window or command that uses it, then try again"


def translate(exc: BaseException, db_path: Path | str, action: str = "use") -> StoreError:
    """Turn a sqlite3/OS error into a StoreError that names the file and says what to do.

    The SQLite messages are stable strings (they are part of SQLite's C API), so matching on
    them is reliable; anything unrecognised still becomes a StoreError carrying the original
    message, so the CLI never falls back to a traceback.
    """
    text = str(exc)
    low = text.lower()
    if isinstance(exc, StoreError):
        return exc
    if "locked" in low or "busy" in low:
        return StoreError(f"the session database {db_path} is locked by another process ({text})",
                          EXIT_USAGE, _OTHER_TOOL)
    if "disk is full" in low or "disk full" in low or getattr(exc, "errno", None) == 28:
        return StoreError(f"cannot {action} the session database {db_path}: the disk is full; "
                          "nothing was written by this command", EXIT_USAGE,
                          "free some space (or choose another place with --db / KRISE_OVELSE_DB) "
                          "and try again; what was stored before is unchanged")
    if "readonly" in low or "read-only" in low or isinstance(exc, PermissionError):
        return StoreError(f"cannot write to the session database {db_path}: the file or its "
                          "directory is read-only", EXIT_USAGE,
                          "check the permissions, or choose another place with --db or "
                          "KRISE_OVELSE_DB")
    if "unable to open" in low or isinstance(exc, OSError):
        return StoreError(f"cannot open the session database {db_path} ({text})", EXIT_USAGE,
                          "check that the directory exists and is writable, or choose another "
                          "place with --db or KRISE_OVELSE_DB")
    if "not a database" in low or "malformed" in low or "corrupt" in low or (
        isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)
        and not isinstance(exc, sqlite3.IntegrityError)
    ):
        return StoreError(f"the session database {db_path} is damaged or is not a krise-øvelse "
                          f"database ({text})", EXIT_USAGE,
                          "restore it from a backup or an export (`krise-ovelse import`), or "
                          "start a new one with --db; krise-øvelse did not change the file")
    return StoreError(f"cannot {action} the session database {db_path}: {text}", EXIT_USAGE)
