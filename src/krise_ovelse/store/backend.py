"""The store interface every backend provides, and the one place that picks a backend.

`open_store(target)` opens the session store named by `--db` / `KRISE_OVELSE_DB` / the default:
a file path is the SQLite store (`db.SessionStore`, the default: one machine, offline); a
`postgresql://` URL is the shared PostgreSQL store (`pg.PgStore`, for a national exercise).
The session lifecycle (`lifecycle`) and every command work through `Store` only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

from krise_ovelse.store.codec import EventDict

if TYPE_CHECKING:
    from krise_ovelse.store.session_rows import SessionInfo

#: URL schemes that select the PostgreSQL backend.
PG_SCHEMES = ("postgresql://", "postgres://")


class Store(Protocol):
    """What the lifecycle and the session commands need from a session store."""

    readonly: bool
    #: Opened as an unchanging file (SQLite on read-only media); commands say so.
    immutable: bool

    @property
    def location(self) -> str:
        """Where the sessions are, for messages (a file path, or a URL without its password)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def create_session(self, *, scenario_text: str, scenario_id: str, title: str = "",
                       seed: int | None = None, team: str = "", participants: Sequence[str] = (),
                       facilitator: str = "", mode: str = "live", started: str | None = None,
                       session_id: str | None = None, events: Sequence[Mapping[str, Any]] = (),
                       parent_id: str | None = None, branch_decision: str | None = None,
                       branch_seq: int | None = None, status: str = "running", ended: str | None = None,
                       claim: bool = True, summary: Mapping[str, Any] | None = None,
                       score_index: float | None = None) -> SessionInfo: ...

    def resolve(self, session_id: str) -> str: ...
    def get(self, session_id: str) -> SessionInfo: ...
    def list_sessions(self, limit: int | None = None) -> list[SessionInfo]: ...
    def count_sessions(self) -> int: ...
    def scenario_text(self, session_id: str) -> str: ...
    def summary(self, session_id: str) -> dict[str, Any] | None: ...
    def set_summary(self, session_id: str, summary: Mapping[str, Any] | None,
                    score_index: float | None = None) -> None: ...
    def set_status(self, session_id: str, status: str, *, release: bool = True) -> None: ...
    def claim(self, session_id: str, *, force: bool = False) -> SessionInfo: ...
    def append(self, session_id: str, events: Sequence[Mapping[str, Any]]) -> int: ...
    def last_seq(self, session_id: str) -> int: ...
    def iter_events(self, session_id: str, start: int = 1, stop: int | None = None) -> Iterator[EventDict]: ...
    def events(self, session_id: str, start: int = 1, stop: int | None = None) -> list[EventDict]: ...


def is_url(target: str | os.PathLike[str] | None) -> bool:
    return isinstance(target, str) and target.strip().lower().startswith(PG_SCHEMES)


def resolve_target(option: str | os.PathLike[str] | None = None) -> str | os.PathLike[str]:
    """The store to use: --db if given, else $KRISE_OVELSE_DB, else the default file; a URL is
    kept as it is, a path is expanded."""
    from krise_ovelse.store.location import ENV_DB, resolve_db_path

    if is_url(option):
        return str(option).strip()
    env = os.environ.get(ENV_DB, "").strip()
    if not option and is_url(env):
        return env
    return resolve_db_path(option)


def display_target(target: str | os.PathLike[str]) -> str:
    """The store for messages: a path as it is, a URL without its password."""
    text = str(target)
    if not is_url(text):
        return text
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(text)
        if parts.password is None:
            return text
        netloc = parts.netloc.rpartition("@")
        user = netloc[0].partition(":")[0]
        return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[2]}"))
    except ValueError:
        return text.split("://", 1)[0] + "://…"


def open_store(option: str | os.PathLike[str] | None = None, *, reading: bool = False) -> Store:
    """Open the store named by `option` (or the environment, or the default).

    `reading`: a command that only looks — the SQLite file is never created (`NoDatabase` if it
    does not exist) and a read-only file still opens."""
    target = resolve_target(option)
    if is_url(target):
        try:
            from krise_ovelse.store.pg import PgStore
        except ImportError as exc:  # psycopg without libpq on this machine
            from krise_ovelse.store.errors import StoreError

            raise StoreError(f"cannot use a PostgreSQL store here: {exc}", hint="install libpq "
                             "(Debian: apt-get install libpq5) or psycopg[binary]") from None

        return PgStore(str(target), readonly=reading)
    from krise_ovelse.store.db import SessionStore

    return SessionStore.for_reading(target) if reading else SessionStore(target)
