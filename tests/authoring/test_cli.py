"""The authors' commands as a user runs them: output form and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from krise_ovelse.cli import main
from krise_ovelse.paths import shipped_scenarios_dir

from .minimal_scenario import MINIMAL


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_validate_clean_file_exits_0(tmp_path: Path) -> None:
    code, out, err = run("validate", write(tmp_path, MINIMAL))
    assert code == 0
    assert out == ""
    assert "ok" in err


def test_validate_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    bad = MINIMAL.replace("channel: phone", "channel: phon").replace("initial: 40", "initial: x")
    path = write(tmp_path, bad)
    code, out, _ = run("validate", path)
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{path}:") for line in lines)
    assert " E-VALUE " in out and " E-TYPE " in out


def test_validate_json(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace("channel: phone", "channel: phon"))
    code, out, _ = run("validate", "--json", path)
    assert code == 1
    payload = json.loads(out)
    (problem,) = payload["files"][0]["problems"]
    assert problem["code"] == "E-VALUE"
    assert problem["line"] == 36
    assert problem["hint"] == "did you mean 'phone'?"


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    code, out, _ = run("validate", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "E-READ-MISSING" in out


def test_usage_error_exits_2() -> None:
    assert run("validate")[0] == 2
    assert run("validate", "--no-such-flag", "x")[0] == 2


def test_lint_strict_fails_on_warnings(tmp_path: Path) -> None:
    text = MINIMAL.replace('title: {nb: "Mini", en: "Mini"}', 'title: {nb: "Mini", en: "Mini"}\nlanguages: [nb, en]')
    path = write(tmp_path, text)
    code, out, _ = run("lint", path)
    assert code == 0
    assert "W-LANG-MISSING" in out
    assert run("lint", "--strict", path)[0] == 1


def test_lint_finds_options_without_evidence_and_static_indicators(tmp_path: Path) -> None:
    text = MINIMAL.replace("        evidence: {KH-2: U}\n", "").replace("effects: {trust: -10}", "effects: {load: 0}")
    text = text.replace("effects: {load: +5, trust: +10}", "effects: {load: 0}")
    code, out, _ = run("lint", write(tmp_path, text))
    assert code == 0
    assert "W-NO-EVIDENCE" in out
    assert "W-STATIC-INDICATOR" in out and "'trust'" in out
    assert "W-SAME-EFFECTS" in out


def test_schema_is_json() -> None:
    code, out, _ = run("schema")
    assert code == 0
    assert json.loads(out)["$schema"].endswith("2020-12/schema")


def test_inspect_counts(tmp_path: Path) -> None:
    code, out, _ = run("inspect", "--json", write(tmp_path, MINIMAL))
    assert code == 0
    info = json.loads(out)
    assert info["injects"]["total"] == 5
    assert info["injects"]["by_trigger"] == {"scheduled": 2, "conditional": 1, "manual": 1, "follow_up": 1}
    assert info["decisions"]["by_category"] == {"communication": 1}
    assert info["span"]["jumps"] == 1
    assert info["span"]["play_minutes"] == round(3 * 1440 / 720) + round(16 * 1440 / 10080)
    assert info["criteria"]["with_evidence"] == ["KH-2", "KH-5"]


def test_inspect_broken_scenario_prints_problems(tmp_path: Path) -> None:
    code, _, err = run("inspect", write(tmp_path, MINIMAL.replace("channel: phone", "channel: phon")))
    assert code == 1
    assert "E-VALUE" in err


def test_validate_a_directory_skips_playthroughs(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL, "a.yaml")
    (tmp_path / "playthroughs").mkdir()
    write(tmp_path / "playthroughs", "scenario: mini\n", "p.yaml")
    code, _, err = run("validate", str(tmp_path))
    assert code == 0
    assert "p.yaml" not in err


def test_shipped_scenarios_validate() -> None:
    assert run("validate", str(shipped_scenarios_dir()))[0] == 0


def test_lint_warns_about_unused_flags_and_deadlines_in_jumps(tmp_path: Path) -> None:
    text = MINIMAL.replace("sets: [daily]", "sets: [daily, unused]").replace("deadline: 2d", "deadline: 4d")
    code, out, _ = run("lint", write(tmp_path, text))
    assert code == 0
    assert "W-UNUSED-FLAG no condition reads the flag 'unused'" in out
    assert "W-IN-JUMP the deadline of 'd01' falls in a jump" in out
    assert "'daily'" not in out
