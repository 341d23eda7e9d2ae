"""Where the session database lives: --db, then $KRISE_OVELSE_DB, then the user data directory.

One file holds every session on the machine so `krise-ovelse sessions` can list them all; the
option and the variable exist for tests, for a USB stick at an exercise venue, and for keeping
a course's sessions apart.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_DB = "KRISE_OVELSE_DB"
#: Milliseconds to wait for another process's write lock before giving up with a clear message.
ENV_BUSY_TIMEOUT = "KRISE_OVELSE_DB_TIMEOUT_MS"
DEFAULT_BUSY_TIMEOUT_MS = 5000
DB_FILENAME = "sessions.db"


def default_db_path() -> Path:
    """The per-user default: e.g. ~/.local/share/krise-ovelse/sessions.db on Linux."""
    return platformdirs.user_data_path("krise-ovelse", appauthor=False) / DB_FILENAME


def resolve_db_path(option: str | os.PathLike[str] | None = None) -> Path:
    """The database to use: the --db option if given, else $KRISE_OVELSE_DB if set and not
    empty, else the default in the user data directory."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_DB, "").strip()
    if env:
        return Path(env).expanduser()
    return default_db_path()


def busy_timeout_ms() -> int:
    """The lock wait from $KRISE_OVELSE_DB_TIMEOUT_MS (tests shorten it), else 5 s."""
    raw = os.environ.get(ENV_BUSY_TIMEOUT, "").strip()
    try:
        return max(0, int(raw)) if raw else DEFAULT_BUSY_TIMEOUT_MS
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_MS
