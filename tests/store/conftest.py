"""Fixtures for the session store tests: every test gets its own database in a temp dir.

The autouse fixture points KRISE_OVELSE_DB and the XDG data directory at the test's temp dir,
so no test can touch the user's real sessions, whatever a command defaults to.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from krise_ovelse.store.db import SessionStore

from .store_helpers import SCENARIO_TEXT, make_events


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRISE_OVELSE_DB", str(tmp_path / "env-default.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("KRISE_OVELSE_DB_TIMEOUT_MS", "50")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sessions.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[SessionStore]:
    with SessionStore(db_path, busy_timeout=50) as s:
        yield s


@pytest.fixture
def session(store: SessionStore) -> str:
    """A session with 5 stored events."""
    info = store.create_session(scenario_text=SCENARIO_TEXT, scenario_id="test-scenario",
                                title="Test", seed=7, team="Lag A", participants=["Kari", "Ola"],
                                facilitator="Per", events=make_events(1, 5))
    return info.id


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the long fault-injection runs (marked `slow`) in a plain `pytest`; they run with
    `pytest -m slow` or KRISE_OVELSE_SLOW=1. The fast variants of the same tests always run."""
    if "slow" in (config.getoption("markexpr") or "") or os.environ.get("KRISE_OVELSE_SLOW"):
        return
    skip = pytest.mark.skip(reason="slow fault injection: run with `pytest -m slow`")
    here = Path(__file__).parent
    for item in items:
        if "slow" in item.keywords and here in Path(str(item.fspath)).parents:
            item.add_marker(skip)
