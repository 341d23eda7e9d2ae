"""Values that load as YAML but would crash or mislead later: ids, numbers, dates, times,
durations, conditions and merge keys (issue #13 items 2, 6, 7; the survivors of issue #12's
mutation test). Each is refused with a code and a position."""

from __future__ import annotations

import pytest

from krise_ovelse.model.conditions import MAX_DEPTH, ConditionDepthError, parse_condition, tokenize
from krise_ovelse.model.timefmt import TimeFormatError, parse_duration, parse_time

from .minimal_scenario import MINIMAL, codes, load


def replace(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(fragment: str) -> int:
    return MINIMAL[: MINIMAL.index(fragment)].count("\n") + 1


def problems(text: str) -> list[tuple[str, int, int, str]]:
    result = load(text)
    assert result.scenario is None
    return [(p.code, p.line, p.col, p.message + " " + p.hint) for p in result.problems]


@pytest.mark.parametrize("ident", ["i\x1b]52;c;aGk=\x07", "i\x00", "i\u202e10", "i\u200b1", "..", ".bashrc",
                                   "-rf", "a/../b", "i" * 5000, "a b", ""])
def test_unsafe_inject_ids_are_refused(ident: str) -> None:
    text = replace("  - id: i05", f"  - id: {ident!r}".replace("'", '"') if ident else '  - id: ""')
    found = problems(text)
    assert [c for c, *_ in found] == ["E-ID-FORMAT"], found
    _code, line, _col, message = found[0]
    assert line == line_of("  - id: i05")
    assert "\x1b" not in message and "\x00" not in message and "\u202e" not in message
    assert len(message) < 400


@pytest.mark.parametrize("ident", ["..", ".bashrc", "-rf", "x" * 65, "a.b", "sc\u00e9ne", "a\\x1b"])
def test_unsafe_scenario_ids_are_refused(ident: str) -> None:
    text = replace("id: mini\n", f'id: "{ident}"\n')
    assert [c for c, *_ in problems(text)] == ["E-ID-FORMAT"]


def test_safe_ids_stay_accepted() -> None:
    text = replace("  - id: i05", "  - id: Svar.fra_KDD-2")
    text = replace("  - id: lang\n", "  - id: langvarig_fase\n", text).replace("lang: 2/week", "langvarig_fase: 2/week")
    result = load(text)
    assert result.problems == (), [p.render() for p in result.problems]
    assert load(replace("  - id: akutt", "  - id: første_uke").replace("{akutt:", "{første_uke:")).ok


def test_duplicate_id_at_index_one_is_found() -> None:
    # The second item duplicating the first: a first-seen map that skips index 0 or 1 fails this.
    text = replace("  - id: i02", "  - id: i01")
    found = load(text).problems
    dup = [p for p in found if p.code == "E-ID-DUP"]
    assert len(dup) == 1 and dup[0].line == line_of("  - id: i02")
    assert f"line {line_of('  - id: i01')}" in dup[0].hint


def test_duplicate_option_id_at_index_one() -> None:
    text = replace("    - id: b", "    - id: a").replace("default: b", "default: a")
    assert "E-ID-DUP" in codes(load(text))


def test_duplicate_keys_are_found_at_any_depth() -> None:
    deep = replace("effects: {load: +5, trust: +10}", "effects: {load: +5, load: +10}")
    found = problems(deep)
    assert [c for c, *_ in found] == ["E-YAML-DUPKEY"]
    assert found[0][1] == line_of("effects: {load: +5, trust: +10}")
    top_list = replace("  - id: akutt\n", "  - id: akutt\n    id: akutt2\n")
    assert [c for c, *_ in problems(top_list)] == ["E-YAML-DUPKEY"]


def test_merge_keys_that_hide_a_duplicate_are_refused() -> None:
    base = replace("  - id: i05\n", "  - &base\n    id: i05\n")
    clean = replace('    title: "Status"\n', '    title: "Status"\n  - <<: *base\n    body: Mer\n', base)
    # the merged inject keeps id i05: the plain duplicate-id check sees it, not a hidden key
    assert "E-YAML-DUPKEY" not in codes(load(clean))
    hidden = replace('    title: "Status"\n', '    title: "Status"\n  - <<: *base\n    id: i06\n', base)
    found = problems(hidden)
    assert [c for c, *_ in found] == ["E-YAML-DUPKEY"]
    assert found[0][1] == hidden[: hidden.index("    id: i06")].count("\n") + 1 and "`<<`" in found[0][3]


@pytest.mark.parametrize("when", ["D+1 24:00", "D+2 23:60", "D+١", "D+1 ٠٩:00", "D+99999999", "D+3651"])
def test_bad_times_are_refused(when: str) -> None:
    with pytest.raises(TimeFormatError):
        parse_time(when)
    code, *_ = problems(replace("at: D+15 09:00", f'at: "{when}"'))[0]
    assert code == "E-TIME"


def test_last_minute_of_a_day_and_the_ten_year_limit_are_accepted() -> None:
    assert parse_time("D+1 23:59").minutes == 2 * 1440 - 1
    assert parse_time("D+3650").minutes == 3650 * 1440


@pytest.mark.parametrize("text", ["0m", "0d", "0.4m", "0.001h", "1d 0.5m", "3651d", "99999999999w", "١d"])
def test_zero_fractional_huge_and_foreign_durations_are_refused(text: str) -> None:
    with pytest.raises(TimeFormatError):
        parse_duration(text)
    code, *_ = problems(replace("deadline: 2d", f'deadline: "{text}"'))[0]
    assert code == "E-TIME"


def test_decimal_durations_that_are_whole_minutes_are_accepted() -> None:
    assert parse_duration("1.5d").minutes == 2160
    assert parse_duration("0.5h").minutes == 30


@pytest.mark.parametrize(("old", "new"), [
    ("initial: 40", "initial: .nan"), ("initial: 40", "initial: .inf"), ("initial: 40", "initial: -.inf"),
    ("initial: 40", "initial: 1.0e+30"), ("effects: {trust: -10}", "effects: {trust: 1.0e+400}"),
    ("compression: 720", "compression: .inf"), ("{P: 60, S: 75, M: 90}", "{P: .nan, S: 75, M: 90}"),
    ("initial: 40", "initial: 1000000000000000000000000000000"),
])
def test_non_finite_and_huge_numbers_are_refused(old: str, new: str) -> None:
    found = problems(replace(old, new))
    assert found and found[0][0] == "E-VALUE", found


@pytest.mark.parametrize("date", ["2023-02-30", "9999-12-31", "1066-10-14", '"2023-02-30"'])
def test_dates_are_real_and_in_range_at_their_position(date: str) -> None:
    found = problems(replace("start_date: 2020-03-12", f"start_date: {date}"))
    assert len(found) == 1
    code, line, col, _ = found[0]
    assert code in ("E-YAML-VALUE", "E-VALUE")
    assert (line, col) == (line_of("start_date:"), 13)


def test_quoted_and_unquoted_dates_are_the_same() -> None:
    quoted = load(replace("start_date: 2020-03-12", 'start_date: "2020-03-12"')).scenario
    plain = load(MINIMAL).scenario
    assert quoted is not None and plain is not None and quoted.start_date == plain.start_date


def test_yaml_booleans_for_text_get_a_hint() -> None:
    (code, _, _, text), = problems(replace("  - id: i05", "  - id: no"))
    assert code == "E-TYPE" and "quote" in text and "yes/no" in text


def test_compression_with_a_unit_gets_a_hint() -> None:
    (code, _, _, text), = problems(replace("compression: 720", "compression: 3 hours"))
    assert code == "E-TYPE" and "minutes per minute of play" in text


def test_condition_tokenizer_reads_a_huge_condition_in_one_pass() -> None:
    # Structural, not timed (the ratio is in bench/bench_conditions.py): 100,000 operands come out
    # as 400,000 tokens with their offsets; the old slicing tokenizer took ~30 s here, which the
    # per-test timeout would catch.
    large = " and ".join(["load > 1"] * 100_000)
    tokens = tokenize(large)
    assert len(tokens) == 400_000
    assert tokens[-2].offset == len(large) - 1 and tokens[-1].kind == "end"


@pytest.mark.parametrize("source", ["(" * 150 + "x" + ")" * 150, "not " * 150 + "x", "(" * 5000])
def test_deep_conditions_have_their_own_code(source: str) -> None:
    with pytest.raises(ConditionDepthError) as info:
        parse_condition(source)
    assert info.value.code == "E-COND-DEPTH"
    code, *_ = problems(replace('"load >= 75 and not daily"', f'"{source}"'))[0]
    assert code == "E-COND-DEPTH"


def test_nesting_up_to_the_limit_is_fine() -> None:
    parse_condition("(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH)


def test_foreign_digits_and_huge_numbers_in_conditions() -> None:
    assert problems(replace('"load >= 75 and not daily"', '"load >= ٧٥"'))[0][0] == "E-COND"
    assert problems(replace('"load >= 75 and not daily"', '"load >= ' + "9" * 400 + '"'))[0][0] == "E-COND"
