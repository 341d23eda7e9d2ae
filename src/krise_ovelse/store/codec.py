"""Event dicts <-> table rows, canonical JSON and the hashes that make tampering visible.

The store keeps events as plain dicts (`{"seq": 1, "kind": "session_started", ...}`), the
stable JSON form the engine's `event_to_dict` produces. `seq` and `kind` get their own
columns, and so do the three times every event carries (scenario minutes, exercise seconds,
wall clock), so SQL can answer "what happened between D+3 and D+5" without parsing JSON.
Everything else goes into `payload` as canonical JSON. A dict comes back exactly as it went
in, whatever other keys the engine adds later: the store does not need to know them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

#: Event keys stored in their own columns besides seq and kind (dict key -> column).
TIME_KEYS: tuple[str, ...] = ("scenario_minutes", "exercise_seconds", "wall")
_COLUMN_KEYS = frozenset(("seq", "kind", *TIME_KEYS))

EventDict = dict[str, Any]
EventRow = tuple[int, str, str, Any, Any, Any]  # seq, kind, payload, minutes, seconds, wall


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 text, no NaN/Infinity.

    Hashes are computed over this form, so an export file hashes the same whatever the
    indentation or key order a text editor gave it, and any change of content shows.
    """
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def events_sha256(events: Iterable[Mapping[str, Any]]) -> str:
    """sha256 over the events' canonical JSON lines, each followed by a newline."""
    digest = hashlib.sha256()
    for event in events:
        digest.update(canonical_json(event).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def event_to_row(event: Mapping[str, Any]) -> EventRow:
    """Split an event dict into its columns; raise ValueError for a dict that is not an event."""
    seq = event.get("seq")
    kind = event.get("kind")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ValueError(f"an event needs an integer seq >= 1, not {seq!r}")
    if not isinstance(kind, str) or not kind:
        raise ValueError(f"event {seq} needs a non-empty string kind, not {kind!r}")
    rest = {k: v for k, v in event.items() if k not in _COLUMN_KEYS}
    times = []
    for key in TIME_KEYS:
        value = event.get(key)
        if value is None and key in event:
            rest[key] = None  # keep an explicit null exactly as it was given
        times.append(value)
    return (seq, kind, canonical_json(rest), times[0], times[1], times[2])


def row_to_event(seq: int, kind: str, payload: str, minutes: Any, seconds: Any, wall: Any,
                 _loads: Any = json.loads) -> EventDict:
    """Rebuild the dict `event_to_row` split (the hot path of replay: keep it lean)."""
    event: EventDict = {"seq": seq, "kind": kind}
    if minutes is not None:
        event["scenario_minutes"] = minutes
    if seconds is not None:
        event["exercise_seconds"] = seconds
    if wall is not None:
        event["wall"] = wall
    if payload != "{}":
        event.update(_loads(payload))
    return event
