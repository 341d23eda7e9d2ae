"""`krise-ovelse inspect`: the statistics an author reads about a scenario (span, phases and
their play time, counts by kind), as text and as JSON (`krise_ovelse.authoring.inspect`)."""

from __future__ import annotations

from typing import Any

from krise_ovelse.authoring.inspect import format_inspection, inspect_scenario

from .minimal_scenario import MINIMAL, load


def replace(old: str, new: str, text: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def inspect(text: str) -> dict[str, Any]:
    result = load(text)
    assert result.scenario is not None, [p.render() for p in result.problems]
    return inspect_scenario(result.scenario)


def test_the_text_an_author_reads() -> None:
    assert format_inspection(inspect(MINIMAL)).splitlines() == [
        "Mini (mini)",
        "  span: D+0 – D+30 00:00 (30 days, 2020-03-12 – 2020-04-11), 1 jump(s), about 8m of play",
        "  phases:",
        "    akutt            D+0 00:00 – D+3 00:00 (then jump)  x720  3 days in 6m",
        "    lang             D+14 00:00  x10080  16 days in 2m",
        "  injects: 5  by channel: email 1, intranet 1, news 1, phone 1, union_rep 1",
        "           by trigger: scheduled 2, conditional 1, manual 1, follow_up 1",
        "  decisions: 1 (2 options)  by category: communication 1",
        "  criteria with evidence (2): KH-2, KH-5",
        "  indicators (2): load, trust (hidden)",
    ]


def test_the_json_of_span_and_phases() -> None:
    info = inspect(MINIMAL)
    assert (info["id"], info["title"], info["languages"]) == ("mini", "Mini", ["nb"])
    assert info["span"] == {"ends": "D+30 00:00", "days": 30.0, "start_date": "2020-03-12",
                            "end_date": "2020-04-11", "jumps": 1, "play_minutes": 8}
    assert info["phases"] == [
        {"id": "akutt", "title": "Akuttfasen", "starts": "D+0 00:00", "ends": "D+3 00:00", "compression": 720.0,
         "scenario_days_played": 3.0, "play_minutes": 6},
        {"id": "lang", "title": "Maratonet", "starts": "D+14 00:00", "ends": None, "compression": 10080.0,
         "scenario_days_played": 16.0, "play_minutes": 2},
    ]
    assert info["indicators"][1] == {"id": "trust", "name": "Tillit", "initial": 60.0, "visible": False,
                                     "drift_phases": []}


FOUR_PHASES = """\
phases:
  - {id: a, title: A, starts: D+0, compression: 720}
  - {id: b, title: B, starts: D+5, compression: 1, ends: D+5 08:00}
  - {id: c, title: C, starts: D+10, compression: 720}
  - {id: d, title: D, starts: D+14, compression: 10080}
"""


def test_phases_without_an_end_run_to_the_next_start_and_real_time_is_counted() -> None:
    # no start date; b is played in real time (compression 1); the end is not on a day boundary
    text = replace(MINIMAL[MINIMAL.index("phases:"):MINIMAL.index("ends: D+30")], FOUR_PHASES, MINIMAL)
    text = replace("drift: {akutt: 3/week, lang: 2/week}", "drift: {a: 3/week}", text)
    text = replace("start_date: 2020-03-12\n", "", text)
    text = replace("ends: D+30\n", "ends: D+30 08:00\n", text)
    info = inspect(text)
    assert info["span"] == {"ends": "D+30 08:00", "days": 30.33, "start_date": None, "end_date": None,
                            "jumps": 1, "play_minutes": 500}
    assert [(p["id"], p["ends"], p["scenario_days_played"], p["play_minutes"]) for p in info["phases"]] == [
        ("a", None, 5.0, 10), ("b", "D+5 08:00", 0.33, 480), ("c", None, 4.0, 8), ("d", None, 16.33, 2)]
    assert format_inspection(info).splitlines()[1:7] == [
        "  span: D+0 – D+30 08:00 (30.33 days), 1 jump(s), about 8h 20m of play",
        "  phases:",
        "    a                D+0 00:00  x720  5 days in 10m",
        "    b                D+5 00:00 – D+5 08:00 (then jump)  x1  0.33 days in 8h",
        "    c                D+10 00:00  x720  4 days in 8m",
        "    d                D+14 00:00  x10080  16.33 days in 2m",
    ]


def test_titles_and_names_are_in_the_scenarios_language() -> None:
    text = replace('title: {nb: "Mini", en: "Mini"}', 'title: {nb: "Liten", en: "Small"}\nlanguage: en', MINIMAL)
    text = replace("title: Akuttfasen", "title: {nb: Akuttfasen, en: Acute phase}", text)
    info = inspect(text)
    assert (info["title"], info["languages"]) == ("Small", ["en"])
    assert [p["title"] for p in info["phases"]] == ["Acute phase", "Maratonet"]
    assert info["indicators"][0]["name"] == "Load"


def test_counts_of_notes_actions_categories_and_criteria() -> None:
    text = replace('    title: "Status"\n', '    title: "Status"\n    facilitator_notes: "Følg med"\n'
                   '    expected_actions: ["Ring HR"]\n', MINIMAL)
    text = replace("scoring:\n", "  - id: d02\n    opens_with: i05\n    deadline: 1d\n    category: staff_mobility\n"
                   "    prompt: X\n    options:\n      - {id: x, text: X, effects: {load: 1}}\n"
                   "      - {id: y, text: Y, effects: {load: 2}}\n    default: x\nscoring:\n", text)
    info = inspect(text)
    assert (info["injects"]["with_facilitator_notes"], info["injects"]["with_expected_actions"]) == (1, 1)
    assert info["decisions"] == {"total": 2, "by_category": {"communication": 1, "staff_mobility": 1}, "options": 4}
    assert info["criteria"] == {"with_evidence": ["KH-2", "KH-5"], "scored": ["KH-2", "KH-5"], "rules": 1}
    assert "  decisions: 2 (4 options)  by category: communication 1, staff_mobility 1" in (
        format_inspection(info).splitlines())
