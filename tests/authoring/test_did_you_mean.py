"""The hint every "unknown name" problem carries: the closest known name, else the known names
(a few of them, in order), else that none are defined (`krise_ovelse.authoring.suggest`)."""

from __future__ import annotations

from krise_ovelse.authoring.suggest import did_you_mean, suggestions


def test_a_close_name_is_suggested() -> None:
    assert did_you_mean("phon", ["email", "phone", "news"], "channel") == "did you mean 'phone'?"


def test_without_a_close_name_the_known_ones_are_listed_in_order() -> None:
    assert did_you_mean("zzz", ["i02", "i01"], "inject") == "known injects: i01, i02"
    assert did_you_mean("zzz", ["KH-9"], "criterion") == "known criteria: KH-9"
    assert did_you_mean("zzz", ["b", "a"]) == "known values: a, b"


def test_at_most_eight_known_names_are_listed() -> None:
    eight = [f"n{i}" for i in range(1, 9)]
    assert did_you_mean("zzz", eight, "phase") == "known phases: n1, n2, n3, n4, n5, n6, n7, n8"
    assert did_you_mean("zzz", [*eight, "n9"], "phase") == "known phases: n1, n2, n3, n4, n5, n6, n7, n8 …"


def test_with_nothing_known_the_hint_says_so_or_is_empty() -> None:
    assert did_you_mean("zzz", [], "flag") == "no flags are defined"
    assert did_you_mean("zzz", [], "criterion") == "no criteria are defined"
    assert did_you_mean("zzz", []) == ""


def test_the_same_name_in_other_case_or_zeros_comes_first() -> None:
    assert suggestions("I2", ["i32", "i02"], n=2) == ["i02"]
    assert suggestions("i02", ["i02"]) == []  # the word itself is not a suggestion
    assert suggestions("a-b1", ["a-b", "a_b1"]) == ["a_b1"]  # - and _ are the same slip


def test_the_edges_of_close() -> None:
    assert suggestions("abcde", ["abcxy"]) == ["abcxy"]  # similarity exactly 0.6 is close
    assert suggestions("abc", ["abcdefg"]) == ["abcdefg"]  # so is a length ratio of exactly 0.6
    assert suggestions("abcdef", ["abc", "abcdxy"], n=2) == ["abcdxy", "abc"]  # a tie: the same length first
    assert suggestions("Load", ["load", "loads"], n=2) == ["load", "loads"]  # other case first, then the close
