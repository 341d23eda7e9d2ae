"""Evaluators in a national exercise on a real server: every evaluation command through the
evaluator's own stream, checked by the engine's rules; the server guarding the streams; live
following; the records reaching the control cell's coverage and the national report."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner, Result

from krise_ovelse.cli import main
from krise_ovelse.engine.commands import Decide
from krise_ovelse.engine.refusal import CommandRefused
from krise_ovelse.model.scenario import Level
from krise_ovelse.national.control import ControlCell, exercise_status
from krise_ovelse.national.evaluator import EvaluatorClient, merged_events
from krise_ovelse.national.gather import chapters, organisation_events
from krise_ovelse.national.org import OrgClient
from krise_ovelse.national.setup import load_setup, read_setup
from krise_ovelse.store.pg import PgStore

from .pg_helpers import EXAMPLE, admin_url

HOSTILE = "[b]fet[/b] \x1b[31mrød\x1b[0m <script>x</script>"


def _shown(app: Any) -> object:
    """The screen shown now (a function, so that a type checker does not keep an earlier narrowing)."""
    return app.screen


def participants(tmp_path: Path, exercise: str) -> Path:
    path = tmp_path / "deltakere.yaml"
    path.write_text(textwrap.dedent(f"""\
        exercise: {exercise}
        title: Evaluatorprøve
        organisations:
          - {{id: nav, name: Arbeids- og velferdsetaten}}
          - {{id: dsb, name: Direktoratet for samfunnssikkerhet og beredskap}}
        evaluators:
          - {{id: eva-nav, organisation: nav, lead: true}}
          - {{id: eva-nav-2, organisation: nav}}
          - {{id: eva-dsb, organisation: dsb}}
        """), encoding="utf-8")
    return path


@pytest.fixture
def creds(pg_url: str, exercise_id: str, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "tilgang.txt"
    result = CliRunner().invoke(main, ["national", "setup", str(EXAMPLE), str(participants(tmp_path, exercise_id)),
                                       "--credentials", str(out), "--db", pg_url], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return dict(line.split("\t") for line in out.read_text(encoding="utf-8").splitlines())


@pytest.fixture
def played(exercise_id: str, creds: dict[str, str]) -> Iterator[tuple[ControlCell, OrgClient]]:
    """The control cell has released i01 (decision d01 opens) and NAV has decided it."""
    control = ControlCell.open(creds["control"], exercise_id)
    nav = OrgClient(creds["org.nav"], exercise_id, "nav", listen=False)
    try:
        control.resume()
        control.advance_to(400)
        nav.sync()
        assert nav.state.decision("d01").is_open
        nav.decide("d01", "a", "Vi samler ledergruppen hver morgen", by="Direktør")
        yield control, nav
    finally:
        nav.close()
        control.close()


def test_a_lead_evaluator_is_one_per_organisation_in_the_participants_file(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("exercise: x\norganisations:\n  - {id: nav, name: NAV}\nevaluators:\n"
                    "  - {id: e1, organisation: nav, lead: true}\n  - {id: e2, organisation: nav, lead: true}\n"
                    "  - {id: e3, organisation: nav, lead: ja}\n", encoding="utf-8")
    setup, problems = read_setup(path)
    assert setup is None
    codes = [(p.line, p.code) for p in problems]
    assert (6, "E-PART-LEAD") in codes and (7, "E-PART-TYPE") in codes


def test_every_evaluation_command_is_checked_by_the_engine_and_stored_in_the_evaluators_stream(
        pg_url: str, exercise_id: str, creds: dict[str, str], played: tuple[ControlCell, OrgClient]) -> None:
    lead = EvaluatorClient(creds["eval.eva-nav"], exercise_id, "eva-nav")
    second = EvaluatorClient(creds["eval.eva-nav-2"], exercise_id, "eva-nav-2")
    try:
        # the evaluator sees the organisation's state: its decision, its reasoning
        assert lead.state.decision("d01").option_id == "a"
        lead.mark("KH-2", 1, "observed", note="Morgenmøte kl. 08", evidence="d01")
        lead.observe("Ledergruppen fordelte oppgavene tydelig", ["KH-2"], level="S", why="Fast møtepunkt")
        lead.rate_reasoning("d01", "P", "Begrunnelsen viser til de ansattes behov")
        lead.rate("KH-2", "P", "Tydelig og tidlig")
        second.rate("KH-2", "M", "Bare én beslutning")
        # bad input: refused with a code, nothing stored
        refusals: dict[str, Callable[[], object]] = {
            "unknown_criterion": lambda: lead.rate("XX-9", "P"),
            "bad_value": lambda: lead.rate("KH-2", "Q"),
            "unknown_task": lambda: lead.mark("KH-2", 99, "observed"),
            "not_decided": lambda: lead.rate_reasoning("d02", "S"),
            "unknown_decision": lambda: lead.rate_reasoning("nope", "S"),
            "not_lead": lambda: second.reconcile("KH-2", "S", "Jeg mener S"),
            "evaluator_only": lambda: lead.handle(Decide("d01", "b")),
        }
        before = lead.store.last_seq(lead.session_id), second.store.last_seq(second.session_id)
        for code, attempt in refusals.items():
            with pytest.raises(CommandRefused) as refused:
                attempt()
            assert refused.value.code == code, (code, refused.value)
        with pytest.raises(CommandRefused):
            lead.reconcile("KH-2", "S", "   ")  # a reconciliation needs a reason
        with pytest.raises(CommandRefused):
            lead.observe("Nivå uten kriterium", level="S")
        assert (lead.store.last_seq(lead.session_id), second.store.last_seq(second.session_id)) == before
        # the lead sees the other evaluator's rating (staff may read evaluator streams) and reconciles
        lead.sync()
        assert {r.by for r in lead.state.ratings} == {"eva-nav", "eva-nav-2"}
        lead.reconcile("KH-2", "S", "Enige etter samtale")
    finally:
        lead.close()
        second.close()
    with PgStore(pg_url) as store:
        stored = store.events(f"{exercise_id}_eval_eva-nav")
        assert [e["kind"] for e in stored] == ["evaluator_added", "task_marked", "observation_added",
                                               "reasoning_rated", "criterion_rated", "rating_reconciled"]
        assert [e["seq"] for e in stored] == [1, 2, 3, 4, 5, 6]
        assert stored[0]["name"] == "eva-nav" and stored[0]["lead"] is True
        assert all(e.get("by", e.get("author", "eva-nav")) == "eva-nav" for e in stored)
        assert [e["kind"] for e in store.events(f"{exercise_id}_eval_eva-nav-2")] == ["evaluator_added",
                                                                                       "criterion_rated"]
        setup = load_setup(store, exercise_id)
        # the control cell's evaluator coverage
        nav = {s.org_id: s for s in exercise_status(store, setup)}["nav"]
        assert (nav.evaluators, nav.evaluators_active, nav.observations, nav.task_marks, nav.ratings) == (
            2, 2, 1, 1, 4)
        dsb = {s.org_id: s for s in exercise_status(store, setup)}["dsb"]
        assert (dsb.evaluators, dsb.evaluators_active, dsb.ratings) == (1, 0, 0)
        # the report's data: the organisation's fold with its evaluators' records
        events = organisation_events(store, setup, "nav")
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        kinds = [e.kind for e in events]
        assert kinds.index("decision_made") < kinds.index("reasoning_rated")
        from krise_ovelse.scoring.adapter import scoring_input_from_events
        from krise_ovelse.scoring.ratings import score
        from krise_ovelse.store.lifecycle import stored_scenario

        scenario = stored_scenario(store, f"{exercise_id}_org_nav")
        record = scoring_input_from_events(scenario, events)
        assert [(m.criterion, m.task, m.by) for m in record.task_marks] == [("KH-2", 1, "eva-nav")]
        kh2 = next(r for r in score(scenario, record).ratings if r.criterion == "KH-2")
        assert kh2.final.value == "S" and kh2.status.value == "reconciled"
        assert {v.name for v in kh2.evaluators} >= {"eva-nav", "eva-nav-2"}
        chapter = {c.org_id: c for c in chapters(store, setup)}["nav"]
        assert chapter is not None


def test_the_server_refuses_an_evaluator_writing_elsewhere_and_a_team_reading_evaluators(
        exercise_id: str, creds: dict[str, str], played: tuple[ControlCell, OrgClient]) -> None:
    evaluator = EvaluatorClient(creds["eval.eva-nav"], exercise_id, "eva-nav")
    evaluator.observe("Notat", ["KH-2"])
    evaluator.close()
    insert = "INSERT INTO events (session_id, seq, kind, payload) VALUES (%s, 99, 'criterion_rated', '{}')"
    with psycopg.connect(creds["eval.eva-nav"], autocommit=True) as conn:
        for other in ("org_nav", "eval_eva-nav-2", "eval_eva-dsb", "control"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(insert, (f"{exercise_id}_{other}",))
        with pytest.raises(psycopg.Error):
            conn.execute("UPDATE events SET kind = 'x' WHERE session_id = %s", (f"{exercise_id}_eval_eva-nav",))
        # an evaluator reads the organisation it evaluates and the other evaluators' streams
        assert conn.execute("SELECT count(*) FROM events WHERE session_id = %s",
                            (f"{exercise_id}_org_nav",)).fetchone() != (0,)
    with psycopg.connect(creds["eval.eva-nav-2"], autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM events WHERE session_id = %s",
                            (f"{exercise_id}_eval_eva-nav",)).fetchone() == (2,)
    for team in ("org.nav", "org.dsb"):
        with psycopg.connect(creds[team], autocommit=True) as conn:
            assert conn.execute("SELECT count(*) FROM events WHERE session_id LIKE %s",
                                (f"{exercise_id}_eval_%",)).fetchone() == (0,)
            assert conn.execute("SELECT count(*) FROM sessions WHERE stream LIKE 'eval.%%'").fetchone() == (0,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(insert, (f"{exercise_id}_eval_eva-nav",))
    # a team's client cannot open an evaluator's stream either: it cannot even see it
    from krise_ovelse.store.errors import StoreError

    with pytest.raises(StoreError):
        EvaluatorClient(creds["org.nav"], exercise_id, "eva-nav")


def test_an_evaluator_follows_the_organisation_live_and_catches_up_after_a_lost_connection(
        exercise_id: str, creds: dict[str, str], played: tuple[ControlCell, OrgClient]) -> None:
    control, nav = played
    evaluator = EvaluatorClient(creds["eval.eva-nav"], exercise_id, "eva-nav", listen=True)
    try:
        assert evaluator.state.decision("d01").option_id == "a"
        evaluator.wait_and_sync(0.1)
        with psycopg.connect(admin_url(), autocommit=True) as admin:  # from the server's side
            admin.execute("SELECT pg_terminate_backend(%s)", (evaluator.store.backend_pid,))
            if evaluator.listener is not None and evaluator.listener.backend_pid:
                admin.execute("SELECT pg_terminate_backend(%s)", (evaluator.listener.backend_pid,))
        control.advance_to(900)
        nav.sync()
        for _ in range(6):
            evaluator.wait_and_sync(0.5)
            if evaluator.state.scenario_minutes >= 900:
                break
        assert evaluator.state.scenario_minutes == nav.state.scenario_minutes >= 900
        evaluator.observe(HOSTILE, ["KH-2"])
        assert evaluator.state.observations[-1].text == HOSTILE  # stored as typed: data, not markup
        # it folded what arrived onto its state, never from the start again, and that is the fold
        # a fresh client (and the report) makes
        assert evaluator.rebuilds == 1
        fresh = EvaluatorClient(creds["eval.eva-nav"], exercise_id, "eva-nav")
        try:
            assert list(fresh.engine.events) == list(evaluator.engine.events)
            assert fresh.state == evaluator.state
        finally:
            fresh.close()
    finally:
        evaluator.close()


def test_merged_events_keep_position_order_and_renumber_amendments() -> None:
    org, ev = "x_org_nav", "x_eval_e"
    records = [
        (1, ev, {"seq": 1, "kind": "observation_added"}),  # before the organisation started: waits
        (2, org, {"seq": 1, "kind": "session_started"}),
        (3, org, {"seq": 2, "kind": "decision_made"}),
        (4, ev, {"seq": 2, "kind": "criterion_rated"}),
        (5, org, {"seq": 3, "kind": "decision_record_amended", "record_seq": 2}),
    ]
    merged = merged_events(records, org)
    assert [(e["seq"], e["kind"]) for e in merged] == [
        (1, "session_started"), (2, "observation_added"), (3, "decision_made"), (4, "criterion_rated"),
        (5, "decision_record_amended")]
    assert merged[-1]["record_seq"] == 3


async def test_an_evaluator_works_in_the_console_on_the_shared_store(
        pg_url: str, exercise_id: str, creds: dict[str, str], played: tuple[ControlCell, OrgClient]) -> None:
    """`play --session EXERCISE_eval_ID`: the evaluator view on the organisation's live state; a
    checklist mark, a levelled observation, a reasoning rating and a rating land in the
    evaluator's stream and reach the report's data; hostile text is shown literally."""
    from textual.widgets import DataTable, Input, OptionList, Static

    from krise_ovelse.tui.app import make_app
    from krise_ovelse.tui.screens.evaluation import (
        ChecklistDialog,
        EvaluatorScreen,
        LevelledObservationDialog,
        RateDialog,
        ReasoningDialog,
    )
    from krise_ovelse.tui.screens.exercise import ExerciseScreen

    control, nav = played
    app = make_app(session=f"{exercise_id}_eval_eva-nav-2", db=creds["eval.eva-nav-2"], tick_interval=None,
                   poll_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EvaluatorScreen)
        session = app.session
        assert session is not None and session.evaluating and session.team == "Arbeids- og velferdsetaten"
        assert session.state.decision("d01").option_id == "a"  # the organisation's decision, live
        assert screen.evaluator == "eva-nav-2"
        table = screen.query_one("#ratings", DataTable)
        table.move_cursor(row=[r.criterion for r in screen.result.ratings].index("KH-2"))
        await pilot.pause()
        assert screen._current().criterion == "KH-2"

        await pilot.press("n")  # an evaluator of a national exercise is one named evaluator
        await pilot.pause()
        assert _shown(app) is screen

        await pilot.press("k")  # the checklist: the first critical task observed, with a hostile note
        await pilot.pause()
        assert isinstance(app.screen, ChecklistDialog)
        app.screen.query_one("#checklist-note", Input).value = HOSTILE
        await pilot.click("#mark-observed")
        await pilot.pause()
        assert "[Observert]" in str(app.screen.query_one("#checklist-tasks", OptionList).get_option_at_index(0).prompt)
        await pilot.click("#cancel")
        await pilot.pause()

        await pilot.press("o")  # a levelled observation: what was seen, the level (S), why
        await pilot.pause()
        assert isinstance(app.screen, LevelledObservationDialog)
        app.screen.query_one("#levelled-text", Input).value = HOSTILE
        app.screen.query_one("#levelled-why", Input).value = "Fast møtepunkt"
        await pilot.click("#ok")
        await pilot.pause()
        assert _shown(app) is screen

        await pilot.press("b")  # the reasoning behind d01
        await pilot.pause()
        assert isinstance(app.screen, ReasoningDialog)
        await pilot.press("enter", "enter")
        app.screen.query_one("#reasoning-note", Input).value = "Godt begrunnet"
        await pilot.press("enter")
        await pilot.pause()
        assert _shown(app) is screen

        await pilot.press("enter")  # the rating of KH-2: U, with a reason
        await pilot.pause()
        assert isinstance(app.screen, RateDialog)
        await pilot.press("end", "up", "enter")
        app.screen.query_one("#rate-reason", Input).value = "Bare én beslutning"
        await pilot.press("enter")
        await pilot.pause()
        assert _shown(app) is screen
        rating = screen._current()
        assert rating.criterion == "KH-2" and rating.override is not None and rating.override.by == "eva-nav-2"
        detail = screen.query_one("#eval-detail", Static)
        shown = str(detail.render())
        assert "[Observert]" in shown and "\x1b" not in shown
        # the observation and the checklist note as typed: markup, escapes and HTML as text
        assert shown.count("[b]fet[/b] \u241b[31mrød\u241b[0m <script>x</script>") == 2

        # the organisation's play goes on: the console follows it on a notification
        control.advance_to(900)
        nav.sync()
        for _ in range(20):
            app.tick_clock()
            await pilot.pause(0.05)
            if session.state.scenario_minutes >= 900:
                break
        assert session.state.scenario_minutes == nav.state.scenario_minutes

        # to the organisation's screen and back: play is watched, not steered
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert not session.toggle_pause().ok
        assert not session.decide("d01", "b").ok
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        observations = [o for o in session.state.observations if o.author == "eva-nav-2"]
        assert observations and observations[0].text == HOSTILE
    assert "krise-ovelse play --session" in app.exit_note()

    with PgStore(pg_url) as store:
        kinds = [e["kind"] for e in store.events(f"{exercise_id}_eval_eva-nav-2")]
        assert kinds == ["evaluator_added", "task_marked", "observation_added", "reasoning_rated", "criterion_rated"]
        assert [e["kind"] for e in store.events(f"{exercise_id}_org_nav")][-1] != "evaluator_added"
        setup = load_setup(store, exercise_id)
        data = {c.org_id: c.data for c in chapters(store, setup)}["nav"]
        assert [(m.criterion, m.by, m.note) for m in data.record.task_marks] == [("KH-2", "eva-nav-2", HOSTILE)]
        assert any(o.text == HOSTILE and o.level is not None for o in data.record.observations)
        assert [r.by for r in data.record.reasoning] == ["eva-nav-2"]
        kh2 = next(r for r in data.result.ratings if r.criterion == "KH-2")
        assert kh2.override is not None and kh2.override.by == "eva-nav-2" and kh2.final.value == "U"


def test_national_evaluate_records_from_the_command_line_and_refuses_bad_input(
        pg_url: str, exercise_id: str, creds: dict[str, str], played: tuple[ControlCell, OrgClient]) -> None:
    url = creds["eval.eva-nav"]

    def run(*args: str, db: str = url) -> Result:
        return CliRunner().invoke(main, ["national", "evaluate", exercise_id, "eva-nav", *args, "--db", db])

    done = run("--mark", "KH-2.1=observed", "--note", "Morgenmøte", "--observe", "Tydelig fordeling",
               "--criteria", "KH-2", "--level", "S", "--why", "Fast møtepunkt", "--reasoning", "d01=P",
               "--rate", "KH-2=S", "--reason", "Tidlig og tydelig")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.splitlines() == [  # each judgement as replay describes it
        "eva-nav: sjekkliste KH-2.1: observert (eva-nav): Morgenmøte",
        "eva-nav: observasjon (eva-nav) [KH-2] S: Tydelig fordeling (Fast møtepunkt)",
        "eva-nav: begrunnelsen for d01 «Første beskjed til ansatte» vurdert til P (eva-nav): Morgenmøte",
        "eva-nav: kriterium KH-2 vurdert til S (eva-nav): Tidlig og tydelig"]
    with PgStore(pg_url) as store:
        before = store.last_seq(f"{exercise_id}_eval_eva-nav")
    for args, needle in ((["--rate", "XX-9=P"], "refused (unknown_criterion)"),
                         (["--mark", "KH-2.1=seen"], "refused (bad_value)"),
                         (["--reasoning", "d02=S"], "refused (not_decided)"),
                         (["--reconcile", "KH-2=S"], "refused (bad_value)"),
                         (["--mark", "KH-2=observed"], "CRITERION.TASK=STATUS"),
                         (["--rate", "KH-2"], "KEY=VALUE")):
        refused = run(*args)
        assert refused.exit_code == 2, (args, refused.stdout, refused.stderr)
        assert needle in refused.stderr and "Traceback" not in refused.stderr, (args, refused.stderr)
    with PgStore(pg_url) as store:
        assert store.last_seq(f"{exercise_id}_eval_eva-nav") == before
    listed = run()
    assert listed.exit_code == 0 and "eva-nav evaluates nav" in listed.stdout and "4 record(s)" in listed.stdout
    assert "kriterium KH-2 vurdert til S" in listed.stdout and "criterion_rated" not in listed.stdout
    # a team's credentials cannot act as an evaluator: a clear message, exit 2
    team = run("--rate", "KH-2=S", db=creds["org.nav"])
    assert team.exit_code == 2 and team.stderr.startswith("error:") and "Traceback" not in team.stderr


async def test_an_evaluator_console_opened_before_the_start_waits_for_the_organisation(
        exercise_id: str, creds: dict[str, str]) -> None:
    from textual.widgets import Static

    from krise_ovelse.tui.app import make_app
    from krise_ovelse.tui.screens.evaluation import EvaluatorScreen

    app = make_app(session=f"{exercise_id}_eval_eva-nav", db=creds["eval.eva-nav"], tick_interval=None,
                   poll_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        session = app.session
        assert session is not None and not session.state.started and not session.can_rate()
        assert "ikke begynt" in str(app.screen.query_one("#eval-intro", Static).render())
        assert not session.rate("KH-2", Level.S).ok
        control = ControlCell.open(creds["control"], exercise_id)
        nav = OrgClient(creds["org.nav"], exercise_id, "nav", listen=False)
        try:
            control.resume()
            nav.sync()
            for _ in range(20):
                app.tick_clock()
                await pilot.pause(0.05)
                if session.can_rate():
                    break
            assert session.can_rate() and not session.state.evaluators
            assert "ikke begynt" not in str(app.screen.query_one("#eval-intro", Static).render())
            await pilot.press("c")  # confirm the first suggestion: the evaluator is named first
            await pilot.pause()
            assert session.state.evaluators == (("eva-nav", True),)
            assert session.state.ratings[-1].by == "eva-nav"
        finally:
            nav.close()
            control.close()


def test_the_documented_national_evaluate_commands_run(
        exercise_id: str, creds: dict[str, str], played: tuple[ControlCell, OrgClient]) -> None:
    import shlex

    doc = (Path(__file__).resolve().parents[2] / "docs" / "national-exercise.md").read_text(encoding="utf-8")
    commands: list[str] = []
    lines = iter(doc.splitlines())
    for line in lines:
        if "$ krise-ovelse national evaluate" in line:
            command = line.split("$ krise-ovelse ", 1)[1]
            while command.endswith("\\"):
                command = command[:-1] + next(lines).strip()
            commands.append(command.split(" #", 1)[0])
    assert len(commands) == 5
    outputs = []
    for command in commands:
        words = [exercise_id if w == "ovelse-digital-2026" else "eva-nav" if w == "eva-nav-1" else w
                 for w in shlex.split(command)]
        result = CliRunner().invoke(main, [*words, "--db", creds["eval.eva-nav"]])
        assert result.exit_code == 0, (command, result.stderr)
        outputs.append(result.stdout)
    assert "4 record(s) so far" in outputs[-1]


async def test_the_control_screen_shows_the_evaluators_coverage(
        exercise_id: str, creds: dict[str, str], played: tuple[ControlCell, OrgClient]) -> None:
    from textual.widgets import DataTable

    from krise_ovelse.tui.i18n import set_language
    from krise_ovelse.tui.screens.control import ControlApp, ControlScreen

    set_language("nb")  # the column headers below are the Norwegian ones
    control, _nav = played
    evaluator = EvaluatorClient(creds["eval.eva-nav"], exercise_id, "eva-nav")
    try:
        evaluator.mark("KH-2", 1, "observed")
        evaluator.observe("Tydelig fordeling", ["KH-2"], level="S", why="Fast møtepunkt")
        evaluator.rate("KH-2", "S", "")
    finally:
        evaluator.close()
    app = ControlApp(control, tick_interval=None, status_interval=None)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ControlScreen)
        table = screen.query_one("#control-orgs", DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        row = dict(zip(labels, (str(c) for c in table.get_row("nav")), strict=True))
        assert (row["Evaluatorer"], row["Obs."], row["Sjekkl."], row["Vurd."]) == ("1/2", "1", "1", "1")
        dsb = dict(zip(labels, (str(c) for c in table.get_row("dsb")), strict=True))
        assert (dsb["Evaluatorer"], dsb["Obs."], dsb["Sjekkl."], dsb["Vurd."]) == ("0/1", "0", "0", "0")
