"""The codec's exact forms (`store/codec.py`): canonical JSON is what export hashes are computed
over, so its spelling is an interface; an event dict splits into columns and comes back as it
went in (issue #12, item 6: pinned where mutation testing found it loose)."""

from __future__ import annotations

import hashlib
import math

import pytest

from krise_ovelse.store.codec import canonical_json, event_to_row, events_sha256, row_to_event, sha256_text


def test_canonical_json_has_one_spelling_per_value() -> None:
    assert canonical_json({"b": [1, 2.5], "a": {"ø": None, "c": True}}) == '{"a":{"c":true,"ø":null},"b":[1,2.5]}'
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError):
            canonical_json({"x": bad})


def test_hashes_are_of_utf8_text_and_of_each_canonical_line() -> None:
    assert sha256_text("blåbær") == hashlib.sha256("blåbær".encode()).hexdigest()
    events = [{"seq": 1, "kind": "a"}, {"kind": "b", "seq": 2}]
    assert events_sha256(events) == hashlib.sha256(
        b'{"kind":"a","seq":1}\n{"kind":"b","seq":2}\n').hexdigest()
    assert events_sha256([]) == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(("event", "message"), [
    ({"kind": "x"}, "an event needs an integer seq >= 1, not None"),
    ({"seq": 0, "kind": "x"}, "an event needs an integer seq >= 1, not 0"),
    ({"seq": True, "kind": "x"}, "an event needs an integer seq >= 1, not True"),
    ({"seq": "1", "kind": "x"}, "an event needs an integer seq >= 1, not '1'"),
    ({"seq": 3}, "event 3 needs a non-empty string kind, not None"),
    ({"seq": 3, "kind": ""}, "event 3 needs a non-empty string kind, not ''"),
    ({"seq": 3, "kind": 7}, "event 3 needs a non-empty string kind, not 7"),
])
def test_a_dict_that_is_not_an_event_is_refused_with_what_is_wrong(event: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        event_to_row(event)
    assert str(raised.value) == message


def test_an_event_splits_into_columns_and_comes_back_as_it_went_in() -> None:
    event = {"seq": 1, "kind": "note", "scenario_minutes": 60, "exercise_seconds": 1.5,
             "wall": "2026-03-01T09:00:00+00:00", "text": "ø", "n": 2}
    row = event_to_row(event)
    assert row == (1, "note", '{"n":2,"text":"ø"}', 60, 1.5, "2026-03-01T09:00:00+00:00")
    assert row_to_event(*row) == event
    bare = {"seq": 2, "kind": "note"}
    assert event_to_row(bare) == (2, "note", "{}", None, None, None)
    assert row_to_event(*event_to_row(bare)) == bare
    nulls = {"seq": 3, "kind": "note", "wall": None, "scenario_minutes": None}  # explicit nulls stay
    row = event_to_row(nulls)
    assert row == (3, "note", '{"scenario_minutes":null,"wall":null}', None, None, None)
    assert row_to_event(*row) == nulls
    assert row_to_event(4, "note", "{}", 0, 0.0, "") == {"seq": 4, "kind": "note", "scenario_minutes": 0,
                                                         "exercise_seconds": 0.0, "wall": ""}
