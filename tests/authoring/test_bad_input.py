"""Hostile or broken files: one clear problem each, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from krise_ovelse.authoring import load_scenario
from krise_ovelse.authoring.yamlio import MAX_BYTES

from .minimal_scenario import MINIMAL, load


def single_code(text: str) -> str:
    result = load(text)
    assert result.scenario is None
    assert len(result.problems) == 1, [p.render() for p in result.problems]
    return result.problems[0].code


def test_python_object_tag_is_refused_not_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"!!python/object/apply:os.system ['touch {marker}']\n"
    assert single_code(text) == "E-YAML-TAG"
    assert not marker.exists()


@pytest.mark.timeout(60)  # expanding the billion values would take far longer (no timed assertion: a loaded
def test_alias_bomb_is_refused_fast() -> None:  # machine made the old `< 5 s` fail for slowness, not a fault)
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    assert single_code("\n".join(lines)) == "E-YAML-ALIAS"


def test_deep_nesting() -> None:
    assert single_code("a: " + "[" * 200 + "]" * 200) == "E-YAML-DEPTH"
    assert single_code("a: " + "[" * 5000 + "]" * 5000) == "E-YAML-DEPTH"


def test_tabs_get_a_hint() -> None:
    result = load("a:\n\t- 1\n")
    (problem,) = result.problems
    assert problem.code == "E-YAML-SYNTAX"
    assert "tabs" in problem.hint
    assert problem.line == 2


def test_empty_file() -> None:
    assert single_code("") == "E-YAML-EMPTY"
    assert single_code("# only a comment\n") == "E-YAML-EMPTY"


def test_list_where_mapping_belongs() -> None:
    assert single_code("- a\n- b\n") == "E-TYPE"


def test_duplicate_keys_report_both_positions() -> None:
    text = MINIMAL.replace("id: mini\n", "id: mini\nid: mini2\n")
    result = load(text)
    (problem,) = result.problems
    assert problem.render() == "s.yaml:3:1: E-YAML-DUPKEY duplicate key 'id' (first defined at line 2, column 1)"


def test_non_utf8_bytes(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: bl\u00e5\n".encode("latin-1"))
    (problem,) = load_scenario(path).problems
    assert (problem.code, problem.line, problem.col) == ("E-READ-UTF8", 1, 7)


def test_directory_and_missing_path(tmp_path: Path) -> None:
    assert load_scenario(tmp_path).problems[0].code == "E-READ-DIR"
    assert load_scenario(tmp_path / "nope.yaml").problems[0].code == "E-READ-MISSING"


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    assert load_scenario(path).problems[0].code == "E-READ-SIZE"


def test_syntax_error_has_position() -> None:
    result = load("id: [unclosed\nx: 1\n")
    (problem,) = result.problems
    assert problem.code == "E-YAML-SYNTAX"
    assert problem.line >= 1
