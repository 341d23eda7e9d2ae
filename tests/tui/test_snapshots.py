"""SVG snapshots of every screen in bokmål and English (frozen clock, no cursor blink, 100x30).

Update with `pytest tests/tui --snapshot-update` after a deliberate change, and look at the
SVGs (tests/tui/__snapshots__/) before committing them. Textual is pinned, so they are stable.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from krise_ovelse.engine.commands import Advance
from krise_ovelse.store.db import SessionStore
from krise_ovelse.tui.app import KriseApp
from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.screens.exercise import ExerciseScreen
from krise_ovelse.tui.view import TEAM

from .conftest import EXAMPLE, console
from .helpers import type_text

SIZE = (100, 30)
LANGS = ["nb", "en"]

RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture
def snap_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with a relative database path (so no temp path shows on screen)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KRISE_OVELSE_DB", "sessions.db")
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    shutil.copy(EXAMPLE, scenarios / EXAMPLE.name)
    return scenarios


def _app(example: LoadedScenario | None, lang: str, **kwargs: Any) -> KriseApp:
    app = console(example, lang=lang, **kwargs)
    app.animation_level = "none"
    return app


async def _into_exercise(pilot: Pilot[Any]) -> None:
    """Start the exercise from the briefing, then STARTEX, on to i02 (i01 opened d01) and pause,
    so the status line says so. The keys are tested elsewhere (test_flow); here the commands go
    straight to the session, as the keys' actions do, and the screen settles once."""
    app = pilot.app
    assert isinstance(app, KriseApp)
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    session = app.session
    assert session is not None
    for command in (session.toggle_pause, session.next_inject, session.next_inject, session.toggle_pause):
        assert app.run_command(command())
    await pilot.pause()


@pytest.mark.parametrize("lang", LANGS)
def test_start_screen(lang: str, snap_env: Path, snap_compare: Any) -> None:
    with SessionStore("sessions.db") as store:
        store.create_session(scenario_text=EXAMPLE.read_text(encoding="utf-8"), scenario_id="kort-eksempel",
                             title="Vannskaden", team="Ledergruppen", session_id="5e55a1b2c3d4",
                             started="2024-11-04T08:00:00+00:00", claim=False, status="paused")

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(_app(None, lang, scenarios_dir=snap_env), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_briefing(lang: str, example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGS)
def test_exercise_facilitator_view(lang: str, example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=SIZE, run_before=_into_exercise)


@pytest.mark.parametrize("lang", LANGS)
def test_exercise_team_view(lang: str, example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    app = _app(example, lang, team="Ledergruppen", view="team")
    assert snap_compare(app, terminal_size=SIZE, run_before=_into_exercise)


@pytest.mark.parametrize("lang", LANGS)
def test_exercise_at_80x24(lang: str, example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=(80, 24), run_before=_into_exercise)


@pytest.mark.parametrize("lang", LANGS)
def test_decision_dialog(lang: str, example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _into_exercise(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter", "tab")  # choose a; on to "decided by"
        await type_text(pilot, "Kari")
        await pilot.press("enter")  # on to the rationale
        await type_text(pilot, "Alle skal vite det før kl. 07")

    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_debrief(lang: str, example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _into_exercise(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter", "ctrl+s", "j")
        await pilot.pause()
        await pilot.press("e", "y")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()

    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_help(lang: str, example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _into_exercise(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_debrief_indicator_charts(lang: str, example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _into_exercise(pilot)
        await pilot.press("space")
        app = pilot.app
        assert isinstance(app, KriseApp) and app.session is not None
        app.session.handle(Advance(3 * 1440))  # through the jump into week two
        await pilot.press("e", "y")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()

    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_evaluation(lang: str, example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _into_exercise(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter", "ctrl+s", "j")
        await pilot.pause()
        await pilot.press("e", "y")
        await pilot.pause()

    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=SIZE, run_before=run_before)


async def _adhoc_open(pilot: Pilot[Any]) -> None:
    await _into_exercise(pilot)
    await pilot.press("a")
    await pilot.pause()
    await type_text(pilot, "Pressen ringer")


@pytest.mark.parametrize("lang", LANGS)
def test_adhoc_dialog(lang: str, example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    """The whole form: title, sender, channel, text and the buttons."""
    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=SIZE, run_before=_adhoc_open)


def test_adhoc_dialog_at_80x24(example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    assert snap_compare(_app(example, "nb", team="Ledergruppen"), terminal_size=(80, 24), run_before=_adhoc_open)


# --- running the room: the projector, the pacing view, the jump preview (100x30 and 80x24) ----------

ROOM_SIZES = [(100, 30), (80, 24)]


async def _presenting(pilot: Pilot[Any]) -> None:
    """i01 on the team's screen, seen in the team view (as the projector window shows it)."""
    await _into_exercise(pilot)
    app = pilot.app
    assert isinstance(app, KriseApp) and app.session is not None
    assert app.run_command(app.session.present("i01"))
    screen = app.screen
    assert isinstance(screen, ExerciseScreen)
    screen.view = TEAM  # as `v` does, without its notification over the projector
    screen.apply_view()
    screen.render_state()
    await pilot.pause()


@pytest.mark.parametrize("size", ROOM_SIZES, ids=["100x30", "80x24"])
@pytest.mark.parametrize("lang", LANGS)
def test_projector(lang: str, size: tuple[int, int], example: LoadedScenario, snap_env: Path,
                   snap_compare: Any) -> None:
    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=size, run_before=_presenting)


@pytest.mark.parametrize("size", ROOM_SIZES, ids=["100x30", "80x24"])
@pytest.mark.parametrize("lang", LANGS)
def test_pacing_view(lang: str, size: tuple[int, int], example: LoadedScenario, snap_env: Path,
                     snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _into_exercise(pilot)
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", ROOM_SIZES, ids=["100x30", "80x24"])
@pytest.mark.parametrize("lang", LANGS)
def test_jump_preview(lang: str, size: tuple[int, int], example: LoadedScenario, snap_env: Path,
                      snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _into_exercise(pilot)
        await pilot.press("j")
        await pilot.pause()

    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=size, run_before=run_before)


async def _decide_first_written(pilot: Pilot[Any]) -> None:
    """A decide-first exercise with d01 written by the team (its words, who and why)."""
    await _into_exercise(pilot)
    app = pilot.app
    assert isinstance(app, KriseApp) and app.session is not None
    outcome = app.session.write("d01", "SMS til alle før sju om at bygget er stengt; status på intranettet klokka ni "
                                       "hver dag", "Én beskjed til alle", "Sara Nilsen")
    assert outcome.ok  # straight to the session: no notification over the dialog
    app.refresh_views()
    await pilot.pause()


def test_decide_first_write_dialog(example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    """The team writes its decision: the prompt and the deadline, no option anywhere."""
    async def run_before(pilot: Pilot[Any]) -> None:
        await _into_exercise(pilot)
        await pilot.press("d")
        await pilot.pause()
        await type_text(pilot, "SMS til alle før sju")
        await pilot.pause()

    app = _app(example, "nb", team="Ledergruppen", decide_first=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_decide_first_map_dialog_annet(example: LoadedScenario, snap_env: Path, snap_compare: Any) -> None:
    """The facilitator maps the written decision to «annet» and rates two criteria."""
    async def run_before(pilot: Pilot[Any]) -> None:
        await _decide_first_written(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("end", "enter")
        await pilot.pause()
        await pilot.press("s", "down", "p")
        await pilot.pause()

    app = _app(example, "nb", team="Ledergruppen", decide_first=True)
    assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)
