"""A national exercise on a real server: setup, roles, control cell, organisations, faults."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from krise_ovelse.cli import main
from krise_ovelse.national.control import ControlCell
from krise_ovelse.national.evaluator import EvaluatorClient
from krise_ovelse.national.org import OrgClient
from krise_ovelse.national.setup import read_setup
from krise_ovelse.store.errors import StoreError
from krise_ovelse.store.lifecycle import open_checked
from krise_ovelse.store.pg import PgStore

from .pg_helpers import EXAMPLE, admin_url


def participants(tmp_path: Path, exercise: str) -> Path:
    path = tmp_path / "deltakere.yaml"
    path.write_text(textwrap.dedent(f"""\
        exercise: {exercise}
        title: Øvelse Digital prøve
        organisations:
          - {{id: nav, name: Arbeids- og velferdsetaten}}
          - {{id: dsb, name: Direktoratet for samfunnssikkerhet og beredskap}}
        evaluators:
          - {{id: eva-nav, organisation: nav}}
        """), encoding="utf-8")
    return path


@pytest.fixture
def creds(pg_url: str, exercise_id: str, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "tilgang.txt"
    result = CliRunner().invoke(main, ["national", "setup", str(EXAMPLE), str(participants(tmp_path, exercise_id)),
                                       "--credentials", str(out), "--db", pg_url], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    return dict(line.split("\t") for line in out.read_text(encoding="utf-8").splitlines())


def test_a_participants_file_with_problems_is_refused_with_positions(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("exercise: Bad Id!\norganisations:\n  - {id: nav, name: NAV}\nevaluators:\n"
                    "  - {id: e1, organisation: dsb}\n", encoding="utf-8")
    setup, problems = read_setup(path)
    assert setup is None
    rendered = [p.render() for p in problems]
    assert rendered[0].startswith(f"{path}:1:11: E-PART-ID")
    assert any(":5:" in r and "E-PART-REF" in r for r in rendered)


def test_organisations_follow_the_control_cell_and_the_server_guards_the_streams(
        pg_url: str, exercise_id: str, creds: dict[str, str]) -> None:
    control = ControlCell.open(creds["control"], exercise_id)
    nav = OrgClient(creds["org.nav"], exercise_id, "nav")
    dsb = OrgClient(creds["org.dsb"], exercise_id, "dsb")
    try:
        control.resume()
        control.release("i01", ["nav"])  # only NAV gets it
        control.advance_to(120)
        assert nav.sync() == 4 and dsb.sync() == 4
        assert nav.state.inject("i01").released_at is not None
        assert dsb.state.inject("i01").released_at is None
        assert nav.state.scenario_minutes == dsb.state.scenario_minutes == 120
        # a second control cell is refused while this one holds the lease
        with pytest.raises(StoreError, match="another control cell"):
            ControlCell.open(creds["control"], exercise_id)
        # NAV's role cannot write DSB's stream: the database refuses, not the client
        with psycopg.connect(creds["org.nav"], autocommit=True) as conn, pytest.raises(
                psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO events (session_id, seq, kind, payload) VALUES (%s, %s, 'x', '{}')",
                         (f"{exercise_id}_org_dsb", dsb.store.last_seq(f"{exercise_id}_org_dsb") + 1))
        # nor the control stream, nor rewrite its own events
        with psycopg.connect(creds["org.nav"], autocommit=True) as conn, pytest.raises(psycopg.Error):
            conn.execute("UPDATE events SET kind = 'x' WHERE session_id = %s", (f"{exercise_id}_org_nav",))
        # an evaluator writes its own stream; teams cannot read it, the control cell can
        evaluator = EvaluatorClient(creds["eval.eva-nav"], exercise_id, "eva-nav")
        evaluator.observe("Ledergruppen fordelte oppgavene tydelig", ["KH-2"])
        evaluator.close()
        with psycopg.connect(creds["org.nav"], autocommit=True) as conn:
            assert conn.execute("SELECT count(*) FROM events WHERE session_id = %s",
                                (f"{exercise_id}_eval_eva-nav",)).fetchone() == (0,)
        with psycopg.connect(creds["control"], autocommit=True) as conn:  # evaluator_added, observation_added
            assert conn.execute("SELECT count(*) FROM events WHERE session_id = %s",
                                (f"{exercise_id}_eval_eva-nav",)).fetchone() == (2,)
        status = {s.org_id: s for s in control.status()}
        assert status["nav"].connected and status["nav"].behind == 0 and status["nav"].evaluators == 1
        assert status["nav"].observations == 1
        # NAV decides; its stream is an ordinary session that replays and folds
        opened = nav.state.open_decisions()
        if opened:
            decision = opened[0].decision_id
            option = nav.engine.scenario.decision(decision).options[0].id
            nav.decide(decision, option, "Vi prioriterer de sårbare")
        control.endex("Slutt")
        nav.sync()
        dsb.sync()
        assert nav.state.ended and dsb.state.ended
    finally:
        nav.close()
        dsb.close()
        control.close()
    with PgStore(pg_url) as store:
        checked = open_checked(store, f"{exercise_id}_org_nav")
        assert checked.state.ended and checked.info.status == "ended"


def test_an_organisation_whose_connection_is_killed_reconnects_and_catches_up(
        pg_url: str, exercise_id: str, creds: dict[str, str]) -> None:
    control = ControlCell.open(creds["control"], exercise_id)
    nav = OrgClient(creds["org.nav"], exercise_id, "nav")
    try:
        control.resume()
        nav.wait_and_sync(0.1)
        listener_pid = nav.listener.backend_pid if nav.listener else None
        with psycopg.connect(admin_url(), autocommit=True) as admin:  # from the server's side
            admin.execute("SELECT pg_terminate_backend(%s)", (nav.store.backend_pid,))
            if listener_pid:
                admin.execute("SELECT pg_terminate_backend(%s)", (listener_pid,))
        control.release("i01")
        control.advance_to(60)
        for _ in range(5):  # the listener notices the lost connection, reconnects, reads what it missed
            nav.wait_and_sync(0.5)
        assert nav.state.inject("i01").released_at is not None and nav.state.scenario_minutes == 60
        assert nav.listener is not None and nav.listener.reconnects >= 2
    finally:
        nav.close()
        control.close()


CONTROL_SCRIPT = """
import sys, time
from krise_ovelse.national.control import ControlCell
cell = ControlCell.open(sys.argv[1], sys.argv[2])
cell.resume()
cell.release("i01")
print("ready", flush=True)
time.sleep(600)
"""


def test_a_killed_control_cell_is_taken_over_and_nothing_is_lost(
        pg_url: str, exercise_id: str, creds: dict[str, str]) -> None:
    proc = subprocess.Popen([sys.executable, "-c", CONTROL_SCRIPT, creds["control"], exercise_id],
                            stdout=subprocess.PIPE, text=True, env={**os.environ})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="another control cell"):
            ControlCell.open(creds["control"], exercise_id)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    for _ in range(50):  # the server notices the dead connection and frees the lease
        try:
            cell = ControlCell.open(creds["control"], exercise_id)
            break
        except StoreError:
            time.sleep(0.2)
    else:
        raise AssertionError("the lease was never freed")
    try:
        assert cell.state.running and cell.state.seq == 3  # opened, resumed, release: all kept
        cell.advance_to(30)
    finally:
        cell.close()
    nav = OrgClient(creds["org.nav"], exercise_id, "nav", listen=False)
    try:
        nav.sync()
        assert nav.state.inject("i01").released_at is not None and nav.state.scenario_minutes == 30
    finally:
        nav.close()


def test_national_commands_refuse_a_file_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["national", "status", "x", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2 and "not a PostgreSQL URL" in result.stderr


def test_play_goes_on_after_the_server_restarts(pg_url: str, exercise_id: str, creds: dict[str, str]) -> None:
    restart = os.environ.get("KRISE_OVELSE_TEST_PG_RESTART", "").strip()
    if not restart:
        pytest.skip("set KRISE_OVELSE_TEST_PG_RESTART to a command that restarts the test server "
                    "(CI: pg_ctlcluster 15 main restart)")
    control = ControlCell.open(creds["control"], exercise_id)
    nav = OrgClient(creds["org.nav"], exercise_id, "nav")
    try:
        control.resume()
        control.release("i01")
        nav.sync()
        subprocess.run(restart, shell=True, check=True, timeout=120)
        for _ in range(60):  # a write after a lost connection fails once, then reconnects
            try:
                control.advance_to(45)
                break
            except StoreError:
                time.sleep(0.5)
        for _ in range(20):
            try:
                nav.wait_and_sync(0.5)
            except StoreError:
                continue
            if nav.state.scenario_minutes == 45:
                break
        assert nav.state.scenario_minutes == 45 and nav.state.inject("i01").released_at is not None
    finally:
        for client in (nav, control):
            with contextlib.suppress(StoreError):
                client.close()


def test_an_offline_organisation_imports_its_session_and_a_conflict_is_refused(
        pg_url: str, exercise_id: str, creds: dict[str, str], tmp_path: Path) -> None:
    from krise_ovelse.engine import commands as c
    from krise_ovelse.store.db import SessionStore
    from krise_ovelse.store.exchange import export_to_path
    from krise_ovelse.store.lifecycle import close_session, start_session
    from krise_ovelse.tui.loaded import load_for_console

    loaded, _problems = load_for_console(EXAMPLE)
    assert loaded is not None
    with SessionStore(tmp_path / "offline.db") as local:  # DSB plays on its own laptop
        live = start_session(local, loaded.scenario, loaded.text, team="DSB")
        live.engine.handle(c.Resume())
        live.engine.handle(c.AdvanceToNext())
        close_session(local, live.session_id, live.engine)
        export_to_path(local, live.session_id, tmp_path / "dsb.jsonl")
    unsigned = CliRunner().invoke(main, ["national", "import", exercise_id, "dsb", str(tmp_path / "dsb.jsonl"),
                                         "--db", pg_url, "--verify"], catch_exceptions=False)
    assert unsigned.exit_code != 0 and "not signed" in unsigned.stderr
    with PgStore(pg_url) as store:
        assert store.get(f"{exercise_id}_org_dsb").last_seq == 0  # nothing imported
    run = CliRunner().invoke(main, ["national", "import", exercise_id, "dsb", str(tmp_path / "dsb.jsonl"),
                                    "--db", pg_url], catch_exceptions=False)
    assert run.exit_code == 0, run.stderr
    with PgStore(pg_url) as store:
        assert open_checked(store, f"{exercise_id}_org_dsb").state.seq == len(live.engine.events)
    again = CliRunner().invoke(main, ["national", "import", exercise_id, "dsb", str(tmp_path / "dsb.jsonl"),
                                      "--db", pg_url], catch_exceptions=False)
    assert again.exit_code == 1 and "not mixed into it" in again.stderr


async def test_the_control_screen_shows_every_organisation_and_acts_for_everyone(
        pg_url: str, exercise_id: str, creds: dict[str, str]) -> None:
    from textual.widgets import DataTable

    from krise_ovelse.tui.screens.control import ControlApp, ControlScreen

    cell = ControlCell.open(creds["control"], exercise_id)
    nav = OrgClient(creds["org.nav"], exercise_id, "nav", listen=False)
    app = ControlApp(cell, tick_interval=None, status_interval=None)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ControlScreen)
            table = screen.query_one("#control-orgs", DataTable)
            assert table.row_count == 2
            await pilot.press("space")  # the clock runs for everyone
            assert cell.state.running
            await pilot.press("r")
            for key in "i01 nav":
                await pilot.press("space" if key == " " else key)
            await pilot.press("enter")
            await pilot.press("plus")
            assert cell.state.speed == 2.0
            nav.sync()
            screen.refresh_status()
            await pilot.pause()
            row = [str(c) for c in table.get_row("nav")]
            assert row[1] == "ja" and row[2] == "0"  # connected, nothing behind
            assert nav.state.inject("i01").released_at is not None
            await pilot.press("e")
            assert not cell.state.ended  # ENDEX asks again
            await pilot.press("e")
            assert cell.state.ended
        with PgStore(pg_url) as store:
            kinds = [e["kind"] for e in store.events(f"{exercise_id}_control")]
            assert kinds == ["exercise_opened", "resumed", "release", "speed", "endex"]
            release = store.events(f"{exercise_id}_control")[2]
            assert release["to"] == ["nav"]
    finally:
        nav.close()
        cell.close()


def test_control_commands_on_the_command_line(pg_url: str, exercise_id: str, creds: dict[str, str]) -> None:
    import json

    url = creds["control"]
    run = CliRunner().invoke(main, ["national", "control", exercise_id, "--resume", "--release", "i01", "--to", "dsb",
                                    "--advance-to", "90", "--db", url], catch_exceptions=False)
    assert run.exit_code == 0, run.stderr
    assert "minute 90, running" in run.stdout
    bad = CliRunner().invoke(main, ["national", "control", exercise_id, "--release", "nope", "--db", url])
    assert bad.exit_code == 2 and "no inject 'nope'" in bad.stderr
    unknown_org = CliRunner().invoke(main, ["national", "control", exercise_id, "--release", "i01", "--to", "xyz",
                                            "--db", url])
    assert unknown_org.exit_code == 2 and "no organisation 'xyz'" in unknown_org.stderr
    holder = ControlCell.open(url, exercise_id)
    try:
        for args in (["control", exercise_id, "--pause"], ["console", exercise_id]):
            held = CliRunner().invoke(main, ["national", *args, "--db", url])
            assert held.exit_code == 2 and "another control cell" in held.stderr
    finally:
        holder.close()
    status = CliRunner().invoke(main, ["national", "status", exercise_id, "--json", "--db", pg_url])
    assert status.exit_code == 0
    rows = {r["org_id"]: r for r in json.loads(status.stdout)}
    assert set(rows) == {"nav", "dsb"} and rows["dsb"]["behind"] == 4  # nobody has followed yet


def test_the_national_report_has_a_chapter_per_organisation_and_what_they_share(
        pg_url: str, exercise_id: str, creds: dict[str, str], tmp_path: Path) -> None:
    control = ControlCell.open(creds["control"], exercise_id)
    clients = [OrgClient(creds[f"org.{o}"], exercise_id, o, listen=False) for o in ("nav", "dsb")]
    try:
        control.resume()
        control.advance_to(600)
        control.endex("Slutt")
        for client in clients:
            client.sync()
        evaluator = EvaluatorClient(creds["eval.eva-nav"], exercise_id, "eva-nav")
        evaluator.rate("KH-2", "U", "Ingen faste møtepunkter")
        evaluator.close()
    finally:
        for client in clients:
            client.close()
        control.close()
    out = tmp_path / "nasjonal.md"
    run = CliRunner().invoke(main, ["national", "report", exercise_id, "-o", str(out), "--db", creds["control"]],
                             catch_exceptions=False)
    assert run.exit_code == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    assert "# Nasjonal evalueringsrapport: Øvelse Digital prøve" in text
    assert "Kapittel 1: Arbeids" in text and "Kapittel 2: Direktoratet" in text
    assert "## Vurdering per kriterium på tvers av virksomhetene" in text and "| KH-2 |" in text
    assert "### Felles forbedringspunkter" in text and text.count("### Tiltaksplan") == 2
    nav = text.split("Kapittel 1:")[1].split("Kapittel 2:")[0]
    assert "KH\\-2" in nav or "KH-2" in nav  # NAV's evaluator rated KH-2 U: an area for improvement


async def test_an_organisation_plays_its_stream_in_the_console_in_step_with_the_control_cell(
        pg_url: str, exercise_id: str, creds: dict[str, str]) -> None:
    from krise_ovelse.tui.app import make_app
    from krise_ovelse.tui.screens.exercise import ExerciseScreen

    control = ControlCell.open(creds["control"], exercise_id)
    try:
        control.resume()
        control.release("i01", ["nav"])
        app = make_app(session=f"{exercise_id}_org_nav", db=creds["org.nav"], tick_interval=None,
                       poll_interval=None)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ExerciseScreen)
            session = app.session
            assert session is not None and session.state.inject("i01").released_at is not None
            control.advance_to(60)
            for _ in range(20):  # the console's timer looks on a notification
                app.tick_clock()
                await pilot.pause(0.05)
                if session.state.scenario_minutes == 60:
                    break
            assert session.state.scenario_minutes == 60
            assert not session.toggle_pause().ok  # the control cell runs the clock
            opened = session.state.open_decisions()
            if opened:
                decision = opened[0].decision_id
                option = session.scenario.decision(decision).options[0].id
                assert session.decide(decision, option, "Vi velger det første", by="Direktør").ok
        with PgStore(pg_url) as store:
            kinds = [e["kind"] for e in store.events(f"{exercise_id}_org_nav")]
            assert kinds[:3] == ["session_started", "resumed", "inject_released"]
            assert store.get(f"{exercise_id}_org_nav").owner is None  # released on close
    finally:
        control.close()


def test_follow_prints_each_event_as_replay_describes_it(pg_url: str, exercise_id: str,
                                                          creds: dict[str, str]) -> None:
    run = CliRunner().invoke(main, ["national", "control", exercise_id, "--resume", "--release", "i01",
                                    "--advance-to", "90", "--db", creds["control"]], catch_exceptions=False)
    assert run.exit_code == 0, run.stderr
    followed = CliRunner().invoke(main, ["national", "follow", exercise_id, "nav", "--seconds", "1",
                                         "--db", creds["org.nav"]], catch_exceptions=False)
    assert followed.exit_code == 0, followed.stderr
    assert "innspill i01 «" in followed.stdout and "sendt" in followed.stdout, followed.stdout
    assert "inject_released" not in followed.stdout  # words, not the event's kind
