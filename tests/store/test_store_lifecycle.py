"""The one session lifecycle (`store/lifecycle.py`) where a stored session cannot be opened: the
refusal names the session and says what is wrong, with the problems of a scenario that no longer
loads (issue #12, item 6: pinned where mutation testing found it loose; docs/testing.md)."""

from __future__ import annotations

import attrs
import pytest

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.engine import commands as c
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.store import lifecycle
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import EXIT_PROBLEMS, StoreError

from .test_store_engine import example as example  # the fixture: the shipped short example


def test_a_stored_scenario_that_no_longer_loads_is_refused_with_its_problems(store: SessionStore) -> None:
    text = "id: [\n"
    sid = store.create_session(scenario_text=text, scenario_id="gone").id
    problems = [p for p in load_scenario_text(text, f"session:{sid}").problems if p.is_error]
    assert problems and all(p.render().startswith(f"session:{sid}:") for p in problems)
    with pytest.raises(StoreError) as raised:
        lifecycle.checked_scenario(store, sid)
    assert raised.value.exit_code == EXIT_PROBLEMS
    assert raised.value.message == (
        f"session {sid}: its stored scenario no longer loads with this version of krise-øvelse:\n"
        + "\n".join("  " + p.render() for p in problems))


def test_an_event_the_engine_cannot_read_names_the_session_and_the_event() -> None:
    with pytest.raises(StoreError) as raised:
        lifecycle.engine_events([{"seq": 4, "kind": "no_such_kind"}], "s-1")
    assert raised.value.exit_code == EXIT_PROBLEMS
    assert raised.value.message.startswith(
        "session s-1: stored event 4 cannot be read by this version of the engine: ")


def test_events_that_do_not_start_with_session_started_are_refused(store: SessionStore,
                                                                  example: tuple[Scenario, str]) -> None:
    scenario, text = example
    live = lifecycle.start_session(store, scenario, text, team="Lag")
    live.engine.handle(c.Resume())
    live.engine.handle(c.Advance(minutes=60))
    events = lifecycle.engine_events(store.iter_events(live.session_id), live.session_id)[1:]
    with pytest.raises(StoreError) as raised:
        lifecycle.fold_session(scenario, events, "s-2")
    assert (raised.value.message, raised.value.exit_code) == (
        f"session s-2: the first event is {events[0].kind}, not session_started", EXIT_PROBLEMS)


def test_events_of_another_scenario_are_refused_with_both_ids(store: SessionStore,
                                                              example: tuple[Scenario, str]) -> None:
    scenario, text = example
    live = lifecycle.start_session(store, scenario, text, team="Lag")
    events = lifecycle.engine_events(store.iter_events(live.session_id), live.session_id)
    other = attrs.evolve(scenario, id="annet-scenario")
    with pytest.raises(StoreError) as raised:
        lifecycle.fold_session(other, events, "s-3")
    assert (raised.value.message, raised.value.exit_code) == (
        f"session s-3: the events are of scenario {scenario.id!r}, the stored scenario is 'annet-scenario'",
        EXIT_PROBLEMS)
    assert lifecycle.fold_session(scenario, [], "s-4").seq == 0  # nothing stored yet: nothing to check


def test_opening_a_session_names_it_when_a_stored_event_is_unreadable(store: SessionStore,
                                                                     example: tuple[Scenario, str]) -> None:
    scenario, text = example
    live = lifecycle.start_session(store, scenario, text, team="Lag")
    sid = live.session_id
    store._conn.execute("INSERT INTO events (session_id, seq, kind, payload) VALUES (?, 2, 'from_the_future', '{}')",
                        (sid,))
    with pytest.raises(StoreError) as raised:
        lifecycle.open_checked(store, sid[:6])
    assert raised.value.message.startswith(
        f"session {sid}: stored event 2 cannot be read by this version of the engine")
