"""Replay checks and stored headless runs, on top of the session lifecycle.

The lifecycle itself (start, resume, follow, close, branch; the checks every open makes) is
`krise_ovelse.store.lifecycle`; its names are re-exported here for the commands that import
them from this module. Everything imports the engine lazily, so `krise_ovelse.store` stays
importable (and the `sessions`/`export`/`import` commands stay fast) without it.

    replay_session(store, session_id) -> Replay                          # refold and check
    run_headless_stored(store, scenario, text, playthrough) -> (id, RunResult)
    finish_headless(store, session_id, playthrough)                      # `resume --play`
    state_summary(store, session_id) -> dict                             # `resume` without --play
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from krise_ovelse.store.codec import sha256_text
from krise_ovelse.store.errors import EXIT_PROBLEMS, StoreError
from krise_ovelse.store.lifecycle import (
    CHOICE_KINDS,
    FIRST_CHOICE_KINDS,
    Choice,
    Live,
    branch_point,
    branch_session,
    catalogue_version_of,
    choices,
    close_session,
    criteria_ids,
    engine_event_to_dict,
    engine_events,
    engine_sink,
    fold_session,
    index_of,
    open_checked,
    open_session,
    participant_labels,
    release_claim,
    resume_session,
    score_result,
    session_facts,
    session_summary,
    start_session,
    stored_scenario,
    task_counts,
)
from krise_ovelse.store.session_rows import SessionInfo

if TYPE_CHECKING:
    from krise_ovelse.engine import ExerciseState
    from krise_ovelse.model.scenario import Scenario
    from krise_ovelse.store.backend import Store

__all__ = [
    "CHOICE_KINDS", "FIRST_CHOICE_KINDS", "Check", "Choice", "Live", "Replay", "branch_point",
    "branch_session", "catalogue_version_of", "choices", "close_session", "criteria_ids",
    "engine_event_to_dict",
    "engine_events", "finish_headless", "fold_session", "open_session", "replay_session",
    "resume_session", "run_headless_stored", "score_result", "session_facts", "session_summary",
    "start_session", "state_summary", "stored_scenario",
]

Clock = Callable[[], dt.datetime]


# --- replay: refold and check -------------------------------------------------------------------


@attrs.frozen
class Check:
    name: str
    ok: bool | None  # None: could not be checked (e.g. nothing cached to compare with)
    detail: str = ""


@attrs.frozen
class Replay:
    """The outcome of refolding a stored session: the checks, and what was refolded."""

    info: SessionInfo
    checks: tuple[Check, ...]
    events: tuple[dict[str, Any], ...]
    scenario: Scenario | None
    state: ExerciseState | None

    @property
    def ok(self) -> bool:
        return all(check.ok is not False for check in self.checks)

    @property
    def facts(self) -> dict[str, Any] | None:
        return None if self.state is None else session_facts(self.state)


def replay_session(store: Store, session_id: str) -> Replay:
    """Refold a stored session from its stored scenario text and check that it holds together.

    Checks: the scenario text still hashes to the stored sha256; it loads; the events are
    numbered 1..n and the session row agrees; every event is one the engine reads; they fold;
    the final state's key facts equal the ones cached when the session was closed (if any).
    Data problems become failed checks (exit 1 for the command), never exceptions; an unknown
    id or an unreadable database still raises StoreError (exit 2).
    """
    from krise_ovelse.authoring import load_scenario_text

    info = store.get(session_id)
    text = store.scenario_text(session_id)
    events = store.events(session_id)
    checks: list[Check] = []
    sha = sha256_text(text)
    checks.append(Check("scenario hash", sha == info.scenario_sha256,
                        "recomputed sha256 equals the stored one" if sha == info.scenario_sha256
                        else f"recomputed {sha[:12]}…, stored {info.scenario_sha256[:12]}…"))
    seqs_ok = [e["seq"] for e in events] == list(range(1, len(events) + 1))
    checks.append(Check("event numbering", seqs_ok and info.last_seq == len(events),
                        (f"{len(events)} events, seq 1..{len(events)}" if events else "no events yet")
                        if seqs_ok
                        else "the stored seqs have a gap"))
    result = load_scenario_text(text, f"session:{session_id}")
    scenario = result.scenario
    if scenario is None:
        first = next((p.render() for p in result.problems if p.is_error), "")
        checks.append(Check("scenario loads", False, first))
        return Replay(info, tuple(checks), tuple(events), None, None)
    checks.append(Check("scenario loads", True, scenario.id))
    state = None
    try:
        objects = engine_events(events, session_id)
        checks.append(Check("events readable", True, "every event is one the engine reads"))
        state = fold_session(scenario, objects, session_id)
        checks.append(Check("fold", True, f"state at seq {state.seq}, "
                            f"{'ended' if state.ended else 'not ended'}"))
    except StoreError as exc:
        checks.append(Check("fold" if "fold" in exc.message else "events readable", False,
                            exc.message))
    cached = store.summary(session_id)
    stored_facts = cached.get("facts") if isinstance(cached, dict) else None
    if state is not None and isinstance(stored_facts, dict):
        facts = session_facts(state)
        # Only the facts recorded at the time matter: a session resumed after its summary was
        # cached has grown, which is compared up to the point the summary describes.
        if stored_facts.get("last_seq") != facts["last_seq"] and isinstance(stored_facts.get("last_seq"), int):
            upto = stored_facts["last_seq"]
            facts = session_facts(fold_session(scenario, engine_events(events[:upto], session_id), session_id))
        differ = sorted(k for k in stored_facts if stored_facts[k] != facts.get(k))
        checks.append(Check("summary", not differ,
                            "the final state matches the stored summary" if not differ
                            else "differs from the stored summary in: " + ", ".join(differ)))
    elif state is None:
        checks.append(Check("summary", None, "not compared: the events do not fold"))
    else:
        checks.append(Check("summary", None, "no stored summary to compare with"))
    return Replay(info, tuple(checks), tuple(events), scenario, state)


# --- headless runs that are stored, and finishing them after a crash ----------------------------


def run_headless_stored(store: Store, scenario: Scenario, scenario_text: str,
                        playthrough: Any = None, seed: int | None = None,
                        clock: Clock | None = None, decide_first: bool = False) -> tuple[str, Any]:
    """`scripted.headless.run_headless` with every command's events committed to a new session.

    For `krise-ovelse run` with a database: if the process dies, `finish_headless` (the
    `resume SESSION --play FILE` command) completes the run from what was committed.
    """
    from krise_ovelse.scripted.headless import run_headless

    if seed is None:
        seed = playthrough.seed if playthrough is not None and playthrough.seed is not None else 0
    info = store.create_session(
        scenario_text=scenario_text, scenario_id=scenario.id, title=scenario.title.get(), seed=seed,
        team=playthrough.team if playthrough is not None else "headless",
        participants=participant_labels(playthrough.participants if playthrough is not None else ()),
        facilitator=playthrough.facilitator if playthrough is not None else "",
        mode="headless", started=None)  # the store's real clock: the events keep the run's fixed one
    result = run_headless(scenario, playthrough, seed, clock,
                          sink=engine_sink(store, info.id),
                          criteria=criteria_ids(scenario),
                          tasks=task_counts(scenario), decide_first=decide_first)
    _close_run(store, info.id, scenario, result)
    return info.id, result


class CatchUpSink:
    """A sink for re-running a deterministic headless run over a session that already holds its
    first events: events up to the stored last seq must equal the stored ones (else the
    session was not produced by this run, and nothing is written); later ones are appended,
    one command's batch per transaction as usual."""

    def __init__(self, store: Store, session_id: str, stored: Sequence[Mapping[str, Any]],
                 label: str, *, write: bool = True) -> None:
        self.store = store
        self.session_id = session_id
        self.stored = stored
        self.label = label
        self.write = write  # False: only check (a dry run before the session is claimed)
        self.produced = 0

    def __call__(self, events: Sequence[Any]) -> None:
        fresh = []
        for event in events:
            data = event if isinstance(event, Mapping) else engine_event_to_dict(event)
            seq = data["seq"]
            self.produced = seq
            if seq <= len(self.stored):
                stored = self.stored[seq - 1]
                if stored != data:
                    keys = sorted(k for k in set(stored) | set(data) if stored.get(k) != data.get(k))
                    raise StoreError(
                        f"session {self.session_id}: stored event {seq} ({stored.get('kind')}) is not "
                        f"what {self.label} produces at that point (differs in: {', '.join(keys)})",
                        EXIT_PROBLEMS,
                        "this session was not started by this playthrough (same seed, fixed clock); "
                        "continue it in the console with `krise-ovelse play --session ID`")
            else:
                fresh.append(data)
        if fresh and self.write:
            self.store.append(self.session_id, fresh)


def finish_headless(store: Store, session_id: str, playthrough: Any, *,
                    clock: Clock | None = None, force: bool = False) -> Any:
    """Complete an interrupted headless run: re-run the playthrough (deterministic: same
    scenario text, seed and fixed clock give the same events), check that the stored events
    are exactly its beginning, and commit the rest command by command. Safe to repeat after
    another crash; returns the engine's `RunResult`."""
    from krise_ovelse.scripted.headless import run_headless

    info = store.get(session_id)
    scenario = stored_scenario(store, session_id)
    stored = store.events(session_id)
    fold_session(scenario, engine_events(stored, session_id), session_id)
    label = f"playthrough {getattr(playthrough, 'file', '')}"
    # played decide-first (`run --decide-first`) even if the playthrough file does not say so
    decide_first = bool(stored) and stored[0].get("decide_first") is True
    # A dry run first: a playthrough that did not make this session is refused before the claim,
    # so a failed `resume --force` never takes a session from the console that has it open.
    probe = CatchUpSink(store, session_id, stored, label, write=False)
    run_headless(scenario, playthrough, info.seed, clock, sink=probe,
                 criteria=criteria_ids(scenario), tasks=task_counts(scenario), decide_first=decide_first)
    if probe.produced < len(stored):
        raise StoreError(f"session {session_id} has {len(stored)} events, but the playthrough "
                         f"produces only {probe.produced}", EXIT_PROBLEMS,
                         "this session was not started by this playthrough")
    store.claim(session_id, force=force)
    sink = CatchUpSink(store, session_id, stored, label)
    try:
        result = run_headless(scenario, playthrough, info.seed, clock, sink=sink,
                              criteria=criteria_ids(scenario), tasks=task_counts(scenario),
                              decide_first=decide_first)
    except BaseException:
        release_claim(store, session_id)  # the disk may be what failed: best effort
        raise
    if sink.produced < len(stored):
        store.set_status(session_id, "interrupted")
        raise StoreError(f"session {session_id} has {len(stored)} events, but the playthrough "
                         f"produces only {sink.produced}", EXIT_PROBLEMS,
                         "this session was not started by this playthrough")
    _close_run(store, session_id, scenario, result)
    return result


def _close_run(store: Store, session_id: str, scenario: Scenario, result: Any) -> None:
    summary = session_summary(scenario, result.state, list(result.events))
    store.set_summary(session_id, summary, index_of(summary))
    store.set_status(session_id, "ended" if result.state.ended else "paused")


def state_summary(store: Store, session_id: str) -> dict[str, Any]:
    """Where a stored session stands, for `resume` and the console's start screen."""
    from krise_ovelse.describe import describe
    from krise_ovelse.model.timefmt import format_time

    opened = open_checked(store, session_id)
    scenario, events, state = opened.scenario, opened.events, opened.state
    return {
        "session": opened.info.to_dict(),
        "scenario_time": format_time(state.scenario_minutes),
        "phase": state.phase_id if state.started else "-",
        "clock": "ended" if state.ended else ("running" if state.running else "paused"),
        "events": len(events),
        "open_decisions": [{"decision": d.decision_id, "deadline": format_time(d.deadline or 0),
                            "title": (scenario.decision(d.decision_id).title
                                      or scenario.decision(d.decision_id).prompt).get()}
                           for d in state.open_decisions()],
        "decided": {k: c.option_id for k, c in choices(engine_event_to_dict(e) for e in events).items()},
        "last": [describe(e, scenario, width=100) for e in events[-5:]],
    }
