"""The engine's parts fit: every command has exactly one check/run pair, and a scheduler bug fails
the command instead of looping for ever."""

from __future__ import annotations

from collections import Counter

import pytest

from krise_ovelse.engine import COMMAND_TYPES, Advance, Decide, InjectReleased
from krise_ovelse.engine import scheduler as scheduler_module
from krise_ovelse.engine.apply import HANDLERS
from krise_ovelse.engine.handlers import COMMANDS, clock, decisions, evaluation, injects, session
from krise_ovelse.engine.scheduler import SchedulerStuck, event_budget
from krise_ovelse.model.timefmt import parse_time

from .engine_helpers import basic, decision, do, inject, option, scenario, start


def test_every_command_is_registered_once_by_its_concern() -> None:
    tables = (session.COMMANDS, clock.COMMANDS, injects.COMMANDS, decisions.COMMANDS, evaluation.COMMANDS)
    counts = Counter(command for table in tables for command in table)
    assert set(counts) == set(COMMAND_TYPES)
    assert all(count == 1 for count in counts.values()), counts
    assert set(COMMANDS) == set(COMMAND_TYPES)


def test_a_release_that_changes_nothing_fails_the_command_instead_of_hanging(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # a short scenario: the command fails after its event budget, which grows with the play left
    short = scenario(ends="D+2", injects=[inject("i01", "D+0 08:00"), inject("i04", trigger="follow_up", after="1d")],
                     decisions=[decision("d01", "i01", [option("a", follow_up=["i04"]), option("b")], "b")])
    engine = start(short)
    do(engine, Advance(parse_time("D+0 08:00").minutes), Decide("d01", "a"))  # schedules follow-up i04
    before = (engine.state, len(engine.events))
    # a broken apply handler: the follow-up stays due, so the settle loop would release it for ever
    monkeypatch.setattr(scheduler_module, "HANDLERS", {**HANDLERS, InjectReleased: lambda state, event: state})
    with pytest.raises(SchedulerStuck):
        engine.handle(Advance(2 * 1440))
    assert (engine.state, len(engine.events)) == before  # nothing adopted


def test_the_event_budget_covers_a_whole_run() -> None:
    engine = start(basic())
    budget = event_budget(engine.state)
    events = do(engine, Advance(parse_time("D+30").minutes))
    assert engine.state.ended
    assert len(events) < budget
