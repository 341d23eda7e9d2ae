"""Meaning-level lint (issue #16 item 1): conditions that can never hold, injects and decisions
the triggers never reach, follow-ups after the end or inside a jump, own criteria that shadow
the catalogue, names across kinds, options without a trade-off, and the KH-3 false positive."""

from __future__ import annotations

import pytest

from krise_ovelse.authoring.lint import TIMELINESS_CRITERION
from krise_ovelse.authoring.meaning import Analysis
from krise_ovelse.model.problems import Problem
from krise_ovelse.scoring.evidence import TIMELINESS_CRITERION as SCORED_TIMELINESS

from .minimal_scenario import MINIMAL, lint, load, replace

CONDITION = '"load >= 75 and not daily"'
WHEN_LINE = MINIMAL[: MINIMAL.index(CONDITION)].count("\n") + 1



def found(text: str, code: str) -> list[Problem]:
    return [p for p in lint(text) if p.code == code]


def test_the_minimal_scenario_has_no_meaning_warnings() -> None:
    codes = {p.code for p in lint(MINIMAL)}
    assert not codes & {"W-NEVER-TRUE", "W-UNREACHABLE", "W-FOLLOWUP-LATE", "W-NAME-CLASH", "W-IN-JUMP"}


@pytest.mark.parametrize(("condition", "words"), [
    ("trust > 150", "stays within 0–100"),
    ("day > 30", "play ends at D+30"),
    ("false", "always false"),
    ("load > 80 and load < 20", "cannot all hold at once"),
    ("phase(akutt) and day > 10", "phase akutt is played on days [0, 3]"),
    ("phase(akutt) and phase(lang)", "two phases at once"),
    ("daily and not daily", "set and clear at once"),
    ("released(i02)", "its own release"),
    ("not (load <= 100)", "stays within 0–100"),
    ("day > 4 and day < 10", "not played"),
    ("chose(d01, a) and chose(d01, b)", "two choices"),
    ("1 > 2", "always false"),
    ("trust > 150 or day > 31", "none of its alternatives"),
])
def test_conditions_that_never_hold(condition: str, words: str) -> None:
    (problem,) = found(replace(CONDITION, f'"{condition}"'), "W-NEVER-TRUE")
    assert "'i02' is never released" in problem.message and words in problem.message
    assert problem.line == WHEN_LINE


@pytest.mark.parametrize("condition", ["trust > 50", "day >= 30", "load > 80 or trust > 150", "not daily",
                                       "phase(lang) and day > 20", "true", "load != 5", "chose(d01, a)",
                                       "released(i01) and day < 3", "trust == 100", "daily"])
def test_conditions_that_can_hold_are_not_flagged(condition: str) -> None:
    problems = lint(replace(CONDITION, f'"{condition}"'))
    assert not [p for p in problems if p.code in ("W-NEVER-TRUE", "W-UNREACHABLE")], [p.render() for p in problems]


def test_a_static_indicator_keeps_its_initial_value() -> None:
    # trust has effects; make it static and its value is 60 for ever
    text = replace("effects: {load: +5, trust: +10}", "effects: {load: +5}")
    text = replace("effects: {trust: -10}", "effects: {load: 1}", text)
    (problem,) = found(replace(CONDITION, '"trust > 70"', text), "W-NEVER-TRUE")
    assert "nothing moves 'trust' from 60" in problem.message


def test_column_points_inside_the_condition() -> None:
    (problem,) = found(replace(CONDITION, '"load > 1 and trust > 150"'), "W-NEVER-TRUE")
    assert problem.col == MINIMAL.splitlines()[WHEN_LINE - 1].index('"') + 2 + len("load > 1 and trust ")


DECISION_2 = """\
      - id: d02
        opens_with: i02
        deadline: 1d
        category: communication
        prompt: "Ny runde?"
        options:
          - id: a
            text: "Ja"
            sets: [second]
          - id: b
            text: "Nei"
        default: b
"""


def minimal_with_chain(i02_condition: str, i06_condition: str) -> str:
    text = replace(CONDITION, f'"{i02_condition}"')
    text = replace("scoring:\n", _dedent(DECISION_2) + "scoring:\n", text)
    return replace('    title: "Status"\n', f'    title: "Status"\n  - id: i06\n    when: "{i06_condition}"\n'
                   '    channel: email\n    title: "Kjede"\n', text)


def _dedent(block: str) -> str:
    return "".join(line[4:] + "\n" for line in block.splitlines())


def test_chains_through_a_decision_that_never_opens() -> None:
    text = minimal_with_chain("trust > 150", "chose(d02, a) or second")
    problems = lint(text)
    codes = [(p.code, p.message) for p in problems if p.code in ("W-NEVER-TRUE", "W-UNREACHABLE")]
    assert ("W-NEVER-TRUE", "'i02' is never released: its condition never holds: "
            "trust > 150 cannot hold: 'trust' stays within 0–100") in codes
    assert any(c == "W-UNREACHABLE" and "'d02' never opens" in m for c, m in codes)
    assert any(c == "W-UNREACHABLE" and m.startswith("'i06' is never released") for c, m in codes)


def test_a_reachable_chain_is_quiet() -> None:
    text = minimal_with_chain("load >= 75", "chose(d02, a) and second and released(i02)")
    assert not [p for p in lint(text) if p.code in ("W-NEVER-TRUE", "W-UNREACHABLE")]


def test_follow_up_only_from_a_decision_that_never_opens() -> None:
    text = minimal_with_chain("false", "true")
    text = replace('        text: "Ja"\n', '        text: "Ja"\n        follow_up: [i07]\n', text)
    text = replace('    title: "Kjede"\n', '    title: "Kjede"\n  - id: i07\n    trigger: follow_up\n'
                   '    channel: email\n    title: "Etter"\n', text)
    (problem,) = [p for p in lint(text) if "'i07'" in p.message]
    assert problem.code == "W-UNREACHABLE" and "decisions that never open list it (d02)" in problem.message


def test_follow_up_after_the_end_and_inside_a_jump() -> None:
    # d01 opens at D+0 08:00 with a 2d deadline; i04 comes `after` the choice
    late = found(replace("after: 2d", "after: 29d"), "W-FOLLOWUP-LATE")
    assert len(late) == 1 and "due after the end of play (D+30 00:00) if 'd01' is decided after D+1" in late[0].message
    never = [p for p in lint(replace("after: 2d", "after: 31d")) if p.code == "W-UNREACHABLE"]
    assert len(never) == 1 and "after the end of play" in never[0].message
    (jump,) = found(replace("after: 2d", "after: 5d"), "W-IN-JUMP")
    assert "inside the jump after phase 'akutt'" in jump.message and "D+14 00:00" in jump.message


def test_own_criteria_that_shadow_the_catalogue_or_repeat_are_errors() -> None:
    own = "  own_criteria:\n    - {id: KH-2, theme: KH, name: Egen}\n    - {id: EGEN-1, theme: KH, name: A}\n" \
          "    - {id: EGEN-1, theme: KH, name: B}\n"
    result = load(replace("scoring:\n", "scoring:\n" + own))
    assert result.scenario is None
    codes = [(p.code, p.message) for p in result.problems]
    assert ("E-CRITERION-DUP", "'KH-2' is already a criterion of the catalogue") in codes
    assert ("E-CRITERION-DUP", "the own criterion 'EGEN-1' is defined twice") in codes


def test_a_flag_named_like_an_indicator_is_an_error() -> None:
    text = replace("sets: [daily]", "sets: [load]").replace("not daily", "not flag(load)")
    result = load(text)
    assert [p.code for p in result.problems] == ["E-ID-DUP"]
    assert "has the name of an indicator" in result.problems[0].message


def test_names_that_collide_across_kinds() -> None:
    text = replace("sets: [daily]", "sets: [akutt]").replace("not daily", "not akutt")
    (problem,) = found(text, "W-NAME-CLASH")
    assert problem.message == "'akutt' names a flag and a phase (line 6)"


def test_an_option_that_dominates_is_flagged_and_a_trade_off_is_not() -> None:
    text = replace("initial: 40\n", "initial: 40\n    good: low\n")
    text = replace("initial: 60\n", "initial: 60\n    good: high\n", text)
    # a: load +5 (worse), trust +10 (better): a trade-off
    assert not found(text, "W-NO-TRADEOFF")
    dominating = replace("effects: {load: +5, trust: +10}", "effects: {load: -5, trust: +10}", text)
    (problem,) = found(dominating, "W-NO-TRADEOFF")
    assert "option 'a' of 'd01'" in problem.message


def test_kh3_gets_evidence_from_deadlines() -> None:
    text = replace("criteria: [KH-2, KH-5]", "criteria: [KH-2, KH-3, KH-5]")
    assert not [p for p in found(text, "W-NO-EVIDENCE") if "KH-3" in p.message]
    assert TIMELINESS_CRITERION == SCORED_TIMELINESS


def test_repeated_language_warnings_get_a_summary_line() -> None:
    title = 'title: {nb: "Mini", en: "Mini"}\n'
    text = replace(title, title + "languages: [nb, en]\n")
    missing = found(text, "W-LANG-MISSING")
    summary = [p for p in missing if "texts have no 'en' text" in p.message]
    assert len(summary) == 1 and summary[0].line == 4
    assert summary[0].message.startswith(f"{len(missing) - 1} texts")


def test_a_long_chain_of_conditions_is_followed_to_its_end() -> None:
    # 300 conditional injects, each waiting for the one before: one round of the fixed point each
    lines = [MINIMAL.rstrip("\n").split("decisions:")[0]]
    for n in range(300):
        condition = "released(i01)" if n == 0 else f"released(c{n - 1})"
        lines.append(f"  - id: c{n}\n    when: \"{condition}\"\n    channel: email\n    title: \"K{n}\"\n")
    text = "".join(lines) + "decisions:" + MINIMAL.split("decisions:")[1]
    result = load(text)
    assert result.scenario is not None
    analysis = Analysis(result.scenario)
    assert f"c{299}" in analysis.reach.injects


def test_a_new_theme_is_named_and_the_ratings_use_the_name() -> None:
    from krise_ovelse.scoring.ratings import theme_name

    own = "  own_criteria:\n    - {id: SAM-1, theme: SAM, name: Samvirke}\n"
    (problem,) = found(replace("scoring:\n", "scoring:\n" + own), "W-THEME-NAME")
    assert problem.message == "the new theme 'SAM' has no name"
    named = replace("scoring:\n", "scoring:\n" + own.replace("name: Samvirke}", "name: Samvirke, "
                                                             "theme_name: {nb: Samvirke på tvers, en: Joint work}}"))
    assert not found(named, "W-THEME-NAME")
    scenario = load(named).scenario
    assert scenario is not None
    assert theme_name("SAM", scenario=scenario).get("en") == "Joint work"
    assert theme_name("KH", scenario=scenario).get() != "KH"  # the catalogue's own name
