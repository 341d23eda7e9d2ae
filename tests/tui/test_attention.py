"""Nothing opens or lapses unseen: the alert banner, auto-pause at a decision's opening, the
real-time countdown to each deadline, the deadline warning, and the pacing line.

Times in the example: the first phase plays 360 scenario minutes per minute of play, so one
real second at ×1 is six scenario minutes; i01 at D+0 06:30 (minute 390) opens d01 with a 6 h
deadline (minute 750).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from krise_ovelse.messages import nb
from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.screens.exercise import ExerciseScreen

from .conftest import FakeClock, console
from .helpers import option_texts, screen_text


async def _startex(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExerciseScreen)
    await pilot.press("space")
    await pilot.pause()


def _banner(app: Any) -> str:
    banner = app.screen.query_one("#alert", Static)
    return str(banner.content) if banner.display else ""


async def test_a_decision_opening_pauses_the_clock_at_its_minute_above_x1(
        example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await _startex(pilot)
        await pilot.press("plus")  # ×2: auto-pause is on by default
        clock.advance(60)  # 720 scenario minutes: past i01 (390), i02 (495) and i03 (600)
        app.tick_clock()
        await pilot.pause()
        session = app.session
        assert session is not None
        assert not session.state.running
        assert session.state.scenario_minutes == 390  # stopped at the opening, not a second later
        assert not session.state.inject("i02").released
        assert [d.decision_id for d in session.state.open_decisions()] == ["d01"]
        banner = _banner(app)
        assert "BESLUTNING d01 ER ÅPEN" in banner and "KLOKKA ER SATT PÅ PAUSE" in banner
        assert session.engine.events[-1].kind == "paused"


async def test_no_auto_pause_at_x1_or_when_turned_off(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    for speed_keys, auto_pause, seconds in (((), "auto", 70), (("plus",), "off", 35)):
        app = console(example, team="Lag", clock=clock, auto_pause=auto_pause)
        async with app.run_test(size=(100, 30)) as pilot:
            await _startex(pilot)
            for key in speed_keys:
                await pilot.press(key)
            clock.advance(seconds)  # to minute 420 either way
            app.tick_clock()
            await pilot.pause()
            session = app.session
            assert session is not None and session.state.running
            assert session.state.scenario_minutes > 390
            assert "BESLUTNING d01 ER ÅPEN" in _banner(app)  # still signalled


async def test_a_decision_that_opens_and_lapses_unseen_is_signalled(example: LoadedScenario, db: Path,
                                                                    clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock, auto_pause="off")
    async with app.run_test(size=(100, 30)) as pilot:
        await _startex(pilot)
        await pilot.press("plus")
        clock.advance(70)  # ×2: 840 scenario minutes, past d01's opening (390) and deadline (750)
        app.tick_clock()
        await pilot.pause()
        assert app.session is not None and app.session.state.decision("d01").missed
        assert _banner(app).startswith("⚠ FRISTEN FOR d01 GIKK UT: alternativ c gjelder")


async def test_auto_pause_on_also_at_x1_and_after_a_jump(example: LoadedScenario, db: Path,
                                                         clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock, auto_pause="on")
    async with app.run_test(size=(100, 30)) as pilot:
        await _startex(pilot)
        await pilot.press("n")  # jump to i01, which opens d01
        await pilot.pause()
        session = app.session
        assert session is not None
        assert session.state.scenario_minutes == 390 and not session.state.running
        assert "KLOKKA ER SATT PÅ PAUSE" in _banner(app)


async def test_the_countdown_runs_in_real_time_and_a_near_deadline_warns_once(
        example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock, warn_before=50)
    async with app.run_test(size=(100, 30)) as pilot:
        await _startex(pilot)
        clock.advance(70)  # d01 opens at 390; the clock runs on to 420 (×1: no auto-pause)
        app.tick_clock()
        await pilot.pause()
        [row] = option_texts(app, "#decisions")
        assert "⏳ 0:55" in row  # (750 - 420) / 6 real seconds
        assert "FRISTEN" not in _banner(app)
        clock.advance(10)
        app.tick_clock()
        await pilot.pause()
        [row] = option_texts(app, "#decisions")
        assert "⏳ 0:45" in row
        assert "FRISTEN FOR d01 GÅR UT OM 0:45" in _banner(app)
        await pilot.press("plus")  # ×2: the same scenario time is half the real time
        await pilot.pause()
        assert "⏳ 0:22" in option_texts(app, "#decisions")[0] or "⏳ 0:23" in option_texts(app, "#decisions")[0]
        await pilot.press("space")  # paused: the countdown stands and says so
        await pilot.pause()
        assert "(klokka står)" in option_texts(app, "#decisions")[0]
        app.screen.query_one("#alert", Static).display = False
        app.tick_clock()
        await pilot.press("space")
        clock.advance(0.1)
        app.tick_clock()
        await pilot.pause()
        assert "FRISTEN" not in _banner(app)  # warned once only


async def test_the_pacing_line_shows_real_time_and_the_plan(example: LoadedScenario, db: Path,
                                                           clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert nb.MESSAGES["pace.not_started"].format(total="20:00") in text
        await pilot.press("v")  # the team does not see the pacing line
        await pilot.pause()
        assert "planlagt spilletid" not in screen_text(app)
