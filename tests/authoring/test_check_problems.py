"""Mistakes of meaning in a scenario whose form is right, as `validate` reports them: for each
check, the position, code, message and hint the author reads, and the edges that are allowed
(`krise_ovelse.authoring.checks`)."""

from __future__ import annotations

import pytest

from .minimal_scenario import MINIMAL, load


def rendered(text: str) -> list[str]:
    return [p.render() for p in load(text).problems]


@pytest.mark.parametrize(("old", "new", "lines"), [
    ('schema_version: 1',
     'schema_version: 2',
     ['s.yaml:1:17: E-VERSION unsupported schema_version 2 (this version of krise-øvelse reads '
      'schema_version 1)']),
    ('title: {nb: "Mini", en: "Mini"}\n',
     'title: {nb: "Mini", en: "Mini"}\nlanguage: de\n',
     ["s.yaml:4:11: E-LANGUAGE unknown language 'de' (languages are nb, en)"]),
    ('title: {nb: "Mini", en: "Mini"}\n',
     'title: {nb: "Mini", en: "Mini"}\nlanguages: [nb, sv]\n',
     ["s.yaml:4:17: E-LANGUAGE unknown language 'sv' (languages are nb, en)"]),
    ('id: mini',
     'id: mini.x',
     ["s.yaml:2:5: E-ID-FORMAT bad scenario id 'mini.x' (a scenario id is ASCII letters, digits, "
      '- and _, at most 64 characters, e.g. maratonet (it names files))']),
    ('ends: D+30',
     'ends: D+0',
     ['s.yaml:8:13: E-TIME-RANGE the phase starts at or after the end of play (D+0 00:00)',
      's.yaml:13:13: E-TIME-RANGE the phase starts at or after the end of play (D+0 00:00)',
      's.yaml:15:7: E-TIME-RANGE the exercise must end after D+0',
      's.yaml:27:9: E-TIME-RANGE D+0 08:00 is not played: it is after the end of play (D+0 00:00) '
      '(move it into a phase, between its start and its end)',
      's.yaml:49:9: E-TIME-RANGE D+15 09:00 is not played: it is after the end of play (D+0 '
      '00:00) (move it into a phase, between its start and its end)',
      's.yaml:55:15: E-DEADLINE the deadline falls after the end of play (D+0 00:00) (shorten the '
      'deadline or release the inject earlier)']),
    ('  - id: lang\n',
     '  - id: akutt\n',
     ["s.yaml:11:9: E-ID-DUP duplicate id 'akutt' (first used on line 6)",
      "s.yaml:20:28: E-REF-PHASE no phase with id 'lang' (known phases: akutt)"]),
    ('  - id: i05',
     '  - id: i01',
     ["s.yaml:48:9: E-ID-DUP duplicate id 'i01' (first used on line 26)"]),
    ('  - id: b\n',
     '  - id: a\n',
     ["s.yaml:65:13: E-ID-DUP duplicate id 'a' (first used on line 59)",
      "s.yaml:69:14: E-REF-OPTION no option with id 'b' (known options: a)"]),
    ('  - id: trust\n',
     '  - id: load\n',
     ["s.yaml:21:9: E-ID-DUP duplicate id 'load' (first used on line 17)",
      "s.yaml:61:29: E-REF-INDICATOR no indicator with id 'trust' (known indicators: load)",
      "s.yaml:67:19: E-REF-INDICATOR no indicator with id 'trust' (known indicators: load)"]),
    ('sets: [daily]',
     "sets: [daily, 'no way']",
     ["s.yaml:63:23: E-ID-FORMAT the id 'no way' has the character ' ' (U+0020) (ids are letters "
      '(a-z, æøå and other Latin letters), digits 0-9, _, - and ., starting with a letter, digit '
      'or _, at most 64 characters, e.g. i01 or key_person_load)']),
    ('sets: [daily]',
     'sets: [daily, trust]',
     ["s.yaml:63:23: E-ID-DUP the flag 'trust' has the name of an indicator (a bare name in a "
      'condition reads the indicator, so the flag could only be read as flag(...); rename the '
      'flag)']),
    ('starts: D+0',
     'starts: D+1',
     ['s.yaml:8:13: E-PHASE-ORDER the first phase must start at D+0']),
    ('compression: 720',
     'compression: 0',
     ['s.yaml:9:18: E-VALUE compression must be above zero (scenario minutes per minute of play, '
      'e.g. 720)']),
    ('starts: D+14',
     'starts: D+2',
     ['s.yaml:10:11: E-PHASE-ORDER a phase must end after it starts and by D+2 00:00 (play jumps '
      "from a phase's end to the next phase's start)"]),
    ('starts: D+14',
     'starts: D+31',
     ['s.yaml:13:13: E-TIME-RANGE the phase starts at or after the end of play (D+30 00:00)',
      's.yaml:49:9: E-TIME-RANGE D+15 09:00 is not played: it is in the jump from the end of '
      "phase 'akutt' (D+3 00:00) to the start of the next phase (D+31 00:00) (move it into a "
      'phase, between its start and its end)']),
    ('ends: D+3',
     'ends: D+15',
     ['s.yaml:10:11: E-PHASE-ORDER a phase must end after it starts and by D+14 00:00 (play jumps '
      "from a phase's end to the next phase's start)"]),
    ('ends: D+3',
     'ends: D+0',
     ['s.yaml:10:11: E-PHASE-ORDER a phase must end after it starts and by D+14 00:00 (play jumps '
      "from a phase's end to the next phase's start)",
      's.yaml:27:9: E-TIME-RANGE D+0 08:00 is not played: it is in the jump from the end of phase '
      "'akutt' (D+0 00:00) to the start of the next phase (D+14 00:00) (move it into a phase, "
      'between its start and its end)']),
    ('initial: 40',
     'initial: 400',
     ['s.yaml:19:14: E-BOUNDS initial value 400 is outside 0–100']),
    ('initial: 40\n',
     'initial: 40\n    min: 50\n    max: 10\n',
     ['s.yaml:21:10: E-BOUNDS max must be above min']),
    ('  - id: i04\n    trigger: follow_up\n',
     '  - id: i04\n    trigger: scheduled\n',
     ["s.yaml:44:14: E-TRIGGER trigger 'scheduled' is implied (write `at:` for a scheduled "
      'inject, `when:` for a conditional one; `trigger:` is only for manual or follow_up)',
      's.yaml:45:12: E-TRIGGER `after` is only for follow_up injects',
      "s.yaml:64:21: E-FOLLOWUP inject 'i04' is not a follow_up inject (give it `trigger: "
      'follow_up` (and optionally `after: 2d`))']),
    ('trigger: manual',
     'trigger: manual\n    at: D+1',
     ['s.yaml:39:14: E-TRIGGER a manual inject cannot also have `at` or `when`']),
    ('    trigger: manual\n',
     '',
     ["s.yaml:38:5: E-TRIGGER inject 'i03' has no trigger (give `at: D+n HH:MM`, `when: "
      '<condition>` or `trigger: manual`)']),
    ('    at: D+15 09:00\n',
     '    at: D+15 09:00\n    after: 1d\n',
     ['s.yaml:50:12: E-TRIGGER `after` is only for follow_up injects']),
    ('follow_up: [i04]',
     'follow_up: [i04, i05]',
     ["s.yaml:64:26: E-FOLLOWUP inject 'i05' is not a follow_up inject (give it `trigger: "
      'follow_up` (and optionally `after: 2d`))']),
    ('follow_up: [i04]',
     'follow_up: []',
     ["s.yaml:44:14: E-FOLLOWUP no option lists 'i04' in its follow_up (add it to an option's "
      'follow_up)']),
    ('ends: D+3',
     'ends: D+14',
     []),
    ('starts: D+14',
     'starts: D+3',
     []),
    ('deadline: 2d',
     'deadline: 31d',
     ['s.yaml:55:15: E-DEADLINE the deadline falls after the end of play (D+30 00:00) (shorten '
      'the deadline or release the inject earlier)']),
    ('evidence: {KH-2: U}',
     'evidence: {KH-2: X}',
     ["s.yaml:68:26: E-VALUE 'X' is not a valid level (one of: P, S, M, U, N/O)"]),
    ('thresholds: {P: 60, S: 75, M: 90}',
     'thresholds: {P: 60, S: 75}',
     ['s.yaml:76:19: E-THRESHOLDS thresholds need exactly P, S and M (e.g. {P: 60, S: 75, M: 90}: '
      'up to 60 gives P, up to 75 S, up to 90 M, above U)']),
    ('thresholds: {P: 60, S: 75, M: 90}',
     'thresholds: {P: 60, S: 90, M: 75}',
     ['s.yaml:76:19: E-THRESHOLDS thresholds must rise (lower is better) or fall (higher is '
      'better) from P to M']),
    ('thresholds: {P: 60, S: 75, M: 90}',
     'thresholds: {P: 60, S: 60, M: 90}',
     ['s.yaml:76:19: E-THRESHOLDS thresholds must rise (lower is better) or fall (higher is '
      'better) from P to M']),
    ('thresholds: {P: 60, S: 75, M: 90}',
     'thresholds: {P: 90, S: 75, M: 60}',
     []),
    ('  rules:\n',
     "  own_criteria:\n    - {id: KH-2, theme: KH, name: X}\n    - {id: EG-1, theme: KH, name: A}\n"
     "    - {id: EG-1, theme: KH, name: B}\n    - {id: 'a b', theme: KH, name: C}\n  rules:\n",
     ["s.yaml:73:12: E-CRITERION-DUP 'KH-2' is already a criterion of the catalogue (an own "
      "criterion needs an id of its own (e.g. prefix it with the scenario's initials); to use the "
      "catalogue's, list it in `scoring.criteria` only)",
      "s.yaml:75:12: E-CRITERION-DUP the own criterion 'EG-1' is defined twice (first defined on "
      'line 74)',
      "s.yaml:76:12: E-ID-FORMAT the id 'a b' has the character ' ' (U+0020) (ids are letters "
      '(a-z, æøå and other Latin letters), digits 0-9, _, - and ., starting with a letter, digit '
      'or _, at most 64 characters, e.g. i01 or key_person_load)']),
    ('"load >= 75 and not daily"',
     '"lod >= 75"',
     ["s.yaml:35:12: E-REF-NAME 'lod' is neither an indicator nor a flag (did you mean 'load'?)"]),
    ('"load >= 75 and not daily"',
     '"load >= 75 and not dailyy"',
     ["s.yaml:35:31: E-REF-NAME 'dailyy' is neither an indicator nor a flag (did you mean "
      "'daily'?)"]),
    ('phases:\n',
     "roles: [a, a, 'x y']\nphases:\n",
     ["s.yaml:5:12: E-ID-DUP duplicate id 'a' (first used on line 5)",
      "s.yaml:5:15: E-ID-FORMAT the id 'x y' has the character ' ' (U+0020) (ids are letters "
      '(a-z, æøå and other Latin letters), digits 0-9, _, - and ., starting with a letter, digit '
      'or _, at most 64 characters, e.g. i01 or key_person_load)']),
    ('phases:\n',
     'goals:\n  - {text: Mål, criteria: [KH-99]}\nphases:\n',
     ["s.yaml:6:28: E-REF-CRITERION no criterion with id 'KH-99' (did you mean 'KH-1'?)"]),
])
def test_each_check_as_the_author_reads_it(old: str, new: str, lines: list[str]) -> None:
    assert old in MINIMAL, old
    assert rendered(MINIMAL.replace(old, new, 1)) == lines


def test_what_is_checked_while_the_form_is_still_wrong() -> None:
    # `initial: high` keeps the scenario from being structured; the rest is still reported
    text = MINIMAL.replace("initial: 40", "initial: high")
    text = text.replace("schema_version: 1", "schema_version: 2").replace("id: mini\n", "id: mini x\n")
    text = text.replace('title: {nb: "Mini", en: "Mini"}\n', 'title: {nb: "Mini", en: "Mini"}\nlanguage: de\n'
                        "languages: [nb, sv]\nroles: [hr, hr, {id: 7}, {id: 7}]\n")
    text = text.replace("  - id: lang\n", "  - id: akutt\n").replace("  - id: trust\n", "  - id: 'lo ad'\n")
    text = text.replace("  - id: i05", "  - id: i01").replace("      - id: b\n", "      - id: a\n")
    text = text.replace("scoring:\n", "  - id: d01\n    opens_with: i03\n    deadline: 1d\n"
                        "    category: communication\n    prompt: X\n    options:\n      - {id: x, text: X}\n"
                        "    default: x\nscoring:\n")
    id_hint = ("(ids are letters (a-z, æøå and other Latin letters), digits 0-9, _, - and ., starting with a letter, "
               "digit or _, at most 64 characters, e.g. i01 or key_person_load)")
    assert rendered(text) == [
        "s.yaml:1:17: E-VERSION unsupported schema_version 2 (this version of krise-øvelse reads schema_version 1)",
        "s.yaml:2:5: E-ID-FORMAT bad scenario id 'mini x' (a scenario id is ASCII letters, digits, - and _, "
        "at most 64 characters, e.g. maratonet (it names files))",
        "s.yaml:4:11: E-LANGUAGE unknown language 'de' (languages are nb, en)",
        "s.yaml:5:17: E-LANGUAGE unknown language 'sv' (languages are nb, en)",
        "s.yaml:6:13: E-ID-DUP duplicate id 'hr' (first used on line 6)",
        "s.yaml:6:17: E-KEY-MISSING missing required key 'name'",
        "s.yaml:6:26: E-KEY-MISSING missing required key 'name'",
        "s.yaml:6:31: E-ID-DUP duplicate id '7' (first used on line 6)",
        "s.yaml:14:9: E-ID-DUP duplicate id 'akutt' (first used on line 9)",
        "s.yaml:22:14: E-TYPE expected a number, found text (the indicator's value at D+0, a plain number)",
        f"s.yaml:24:9: E-ID-FORMAT the id 'lo ad' has the character ' ' (U+0020) {id_hint}",
        "s.yaml:51:9: E-ID-DUP duplicate id 'i01' (first used on line 29)",
        "s.yaml:68:13: E-ID-DUP duplicate id 'a' (first used on line 62)",
        "s.yaml:73:9: E-ID-DUP duplicate id 'd01' (first used on line 56)",
        "s.yaml:79:7: E-OPTIONS a decision needs at least two options",
    ]


def test_phases_that_start_together_are_out_of_order() -> None:
    assert rendered(MINIMAL.replace("starts: D+14", "starts: D+0")) == [
        "s.yaml:10:11: E-PHASE-ORDER a phase must end after it starts and by D+0 00:00 "
        "(play jumps from a phase's end to the next phase's start)",
        "s.yaml:13:13: E-PHASE-ORDER phases must start in order, each after the one before"]


@pytest.mark.parametrize("at", ["D+0 00:00", "D+3 00:00"])
def test_the_first_minute_and_a_phases_last_minute_are_played(at: str) -> None:
    assert rendered(MINIMAL.replace("at: D+0 08:00", f"at: {at}")) == []


def test_an_exercise_of_one_minute_is_long_enough_to_end_after_d0() -> None:
    assert "the exercise must end after D+0" not in " ".join(rendered(MINIMAL.replace("ends: D+30", "ends: D+0 00:01")))


def test_an_inject_named_like_a_decision() -> None:
    assert rendered(MINIMAL.replace("  - id: i05", "  - id: d01")) == [
        "s.yaml:48:9: E-ID-DUP 'd01' is also the id of a decision or indicator (ids must be unique)"]


def test_two_decisions_opened_by_one_inject() -> None:
    second = ("  - id: d02\n    opens_with: i01\n    deadline: 1d\n    category: communication\n    prompt: X\n"
              "    options:\n      - {id: x, text: X}\n      - {id: y, text: Y}\n    default: x\n")
    line = "E-ID-DUP inject 'i01' opens more than one decision (give each decision its own inject)"
    assert rendered(MINIMAL.replace("scoring:\n", second + "scoring:\n")) == [f"s.yaml:54:17: {line}",
                                                                              f"s.yaml:71:17: {line}"]


def test_no_phases_and_odd_list_items_while_the_form_is_wrong() -> None:
    head, tail = MINIMAL.split("phases:\n", 1)
    text = (head + "phases: []\n" + tail[tail.index("ends: D+30"):]).replace("initial: 40", "initial: high")
    assert rendered(text) == [
        "s.yaml:5:9: E-PHASES a scenario needs at least one phase",
        "s.yaml:10:14: E-TYPE expected a number, found text (the indicator's value at D+0, a plain number)"]
    # a list item that is not a mapping is skipped, not the end of the look at ids
    odd = MINIMAL.replace("  - id: akutt\n", "  - 5\n  - id: akutt\n", 1).replace("  - id: lang\n", "  - id: akutt\n")
    assert rendered(odd) == ["s.yaml:6:5: E-TYPE expected a mapping, found a number",
                             "s.yaml:12:9: E-ID-DUP duplicate id 'akutt' (first used on line 7)"]
    assert rendered(MINIMAL[:MINIMAL.index("decisions:")] + "decisions: 5\n") == [
        "s.yaml:52:12: E-TYPE expected a list, found a number"]


def _cut(start: str, stop: str, new: str) -> str:
    return MINIMAL[:MINIMAL.index(start)] + new + MINIMAL[MINIMAL.index(stop):]


def test_a_well_formed_scenario_without_phases_is_a_problem_not_a_crash() -> None:
    """An empty `phases` list in an otherwise well-formed file once crashed the check of the
    injects' times (no phase to look a time up in)."""
    no_phases = _cut("phases:", "ends: D+30", "phases: []\n")
    assert rendered(no_phases) == [
        "s.yaml:5:9: E-PHASES a scenario needs at least one phase",
        "s.yaml:11:13: E-REF-PHASE no phase with id 'akutt' (no phases are defined)",
        "s.yaml:11:28: E-REF-PHASE no phase with id 'lang' (no phases are defined)",
    ]
    assert rendered(no_phases.replace("at: D+15 09:00", "at: D+45 09:00"))[-1] == (
        "s.yaml:40:9: E-TIME-RANGE D+45 09:00 is not played: it is after the end of play (D+30 00:00) "
        "(move it into a phase, between its start and its end)")


def test_a_decision_with_one_option() -> None:
    assert rendered(_cut("      - id: b", "    default: b", "")) == [
        "s.yaml:59:7: E-OPTIONS a decision needs at least two options",
        "s.yaml:65:14: E-REF-OPTION no option with id 'b' (known options: a)",
    ]


def test_ids_of_a_well_formed_scenario_are_pointed_at_exactly() -> None:
    """Duplicates name the line of the first id itself (not of its list item), bad ids point at
    the id's value; an inject may not share an id with a decision or an indicator either."""
    id_second = MINIMAL.replace("  - id: i01\n    at: D+0 08:00\n", "  - at: D+0 08:00\n    id: i01\n")
    assert rendered(id_second) == []
    assert rendered(id_second.replace("  - id: i05\n", "  - id: i01\n")) == [
        "s.yaml:48:9: E-ID-DUP duplicate id 'i01' (first used on line 27)"]
    assert rendered(MINIMAL.replace("  - id: i05\n", "  - id: i 05\n")) == [
        "s.yaml:48:9: E-ID-FORMAT the id 'i 05' has the character ' ' (U+0020) (ids are letters (a-z, æøå and "
        "other Latin letters), digits 0-9, _, - and ., starting with a letter, digit or _, at most 64 characters, "
        "e.g. i01 or key_person_load)"]
    for other in ("load", "d01"):
        assert rendered(MINIMAL.replace("  - id: i05\n", f"  - id: {other}\n")) == [
            f"s.yaml:48:9: E-ID-DUP '{other}' is also the id of a decision or indicator (ids must be unique)"]
    own = ("  own_criteria:\n    - theme: SAM\n      name: A\n      id: SAM-1\n"
           "    - {id: SAM-1, theme: SAM, name: B}\n")
    assert rendered(MINIMAL.replace("  rules:\n", own + "  rules:\n")) == [
        "s.yaml:76:12: E-CRITERION-DUP the own criterion 'SAM-1' is defined twice (first defined on line 75)"]


@pytest.mark.parametrize(("bounds", "problem"), [
    ("initial: 40\n    min: 40\n    max: 40", "s.yaml:21:10: E-BOUNDS max must be above min"),
    ("initial: 40\n    min: 40\n    max: 50", None),
    ("initial: 50\n    min: 40\n    max: 50", None),
    ("initial: 51\n    min: 40\n    max: 50", "s.yaml:19:14: E-BOUNDS initial value 51 is outside 40–50"),
])
def test_an_indicator_may_start_on_its_bounds(bounds: str, problem: str | None) -> None:
    assert rendered(MINIMAL.replace("initial: 40", bounds)) == ([problem] if problem else [])
