"""Decide-first playthroughs: `decide_first: true`, `write` and `map` actions, their problems,
and headless runs (also `run --decide-first`)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from krise_ovelse.cli import main
from krise_ovelse.engine import DecisionStatus, MapDecision, WriteDecision, fold
from krise_ovelse.model.scenario import Level
from krise_ovelse.scoring.adapter import scoring_input_from_events
from krise_ovelse.scripted.headless import format_timeline, run_headless
from krise_ovelse.scripted.playthrough import load_playthrough, load_playthrough_text

from .engine_helpers import basic

GOOD = textwrap.dedent("""\
    scenario: test
    team: Ledergruppen
    decide_first: true
    actions:
      - {at: "D+0 09:00", write: {decision: d01, text: "Daglig status til alle", rationale: "Ro", by: hr}}
      - {at: "D+0 10:00", map: {decision: d01, option: a, by: Eva}}
      - at: "D+1 13:00"
        write: {decision: d02, text: "Vi lager vår egen plan"}
        by: Kari
      - {at: ENDEX, map: {decision: d02, option: annet, levels: {KH-2: S, DA-1: P}, by: Eva, note: "Egen vei"}}
    """)


def load(text: str) -> tuple[object, list[str]]:
    result = load_playthrough_text(text, basic(), "p.yaml")
    return result.playthrough, [p.render() for p in result.problems]


def test_a_decide_first_playthrough_loads_into_write_and_map_commands() -> None:
    playthrough, problems = load(GOOD)
    assert problems == []
    assert playthrough.decide_first  # type: ignore[attr-defined]
    commands = [a.command for a in playthrough.actions]  # type: ignore[attr-defined]
    assert commands == [
        WriteDecision("d01", "Daglig status til alle", "Ro", "hr"), MapDecision("d01", "a", "Eva", (), ""),
        WriteDecision("d02", "Vi lager vår egen plan", "", "Kari"),
        MapDecision("d02", "annet", "Eva", (("KH-2", Level.S), ("DA-1", Level.P)), "Egen vei")]


def test_the_headless_run_writes_maps_and_rates() -> None:
    playthrough, _ = load(GOOD)
    result = run_headless(basic(), playthrough)  # type: ignore[arg-type]
    assert result.warnings == ()
    state = result.state
    assert state.decide_first and state.decision("d01").option_id == "a"
    assert state.decision("d02").status is DecisionStatus.DECIDED and state.chosen_option("d02") == "annet"
    assert state == fold(basic(), result.events)
    record = scoring_input_from_events(basic(), result.events)
    d02 = record.decision("d02")
    assert d02 is not None and d02.written is not None and not d02.missed
    assert (d02.written.mapped_option, d02.written.levels) == ("annet", (("DA-1", Level.P), ("KH-2", Level.S)))
    data = result.to_dict("nb")
    kinds = [e["kind"] for e in data["timeline"]]
    assert kinds.count("decision_written") == 2 and kinds.count("decision_mapped") == 2
    written = {d["decision"]: d.get("written") for d in data["decisions"]}
    assert written["d01"]["mapped_option"] == "a" and written["d02"]["levels"] == {"DA-1": "P", "KH-2": "S"}
    assert "Beslutt først: 2 skrevet med egne ord, 1 koblet til «annet», 0 venter på kobling." in format_timeline(
        result, "nb")


@pytest.mark.parametrize(("text", "expected"), [
    ("scenario: test\nteam: T\ndecide_first: ja\n",
     "p.yaml:3:15: E-TYPE expected true or false, found text"),
    ("scenario: test\nteam: T\ndecide_first: true\ndecisions:\n  d01: a\n",
     "p.yaml:4:1: E-PLAY-MODE a decide-first playthrough does not choose options (write each decision with a "
     "`write` action and map it with `map`)"),
    ("scenario: test\nteam: T\nactions:\n  - {at: D+1, write: {decision: d01, text: x}}\n",
     "p.yaml:4:5: E-PLAY-MODE `write` is for decide-first playthroughs"),
    ("scenario: test\nteam: T\ndecide_first: true\nactions:\n  - {at: D+1, write: {decision: d09, text: x}}\n",
     "p.yaml:5:33: E-REF-DECISION no decision with id 'd09'"),
    ("scenario: test\nteam: T\ndecide_first: true\nactions:\n  - {at: D+1, write: {decision: d01, text: ' '}}\n",
     "p.yaml:5:44: E-VALUE 'text' must not be empty"),
    ("scenario: test\nteam: T\ndecide_first: true\nactions:\n  - {at: D+1, write: {decision: d01}}\n",
     "p.yaml:5:22: E-KEY-MISSING missing required key 'text'"),
    ("scenario: test\nteam: T\ndecide_first: true\nactions:\n  - {at: D+1, write: {decision: d01, txt: x}}\n",
     "p.yaml:5:38: E-KEY-UNKNOWN unknown key 'txt' (did you mean 'text'?)"),
    ("scenario: test\nteam: T\ndecide_first: true\nactions:\n  - {at: D+1, write: {decision: d01, text: x}}\n"
     "  - {at: D+1, map: {decision: d01, option: z, by: Eva}}\n",
     "p.yaml:6:44: E-REF-OPTION no option with id 'z' (known: a, b, annet)"),
    ("scenario: test\nteam: T\ndecide_first: true\nactions:\n  - {at: D+1, write: {decision: d01, text: x}}\n"
     "  - {at: D+1, map: {decision: d01, option: annet, by: Eva}}\n",
     "p.yaml:6:20: E-VALUE a mapping to annet must rate the decision"),
    ("scenario: test\nteam: T\ndecide_first: true\nactions:\n  - {at: D+1, write: {decision: d01, text: x}}\n"
     "  - {at: D+1, map: {decision: d01, option: annet, by: Eva, levels: {KH-2: N/O}}}\n",
     "p.yaml:6:75: E-LEVEL 'N/O' is not a level (one of P, S, M, U)"),
    ("scenario: test\nteam: T\ndecide_first: true\nactions:\n  - {at: D+1, write: {decision: d01, text: x}}\n"
     "  - {at: D+1, map: {decision: d01, option: annet, by: Eva, levels: {XX-9: P}}}\n",
     "p.yaml:6:69: E-REF-CRITERION no criterion with id 'XX-9'"),
    ("scenario: test\nteam: T\ndecide_first: true\nactions:\n  - {at: D+1, write: {decision: d01, text: x}}\n"
     "  - {at: D+1, map: {decision: d01, option: a, by: Eva, levels: {KH-2: P}}}\n",
     "p.yaml:6:64: E-VALUE levels go with a mapping to annet"),
    ("scenario: test\nteam: T\ndecide_first: true\nactions:\n  - {at: D+1, write: {decision: d01, text: x}}\n"
     "  - {at: D+1, map: {decision: d01, option: a}}\n",
     "p.yaml:6:20: E-KEY-MISSING missing required key 'by'"),
    ("scenario: test\nteam: T\ndecide_first: true\nactions:\n  - {at: D+1, map: {decision: d01, option: a, by: E}}\n",
     "p.yaml:5:5: E-PLAY-MAP decision d01 is mapped before the team wrote it"),
    ("scenario: test\nteam: T\ndecide_first: true\nactions:\n  - {at: ENDEX, write: {decision: d01, text: x}}\n",
     "p.yaml:5:10: E-TIME only the evaluators act at ENDEX"),
])
def test_bad_decide_first_entries_have_positions(text: str, expected: str) -> None:
    playthrough, problems = load(text)
    assert playthrough is None
    assert any(p.startswith(expected) for p in problems), problems


def test_a_write_before_the_decision_opens_is_a_warning_not_a_crash() -> None:
    text = ("scenario: test\nteam: T\ndecide_first: true\nactions:\n"
            "  - {at: D+0 07:00, write: {decision: d01, text: For tidlig}}\n")
    playthrough, problems = load(text)
    assert problems == []
    result = run_headless(basic(), playthrough)  # type: ignore[arg-type]
    assert [w.code for w in result.warnings] == ["W-PLAY-REFUSED"]
    assert "not open" in result.warnings[0].message


SHIPPED = Path(__file__).resolve().parents[2] / "scenarios" / "playthroughs" / "kort-eksempel" / "beslutt-forst.yaml"


def test_run_cli_plays_the_shipped_decide_first_playthrough_and_the_flag() -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["run", "kort-eksempel", "--play", str(SHIPPED), "--no-store", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert [d["status"] for d in data["decisions"]] == ["decided", "decided", "decided"]
    written = data["scoring_input"]["decisions"][1]["written"]
    assert written["mapped_option"] == "annet" and written["levels"] == {"KH-4": "P", "OE-1": "S"}
    sources = {e["source"] for c in data["scoring"]["criteria"] for e in c["evidence"]}
    assert "mapping" in sources
    # `run --decide-first` without a playthrough: nothing is written, every deadline passes
    out = runner.invoke(main, ["run", "kort-eksempel", "--decide-first", "--no-store", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert {d["status"] for d in data["decisions"]} == {"missed"}
    out = runner.invoke(main, ["run", "kort-eksempel", "--decide-first", "--no-store"])
    assert "Beslutt først: 0 skrevet med egne ord" in out.stdout


def test_loading_the_shipped_playthrough_has_no_problems() -> None:
    from krise_ovelse.authoring import load_scenario
    from krise_ovelse.paths import resolve_scenario_arg

    scenario = load_scenario(resolve_scenario_arg("kort-eksempel")).scenario
    assert scenario is not None
    result = load_playthrough(SHIPPED, scenario)
    assert result.problems == () and result.playthrough is not None and result.playthrough.decide_first
