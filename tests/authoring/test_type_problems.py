"""A value of the wrong kind (a number for a time, a list for a mapping, an unknown enum value),
as `validate` reports it: at the value, saying what was expected and what was found, with a hint
how to write it. And the forms that are allowed: one id or text where a list may stand."""

from __future__ import annotations

import pytest

from .minimal_scenario import MINIMAL, load

CHANNELS = "email, news, phone, intranet, social_media, meeting, union_rep, safety_rep, letter, sitrep"


def replace(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize(("old", "new", "line"), [
    ("at: D+15 09:00", "at: 15",
     "s.yaml:49:9: E-TYPE expected a scenario time, found a number (write D+n or D+n HH:MM)"),
    ("after: 2d", "after: 2", "s.yaml:45:12: E-TYPE expected a duration, found a number (e.g. 2d or 12h)"),
    ("drift: {akutt: 3/week, lang: 2/week}", "drift: {akutt: 3, lang: 2/week}",
     "s.yaml:20:20: E-TYPE expected a rate, found a number (e.g. 3/week)"),
    ('when: "load >= 75 and not daily"', "when: 75",
     "s.yaml:35:11: E-TYPE expected a condition, found a number (see docs)"),
    ("channel: phone", "channel: zzzzzz",
     f"s.yaml:36:14: E-VALUE 'zzzzzz' is not a valid channel (one of: {CHANNELS})"),
    ("channel: phone", "channel: 5", f"s.yaml:36:14: E-VALUE 5 is not a valid channel (one of: {CHANNELS})"),
    ("channel: phone", "channel: emial",
     "s.yaml:36:14: E-VALUE 'emial' is not a valid channel (did you mean 'email'?)"),
    ("to: [alle]", "to: [alle, [x]]", "s.yaml:30:16: E-TYPE expected text, found a list"),
    ("effects: {trust: -10}", "effects: [1]", "s.yaml:67:18: E-TYPE expected a mapping, found a list"),
    ("effects: {trust: -10}", "effects: {trust: x}",
     "s.yaml:67:26: E-TYPE expected a number, found text (write a plain number without a unit, e.g. 720)"),
])
def test_a_value_of_the_wrong_kind(old: str, new: str, line: str) -> None:
    result = load(replace(old, new))
    assert result.scenario is None
    assert [p.render() for p in result.problems] == [line]


def test_a_list_given_as_a_mapping_names_both() -> None:
    (problem,) = load(replace("to: [alle]", "to: {a: 1}")).problems
    assert (problem.line, problem.col, problem.message) == (30, 9, "expected a list, found a mapping")


@pytest.mark.parametrize(("old", "new", "field", "value"), [
    ("to: [alle]", "to: alle", "to", ("alle",)),
    ("criteria: [KH-1]", "criteria: KH-1", "criteria", ("KH-1",)),
])
def test_one_id_where_a_list_may_stand(old: str, new: str, field: str, value: tuple[str, ...]) -> None:
    result = load(replace(old, new))
    assert result.scenario is not None, [p.render() for p in result.problems]
    assert getattr(result.scenario.inject("i01"), field) == value


def test_plain_text_is_in_the_scenarios_language() -> None:
    result = load(replace('title: {nb: "Mini", en: "Mini"}\n', 'title: {nb: "Mini", en: "Mini"}\nlanguage: en\n'))
    assert result.scenario is not None
    title = result.scenario.inject("i05").title
    assert title.has("en") and not title.has("nb")


SHORTHANDS = ("agency: NAV Vest\nroles: [leder, {id: hr, name: HR}]\n"
              "goals:\n  - Øve på varsling\n  - {nb: Samordne, en: Coordinate}\n"
              "  - {text: Kommunisere, criteria: [KH-2]}\n")


def test_an_agency_a_role_and_a_goal_may_be_written_as_plain_text() -> None:
    text = replace('title: {nb: "Mini", en: "Mini"}\n', 'title: {nb: "Mini", en: "Mini"}\nlanguage: en\n')
    result = load(replace("phases:\n", SHORTHANDS + "phases:\n", text))
    scenario = result.scenario
    assert scenario is not None, [p.render() for p in result.problems]
    assert scenario.agency is not None and scenario.agency.name.values == {"en": "NAV Vest"}
    assert [(r.id, r.name.values) for r in scenario.roles] == [("leder", {"en": "leder"}), ("hr", {"en": "HR"})]
    assert [(g.text.values, g.criteria) for g in scenario.goals] == [
        ({"en": "Øve på varsling"}, ()), ({"nb": "Samordne", "en": "Coordinate"}, ()),
        ({"en": "Kommunisere"}, ("KH-2",))]


@pytest.mark.parametrize(("value", "lines"), [
    ("agency: 5", ["s.yaml:5:9: E-TYPE expected a mapping, found a number"]),
    ("agency: {name: X, staf: 5}", ["s.yaml:5:19: E-KEY-UNKNOWN unknown key 'staf' (did you mean 'staff'?)"]),
    # an unknown key does not hide a bad value beside it
    ("agency: {name: X, staf: 5, staff: x}", [
        "s.yaml:5:19: E-KEY-UNKNOWN unknown key 'staf' (did you mean 'staff'?)",
        "s.yaml:5:35: E-TYPE expected a whole number, found text (write a plain number without a unit, e.g. 720)"]),
    ("goals: [{nb: A, xx: B}]", [
        "s.yaml:5:9: E-KEY-MISSING missing required key 'text'",
        "s.yaml:5:10: E-KEY-UNKNOWN unknown key 'nb' (allowed keys: text, criteria)",
        "s.yaml:5:17: E-KEY-UNKNOWN unknown key 'xx' (allowed keys: text, criteria)"]),
])
def test_shorthand_forms_that_are_wrong(value: str, lines: list[str]) -> None:
    assert [p.render() for p in load(replace("phases:\n", value + "\nphases:\n")).problems] == lines


@pytest.mark.parametrize(("old", "new", "line"), [
    ("start_date: 2020-03-12", "start_date: [1]",
     "s.yaml:4:13: E-TYPE expected a date, found a list (write YYYY-MM-DD, e.g. 2020-03-12)"),
    ("start_date: 2020-03-12", "start_date: 2020-03-12 08:00:00",
     "s.yaml:4:13: E-TYPE expected a date, found a date and time (write only the date, e.g. 2020-03-12)"),
    ("start_date: 2020-03-12", 'start_date: "2020-3-x"',
     "s.yaml:4:13: E-VALUE '2020-3-x' is not a date (write a real date as YYYY-MM-DD, e.g. 2020-03-12)"),
    ("initial: 40", "initial: .inf",
     "s.yaml:19:14: E-VALUE inf is not a usable number (write a finite number, e.g. 100)"),
    ("initial: 40", "initial: [1]",
     "s.yaml:19:14: E-TYPE expected a number, found a list (the indicator's value at D+0, a plain number)"),
    ("phases:\n", "agency: {name: X, staff: 1.5}\nphases:\n",
     "s.yaml:5:26: E-TYPE expected a whole number, found a number"),
    ("phases:\n", "agency: {name: X, staff: 1234567890123456789012345}\nphases:\n",
     "s.yaml:5:26: E-VALUE 12345678901234567… is too large (at most 1,000,000,000)"),
    ("phases:\n", "agency: {name: X, staff: 12345678901234567890}\nphases:\n",  # 20 digits: shown whole
     "s.yaml:5:26: E-VALUE 12345678901234567890 is too large (at most 1,000,000,000)"),
    ("initial: 40", "initial: 2500000000.0",  # a float as a person writes it, not 2500000000.0
     "s.yaml:19:14: E-VALUE 2.5e+09 is too large (at most 1,000,000,000)"),
    ('when: "load >= 75 and not daily"', "when: |\n      load >= 75 and and",
     "s.yaml:36:22: E-COND expected a value, found 'and' (see the condition language in docs/scenario-format.md)"),
])
def test_dates_numbers_and_block_conditions(old: str, new: str, line: str) -> None:
    assert [p.render() for p in load(replace(old, new)).problems] == [line]


@pytest.mark.parametrize(("title", "line"), [
    ('{nb: "Mini", de: "X"}', "s.yaml:3:8: E-VALUE unknown language 'de' (languages are nb, en)"),
    ('{nb: "Mini", en: 5}', "s.yaml:3:8: E-TYPE the 'en' text is not text"),
    ("5", "s.yaml:3:8: E-TYPE expected text, found a number (a string, or a map like {nb: …, en: …})"),
    ("[a]", "s.yaml:3:8: E-TYPE expected text, found a list (a string, or a map like {nb: …, en: …})"),
])
def test_a_text_in_languages_that_is_not_one(title: str, line: str) -> None:
    assert [p.render() for p in load(replace('title: {nb: "Mini", en: "Mini"}', f"title: {title}")).problems] == [line]


@pytest.mark.parametrize(("old", "new", "lines"), [
    ("from: NRK", "from: .inf", ["s.yaml:29:11: E-TYPE expected text, found inf (quote it, e.g. '.inf')"]),
    ("from: NRK", "from: -.inf", ["s.yaml:29:11: E-TYPE expected text, found -inf (quote it, e.g. '.inf')"]),
    ("start_date: 2020-03-12", "start_date: 1899-12-31",
     ["s.yaml:4:13: E-VALUE the year 1899 is out of range (a year from 1900 to 2999)"]),
    ("start_date: 2020-03-12", "start_date: 1900-01-01", []),
    ("start_date: 2020-03-12", "start_date: 2999-12-31", []),
    ("start_date: 2020-03-12", "start_date: 3000-01-01",
     ["s.yaml:4:13: E-VALUE the year 3000 is out of range (a year from 1900 to 2999)"]),
    ("start_date: 2020-03-12", 'start_date: "' + "x" * 60 + '"',  # shown up to 40 characters
     ["s.yaml:4:13: E-VALUE '" + "x" * 40 + "' is not a date (write a real date as YYYY-MM-DD, e.g. 2020-03-12)"]),
    ("evidence: {KH-2: U}", "evidence: {KH-2: N/O}",  # a level for ratings, not for evidence
     ["s.yaml:68:26: E-VALUE evidence must be P, S, M or U, not N/O"]),
    ("  criteria: [KH-2, KH-5]", "  criteria: [KH-2, KH-99]",
     ["s.yaml:71:20: E-REF-CRITERION no criterion with id 'KH-99' (did you mean 'KH-1'?)"]),
    ("  - criterion: KH-5", "  - criterion: KH-99",
     ["s.yaml:73:18: E-REF-CRITERION no criterion with id 'KH-99' (did you mean 'KH-1'?)"]),  # at the id
])
def test_plain_text_years_evidence_levels_and_scoring_criteria(old: str, new: str, lines: list[str]) -> None:
    assert [p.render() for p in load(replace(old, new)).problems] == lines


def test_a_number_where_text_is_expected_reads_as_text() -> None:
    result = load(replace("from: NRK", "from: 2.5"))
    assert result.problems == () and result.scenario is not None
    assert result.scenario.injects[0].sender == "2.5"
