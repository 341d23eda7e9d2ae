"""The smaller items of issue #17: the footer at 80x24, the observation dialog without colour,
the debrief chart's time axis, notifications out of the way, phase items in the notes, and a
Tab in a fast burst of keys in the ad-hoc dialog."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input, SelectionList, Static

from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.screens.dialogs import AdHocDialog, ObservationDialog
from krise_ovelse.tui.screens.exercise import ExerciseScreen, notes_text
from krise_ovelse.tui.widgets.footer import KeyFooter, describe
from krise_ovelse.tui.widgets.indicators import axis_line

from .conftest import FakeClock, console
from .helpers import option_texts, start_play


async def test_the_footer_shows_every_key_at_80x24(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_play(pilot)
        footer = app.screen.query_one(KeyFooter)
        rendered = str(footer.render())
        assert all(len(line) <= 80 for line in rendered.splitlines())
        shown = [describe(active.binding) for active in app.screen.active_bindings.values()
                 if active.binding.show and active.enabled]
        assert shown and all(description in rendered for description in shown), (shown, rendered)
        assert footer.region.bottom == 24 and footer.region.height == len(rendered.splitlines())


async def test_chosen_criteria_are_marked_in_words(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ObservationDialog)
        app.screen.query_one(SelectionList).focus()
        await pilot.press("space")
        await pilot.pause()
        rows = option_texts(app, "#observe-criteria")
        assert rows[0].startswith("✓ ") and not any(row.startswith("✓") for row in rows[1:])


def test_the_chart_axis_names_the_days() -> None:
    line = axis_line(80, 14 * 1440).plain
    assert line.startswith("┬D+0") and line.endswith("D+14┬") and len(line) == 80
    assert "D+7" in line or "D+6" in line


async def test_notifications_stay_clear_of_the_log_and_the_dialog_buttons(example: LoadedScenario, db: Path,
                                                                         clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start_play(pilot)
        app.notify("Et varsel")
        await pilot.pause()
        rack = app.screen.query_one("ToastRack")  # by its CSS type name: no private import
        log = app.screen.query_one("#log")
        assert rack.region.y < log.region.y and rack.region.bottom <= log.region.y


async def test_a_phase_in_the_notes_is_named_not_its_id(example: LoadedScenario, db: Path,
                                                         clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        session = app.session
        assert session is not None
        item = session.inject_record("phase:akutt")
        assert item is not None
        text = notes_text(item).plain
        assert "phase:" not in text and "Akuttfasen" in text
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        assert "phase:" not in str(screen.query_one("#notes", Static).content)


async def test_a_tab_in_a_burst_of_keys_moves_on_before_the_next_key(example: LoadedScenario, db: Path,
                                                                      clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AdHocDialog)
        for key, char in (("P", "P"), ("r", "r"), ("tab", "\t"), ("V", "V"), ("G", "G")):
            app.post_message(events.Key(key, char))  # one burst: no wait between the keys
        await pilot.pause()
        assert app.screen.query_one("#adhoc-title", Input).value == "Pr"
        assert app.screen.query_one("#adhoc-sender", Input).value == "VG"
