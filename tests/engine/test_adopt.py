"""Engine.adopt folds events stored elsewhere without the sink, as if they had been handled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from krise_ovelse.authoring import load_scenario
from krise_ovelse.engine import Advance, Engine, EventFormatError, Resume, fold

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "kort-eksempel.yaml"


def _clock() -> dt.datetime:
    return dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def test_adopted_events_fold_as_handled_ones_and_the_sink_is_not_called() -> None:
    scenario = load_scenario(EXAMPLE).scenario
    assert scenario is not None
    writer = Engine.start(scenario, team="NAV", clock=_clock)
    writer.handle(Resume())
    writer.handle(Advance(400))
    stored = list(writer.events)
    seen: list[object] = []
    follower = Engine(scenario, clock=_clock, sink=seen.extend, events=stored[:2])
    follower.adopt(stored[2:])
    assert seen == []
    assert follower.state == writer.state == fold(scenario, stored)
    assert list(follower.events) == stored
    follower.handle(Advance(10))  # and it goes on from there, through its sink
    assert len(seen) >= 1 and follower.state.scenario_minutes == 410
    with pytest.raises(EventFormatError):  # the numbering must continue
        follower.adopt(stored[-1:])
