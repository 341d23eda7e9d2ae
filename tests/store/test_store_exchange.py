"""Export/import: a faithful round trip, and every damaged or edited file refused untouched.

Import replays the events over the scenario in the file (store.importing), so the sessions
exported here are real ones: the shipped example played headless with a strong team."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.paths import shipped_scenarios_dir
from krise_ovelse.scripted.playthrough import load_playthrough
from krise_ovelse.store.codec import canonical_json, events_sha256, sha256_text
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.engine_bridge import run_headless_stored
from krise_ovelse.store.errors import ExportFileError, StoreError
from krise_ovelse.store.exchange import FORMAT, export_session, export_to_path, read_export
from krise_ovelse.store.importing import import_verified

EXAMPLE = shipped_scenarios_dir() / "examples" / "kort-eksempel.yaml"
PLAY = shipped_scenarios_dir() / "playthroughs" / "kort-eksempel" / "sterkt.yaml"
SCENARIO_TEXT = EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def session(store: SessionStore) -> str:
    """The example played with its strong team's playthrough, stored."""
    scenario = load_scenario_text(SCENARIO_TEXT, str(EXAMPLE)).scenario
    assert scenario is not None
    played = load_playthrough(PLAY, scenario)
    session_id, _ = run_headless_stored(store, scenario, SCENARIO_TEXT, played.playthrough)
    return session_id


@pytest.fixture
def exported(store: SessionStore, session: str, tmp_path: Path) -> Path:
    path = tmp_path / "session.jsonl"
    export_to_path(store, session, path)
    return path


@pytest.fixture
def other(tmp_path: Path) -> Any:
    with SessionStore(tmp_path / "other.db") as s:
        yield s


def snapshot(store: SessionStore) -> list[Any]:
    """Everything stored, to prove a failed import changed nothing."""
    return [(s.to_dict(), store.events(s.id), store.scenario_text(s.id))
            for s in store.list_sessions()]


def test_export_format(exported: Path, store: SessionStore, session: str) -> None:
    lines = exported.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["format"] == FORMAT and header["version"] == 1
    assert header["scenario_text"] == SCENARIO_TEXT
    assert header["scenario_sha256"] == sha256_text(SCENARIO_TEXT)
    assert header["session"]["id"] == session
    assert header["session"]["team"] == store.get(session).team
    assert header["event_count"] == len(store.events(session)) == len(lines) - 1
    assert lines[1:] == [canonical_json(e) for e in store.events(session)]
    assert header["events_sha256"] == events_sha256(store.events(session))


def test_export_to_standard_output_writes_the_same_lines_as_the_file(exported: Path, store: SessionStore,
                                                                     session: str) -> None:
    """`export SESSION -o -` (export_session on a stream) and `-o FILE` write the same file."""
    import io

    out = io.StringIO()
    assert export_session(store, session, out) == len(store.events(session))
    assert out.getvalue() == exported.read_text(encoding="utf-8")


def test_round_trip_to_another_database(exported: Path, store: SessionStore, session: str,
                                        other: SessionStore) -> None:
    info = import_verified(other, exported).info
    assert info.id == session
    assert other.events(session) == store.events(session)
    assert other.scenario_text(session) == SCENARIO_TEXT
    mine, theirs = store.get(session).to_dict(), info.to_dict()
    for key in ("scenario_id", "title", "seed", "team", "participants", "facilitator", "started",
                "last_seq", "score_index", "scenario_sha256"):
        assert theirs[key] == mine[key], key
    assert info.status == "ended"  # from its events: the run reached ENDEX
    assert other.summary(session) == store.summary(session)  # recomputed, and the same


def test_importing_twice_is_refused_unless_new_id(exported: Path, other: SessionStore) -> None:
    first = import_verified(other, exported).info
    before = snapshot(other)
    with pytest.raises(StoreError, match="already in the database") as info:
        import_verified(other, exported)
    assert info.value.exit_code == 1
    assert snapshot(other) == before
    copy = import_verified(other, exported, new_id=True).info
    assert copy.id != first.id
    assert other.events(copy.id) == other.events(first.id)


def test_reformatted_lines_still_import(exported: Path, other: SessionStore, tmp_path: Path) -> None:
    """The hashes cover canonical JSON, so pretty spacing or key order does not matter."""
    lines = exported.read_text(encoding="utf-8").splitlines()
    pretty = [json.dumps(json.loads(line), indent=None, separators=(", ", ": ")) for line in lines]
    path = tmp_path / "pretty.jsonl"
    path.write_text("\n".join(pretty) + "\n\n", encoding="utf-8")
    assert import_verified(other, path).info.last_seq == len(lines) - 1


def _edit(path: Path, lineno: int, change: Any) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    value = json.loads(lines[lineno - 1])
    change(value)
    lines[lineno - 1] = json.dumps(value, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _set_payload(v: dict[str, Any]) -> None:
    v["forged"] = "forged"


def _set_scenario(v: dict[str, Any]) -> None:
    v["scenario_text"] += "# edited\n"


def _set_team(v: dict[str, Any]) -> None:
    v["session"]["team"] = "Other team"


def _set_version(v: dict[str, Any]) -> None:
    v["version"] = 2


def _set_format(v: dict[str, Any]) -> None:
    v["format"] = "something-else"


def _drop_hash(v: dict[str, Any]) -> None:
    del v["events_sha256"]


def _set_seq(v: dict[str, Any]) -> None:
    v["seq"] = 9


def _set_kind(v: dict[str, Any]) -> None:
    v["kind"] = ""


@pytest.mark.parametrize(("lineno", "change", "message"), [
    (3, _set_payload, r"jsonl: the events do not match events_sha256"),
    (1, _set_scenario, r":1: the scenario text does not match"),
    (1, _set_team, r":1: the session details do not match"),
    (1, _set_version, r":1: export format version 2 is not supported"),
    (1, _set_format, r":1: not a krise-øvelse session export"),
    (1, _drop_hash, r":1: the header needs 'events_sha256'"),
    (4, _set_seq, r":4: expected event seq 3, found 9"),
    (2, _set_kind, r":2: not an event: .*kind"),
])
def test_a_tampered_file_is_refused_and_nothing_is_stored(exported: Path, other: SessionStore,
                                                          lineno: int, change: Any,
                                                          message: str) -> None:
    before = snapshot(other)
    _edit(exported, lineno, change)
    with pytest.raises(ExportFileError, match=message) as info:
        import_verified(other, exported)
    assert info.value.exit_code == 1
    assert str(exported) in info.value.message
    assert snapshot(other) == before


@pytest.mark.parametrize(("content", "message"), [
    (lambda lines: [*lines[:2], "{not json", *lines[3:]], r":3: not valid JSON"),
    (lambda lines: [*lines[:3], "[1, 2]", *lines[4:]], r":4: expected a JSON object"),
    (lambda lines: lines[:-1], r"header says \d+ events but the file has \d+"),
    (lambda lines: [*lines[:2], "", *lines[2:]], r":3: empty line in the middle"),
    (lambda lines: [], r"the file is empty"),
])
def test_a_bad_line_is_reported_with_its_position(exported: Path, other: SessionStore,
                                                  content: Any, message: str) -> None:
    lines = exported.read_text(encoding="utf-8").splitlines()
    exported.write_text("\n".join(content(lines)) + "\n", encoding="utf-8")
    with pytest.raises(ExportFileError, match=message):
        import_verified(other, exported)
    assert other.list_sessions() == []


def test_not_utf8_and_missing_file(exported: Path, other: SessionStore, tmp_path: Path) -> None:
    data = exported.read_bytes().splitlines()
    data[2] = b'{"seq": 2, "kind": "\xff"}'
    exported.write_bytes(b"\n".join(data))
    with pytest.raises(ExportFileError, match=r":3: not UTF-8"):
        import_verified(other, exported)
    with pytest.raises(StoreError, match="cannot read") as info:
        import_verified(other, tmp_path / "missing.jsonl")
    assert info.value.exit_code == 2
    assert other.list_sessions() == []


def test_a_bad_id_in_the_header_is_refused(exported: Path, other: SessionStore) -> None:
    import hashlib

    def change(v: dict[str, Any]) -> None:
        v["session"]["id"] = "../../etc"
        v["session_sha256"] = hashlib.sha256(canonical_json(v["session"]).encode()).hexdigest()

    _edit(exported, 1, change)
    with pytest.raises(ExportFileError, match="not a valid id"):
        read_export(exported)


def test_export_of_an_unknown_session(store: SessionStore, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no session"):
        export_to_path(store, "nope", tmp_path / "x.jsonl")
    assert not (tmp_path / "x.jsonl").exists()


def test_export_into_a_missing_directory(store: SessionStore, session: str, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot write") as info:
        export_to_path(store, session, tmp_path / "no" / "such" / "x.jsonl")
    assert info.value.exit_code == 2


@pytest.mark.parametrize("content", ["schema_version: 1\nid: x\n", "[1, 2]\n", "\xe5\n"])
def test_a_file_that_is_not_an_export_is_unreadable_input(other: SessionStore, tmp_path: Path,
                                                          content: str) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(ExportFileError, match=r"scenario.yaml:1: .*not a krise-øvelse session export") as info:
        import_verified(other, path)
    assert info.value.exit_code == 2  # unreadable input, like the CLI's other commands
    assert other.list_sessions() == []


def test_a_decide_first_session_round_trips_and_a_forged_mapping_is_refused(
        store: SessionStore, other: SessionStore, tmp_path: Path) -> None:
    """«annet» is no option of the scenario, yet a decide-first export names it: it imports; a
    level for a criterion nobody has does not."""
    scenario = load_scenario_text(SCENARIO_TEXT, str(EXAMPLE)).scenario
    assert scenario is not None
    played = load_playthrough(PLAY.with_name("beslutt-forst.yaml"), scenario)
    session_id, _ = run_headless_stored(store, scenario, SCENARIO_TEXT, played.playthrough)
    path = tmp_path / "decide-first.jsonl"
    export_to_path(store, session_id, path)
    info = import_verified(other, path).info
    assert other.events(info.id) == store.events(session_id)
    kinds = [e["kind"] for e in other.events(info.id)]
    assert "decision_written" in kinds and "decision_mapped" in kinds
    assert other.summary(info.id) == store.summary(session_id)
    from krise_ovelse.catalogue import known_criteria
    from krise_ovelse.store.importing import check_references

    events = [dict(e) for e in store.events(session_id)]
    criteria = frozenset(known_criteria(scenario))
    check_references(scenario, events, criteria, "x.jsonl")  # as stored: every id known
    mapped = next(e for e in events if e["kind"] == "decision_mapped" and e["option_id"] == "annet")
    mapped["levels"] = {"XX-9": "P"}  # a criterion nobody has, as a forger (who re-hashed) might write
    with pytest.raises(ExportFileError, match="criterion 'XX-9'"):
        check_references(scenario, events, criteria, "x.jsonl")
    mapped["levels"], mapped["option_id"] = {"KH-4": "P"}, "z"
    with pytest.raises(ExportFileError, match="option 'z'"):
        check_references(scenario, events, criteria, "x.jsonl")
