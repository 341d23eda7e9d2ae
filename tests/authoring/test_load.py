"""The loader: a good scenario loads; each kind of mistake is reported with its position."""

from __future__ import annotations

import pytest

from krise_ovelse.model.scenario import Channel, Level, Trigger

from .minimal_scenario import MINIMAL, codes, load


def test_minimal_scenario_loads() -> None:
    result = load(MINIMAL)
    assert result.problems == ()
    s = result.scenario
    assert s is not None
    assert [p.id for p in s.phases] == ["akutt", "lang"]
    assert s.phases[0].ends is not None and s.phases[0].ends.minutes == 3 * 1440
    assert (at := s.inject("i01").at) is not None and at.minutes == 8 * 60
    assert s.inject("i01").sender == "NRK"
    assert s.inject("i01").channel is Channel.NEWS
    assert s.inject("i02").kind is Trigger.CONDITIONAL
    assert s.inject("i03").kind is Trigger.MANUAL
    assert (after := s.inject("i04").after) is not None and after.minutes == 2 * 1440
    assert s.decision("d01").option("a") is not None
    assert s.decision("d01").options[0].evidence == {"KH-2": Level.P}
    assert s.indicator("load").drift["akutt"].per_day == pytest.approx(3 / 7)
    assert s.indicator("trust").visible is False
    assert s.title.get("en") == "Mini"
    assert s.indicator("trust").name.get("en") == "Tillit"  # falls back to nb


def replace(old: str, new: str) -> str:
    assert old in MINIMAL, old
    return MINIMAL.replace(old, new, 1)


def only(text: str) -> tuple[str, int, int]:
    result = load(text)
    assert result.scenario is None
    assert len(result.problems) == 1, [p.render() for p in result.problems]
    p = result.problems[0]
    return p.code, p.line, p.col


def test_unknown_key_has_did_you_mean_and_key_position() -> None:
    result = load(replace("    body: ", "    bodyy: "))
    (problem,) = result.problems
    assert problem.code == "E-KEY-UNKNOWN"
    assert (problem.line, problem.col) == (32, 5)
    assert "did you mean 'body'" in problem.hint


def test_bad_time_points_inside_the_string() -> None:
    assert only(replace("starts: D+14", "starts: D+x4")) == ("E-TIME", 13, 15)


def test_bad_duration() -> None:
    assert only(replace("deadline: 2d", "deadline: 2 days"))[0] == "E-TIME"


def test_wrong_type() -> None:
    assert only(replace("initial: 40", "initial: high")) == ("E-TYPE", 19, 14)


def test_text_where_list_of_texts_is_given_is_fine_but_mapping_is_not() -> None:
    assert only(replace("to: [alle]", "to: {a: 1}"))[0] == "E-TYPE"


def test_missing_required_key() -> None:
    code, line, _ = only(replace("    compression: 10080\n", ""))
    assert code == "E-KEY-MISSING"
    assert line == 11


def test_bad_enum_value_suggests() -> None:
    result = load(replace("channel: phone", "channel: phon"))
    (problem,) = result.problems
    assert problem.code == "E-VALUE"
    assert "did you mean 'phone'" in problem.hint


def test_condition_error_points_at_column_inside_string() -> None:
    # `when: "load >= 75 and not daily"` starts at column 11, the string at 12
    code, line, col = only(replace('"load >= 75 and not daily"', '"load >= 75 and and"'))
    assert code == "E-COND"
    assert line == 35
    assert col == 12 + len("load >= 75 and ")


def test_condition_unknown_name() -> None:
    code, _, col = only(replace('"load >= 75 and not daily"', '"lod >= 75"'))
    assert code == "E-REF-NAME"
    assert col == 12


def test_duplicate_ids() -> None:
    result = load(replace("  - id: i05", "  - id: i04"))
    assert "E-ID-DUP" in codes(result)


def test_reference_to_missing_things() -> None:
    text = replace("opens_with: i01", "opens_with: i99").replace("default: b", "default: c")
    text = text.replace("effects: {trust: -10}", "effects: {trusst: -10}").replace("KH-2: U", "KH-22: U")
    result = load(text)
    assert {"E-REF-INJECT", "E-REF-OPTION", "E-REF-INDICATOR", "E-REF-CRITERION"} <= set(codes(result))
    unknown_ind = next(p for p in result.problems if p.code == "E-REF-INDICATOR")
    assert "did you mean 'trust'" in unknown_ind.hint


def test_inject_in_a_jump_or_after_the_end() -> None:
    assert only(replace("at: D+15 09:00", "at: D+5 09:00"))[0] == "E-TIME-RANGE"
    assert only(replace("at: D+15 09:00", "at: D+31"))[0] == "E-TIME-RANGE"


def test_deadline_beyond_the_end() -> None:
    assert only(replace("deadline: 2d", "deadline: 5w"))[0] == "E-DEADLINE"


def test_follow_up_must_be_a_follow_up_inject() -> None:
    result = load(replace("follow_up: [i04]", "follow_up: [i05]"))
    assert codes(result) == ["E-FOLLOWUP", "E-FOLLOWUP"]  # i04 now unlisted, i05 not a follow-up
    assert "'i05' is not a follow_up inject" in result.problems[1].message


def test_thresholds_must_be_monotonic() -> None:
    assert only(replace("{P: 60, S: 75, M: 90}", "{P: 60, S: 95, M: 90}"))[0] == "E-THRESHOLDS"


def test_every_problem_not_just_the_first() -> None:
    text = replace("starts: D+14", "starts: D+x").replace("initial: 40", "initial: high")
    text = text.replace("channel: phone", "channel: fax")
    result = load(text)
    assert len(result.problems) == 3
    assert [p.line for p in result.problems] == sorted(p.line for p in result.problems)


def test_problem_renders_as_compiler_message() -> None:
    result = load(replace("channel: phone", "channel: phon"))
    assert result.problems[0].render() == (
        "s.yaml:36:14: E-VALUE 'phon' is not a valid channel (did you mean 'phone'?)"
    )


def test_scenario_id_must_be_a_word() -> None:
    assert only(replace("id: mini", "id: mini x")) == ("E-ID-FORMAT", 2, 5)


def test_problems_of_meaning_seen_while_the_form_is_wrong() -> None:
    """A structure error (here a bad time) does not hide what can be checked without a
    structured scenario: the version, languages, the scenario id, ids, an empty phase list,
    a decision with one option."""
    text = replace("starts: D+14", "starts: D+x").replace("id: mini", "id: mini x")
    text = text.replace("schema_version: 1", "schema_version: 2").replace("  - id: i05", "  - id: i 04")
    text = text.replace("  - id: i03", "  - id: i02")
    text = text.replace('      - id: b\n        text: "Vent"', '      - id: a\n        text: "Vent"')
    text = text.replace("start_date: 2020-03-12", "start_date: 2020-03-12\nlanguage: 'no'")
    result = load(text)
    found = {(p.code, p.line) for p in result.problems}
    assert found == {("E-VERSION", 1), ("E-ID-FORMAT", 2), ("E-LANGUAGE", 5), ("E-TIME", 14),
                     ("E-ID-DUP", 39), ("E-ID-FORMAT", 49), ("E-ID-DUP", 66)}, [p.render() for p in result.problems]
    dup = next(p for p in result.problems if p.code == "E-ID-DUP" and p.line == 39)
    assert dup.message == "duplicate id 'i02'" and dup.hint == "first used on line 35"
    assert [p.line for p in result.problems] == sorted(p.line for p in result.problems)


def test_no_phases_is_reported_beside_structure_errors() -> None:
    head, tail = MINIMAL.split("phases:\n", 1)
    text = head + "phases: []\n" + tail[tail.index("ends: D+30"):]
    text = text.replace("initial: 40", "initial: high")
    assert {p.code for p in load(text).problems} == {"E-PHASES", "E-TYPE"}
    options = replace('      - id: b\n        text: "Vent"\n        effects: {trust: -10}\n'
                      '        evidence: {KH-2: U}\n', "").replace("initial: 40", "initial: high")
    assert {p.code for p in load(options).problems} == {"E-OPTIONS", "E-TYPE"}


def test_a_map_of_languages_for_from_says_it_is_a_plain_string() -> None:
    result = load(replace("from: NRK", "from: {nb: NRK, en: NRK News}"))
    (problem,) = result.problems
    assert (problem.code, problem.message) == ("E-TYPE", "expected text, found a mapping")
    assert problem.hint == "`from` is a plain string, not translated: e.g. from: NRK"
    (problem,) = load(replace("to: [alle]", "to: [{nb: alle, en: all}]")).problems
    assert problem.hint.startswith("`to` is a plain string")


def test_did_you_mean_is_ranked_and_everywhere() -> None:
    # an unknown condition name gets a suggestion too, and leading zeros beat a closer spelling
    (problem,) = load(replace('"load >= 75 and not daily"', '"laod >= 75"')).problems
    assert problem.code == "E-REF-NAME" and problem.hint == "did you mean 'load'?"
    text = replace("  - id: i05", "  - id: i32").replace("opens_with: i01", "opens_with: i1")
    (problem,) = load(text).problems
    assert problem.code == "E-REF-INJECT" and problem.hint == "did you mean 'i01'?"
