"""The evaluator view driven as two evaluators would: name the evaluators, mark a critical task
on the checklist, record a levelled observation, rate the team's reasoning, rate the criterion
differently (the disagreement shows), and the lead reconciles with a reason. Every step lands
as an engine event, and the ratings show their review state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList

from krise_ovelse.tui.app import KriseApp
from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.screens.evaluation import (
    ChecklistDialog,
    EvaluatorDialog,
    EvaluatorScreen,
    LevelledObservationDialog,
    RateDialog,
    ReasoningDialog,
)

from .conftest import console
from .helpers import static_text, type_text
from .test_snapshots import LANGS, SIZE, _app, _into_exercise, snap_env  # noqa: F401 (a fixture)


async def _to_evaluation(pilot: Pilot[Any]) -> EvaluatorScreen:
    await _into_exercise(pilot)
    await pilot.press("d")  # decide d01 (the first option) with a rationale, then ENDEX
    await pilot.pause()
    await pilot.press("enter", "ctrl+s", "j")  # no rationale: confirmed
    await pilot.pause()
    await pilot.press("e", "y")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, EvaluatorScreen)
    return screen


async def _name(pilot: Pilot[Any], name: str) -> None:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EvaluatorDialog)
    await type_text(pilot, name)
    await pilot.press("enter")
    await pilot.pause()


def _kinds(app: KriseApp) -> list[str]:
    assert app.session is not None and app.session.engine is not None
    return [e.kind for e in app.session.engine.events]


async def test_two_evaluators_checklist_observation_disagreement_and_reconciliation(
        example: LoadedScenario, db: Path) -> None:
    app = console(example, team="Ledergruppen")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _to_evaluation(pilot)
        criterion = screen._current().criterion
        assert screen._current().status.value == "suggestion"
        table = app.screen.query_one("#ratings", DataTable)
        assert "forslag" in str(table.get_row_at(0)[5])

        await _name(pilot, "Eva")  # the first one named is the lead
        await _name(pilot, "Per")
        assert app.session is not None
        assert app.session.state.evaluators == (("Eva", True), ("Per", False))
        assert screen.evaluator == "Per"
        await _name(pilot, "  eva ")  # collides with Eva: refused with a clear message, nothing stored
        assert isinstance(app.screen, EvaluatorDialog)
        assert "ligner for mye" in static_text(app, "#dialog-error")
        await pilot.press("escape")
        await pilot.pause()

        # Per's checklist: the first critical task observed, with a note
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistDialog)
        app.screen.query_one("#checklist-note", Input).value = "<b>[red]Ringte HTV[/red]"
        await pilot.click("#mark-observed")
        await pilot.pause()
        assert "[Observert]" in str(app.screen.query_one("#checklist-tasks", OptionList).get_option_at_index(0).prompt)
        await pilot.click("#cancel")
        await pilot.pause()

        # Per's levelled observation
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, LevelledObservationDialog)
        await type_text(pilot, "Drøftet ikke")
        await pilot.press("enter", "down", "enter")  # to the levels: S is highlighted, down to M
        await type_text(pilot, "ingen drøfting")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)

        # Per rates the team's reasoning at the decision it made
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ReasoningDialog)
        await pilot.press("enter", "enter")
        await type_text(pilot, "Tynn begrunnelse")
        await pilot.press("enter")
        await pilot.pause()

        # Per rates the criterion P, Eva rates it U: they disagree
        for name, keys in (("Per", ("home",)), ("Eva", ("end", "up"))):
            await _name(pilot, name)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, RateDialog)
            await pilot.press(*keys)
            await pilot.press("enter")
            await type_text(pilot, f"grunn fra {name}")
            await pilot.press("enter")
            await pilot.pause()
        rating = screen._current()
        assert rating.criterion == criterion and rating.status.value == "disputed"
        detail = static_text(app, "#eval-detail")
        assert "Eva U" in detail and "Per P" in detail and "uenige" in detail

        # the lead reconciles: a reason is required
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RateDialog) and app.screen.reconcile
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert "samordnes" in static_text(app, "#dialog-error")
        await type_text(pilot, "Kontakt er ikke drøfting")
        await pilot.press("enter")
        await pilot.pause()
        rating = screen._current()
        assert rating.status.value == "reconciled"
        assert "samordnet" in str(app.screen.query_one("#ratings", DataTable).get_row_at(0)[5])

        kinds = _kinds(app)
        for kind in ("evaluator_added", "task_marked", "reasoning_rated", "rating_reconciled", "criterion_rated"):
            assert kind in kinds
        levelled = [e for e in app.session.engine.events if e.kind == "observation_added" and e.level is not None]
        assert levelled and levelled[0].author == "Per" and levelled[0].why == "ingen drøfting"
        marks = [e for e in app.session.engine.events if e.kind == "task_marked"]
        assert marks[0].note == "<b>[red]Ringte HTV[/red]" and marks[0].by == "Per"  # kept literally


@pytest.mark.usefixtures("snap_env")
@pytest.mark.parametrize("lang", LANGS)
def test_evaluator_view_snapshot(lang: str, example: LoadedScenario, snap_compare: Any) -> None:
    """Two evaluators who disagree on the first criterion: status column, their levels, the checklist."""
    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _to_evaluation(pilot)
        app = pilot.app
        assert isinstance(app, KriseApp) and app.session is not None
        from krise_ovelse.engine import AddEvaluator, MarkTask, RateCriterion, TaskStatus
        from krise_ovelse.model.scenario import Level

        criterion = screen._current().criterion
        for command in (AddEvaluator("Eva", lead=True), AddEvaluator("Per"),
                        MarkTask(criterion, 1, TaskStatus.OBSERVED, "Eva", note="Ringte HTV"),
                        RateCriterion(criterion, Level.P, "Tydelig", "Eva"),
                        RateCriterion(criterion, Level.M, "For sent", "Per")):
            assert app.session.handle(command).ok
        screen.evaluator = "Eva"
        screen.render_state()
        await pilot.pause()

    assert snap_compare(_app(example, lang, team="Ledergruppen"), terminal_size=SIZE, run_before=run_before)


async def test_the_detail_marks_the_catalogues_own_interpretation(example: LoadedScenario, db: Path) -> None:
    """Where the catalogue reads the report rather than quotes it, the evaluator sees so (#11)."""
    from krise_ovelse.catalogue import load_catalogue

    app = console(example, team="Ledergruppen")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _to_evaluation(pilot)
        assert screen.result is not None
        catalogue = load_catalogue()
        rows = [i for i, r in enumerate(screen.result.ratings)
                if catalogue.criterion(r.criterion).interpretation is not None]
        plain = [i for i, r in enumerate(screen.result.ratings)
                 if catalogue.criterion(r.criterion).interpretation is None]
        assert rows and plain
        table = screen.query_one("#ratings", DataTable)
        table.move_cursor(row=rows[0])
        await pilot.pause()
        reading = catalogue.criterion(screen.result.ratings[rows[0]].criterion).interpretation
        assert reading is not None
        detail = static_text(pilot.app, "#eval-detail")
        assert "Verktøyets tolkning" in detail and reading.get("nb")[:30] in " ".join(detail.split())
        table.move_cursor(row=plain[0])
        await pilot.pause()
        assert "Verktøyets tolkning" not in static_text(pilot.app, "#eval-detail")
