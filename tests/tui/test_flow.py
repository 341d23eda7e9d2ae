"""A whole exercise driven with the keyboard: start screen → briefing → exercise (deciding,
pausing, releasing a manual inject, an observation) → ENDEX → evaluation (a rating) → debrief."""

from __future__ import annotations

from pathlib import Path

import pytest

from krise_ovelse.engine.values import InjectStatus
from krise_ovelse.model.scenario import Level
from krise_ovelse.store.db import SessionStore
from krise_ovelse.tui.app import KriseApp
from krise_ovelse.tui.screens.briefing import BriefingScreen
from krise_ovelse.tui.screens.debrief import DebriefScreen
from krise_ovelse.tui.screens.decision import DecisionDialog
from krise_ovelse.tui.screens.dialogs import ConfirmDialog, ObservationDialog, PickDialog
from krise_ovelse.tui.screens.evaluation import EvaluatorScreen, RateDialog
from krise_ovelse.tui.screens.exercise import ExerciseScreen
from krise_ovelse.tui.screens.start import StartScreen

from .conftest import FakeClock, console
from .helpers import option_texts, screen_text, type_text


async def _settle(app: KriseApp) -> None:
    await app.workers.wait_for_complete()


async def test_whole_exercise_with_the_keyboard(db: Path, clock: FakeClock, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = console(clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        # GIVEN the start screen with the shipped scenarios
        await pilot.pause()
        await _settle(app)
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        screen = app.screen
        index = next(i for i, e in enumerate(screen.entries) if e.id == "kort-eksempel")
        assert "Vannskaden" in screen_text(app)

        # WHEN the facilitator opens the example's briefing
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        text = screen_text(app)
        assert "Bakteppe" in text and "Slik går klokka" in text and "KH-2" in text

        # ... names the team and a participant, and starts
        await pilot.press("tab")
        await type_text(pilot, "Ledergruppen")
        await pilot.press("tab")
        await type_text(pilot, "Kari")
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        session = app.session
        assert session is not None
        state = session.state
        assert state.started and not state.running
        assert state.session is not None and state.session.team == "Ledergruppen"
        assert [p.name for p in state.session.participants] == ["Kari"]

        # THEN space starts the clock, and ticks of the (fake) clock move scenario time
        await pilot.press("space")
        assert session.state.running
        clock.advance(2.0)
        app.tick_clock()
        assert session.state.scenario_minutes == 12  # 2 s × 360 min per minute of play / 60

        # n jumps to the next inject: i01 arrives and opens d01
        await pilot.press("n")
        await pilot.pause()
        assert session.state.inject("i01").status is InjectStatus.RELEASED
        assert [d.decision_id for d in session.state.open_decisions()] == ["d01"]
        assert any("Vannskade – hovedkontoret er stengt" in o for o in option_texts(app, "#feed"))
        assert any("d01" in o for o in option_texts(app, "#decisions"))

        # Enter on the feed opens the inject and marks it read
        await pilot.press("enter")
        await pilot.pause()
        assert "Sprinkleranlegget" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert session.state.inject("i01").status is InjectStatus.ACKNOWLEDGED

        # d opens the decision dialog; choose a, give a rationale and who decided, confirm
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DecisionDialog)
        await pilot.press("enter")  # choose the highlighted option (a); the focus stays
        await pilot.press("tab")  # who decided
        await type_text(pilot, "Kari")
        await pilot.press("enter")  # Enter there goes on to the rationale
        await type_text(pilot, "SMS først")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        decided = session.state.decision("d01")
        assert decided.option_id == "a"
        [record] = session.state.history()
        assert record.rationale == "SMS først" and record.decided_by == "Kari"
        assert any("d01 → a" in o for o in option_texts(app, "#log"))

        # space pauses
        await pilot.press("space")
        assert not session.state.running
        await pilot.press("space")
        assert session.state.running

        # r releases the manual inject i06 (listed first)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert session.state.inject("i06").released

        # o adds an observation tied to a criterion
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ObservationDialog)
        await type_text(pilot, "Glemte verneombudet")
        await pilot.press("enter")  # to the criteria list
        await pilot.press("space")  # select the first criterion
        await pilot.press("ctrl+s")
        await pilot.pause()
        [observation] = session.state.observations
        assert observation.text == "Glemte verneombudet"
        assert observation.criteria == ("KH-2",)

        # e declares ENDEX (after a confirmation) and goes to the evaluation
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        assert session.state.ended and not session.state.running

        # Enter rates the first criterion of the ended session: override the suggestion with a reason
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RateDialog)
        await pilot.press("down")
        await pilot.press("enter")
        await type_text(pilot, "Kom sent")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        ratings = session.state.current_ratings()
        assert ratings["KH-2"].level is Level.S and ratings["KH-2"].reason == "Kom sent"

        # g shows the debrief
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "Styrker" in text and "Forbedringspunkter" in text and "Læringspunkter" in text

        # x exports the after-action report in a worker
        await pilot.press("x")
        await _settle(app)
        await pilot.pause()
        reports = sorted(p.name for p in tmp_path.glob("krise-ovelse-kort-eksempel-*"))
        assert sorted(Path(r).suffix for r in reports) == [".docx", ".html", ".md", ".xlsx"]

    # AND everything shown was committed to the store
    with SessionStore(db) as store:
        [info] = store.list_sessions()
        assert info.status == "ended" and info.team == "Ledergruppen"
        kinds = [e["kind"] for e in store.events(info.id)]
    for kind in ("session_started", "inject_released", "decision_made", "observation_added",
                 "criterion_rated", "session_ended"):
        assert kind in kinds
