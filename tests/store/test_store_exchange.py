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

from ..security.test_exports import rehash

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
    from krise_ovelse.store.exchange import SESSION_FIELDS

    assert list(header["session"]) == list(SESSION_FIELDS)  # the documented fields, no others
    assert f'"title":"{store.get(session).title}"' in lines[0]  # Norwegian text stays readable, unescaped
    assert header["session"]["participants"] == list(store.get(session).participants)
    assert header["session"]["summary"] == store.summary(session) is not None


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


# --- what an import derives, and what it keeps from the file -------------------------------------


def forge(path: Path, edit: Any) -> Path:
    """Edit an export's header and events and recompute every hash, as anyone holding the file
    can (docs/sessions.md): the import must derive, not believe."""
    rehash(path, edit)
    return path


def _session(**change: Any) -> Any:
    return lambda header, _events: header["session"].update(change)


@pytest.mark.parametrize(("given", "kept"), [
    ("2025-03-12T09:15:00+01:00", "2025-03-12T09:15:00+01:00"),
    ("2025-03-12T09:15:00.250000+01:00", "2025-03-12T09:15:00+01:00"),
    ("2025-03-12T09:15:00", None),  # no zone: the first event's time
    ("last Tuesday", None),
])
def test_an_import_keeps_when_the_session_really_started_if_it_is_a_time_with_a_zone(
        exported: Path, other: SessionStore, given: str, kept: str | None) -> None:
    first_wall = json.loads(exported.read_text(encoding="utf-8").splitlines()[1])["wall"]
    info = import_verified(other, forge(exported, _session(started=given))).info
    assert info.started == (kept or first_wall)


def test_an_ended_session_imports_ended_when_its_events_say_so_whatever_the_header_says(
        exported: Path, other: SessionStore, store: SessionStore, session: str) -> None:
    ended_wall = [e for e in store.events(session) if e["kind"] == "session_ended"][-1]["wall"]
    info = import_verified(other, forge(exported, _session(status="paused", ended=None))).info
    assert (info.status, info.ended, info.owner) == ("ended", ended_wall, None)


@pytest.fixture
def paused_export(store: SessionStore, tmp_path: Path) -> Path:
    """A session played a little and closed (paused), exported."""
    from krise_ovelse.engine import commands as c
    from krise_ovelse.store.lifecycle import close_session, start_session

    scenario = load_scenario_text(SCENARIO_TEXT, str(EXAMPLE)).scenario
    assert scenario is not None
    live = start_session(store, scenario, SCENARIO_TEXT, team="Lag P", participants=["Kari"])
    live.engine.handle(c.Resume())
    live.engine.handle(c.AdvanceToNext())
    close_session(store, live.session_id, live.engine)
    path = tmp_path / "paused.jsonl"
    export_to_path(store, live.session_id, path)
    return path


@pytest.mark.parametrize(("given", "status"), [
    ("paused", "paused"), ("interrupted", "interrupted"),
    ("running", "interrupted"),  # nobody runs it here
    ("ended", "interrupted"),  # its events did not end it
])
def test_an_unfinished_session_imports_paused_or_interrupted(paused_export: Path, other: SessionStore,
                                                             given: str, status: str) -> None:
    info = import_verified(other, forge(paused_export, _session(status=given, ended="2030-01-01T00:00:00+00:00"))).info
    assert (info.status, info.ended, info.owner) == (status, None, None)


@pytest.mark.parametrize(("given", "mode"), [
    ("headless", "headless"), ("live", "live"), ("bogus", "live"), (None, "live"),
])
def test_an_import_keeps_how_the_session_was_played_if_it_is_a_known_mode(exported: Path, other: SessionStore,
                                                                         given: str | None, mode: str) -> None:
    assert import_verified(other, forge(exported, _session(mode=given))).info.mode == mode


def test_participants_come_from_the_session_started_event_with_their_roles(exported: Path,
                                                                          other: SessionStore) -> None:
    def edit(header: dict[str, Any], events: list[dict[str, Any]]) -> None:
        header["session"]["participants"] = ["Forged (Boss)"]
        events[0]["participants"] = [{"name": "Kari", "role": "Direktør"}, {"name": "Ola", "role": ""}]

    info = import_verified(other, forge(exported, edit)).info
    assert info.participants == ("Kari (Direktør)", "Ola")


@pytest.fixture
def branch(store: SessionStore, session: str, tmp_path: Path) -> tuple[str, Path, Path]:
    """(branch id, the parent's export, the branch's export)."""
    from krise_ovelse.store.lifecycle import branch_session

    info = branch_session(store, session, "d01")
    parent, child = tmp_path / "parent.jsonl", tmp_path / "branch.jsonl"
    export_to_path(store, session, parent)
    export_to_path(store, info.id, child)
    return info.id, parent, child


def test_a_branch_keeps_its_parent_where_the_parent_is_and_only_its_point_elsewhere(
        store: SessionStore, session: str, branch: tuple[str, Path, Path], other: SessionStore,
        tmp_path: Path) -> None:
    branch_id, parent, child = branch
    stored = store.get(branch_id)
    assert stored.branch_seq is not None and stored.branch_seq > 0
    import_verified(other, parent)
    info = import_verified(other, child).info
    assert (info.parent_id, info.branch_decision, info.branch_seq) == (session, "d01", stored.branch_seq)
    with SessionStore(tmp_path / "alone.db") as alone:  # the parent is not there
        info = import_verified(alone, child).info
        assert (info.parent_id, info.branch_decision, info.branch_seq) == (None, None, None)


@pytest.mark.parametrize(("change", "expected"), [
    ({"branch_seq": 0}, ("d01", 0)),  # a what-if from before the first event
    ({"branch_seq": "all"}, ("d01", "all")),  # not a number: all the copied events
    ({"branch_seq": -1}, ("d01", "all")),
    ({"branch_seq": 10_000}, ("d01", "all")),  # more than it holds
    ({"branch_decision": 5}, (None, "all")),
])
def test_a_branch_point_that_cannot_be_is_not_believed(branch: tuple[str, Path, Path], other: SessionStore,
                                                      change: dict[str, Any], expected: tuple[Any, Any]) -> None:
    _branch_id, parent, child = branch
    events = len(child.read_text(encoding="utf-8").splitlines()) - 1
    import_verified(other, parent)
    info = import_verified(other, forge(child, _session(**change))).info
    decision, seq = expected
    assert (info.branch_decision, info.branch_seq) == (decision, events if seq == "all" else seq)


def test_what_the_import_refuses_names_the_file_and_the_line(exported: Path, other: SessionStore,
                                                             tmp_path: Path) -> None:
    def copy(name: str) -> Path:
        path = tmp_path / name
        path.write_text(exported.read_text(encoding="utf-8"), encoding="utf-8")
        return path

    cases: list[tuple[Path, str, str]] = []
    path = forge(copy("no-scenario.jsonl"), lambda h, _e: h.update(scenario_text="id: x\n"))
    cases.append((path, f"{path}:1: the scenario in the export does not load with this version of krise-øvelse: "
                  f"{path}:scenario_text:", "the file cannot be replayed here; nothing was imported"))
    path = forge(copy("other-scenario.jsonl"), _session(scenario_id="annet"))
    cases.append((path, f"{path}:1: the session says scenario 'annet', its scenario text is 'kort-eksempel'", ""))
    path = forge(copy("newer.jsonl"), lambda _h, e: e.append({"seq": len(e) + 1, "kind": "from_a_newer_version"}))
    cases.append((path, f"{path}: stored event {len(exported.read_text().splitlines())} cannot be read by this "
                  "version of the engine: ", "the events are not ones this krise-øvelse can replay; nothing was "
                  "imported"))
    path = forge(copy("empty.jsonl"), lambda _h, e: e.clear())
    cases.append((path, f"{path}:2: the export holds no session_started event", ""))
    for path, message, hint in cases:
        with pytest.raises(ExportFileError) as info:
            import_verified(other, path)
        assert info.value.message.startswith(message), (info.value.message, message)
        assert (info.value.hint, info.value.exit_code) == (hint, 1)
    assert other.list_sessions() == []


@pytest.mark.parametrize(("event_line", "says"), [
    ('{"seq": 1, "kind": "x", "value": NaN}', "not valid JSON: NaN is not a number JSON allows"),
    ('{"seq": 1, "kind": "x", "value": -Infinity}', "not valid JSON: -Infinity is not a number JSON allows"),
    ('{"seq": 1, "kind": "x", "value": 1e999}',
     "not valid JSON: a number out of range or a lone surrogate in a string"),
    ('{"seq": 1, "kind": "x", "value": "\\ud800"}', "not valid JSON: a lone surrogate in a string"),
    ('{"seq": 1, "kind": "x", "value": ' + "[" * 5000 + "]" * 5000 + "}", "not valid JSON: nested too deeply"),
    ("[1, 2]", "expected a JSON object {...}"),
])
def test_an_event_line_no_export_holds_is_refused_with_its_position(exported: Path, event_line: str,
                                                                   says: str) -> None:
    lines = exported.read_text(encoding="utf-8").splitlines()
    exported.write_text("\n".join([lines[0], event_line, *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(ExportFileError) as info:
        read_export(exported)
    assert (info.value.message, info.value.exit_code) == (f"{exported}:2: {says}", 1)


def test_a_header_line_that_is_no_object_is_not_an_export(exported: Path) -> None:
    lines = exported.read_text(encoding="utf-8").splitlines()
    exported.write_text("\n".join(["[1, 2]", *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(ExportFileError) as info:
        read_export(exported)
    assert (info.value.message, info.value.hint, info.value.exit_code) == (
        f"{exported}:1: expected a JSON object {{...}}: not a krise-øvelse session export (JSON Lines)",
        "give a file written by `krise-ovelse export SESSION -o FILE.jsonl`", 2)


def test_an_export_that_starts_with_a_byte_order_mark_imports(exported: Path, other: SessionStore) -> None:
    """Editors on Windows save UTF-8 with a BOM; only the first line may carry one."""
    exported.write_bytes(b"\xef\xbb\xbf" + exported.read_bytes())
    assert import_verified(other, exported).info.last_seq > 0
    lines = exported.read_bytes()[3:].split(b"\n")
    lines[1] = b"\xef\xbb\xbf" + lines[1]
    exported.write_bytes(b"\n".join(lines))
    with pytest.raises(ExportFileError, match=":2: not valid JSON"):
        read_export(exported)


def test_an_empty_line_between_events_names_the_file_and_line(exported: Path) -> None:
    lines = exported.read_text(encoding="utf-8").splitlines()
    exported.write_text("\n".join([*lines[:3], "", *lines[3:]]) + "\n", encoding="utf-8")
    with pytest.raises(ExportFileError) as info:
        read_export(exported)
    assert info.value.message == f"{exported}:4: empty line in the middle of the events"


def test_a_header_without_participants_is_read_and_a_missing_hash_named(exported: Path, other: SessionStore) -> None:
    """Participants are derived from the events; the header's list may be left out."""
    def drop(header: dict[str, Any], _events: Any) -> None:
        del header["session"]["participants"]

    assert import_verified(other, forge(exported, drop)).info.participants
    lines = exported.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    del header["scenario_sha256"]
    exported.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(ExportFileError) as info:
        read_export(exported)
    assert (info.value.message, info.value.hint) == (f"{exported}:1: the header needs 'scenario_sha256' (text)",
                                                     "the file is not a complete krise-øvelse session export")


def test_an_export_that_cannot_be_read_says_why(exported: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from krise_ovelse.store import exchange

    with pytest.raises(StoreError) as info:
        read_export(tmp_path)
    assert (info.value.message, info.value.hint, info.value.exit_code) == (
        f"cannot read {tmp_path}: E-READ-DIR is a directory, not a file", "give the path of a file", 2)
    monkeypatch.setattr(exchange, "MAX_EXPORT_BYTES", 100)
    with pytest.raises(StoreError) as info:
        read_export(exported)
    assert info.value.message.startswith(
        f"cannot read {exported}: E-READ-SIZE the export file is larger than the limit of 100 bytes")
    assert info.value.hint == "give a smaller file"


def _renumber(lines: list[str]) -> list[str]:
    event = json.loads(lines[3])
    event["seq"] = 9
    return [*lines[:3], canonical_json(event), *lines[4:]]


@pytest.mark.parametrize(("content", "message", "hint"), [
    (_renumber, "{path}:4: expected event seq 3, found 9",
     "events must be numbered 1, 2, 3, … without gaps or repeats"),
    (lambda lines: [], "{path}: the file is empty",
     "export a session with `krise-ovelse export SESSION -o FILE.jsonl`"),
    (lambda lines: lines[:-1], "{path}: the header says {n} events but the file has {m}",
     "the file is incomplete or was edited; export it again"),
    (lambda lines: [*lines[:2], lines[3], lines[2], *lines[4:]],  # two events swapped
     "{path}:3: expected event seq 2, found 3", "events must be numbered 1, 2, 3, … without gaps or repeats"),
])
def test_each_damage_to_the_event_lines_is_one_sentence_with_a_hint(exported: Path, content: Any, message: str,
                                                                    hint: str) -> None:
    lines = exported.read_text(encoding="utf-8").splitlines()
    exported.write_text("\n".join(content(lines)) + "\n", encoding="utf-8")
    with pytest.raises(ExportFileError) as info:
        read_export(exported)
    n = len(lines) - 1
    assert (info.value.message, info.value.hint, info.value.exit_code) == (
        message.format(path=exported, n=n, m=n - 1), hint, 1)


def test_changed_event_values_are_found_by_the_events_hash(exported: Path) -> None:
    lines = exported.read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[2])
    event["forged"] = True
    exported.write_text("\n".join([*lines[:2], canonical_json(event), *lines[3:]]) + "\n", encoding="utf-8")
    with pytest.raises(ExportFileError) as info:
        read_export(exported)
    assert (info.value.message, info.value.hint, info.value.exit_code) == (
        f"{exported}: the events do not match events_sha256: the file was changed after it was exported",
        "use the file as exported", 1)


@pytest.mark.parametrize("line", [1, 3])
def test_bytes_that_are_not_utf8_are_named_with_their_line(exported: Path, line: int) -> None:
    lines = exported.read_bytes().split(b"\n")
    lines[line - 1] = lines[line - 1][:-1] + b"\xff}"
    exported.write_bytes(b"\n".join(lines))
    with pytest.raises(ExportFileError) as info:
        read_export(exported)
    where = f"{exported}:{line}: not UTF-8 text (invalid start byte)"
    assert info.value.message == (where + ": not a krise-øvelse session export (JSON Lines)" if line == 1 else where)


def test_a_signed_export_imports_with_who_signed_it(store: SessionStore, session: str, other: SessionStore,
                                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from krise_ovelse import signing

    monkeypatch.setenv(signing.ENV_KEYS, str(tmp_path / "keys"))
    key = signing.create_key("lag-a")
    unsigned, signed = tmp_path / "unsigned.jsonl", tmp_path / "signed.jsonl"
    export_to_path(store, session, unsigned)
    export_to_path(store, session, signed, sign_with="lag-a")
    assert json.loads(signed.read_text(encoding="utf-8").splitlines()[0])["signature"]["key_id"] == key.key_id
    with pytest.raises(ExportFileError) as info:
        import_verified(other, unsigned, verify=True)
    assert info.value.message == f"{unsigned}:1: the export is not signed, and --verify asks for a signature"
    imported = import_verified(other, signed, verify=True)  # one's own key is trusted
    assert (imported.signer, imported.trusted, imported.key_id) == ("lag-a", True, key.key_id)
    plain = import_verified(other, unsigned, new_id=True)
    assert (plain.signer, plain.trusted, plain.key_id) == (None, False, "")
    with pytest.raises(StoreError) as missing:  # a key that is not there: the signing module's sentence
        export_to_path(store, session, tmp_path / "x.jsonl", sign_with="nobody")
    assert (missing.value.message, missing.value.hint, missing.value.exit_code) == (
        f"there is no signing key named 'nobody' in {tmp_path / 'keys'}",
        "make one with `krise-ovelse keys create nobody`", 2)
    assert not (tmp_path / "x.jsonl").exists()


def test_an_import_refusal_names_the_file_it_is_about(exported: Path, other: SessionStore, session: str) -> None:
    """Each refusal is positioned in the export file, not in a session of the database."""
    import_verified(other, exported)
    with pytest.raises(ExportFileError) as raised:
        import_verified(other, exported)
    assert (raised.value.message, raised.value.hint) == (
        f"{exported}:1: session {session} is already in the database",
        "importing it again would make two copies; use --new-id for a copy")

    def swap_first_two(_header: dict[str, Any], events: list[dict[str, Any]]) -> None:
        events[0], events[1] = {**events[1], "seq": 1}, {**events[0], "seq": 2}

    forged = forge(exported, swap_first_two)
    kind = json.loads(forged.read_text(encoding="utf-8").splitlines()[1])["kind"]
    with pytest.raises(ExportFileError) as raised:
        import_verified(other, forged, new_id=True)
    assert (raised.value.message, raised.value.hint, raised.value.exit_code) == (
        f"{forged}: the first event is {kind}, not session_started",
        "the events are not ones this krise-øvelse can replay; nothing was imported", 1)
    def unknown_inject(_header: dict[str, Any], events: list[dict[str, Any]]) -> None:
        released = next(e for e in events if e["kind"] == "inject_released")
        released["inject_id"] = "i99"

    forged = forge(exported, unknown_inject)
    with pytest.raises(ExportFileError) as raised:
        import_verified(other, forged, new_id=True)
    assert raised.value.message.startswith(f"{forged}:")
    assert raised.value.message.endswith("names inject 'i99', which the scenario in the export does not have")
