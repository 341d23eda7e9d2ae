"""Files that are not a scenario at the YAML level (a tag, an alias bomb, a syntax slip, a
duplicate key, a file that cannot be read), exactly as `validate` reports them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from krise_ovelse.authoring import load_scenario
from krise_ovelse.authoring.yamlio import MAX_BYTES

from .minimal_scenario import MINIMAL, load

SYNTAX_HINT = "(check indentation, colons and quotes on this line or the one before)"


def bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines)


@pytest.mark.parametrize(("text", "line"), [
    ("!!python/object/apply:os.system ['touch x']\n",
     "s.yaml:1:1: E-YAML-TAG the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
     "(scenario files hold plain data only; remove the tag)"),
    (bomb(), "s.yaml:1:1: E-YAML-ALIAS aliases expand to too many values (an alias bomb?) "
     "(at most 1,000,000 values after expanding aliases)"),
    ("a: " + "[" * 200 + "]" * 200, "s.yaml:1:43: E-YAML-DEPTH nesting is too deep (at most 40 levels)"),
    # so deep that the parser itself gives up, before our own check of the nodes
    ("a: " + "[" * 5000 + "]" * 5000, "s.yaml:1:1003: E-YAML-DEPTH nesting is too deep (at most 40 levels)"),
    ("a:\n\t- 1\n", "s.yaml:2:1: E-YAML-SYNTAX while scanning for the next token found character that cannot "
     "start any token (indent with spaces, YAML does not allow tabs)"),
    ("", "s.yaml:1:1: E-YAML-EMPTY the file is empty (start from the example in docs/scenario-format.md)"),
    ("# only a comment\n",
     "s.yaml:1:1: E-YAML-EMPTY the file is empty (start from the example in docs/scenario-format.md)"),
    ("\ufeff\n",  # a byte-order mark and nothing else: no document at all
     "s.yaml:1:1: E-YAML-EMPTY the file is empty (start from the example in docs/scenario-format.md)"),
    ("a: 1\n\t", "s.yaml:2:1: E-YAML-SYNTAX while scanning a plain scalar found a tab character that violates "
     "indentation (indent with spaces, YAML does not allow tabs)"),
    ("- a\n- b\n", "s.yaml:1:1: E-TYPE a scenario must be a mapping of keys to values "
     "(start with `schema_version: 1` and `id: …`)"),
    ("id: [unclosed\nx: 1\n",
     f"s.yaml:2:2: E-YAML-SYNTAX while parsing a flow sequence did not find expected ',' or ']' {SYNTAX_HINT}"),
    ("title: a: b\n", f"s.yaml:1:9: E-YAML-SYNTAX mapping values are not allowed in this context {SYNTAX_HINT}"),
    ('title: "abc\n', f"s.yaml:2:1: E-YAML-SYNTAX while scanning a quoted scalar found unexpected end of stream "
     f"{SYNTAX_HINT}"),
    ("a:\n  b: 1\n  b: 2\n", "s.yaml:3:3: E-YAML-DUPKEY duplicate key 'b' (first defined at line 2, column 3)"),
    ("? [a, b]\n: 1\n", "s.yaml:1:3: E-YAML-KEY a key must be a plain value"),
    ("a: &x {k: 1}\nb:\n  <<: *x\n  k: 2\n", "s.yaml:4:3: E-YAML-DUPKEY duplicate key 'k': the `<<` on line 3 "
     "also brings it in from line 1 (YAML would silently keep only one of them; remove one)"),
    ("start_date: 2020-13-45\n", "s.yaml:1:13: E-YAML-VALUE '2020-13-45' is not a real date: month must be in "
     "1..12 (write a calendar date as YYYY-MM-DD, e.g. 2020-03-12)"),
])
def test_a_file_that_is_not_a_scenario_at_the_yaml_level(text: str, line: str) -> None:
    assert [p.render() for p in load(text).problems] == [line]


def test_a_syntax_error_without_a_position_is_put_at_the_start() -> None:
    import yaml

    from krise_ovelse.authoring.yamlio import _syntax_problem

    assert _syntax_problem("s.yaml", yaml.MarkedYAMLError(), "a: 1\n").render() == (
        f"s.yaml:1:1: E-YAML-SYNTAX YAML syntax error {SYNTAX_HINT}")
    assert _syntax_problem("s.yaml", yaml.MarkedYAMLError(context="while x", problem="found y"), "\ta").render() == (
        "s.yaml:1:1: E-YAML-SYNTAX while x found y (indent with spaces, YAML does not allow tabs)")


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    expected = {
        big: f"{big}: E-READ-SIZE the file is larger than the limit of 8,388,608 bytes (8,388,609 bytes or more) "
             "(split the scenario or shorten texts)",
        tmp_path: f"{tmp_path}: E-READ-DIR is a directory, not a file (give the path of a .yaml file)",
        tmp_path / "n.yaml": f"{tmp_path / 'n.yaml'}: E-READ-MISSING no such file (check the path)",
        tmp_path / "zero.yaml": f"{tmp_path / 'zero.yaml'}: E-READ-SPECIAL is a device, not a regular file "
                                "(save the content to a file and give its path)",
    }
    for path, line in expected.items():
        problems = load_scenario(path).problems
        assert [p.render() for p in problems] == [line]
        assert (problems[0].line, problems[0].col) == (0, 0)  # the file as a whole, no position in it


@pytest.mark.parametrize(("raw", "where"), [
    (b"id: \xff\n", (1, 5, 0xFF)),
    (b"\n\xff", (2, 1, 0xFF)),  # a newline as the very first byte counts like any other
    (b"a: 1\nb: 2\n  c: \xe6\n", (3, 6, 0xE6)),
])
def test_a_byte_that_is_not_utf8_is_pointed_at(tmp_path: Path, raw: bytes, where: tuple[int, int, int]) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(raw)
    [problem] = load_scenario(path).problems
    line, col, byte = where
    assert (problem.file, problem.code, problem.line, problem.col) == (str(path), "E-READ-UTF8", line, col)
    assert problem.message == f"the byte 0x{byte:02x} is not UTF-8"


@pytest.mark.parametrize(("value", "name"), [
    ({}, "a mapping"), ([], "a list"), ("x", "text"), (1, "a number"), (1.5, "a number"),
    (True, "true/false"), (False, "true/false"), (None, "nothing"), (b"x", "bytes"),
])
def test_type_names_as_an_author_says_them(value: object, name: str) -> None:
    from krise_ovelse.authoring.yamlio import type_name

    assert type_name(value) == name


@pytest.mark.parametrize(("when", "where"), [
    ("when: 'load >= and'", "s.yaml:35:20"),  # inside quotes: one column further
    ('when: "load >= and"', "s.yaml:35:20"),
    ("when: load >= and", "s.yaml:35:19"),
    # block scalars: the text starts on the next line, at the block's indentation
    ("when: >\n      load >= and", "s.yaml:36:15"),
    ("when: |\n      load >= 75 and\n        not and", "s.yaml:37:13"),  # more indented: part of the text
    ("when: >-\n      load >= 75\n      and and", "s.yaml:37:11"),
    ("when: >\n\n      load >= and", "s.yaml:37:15"),  # a blank line first
    ("when: |-\n      load >= 75 and (\n\n      daily", "s.yaml:38:12"),  # the end: after the last word
    ("when: |", "s.yaml:35:11"),  # an empty block: at its `|`
])
def test_a_condition_problem_is_pointed_at_inside_its_quotes_or_block(when: str, where: str) -> None:
    [problem] = load(MINIMAL.replace('when: "load >= 75 and not daily"', when)).problems
    assert problem.render().startswith(f"{where}: E-COND")


@pytest.mark.parametrize(("condition", "where"), [
    ("load >= and", "s.yaml:81:15"),
    ("load >= 5 and", "s.yaml:81:20"),  # "found the end": just after the last word of the file
])
def test_a_block_condition_on_the_last_line_of_the_file(condition: str, where: str) -> None:
    injects, decisions = MINIMAL.index("injects:"), MINIMAL.index("decisions:")
    text = (MINIMAL[:injects] + MINIMAL[decisions:] + MINIMAL[injects:decisions].rstrip("\n")
            + f"\n  - id: i06\n    channel: email\n    title: X\n    when: |\n      {condition}")  # no newline
    for ending in ("", "\n"):
        [problem] = load(text + ending).problems
        assert problem.render().startswith(f"{where}: E-COND")
    header_last = text[:text.rindex("\n")]  # `when: |` is the file's last line
    assert [p.render() for p in load(header_last).problems] == [
        "s.yaml:80:11: E-COND empty condition (see the condition language in docs/scenario-format.md)"]


def test_a_condition_nested_too_deep_is_pointed_at_the_first_parenthesis_too_many() -> None:
    from krise_ovelse.model.conditions import MAX_DEPTH

    deep = "(" * (MAX_DEPTH + 1) + "load" + ")" * (MAX_DEPTH + 1)
    [problem] = load(MINIMAL.replace('when: "load >= 75 and not daily"', f'when: "x >= 1 and {deep} > 2"')).problems
    assert problem.render() == (
        "s.yaml:35:55: E-COND-DEPTH the condition nests more than 32 levels deep "
        "(split it: fewer parentheses or `not`s inside each other)")
