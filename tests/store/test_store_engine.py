"""The store with the real engine: start, resume, replay, branch, compare, rescore."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from krise_ovelse.authoring import load_scenario
from krise_ovelse.cli import main
from krise_ovelse.engine import commands as c
from krise_ovelse.engine import event_to_dict, fold
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.paths import shipped_scenarios_dir
from krise_ovelse.store import engine_bridge as bridge
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import StoreError

EXAMPLE = shipped_scenarios_dir() / "examples" / "kort-eksempel.yaml"
WALL = dt.datetime(2025, 3, 12, 8, 0, tzinfo=dt.UTC)


def clock() -> dt.datetime:
    return WALL


@pytest.fixture(scope="module")
def example() -> tuple[Scenario, str]:
    result = load_scenario(EXAMPLE)
    assert result.scenario is not None and result.text is not None
    return result.scenario, result.text


def step(engine: Any, option: int) -> None:
    """One command of a fixed policy: resume, decide the first open decision, or advance."""
    state = engine.state
    if not state.running:
        engine.handle(c.Resume())
    elif state.open_decisions():
        decision = engine.scenario.decision(state.open_decisions()[0].decision_id)
        engine.handle(c.Decide(decision.id, decision.options[option].id, f"option {option}"))
    else:
        engine.handle(c.AdvanceToNext())


def play(store: SessionStore, example: tuple[Scenario, str], option: int, team: str = "Lag A",
         stop_after: int | None = None) -> str:
    scenario, text = example
    live = bridge.start_session(store, scenario, text, team=team, clock=clock, seed=3)
    sid, engine = live.session_id, live.engine
    commands = 0
    while not engine.state.ended and (stop_after is None or commands < stop_after):
        step(engine, option)
        commands += 1
    if stop_after is None:
        bridge.close_session(store, sid, engine)
    return sid


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_engine_events_are_stored_before_they_are_applied(store: SessionStore,
                                                          example: tuple[Scenario, str]) -> None:
    sid = play(store, example, 0, stop_after=6)
    stored = store.events(sid)
    scenario, events = bridge.open_session(store, sid)
    assert [event_to_dict(e) for e in events] == stored
    assert stored[0]["kind"] == "session_started" and stored[0]["team"] == "Lag A"
    info = store.get(sid)
    assert (info.team, info.seed, info.scenario_id) == ("Lag A", 3, scenario.id)


def test_a_summary_saved_at_endex_is_what_a_replay_recomputes(store: SessionStore,
                                                              example: tuple[Scenario, str]) -> None:
    """The console saves the summary and index at ENDEX without closing (`save_summary`)."""
    from krise_ovelse.store.lifecycle import index_of, save_summary, session_summary

    scenario, text = example
    live = bridge.start_session(store, scenario, text, team="T", clock=clock)
    while not live.engine.state.ended:
        step(live.engine, 0)
    save_summary(store, live.session_id, live.engine)
    expected = session_summary(scenario, live.engine.state, list(live.engine.events))
    assert store.summary(live.session_id) == json.loads(json.dumps(expected))
    assert store.get(live.session_id).score_index == index_of(expected) is not None


def test_a_refused_store_write_leaves_the_engine_unchanged(store: SessionStore,
                                                           example: tuple[Scenario, str]) -> None:
    scenario, text = example
    live = bridge.start_session(store, scenario, text, team="T", clock=clock)
    sid, engine = live.session_id, live.engine
    engine.handle(c.Resume())
    before_state, before_events = engine.state, store.events(sid)
    store._conn.execute("PRAGMA query_only = ON")  # the disk turns read-only mid-exercise
    with pytest.raises(StoreError, match="read-only"):
        engine.handle(c.AdvanceToNext())
    assert engine.state is before_state
    store._conn.execute("PRAGMA query_only = OFF")
    assert store.events(sid) == before_events
    engine.handle(c.AdvanceToNext())  # and play goes on where it was
    assert [event_to_dict(e) for e in engine.events] == store.events(sid)


def test_resume_after_an_abandoned_run_finishes_like_an_uninterrupted_one(
        store: SessionStore, example: tuple[Scenario, str]) -> None:
    whole = play(store, example, 1)
    partial = play(store, example, 1, stop_after=7)  # the process "dies" here: never closed
    assert store.get(partial).effective_status == "running"  # it is ours and we live
    live = bridge.resume_session(store, partial, clock=clock)
    scenario, engine = live.scenario, live.engine
    assert engine.state == fold(scenario, bridge.open_session(store, partial)[1])
    while not engine.state.ended:
        step(engine, 1)
    bridge.close_session(store, partial, engine)
    assert store.events(partial) == store.events(whole)
    assert store.get(partial).status == "ended"
    with pytest.raises(StoreError, match="has ended"):
        bridge.resume_session(store, partial, clock=clock)


def test_replay_checks_and_prints_the_timeline(store: SessionStore, db_path: Path,
                                               example: tuple[Scenario, str]) -> None:
    sid = play(store, example, 0)
    result = cli("replay", sid[:6], "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "økta startet" in result.output and "beslutning d01 «" in result.output
    english = cli("replay", sid[:6], "--db", str(db_path), "--lang", "en").output
    assert "session started: team Lag A" in english and "decision d01 “" in english
    assert "ok   summary: the final state matches the stored summary" in result.output
    data = json.loads(cli("replay", sid, "--json", "--db", str(db_path)).output)
    assert data["ok"] is True
    assert [t["seq"] for t in data["timeline"]] == list(range(1, store.last_seq(sid) + 1))
    assert data["facts"] == store.summary(sid)["facts"]  # type: ignore[index]
    assert {ch["check"] for ch in data["checks"]} >= {"scenario hash", "fold", "summary"}


def _tamper(db_path: Path, *sql: str) -> None:
    """Change the database behind the store's back (dropping the guards first)."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    for trigger in ("scenario_texts_immutable", "events_append_only_update"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for statement in sql:
        conn.execute(statement)
    conn.close()


@pytest.mark.parametrize(("sql", "failed"), [
    ("UPDATE scenario_texts SET text = text || '# edited'", "scenario hash"),
    ("UPDATE events SET payload = replace(payload, '\"option_id\":\"a\"', '\"option_id\":\"b\"') "
     "WHERE kind = 'decision_made'", "summary"),
    ("UPDATE events SET kind = 'mystery' WHERE seq = 3", "events readable"),
    ("""UPDATE sessions SET summary = replace(summary, '"ended": true', '"ended": false')""",
     "summary"),
])
def test_replay_finds_a_changed_database(store: SessionStore, db_path: Path, sql: str, failed: str,
                                         example: tuple[Scenario, str]) -> None:
    sid = play(store, example, 0)
    _tamper(db_path, sql)
    result = cli("replay", sid, "--db", str(db_path))
    assert result.exit_code == 1, result.output
    assert f"FAIL {failed}" in result.output
    assert "Traceback" not in result.output


def test_replay_of_an_unknown_session(db_path: Path, store: SessionStore) -> None:
    result = cli("replay", "0123456789ab", "--db", str(db_path))
    assert result.exit_code == 2
    assert "krise-ovelse sessions" in result.output


def test_branch_copies_the_history_up_to_the_decision(store: SessionStore, db_path: Path,
                                                      example: tuple[Scenario, str]) -> None:
    parent = play(store, example, 0)
    parent_events = store.events(parent)
    decision = example[0].decisions[1].id
    result = cli("branch", parent, "--at", decision, "--db", str(db_path))
    assert result.exit_code == 0, result.output
    child = result.stdout.strip()  # the id alone on stdout; the explanation goes to stderr
    info = store.get(child)
    cut = next(i for i, e in enumerate(parent_events)
               if e["kind"] in ("decision_made", "decision_missed") and e["decision_id"] == decision)
    assert store.events(child) == parent_events[:cut]
    assert (info.parent_id, info.branch_decision, info.branch_seq) == (parent, decision, cut)
    assert info.status == "paused"
    assert store.events(parent) == parent_events  # the parent is untouched
    # Play the what-if with another option, then compare the two.
    live = bridge.resume_session(store, child, clock=clock)
    _scenario, engine = live.scenario, live.engine
    assert engine.state.decision(decision).is_open
    while not engine.state.ended:
        step(engine, 2)
    bridge.close_session(store, child, engine)
    data = json.loads(cli("compare", parent, child, "--json", "--db", str(db_path)).output)
    rows = {row["decision"]: row for row in data["decisions"]}
    first = example[0].decisions[0].id
    assert not rows[first]["differs"]  # before the branch point: the same history
    assert rows[decision]["differs"]
    assert rows[decision]["a"]["option"] == example[0].decisions[1].options[0].id
    assert rows[decision]["b"]["option"] == example[0].decisions[1].options[2].id
    assert data["same_scenario"] is True
    assert data["ratings"] is not None and "index" in data["ratings"]


def test_branch_at_a_decision_never_made(store: SessionStore, db_path: Path,
                                         example: tuple[Scenario, str]) -> None:
    sid = play(store, example, 0, stop_after=2)
    result = cli("branch", sid, "--at", "d99", "--db", str(db_path))
    assert result.exit_code == 2
    assert "was not made in this session" in result.output
    assert store.count_sessions() == 1


def test_compare_text(store: SessionStore, db_path: Path, example: tuple[Scenario, str]) -> None:
    a, b = play(store, example, 0, "Lag A"), play(store, example, 2, "Lag B")
    result = cli("compare", a, b, "--lang", "en", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    for text in ("Decisions (* = different choice)", "Final indicators", "Ratings per criterion",
                 "Themes", "Index", "Lag A", "Lag B", "Played"):
        assert text in result.output
    nb = cli("compare", a, b, "--db", str(db_path))  # Norwegian by default, like report and rescore
    assert nb.exit_code == 0, nb.output
    for text in ("Beslutninger (* = ulikt valg)", "Indikatorer til slutt", "Vurdering per kriterium",
                 "Temaer", "Indeks", "Spilt"):
        assert text in nb.output
    assert "Decisions" not in nb.output and "not played to the end" not in nb.output


def test_compare_says_how_far_each_session_was_played(store: SessionStore, db_path: Path,
                                                       example: tuple[Scenario, str]) -> None:
    scenario, text = example
    full = play(store, example, 0, "Lag A")
    live = bridge.start_session(store, scenario, text, team="Lag B", clock=clock, seed=1)
    short, engine = live.session_id, live.engine
    engine.handle(c.Resume())
    while not any(e.kind in ("decision_made", "decision_missed") for e in engine.events):
        engine.handle(c.AdvanceToNext())
    engine.handle(c.EndExercise())
    bridge.close_session(store, short, engine)
    data = json.loads(cli("compare", full, short, "--json", "--db", str(db_path)).output)
    total = len(scenario.decisions)
    a, b = data["progress"]["a"], data["progress"]["b"]
    assert a["end_minutes"] == b["end_minutes"] == scenario.ends.minutes
    assert a["scenario_minutes"] >= scenario.ends.minutes and a["decisions_total"] == total
    assert b["scenario_minutes"] < scenario.ends.minutes and b["decisions_settled"] == 1 and b["ended"]
    en = cli("compare", full, short, "--lang", "en", "--db", str(db_path)).output
    assert "B: " in en and f"1 of {total} decisions settled" in en and "ended before the end" in en
    assert "note: B was not played to the end; its index rates only what was played" in en
    nb = cli("compare", full, short, "--db", str(db_path)).output
    assert f"1 av {total} beslutninger avgjort" in nb and "avsluttet før slutten" in nb


def test_rescore_stores_the_index(store: SessionStore, db_path: Path,
                                  example: tuple[Scenario, str]) -> None:
    sid = play(store, example, 0)
    store.set_summary(sid, None)
    assert store.get(sid).score_index is None
    result = cli("rescore", sid, "--lang", "en", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert store.get(sid).score_index is not None
    summary = store.summary(sid)
    assert summary is not None and "scoring" in summary and "facts" in summary
    data = json.loads(cli("rescore", sid, "--json", "--db", str(db_path)).output)
    assert data["previous_index"] == store.get(sid).score_index


def test_rescore_says_which_catalogue_rated_what(store: SessionStore, db_path: Path,
                                                 example: tuple[Scenario, str]) -> None:
    from krise_ovelse.catalogue import load_catalogue

    sid = play(store, example, 0)
    current = load_catalogue().version
    summary = store.summary(sid)
    assert summary is not None and summary["catalogue_version"] == current
    old = {key: value for key, value in summary.items() if key != "catalogue_version"}
    store.set_summary(sid, old, store.get(sid).score_index)  # as stored before versions were recorded
    data = json.loads(cli("rescore", sid, "--json", "--db", str(db_path)).output)
    assert data["previous_catalogue_version"] == 1
    assert data["summary"]["catalogue_version"] == current
    result = cli("rescore", sid, "--db", str(db_path))
    assert result.exit_code == 0 and f"v1 → v{current}" not in result.output  # first rescore moved it on
    assert f"v{current} → v{current}" in result.output


@pytest.mark.parametrize("args", [["replay", "X"], ["branch", "X", "--at", "d01"], ["compare", "X", "X"],
                                  ["rescore", "X"], ["resume", "X"], ["export", "X", "-o", "-"]])
def test_every_command_names_an_unknown_session(store: SessionStore, db_path: Path,
                                                example: tuple[Scenario, str], args: list[str]) -> None:
    play(store, example, 0, stop_after=3)
    before = [(s.to_dict(), store.events(s.id)) for s in store.list_sessions()]
    result = cli(*[a.replace("X", "feedbeef0000") for a in args], "--db", str(db_path))
    assert result.exit_code == 2, result.output
    assert "no session with id 'feedbeef0000'" in result.output
    assert "krise-ovelse sessions" in result.output and "Traceback" not in result.output
    assert [(s.to_dict(), store.events(s.id)) for s in store.list_sessions()] == before


def test_resume_without_a_playthrough_shows_where_it_stands(store: SessionStore, db_path: Path,
                                                            example: tuple[Scenario, str]) -> None:
    sid = play(store, example, 0, stop_after=5)
    store._conn.execute("UPDATE sessions SET owner = NULL WHERE id = ?", (sid,))  # "crashed"
    before = store.events(sid)
    result = cli("resume", sid, "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "status interrupted" in result.output
    assert f"krise-ovelse play --session {sid}" in result.output
    assert "--play" not in result.output  # played in the console: no playthrough can finish it
    data = json.loads(cli("resume", sid, "--json", "--db", str(db_path)).output)
    assert data["events"] == len(before)
    assert store.events(sid) == before  # looking changes nothing


def test_resume_suggests_the_playthrough_only_for_a_headless_run(store: SessionStore, db_path: Path,
                                                                 example: tuple[Scenario, str]) -> None:
    scenario, text = example
    live = bridge.start_session(store, scenario, text, team="Lag A", clock=clock, seed=3,
                                       session_mode="headless")
    sid, engine = live.session_id, live.engine
    for _ in range(4):
        step(engine, 0)
    store._conn.execute("UPDATE sessions SET owner = NULL WHERE id = ?", (sid,))  # "crashed"
    result = cli("resume", sid, "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert f"krise-ovelse play --session {sid}" in result.output
    assert f"krise-ovelse resume {sid} --play PLAYTHROUGH.yaml" in result.output


def test_resume_play_refuses_a_session_the_playthrough_did_not_make(
        store: SessionStore, db_path: Path, tmp_path: Path, example: tuple[Scenario, str]) -> None:
    sid = play(store, example, 2, stop_after=8)  # a console-style session, not a headless run
    store.set_status(sid, "interrupted")
    before = store.events(sid)
    script = tmp_path / "play.yaml"
    script.write_text(f"scenario: {example[0].id}\nteam: Lag A\nseed: 3\n", encoding="utf-8")
    result = cli("resume", sid, "--play", str(script), "--db", str(db_path))
    assert result.exit_code == 1, result.output
    assert "is not what playthrough" in result.output and "Traceback" not in result.output
    assert store.events(sid) == before
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: [unclosed\n", encoding="utf-8")
    result = cli("resume", sid, "--play", str(bad), "--db", str(db_path))
    assert result.exit_code in (1, 2) and str(bad) in result.output
    assert store.events(sid) == before


def test_the_store_never_imports_textual() -> None:
    import subprocess
    import sys

    code = ("import sys, krise_ovelse.store, krise_ovelse.store.engine_bridge, "
            "krise_ovelse.store.exchange; assert 'textual' not in sys.modules")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_bug_is_reported_without_a_traceback(store: SessionStore, db_path: Path,
                                               example: tuple[Scenario, str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    sid = play(store, example, 0, stop_after=3)

    def broken(*_args: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(bridge, "replay_session", broken)
    result = cli("replay", sid, "--db", str(db_path))
    assert result.exit_code == 2
    assert "internal error: RuntimeError: a bug" in result.output
    assert result.exc_info is None or result.exc_info[0] is SystemExit


def test_finishing_a_headless_run_can_itself_be_interrupted(store: SessionStore,
                                                            example: tuple[Scenario, str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from krise_ovelse.scripted.headless import run_headless
    from krise_ovelse.scripted.playthrough import load_playthrough_text

    scenario, text = example
    script = load_playthrough_text(f"scenario: {scenario.id}\nteam: Lag P\nseed: 4\n", scenario)
    assert script.playthrough is not None
    reference = [event_to_dict(e) for e in run_headless(scenario, script.playthrough).events]
    real_append = SessionStore.append
    budget = {"appends": 2}

    def failing_append(self: SessionStore, session_id: str, events: Any) -> int:
        if budget["appends"] <= 0:
            raise StoreError("database or disk is full (simulated)")
        budget["appends"] -= 1
        return real_append(self, session_id, events)

    monkeypatch.setattr(SessionStore, "append", failing_append)
    with pytest.raises(StoreError):  # the first run dies after two commands
        bridge.run_headless_stored(store, scenario, text, script.playthrough)
    (info,) = store.list_sessions()
    assert store.events(info.id) == reference[: info.last_seq]
    for more in (1, 1):  # resuming dies too, twice, each time a little further on
        budget["appends"] = more
        before = store.last_seq(info.id)
        with pytest.raises(StoreError):
            bridge.finish_headless(store, info.id, script.playthrough)
        assert store.last_seq(info.id) > before
        assert store.get(info.id).status == "interrupted"
        assert store.events(info.id) == reference[: store.last_seq(info.id)]
    monkeypatch.setattr(SessionStore, "append", real_append)
    result = bridge.finish_headless(store, info.id, script.playthrough)
    assert store.events(info.id) == reference == [event_to_dict(e) for e in result.events]
    assert store.get(info.id).status == "ended"


def test_compare_says_how_a_missed_decision_was_revised(store: SessionStore, db_path: Path,
                                                        example: tuple[Scenario, str]) -> None:
    scenario, text = example
    d01 = scenario.decision("d01")
    revised_to = next(o.id for o in d01.options if o.id != d01.default)
    live = bridge.start_session(store, scenario, text, team="Lag A", clock=clock, seed=3)
    sid, engine = live.session_id, live.engine
    engine.handle(c.Resume())
    while not any(e.kind == "decision_missed" for e in engine.events):
        engine.handle(c.AdvanceToNext())
    engine.handle(c.ReviseDecision("d01", revised_to, "for sent, men bedre"))
    bridge.close_session(store, sid, engine)
    other = play(store, example, 0, "Lag B")
    result = cli("compare", sid, other, "--lang", "en", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert (f"(deadline missed: default {d01.default} applied, later revised to {revised_to})"
            in result.output), result.output
    assert "(missed: default)" not in result.output


def test_a_headless_run_records_when_it_really_started_and_lists_newest_first(
        tmp_path: Path, example: tuple[Scenario, str]) -> None:
    """The events keep the run's fixed clock (determinism); the session row gets the real time."""
    scenario, text = example
    now = [dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC)]
    with SessionStore(tmp_path / "s.db", clock=lambda: now[0]) as store:
        first, _ = bridge.run_headless_stored(store, scenario, text)
        now[0] += dt.timedelta(hours=1)
        second, _ = bridge.run_headless_stored(store, scenario, text)
        listed = store.list_sessions()
        assert [s.id for s in listed] == [second, first]
        assert [s.started for s in listed] == ["2026-12-06T09:00:00+00:00", "2026-12-06T08:00:00+00:00"]
        events = list(store.iter_events(first))
    assert events[0]["wall"].startswith("2000-01-01")  # the run itself stays deterministic


@pytest.mark.parametrize("command", [["resume", "{sid}"], ["report", "{sid}", "-o", "{out}"], ["rescore", "{sid}"],
                                     ["branch", "{sid}", "--at", "d01"]])
def test_every_command_that_reads_the_stored_scenario_checks_its_hash(
        store: SessionStore, db_path: Path, example: tuple[Scenario, str], tmp_path: Path,
        command: list[str]) -> None:
    """The stored copy is what resume, report, rescore and branch play from: edited behind the
    store's back it is refused (exit 1), not played."""
    sid = play(store, example, 0, stop_after=6)
    _tamper(db_path, "UPDATE scenario_texts SET text = text || '# edited'")
    args = [part.format(sid=sid, out=tmp_path / "r.md") for part in command]
    result = cli(*args, "--db", str(db_path))
    assert result.exit_code == 1, result.output
    assert "sha256" in result.output and "Traceback" not in result.output
    with pytest.raises(StoreError, match="sha256"):
        bridge.stored_scenario(store, sid)


def test_the_choice_in_force_counts_a_decide_first_answer_that_fits_no_option() -> None:
    """Decide-first: a mapping to an option is followed by its decision_made (which counts); a
    mapping to «annet» is not, and settles the decision itself."""
    from krise_ovelse.store.lifecycle import Choice, choices

    events = [
        {"seq": 1, "kind": "decision_mapped", "decision_id": "d01", "option_id": "a", "applied": True},
        {"seq": 2, "kind": "decision_made", "decision_id": "d01", "option_id": "a", "rationale": "r",
         "scenario_minutes": 30},
        {"seq": 3, "kind": "paused", "applied": False},
        {"seq": 4, "kind": "decision_mapped", "decision_id": "d02", "option_id": "annet", "applied": False,
         "scenario_minutes": 60},
    ]
    assert choices(events) == {"d01": Choice("d01", "a", "r", 2, 30, False, 0),
                               "d02": Choice("d02", "annet", "", 4, 60, False, 0)}


def test_events_can_be_read_from_and_to_a_seq(store: SessionStore, example: tuple[Scenario, str]) -> None:
    sid = play(store, example, 0, stop_after=4)
    every = store.events(sid)
    assert [e["seq"] for e in store.iter_events(sid, 2, 3)] == [2, 3]
    assert list(store.iter_events(sid, 3)) == every[2:]


def test_a_started_session_records_who_plays_and_how(store: SessionStore, example: tuple[Scenario, str]) -> None:
    from krise_ovelse.engine import Mode, Participant

    scenario, text = example
    plain = bridge.start_session(store, scenario, text, team="Lag A", clock=clock)
    info = store.get(plain.session_id)
    assert (info.facilitator, info.seed, info.mode, info.participants) == ("", 0, "live", ())
    assert (info.title, info.started, info.status) == (scenario.title.get(), "2025-03-12T08:00:00+00:00", "running")
    assert (plain.scenario, plain.text, plain.team) == (scenario, text, "Lag A")
    started = plain.engine.events[0]
    assert (started.seed, started.mode, started.decide_first) == (0, Mode.PACED, False)  # type: ignore[attr-defined]
    named = bridge.start_session(store, scenario, text, team="Lag B", clock=clock, facilitator="Per", seed=9,
                                 participants=["Kari", Participant("Ola", "Direktør")], mode=Mode.REAL_TIME,
                                 session_mode="headless", decide_first=True)
    info = store.get(named.session_id)
    assert (info.facilitator, info.participants, info.seed, info.mode) == (
        "Per", ("Kari", "Ola (Direktør)"), 9, "headless")
    started = named.engine.events[0]
    assert (started.seed, started.mode, started.decide_first, started.facilitator) == (  # type: ignore[attr-defined]
        9, Mode.REAL_TIME, True, "Per")
    assert [p.name for p in started.participants] == ["Kari", "Ola"]  # type: ignore[attr-defined]


def test_a_stored_session_checks_evaluations_against_the_catalogue(store: SessionStore,
                                                                   example: tuple[Scenario, str]) -> None:
    """The engine of a stored session knows the criteria and their critical tasks: a rating or a
    task mark naming what the catalogue does not have is refused, not stored."""
    from krise_ovelse.engine import CommandRefused, TaskStatus
    from krise_ovelse.model.scenario import Level

    scenario, text = example
    live = bridge.start_session(store, scenario, text, team="Lag A", clock=clock)
    before = store.events(live.session_id)
    with pytest.raises(CommandRefused):
        live.engine.handle(c.RateCriterion("NOPE-1", Level.S, "grunn", "Eva"))
    with pytest.raises(CommandRefused):
        live.engine.handle(c.MarkTask("KH-2", 999, TaskStatus.OBSERVED, "Eva"))
    assert store.events(live.session_id) == before


def test_a_session_the_engine_refuses_to_start_is_released_with_the_reason(store: SessionStore,
                                                                          example: tuple[Scenario, str]) -> None:
    scenario, text = example
    with pytest.raises(StoreError) as info:
        bridge.start_session(store, scenario, text, team="  ", clock=clock)
    (stored,) = store.list_sessions()
    assert info.value.message.startswith(f"session {stored.id} could not start: ")
    assert "team name" in info.value.message and info.value.exit_code == 1
    assert (stored.status, stored.owner) == ("interrupted", None)


def test_a_headless_run_is_stored_as_headless_with_its_seed(store: SessionStore, example: tuple[Scenario, str]) -> None:
    """`run` without a playthrough: seed 0, team «headless»; with one, the playthrough's seed."""
    from krise_ovelse.scripted.playthrough import load_playthrough_text

    scenario, text = example
    sid, result = bridge.run_headless_stored(store, scenario, text)
    info = store.get(sid)
    assert (info.mode, info.seed, info.team, info.status) == ("headless", 0, "headless", "ended")
    assert (info.facilitator, info.participants) == ("", ())
    assert info.to_dict()["participants"] == [] and "PARTICIPANTS" not in info.to_dict()
    assert result.state.ended
    script = load_playthrough_text(f"scenario: {scenario.id}\nteam: Lag S\nseed: 4\n", scenario).playthrough
    sid, _ = bridge.run_headless_stored(store, scenario, text, script)
    assert (store.get(sid).seed, store.get(sid).team) == (4, "Lag S")


def test_participants_are_stored_as_name_and_role_and_a_sink_wants_dicts(store: SessionStore) -> None:
    from types import SimpleNamespace

    from krise_ovelse.store.lifecycle import participant_labels
    from krise_ovelse.store.sink import StoreSink

    people = ["  Kari  ", SimpleNamespace(name="Ola", role="HR"), SimpleNamespace(name="Per"),
              SimpleNamespace(name="Siv", role=None)]
    assert participant_labels(people) == ["Kari", "Ola (HR)", "Per", "Siv"]
    with pytest.raises(TypeError) as info:
        StoreSink(store, "x")([SimpleNamespace(kind="paused")])
    assert str(info.value) == ("SimpleNamespace is not an event dict; give the sink a to_dict "
                               "(krise_ovelse.store.lifecycle.engine_sink does)")


_GOOD = [("scenario hash", True, "recomputed sha256 equals the stored one"),
         ("event numbering", True, "23 events, seq 1..23"), ("scenario loads", True, "kort-eksempel"),
         ("events readable", True, "every event is one the engine reads"), ("fold", True, "state at seq 23, ended")]
_NOT_FOLDED = ("summary", None, "not compared: the events do not fold")


@pytest.mark.parametrize(("sql", "stop_after", "checks"), [
    ((), None, [*_GOOD, ("summary", True, "the final state matches the stored summary")]),
    ((), 3, [*_GOOD[:1], ("event numbering", True, "6 events, seq 1..6"), *_GOOD[2:4],
             ("fold", True, "state at seq 6, not ended"), ("summary", None, "no stored summary to compare with")]),
    (("UPDATE scenario_texts SET text = 'id: [x'",), None,
     [("scenario hash", False, "recomputed NEW…, stored STORED…"), _GOOD[1],
      ("scenario loads", False, "session:SID:2:1: E-YAML-SYNTAX while parsing a flow sequence did not find "
       "expected ',' or ']' (check indentation, colons and quotes on this line or the one before)")]),
    (("UPDATE events SET kind = 'mystery' WHERE seq = 3",), None,
     [*_GOOD[:3], ("events readable", False, "session SID: stored event 3 cannot be read by this version of the "
                   "engine: unknown event kind 'mystery'"), _NOT_FOLDED]),
    (("DROP TRIGGER IF EXISTS events_append_only_delete", "DELETE FROM events WHERE seq = 2"), None,
     [_GOOD[0], ("event numbering", False, "the stored seqs have a gap"), *_GOOD[2:4],
      ("fold", False, "session SID: the events do not fold over the stored scenario (EventFormatError: event seq 3 "
                      "does not follow 1)"), _NOT_FOLDED]),
    (("""UPDATE sessions SET summary = replace(summary, '"ended": true', '"ended": false')""",), None,
     [*_GOOD, ("summary", False, "differs from the stored summary in: ended")]),
])
def test_every_check_of_a_replay_says_what_it_found(store: SessionStore, db_path: Path,
                                                    example: tuple[Scenario, str], sql: tuple[str, ...],
                                                    stop_after: int | None, checks: list[Any]) -> None:
    sid = play(store, example, 0, stop_after=stop_after)
    if sql:
        _tamper(db_path, *sql)
    replay = bridge.replay_session(SessionStore(db_path, clock=clock), sid)
    stored = replay.info.scenario_sha256[:12]
    new = hashlib.sha256(b"id: [x").hexdigest()[:12]
    assert [(ch.name, ch.ok, ch.detail.replace(sid, "SID").replace(stored, "STORED").replace(new, "NEW"))
            for ch in replay.checks] == checks


def test_running_again_without_release_keeps_this_process_as_owner(store: SessionStore,
                                                                   example: tuple[Scenario, str]) -> None:
    from krise_ovelse.store.session_rows import this_process

    sid = play(store, example, 0, stop_after=3)
    store.set_status(sid, "paused")
    assert store.get(sid).owner is None
    store.set_status(sid, "running", release=False)
    assert (store.get(sid).status, store.get(sid).owner) == ("running", this_process())
    store.set_status(sid, "running")  # released: running, but nobody's
    assert store.get(sid).owner is None


def test_a_stored_scenario_changed_behind_the_store_is_refused_with_a_reason(
        store: SessionStore, db_path: Path, example: tuple[Scenario, str]) -> None:
    from krise_ovelse.store.lifecycle import checked_scenario

    sid = play(store, example, 0, stop_after=3)
    _tamper(db_path, "UPDATE scenario_texts SET text = text || '# edited'")
    with pytest.raises(StoreError) as refused:
        checked_scenario(SessionStore(db_path, clock=clock), sid)
    assert refused.value.message == (f"session {sid}: the stored scenario text does not match its sha256; "
                                     "the database was changed outside krise-øvelse")
    assert refused.value.exit_code == 1
