"""Append locks per group of streams read together: organisations never wait for each other.

Commit order must equal position order among the streams a client reads by position (the
control stream; an organisation's stream with its evaluators'), else "everything after
position P" could skip an event that commits later. One lock per exercise gave that, but made
sixty organisations queue behind each other on every control event; a lock per group keeps the
guarantee where it is needed and nowhere else."""

from __future__ import annotations

import threading

import psycopg
import pytest

from krise_ovelse.national import evaluator as evaluator_module
from krise_ovelse.national.control import ControlCell
from krise_ovelse.national.evaluator import EvaluatorClient
from krise_ovelse.national.org import OrgClient
from krise_ovelse.store.pg import PgListener, PgStore, activity_channel, append_group, lock_key

from .test_national import creds as creds  # the fixture: NAV with evaluator eva-nav, and DSB


def test_the_groups_are_the_streams_read_together() -> None:
    assert append_group("x_control", "x", "control") == "x:control"
    assert append_group("x_org_nav", "x", "org.nav") == "x:org:nav"
    # an evaluator's stream is in its organisation's group (its session's team is the organisation)
    assert append_group("x_eval_eva-nav", "x", "eval.eva-nav", "nav") == append_group("x_org_nav", "x", "org.nav")
    assert append_group("x_org_dsb", "x", "org.dsb") != append_group("x_org_nav", "x", "org.nav")
    assert append_group("x_org_nav", "x", "org.nav") != append_group("y_org_nav", "y", "org.nav")
    assert append_group("lone", None, None) == "lone"  # a session outside any exercise


def _append(url: str, session_id: str, done: threading.Event) -> None:
    with PgStore(url) as store:
        seq = store.last_seq(session_id) + 1
        store.append(session_id, [{"seq": seq, "kind": "note_added", "text": "prøve"}])
    done.set()


def test_a_held_group_lock_holds_back_that_group_only(pg_url: str, exercise_id: str, creds: dict[str, str]) -> None:
    with psycopg.connect(pg_url) as holder:  # NAV's group lock, held in an open transaction
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(f"{exercise_id}:org:nav"),))
        writers = {
            "dsb": (creds["org.dsb"], f"{exercise_id}_org_dsb"),
            "eva-nav": (creds["eval.eva-nav"], f"{exercise_id}_eval_eva-nav"),
            "nav": (creds["org.nav"], f"{exercise_id}_org_nav"),
        }
        done = {name: threading.Event() for name in writers}
        threads = [threading.Thread(target=_append, args=(url, sid, done[name]), daemon=True)
                   for name, (url, sid) in writers.items()]
        for thread in threads:
            thread.start()
        assert done["dsb"].wait(15), "DSB waited for NAV's lock"
        # NAV and its evaluator are still held back (they have had the time DSB needed and more)
        assert not done["nav"].wait(0.5) and not done["eva-nav"].is_set()
        holder.rollback()
    for name in ("nav", "eva-nav"):
        assert done[name].wait(15), f"{name} never got the lock"
    for thread in threads:
        thread.join(5)
    with psycopg.connect(pg_url) as conn:  # stored in commit order: NAV's group after DSB's
        order = [r[0] for r in conn.execute("SELECT session_id FROM events WHERE kind = 'note_added' "
                                            "ORDER BY position").fetchall()]
    assert order[0] == f"{exercise_id}_org_dsb"


def test_an_evaluator_wakes_for_its_organisation_only(exercise_id: str, creds: dict[str, str]) -> None:
    listener = PgListener(creds["eval.eva-nav"], activity_channel(f"{exercise_id}:org:nav"))
    try:
        assert listener.wait(1)  # the first call connects (then the caller reads everything)
        assert not listener.wait(0.2)
        _append(creds["org.dsb"], f"{exercise_id}_org_dsb", threading.Event())
        assert not listener.wait(1), "woken by another organisation's append"
        _append(creds["org.nav"], f"{exercise_id}_org_nav", threading.Event())
        assert listener.wait(10), "not woken by its organisation's append"
        _append(creds["eval.eva-nav"], f"{exercise_id}_eval_eva-nav", threading.Event())
        assert listener.wait(10), "not woken by an evaluator's append"
    finally:
        listener.close()


def test_derived_events_wake_no_one_and_the_evaluator_reads_them_after_the_control_event(
        exercise_id: str, creds: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """An organisation's answers to control events are stored without NOTIFY (every listener on
    the server would wake for each); its evaluator wakes on the control event and reads them a
    moment later, without waiting for the periodic re-check."""
    monkeypatch.setattr(evaluator_module, "RECHECK", 3600.0)  # only the follow-up can bring them
    control = ControlCell.open(creds["control"], exercise_id)
    nav = OrgClient(creds["org.nav"], exercise_id, "nav", listen=False)
    activity = PgListener(creds["eval.eva-nav"], activity_channel(f"{exercise_id}:org:nav"))
    evaluator = None
    try:
        control.resume()
        nav.sync()
        evaluator = EvaluatorClient(creds["eval.eva-nav"], exercise_id, "eva-nav", listen=True)
        evaluator.wait_and_sync(0)  # connects its listener (and reads, as after every reconnect)
        assert activity.wait(1)  # connects
        control.advance_to(300)
        assert nav.sync() == 1 and nav.state.scenario_minutes == 300
        assert not activity.wait(1), "the organisation's derived events notified"
        for _ in range(40):
            evaluator.wait_and_sync(0.25)
            if evaluator.state.scenario_minutes == 300:
                break
        assert evaluator.state.scenario_minutes == 300
    finally:
        if evaluator is not None:
            evaluator.close()
        activity.close()
        nav.close()
        control.close()


def test_a_control_event_wakes_the_organisations_on_the_exercise_channel(exercise_id: str,
                                                                        creds: dict[str, str]) -> None:
    """The control cell's appends notify the exercise's channel, the one every organisation's
    client listens on (not a group's activity channel)."""
    listener = PgListener(creds["org.dsb"], exercise_id)
    control = ControlCell.open(creds["control"], exercise_id)
    try:
        assert listener.wait_for(1) == frozenset({exercise_id})  # the first call connects
        assert listener.wait_for(0.2) == frozenset()
        control.resume()
        assert listener.wait_for(10) == frozenset({exercise_id}), "not woken by the control cell"
    finally:
        control.close()
        listener.close()
