"""Why an id is refused, in the words every E-ID-FORMAT problem uses (`krise_ovelse.authoring.ids`):
the rule's edges (64 characters, the first character, `..`) and ids shown escaped and cut short."""

from __future__ import annotations

import pytest

from krise_ovelse.authoring.ids import id_problem, scenario_id_problem, shown


@pytest.mark.parametrize(("ident", "why"), [
    ("", "an empty id"),
    ("i" * 65, "an id of 65 characters (at most 64)"),
    ("i" * 1234, "an id of 1,234 characters (at most 64)"),
    ("a b", "the id 'a b' has the character ' ' (U+0020)"),
    ("i\x1b", "the id 'i\\x1b' has the character '\\x1b' (U+001B)"),
    ("-rf", "the id '-rf' starts with '-'"),
    (".x", "the id '.x' starts with '.'"),
    ("a..b", "the id 'a..b' has '..'"),
    ("i" * 64, None),
    ("Svar.fra_KDD-2", None),
    ("første_uke", None),
    ("_1", None),
])
def test_why_an_id_is_refused(ident: str, why: str | None) -> None:
    assert id_problem(ident) == why


@pytest.mark.parametrize(("ident", "why"), [
    ("", "an empty scenario id"),
    ("x" * 65, "a scenario id of 65 characters (at most 64)"),
    ("a.b", "bad scenario id 'a.b'"),
    ("_a", "bad scenario id '_a'"),
    ("x" * 64, None),
    ("den-lange_vinteren2", None),
])
def test_why_a_scenario_id_is_refused(ident: str, why: str | None) -> None:
    assert scenario_id_problem(ident) == why


def test_a_long_id_is_shown_cut_short() -> None:
    assert shown("a" * 40) == repr("a" * 40)
    assert shown("a" * 41) == repr("a" * 40) + "…"
