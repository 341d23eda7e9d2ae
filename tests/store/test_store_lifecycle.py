"""The one session lifecycle (`store/lifecycle.py`): what resume, close and open give, and how a
stored session that cannot be opened is refused, naming the session and what is wrong (issue #12,
item 6: pinned where mutation testing found it loose; docs/testing.md)."""

from __future__ import annotations

import os

import attrs
import pytest

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.engine import commands as c
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.store import lifecycle, session_rows
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import EXIT_PROBLEMS, SessionHeld, StoreError

from .test_store_engine import example as example  # the fixture: the shipped short example


def _started(store: SessionStore, example: tuple[Scenario, str]) -> str:
    """A session of the example started, played an hour and closed (paused); its id."""
    scenario, text = example
    live = lifecycle.start_session(store, scenario, text, team="Lag Nord")
    live.engine.handle(c.Resume())
    live.engine.handle(c.Advance(minutes=60))
    lifecycle.close_session(store, live.session_id, live.engine)
    return live.session_id


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
    scenario, _text = example
    sid = _started(store, example)
    events = lifecycle.engine_events(store.iter_events(sid), sid)[1:]
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


def test_resume_gives_the_session_its_engine_claim_and_checks(store: SessionStore,
                                                              example: tuple[Scenario, str]) -> None:
    scenario, text = example
    sid = _started(store, example)
    info = store.get(sid)
    assert (info.status, info.owner) == ("paused", None)  # closed before the end: paused, resumable
    assert info.score_index == lifecycle.index_of(store.summary(sid) or {})
    live = lifecycle.resume_session(store, sid[:6])
    assert (live.session_id, live.text, live.team, live.scenario.id) == (sid, text, "Lag Nord", scenario.id)
    assert store.get(sid).owner == session_rows.this_process()
    assert live.engine.criteria == lifecycle.criteria_ids(scenario)
    assert all(live.engine.task_count(k) == n for k, n in lifecycle.task_counts(scenario).items())
    before = store.last_seq(sid)
    live.engine.handle(c.Advance(minutes=30))
    assert store.last_seq(sid) > before  # the store's sink commits what the engine does


def test_resume_is_refused_while_another_live_process_holds_it_unless_forced(
        store: SessionStore, example: tuple[Scenario, str]) -> None:
    sid = _started(store, example)
    held = f"{session_rows.this_host()}:{os.getppid()}"
    store._conn.execute("UPDATE sessions SET status = 'running', owner = ? WHERE id = ?", (held, sid))
    with pytest.raises(SessionHeld):
        lifecycle.resume_session(store, sid)
    assert store.get(sid).owner == held
    assert lifecycle.resume_session(store, sid, force=True).session_id == sid
    assert store.get(sid).owner == session_rows.this_process()


def test_an_ended_session_opens_unclaimed_for_evaluation_only_when_asked(store: SessionStore,
                                                                         example: tuple[Scenario, str]) -> None:
    sid = _started(store, example)
    live = lifecycle.resume_session(store, sid, ended_ok=True)  # not ended: claimed as usual
    assert store.get(sid).owner == session_rows.this_process()
    lifecycle.close_session(store, sid, live.engine)
    store.set_status(sid, "ended")
    with pytest.raises(StoreError, match="has ended"):
        lifecycle.resume_session(store, sid)
    lifecycle.resume_session(store, sid, ended_ok=True)
    info = store.get(sid)
    assert (info.status, info.owner) == ("ended", None)


def test_a_resume_whose_engine_cannot_start_releases_the_claim(store: SessionStore, example: tuple[Scenario, str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import krise_ovelse.engine as engine_package

    sid = _started(store, example)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("no engine today")

    monkeypatch.setattr(engine_package, "Engine", broken)
    with pytest.raises(RuntimeError, match="no engine today"):
        lifecycle.resume_session(store, sid)
    info = store.get(sid)
    assert (info.status, info.owner) == ("interrupted", None)


def test_a_replay_of_a_session_with_no_events_yet_says_so(store: SessionStore, example: tuple[Scenario, str]) -> None:
    from krise_ovelse.store.engine_bridge import replay_session

    scenario, text = example
    sid = store.create_session(scenario_text=text, scenario_id=scenario.id).id
    checks = {check.name: (check.ok, check.detail) for check in replay_session(store, sid).checks}
    assert checks["event numbering"] == (True, "no events yet")


def test_the_facts_a_replay_must_reproduce_are_named_and_rounded(store: SessionStore,
                                                                  example: tuple[Scenario, str]) -> None:
    sid = _started(store, example)
    opened = lifecycle.open_checked(store, sid)
    facts = lifecycle.session_facts(opened.state)
    state = opened.state
    assert facts == {
        "last_seq": state.seq, "scenario_minutes": state.scenario_minutes, "ended": False, "phase": state.phase_id,
        "decisions": {r.decision_id: r.option_id for r in state.history()},
        "indicators": {k: round(v, 9) for k, v in sorted(state.indicator_values().items())},
        "released": sorted(i.inject_id for i in state.released_injects())}
    assert list(facts["indicators"]) == sorted(facts["indicators"])
    assert (store.summary(sid) or {})["facts"] == facts  # what close_session cached


@pytest.mark.parametrize(("summary", "index"), [({"index": 50}, 50.0), ({"index": 61.5}, 61.5), ({"index": True}, None),
                                                ({"index": "50"}, None), ({}, None)])
def test_the_index_of_a_summary_is_a_number_or_none(summary: dict[str, object], index: float | None) -> None:
    assert lifecycle.index_of(summary) == index
