"""Names that refer to nothing and times that are not played, as `validate` reports them: the
position of the bad name (the key itself where the name is a key, the word inside a condition),
the message, and the hint with the closest or the known names."""

from __future__ import annotations

import pytest

from .minimal_scenario import MINIMAL, load

CONDITION = '"load >= 75 and not daily"'


def replace(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def rendered(text: str) -> list[str]:
    return [p.render() for p in load(text).problems]


@pytest.mark.parametrize(("old", "new", "line"), [
    ("drift: {akutt: 3/week, lang: 2/week}", "drift: {akut: 3/week, lang: 2/week}",
     "s.yaml:20:13: E-REF-PHASE no phase with id 'akut' (did you mean 'akutt'?)"),
    (CONDITION, '"load > 1 and chose(d09, a)"',
     "s.yaml:35:31: E-REF-DECISION no decision with id 'd09' (did you mean 'd01'?)"),
    (CONDITION, '"load > 1 and decided(d09)"',
     "s.yaml:35:33: E-REF-DECISION no decision with id 'd09' (did you mean 'd01'?)"),
    (CONDITION, '"load > 1 and missed(d09)"',
     "s.yaml:35:32: E-REF-DECISION no decision with id 'd09' (did you mean 'd01'?)"),
    (CONDITION, '"load > 1 and flag(dayly)"',
     "s.yaml:35:30: E-REF-NAME no option sets the flag 'dayly' (did you mean 'daily'?)"),
    (CONDITION, '"load > 1 and flag(zzz)"',
     "s.yaml:35:30: E-REF-NAME no option sets the flag 'zzz' (known flags: daily)"),
    (CONDITION, '"load > 1 and chose(d01, c)"',
     "s.yaml:35:36: E-REF-OPTION no option with id 'c' (known options: a, b)"),
    (CONDITION, '"load > 1 and released(i99)"',
     "s.yaml:35:34: E-REF-INJECT no inject with id 'i99' (known injects: i01, i02, i03, i04, i05)"),
    (CONDITION, '"load > 1 and phase(akut)"',
     "s.yaml:35:31: E-REF-PHASE no phase with id 'akut' (did you mean 'akutt'?)"),
    ("evidence: {KH-2: U}", "evidence: {KH-22: U}",
     "s.yaml:68:20: E-REF-CRITERION no criterion with id 'KH-22' (did you mean 'KH-2'?)"),
    ("opens_with: i01", "opens_with: i99",
     "s.yaml:54:17: E-REF-INJECT no inject with id 'i99' (known injects: i01, i02, i03, i04, i05)"),
    ("default: b", "default: c", "s.yaml:69:14: E-REF-OPTION no option with id 'c' (known options: a, b)"),
    ("effects: {trust: -10}", "effects: {trusst: -10}",
     "s.yaml:67:19: E-REF-INDICATOR no indicator with id 'trusst' (did you mean 'trust'?)"),
    ("follow_up: [i04]", "follow_up: [i04, i99]",
     "s.yaml:64:26: E-REF-INJECT no inject with id 'i99' (known injects: i01, i02, i03, i04, i05)"),
    ("indicator: load", "indicator: lod",
     "s.yaml:74:18: E-REF-INDICATOR no indicator with id 'lod' (did you mean 'load'?)"),
    ("criteria: [KH-1]", "criteria: [KH-99]",
     "s.yaml:33:16: E-REF-CRITERION no criterion with id 'KH-99' (did you mean 'KH-1'?)"),
])
def test_a_name_that_refers_to_nothing(old: str, new: str, line: str) -> None:
    assert rendered(replace(old, new)) == [line]


HINT = "(move it into a phase, between its start and its end)"


def test_known_names_in_conditions_are_fine() -> None:
    assert rendered(replace(CONDITION, '"chose(d01, a) and decided(d01) and not missed(d01) and flag(daily)"')) == []


def test_a_time_in_a_jump_says_which_jump() -> None:
    assert rendered(replace("at: D+15 09:00", "at: D+5 09:00")) == [
        "s.yaml:49:9: E-TIME-RANGE D+5 09:00 is not played: it is in the jump from the end of phase 'akutt' "
        f"(D+3 00:00) to the start of the next phase (D+14 00:00) {HINT}"]


def test_a_jump_names_the_phase_that_comes_next() -> None:
    mid = "  - id: mid\n    title: Midt\n    starts: D+5\n    compression: 720\n    ends: D+6\n"
    text = replace("  - id: lang\n", mid + "  - id: lang\n").replace("drift: {akutt: 3/week, lang: 2/week}",
                                                                   "drift: {akutt: 3/week}")
    assert rendered(replace("at: D+15 09:00", "at: D+4 09:00", text)) == [
        "s.yaml:54:9: E-TIME-RANGE D+4 09:00 is not played: it is in the jump from the end of phase 'akutt' "
        f"(D+3 00:00) to the start of the next phase (D+5 00:00) {HINT}"]


def test_a_time_after_the_last_phase_ends_jumps_to_the_end() -> None:
    text = replace("    compression: 10080\n", "    compression: 10080\n    ends: D+20\n")
    assert rendered(replace("at: D+15 09:00", "at: D+25 09:00", text)) == [
        "s.yaml:50:9: E-TIME-RANGE D+25 09:00 is not played: it is in the jump from the end of phase 'lang' "
        f"(D+20 00:00) to the end (D+30 00:00) {HINT}"]
    # the very end of play is then in that jump too, not after the end
    assert rendered(replace("at: D+15 09:00", "at: D+30 00:00", text)) == [
        "s.yaml:50:9: E-TIME-RANGE D+30 00:00 is not played: it is in the jump from the end of phase 'lang' "
        f"(D+20 00:00) to the end (D+30 00:00) {HINT}"]


def test_a_time_after_the_end_of_play() -> None:
    assert rendered(replace("at: D+15 09:00", "at: D+31 09:00")) == [
        f"s.yaml:49:9: E-TIME-RANGE D+31 09:00 is not played: it is after the end of play (D+30 00:00) {HINT}"]


def test_the_last_minute_of_play_is_played() -> None:
    assert rendered(replace("at: D+15 09:00", "at: D+30 00:00")) == []
