"""Fixtures for the console tests: the example scenario, a temporary store, frozen clocks.

Nothing in these tests runs on real time: `console(...)` builds the app with a fake monotonic
clock, a frozen wall clock and no timers, so the scenario clock moves only when a test calls
`app.tick_clock()` (after `clock.advance`) and a team window reads the store only when a test calls
`app.poll_store()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from krise_ovelse.tui.app import KriseApp, make_app
from krise_ovelse.tui.i18n import set_language
from krise_ovelse.tui.loaded import LoadedScenario, load_for_console

from .textual_adapter import steady_cursors

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "examples" / "kort-eksempel.yaml"
WALL = dt.datetime(2024, 11, 4, 7, 0, tzinfo=dt.UTC)


class FakeClock:
    """A monotonic clock that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def frozen_wall() -> dt.datetime:
    return WALL


def console(scenario: LoadedScenario | None = None, *, clock: FakeClock | None = None, **kwargs: Any) -> KriseApp:
    """The console for a test: fake clocks and no timers (see the module docstring)."""
    return make_app(scenario, clock=clock or FakeClock(), wall=frozen_wall, tick_interval=None,
                    poll_interval=None, **kwargs)


@pytest.fixture
def example() -> LoadedScenario:
    loaded, problems = load_for_console(EXAMPLE)
    assert loaded is not None, problems
    return loaded


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store" / "sessions.db"
    monkeypatch.setenv("KRISE_OVELSE_DB", str(path))
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots differ from run to run."""
    steady_cursors(monkeypatch)


@pytest.fixture(autouse=True)
def reset_language() -> Iterator[None]:
    yield
    set_language("nb")
