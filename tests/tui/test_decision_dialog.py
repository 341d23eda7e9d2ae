"""The decision dialog: who decided and why, focus only where the user sends it, a rationale asked
for (skippable after a confirmation), and a typo corrected by an amending event."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from krise_ovelse.messages import nb
from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.screens.decision import DecisionDialog
from krise_ovelse.tui.screens.dialogs import ConfirmDialog
from krise_ovelse.tui.screens.exercise import ExerciseScreen

from .conftest import FakeClock, console
from .helpers import option_texts, start_play, static_text, type_text


async def test_enter_chooses_and_keeps_the_focus_and_a_second_choice_replaces_the_first(
        example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DecisionDialog)
        assert static_text(app, "#decision-choice") == nb.MESSAGES["decision.chosen_none"]
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.choice == "a" and isinstance(app.focused, OptionList)  # no jump into a field
        assert "alternativ a" in static_text(app, "#decision-choice")
        await pilot.press("down", "enter")  # a slip of the finger: b instead
        await pilot.pause()
        assert dialog.choice == "b" and isinstance(app.focused, OptionList)
        assert option_texts(app, "#decision-options")[1].startswith("◉ b)")
        assert option_texts(app, "#decision-options")[0].startswith("○ a)")
        await pilot.press("up", "enter", "tab")
        assert app.focused is not None and app.focused.id == "decision-by"
        await type_text(pilot, "Kari")
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "decision-rationale"
        await type_text(pilot, "Alle skal vite det")
        await pilot.press("enter")  # Enter in the rationale confirms
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        [record] = app.session.state.history()  # type: ignore[union-attr]
        assert (record.option_id, record.decided_by, record.rationale) == ("a", "Kari", "Alle skal vite det")


async def test_no_rationale_asks_first_and_no_goes_back_to_the_field(example: LoadedScenario, db: Path,
                                                                     clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is dialog and app.focused is dialog.query_one("#decision-rationale", Input)
        assert app.session.state.history() == ()  # type: ignore[union-attr]
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("j")  # yes: without a rationale
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        [record] = app.session.state.history()  # type: ignore[union-attr]
        assert (record.option_id, record.rationale) == ("a", "")


async def test_a_typo_is_corrected_by_an_amending_event_and_the_original_kept(
        example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter", "tab")
        await type_text(pilot, "Alle skal vite det")  # the rationale typed into "decided by"
        await pilot.press("enter")
        await type_text(pilot, "Kari")
        await pilot.press("ctrl+s")
        await pilot.pause()
        session = app.session
        assert session is not None
        made = session.state.history()[0]
        # from the log: the record in force is filled in, the option kept
        app.screen.query_one("#log").focus()
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DecisionDialog) and dialog.revise and dialog.choice == "a"
        by = dialog.query_one("#decision-by", Input)
        rationale = dialog.query_one("#decision-rationale", Input)
        assert (by.value, rationale.value) == ("Alle skal vite det", "Kari")
        await pilot.press("ctrl+s")  # nothing changed
        await pilot.pause()
        assert static_text(app, "#dialog-error") == nb.MESSAGES["decision.unchanged"]
        by.value, rationale.value = "Kari", "Alle skal vite det"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        [record] = session.state.history()
        assert (record.option_id, record.decided_by, record.rationale, record.amendments) == (
            "a", "Kari", "Alle skal vite det", 1)
        amended = session.engine.events[-1]
        assert amended.kind == "decision_record_amended"
        assert (amended.record_seq, amended.previous_decided_by, amended.previous_rationale, amended.by) == (
            made.seq, "Alle skal vite det", "Kari", "øvingsleder")
        original = next(e for e in session.engine.events if e.seq == made.seq)
        assert (original.decided_by, original.rationale) == ("Alle skal vite det", "Kari")
        assert session.state.decision("d01").revisions == 0  # not a revision: no effects applied again
        assert any(nb.MESSAGES["log.amended"] in o for o in option_texts(app, "#log"))
        # the store has the amendment too: the record survives a restart
        from krise_ovelse.store.db import SessionStore

        assert session.session_id is not None
        with SessionStore.for_reading(db) as store:
            kinds = [e["kind"] for e in store.iter_events(session.session_id)]
        assert kinds[-1] == "decision_record_amended"
