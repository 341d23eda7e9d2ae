"""The console opens, follows and closes sessions through the one lifecycle (store.lifecycle).

Regression tests for the second lifecycle the console used to have: it crashed on a stored event
of an unknown kind and left the session claimed, skipped the scenario hash check and stored
participants in a format of its own.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from krise_ovelse.engine.values import Participant
from krise_ovelse.store.db import SessionStore
from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.screens.exercise import ExerciseScreen
from krise_ovelse.tui.screens.start import StartScreen
from krise_ovelse.tui.session import ExerciseSession, SessionError
from krise_ovelse.tui.view import TEAM

from .conftest import console, frozen_wall
from .helpers import record_notifications, start_play, stored_id


def _paused_session(example: LoadedScenario, db: Path) -> str:
    session = ExerciseSession.start(example, team="Lag A", db=str(db), wall=frozen_wall,
                                    participants=(Participant("Kari", "direktor"),))
    assert session.toggle_pause().ok and session.next_inject().ok
    session_id = session.session_id
    assert session_id is not None
    session.close()
    return session_id


def _append_unknown_event(db: Path, session_id: str) -> None:
    with SessionStore(db) as store:
        seq = store.last_seq(session_id) + 1
        store.append(session_id, [{"seq": seq, "kind": "teleported", "scenario_minutes": 0,
                                   "exercise_seconds": 0.0, "wall": "2024-11-04T07:00:00+00:00"}])


async def test_an_unknown_stored_event_is_a_clear_error_and_leaves_the_session_unclaimed(
        example: LoadedScenario, db: Path) -> None:
    session_id = _paused_session(example, db)
    _append_unknown_event(db, session_id)
    app = console(session=session_id)
    messages = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.session is None
        assert isinstance(app.screen, StartScreen)
        assert any("teleported" in m and session_id in m for m in messages), messages
    with SessionStore(db) as store:
        info = store.get(session_id)
    assert info.status == "paused" and info.owner is None


def test_resume_refuses_a_tampered_scenario_text_before_claiming(example: LoadedScenario, db: Path) -> None:
    session_id = _paused_session(example, db)
    conn = sqlite3.connect(db)  # another program, past the store's own guard
    conn.execute("DROP TRIGGER scenario_texts_immutable")
    conn.execute("UPDATE scenario_texts SET text = text || '\n# changed' ")
    conn.commit()
    conn.close()
    try:
        ExerciseSession.resume(session_id, db=str(db), wall=frozen_wall)
    except SessionError as error:
        assert "sha256" in str(error)
    else:
        raise AssertionError("a tampered scenario text was resumed")
    with SessionStore(db) as store:
        assert store.get(session_id).owner is None


def test_the_console_stores_participants_as_every_other_front_end(example: LoadedScenario, db: Path) -> None:
    session_id = _paused_session(example, db)
    with SessionStore(db) as store:
        assert store.get(session_id).participants == ("Kari (direktor)",)


def test_resume_claims_and_close_releases(example: LoadedScenario, db: Path) -> None:
    session_id = _paused_session(example, db)
    session = ExerciseSession.resume(session_id[:6], db=str(db), wall=frozen_wall)
    with SessionStore(db) as store:
        assert store.get(session_id).status == "running"
        assert session.session_id == session_id
        session.close()
        info = store.get(session_id)
    assert info.status == "paused" and info.owner is None


async def test_a_team_window_survives_an_unreadable_new_event(example: LoadedScenario, db: Path) -> None:
    live = console(example, team="Lag 3")
    async with live.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        session_id = stored_id(live)
        follower = console(session=session_id, view=TEAM)
        async with follower.run_test(size=(100, 30)) as team_pilot:
            await team_pilot.pause()
            assert isinstance(follower.screen, ExerciseScreen)
            session = follower.session
            assert session is not None
            seq = session.state.seq
            live.session.close()  # type: ignore[union-attr]
            _append_unknown_event(db, session_id)
            follower.poll_store()
            await team_pilot.pause()
            assert session.state.seq == seq
            assert "teleported" in session.poll_error
            assert isinstance(follower.screen, ExerciseScreen)
