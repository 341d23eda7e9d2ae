"""The one place that picks a store (`store/backend.py`): which targets are PostgreSQL URLs, which
target wins (--db, then KRISE_OVELSE_DB, then the default file), how a URL is shown without its
password, and what `open_store` opens for each (issue #12, item 6; pinned where mutation testing
found it loose). No server is needed: the PostgreSQL class is stood in for where it would connect."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest

from krise_ovelse.store import backend
from krise_ovelse.store.backend import display_target, is_url, open_store, resolve_target
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import StoreError


@pytest.mark.parametrize(("target", "url"), [
    ("postgresql://h/db", True), ("postgres://h/db", True), ("  PostgreSQL://h/db ", True),
    ("postgresql:/h", False), ("/tmp/postgresql://x", False), ("sessions.db", False), ("", False),
    (None, False), (Path("postgresql://h/db"), False),
])
def test_which_targets_are_postgresql_urls(target: Any, url: bool) -> None:
    assert is_url(target) is url


def test_the_option_wins_then_the_environment_then_the_default(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    monkeypatch.setenv("KRISE_OVELSE_DB", " postgresql://env/db ")
    assert resolve_target(" postgresql://opt/db\n") == "postgresql://opt/db"
    assert resolve_target(None) == "postgresql://env/db"
    assert resolve_target("") == "postgresql://env/db"
    assert resolve_target(str(tmp_path / "s.db")) == tmp_path / "s.db"  # a path given beats a URL in the env
    monkeypatch.setenv("KRISE_OVELSE_DB", str(tmp_path / "env.db"))
    assert resolve_target(None) == tmp_path / "env.db"
    monkeypatch.delenv("KRISE_OVELSE_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_target(None) == tmp_path / "xdg" / "krise-ovelse" / "sessions.db"


@pytest.mark.parametrize(("target", "shown"), [
    ("/var/lib/krise/sessions.db", "/var/lib/krise/sessions.db"),
    ("postgresql://kari@db.example.no:5432/ovelse", "postgresql://kari@db.example.no:5432/ovelse"),
    ("postgresql://kari:hemmelig@db.example.no:5432/ovelse?sslmode=require",
     "postgresql://kari:***@db.example.no:5432/ovelse?sslmode=require"),
    ("postgresql://kari:p@ss@db.example.no/ovelse", "postgresql://kari:***@db.example.no/ovelse"),
    ("postgresql://kari:hemmelig@db.example.no:99999999/x", "postgresql://kari:***@db.example.no:99999999/x"),
    ("postgresql://kari:hemmelig@[::1/x?r=http://y", "postgresql://…"),  # unparsable: nothing after the scheme
])
def test_a_url_is_shown_without_its_password(target: str, shown: str) -> None:
    assert display_target(target) == shown
    assert "hemmelig" not in display_target(target)


def test_open_store_opens_sqlite_for_a_path_and_postgresql_for_a_url(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    opened: list[tuple[str, bool]] = []

    class Recorder:
        def __init__(self, url: str, *, readonly: bool) -> None:
            opened.append((url, readonly))

    import krise_ovelse.store.pg as pg

    monkeypatch.setattr(pg, "PgStore", Recorder)
    open_store(" postgresql://h/db ")
    open_store("postgresql://h/db", reading=True)
    assert opened == [("postgresql://h/db", False), ("postgresql://h/db", True)]
    with open_store(tmp_path / "a.db") as store:
        assert isinstance(store, SessionStore) and not store.readonly
    with open_store(tmp_path / "a.db", reading=True) as store:
        assert isinstance(store, SessionStore)
    with pytest.raises(StoreError, match="there is no session database"):
        open_store(tmp_path / "missing.db", reading=True)
    assert not (tmp_path / "missing.db").exists()


def test_without_libpq_a_url_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pg(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "krise_ovelse.store.pg":
            raise ImportError("no pq wrapper available")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pg)
    with pytest.raises(StoreError) as raised:
        backend.open_store("postgresql://h/db")
    assert (raised.value.message, raised.value.hint) == (
        "cannot use a PostgreSQL store here: no pq wrapper available",
        "install libpq (Debian: apt-get install libpq5) or psycopg[binary]")
