"""Helpers shared by the store tests (a uniquely named module: every test dir has a conftest)."""

from __future__ import annotations

from typing import Any

SCENARIO_TEXT = "schema_version: 1\nid: test-scenario\ntitle: Test\n"


def make_event(seq: int, kind: str = "note", payload_size: int = 0, **payload: Any) -> dict[str, Any]:
    return {
        "seq": seq,
        "kind": kind,
        "scenario_minutes": seq * 60,
        "exercise_seconds": seq * 1.5,
        "wall": f"2025-03-12T08:{seq % 60:02d}:00+00:00",
        "payload": {"text": f"event {seq}", "n": seq, "pad": "x" * payload_size, **payload},
    }


def make_events(start: int, stop: int) -> list[dict[str, Any]]:
    """Events start..stop inclusive; the first of a session is `session_started`."""
    return [make_event(s, "session_started" if s == 1 else "note") for s in range(start, stop + 1)]
