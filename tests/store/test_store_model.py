"""A model-based test: any mix of good appends, refused appends, failing disks and reopenings
leaves the store holding exactly the events a simple list says it should. Plus where the
database lives (--db, then $KRISE_OVELSE_DB, then the user data directory)."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import StoreError
from krise_ovelse.store.location import default_db_path, resolve_db_path

from .store_helpers import SCENARIO_TEXT, make_event


class FailingWrites:
    """Delegates to a real connection but fails the next COMMIT as a full disk would."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)


class StoreMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.path = Path(self.dir.name) / "s.db"
        self.store = SessionStore(self.path, busy_timeout=10)
        self.model: dict[str, list[dict[str, Any]]] = {}

    def teardown(self) -> None:
        self.store.close()
        self.dir.cleanup()

    @rule(first=st.integers(0, 3))
    def new_session(self, first: int) -> None:
        events = [make_event(s) for s in range(1, first + 1)]
        sid = self.store.create_session(scenario_text=SCENARIO_TEXT, scenario_id="s",
                                        events=events).id
        self.model[sid] = events

    @precondition(lambda self: self.model)
    @rule(data=st.data(), size=st.integers(1, 4))
    def append(self, data: st.DataObject, size: int) -> None:
        sid = data.draw(st.sampled_from(sorted(self.model)))
        start = len(self.model[sid]) + 1
        batch = [make_event(s, payload_size=size) for s in range(start, start + size)]
        assert self.store.append(sid, batch) == start + size - 1
        self.model[sid].extend(batch)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), offset=st.sampled_from([-2, -1, 1, 2]))
    def append_with_gap(self, data: st.DataObject, offset: int) -> None:
        sid = data.draw(st.sampled_from(sorted(self.model)))
        seq = len(self.model[sid]) + 1 + offset
        if seq < 1:
            seq = len(self.model[sid]) + 2
        with pytest.raises(StoreError):
            self.store.append(sid, [make_event(seq)])

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def append_on_full_disk(self, data: st.DataObject) -> None:
        sid = data.draw(st.sampled_from(sorted(self.model)))
        real = self.store._conn
        self.store._conn = FailingWrites(real)  # type: ignore[assignment]
        try:
            with pytest.raises(StoreError, match="disk is full"):
                self.store.append(sid, [make_event(len(self.model[sid]) + 1)])
        finally:
            self.store._conn = real

    @rule()
    def reopen(self) -> None:
        self.store.close()
        self.store = SessionStore(self.path, busy_timeout=10)

    @invariant()
    def matches_the_model(self) -> None:
        if not hasattr(self, "store"):
            return
        for sid, events in self.model.items():
            assert self.store.events(sid) == events
            assert self.store.last_seq(sid) == len(events)


StoreMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=20, deadline=None)
test_store_machine = StoreMachine.TestCase


def test_db_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRISE_OVELSE_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(str(tmp_path / "opt.db")) == tmp_path / "opt.db"  # --db wins
    assert resolve_db_path(None) == tmp_path / "env.db"  # then the environment
    monkeypatch.setenv("KRISE_OVELSE_DB", "")
    assert resolve_db_path(None) == default_db_path()  # then the data directory
    monkeypatch.delenv("KRISE_OVELSE_DB")
    assert resolve_db_path(None) == tmp_path / "xdg" / "krise-ovelse" / "sessions.db"


def test_cli_uses_the_same_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from krise_ovelse.cli import main

    for name in ("env.db", "opt.db"):
        with SessionStore(tmp_path / name) as store:
            store.create_session(scenario_text="x", scenario_id=name.removesuffix(".db"))
    monkeypatch.setenv("KRISE_OVELSE_DB", str(tmp_path / "env.db"))
    runner = CliRunner()
    assert "env " in runner.invoke(main, ["sessions"]).output
    assert "opt " in runner.invoke(main, ["sessions", "--db", str(tmp_path / "opt.db")]).output
    monkeypatch.delenv("KRISE_OVELSE_DB")
    result = runner.invoke(main, ["sessions"])
    assert result.exit_code == 0
    assert "No sessions yet" in result.output
    assert str(tmp_path / "xdg") in result.output  # never the user's real data directory


def test_the_store_below_the_lifecycle_never_imports_the_engine() -> None:
    """db, sink, backend and schema hold event dicts only: no import of the engine, the lifecycle
    or engine_bridge anywhere in them (not even inside a function), so there is no import cycle."""
    import ast

    store_dir = Path(__file__).resolve().parents[2] / "src" / "krise_ovelse" / "store"
    upward = ("krise_ovelse.engine", "krise_ovelse.store.lifecycle", "krise_ovelse.store.engine_bridge")
    for name in ("db.py", "sink.py", "backend.py", "schema.py", "codec.py"):
        tree = ast.parse((store_dir / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(upward), f"{name} imports {node.module}"
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith(upward) for a in node.names), name
