"""Tests that kill mutants that survived `.ci/mutation store` (issue #12, item 6; docs/testing.md).

Each pins a behaviour a person relies on that no other test fixed exactly: the words and exit code
of an error (they are the product's interface: a sentence a person can act on), what `resume`
shows of a stored session, how `resume --play` finishes an interrupted headless run.

Equivalent mutants (they survive, and cannot change behaviour) are listed at the end of this file;
the PostgreSQL store's share of the same interface is tested in tests/national/test_pg_store.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

from krise_ovelse.engine import commands as c
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.scripted.playthrough import load_playthrough_text
from krise_ovelse.store import engine_bridge as bridge
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    ExportFileError,
    SessionHeld,
    StoreError,
    UnknownSession,
)
from krise_ovelse.store.exchange import _type_name
from krise_ovelse.store.lifecycle import release_claim

from .test_store_engine import clock
from .test_store_engine import example as example  # the fixture: the shipped short example

# --- errors: the sentence, the hint and the exit code ---------------------------------------------


def test_an_unknown_session_names_the_id_the_database_and_what_to_do() -> None:
    error = UnknownSession("abc", "/x/s.db")
    assert (error.message, error.hint, error.exit_code, error.session_id) == (
        "no session with id 'abc' in /x/s.db",
        "run `krise-ovelse sessions` to list the sessions (or pass --db for another database)", EXIT_USAGE, "abc")
    short = UnknownSession("ab", "/x/s.db", min_prefix=4)
    assert (short.message, short.hint, short.exit_code, short.session_id) == (
        "no session with id 'ab': a shortened id needs at least 4 characters",
        "type more of the id that `krise-ovelse sessions` shows", EXIT_USAGE, "ab")


def test_a_held_session_names_its_owner() -> None:
    error = SessionHeld("abc", "host:12")
    assert (error.render(), error.exit_code, error.session_id, error.owner) == (
        "error: session abc is open in another process (host:12)\n  hint: close it there first", EXIT_USAGE,
        "abc", "host:12")


def test_an_export_file_error_is_positioned_like_a_compiler_error() -> None:
    error = ExportFileError("s.jsonl", 3, "bad")
    assert (error.render(), error.exit_code, error.file, error.line) == ("error: s.jsonl:3: bad", EXIT_PROBLEMS,
                                                                         "s.jsonl", 3)
    whole = ExportFileError("s.jsonl", 0, "empty", "export again")
    assert (whole.render(), whole.line) == ("error: s.jsonl: empty\n  hint: export again", 0)


def test_type_names_in_export_messages() -> None:
    assert [_type_name(str), _type_name(int), _type_name(dict), _type_name(list), _type_name(float)] == [
        "text", "a whole number", "an object", "a list", "float"]
    assert _type_name((str, list)) == "text or a list"


# --- release_claim: best effort after a failure ------------------------------------------------------


def test_release_claim_marks_the_session_and_swallows_a_store_error(store: SessionStore, session: str) -> None:
    store.claim(session)
    release_claim(store, session)
    info = store.get(session)
    assert (info.status, info.owner) == ("interrupted", None)
    release_claim(store, "feedbeef0000")  # unknown: a StoreError, swallowed
    release_claim(store, session, "paused")
    assert store.get(session).status == "paused"


# --- state_summary: what `resume` shows -------------------------------------------------------------


def test_state_summary_of_a_running_session_with_an_open_decision(store: SessionStore,
                                                                  example: tuple[Scenario, str]) -> None:
    scenario, text = example
    live = bridge.start_session(store, scenario, text, team="Lag A", clock=clock, seed=3)
    live.engine.handle(c.Resume())
    for _ in range(3):
        live.engine.handle(c.AdvanceToNext())
    summary = bridge.state_summary(store, live.session_id)
    assert summary["session"] == store.get(live.session_id).to_dict()
    assert {k: v for k, v in summary.items() if k != "session"} == {
        "scenario_time": "D+0 10:00",
        "phase": "akutt",
        "clock": "running",
        "events": 9,
        "open_decisions": [{"decision": "d01", "deadline": "D+0 12:30", "title": "Første beskjed til ansatte"}],
        "decided": {},
        "last": [
            "beslutning d01 «Første beskjed til ansatte» åpnet, frist D+0 12:30",
            "klokka gikk fra D+0 06:30 til D+0 08:15 (Informasjonsusikkerhet 56,7, Belastning på nøkkelpersoner …",
            "innspill i02 «Vannskade stenger DTT – søkere får ikke svar» sendt",
            "klokka gikk fra D+0 08:15 til D+0 10:00 (Informasjonsusikkerhet 57,1, Belastning på nøkkelpersoner …",
            "innspill i03 «Status innen kl. 15» sendt",
        ],
    }


def test_state_summary_shows_paused_decided_and_ended(store: SessionStore, example: tuple[Scenario, str]) -> None:
    scenario, text = example
    live = bridge.start_session(store, scenario, text, team="Lag A", clock=clock, seed=3)
    engine = live.engine
    assert bridge.state_summary(store, live.session_id)["clock"] == "paused"
    engine.handle(c.Resume())
    while not engine.state.open_decisions():
        engine.handle(c.AdvanceToNext())
    engine.handle(c.Decide("d01", "b", "fordi"))
    engine.handle(c.Pause())
    summary = bridge.state_summary(store, live.session_id)
    assert (summary["clock"], summary["decided"], summary["open_decisions"]) == ("paused", {"d01": "b"}, [])
    engine.handle(c.EndExercise("ferdig"))
    summary = bridge.state_summary(store, live.session_id)
    assert (summary["clock"], summary["decided"]) == ("ended", {"d01": "b"})
    assert summary["last"][-1] == "ENDEX (øvingsleder avsluttet): ferdig"


def test_state_summary_names_an_open_decision_without_a_title_by_its_prompt(store: SessionStore,
                                                                           example: tuple[Scenario, str]) -> None:
    from krise_ovelse.authoring import load_scenario_text

    _, text = example
    untitled = text.replace('    title: "Første beskjed til ansatte"\n', "", 1)
    scenario = load_scenario_text(untitled, "untitled.yaml").scenario
    assert untitled != text and scenario is not None
    live = bridge.start_session(store, scenario, untitled, team="Lag A", clock=clock, seed=3)
    live.engine.handle(c.Resume())
    while not live.engine.state.open_decisions():
        live.engine.handle(c.AdvanceToNext())
    (shown,) = bridge.state_summary(store, live.session_id)["open_decisions"]
    assert shown["decision"] == "d01"
    assert shown["title"] == scenario.decision("d01").prompt.get()
    assert shown["title"].startswith("Klokka er halv sju.")


# --- CatchUpSink and finish_headless: `resume --play` ------------------------------------------------

PLAY = "scenario: kort-eksempel\nteam: Lag K\nseed: 11\ndecisions:\n  d01: {option: b, rationale: valg}\n"


class Crash(Exception):
    pass


class CrashingStore(SessionStore):
    """Dies (like a killed process) after `appends` committed batches."""

    appends = 3

    def append(self, session_id: str, events: Sequence[Mapping[str, Any]]) -> int:
        if self.appends == 0:
            raise Crash
        self.appends -= 1
        return super().append(session_id, events)


def _playthrough(scenario: Scenario, text: str = PLAY) -> Any:
    loaded = load_playthrough_text(text, scenario)
    assert loaded.playthrough is not None, loaded.problems
    return loaded.playthrough


def _interrupted(path: Path, example: tuple[Scenario, str], appends: int = 3) -> str:
    scenario, text = example
    with CrashingStore(path) as crashing:
        crashing.appends = appends
        with pytest.raises(Crash):
            bridge.run_headless_stored(crashing, scenario, text, _playthrough(scenario))
        (info,) = crashing.list_sessions()
        return info.id


def test_finish_headless_completes_an_interrupted_run_like_an_uninterrupted_one(
        tmp_path: Path, example: tuple[Scenario, str]) -> None:
    scenario, text = example
    with SessionStore(tmp_path / "ref.db") as ref:
        ref_id, _ = bridge.run_headless_stored(ref, scenario, text, _playthrough(scenario))
        reference = ref.events(ref_id)
        ref_summary = ref.summary(ref_id)
    sid = _interrupted(tmp_path / "s.db", example)
    with SessionStore(tmp_path / "s.db") as store:
        partial = len(store.events(sid))
        assert 0 < partial < len(reference)
        store.set_status(sid, "interrupted")
        result = bridge.finish_headless(store, sid, _playthrough(scenario))
        assert result.state.ended
        assert store.events(sid) == reference
        info = store.get(sid)
        assert (info.status, info.owner) == ("ended", None)
        assert store.summary(sid) == ref_summary


def test_finish_headless_refuses_a_session_another_playthrough_made(tmp_path: Path,
                                                                   example: tuple[Scenario, str]) -> None:
    scenario, _text = example
    sid = _interrupted(tmp_path / "s.db", example, appends=5)
    other = _playthrough(scenario, PLAY.replace("option: b", "option: c"))
    with SessionStore(tmp_path / "s.db") as store:
        store.set_status(sid, "interrupted")
        before = store.events(sid)
        (made,) = [e for e in before if e["kind"] == "decision_made"]
        with pytest.raises(StoreError) as info:
            bridge.finish_headless(store, sid, other)
        assert info.value.exit_code == EXIT_PROBLEMS
        assert info.value.message == (
            f"session {sid}: stored event {made['seq']} (decision_made) is not what playthrough "
            f"{other.file} produces at that point (differs in: option_id, values)")
        assert info.value.hint == ("this session was not started by this playthrough (same seed, fixed clock); "
                                   "continue it in the console with `krise-ovelse play --session ID`")
        assert store.events(sid) == before
        assert store.get(sid).status == "interrupted"  # refused before the claim


def test_finish_headless_refuses_a_session_longer_than_the_playthrough(tmp_path: Path,
                                                                      example: tuple[Scenario, str]) -> None:
    scenario, text = example
    rated = PLAY + "actions:\n  - {at: ENDEX, rate: {criterion: KH-2, level: S, reason: Enige, by: Eva}}\n"
    with SessionStore(tmp_path / "s.db") as store:
        sid, _ = bridge.run_headless_stored(store, scenario, text, _playthrough(scenario, rated))
        stored = store.events(sid)
        with pytest.raises(StoreError) as info:
            bridge.finish_headless(store, sid, _playthrough(scenario))
        assert (info.value.message, info.value.hint, info.value.exit_code) == (
            f"session {sid} has {len(stored)} events, but the playthrough produces only {len(stored) - 1}",
            "this session was not started by this playthrough", EXIT_PROBLEMS)
        assert store.events(sid) == stored


def test_finish_headless_plays_on_decide_first_when_the_run_was_started_so(tmp_path: Path,
                                                                          example: tuple[Scenario, str]) -> None:
    """`run --decide-first` with an ordinary playthrough: `resume --play` finishes it decide-first
    too, though the playthrough file does not say so (the stored session_started does)."""
    scenario, text = example
    plain = "scenario: kort-eksempel\nteam: Lag K\nseed: 11\n"
    with SessionStore(tmp_path / "ref.db") as ref:
        ref_id, _ = bridge.run_headless_stored(ref, scenario, text, _playthrough(scenario, plain), decide_first=True)
        reference = ref.events(ref_id)
    assert reference[0]["decide_first"] is True
    with CrashingStore(tmp_path / "s.db") as crashing:
        crashing.appends = 3
        with pytest.raises(Crash):
            bridge.run_headless_stored(crashing, scenario, text, _playthrough(scenario, plain), decide_first=True)
        (info,) = crashing.list_sessions()
    with SessionStore(tmp_path / "s.db") as store:
        store.set_status(info.id, "interrupted")
        result = bridge.finish_headless(store, info.id, _playthrough(scenario, plain))
        assert result.state.ended and store.events(info.id) == reference


def test_finish_headless_is_refused_while_another_live_process_has_the_session(
        tmp_path: Path, example: tuple[Scenario, str]) -> None:
    import os

    from krise_ovelse.store.session_rows import this_host

    scenario, _text = example
    sid = _interrupted(tmp_path / "s.db", example)
    with SessionStore(tmp_path / "s.db") as store:
        other = f"{this_host()}:{os.getppid()}"  # a live process on this machine
        store._conn.execute("UPDATE sessions SET owner = ?, status = 'running' WHERE id = ?", (other, sid))
        before = store.events(sid)
        with pytest.raises(SessionHeld) as held:
            bridge.finish_headless(store, sid, _playthrough(scenario))
        assert held.value.owner == other and store.events(sid) == before
        assert bridge.finish_headless(store, sid, _playthrough(scenario), force=True).state.ended


def test_finish_headless_uses_the_seed_the_run_was_started_with(tmp_path: Path,
                                                               example: tuple[Scenario, str]) -> None:
    """`run --seed 5 --play FILE` (the file says seed 11): finishing it replays with seed 5."""
    scenario, text = example
    with SessionStore(tmp_path / "ref.db") as ref:
        ref_id, _ = bridge.run_headless_stored(ref, scenario, text, _playthrough(scenario), seed=5)
        reference = ref.events(ref_id)
    assert reference[0]["seed"] == 5
    with CrashingStore(tmp_path / "s.db") as crashing:
        crashing.appends = 3
        with pytest.raises(Crash):
            bridge.run_headless_stored(crashing, scenario, text, _playthrough(scenario), seed=5)
        (info,) = crashing.list_sessions()
    with SessionStore(tmp_path / "s.db") as store:
        store.set_status(info.id, "interrupted")
        bridge.finish_headless(store, info.id, _playthrough(scenario))
        assert store.events(info.id) == reference


def test_finish_headless_closes_a_run_that_died_after_its_last_event(tmp_path: Path,
                                                                    example: tuple[Scenario, str]) -> None:
    """Every event was stored but the process died before it closed the session: finishing it
    stores nothing more and records the summary and the end."""
    scenario, text = example
    with SessionStore(tmp_path / "s.db") as store:
        sid, _ = bridge.run_headless_stored(store, scenario, text, _playthrough(scenario))
        events, summary = store.events(sid), store.summary(sid)
        store._conn.execute("UPDATE sessions SET summary = NULL, score_index = NULL, status = 'interrupted' "
                            "WHERE id = ?", (sid,))
        result = bridge.finish_headless(store, sid, _playthrough(scenario))
        assert result.state.ended and store.events(sid) == events
        assert (store.summary(sid), store.get(sid).status) == (summary, "ended")


@pytest.mark.parametrize(("added", "says"), [
    ({"kind": "written_by_a_newer_version"}, "stored event {seq} cannot be read by this version of the engine: "),
    ({"kind": "decision_record_amended", "decision_id": "d01", "record_seq": 99, "rationale": "", "decided_by": "",
      "previous_rationale": "", "previous_decided_by": "", "by": ""},
     "the events do not fold over the stored scenario (EventFormatError: "),
])
def test_finish_headless_names_the_session_whose_stored_events_are_broken(
        tmp_path: Path, example: tuple[Scenario, str], added: dict[str, Any], says: str) -> None:
    scenario, _text = example
    sid = _interrupted(tmp_path / "s.db", example)
    with SessionStore(tmp_path / "s.db") as store:
        seq = store.last_seq(sid) + 1
        last = store.events(sid)[-1]
        common: dict[str, Any] = {k: last[k] for k in ("scenario_minutes", "exercise_seconds", "wall") if k in last}
        store.append(sid, [{**common, "seq": seq, **added}])
        store.set_status(sid, "interrupted")
        with pytest.raises(StoreError) as info:
            bridge.finish_headless(store, sid, _playthrough(scenario))
        assert info.value.message.startswith(f"session {sid}: " + says.format(seq=seq))
        assert info.value.exit_code == EXIT_PROBLEMS and store.get(sid).status == "interrupted"


def test_a_wrong_playthrough_never_takes_a_session_the_console_has_open(store: SessionStore,
                                                                        example: tuple[Scenario, str]) -> None:
    """`resume --play --force` with a playthrough that did not make the session is refused before
    the claim: the console that has the session open keeps it, and it stays `running`."""
    scenario, text = example
    live = bridge.start_session(store, scenario, text, team="Lag K", clock=clock, seed=11, session_mode="headless")
    live.engine.handle(c.Resume())
    store._conn.execute("UPDATE sessions SET owner = 'konsoll-pc:4242' WHERE id = ?", (live.session_id,))
    before = store.events(live.session_id)
    with pytest.raises(StoreError, match="is not what playthrough"):
        bridge.finish_headless(store, live.session_id, _playthrough(scenario), force=True)
    info = store.get(live.session_id)
    assert (info.owner, info.status) == ("konsoll-pc:4242", "running")
    assert store.events(live.session_id) == before


def test_the_catch_up_sink_counts_and_appends_only_what_is_new(store: SessionStore,
                                                              example: tuple[Scenario, str]) -> None:
    scenario, text = example
    sid, _ = bridge.run_headless_stored(store, scenario, text, _playthrough(scenario))
    stored = store.events(sid)
    probe = bridge.CatchUpSink(store, sid, stored[:4], "x", write=False)
    assert probe.produced == 0
    probe(stored[:6])
    assert probe.produced == 6 and store.events(sid) == stored  # a dry run writes nothing
    changed = {**stored[2], "wall": "2030-01-01T00:00:00+00:00", "extra": 1}
    with pytest.raises(StoreError, match=r"stored event 3 \(clock_advanced\) is not what x produces at that "
                                         r"point \(differs in: extra, wall\)$"):
        probe([stored[0], stored[1], changed])


# --- importing: an id that would clash with a stored one ---------------------------------------------


def test_an_imported_id_must_not_clash_with_a_stored_one(store: SessionStore) -> None:
    from krise_ovelse.store.importing import _check_id

    store.create_session(scenario_text="x", scenario_id="s", session_id="abcd1234", events=[])
    cases = {
        "abc": ("the session id 'abc' is shorter than 4 characters, so it would be taken for a shortened id",
                "import it with --new-id"),
        "abcd1234": ("session abcd1234 is already in the database",
                     "importing it again would make two copies; use --new-id for a copy"),
        "abcd12": ("the session id 'abcd12' and the stored session 'abcd1234' begin alike, so a shortened id "
                   "could name either", "import it with --new-id"),
        "abcd12345": ("the session id 'abcd12345' and the stored session 'abcd1234' begin alike, so a shortened "
                      "id could name either", "import it with --new-id"),
    }
    for session_id, (message, hint) in cases.items():
        with pytest.raises(StoreError) as info:
            _check_id(store, session_id, "f.jsonl")
        assert (info.value.message, info.value.hint, info.value.exit_code) == (
            f"f.jsonl:1: {message}", hint, EXIT_PROBLEMS), session_id
    _check_id(store, "abce", "f.jsonl")  # four characters, no clash: accepted
    _check_id(store, "bcd1234", "f.jsonl")


def test_a_file_that_is_not_an_export_says_how_to_make_one(store: SessionStore, tmp_path: Path) -> None:
    from krise_ovelse.store.importing import import_verified

    path = tmp_path / "notes.txt"
    path.write_text("hei\n", encoding="utf-8")
    with pytest.raises(StoreError) as info:
        import_verified(store, path)
    assert info.value.message.startswith(f"{path}:1: not valid JSON: ")
    assert info.value.message.endswith(": not a krise-øvelse session export (JSON Lines)")
    assert (info.value.hint, info.value.exit_code) == (
        "give a file written by `krise-ovelse export SESSION -o FILE.jsonl`", EXIT_USAGE)


# --- lifecycle: branch points and catalogue versions -------------------------------------------------


def _event(seq: int, kind: str, **payload: Any) -> dict[str, Any]:
    return {"seq": seq, "kind": kind, "scenario_minutes": seq, **payload}


def test_branch_point_is_the_first_choice_and_a_refusal_says_what_was_settled() -> None:
    from krise_ovelse.store.lifecycle import branch_point

    events = [_event(1, "session_started"), _event(2, "decision_opened", decision_id="d1"),
              _event(3, "decision_made", decision_id="d1", option_id="a"),
              _event(4, "decision_opened", decision_id="d2"),
              _event(5, "decision_missed", decision_id="d3", option_id="b"),
              _event(6, "decision_revised", decision_id="d1", option_id="b")]
    assert (branch_point(events, "d1"), branch_point(events, "d3")) == (2, 4)
    refusals = {
        "d2": "d2 was opened but is still open: resume the session to decide it; "
              "decisions settled in this session: d1, d3",
        "d9": "decisions settled in this session: d1, d3",
    }
    for decision_id, hint in refusals.items():
        with pytest.raises(StoreError) as info:
            branch_point(events, decision_id)
        assert (info.value.message, info.value.hint) == (
            f"decision {decision_id!r} was not made in this session", hint)
    with pytest.raises(StoreError) as info:
        branch_point(events[:2], "d1")
    assert info.value.hint == ("d1 was opened but is still open: resume the session to decide it; "
                               "no decision was settled in this session")


def test_the_catalogue_version_of_a_summary() -> None:
    from krise_ovelse.store.lifecycle import catalogue_version_of

    assert [catalogue_version_of(s) for s in (None, {}, {"catalogue_version": 3}, {"catalogue_version": "3"},
                                               {"catalogue_version": True}, {"catalogue_version": 2.0})] == [
        None, 1, 3, None, None, None]


# --- importing: signatures and the ids events name ---------------------------------------------------


def _keys(path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path.mkdir(mode=0o700)
    monkeypatch.setenv("KRISE_OVELSE_KEYS", str(path))
    return path


def test_check_signature_tells_signed_trusted_untrusted_and_changed(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from krise_ovelse.signing import create_key, sign
    from krise_ovelse.store.exchange import ExportData, signed_message
    from krise_ovelse.store.importing import check_signature

    header: dict[str, Any] = {"format": "x", "event_count": 0}
    data = ExportData(header, {}, "", [])
    assert check_signature(data, "f", required=False) == (None, False, "")
    with pytest.raises(ExportFileError) as info:
        check_signature(data, "f", required=True)
    assert (info.value.message, info.value.hint, info.value.exit_code) == (
        "f:1: the export is not signed, and --verify asks for a signature",
        "ask the sender for an export made with `krise-ovelse export --sign`", EXIT_PROBLEMS)

    _keys(tmp_path / "theirs", monkeypatch)
    theirs = create_key("dsb")
    header["signature"] = sign(signed_message(header), "dsb")
    assert check_signature(data, "f", required=True) == ("dsb", True, theirs.key_id)  # one's own key

    mine = _keys(tmp_path / "mine", monkeypatch)
    assert check_signature(data, "f", required=False) == ("dsb", False, theirs.key_id)
    with pytest.raises(ExportFileError) as info:
        check_signature(data, "f", required=True)
    assert (info.value.message, info.value.hint, info.value.exit_code) == (
        f"f:1: the export is signed by a key you do not trust ('dsb', fingerprint {theirs.key_id})",
        "if the sender confirms this fingerprint, trust their public key with `krise-ovelse keys trust FILE.pub`",
        EXIT_PROBLEMS)

    header["event_count"] = 1  # changed after signing
    with pytest.raises(ExportFileError) as info:
        check_signature(data, "f", required=False)
    assert (info.value.message, info.value.hint, info.value.exit_code) == (
        "f:1: the signature does not match the file: it was changed after it was signed",
        "use the file as it was signed", EXIT_PROBLEMS)

    mine.chmod(0o777)  # a key store others may write to: the signing module's own error
    header["event_count"] = 0
    with pytest.raises(StoreError) as unsafe:
        check_signature(data, "f", required=False)
    assert (unsafe.value.message, unsafe.value.hint, unsafe.value.exit_code) == (
        f"the key directory {mine} is open to other users (mode 0777)", f"chmod 700 {mine}", EXIT_USAGE)
    mine.chmod(0o700)


def test_check_references_refuses_every_id_the_scenario_lacks(example: tuple[Scenario, str]) -> None:
    from krise_ovelse.store.importing import check_references

    scenario, _text = example
    criteria = frozenset({"KH-2"})
    fine = [_event(1, "phase_changed", phase_id="uke-to", previous_phase_id="akutt"),
            _event(2, "adhoc_inject_added", inject_id="adhoc-1"), _event(3, "inject_released", inject_id="adhoc-1"),
            _event(4, "inject_released", inject_id="i02"), _event(5, "decision_opened", decision_id="d01"),
            _event(6, "decision_made", decision_id="d01", option_id="b", values={"key_person_load": 3}),
            _event(7, "observation_added", criteria=["KH-2"], inject_id=None, decision_id=None),
            _event(8, "criterion_rated", criterion_id="KH-2"),
            _event(9, "session_started", phase_id="", previous_phase_id=None),
            _event(10, "decision_mapped", levels={"KH-2": 2}),
            _event(11, "note_added", levels={"XX-4": 1})]  # only a mapping's levels name criteria
    check_references(scenario, fine, criteria, "f")
    bad = {
        "phase 'x'": _event(7, "phase_changed", phase_id="x", previous_phase_id="akutt"),
        "phase 'y'": _event(7, "phase_changed", phase_id="akutt", previous_phase_id="y"),
        "inject 'i99'": _event(7, "inject_released", inject_id="i99"),
        "inject 'adhoc-2'": _event(7, "inject_done", inject_id="adhoc-2"),
        "decision 'd99'": _event(7, "decision_opened", decision_id="d99"),
        "option 'z' of decision 'd01'": _event(7, "decision_made", decision_id="d01", option_id="z"),
        "criterion 'XX-1'": _event(7, "criterion_rated", criterion_id="XX-1"),
        "criterion 'XX-2'": _event(7, "observation_added", criteria=["KH-2", "XX-2"]),
        "criterion 'XX-3'": _event(7, "decision_mapped", levels={"KH-2": 1, "XX-3": 2}),
        "indicator 'nope'": _event(7, "clock_advanced", values={"nope": 1.0}),
    }
    for what, event in bad.items():
        with pytest.raises(ExportFileError) as info:
            check_references(scenario, [*fine[:6], event], criteria, "f")
        assert (info.value.message, info.value.hint, info.value.exit_code) == (
            f"f:8: event 7 ({event['kind']}) names {what}, which the scenario in the export does not have",
            "nothing was imported", EXIT_PROBLEMS), what
    for value in (float("nan"), float("inf"), True, "3"):
        with pytest.raises(ExportFileError) as info:
            check_references(scenario, [_event(4, "clock_advanced", values={"key_person_load": value})], criteria, "f")
        assert (info.value.message, info.value.hint) == (
            f"f:5: event 4: indicator 'key_person_load' has the value {value!r}, not a finite number", ""), value


# --- claim, choices, branch, compare, follow, export headers ------------------------------------------


def test_claim_refuses_unknown_ended_and_held_sessions(store: SessionStore, db_path: Path) -> None:
    info = store.create_session(scenario_text="x", scenario_id="s", session_id="abcd1234", events=[])
    with pytest.raises(UnknownSession) as unknown:
        store.claim("feedbeef")
    assert unknown.value.message == f"no session with id 'feedbeef' in {db_path}"
    store._conn.execute("UPDATE sessions SET owner = 'otherhost:1', status = 'running' WHERE id = ?", (info.id,))
    with pytest.raises(SessionHeld) as held:  # a live process on another machine has it
        store.claim(info.id)
    assert (held.value.session_id, held.value.owner) == (info.id, "otherhost:1")
    store.set_status(info.id, "paused")
    store.clock = lambda: dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    claimed = store.claim(info.id)
    assert (claimed.status, claimed.updated) == ("running", "2030-01-02T03:04:05+00:00")
    store.set_status(info.id, "ended")
    with pytest.raises(StoreError) as ended:
        store.claim(info.id)
    assert (ended.value.message, ended.value.hint) == (
        "session abcd1234 has ended; it cannot be continued",
        "start a what-if from it with `krise-ovelse branch abcd1234 --at DECISION`")


def test_choices_keep_the_choice_in_force_with_its_history() -> None:
    from krise_ovelse.store.lifecycle import Choice, choices

    events = [_event(3, "decision_made", decision_id="d1", option_id="a", rationale="fordi", scenario_minutes=30),
              _event(5, "decision_missed", decision_id="d2", option_id="c", scenario_minutes=50),
              _event(7, "decision_revised", decision_id="d2", option_id="b", rationale="snudd", scenario_minutes=70),
              _event(8, "decision_revised", decision_id="d2", option_id="a", scenario_minutes=80),
              {"seq": 9, "kind": "decision_made", "decision_id": "d3", "option_id": "x"}]
    found = choices(events)
    assert list(found) == ["d1", "d2", "d3"]
    assert [attrs.astuple(c) for c in found.values()] == [attrs.astuple(c) for c in (
        Choice("d1", "a", "fordi", 3, 30, False, 0), Choice("d2", "a", "", 8, 80, True, 2),
        Choice("d3", "x", "", 9, 0, False, 0))]


def test_a_branch_copies_the_team_and_starts_paused_and_unclaimed(store: SessionStore,
                                                                  example: tuple[Scenario, str]) -> None:
    from krise_ovelse.store.lifecycle import branch_session

    scenario, text = example
    live = bridge.start_session(store, scenario, text, team="Lag A", clock=clock, seed=5, facilitator="Per",
                                participants=[("Kari", "HR")])
    engine = live.engine
    engine.handle(c.Resume())
    while not engine.state.open_decisions():
        engine.handle(c.AdvanceToNext())
    engine.handle(c.Decide("d01", "b", "fordi"))
    parent = store.get(live.session_id)
    child = branch_session(store, live.session_id, "d01")
    assert (child.title, child.seed, child.team, child.participants, child.facilitator, child.mode) == (
        parent.title, 5, "Lag A", parent.participants, "Per", parent.mode)
    assert (child.status, child.owner, child.parent_id, child.branch_decision) == (
        "paused", None, parent.id, "d01")
    assert store.events(child.id) == store.events(parent.id)[: child.branch_seq]


def test_compare_puts_each_sessions_values_on_its_side(store: SessionStore, example: tuple[Scenario, str]) -> None:
    from krise_ovelse.store.comparison import compare_sessions

    scenario, text = example
    a, run_a = bridge.run_headless_stored(store, scenario, text, _playthrough(scenario))
    b, run_b = bridge.run_headless_stored(store, scenario, text,
                                          _playthrough(scenario, PLAY.replace("option: b", "option: a")))
    result = compare_sessions(store, a, b)
    assert result["indicators"] == [{"indicator": k, "a": v, "b": run_b.state.indicator_values()[k]}
                                    for k, v in run_a.state.indicator_values().items()]
    assert result["indicators"][0]["a"] != result["indicators"][0]["b"]
    for side in ("a", "b"):
        missed = sum(1 for d in result["decisions"] if d[side] and d[side]["missed"])
        assert result["progress"][side]["decisions_missed"] == missed > 0
        themes = [t[side] for t in result["ratings"]["themes"]]
        criteria = [r[side] for r in result["ratings"]["criteria"]]
        assert any(themes) and all(t is None or (t[0] in "PSMU" and t[1] == " ") for t in themes)
        assert any(criteria)
    assert result["ratings"]["criteria"] != [{**r, "a": r["b"], "b": r["a"]} for r in result["ratings"]["criteria"]]


def test_a_follower_reads_the_text_and_names_a_new_event_that_does_not_fold(
        store: SessionStore, example: tuple[Scenario, str]) -> None:
    from krise_ovelse.store.lifecycle import follow_session

    scenario, text = example
    live = bridge.start_session(store, scenario, text, team="Lag A", clock=clock, seed=3)
    follower = follow_session(store, live.session_id)
    assert follower.text == text
    live.engine.handle(c.Resume())
    assert [e.kind for e in follower.poll()] == ["resumed"]
    last = store.events(live.session_id)[-1]
    seq = last["seq"] + 1
    store.append(live.session_id, [{**last, "seq": seq, "kind": "decision_record_amended", "decision_id": "d01",
                                    "record_seq": 99, "rationale": "", "decided_by": "", "previous_rationale": "",
                                    "previous_decided_by": "", "by": ""}])
    with pytest.raises(StoreError) as info:
        follower.poll()
    assert (info.value.message, info.value.exit_code) == (
        f"session {live.session_id}: a new event does not fold (EventFormatError: decision_record_amended {seq}: "
        "no decision record with seq 99)", EXIT_PROBLEMS)
    assert len(follower.events) == seq - 1  # unchanged


def test_a_follower_names_the_session_of_a_new_event_it_cannot_read(
        store: SessionStore, example: tuple[Scenario, str]) -> None:
    from krise_ovelse.store.lifecycle import follow_session

    scenario, text = example
    live = bridge.start_session(store, scenario, text, team="Lag A", clock=clock, seed=3)
    follower = follow_session(store, live.session_id)
    seq = store.last_seq(live.session_id) + 1
    store.append(live.session_id, [{"seq": seq, "kind": "written_by_a_newer_version"}])
    with pytest.raises(StoreError) as info:
        follower.poll()
    assert info.value.message.startswith(
        f"session {live.session_id}: stored event {seq} cannot be read by this version of the engine: ")
    assert info.value.exit_code == EXIT_PROBLEMS and follower.state.seq == seq - 1


def test_an_export_header_says_what_is_missing_or_wrong(store: SessionStore, tmp_path: Path) -> None:
    import json

    from krise_ovelse.store.exchange import FORMAT, VERSION, read_export

    path = tmp_path / "x.jsonl"
    for header, message, hint in [
        ({"format": "other"}, f"not a krise-øvelse session export (format is 'other', expected {FORMAT!r})", ""),
        ({"format": FORMAT, "version": VERSION + 1},
         f"export format version {VERSION + 1} is not supported (this krise-øvelse reads version {VERSION})",
         "upgrade krise-ovelse to import files from a newer version"),
        ({"format": FORMAT, "version": VERSION}, "the header needs 'session' (an object)",
         "the file is not a complete krise-øvelse session export"),
    ]:
        path.write_text(json.dumps(header) + "\n", encoding="utf-8")
        with pytest.raises(ExportFileError) as info:
            read_export(path)
        assert (info.value.message, info.value.hint) == (f"{path}:1: {message}", hint)


def _header(session: dict[str, Any], text: str = "id: x\n", **change: Any) -> dict[str, Any]:
    from krise_ovelse.store.codec import canonical_json, sha256_text
    from krise_ovelse.store.exchange import FORMAT, VERSION

    return {"format": FORMAT, "version": VERSION, "session": session, "scenario_text": text,
            "scenario_sha256": sha256_text(text), "events_sha256": "0", "event_count": 0,
            "session_sha256": sha256_text(canonical_json(session)), **change}


@pytest.mark.parametrize(("header", "message", "hint"), [
    (_header({}, scenario_text=3), "the header needs 'scenario_text' (text)",
     "the file is not a complete krise-øvelse session export"),
    (_header({}, event_count=True), "the header needs 'event_count' (a whole number)",
     "the file is not a complete krise-øvelse session export"),
    (_header({}, session_sha256=None), "the header needs 'session_sha256' (text)",
     "the file is not a complete krise-øvelse session export"),
    (_header({}, scenario_sha256="0"), "the scenario text does not match scenario_sha256: the file was changed "
     "after it was exported", "use the file as exported"),
    (_header({}, session_sha256="0"), "the session details do not match session_sha256: the file was changed "
     "after it was exported", "use the file as exported"),
    (_header({"id": "abcd1234", "scenario_id": "x"}), "the session needs 'started' (text)", ""),
    (_header({"id": 5, "scenario_id": "x", "started": ""}), "the session needs 'id' (text)", ""),
    (_header({"id": "a b", "scenario_id": "x", "started": ""}), "the session id 'a b' is not a valid id",
     "ids are letters, digits, '-' and '_', at most 64 characters"),
    (_header({"id": "abcd1234", "scenario_id": "x", "started": "", "participants": "Kari"}),
     "the session's participants must be a list", ""),
])
def test_a_damaged_export_header_is_refused_with_its_reason(tmp_path: Path, header: dict[str, Any], message: str,
                                                            hint: str) -> None:
    import json

    from krise_ovelse.store.exchange import read_export

    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(header) + "\n", encoding="utf-8")
    with pytest.raises(ExportFileError) as info:
        read_export(path)
    assert (info.value.message, info.value.hint, info.value.exit_code) == (f"{path}:1: {message}", hint,
                                                                           EXIT_PROBLEMS)


# Equivalent mutants (they survive and cannot change behaviour):
# - SQL keyword case (`select count(*) from sessions`, `update … where`, `WHERE ID = ?`): SQLite and
#   PostgreSQL read keywords and unquoted names in any case;
# - `platformdirs.user_data_path(..., appauthor=None)` or without it: appauthor matters on Windows
#   only; the path on Linux and macOS is the same;
# - `state_summary`'s phase "-" before the start: a stored session always begins with session_started;
# - `finish_headless`'s second "produces only" check (after the real run): the dry run before the
#   claim ran the same deterministic playthrough and already refused a shorter one; likewise the
#   real run's label (a mismatch is refused by the dry run first), the dry run's `store` and
#   `write=None` (a dry run never writes), `clock=None` (no caller passes a clock: both default to
#   the headless runner's fixed one) and the label's default when a playthrough has no `file`
#   (every `Playthrough` has one);
# - `_close_run`'s "paused": a headless run always plays to its end;
# - codec names in another case (`"UTF-8"`, `"UTF-8-SIG"`): Python looks codecs up case-insensitively;
# - `branch_session`: `claim=None/True` (a branch starts paused, and only a running session gets an
#   owner) and the session id in its `fold_session` check (a prefix of events that fold folds too,
#   so that check cannot fail);
# - `state_summary`'s `deadline or 0`: an open decision always has a deadline;
# - `connect_error`'s and `export_to_path`'s exit code `EXIT_USAGE` left out: it is the default;
# - `_loads`' second RecursionError (canonical_json): json.loads refuses any nesting that the
#   encoder could not write (the same recursion limit), so it is never reached;
# - `read_export`'s initial `lineno` and `blank_at`: never read before the loop sets them;
# - `export_lines`' `ensure_ascii=None`, `allow_nan=None` (falsy, like False) and `allow_nan=True`
#   (no header holds NaN: summaries are computed from finite numbers);
# - `import_verified`'s `branch_seq < len(events)`: an out-of-range branch point falls back to all
#   the copied events, which is len(events) too;
# - `SessionStore.for_reading` calling `resolve_db_path(None)` when its path is None.
