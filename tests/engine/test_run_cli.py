"""`krise-ovelse run`: output, exit codes, problems as file:line:col, never a traceback."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from krise_ovelse.cli import main

SCENARIO = textwrap.dedent("""\
    schema_version: 1
    id: mini
    title: Mini
    phases:
      - {id: akutt, title: Akutt, starts: D+0, compression: 720, ends: D+3}
      - {id: lang, title: Lang, starts: D+14, compression: 10080}
    ends: D+30
    indicators:
      - {id: load, name: Belastning, initial: 40, drift: {akutt: 3/week}}
    injects:
      - {id: i01, at: D+0 08:00, channel: news, title: Nedstengning}
      - {id: i02, at: D+15 09:00, channel: email, title: Status}
    decisions:
      - id: d01
        opens_with: i01
        deadline: 2d
        category: communication
        prompt: Hvordan informerer dere?
        options:
          - {id: a, text: Daglig status, effects: {load: 5}}
          - {id: b, text: Vent, effects: {load: -5}}
        default: b
    """)
PLAY = "scenario: mini\nteam: Ledergruppen\nseed: 5\ndecisions:\n  d01: {option: a, rationale: Ro, by: Kari}\n"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "s.yaml").write_text(SCENARIO, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(PLAY, encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["run", *args])
    return result.exit_code, result.stdout, result.stderr


def test_timeline_without_playthrough(files: Path) -> None:
    code, out, err = run(str(files / "s.yaml"))
    assert code == 0, err
    # bokmål by default, names instead of ids, decimal commas
    assert "D+0 08:00  innspill i01 «Nedstengning» sendt" in out
    assert "beslutning d01 «Hvordan informerer dere?»: fristen gikk ut, standardvalget b «Vent» ble brukt" in out
    assert "ENDEX (scenarioet er slutt)" in out
    assert "Belastning     36,3  (fra 40,0, spenn 36,0–41,0)" in out
    assert err == ""


def test_timeline_in_english_on_request(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(str(files / "s.yaml"), "--no-store", "--lang", "en")
    assert code == 0
    assert "D+0 08:00  inject i01 “Nedstengning” released" in out
    assert "Belastning     36.3  (from 40.0, range 36.0–41.0)" in out and "Index (a summary, not a grade): " in out
    monkeypatch.setenv("KRISE_OVELSE_LANG", "en")
    assert "inject i01 “Nedstengning” released" in run(str(files / "s.yaml"), "--no-store")[1]


def test_json_with_playthrough_and_seed(files: Path) -> None:
    code, out, _ = run(str(files / "s.yaml"), "--play", str(files / "p.yaml"), "--seed", "9", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["team"], data["seed"], data["scenario"]["id"]) == ("Ledergruppen", 9, "mini")
    assert data["decisions"][0]["history"][0] | {"time": None} == {
        "time": None, "option": "a", "revision": 0, "missed": False, "rationale": "Ro", "by": "Kari",
        "response_minutes": 0}
    assert data["indicators"]["load"]["final"] > 45


def test_the_same_run_gives_the_same_output(files: Path) -> None:
    args = (str(files / "s.yaml"), "--play", str(files / "p.yaml"), "--json", "--no-store")
    assert run(*args) == run(*args)  # a stored run differs only in its new session id


def test_scenario_problems_exit_1_with_positions(files: Path) -> None:
    (files / "bad.yaml").write_text(SCENARIO.replace("opens_with: i01", "opens_with: i09"), encoding="utf-8")
    code, out, err = run(str(files / "bad.yaml"))
    assert code == 1 and out == ""
    assert f"{files / 'bad.yaml'}:15:17: E-REF-INJECT no inject with id 'i09'" in err


def test_playthrough_problems_exit_1_with_positions(files: Path) -> None:
    (files / "p.yaml").write_text(PLAY.replace("option: a", "option: c"), encoding="utf-8")
    code, _, err = run(str(files / "s.yaml"), "--play", str(files / "p.yaml"))
    assert code == 1
    assert f"{files / 'p.yaml'}:5:17: E-REF-OPTION no option with id 'c'" in err


@pytest.mark.parametrize("which", ["scenario", "playthrough"])
def test_unreadable_input_exits_2(files: Path, which: str) -> None:
    args = [str(files / "nope.yaml")] if which == "scenario" else [str(files / "s.yaml"), "--play",
                                                                   str(files / "nope.yaml")]
    code, _, err = run(*args)
    assert code == 2
    assert "E-READ-MISSING no such file" in err


def test_runtime_warnings_go_to_stderr(files: Path) -> None:
    (files / "p.yaml").write_text(PLAY + "actions:\n  - {at: D+1, release: i01}\n", encoding="utf-8")
    code, out, err = run(str(files / "s.yaml"), "--play", str(files / "p.yaml"))
    assert code == 0 and "ENDEX" in out
    assert "p.yaml:7:5: W-PLAY-REFUSED release i01 at D+1 00:00 was refused" in err


def test_never_a_traceback(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import krise_ovelse.scripted.headless as headless

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(headless, "run_headless", broken)
    code, _, err = run(str(files / "s.yaml"))
    assert code == 2
    assert "internal error: RuntimeError: boom" in err and "Traceback" not in err


def test_the_decider_is_shown_by_the_role_name(tmp_path: Path) -> None:
    """A playthrough may name who decided by the scenario's role id; the timeline shows the name."""
    scenario = SCENARIO + "roles:\n  - {id: hr, name: HR-direktør}\n"
    (tmp_path / "s.yaml").write_text(scenario, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(PLAY.replace("by: Kari", "by: hr"), encoding="utf-8")
    code, out, err = run(str(tmp_path / "s.yaml"), "--play", str(tmp_path / "p.yaml"), "--no-store")
    assert code == 0, err
    assert "valgte a «Daglig status» (HR-direktør): Ro" in out
    assert "(hr)" not in out


def test_a_reader_that_stops_early_is_no_error(tmp_path: Path) -> None:
    """`krise-ovelse run … | head -1`: the closed pipe ends the command quietly."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "krise_ovelse", "run", "maratonet", "--no-store"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the command writes anything
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert "internal error" not in err and "Traceback" not in err
