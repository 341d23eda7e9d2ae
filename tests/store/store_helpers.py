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


def row_fields(info: Any) -> tuple[Any, ...]:
    """A stored session's row, field by field, for comparing a backend's row with the one given."""
    return (info.id, info.scenario_id, info.title, info.seed, info.team, info.participants, info.facilitator,
            info.mode, info.started, info.status, info.ended, info.parent_id, info.branch_decision,
            info.branch_seq, info.last_seq, info.owner, info.updated, info.score_index)


def create_branch(store: Any, **given: Any) -> tuple[Any, Any]:
    """A parent session and a branch of it with every column given (`given` overrides some), as
    both backends' every-column tests create them: (parent, branch) infos."""
    parent = store.create_session(scenario_text="id: x\n", scenario_id="x",
                                  events=[{"seq": 1, "kind": "session_started"}])
    columns: dict[str, Any] = {
        "scenario_text": "id: x\n", "scenario_id": "x", "title": "Tittel", "seed": 11, "team": "Lag B",
        "participants": ["Kari (hr)", "Ola"], "facilitator": "Per", "mode": "headless",
        "started": "2026-03-01T09:00:00+00:00", "session_id": "branch-1",
        "events": [{"seq": 1, "kind": "session_started"}], "parent_id": parent.id, "branch_decision": "d01",
        "summary": {"index": 40.0}, "score_index": 40.0, **given}
    return parent, store.create_session(**columns)
