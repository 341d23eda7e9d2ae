"""The console after a new user's walk through it: the evaluation after the scenario's own end,
the stored summary, consequences and phase summaries, jumps while paused, confirmations, the
team view's keys, the confirm dialogs' keys, the briefing form, the empty feed, 80x24, revising
a missed decision, a session open elsewhere, the evidence count and the start time."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, DataTable, OptionList, Select, TextArea

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.messages import en, nb
from krise_ovelse.model.scenario import Level
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.session_rows import this_host
from krise_ovelse.tui.app import KriseApp, make_app
from krise_ovelse.tui.i18n import set_language
from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.screens.briefing import BriefingScreen
from krise_ovelse.tui.screens.debrief import DebriefScreen
from krise_ovelse.tui.screens.decision import DecisionDialog
from krise_ovelse.tui.screens.dialogs import AdHocDialog, ConfirmDialog, PickDialog, endex_question
from krise_ovelse.tui.screens.evaluation import EvaluatorScreen, RateDialog
from krise_ovelse.tui.screens.exercise import ExerciseScreen
from krise_ovelse.tui.screens.help import section_text
from krise_ovelse.tui.screens.start import StartScreen
from krise_ovelse.tui.text import duration
from krise_ovelse.tui.view import FACILITATOR, TEAM, Unplayed, UpcomingItem
from krise_ovelse.tui.widgets.footer import KeyFooter
from krise_ovelse.tui.widgets.lists import upcoming_prompt

from .conftest import EXAMPLE, FakeClock, console
from .helpers import option_texts, record_notifications, screen_text, start_play, static_text, type_text


async def play_decide_and_observe(pilot: Pilot[Any], observation: str) -> None:
    """Into play, d01 decided with its first option, and an observation tied to KH-2."""
    await start_play(pilot)
    await pilot.press("d")
    await pilot.pause()
    await pilot.press("enter", "ctrl+s", "j")
    await pilot.pause()
    await pilot.press("o")
    await pilot.pause()
    await type_text(pilot, observation)
    await pilot.press("enter", "space", "ctrl+s")  # the first criterion, KH-2


def footer_keys(app: KriseApp) -> set[str]:
    """The actions the footer shows on the current screen."""
    return {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}


# --- 2: evaluation after the scenario's own end; `e` before it declares ENDEX --------------------


async def test_the_evaluator_rates_after_the_scenario_ran_to_its_end(example: LoadedScenario, db: Path,
                                                                     clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        session = app.session
        assert session is not None
        for _ in range(40):  # n to the end: automatic ENDEX at D+14
            if session.ended:
                break
            await pilot.press("n")
        await pilot.pause()
        assert session.ended and session.state.scenario_minutes == 14 * 1440
        assert isinstance(app.screen, ExerciseScreen)
        assert "evaluate" in footer_keys(app) and "endex" not in footer_keys(app)
        footer = app.screen.query_one(KeyFooter)
        shown = {entry.action for entry in footer.entries}  # the footer shows the keys after ENDEX
        assert "evaluate" in shown and "toggle_pause" not in shown
        await pilot.press("e")  # no question: the exercise has ended
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        assert "avsluttet" not in screen_text(app)
        first = app.screen.result.ratings[0]
        await pilot.press("c")
        await pilot.pause()
        assert session.state.current_ratings()[first.criterion].level is first.suggested
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RateDialog)
        await pilot.press("up")
        await pilot.press("enter")
        await type_text(pilot, "Ble tatt opp i debriefen")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        assert len(session.state.current_ratings()) == 2


async def test_e_before_the_end_asks_then_declares_endex(example: LoadedScenario, db: Path,
                                                         clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        assert "endex" in footer_keys(app) and "evaluate" not in footer_keys(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Så kommer evalueringen" in screen_text(app)
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        assert app.session is not None and app.session.ended and app.session.can_rate()


# --- 6 and 23: the stored summary and index, the start time from the app's wall clock ------------


async def test_endex_in_the_console_stores_the_summary_and_index(example: LoadedScenario, db: Path,
                                                                 clock: FakeClock) -> None:
    wall = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC)
    app = make_app(example, team="Lag", clock=clock, wall=lambda: wall, tick_interval=None, poll_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter", "ctrl+s", "j")
        await pilot.pause()
        session = app.session
        assert session is not None and session.session_id is not None
        session_id = session.session_id
        with SessionStore.for_reading(db) as store:
            assert store.get(session_id).started == "2025-03-03T09:30:00+00:00"
            assert store.get(session_id).score_index is None
        await pilot.press("e", "j")
        await pilot.pause()
        with SessionStore.for_reading(db) as store:  # at ENDEX, while the console is still open
            index = store.get(session_id).score_index
            assert index is not None
            assert (store.summary(session_id) or {}).get("facts", {}).get("ended") is True
        await pilot.press("c")  # a rating after ENDEX refreshes the stored summary
        await pilot.pause()
    with SessionStore.for_reading(db) as store:
        info = store.get(session_id)
        assert info.status == "ended" and info.score_index is not None
        assert "scoring" in (store.summary(session_id) or {})


# --- 8: consequences and phase summaries ----------------------------------------------------------

STORY = (EXAMPLE.read_text(encoding="utf-8")
         .replace('''        effects: { information_uncertainty: -30, key_person_load: 6 }
        evidence: { KH-2: P, DA-4: S }''', '''        effects: { information_uncertainty: -30, key_person_load: 6 }
        evidence: { KH-2: P, DA-4: S }
        consequence: "[b]SMS-en går ut 06:52.[/] Kundesenteret får færre spørsmål."''')
         .replace('''    starts: D+10
    compression: 720''', '''    starts: D+10
    compression: 720
    summary: "Det har gått ti dager. [i]Hjemmekontoret[/] er blitt hverdag."'''))


def story() -> LoadedScenario:
    result = load_scenario_text(STORY, "story.yaml")
    assert result.scenario is not None, [p.render() for p in result.problems]
    return LoadedScenario(result.scenario, STORY, "story.yaml")


async def test_consequence_and_phase_summary_are_shown_in_both_views(db: Path, clock: FakeClock) -> None:
    app = console(story(), team="Lag", clock=clock)
    notified = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter", "ctrl+s", "j")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        consequence = "[b]SMS-en går ut 06:52.[/] Kundesenteret får færre spørsmål."
        assert any(consequence in o for o in option_texts(app, "#log"))  # literally, not as markup
        assert any(consequence in message for message in notified)
        await pilot.press("j", "j")  # over the jump to week two, where the summary shows in the feed
        await pilot.pause()
        summary = "Det har gått ti dager. [i]Hjemmekontoret[/] er blitt hverdag."
        feed = option_texts(app, "#feed")
        assert summary in feed[0] and "Andre uke" in feed[0]
        await pilot.press("v")
        await pilot.pause()
        assert app.screen.view == TEAM
        assert summary in option_texts(app, "#feed")[0]
        assert any(consequence in o for o in option_texts(app, "#log"))
        app.screen.query_one("#feed").focus()
        await pilot.press("home", "enter")  # the phase in full
        await pilot.pause()
        assert summary in screen_text(app) and "Ny fase" in screen_text(app)


# --- 9: n and j while paused ----------------------------------------------------------------------


async def test_n_and_j_jump_while_paused_and_the_clock_stays_paused(example: LoadedScenario, db: Path,
                                                                    clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        session = app.session
        assert session is not None
        await pilot.press("space")
        assert not session.state.running
        seconds = session.state.exercise_seconds
        minute = session.state.scenario_minutes
        await pilot.press("n")
        await pilot.pause()
        assert session.state.scenario_minutes > minute and not session.state.running
        await pilot.press("j", "j")
        await pilot.pause()
        assert session.state.phase_id == "uke-to" and not session.state.running
        assert session.state.exercise_seconds == seconds  # no play time passed
        clock.advance(30)
        app.tick_clock()
        assert session.state.exercise_seconds == seconds


# --- 12: a confirmation reads "Bekreftet"; no English words in the nb console ---------------------


async def test_a_confirmed_rating_reads_confirmed(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await play_decide_and_observe(pilot, "Godt samarbeid")
        await pilot.pause()
        await pilot.press("e", "y")
        await pilot.pause()
        await pilot.press("c")  # KH-2: confirm the suggestion
        await pilot.pause()
        text = screen_text(app)
        assert "Bekreftet (evaluator)" in text and "Overstyrt" not in text
        rating = app.session.state.current_ratings()["KH-2"]  # type: ignore[union-attr]
        assert rating.by == "evaluator" and rating.reason == ""
        [observation] = app.session.state.observations  # type: ignore[union-attr]
        assert observation.author == "øvingsleder"
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "Bekreftet (evaluator)" in text and "Overstyrt" not in text and "facilitator" not in text


async def test_an_override_reads_overridden(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter", "ctrl+s", "j")
        await pilot.pause()
        await pilot.press("e", "y")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "enter")
        await type_text(pilot, "Kom sent")
        await pilot.press("enter")
        await pilot.pause()
        assert "Overstyrt (evaluator) til S: Kom sent" in screen_text(app)


def test_the_bokmal_catalogue_has_no_english_role_words() -> None:
    for key, text in nb.MESSAGES.items():
        assert "facilitator" not in text.lower(), key


# --- 13: the team view on the facilitator's screen ------------------------------------------------


async def test_the_team_view_turns_the_steering_keys_off(example: LoadedScenario, db: Path,
                                                         clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        steering = {"toggle_pause", "next_inject", "release", "observe", "endex"}
        assert steering <= footer_keys(app)
        await pilot.press("v")
        await pilot.pause()
        assert app.screen.view == TEAM  # type: ignore[attr-defined]
        assert not steering & footer_keys(app)
        assert {"decide", "toggle_view"} <= footer_keys(app)
        session = app.session
        assert session is not None
        seq = session.state.seq
        await pilot.press("space", "o", "s", "a", "r", "j", "n", "plus", "e")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen) and session.state.seq == seq
        await pilot.press("v")
        await pilot.pause()
        assert app.screen.view == FACILITATOR
        assert steering <= footer_keys(app)


# --- 14: the confirm dialogs show their keys ------------------------------------------------------


async def test_confirm_dialogs_show_their_keys(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "j = ja" in static_text(app, "#confirm-keys") and "Esc = nei" in static_text(app, "#confirm-keys")
        assert "(j)" in str(app.screen.query_one("#yes", Button).label)
        await pilot.press("enter")  # Enter presses the marked button: No
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)


# --- 15: the briefing form ------------------------------------------------------------------------


async def test_briefing_tab_role_reset_remove_and_translated_menu(example: LoadedScenario, db: Path,
                                                                  clock: FakeClock) -> None:
    app = console(example, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert "focus_team" in footer_keys(app)  # the footer says where Tab goes
        await pilot.press("tab")
        assert app.screen.focused is app.screen.query_one("#team-name")
        await type_text(pilot, "Ledergruppen")
        await pilot.press("tab")
        assert app.screen.focused is app.screen.query_one("#participant-name")
        role: Select[str] = app.screen.query_one("#participant-role", Select)
        role.value = "hr"
        await type_text(pilot, "Kari")
        await pilot.press("enter")
        await pilot.pause()
        assert role.is_blank()  # the next participant's role is chosen afresh
        await type_text(pilot, "Ola")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert [p.name for p in screen.participants] == ["Kari", "Ola"]
        assert [p.role for p in screen.participants] == ["hr", ""]
        listing = screen.query_one("#participants", OptionList)
        listing.focus()
        listing.highlighted = 1
        await pilot.press("delete")
        await pilot.pause()
        assert [p.name for p in screen.participants] == ["Kari"]
        assert "Delete" in screen_text(app)
        # a Select's menu: its footer key in Norwegian
        role.focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        shown = str(app.screen.query_one(KeyFooter).render())
        assert "Dismiss menu" not in shown and "Lukk listen" in shown
        await pilot.press("escape")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        state = app.session.state  # type: ignore[union-attr]
        assert state.session is not None and [p.name for p in state.session.participants] == ["Kari"]


# --- 16: the dreiebok's when column ---------------------------------------------------------------


def test_the_dreiebok_keeps_its_columns_apart_in_english() -> None:
    set_language("en")
    row = upcoming_prompt(UpcomingItem("i05", None, "conditional", "Title", "", None))
    assert row.plain.startswith("conditional i05")
    row = upcoming_prompt(UpcomingItem("i09", 540 * 1440 + 480, "scheduled", "Title", "", None))
    assert row.plain.startswith("D+540 08:00 i09")


# --- 17: the empty feed fits the state ------------------------------------------------------------


async def test_the_empty_feed_text_fits_the_state(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert option_texts(app, "#feed") == [nb.MESSAGES["feed.empty"]]
        await pilot.press("space")
        await pilot.pause()
        assert option_texts(app, "#feed") == [nb.MESSAGES["feed.empty_running"]]
        clock.advance(1)
        app.tick_clock()
        await pilot.press("space")
        await pilot.pause()
        assert option_texts(app, "#feed") == [nb.MESSAGES["feed.empty_paused"]]


# --- 3 and 18: 80x24 ------------------------------------------------------------------------------


async def test_the_adhoc_dialog_is_whole_at_80x24_and_100x30(example: LoadedScenario, db: Path,
                                                            clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        for width, height in ((100, 30), (80, 24)):
            await pilot.resize_terminal(width, height)
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, AdHocDialog)
            for selector in ("#adhoc-title", "#adhoc-sender", "#adhoc-channel", "#adhoc-body", "#ok", "#cancel"):
                region = app.screen.query_one(selector).region
                assert region.height > 0 and region.bottom <= height, (selector, width, height)
            await pilot.press("escape")
            await pilot.pause()
        # written blind no more: the text field is where Tab goes from the sender
        await pilot.press("a")
        await type_text(pilot, "Pressen ringer")
        await pilot.press("tab")
        await type_text(pilot, "VG")
        await pilot.press("tab", "tab")
        assert isinstance(app.screen.focused, TextArea)
        await type_text(pilot, "Hva skjer med søkerne?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        [adhoc] = app.session.state.adhoc_injects()  # type: ignore[union-attr]
        assert (adhoc.title, adhoc.sender, adhoc.body) == ("Pressen ringer", "VG", "Hva skjer med søkerne?")
        assert adhoc.by == "øvingsleder"


async def test_the_decision_dialog_opens_at_its_top_at_80x24(example: LoadedScenario, db: Path,
                                                            clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_play(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DecisionDialog)
        assert app.screen.query_one("#decision-scroll").scroll_y == 0
        for selector in ("#decision-prompt", "#decision-deadline"):
            region = app.screen.query_one(selector).region
            assert region.height > 0 and region.bottom <= 24, selector
        assert isinstance(app.screen.focused, OptionList)


async def test_the_start_screen_shows_every_column_at_80(db: Path, clock: FakeClock) -> None:
    with SessionStore(db) as store:
        store.create_session(scenario_text=EXAMPLE.read_text(encoding="utf-8"), scenario_id="kort-eksempel",
                             title="Vannskaden – to uker uten hovedkontor", team="Ledergruppen i DTT",
                             started="2024-11-04T08:00:00+00:00", claim=False, status="paused")
    app = console(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        for table_id in ("#scenarios", "#sessions"):
            table = app.screen.query_one(table_id)
            right = max(c.get_render_width(table) for c in table.columns.values())  # type: ignore[attr-defined]
            total = sum(c.get_render_width(table) for c in table.columns.values())  # type: ignore[attr-defined]
            assert right > 0 and total <= 80 - 2, table_id
        assert "(eksempel)" in screen_text(app)


# --- 19: revising a missed decision ---------------------------------------------------------------


async def test_revising_a_missed_decision_shows_what_is_in_force(example: LoadedScenario, db: Path,
                                                                 clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_play(pilot)
        session = app.session
        assert session is not None
        while not session.state.decision("d01").missed:
            await pilot.press("n")
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("enter")  # the only decision to revise
        await pilot.pause()
        assert isinstance(app.screen, DecisionDialog)
        line = static_text(app, "#decision-deadline")
        assert "Fristen gikk ut D+0 12:30" in line and "alternativ c ble brukt" in line
        assert "igjen" not in line


# --- 20: a session open in another console --------------------------------------------------------


async def test_a_session_open_elsewhere_is_refused_in_norwegian(example: LoadedScenario, db: Path,
                                                                clock: FakeClock) -> None:
    with SessionStore(db) as store:
        info = store.create_session(scenario_text=EXAMPLE.read_text(encoding="utf-8"),
                                    scenario_id="kort-eksempel", team="Lag", claim=False, status="paused")
    with sqlite3.connect(db) as conn:  # as if another live process on this machine had claimed it
        conn.execute("UPDATE sessions SET status = 'running', owner = ? WHERE id = ?",
                     (f"{this_host()}:{os.getppid()}", info.id))
    app = console(session=info.id, clock=clock)
    messages = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any("allerede åpen i en annen konsoll" in m for m in messages), messages
        assert not any("error:" in m for m in messages)
        assert isinstance(app.screen, StartScreen)


# --- 23: the evidence count -----------------------------------------------------------------------


async def test_the_evidence_count_includes_observations(example: LoadedScenario, db: Path,
                                                        clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await play_decide_and_observe(pilot, "Tydelig beskjed")
        await pilot.pause()
        await pilot.press("e", "y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EvaluatorScreen)
        rating = screen.result.rating("KH-2")
        assert len(rating.evidence) == 2 and len(rating.counted) == 1
        table = screen.query_one("#ratings")
        row = table.get_row("KH-2")  # type: ignore[attr-defined]
        assert str(row[4]) == "2"
        assert rating.final is Level.P


# --- the ENDEX question says what is still unplayed ---------------------------------------------


async def test_endex_question_says_how_much_is_unplayed(example: LoadedScenario, db: Path,
                                                        clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_play(pilot)  # at i01, which opened d01: d02 and d03 are still closed
        session = app.session
        assert session is not None
        unplayed = session.unplayed()
        assert unplayed.end_minutes == 14 * 1440
        assert unplayed.minutes_left == 14 * 1440 - session.state.scenario_minutes > 0
        assert (unplayed.decisions_unopened, unplayed.decisions_total) == (2, 3)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        left = duration(unplayed.minutes_left)
        assert f"Scenarioet går til D+14 ({left} igjen); 2 av 3 beslutningspunkter er ikke åpnet ennå." in text
        assert "Avslutter du nå, vurderes bare det som er spilt." in text
        assert "Erklære ENDEX?" in text
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen) and not session.ended


def test_endex_question_without_unopened_decisions_or_time_left() -> None:
    set_language("en")
    words = endex_question(Unplayed(end_minutes=14 * 1440 + 720, minutes_left=1500, decisions_unopened=0,
                                    decisions_total=3))
    assert words.startswith("The scenario runs to D+14 12:00 (1 d 1 h left). If you end now")
    assert "decision points" not in words and words.endswith(en.MESSAGES["endex.question"])
    assert endex_question(Unplayed(14 * 1440, 0, 0, 3)) == en.MESSAGES["endex.question"]  # at the end


# --- the team view's footer shows `b` ------------------------------------------------------------


async def test_the_team_views_footer_shows_b_and_b_revises_in_both_views(example: LoadedScenario, db: Path,
                                                                        clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_play(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter", "ctrl+s", "j")  # decide d01, so that there is something to revise
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)

        def shown_keys() -> set[str]:
            footer = app.screen.query_one(KeyFooter)
            return {entry.key for entry in footer.entries}

        assert "b" not in shown_keys()  # not in the facilitator's footer; `b` is in the help
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        await pilot.press("escape")
        await pilot.press("v")
        await pilot.pause()
        assert app.screen.view == TEAM
        assert {"d", "b", "v"} <= shown_keys()
        footer = app.screen.query_one(KeyFooter)
        assert all(len(line) <= 80 for line in str(footer.render()).splitlines())  # every key on screen
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DecisionDialog) and app.screen.revise


def test_help_lists_b_once() -> None:
    lines = [line for line in section_text(ExerciseScreen).plain.splitlines() if line.strip().startswith("b ")]
    assert lines == ["  b             " + nb.MESSAGES["key.revise"]]


# --- the evaluation table fits 80 columns ----------------------------------------------------------


async def test_the_evaluation_table_fits_80_columns(example: LoadedScenario, db: Path, clock: FakeClock) -> None:
    for size in ((80, 24), (100, 30)):
        app = console(example, team="Lag", clock=clock)
        async with app.run_test(size=size) as pilot:
            await start_play(pilot)
            await pilot.press("e", "j")
            await pilot.pause()
            assert isinstance(app.screen, EvaluatorScreen)
            await pilot.press("c")  # confirm the first
            await pilot.pause()
            await pilot.press("down", "enter")  # override the second, with a long reason
            await pilot.pause()
            await pilot.press("up", "enter")
            await type_text(pilot, "Ble tatt opp i debriefen, og dette er en lang begrunnelse")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, EvaluatorScreen)
            table = app.screen.query_one("#ratings", DataTable)
            assert table.virtual_size.width <= table.size.width, size  # no horizontal scrolling
            assert table.scrollable_content_region.width >= table.virtual_size.width
            first, second = (table.get_row_at(row) for row in (0, 1))
            assert str(first[-1]) == "Bekreftet"
            assert str(second[-1]).startswith("Ble tatt opp")
            labels = [str(column.label) for column in table.columns.values()]
            assert labels[-1] == "Evaluator"
            if size == (100, 30):
                assert labels[:2] == ["Kriterium", "Navn"]  # the full headers where there is room
