"""Playthrough files: loading with positioned problems, and headless runs."""

from __future__ import annotations

import json
import textwrap

import pytest

from krise_ovelse.engine import AddObservation, Pause, ReleaseInject, Resume, ReviseDecision, SkipInject, fold
from krise_ovelse.engine.events import ObservationAdded
from krise_ovelse.model.problems import Problem
from krise_ovelse.scripted.headless import format_timeline, run_headless
from krise_ovelse.scripted.playthrough import load_playthrough, load_playthrough_text

from .engine_helpers import basic

GOOD = textwrap.dedent("""\
    scenario: test
    team: Ledergruppen
    participants:
      - {name: Kari, role: HR-direktør}
      - Ola
    seed: 42
    decisions:
      d01: {option: a, rationale: "Daglig status gir ro", at: "D+0 10:00", by: Kari}
      d02: b
    actions:
      - {at: "D+0 09:00", release: i03, by: øvingsleder}
      - {at: "D+0 09:30", pause: true}
      - {at: "D+0 09:30", resume: true}
      - at: "D+1 13:00"
        note: {text: "God involvering", criteria: [KH-2], inject: i05, decision: d02, author: evaluator}
      - {at: "D+2", adhoc: {title: "VG ringer", body: "Kommentar?", channel: phone, from: VG, to: [ledelsen]}}
      - {at: "D+2 12:00", revise: {decision: d01, option: b, rationale: "Vi snur"}}
      - {at: "D+14 10:00", skip: i06, reason: "Tatt i møtet"}
    """)


def load(text: str) -> tuple[object, list[str]]:
    result = load_playthrough_text(text, basic(), "p.yaml")
    return result.playthrough, [p.render() for p in result.problems]


def test_a_good_playthrough_loads_into_commands() -> None:
    playthrough, problems = load(GOOD)
    assert problems == []
    assert playthrough is not None
    assert playthrough.team == "Ledergruppen" and playthrough.seed == 42  # type: ignore[attr-defined]
    assert [(p.name, p.role) for p in playthrough.participants] == [("Kari", "HR-direktør"), ("Ola", "")]  # type: ignore[attr-defined]
    decisions = {d.decision_id: d for d in playthrough.decisions}  # type: ignore[attr-defined]
    assert (decisions["d01"].option_id, decisions["d01"].at, decisions["d01"].line) == ("a", 600, 8)
    assert (decisions["d02"].option_id, decisions["d02"].at) == ("b", None)
    commands = [a.command for a in playthrough.actions]  # type: ignore[attr-defined]
    assert commands[:3] == [ReleaseInject("i03", "øvingsleder"), Pause(), Resume()]
    assert isinstance(commands[3], AddObservation) and commands[3].criteria == ("KH-2",)
    assert commands[5] == ReviseDecision("d01", "b", "Vi snur", "")
    assert commands[6] == SkipInject("i06", "Tatt i møtet", "")


@pytest.mark.parametrize(("text", "expected"), [
    ("scenario: test\nteam: T\ndecisions:\n  d09: a\n",
     "p.yaml:4:3: E-REF-DECISION no decision with id 'd09'"),
    ("scenario: test\nteam: T\ndecisions:\n  d01: {option: z}\n",
     "p.yaml:4:17: E-REF-OPTION no option with id 'z' (known: a, b)"),
    ("scenario: test\nteam: T\nactions:\n  - {at: D+1, release: i99}\n",
     "p.yaml:4:24: E-REF-INJECT no inject with id 'i99' (known: i01, i02, i03, i04, i05, i06, i07)"),
    ("scenario: test\nteam: T\nactions:\n  - {at: 'D+x', release: i01}\n",
     "p.yaml:4:13: E-TIME bad scenario time 'D+x' (write D+n or D+n HH:MM, e.g. D+3 08:00)"),
    ("scenario: test\nteam: T\nactions:\n  - {at: D+99, release: i01}\n",
     "p.yaml:4:10: E-TIME-RANGE D+99 00:00 is after the end of play (D+30 00:00)"),
    ("scenario: test\nteam: T\nactions:\n  - {at: D+1, release: i01, skip: i02}\n",
     "p.yaml:4:5: E-PLAY-ACTION an action needs exactly one of release, skip, pause, resume, note, adhoc, revise, "
     "end, write, evaluator, mark, reasoning, rate, reconcile, map; found release, skip (write one action per list "
     "item)"),
    ("scenario: test\nteam: T\nactions:\n  - {at: D+1, pause: true}\n",
     "p.yaml:4:5: E-PLAY-PAUSE the pause at D+1 00:00 has no resume at the same time (the clock stands still "
     "while paused; add a resume with the same `at`)"),
    ("scenario: test\nteam: T\nactions:\n  - {at: D+1, skip: i02}\n",
     "p.yaml:4:5: E-KEY-MISSING missing required key 'reason' (see the playthrough format in docs/engine.md)"),
    ("scenario: annet\nteam: T\n",
     "p.yaml:1:11: E-PLAY-SCENARIO this playthrough is for scenario 'annet', not 'test' "
     "(run it with the scenario it was written for)"),
    ("scenario: test\nteam: T\ntem: x\n", "p.yaml:3:1: E-KEY-UNKNOWN unknown key 'tem' (did you mean 'team'?)"),
    ("scenario: test\nteam: T\nteam: U\n",
     "p.yaml:3:1: E-YAML-DUPKEY duplicate key 'team' (first defined at line 2, column 1)"),
    ("scenario: test\nteam: T\nactions:\n  - {at: D+1, adhoc: {title: x, channel: fax}}\n",
     "p.yaml:4:42: E-VALUE 'fax' is not a valid channel (one of: email, news, phone, intranet, social_media, "
     "meeting, union_rep, safety_rep, letter, sitrep)"),
    ("scenario: test\nteam: T\nactions:\n  - {at: D+1, note: {text: x, criteria: [XX-9]}}\n",
     "p.yaml:4:42: E-REF-CRITERION no criterion with id 'XX-9'"),
    ("- a\n- b\n", "p.yaml:1:1: E-TYPE expected a mapping, found a list"),
])
def test_problems_have_positions(text: str, expected: str) -> None:
    playthrough, problems = load(text)
    assert playthrough is None
    assert any(p.startswith(expected) for p in problems), problems


def test_unreadable_file_is_a_read_problem(tmp_path: object) -> None:
    result = load_playthrough(f"{tmp_path}/nope.yaml", basic())
    assert [p.code for p in result.problems] == ["E-READ-MISSING"]


def test_headless_run_follows_the_script() -> None:
    playthrough, _ = load(GOOD)
    result = run_headless(basic(), playthrough)  # type: ignore[arg-type]
    state = result.state
    assert state.ended and state.end_reason == "scenario_end"
    assert state.session is not None and state.session.team == "Ledergruppen" and result.seed == 42
    history = [(r.decision_id, r.option_id, r.revision, r.missed, r.scenario_minutes) for r in state.history()]
    assert history == [
        ("d01", "a", 0, False, 600),  # at its scripted time, not at the opening (D+0 08:00)
        ("d02", "b", 0, False, 36 * 60),  # the moment it opened
        ("d01", "b", 1, False, 60 * 60),
    ]
    assert state.inject("i03").released_at == 540
    assert state.inject("i06").status.value == "skipped"
    assert [a.inject_id for a in state.adhoc_injects()] == ["adhoc-1"]
    assert result.warnings == ()
    assert state == fold(basic(), result.events)


def test_headless_without_playthrough_misses_every_decision() -> None:
    result = run_headless(basic())
    assert [(r.decision_id, r.missed) for r in result.state.history()] == [("d02", True), ("d01", True)]
    assert result.seed == 0


def test_leftovers_and_refusals_become_warnings() -> None:
    text = textwrap.dedent("""\
        scenario: test
        team: T
        decisions:
          d01: {option: a, at: "D+5"}
        actions:
          - {at: "D+0 09:00", release: i01}
          - {at: "D+29 23:00", end: "slutt"}
          - {at: "D+30", note: "for sent"}
        """)
    playthrough, problems = load(text)
    assert problems == []
    result = run_headless(basic(), playthrough)  # type: ignore[arg-type]
    rendered = [w.render() for w in result.warnings]
    assert rendered == [
        "p.yaml:6:5: W-PLAY-REFUSED release i01 at D+0 09:00 was refused: cannot release inject i01: "
        "it is released, not pending",
        "p.yaml:4:3: W-PLAY-UNUSED decision d01 missed its deadline (D+2 08:00) before the scripted time "
        "D+5 00:00; the default was applied",
    ]
    # evaluation goes on after ENDEX: a note timed after the end is recorded then, not dropped
    last = result.events[-1]
    assert isinstance(last, ObservationAdded) and last.text == "for sent"
    assert all(isinstance(w, Problem) and not w.is_error for w in result.warnings)
    assert result.state.end_reason == "facilitator"


def test_same_playthrough_same_json() -> None:
    playthrough, _ = load(GOOD)
    first = json.dumps(run_headless(basic(), playthrough).to_dict(), sort_keys=True)  # type: ignore[arg-type]
    second = json.dumps(run_headless(basic(), playthrough).to_dict(), sort_keys=True)  # type: ignore[arg-type]
    assert first == second


def test_result_json_and_timeline() -> None:
    playthrough, _ = load(GOOD)
    result = run_headless(basic(), playthrough, seed=7)  # type: ignore[arg-type]
    data = result.to_dict()
    assert data["seed"] == 7 and data["team"] == "Ledergruppen" and data["end_reason"] == "scenario_end"
    kinds = {entry["kind"] for entry in data["timeline"]}
    assert {"inject_released", "decision_opened", "decision_made", "decision_revised", "phase_changed",
            "clock_jumped", "observation_added", "adhoc_inject_added", "inject_skipped", "session_ended"} <= kinds
    d01 = next(d for d in data["decisions"] if d["decision"] == "d01")
    assert (d01["option"], d01["status"], [h["option"] for h in d01["history"]]) == ("b", "decided", ["a", "b"])
    assert d01["history"][0]["rationale"] == "Daglig status gir ro"
    assert data["indicators"]["trust"]["visible"] is False
    text = format_timeline(result, "en")
    assert "chose a “Valg a” (Kari): Daglig status gir ro" in text
    assert "d01 “Spørsmål d01”: revised to b" in text
    assert "ENDEX" in text and "(hidden from the team)" in text
    assert "(skjult for øvingsdeltakerne)" in format_timeline(result, "nb")
