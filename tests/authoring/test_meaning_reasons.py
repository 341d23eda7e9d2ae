"""Why lint says a condition never holds, and where: the exact reason an author reads and the
column it points at (the comparison, call or name at fault), for each way a condition can fail,
and conditions that must stay quiet because they can hold (docs/authoring-lint.md)."""

from __future__ import annotations

import pytest

from krise_ovelse.model.problems import Problem

from .minimal_scenario import FOUR_PHASES, MINIMAL, lint, replace

CONDITION = '"load >= 75 and not daily"'
#: The column of the condition's first character in i02's `when: "…"` (line 35).
START = MINIMAL.splitlines()[34].index('"') + 2



def about(text: str, inject: str) -> list[Problem]:
    return [p for p in lint(text)
            if p.code in ("W-NEVER-TRUE", "W-UNREACHABLE") and f"{inject!r} is never" in p.message]


def verdict(condition: str, text: str = MINIMAL) -> tuple[str, int, str] | None:
    """(code, offset into the condition, reason) of i02's warning with `condition`, or None."""
    text = replace(CONDITION, f'"{condition}"', text)
    problems = about(text, "i02")
    if not problems:
        return None
    (problem,) = problems
    assert text.splitlines()[problem.line - 1] == f'    when: "{condition}"'
    return problem.code, problem.col - START, problem.message.split("its condition never holds: ", 1)[1]


NEVER = "W-NEVER-TRUE"


@pytest.mark.parametrize(("condition", "offset", "reason"), [
    ("day > 4 and day < 10", 0,
     "`day` would have to be in (4, 10), but those days are not played (after the end or inside a jump)"),
    ("phase(lang) and day <= 2", 0, "`day` would have to be in (-∞, 2], but phase lang is played on days [14, 30]"),
    ("day < 10 and phase(lang)", 0, "`day` would have to be in (-∞, 10), but phase lang is played on days [14, 30]"),
    ("phase(akutt) and day > 10", 0, "`day` would have to be in (10, ∞), but phase akutt is played on days [0, 3]"),
    ("day >= 20 and phase(akutt)", 0, "`day` would have to be in [20, ∞), but phase akutt is played on days [0, 3]"),
    ("day == 20 and phase(akutt)", 0, "`day` would have to be in [20, 20], but phase akutt is played on days [0, 3]"),
    ("not phase(akutt) and day < 2", 0,
     "`day` would have to be in (-∞, 2), but phase lang is played on days [14, 30]"),
    ("load > 1 and day == 5", 17,
     "`day` would have to be in [5, 5], but those days are not played (after the end or inside a jump)"),
    ("day > 4 and day < 2", 0,
     "its parts on `day` cannot all hold at once (with the inject's `at` and the end of play, D+30 00:00)"),
    ("load > 1 and trust > 70 and trust < 65", 0,
     "its parts on 'trust' cannot all hold at once ('trust' stays within 0–100)"),
    ("(trust > 150 or load > 80) and load < 20", 0,
     "its parts on 'load' cannot all hold at once ('load' stays within 0–100)"),
    ("load > 1 and daily and not daily", 0, "the flag 'daily' would have to be set and clear at once"),
    ("load > 1 and phase(akutt) and phase(lang)", 0, "it asks for two phases at once"),
    ("load > 1 and chose(d01, a) and chose(d01, b)", 0, "it asks for two choices in 'd01' at once"),
    ("(chose(d01, a) and load > 1) and chose(d01, b)", 0, "it asks for two choices in 'd01' at once"),
    ("(phase(akutt) and load > 1) and day > 10", 0,
     "`day` would have to be in (10, ∞), but phase akutt is played on days [0, 3]"),
    ("load > 1 and false", 13, "it is always false"),
    ("load > 1 and 1 > 2", 15, "it compares two numbers and is always false (1 > 2)"),
    ("150 < trust", 4, "trust > 150 cannot hold: 'trust' stays within 0–100"),
    ("trust > 150 or day > 31", 6,
     "none of its alternatives can hold: trust > 150 cannot hold: 'trust' stays within 0–100"),
    ("day > 1 and released(i02)", 12, "it waits for its own release (released(i02))"),
    ("not not released(i02)", 8, "it waits for its own release (released(i02))"),
])
def test_why_a_condition_never_holds_and_where(condition: str, offset: int, reason: str) -> None:
    assert verdict(condition) == (NEVER, offset, reason)


@pytest.mark.parametrize("condition", [
    "not false",  # a double negative is positive
    "not (trust > 150 or not daily)",  # daily can be set (option a of d01)
    "(load > 80 or load < 10) and load < 50",  # one alternative fits
    "day",  # a number read as true or false is not analysed
    "load",
    "day and load > 1",
    "1 != 2",
    "load > trust",  # two indicators: not analysed
    "day < 1",  # i02 has no `at`: it may come from the first minute
    "daily and flag(daily)",  # the same flag asked for twice
    "chose(d01, a) and load > 1 and chose(d01, a)",  # the same choice asked for twice
    "day <= 0.5",
    "day >= 20 and phase(lang)",
    "decided(d01) and day > 20",
    "day < 3",
])
def test_conditions_that_can_hold_stay_quiet(condition: str) -> None:
    assert verdict(condition) is None


def test_a_static_indicator_is_pointed_at_in_the_comparison() -> None:
    # nothing changes trust (no effects, no drift): it stays at 60
    text = replace("effects: {load: +5, trust: +10}", "effects: {load: +5}")
    text = replace("effects: {trust: -10}", "effects: {load: 1}", text)
    assert verdict("load > 1 and trust > 70", text) == (NEVER, 19, "trust > 70 cannot hold: nothing moves 'trust' "
                                                                   "from 60")


def test_a_day_after_the_end_is_pointed_at_in_the_comparison() -> None:
    assert verdict("load > 1 and day > 31") == (NEVER, 17, "day > 31 cannot hold: play ends at D+30 00:00 (day 30)")


# --- the inject's own `at` --------------------------------------------------------------------

AT_DAY_2 = replace("  - id: i02\n", "  - id: i02\n    at: D+2 08:00\n")


def test_a_condition_cannot_hold_before_the_injects_own_time() -> None:
    (problem,) = about(replace(CONDITION, '"day < 2"', AT_DAY_2), "i02")
    assert problem.code == NEVER and (problem.line, problem.col) == (36, START + 4)
    assert problem.message.endswith("its parts on `day` cannot all hold at once (with the inject's `at` and the "
                                    "end of play, D+30 00:00)")


def test_a_condition_may_hold_after_the_injects_own_time() -> None:
    assert about(replace(CONDITION, '"day < 3"', AT_DAY_2), "i02") == []


# --- phases: the days each is played ----------------------------------------------------------



def four_phases() -> str:
    text = replace(MINIMAL[MINIMAL.index("phases:"):MINIMAL.index("ends: D+30")], FOUR_PHASES)
    return replace("drift: {akutt: 3/week, lang: 2/week}", "drift: {a: 3/week}", text)


@pytest.mark.parametrize(("condition", "where"), [
    ("phase(a) and day > 6", "phase a is played on days [0, 5]"),  # to the start of b
    ("phase(b) and day > 9", "phase b is played on days [5, 8]"),  # to its own end
    ("phase(c) and day > 15", "phase c is played on days [10, 14]"),  # to the start of d
    ("not phase(d) and day > 20", "phase a, b, c is played on days [0, 5], [5, 8], [10, 14]"),
])
def test_the_days_a_phase_is_played(condition: str, where: str) -> None:
    result = verdict(condition, four_phases())
    assert result is not None and result[2].endswith(f"but {where}")


# --- causes elsewhere in the scenario (W-UNREACHABLE) ------------------------------------------

# d01 opens with i02, which is never released: daily is never set, d01 never opens, its
# follow-up i04 never comes; i05 then gets a condition instead of its time
CLOSED = replace("opens_with: i01", "opens_with: i02", replace(CONDITION, '"false"'))


def i05_when(condition: str) -> tuple[str, int, str]:
    text = replace("at: D+15 09:00", f'when: "{condition}"', CLOSED)
    (problem,) = about(text, "i05")
    column = text.splitlines()[problem.line - 1].index('"') + 2
    return problem.code, problem.col - column, problem.message.split("its condition never holds: ", 1)[1]


@pytest.mark.parametrize(("condition", "offset", "reason"), [
    ("load > 1 and daily", 13, "no option of a decision that can open sets the flag 'daily'"),
    ("load > 1 and flag(daily)", 18, "no option of a decision that can open sets the flag 'daily'"),
    ("day > 16 and decided(d01)", 21, "the decision 'd01' never opens"),
    ("day > 16 and missed(d01)", 20, "the decision 'd01' never opens"),
    ("day > 16 and chose(d01, a)", 19, "the decision 'd01' never opens"),
    ("day > 16 and released(i04)", 22, "the inject 'i04' is never released"),
    ("day > 16 and released(i02)", 22, "the inject 'i02' is never released"),
    ("day > 16 and (released(i02) or daily)", 23,
     "none of its alternatives can hold: the inject 'i02' is never released"),
])
def test_a_condition_waiting_for_what_never_happens(condition: str, offset: int, reason: str) -> None:
    assert i05_when(condition) == ("W-UNREACHABLE", offset, reason)


def test_asking_that_a_closed_decision_was_not_decided_can_hold() -> None:
    text = replace("at: D+15 09:00", 'when: "not (day > 16 and decided(d01))"', CLOSED)
    assert about(text, "i05") == []


def test_a_follow_up_listed_only_by_decisions_that_never_open() -> None:
    # d02 (never opens) lists i04 in both options; d01 (opens) lists it in neither
    def closed(ident: str, opens_with: str) -> str:
        return (f"  - id: {ident}\n    opens_with: {opens_with}\n    deadline: 1d\n    category: communication\n"
                "    prompt: \"Aldri\"\n    options:\n"
                "      - {id: x, text: \"X\", effects: {load: 1}, evidence: {KH-2: S}, follow_up: [i04]}\n"
                "      - {id: y, text: \"Y\", effects: {load: 2}, evidence: {KH-2: M}, follow_up: [i04]}\n"
                "    default: x\n")
    text = replace("        follow_up: [i04]\n", "", replace(CONDITION, '"false"'))
    text = replace("scoring:\n", closed("d02", "i02") + "scoring:\n", text)
    (problem,) = about(text, "i04")
    assert problem.message.endswith("only options of decisions that never open list it (d02)")
    three = replace("scoring:\n", closed("d03", "i05") + "scoring:\n", text)
    three = replace("at: D+15 09:00", 'when: "false"', three)
    (problem,) = about(three, "i04")
    assert problem.message.endswith("only options of decisions that never open list it (d02, d03)")
