"""The console's behaviour screen by screen: views, literal text, resizing, quitting, resuming,
the read-only team window, replay, help and the command palette."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.screen import Screen
from textual.widgets import Input

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.store.db import SessionStore
from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.screens.briefing import BriefingScreen
from krise_ovelse.tui.screens.debrief import DebriefScreen
from krise_ovelse.tui.screens.decision import DecisionDialog
from krise_ovelse.tui.screens.dialogs import ConfirmDialog, InjectDialog
from krise_ovelse.tui.screens.evaluation import EvaluatorScreen
from krise_ovelse.tui.screens.exercise import ExerciseScreen
from krise_ovelse.tui.screens.help import HelpScreen
from krise_ovelse.tui.screens.replay import ReplayScreen
from krise_ovelse.tui.screens.start import StartScreen
from krise_ovelse.tui.view import FACILITATOR, TEAM

from .conftest import EXAMPLE, FakeClock, console
from .helpers import option_texts, screen_text, start_play, stored_id, type_text


async def test_team_view_hides_the_dreiebok_and_hidden_indicators(example: LoadedScenario, db: Path,
                                                                  clock: FakeClock) -> None:
    app = console(example, team="Lag 1", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        screen = app.screen
        assert isinstance(screen, ExerciseScreen) and screen.view == FACILITATOR
        facilitator = screen_text(app)
        shown = [i.id for i in screen.snapshot.indicators]  # type: ignore[union-attr]
        assert "long_term_absence_risk" in shown  # hidden indicator: facilitator only
        assert "◌ Risiko for langti" in facilitator
        assert app.screen.query_one("#upcoming").display
        assert "Legg merke til om ledergruppen" in facilitator  # facilitator notes
        await pilot.press("v")
        await pilot.pause()
        assert screen.view == TEAM
        team = screen_text(app)
        assert [i.id for i in screen.snapshot.indicators] == [  # type: ignore[union-attr]
            "key_person_load", "information_uncertainty"]
        assert "Risiko for langti" not in team
        assert not app.screen.query_one("#upcoming").display
        assert not app.screen.query_one("#notes-box").display
        # facilitator controls are off in the team view
        before = app.session.state.seq  # type: ignore[union-attr]
        await pilot.press("r", "j", "a")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert app.session.state.seq == before  # type: ignore[union-attr]
        # the inject dialog shows no facilitator notes in the team view
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InjectDialog)
        assert "Legg merke til om ledergruppen" not in screen_text(app)


MARKUP_SCENARIO = (EXAMPLE.read_text(encoding="utf-8")
                   .replace('nb: "Vannskaden – to uker uten hovedkontor"', 'nb: "[bold]Alarm[/] og [/]"')
                   .replace('title: "Vannskade – hovedkontoret er stengt"', 'title: "[red]Brann[/red] [/] [link=x]"')
                   .replace('from: "Driftssjef eiendom"', 'from: "[b]Driftssjef"'))


async def test_scenario_text_renders_literally(db: Path, clock: FakeClock) -> None:
    result = load_scenario_text(MARKUP_SCENARIO, "markup.yaml")
    assert result.scenario is not None, [p.render() for p in result.problems]
    loaded = LoadedScenario(result.scenario, MARKUP_SCENARIO, "markup.yaml")
    app = console(loaded, team="[i]Lag[/i]", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "[bold]Alarm[/] og [/]" in screen_text(app)
        await start_play(pilot)
        feed = option_texts(app, "#feed")
        assert any("[red]Brann[/red] [/] [link=x]" in o for o in feed)
        assert any("[b]Driftssjef" in o for o in feed)
        await pilot.press("enter")
        await pilot.pause()
        assert "[red]Brann[/red] [/] [link=x]" in screen_text(app)
        await pilot.press("escape", "d")
        await pilot.pause()
        assert isinstance(app.screen, DecisionDialog)
        await pilot.press("enter", "tab", "tab")  # choose; past "decided by" to the rationale
        await type_text(pilot, "[/] [bold")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("«[/] [bold»" in o.replace("\n", "") or "[/] [bold" in o for o in option_texts(app, "#log"))


async def test_resizing_never_crashes(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    sizes = [(60, 15), (40, 10), (300, 100), (80, 24)]
    async with app.run_test(size=(100, 30)) as pilot:
        for size in sizes:
            await pilot.resize_terminal(*size)  # waits for the screen to settle
        await start_play(pilot)
        for size in sizes:
            await pilot.resize_terminal(*size)  # waits for the screen to settle
        await pilot.press("d")
        await pilot.pause()
        for size in sizes:
            await pilot.resize_terminal(*size)  # waits for the screen to settle
        assert isinstance(app.screen, DecisionDialog)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        # at 80x24 the dialog's buttons are on screen
        ok = app.screen.query_one("#ok")
        assert ok.region.bottom <= 24 and ok.region.height > 0


async def test_quitting_mid_exercise_asks_and_loses_nothing(example: LoadedScenario, db: Path,
                                                           clock: FakeClock) -> None:
    app = console(example, team="Lag 2", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter", "ctrl+s", "j")
        await pilot.pause()
        session_id = stored_id(app)
        seq = app.session.state.seq  # type: ignore[union-attr]
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None
    with SessionStore(db) as store:
        info = store.get(session_id)
        assert info.status == "paused"
        stored = store.events(session_id)
        assert len(stored) >= seq  # + the pause on the way out

    # resume: the decision is still there and the clock stands until space
    app2 = console(session=session_id, clock=clock)
    async with app2.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app2.screen, ExerciseScreen)
        state = app2.session.state  # type: ignore[union-attr]
        assert state.decision("d01").option_id == "a"
        assert not state.running
        assert any("d01 → a" in o for o in option_texts(app2, "#log"))
        await pilot.press("space")
        assert app2.session.state.running  # type: ignore[union-attr]


async def test_team_window_follows_the_live_session_read_only(example: LoadedScenario, db: Path,
                                                              clock: FakeClock) -> None:
    live = console(example, team="Lag 3", clock=clock)
    async with live.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        session_id = stored_id(live)
        follower = console(session=session_id, view=TEAM)
        async with follower.run_test(size=(100, 30)) as team_pilot:
            await team_pilot.pause()
            assert isinstance(follower.screen, ExerciseScreen)
            session = follower.session
            assert session is not None and session.readonly
            assert any("Vannskade – hovedkontoret er stengt" in o for o in option_texts(follower, "#feed"))
            assert "Risiko for langti" not in screen_text(follower)
            # the facilitator decides; the team window picks it up at its next poll
            await pilot.press("d")
            await pilot.pause()
            await pilot.press("enter", "ctrl+s", "j")
            await pilot.pause()
            follower.poll_store()
            await team_pilot.pause()
            assert session.state.decision("d01").option_id == "a"
            assert any("d01 → a" in o for o in option_texts(follower, "#log"))
            # it cannot change anything, nor switch to the facilitator view
            seq = session.state.seq
            await team_pilot.press("space", "d", "o", "v")
            await team_pilot.pause()
            assert session.state.seq == seq
            assert isinstance(follower.screen, ExerciseScreen) and follower.screen.view == TEAM


async def test_replay_moves_through_the_timeline(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter", "ctrl+s", "j")
        await pilot.pause()
        session_id = stored_id(app)
    with SessionStore(db) as store:
        total = store.last_seq(session_id)  # including the pause when the console closed
    replay = console(clock=clock)
    async with replay.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        replay.replay_session(session_id)
        await pilot.pause()
        screen = replay.screen
        assert isinstance(screen, ReplayScreen)
        assert screen.step == total
        assert replay.session.state.decision("d01").option_id == "a"  # type: ignore[union-attr]
        await pilot.press("home")
        assert screen.step == 1
        assert replay.session.state.seq == 1  # type: ignore[union-attr]
        assert option_texts(replay, "#feed") == ["Ingen innspill så langt i avspillingen."]
        await pilot.press("]", "]", "]")  # the character, as a keyboard sends it
        assert replay.session.state.seq > 1  # type: ignore[union-attr]
        await pilot.press("end")
        assert replay.session.state.seq == total  # type: ignore[union-attr]
        await pilot.press("left")
        assert replay.session.state.seq == total - 1  # type: ignore[union-attr]
        assert "steg" in screen_text(replay)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(replay.screen, DebriefScreen)


async def test_start_screen_lists_sessions_and_reports_a_broken_file(db: Path, clock: FakeClock,
                                                                     tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\nid: x\ntitle: [\n", encoding="utf-8")
    app = console(clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert "Ingen lagrede økter" in screen_text(app)
        await pilot.press("o")
        assert isinstance(app.screen.focused, Input)
        app.screen.query_one("#open-path", Input).value = str(broken)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert "broken.yaml:" in screen_text(app)
        app.screen.query_one("#open-path", Input).value = str(EXAMPLE)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        # the team needs a name before the clock can start
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert "Skriv navnet på ledergruppen" in screen_text(app)


async def test_help_lists_every_binding_and_the_palette_has_every_action(example: LoadedScenario, db: Path,
                                                                        clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("Pause/fortsett", "Neste innspill", "Neste fase", "Beslutt", "Endre beslutning",
                      "Send innspill", "Hopp over innspill", "Skriv innspill", "Observasjon", "Bytt visning",
                      "ENDEX og evaluer", "Bekreft beslutning", "Eksporter rapport", "Ett steg fram"):
            assert words in text, words
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        screen: Screen[Any] = app.screen
        commands = {c.title for c in app.get_system_commands(screen)}
        for words in ("Pause/fortsett", "Raskere", "Saktere", "Neste innspill", "Neste fase", "Beslutt",
                      "Send innspill", "Hopp over innspill", "Skriv innspill", "Observasjon", "Bytt visning",
                      "ENDEX og evaluer", "Hjelp", "Avslutt"):
            assert words in commands, words
        # a command from the palette runs its action
        pause = next(c for c in app.get_system_commands(screen) if c.title == "Pause/fortsett")
        running = app.session.state.running  # type: ignore[union-attr]
        pause.callback()
        await pilot.pause()
        assert app.session.state.running is not running  # type: ignore[union-attr]


async def test_english(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, lang="en", team="Team", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "How the clock works" in screen_text(app)
        await start_play(pilot)
        text = screen_text(app)
        assert "Injects" in str(app.screen.query_one("#feed").border_title)
        assert "Key-person load" in text  # the scenario's own English name
        assert "running" in text


async def test_skip_adhoc_speed_and_phase(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        session = app.session
        assert session is not None
        await pilot.press("plus")
        assert session.state.speed == 2.0
        await pilot.press("minus", "minus")
        assert session.state.speed == 0.5
        # skip i02 with a reason
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")  # the first upcoming: i02
        await pilot.pause()
        await type_text(pilot, "Tid")
        await pilot.press("enter")
        await pilot.pause()
        assert session.state.inject("i02").skip_reason == "Tid"
        # write an ad-hoc inject
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "Pressen ringer")
        await pilot.press("ctrl+s")
        await pilot.pause()
        [adhoc] = session.state.adhoc_injects()
        assert adhoc.title == "Pressen ringer"
        assert any("Pressen ringer" in o for o in option_texts(app, "#feed"))
        # jump to the next phase
        await pilot.press("j", "j")  # the preview, then yes
        await pilot.pause()
        assert session.state.phase_id == "uke-to"
        # e asks first; "no" keeps the exercise going
        await pilot.press("e", "n")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen) and not session.state.ended
        # "yes" declares ENDEX at once; the evaluation then rates the ended session
        await pilot.press("e", "y")
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        assert session.state.ended and not session.state.running
        await pilot.press("c")  # confirm the suggested rating of the first criterion
        assert len(session.state.current_ratings()) == 1
        # there is no way back into play after ENDEX
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
