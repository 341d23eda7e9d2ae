"""A scenario the validator accepts never crashes a command (issue #13 item 6): extreme but valid
values — the longest span, a start date late in 2999, the largest numbers and drifts, tiny and
huge compressions, long deadlines — go through inspect, dreiebok, run, report, msel export and
cards. Each command succeeds (or says why with an exit code), never a traceback."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krise_ovelse.cli import main

from .minimal_scenario import MINIMAL, load


@st.composite
def extreme_scenarios(draw: st.DrawFn) -> str:
    text = MINIMAL
    ends = draw(st.sampled_from([30, 31, 365, 3650]))
    text = text.replace("ends: D+30", f"ends: D+{ends}")
    text = text.replace("start_date: 2020-03-12", "start_date: " + draw(st.sampled_from(
        ["1900-01-01", "2020-03-12", "2999-12-31", "2989-06-30"])))
    text = text.replace("compression: 720", "compression: " + draw(st.sampled_from(
        ["720", "0.000001", "1000000000", "1"])))
    text = text.replace("compression: 10080", "compression: " + draw(st.sampled_from(["10080", "0.5", "999999999"])))
    big = draw(st.sampled_from(["1000000000", "-1000000000", "0.000001", "5"]))
    text = text.replace("effects: {load: +5, trust: +10}", f"effects: {{load: {big}, trust: {big}}}")
    text = text.replace("initial: 40", "initial: 40\n    min: -1000000000\n    max: 1000000000")
    text = text.replace("drift: {akutt: 3/week, lang: 2/week}", "drift: {akutt: " + draw(st.sampled_from(
        ["3/week", "1000000/day", "-1000000/day", "0.000000001/month"])) + ", lang: 2/week}")
    text = text.replace("deadline: 2d", "deadline: " + draw(st.sampled_from(["2d", "1m", "1.5d", "2d 23h 59m"])))
    text = text.replace("after: 2d", "after: " + draw(st.sampled_from(["2d", "1m", "10d"])))
    text = text.replace("at: D+15 09:00", "at: " + draw(st.sampled_from(["D+15 09:00", "D+30", "D+14 00:00"])))
    return text


def invoke(*args: str) -> int:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output
    return result.exit_code


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extreme_scenarios())
def test_accepted_scenarios_never_crash_a_command(text: str) -> None:
    if not load(text).ok:
        return  # only what the validator accepts is held to this
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.yaml"
        path.write_text(text, encoding="utf-8")
        assert invoke("inspect", str(path)) == 0
        assert invoke("inspect", "--json", str(path)) == 0
        assert invoke("dreiebok", str(path), "--lang", "en") == 0
        run = CliRunner().invoke(main, ["run", str(path), "--json", "--no-store"])
        assert run.exception is None or isinstance(run.exception, SystemExit), repr(run.exception)
        assert run.exit_code == 0, run.output[-2000:]
        result = Path(folder) / "run.json"
        result.write_text(run.stdout, encoding="utf-8")
        assert json.loads(run.stdout)
        assert invoke("report", str(path), "--from-run", str(result), "--format", "html",
                      "-o", str(Path(folder) / "r.html")) == 0
        assert invoke("msel", "export", str(path), "-o", str(Path(folder) / "m.xlsx")) == 0
        assert invoke("cards", str(path), "-o", str(Path(folder) / "c.html")) == 0


def test_the_generator_makes_valid_scenarios() -> None:
    assert load(MINIMAL.replace("ends: D+30", "ends: D+3650").replace("start_date: 2020-03-12",
                                                                        "start_date: 2999-12-31")).ok
