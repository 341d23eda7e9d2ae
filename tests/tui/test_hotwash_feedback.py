"""After ENDEX: the facilitator's hotwash and the anonymous participant questionnaire, driven with
Pilot; both are stored as events and end up in the exported report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, RadioSet

from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.screens.dialogs import ConfirmDialog
from krise_ovelse.tui.screens.evaluation import EvaluatorScreen
from krise_ovelse.tui.screens.feedback import FeedbackScreen
from krise_ovelse.tui.screens.hotwash import HotwashScreen

from .conftest import FakeClock, console
from .helpers import screen_text, start_play, type_text


async def _to_evaluation(pilot: Pilot[Any]) -> None:
    """Into play, ENDEX (e, j), on the evaluator screen."""
    await start_play(pilot)
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmDialog)
    await pilot.press("j")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EvaluatorScreen)


async def test_hotwash_points_are_stored_by_kind(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(80, 30)) as pilot:
        await _to_evaluation(pilot)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, HotwashScreen)
        assert "Pluss – det som fungerte" in screen_text(app) and "ingen ennå" in screen_text(app)
        await type_text(pilot, "Rask første beskjed")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#hotwash-text", Input).value == ""  # ready for the next point
        app.screen.query_one("#hotwash-delta", RadioButton).value = True  # the kind: delta
        await pilot.pause()
        app.screen.query_one("#hotwash-text", Input).focus()
        await type_text(pilot, "[b]Glemte[/b] de tillitsvalgte")
        await pilot.press("enter")
        await pilot.press("enter")  # an empty point is not stored
        await pilot.pause()
        session = app.session
        assert session is not None
        assert session.hotwash_entries() == [("plus", "Rask første beskjed"),
                                             ("delta", "[b]Glemte[/b] de tillitsvalgte")]
        assert "[b]Glemte[/b] de tillitsvalgte" in screen_text(app)  # shown as typed, never as markup
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)


async def test_the_questionnaire_is_anonymous_and_clears_for_the_next(example: LoadedScenario, db: Path,
                                                                     clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(80, 40)) as pilot:
        await _to_evaluation(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        assert "Anonymt" in screen_text(app) and "Svar registrert så langt: 0" in screen_text(app)
        await pilot.press("ctrl+s")  # nothing answered: refused, nothing stored
        await pilot.pause()
        session = app.session
        assert session is not None and session.feedback_count() == 0
        app.screen.query_one("#q-useful-4", RadioButton).value = True
        app.screen.query_one("#q-realism-5", RadioButton).value = True
        app.screen.query_one("#q-improve", Input).focus()
        await type_text(pilot, "Mer tid til diskusjon")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert session.feedback_count() == 1
        assert "Svar registrert så langt: 1" in screen_text(app)
        useful = app.screen.query_one("#q-useful", RadioSet)
        assert not any(button.value for button in useful.query(RadioButton))  # cleared for the next one
        assert app.screen.answers() == {"learned": "", "improve": ""}
        assert app.screen.query_one("#q-improve", Input).value == ""
        given = [e for e in session.engine.events if e.kind == "feedback_given"]
        assert given[0].answers == (("improve", "Mer tid til diskusjon"), ("realism", "5"), ("useful", "4"))
        assert "Lag" not in str(given[0].answers)


async def test_the_exported_report_has_the_hotwash_and_the_feedback(example: LoadedScenario, db: Path,
                                                                   clock: FakeClock, tmp_path: Path) -> None:
    from docx import Document

    from krise_ovelse.tui.screens.debrief import export_report

    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(80, 30)) as pilot:
        await _to_evaluation(pilot)
        session = app.session
        assert session is not None
        assert session.note_hotwash("takeaway", "Fast drøftingsmøte første krisedag").ok
        assert session.give_feedback({"useful": "5", "learned": "Spør tidlig"}).ok
        written = export_report(session, tmp_path)
    names = sorted(path.suffix for path in written)
    assert names == [".docx", ".html", ".md", ".xlsx"]
    markdown = next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")
    assert "Fast drøftingsmøte første krisedag" in markdown and "1 svar" in markdown
    word = Document(str(next(p for p in written if p.suffix == ".docx")))
    assert any(p.text == "Hotwash (umiddelbar evaluering)" for p in word.paragraphs)
