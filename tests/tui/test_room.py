"""Running the room: the projector mirrored to a second window, unread marks per view, the jump
preview and its reasons, ENDEX naming the open decisions, and what Ctrl+Q leaves in the terminal."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from krise_ovelse.messages import nb
from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.screens.dialogs import ConfirmDialog
from krise_ovelse.tui.screens.exercise import ExerciseScreen
from krise_ovelse.tui.screens.room import JumpDialog, PacingDialog
from krise_ovelse.tui.view import TEAM
from krise_ovelse.tui.widgets.status import StatusLine

from .conftest import FakeClock, console
from .helpers import option_texts, screen_text, start_play


def _projector(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    box = screen.query_one("#projector")
    return str(screen.query_one("#projector-text", Static).content) if box.display else ""


async def test_the_projector_shows_what_the_facilitator_puts_on_screen_in_a_second_window(
        example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)  # i01 released
        session_id = app.session.session_id  # type: ignore[union-attr]
        follower = console(session=session_id, view=TEAM, clock=clock)
        async with follower.run_test(size=(100, 30)) as team:
            await team.pause()
            assert isinstance(follower.screen, ExerciseScreen)
            assert _projector(follower) == ""
            # unread per view: the team has not read i01 yet
            assert option_texts(follower, "#feed")[0].startswith("●")
            # the facilitator puts i01 on the team's screen
            await pilot.press("p")
            await pilot.pause()
            assert app.session.state.presented == "i01"  # type: ignore[union-attr]
            assert "På skjermen: i01" in screen_text(app)
            follower.poll_store()
            await team.pause()
            shown = _projector(follower)
            assert "VANNSKADE – HOVEDKONTORET ER STENGT" in shown and "Sprinkleranlegget" in shown
            assert option_texts(follower, "#feed")[0].startswith("▣")
            assert "Første beskjed til ansatte" in screen_text(follower)  # the open decision beside it
            # the facilitator opens i02 to read it: the team's screen does not change
            await pilot.press("n")
            await pilot.pause()
            await pilot.press("enter", "escape")
            await pilot.pause()
            follower.poll_store()
            await team.pause()
            assert "VANNSKADE" in _projector(follower)
            assert option_texts(follower, "#feed")[0].startswith("●")  # i02: unread for the team
            assert not option_texts(app, "#feed")[0].startswith("●")  # read by the facilitator
            # p on the inject shown takes it off the team's screen
            app.screen.query_one("#feed").highlighted = 1  # type: ignore[attr-defined]
            await pilot.press("p")
            await pilot.pause()
            follower.poll_store()
            await team.pause()
            assert _projector(follower) == ""
            # the team window's footer says how to read an inject
            footer = str(follower.screen.query_one("KeyFooter").render())
            assert nb.MESSAGES["key.read"] in footer


async def test_the_status_line_grows_when_its_text_wraps_at_80_columns(
        example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    """At 80 columns the team name and the presented inject wrap the status line; the pacing
    line below it must stay visible (the height used to stay as it was until a relayout)."""
    app = console(example, team="Ledergruppen i DTT", clock=clock)
    async with app.run_test(size=(80, 30)) as pilot:
        await start_play(pilot)
        assert "⏱" in screen_text(app)
        status = app.screen.query_one(StatusLine)
        before = status.size.height
        await pilot.press("p")
        await pilot.pause()
        assert "På skjermen: i01" in screen_text(app)
        wrapped = status.render().wrap(app.console, status.size.width)
        assert status.size.height == len(wrapped) > before  # every line shown, the pacing line too


async def test_show_to_team_from_the_inject_dialog(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert app.session.state.presented == "i01"  # type: ignore[union-attr]
        await pilot.press("v")  # the facilitator's own team view shows it too
        await pilot.pause()
        assert "VANNSKADE" in _projector(app)


async def test_j_previews_the_jump_and_the_skip_reason_names_the_phase(example: LoadedScenario, db: Path,
                                                                       clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)  # at D+0 06:30, d01 open (deadline 12:30)
        session = app.session
        assert session is not None
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, JumpDialog)
        text = screen_text(app)
        assert "i02" in text and "i03" in text and "i04" in text  # scheduled injects passed over
        assert "d01" in text and "alternativ c" in text  # lapses to its default
        await pilot.press("n")  # no: nothing happens
        await pilot.pause()
        assert session.state.phase_id == "akutt" and session.state.inject("i02").status.value == "pending"
        await pilot.press("j", "j")
        await pilot.pause()
        assert session.state.phase_id == "uke-to"
        reason = session.state.inject("i02").skip_reason
        assert reason == "Utelatt da øvingsleder hoppet til fasen «Andre uke: hjemmekontoret blir hverdag»"
        assert session.state.decision("d01").missed


async def test_the_pacing_view_suggests_a_speed(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PacingDialog)
        text = screen_text(app)
        assert "Akuttfasen" in text and "Totalt" in text and "20:00" in text
        assert dialog.suggestion.kind == "speed"  # 0:00 spent, 1:05 of plan played: slow down
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.state.speed == dialog.suggestion.speed  # type: ignore[union-attr]


async def test_endex_names_the_open_decisions(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)  # d01 open
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        assert "Åpne beslutninger som ikke er tatt (1)" in text
        assert "d01 Første beskjed til ansatte (frist D+0 12:30)" in text
        assert "standardvalget brukes ikke" in text


async def test_quitting_leaves_the_session_id_and_the_resume_command(example: LoadedScenario, db: Path,
                                                                      clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        session_id = app.session.session_id  # type: ignore[union-attr]
        await pilot.press("ctrl+q", "j")
        await pilot.pause()
    assert app.exit_note() == (f"Økta {session_id} er lagret og står på pause.\n"
                               f"Fortsett med: krise-ovelse play --session {session_id}")
