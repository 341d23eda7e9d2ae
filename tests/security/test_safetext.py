"""The one sanitiser (`krise_ovelse.safetext`): what it changes and what it keeps."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from krise_ovelse.safetext import is_clean, json_escape_controls, neutralise


def test_neutralise_examples() -> None:
    assert neutralise("a\x1b]52;c;x\x07b") == "a␛]52;c;x␇b"
    assert neutralise("ok\n\tok") == "ok\n\tok"
    assert neutralise("\x9b31m") == "‹U+009B›31m"
    assert neutralise("\u202eevil") == "‹U+202E›evil"
    assert neutralise("\ud800") == "\ufffd"
    assert neutralise("\r\x7f\x00") == "␍␡␀"
    assert neutralise("Vannskade – ØÆÅ 👩‍👩‍👧") == "Vannskade – ØÆÅ 👩‍👩‍👧"


@given(st.text())
def test_neutralise_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    out = neutralise(text)
    assert is_clean(out)
    assert neutralise(out) == out
    out.encode("utf-8")  # never a lone surrogate
    assert all(ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F) for ch in out)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=20))
def test_json_escape_keeps_the_value(value: object) -> None:
    encoded = json_escape_controls(json.dumps(value, ensure_ascii=False))
    assert json.loads(encoded) == value
    assert all(not (0x7F <= ord(ch) <= 0x9F) and ch not in "\u202e\u2028" for ch in encoded)
