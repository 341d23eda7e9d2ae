"""Items 2 and 3 of issue #13 in the console: text from a file is shown, never obeyed.

Every screen is walked with a hostile scenario, playthrough and stored session (hostile.py):
every line every widget renders is checked for raw controls (ESC, C1, BEL, U+202E) and for
styles the file could only have made by markup (an action link `@click`, a web link), and
where the payload's link text shows, its markup must show literally beside it. In the end no
action from the file has run (no screenshot file was written)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from textual.geometry import Region
from textual.pilot import Pilot

from krise_ovelse.cli import main
from krise_ovelse.tui.loaded import load_for_console
from krise_ovelse.tui.screens.briefing import BriefingScreen
from krise_ovelse.tui.screens.debrief import DebriefScreen
from krise_ovelse.tui.screens.decision import DecisionDialog
from krise_ovelse.tui.screens.evaluation import EvaluatorScreen, RateDialog
from krise_ovelse.tui.screens.exercise import ExerciseScreen
from krise_ovelse.tui.screens.feedback import FeedbackScreen
from krise_ovelse.tui.screens.hotwash import HotwashScreen
from krise_ovelse.tui.screens.replay import ReplayScreen
from krise_ovelse.tui.screens.start import StartScreen

from ..tui.conftest import FakeClock, console
from ..tui.helpers import type_text
from .hostile import FORBIDDEN, hostile_files

SEEN: list[str] = []


def check_screen(app: Any, where: str) -> None:
    """Every line of every widget on the active screen, as rendered for the terminal."""
    screen = app.screen
    shown = 0
    for widget in screen.walk_children(with_self=False):
        if not widget.is_mounted or not widget.display or widget.size.area == 0:
            continue
        try:
            strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
        except Exception as error:  # a widget that cannot render outside the compositor
            pytest.fail(f"{where}: {widget!r} did not render: {error!r}")
        texts = []
        for strip in strips:
            for segment in strip:
                text, style = segment.text, segment.style
                for char in FORBIDDEN:
                    assert char not in text, f"{where}: raw {char!r} in {widget!r}: {text!r}"
                if style is not None:
                    click = str(style.meta.get("@click", "")) if style.meta else ""
                    assert "screenshot" not in click, f"{where}: an action from the file in {widget!r}"
                    assert "evil.example" not in (style.link or ""), f"{where}: a link from the file in {widget!r}"
                texts.append(text)
        joined = "".join(texts)
        if "klikk" in joined:
            shown += 1
            assert joined.count("[@click") >= joined.count("klikk"), f"{where}: markup interpreted in {widget!r}"
    SEEN.append(f"{where}: {shown}")


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.chdir(tmp_path)
    return hostile_files(tmp_path, target=".")


async def test_every_screen_shows_hostile_text_literally(hostile: tuple[Path, Path], tmp_path: Path) -> None:
    scenario_path, play = hostile
    stored = CliRunner().invoke(main, ["run", str(scenario_path), "--play", str(play), "--json"])
    assert stored.exit_code == 0, stored.output
    stored_id = json.loads(stored.stdout)["session_id"]
    clock = FakeClock()

    # The start screen lists the stored session (its team and title come from the file).
    app = console(clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, StartScreen)
        check_screen(app, "start")

    loaded, problems = load_for_console(scenario_path)
    assert loaded is not None, problems
    app = console(loaded, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        check_screen(app, "briefing")
        await pilot.press("tab")
        await type_text(pilot, "[b]Lag[/b] [@click=app.screenshot()]x[/]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        await pilot.press("space", "n")
        await pilot.pause()
        check_screen(app, "exercise")
        await pilot.press("enter")  # the inject dialog ("Innspill {id}")
        await pilot.pause()
        check_screen(app, "inject dialog")
        await pilot.press("escape")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DecisionDialog)
        check_screen(app, "decision dialog")
        await pilot.press("enter")
        await type_text(pilot, "[@click=app.screenshot()]begrunnelse[/]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        check_screen(app, "exercise after a decision")
        await pilot.press("r")  # the manual injects
        await pilot.pause()
        check_screen(app, "pick dialog")
        await pilot.press("enter")
        await pilot.pause()
        check_screen(app, "exercise after a manual inject")
        await pilot.press("v")  # the team's view
        await pilot.pause()
        check_screen(app, "team view")
        await pilot.press("v")
        await pilot.press("f1")
        await pilot.pause()
        check_screen(app, "help")
        await pilot.press("escape")
        await pilot.press("e")
        await pilot.pause()
        check_screen(app, "confirm ENDEX")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        check_screen(app, "evaluation")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RateDialog)
        check_screen(app, "rate dialog")
        await pilot.press("escape")
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        check_screen(app, "debrief")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, HotwashScreen)
        check_screen(app, "hotwash")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        check_screen(app, "questionnaire")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)

    app = console(clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.replay_session(stored_id)
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        check_screen(app, "replay")
        await pilot.press("g")
        await pilot.pause()
        check_screen(app, "debrief of the stored session")

    assert not list(tmp_path.rglob("pwned*")) and not list(tmp_path.rglob("*.svg"))
    shown = [line for line in SEEN if not line.endswith(": 0")]
    assert len(shown) >= 8, SEEN  # the payload was on screen in most places


async def test_markup_in_ids_is_shown_not_obeyed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dialog headings "Innspill {id}" and "Beslutning {id}" once ran `[@click=…]` from an id.
    Ids are now restricted by the loader; the console must not depend on that."""
    import attrs

    from krise_ovelse.tui.loaded import LoadedScenario

    from ..tui.conftest import EXAMPLE

    monkeypatch.chdir(tmp_path)
    loaded, problems = load_for_console(EXAMPLE)
    assert loaded is not None, problems
    scenario = loaded.scenario
    inject_id = "i01[@click=app.screenshot('pwned.svg','.')]klikk[/]"
    decision_id = "d01[@click=app.screenshot('pwned.svg','.')]klikk[/][b]x[/b]"
    injects = tuple(attrs.evolve(i, id=inject_id) if i.id == "i01" else i for i in scenario.injects)
    decisions = tuple(attrs.evolve(d, id=decision_id, opens_with=inject_id) if d.id == "d01" else d
                      for d in scenario.decisions)
    hostile = LoadedScenario(attrs.evolve(scenario, injects=injects, decisions=decisions), loaded.text, loaded.source)
    app = console(hostile, team="Lag", clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("space", "n")
        await pilot.pause()
        check_screen(app, "exercise with hostile ids")
        await pilot.press("enter")
        await pilot.pause()
        check_screen(app, "inject dialog with a hostile id")
        heading = app.screen.query_one("#inject-heading")
        await pilot.click(heading)
        await pilot.press("escape")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DecisionDialog)
        check_screen(app, "decision dialog with a hostile id")
        await pilot.click(app.screen.query_one("#decision-heading"))
        await pilot.pause()
    assert not list(tmp_path.rglob("*.svg"))
