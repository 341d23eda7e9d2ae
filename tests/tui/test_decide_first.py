"""Decide first, see the options after, in the console: the briefing's checkbox, the team's
words written with no option in sight, the facilitator's mapping to an option or to «annet»
with levels, and a team view that shows no option text until the decision is mapped."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from textual.widgets import Checkbox, Input, OptionList

from krise_ovelse.engine import DecisionStatus
from krise_ovelse.messages import nb
from krise_ovelse.model.scenario import Level
from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.screens.decide_first import LevelList, MapDecisionDialog, WriteDecisionDialog
from krise_ovelse.tui.screens.decision import DecisionDialog
from krise_ovelse.tui.screens.exercise import ExerciseScreen
from krise_ovelse.tui.view import TEAM

from .conftest import FakeClock, console
from .helpers import option_texts, record_notifications, screen_text, start_play, static_text, type_text

#: Words from the option texts of d01 in «Vannskaden»: none may show before the mapping.
OPTION_WORDS = ("Fast status på intranettet", "Be hver leder ringe", "forsikringsselskapet")


def _option_text_shown(text: str) -> bool:
    return any(word in text for word in OPTION_WORDS)


async def _write_d01(pilot: object, app: object) -> None:
    """From the running exercise: `d`, the team's words, who and why, Enter to record."""
    await pilot.press("d")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    dialog = app.screen  # type: ignore[attr-defined]
    assert isinstance(dialog, WriteDecisionDialog)
    assert not dialog.query(OptionList)  # no option list at all, let alone option texts
    assert not _option_text_shown(screen_text(app))  # type: ignore[arg-type]
    assert app.focused is dialog.query_one("#write-text", Input)  # type: ignore[attr-defined]
    await type_text(pilot, "SMS til alle før sju, status på intranettet hver dag")  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await type_text(pilot, "Sara")  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await type_text(pilot, "Én beskjed til alle")  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, ExerciseScreen)  # type: ignore[attr-defined]


async def test_the_briefing_starts_a_decide_first_exercise(example: LoadedScenario, db: Path,
                                                           clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#decide-first", Checkbox)
        assert box.value is False
        box.value = True  # as a click on it does
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.session is not None and app.session.decide_first
        assert nb.MESSAGES["status.decide_first"] in screen_text(app)


async def test_write_then_map_to_an_option(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock, decide_first=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        session = app.session
        assert session is not None and session.decide_first
        await _write_d01(pilot, app)
        state = session.state
        assert state.decision("d01").status is DecisionStatus.WRITTEN and state.history() == ()
        assert any(nb.MESSAGES["decisions.awaiting"] in o for o in option_texts(app, "#decisions"))
        # the facilitator opens it again: now the mapping, with the team's words beside the options
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MapDecisionDialog)
        assert "SMS til alle før sju" in static_text(app, "#map-words")
        assert "Sara" in static_text(app, "#map-words")
        options = option_texts(app, "#map-options")
        assert options[0].startswith("○ a)") and options[-1].endswith(nb.MESSAGES["decision.other"])
        await pilot.press("ctrl+s")  # nothing chosen yet
        await pilot.pause()
        assert static_text(app, "#dialog-error") == nb.MESSAGES["decision.choose_mapping"]
        await pilot.press("enter")  # a
        await pilot.pause()
        assert dialog.choice == "a" and not dialog.query_one("#map-levels-box").display
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        [record] = session.state.history()
        assert (record.option_id, record.decided_by, record.rationale) == ("a", "Sara", "Én beskjed til alle")
        written = session.state.written_decision("d01")
        assert written is not None and (written.mapped_option, written.mapped_by) == ("a", "evaluator")
        assert any("d01 → a" in o for o in option_texts(app, "#log"))


async def test_write_then_map_to_annet_with_levels(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock, decide_first=True)
    async with app.run_test(size=(100, 34)) as pilot:
        await start_play(pilot)
        session = app.session
        assert session is not None
        await _write_d01(pilot, app)
        values = session.state.indicator_values()
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MapDecisionDialog)
        count = len(option_texts(app, "#map-options"))
        await pilot.press(*["down"] * (count - 1), "enter")  # «annet»
        await pilot.pause()
        assert dialog.choice == "annet" and dialog.query_one("#map-levels-box").display
        levels = dialog.query_one("#map-levels", LevelList)
        assert app.focused is levels
        assert [c for c, _ in levels.criteria][:2] == ["KH-2", "DA-4"]  # the options' criteria first
        await pilot.press("ctrl+s")  # no level yet
        await pilot.pause()
        assert static_text(app, "#dialog-error") == nb.MESSAGES["decision.need_level"]
        await pilot.press("s", "down", "enter", "enter")  # KH-2 S; DA-4 P, then S (Enter steps)
        await pilot.pause()
        assert levels.rated() == [("KH-2", "S"), ("DA-4", "S")]
        await pilot.press("minus")  # DA-4 cleared again
        await pilot.press("tab")
        focused = app.focused
        assert isinstance(focused, Input) and focused.id == "map-by"
        await pilot.press("tab")
        await type_text(pilot, "Ingen av valgene, men god plan")
        await pilot.press("enter")  # Enter in the note maps
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        written = session.state.written_decision("d01")
        assert written is not None
        assert (written.mapped_option, written.levels, written.note) == (
            "annet", (("KH-2", Level.S),), "Ingen av valgene, men god plan")
        assert session.state.indicator_values() == values  # «annet» applies no option
        assert session.state.decision("d01").status is DecisionStatus.DECIDED
        assert any("d01 → annet" in o and "SMS til alle" in o for o in option_texts(app, "#log"))


async def test_the_team_view_shows_no_option_text_until_the_decision_is_mapped(
        example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock, decide_first=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        session = app.session
        assert session is not None
        await pilot.press("v")  # the team's view (the projector)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen) and screen.view == TEAM
        [open_view] = session.snapshot(TEAM).open_decisions
        assert open_view.options == () and open_view.default == ""  # not even in the record
        assert not _option_text_shown(screen_text(app))
        await _write_d01(pilot, app)  # the team writes from its own view
        assert not _option_text_shown(screen_text(app))
        notes = record_notifications(app)
        await pilot.press("d")  # the team cannot map: it is told it waits
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert notes and "venter" in notes[-1]
        [waiting] = session.snapshot(TEAM).awaiting
        assert waiting.options == ()
        # the facilitator maps it (in their view); then the team sees the option chosen
        assert session.map_decision("d01", "a", "Eva").ok
        screen.render_state()
        await pilot.pause()
        assert any("d01 → a" in o and "SMS til alle før sju" in o for o in option_texts(app, "#log"))
        mapped = session.decision_view("d01", TEAM)
        assert mapped is not None and mapped.options and "SMS til alle før kl. 07" in mapped.options[0][1]


async def test_a_read_only_team_window_shows_no_option_text_before_the_mapping(
        example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    live = console(example, team="Lag", clock=clock, decide_first=True)
    async with live.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await _write_d01(pilot, live)
        session_id = live.session.session_id  # type: ignore[union-attr]
        follower = console(session=session_id, view=TEAM)
        async with follower.run_test(size=(100, 30)) as team_pilot:
            await team_pilot.pause()
            assert follower.session is not None and follower.session.decide_first
            assert not _option_text_shown(screen_text(follower))
            assert all(v.options == () for v in follower.session.snapshot(TEAM).awaiting)
            await pilot.press("d")
            await pilot.pause()
            await pilot.press("enter", "ctrl+s")  # the facilitator maps d01 to a
            await pilot.pause()
            follower.poll_store()
            await team_pilot.pause()
            assert any("d01 → a" in o for o in option_texts(follower, "#log"))


async def test_choosing_an_option_directly_is_not_offered_and_the_engine_refuses_it(
        example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock, decide_first=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, DecisionDialog)
        outcome = app.session.decide("d01", "a")  # type: ignore[union-attr]
        assert not outcome.ok and outcome.message == nb.MESSAGES["refused.decide_first"]
        await pilot.press("ctrl+s")  # nothing written: the dialog says so and stays
        await pilot.pause()
        assert isinstance(app.screen, WriteDecisionDialog)
        assert static_text(app, "#dialog-error") == nb.MESSAGES["decision.write_first"]


async def test_text_the_team_writes_is_shown_literally(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock, decide_first=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        session = app.session
        assert session is not None
        assert session.write("d01", "[bold]Alle[/] hjem \x1b[31m nå", "[i]fordi[/i]", "Kari").ok
        await pilot.press("d")
        await pilot.pause()
        words = static_text(app, "#map-words")
        assert "[bold]Alle[/] hjem" in words and "[i]fordi[/i]" in words and "\x1b" not in words


def test_play_decide_first_flag_is_for_new_exercises_only(db: Path) -> None:
    from krise_ovelse.cli import main

    result = CliRunner().invoke(main, ["play", "--session", "nope", "--decide-first"])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["play", "--help"])
    assert "--decide-first" in result.output


async def test_after_endex_the_evaluator_maps_what_is_still_written(example: LoadedScenario, db: Path,
                                                                    clock: FakeClock) -> None:
    from krise_ovelse.tui.screens.evaluation import EvaluatorScreen

    app = console(example, team="Lag", clock=clock, decide_first=True)
    async with app.run_test(size=(100, 34)) as pilot:
        await start_play(pilot)
        session = app.session
        assert session is not None
        await _write_d01(pilot, app)
        values = session.state.indicator_values()
        assert session.endex().ok
        app.show_evaluation()
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        await pilot.press("m")  # the written decisions still awaiting mapping
        await pilot.pause()
        assert any("SMS til alle før sju" in o for o in option_texts(app, "#pick"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MapDecisionDialog)
        await pilot.press("enter", "ctrl+s")  # option a
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        written = session.state.written_decision("d01")
        assert written is not None and written.mapped_option == "a"
        assert session.state.indicator_values() == values  # after ENDEX: nothing moves
        await pilot.press("m")  # nothing left to map: the key is off
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
