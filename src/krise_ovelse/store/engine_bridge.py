"""The thin layer between the store (event dicts) and the engine (event objects, `Engine`, `fold`).

The store itself never imports the engine: it keeps and returns the engine's stable dict form
(`event_to_dict`). Everything that needs to know what an event *means* -- turning dicts back
into engine events, refolding a session, finding where a decision was made, describing an
event for a timeline, the key facts a replay checks -- lives here, and imports the engine
lazily, so `krise_ovelse.store` stays importable (and the `sessions`/`export`/`import`
commands stay fast) without it.

API for the console, the `run` command and the session commands:

    start_session(store, scenario, scenario_text, team=..., clock=...) -> (session_id, engine)
    resume_session(store, session_id, clock=...) -> (scenario, engine)   # claims it
    open_session(store, session_id) -> (scenario, events)                # read-only
    close_session(store, session_id, engine)                            # paused / ended + facts
    branch_session(store, session_id, decision_id) -> SessionInfo
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from krise_ovelse.store.codec import gc_paused, sha256_text
from krise_ovelse.store.db import SessionInfo, SessionStore
from krise_ovelse.store.errors import EXIT_PROBLEMS, StoreError

if TYPE_CHECKING:
    from krise_ovelse.engine import Engine, Event, ExerciseState
    from krise_ovelse.model.scenario import Scenario

Clock = Callable[[], dt.datetime]

#: Event kinds that settle a decision point for the first time: the team's choice, or the
#: default applied at the deadline. `branch --at D` cuts just before the first of these for D.
FIRST_CHOICE_KINDS = ("decision_made", "decision_missed")
CHOICE_KINDS = frozenset({"decision_made", "decision_revised", "decision_missed"})


def engine_event_to_dict(event: Any) -> dict[str, Any]:
    from krise_ovelse.engine import event_to_dict

    return event_to_dict(event)


def engine_events(dicts: Iterable[Mapping[str, Any]], session_id: str = "") -> list[Event]:
    """Stored dicts as engine events; a dict the engine does not accept is a StoreError (exit 1)
    naming the session and the event, never a traceback."""
    from krise_ovelse.engine import EventFormatError, event_from_dict

    events = []
    with gc_paused():
        for data in dicts:
            try:
                events.append(event_from_dict(data))
            except EventFormatError as exc:
                raise StoreError(f"session {session_id}: stored event {data.get('seq')} cannot be "
                                 f"read by this version of the engine: {exc}", EXIT_PROBLEMS) from None
    return events


def criteria_ids(scenario: Scenario) -> frozenset[str]:
    """The criterion ids observations and ratings may name: the catalogue's and the scenario's."""
    from krise_ovelse.catalogue import load_catalogue

    return load_catalogue().ids() | {c.id for c in scenario.scoring.own_criteria}


def stored_scenario(store: SessionStore, session_id: str) -> Scenario:
    """The scenario as stored with the session, checked against its hash and loaded.

    Replay, resume and reports work from this copy, not from the YAML file, which may have
    been edited or moved since the exercise.
    """
    from krise_ovelse.authoring import load_scenario_text

    info = store.get(session_id)
    text = store.scenario_text(session_id)
    if sha256_text(text) != info.scenario_sha256:
        raise StoreError(f"session {session_id}: the stored scenario text does not match its "
                         "sha256; the database was changed outside krise-øvelse", EXIT_PROBLEMS)
    result = load_scenario_text(text, f"session:{session_id}")
    if result.scenario is None:
        problems = "\n".join("  " + p.render() for p in result.problems if p.is_error)
        raise StoreError(f"session {session_id}: its stored scenario no longer loads with this "
                         f"version of krise-øvelse:\n{problems}", EXIT_PROBLEMS)
    return result.scenario


def open_session(store: SessionStore, session_id: str) -> tuple[Scenario, list[Event]]:
    """A stored session's scenario and events (engine objects), for replay or a read-only view."""
    scenario = stored_scenario(store, session_id)
    return scenario, engine_events(store.iter_events(session_id), session_id)


def fold_session(scenario: Scenario, events: Sequence[Event], session_id: str = "") -> ExerciseState:
    """The state after `events`; a StoreError (exit 1) if they do not fold over the scenario."""
    from krise_ovelse.engine import fold

    if events and events[0].kind != "session_started":
        raise StoreError(f"session {session_id}: the first event is {events[0].kind}, not "
                         "session_started", EXIT_PROBLEMS)
    started = events[0] if events else None
    if started is not None and getattr(started, "scenario_id", scenario.id) != scenario.id:
        raise StoreError(f"session {session_id}: the events are of scenario "
                         f"{getattr(started, 'scenario_id', '?')!r}, the stored scenario is "
                         f"{scenario.id!r}", EXIT_PROBLEMS)
    try:
        return fold(scenario, events)
    except Exception as exc:  # any failure to fold is a finding about the data, not a crash
        raise StoreError(f"session {session_id}: the events do not fold over the stored scenario "
                         f"({type(exc).__name__}: {exc})", EXIT_PROBLEMS) from None


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def start_session(store: SessionStore, scenario: Scenario, scenario_text: str, *, team: str,
                  clock: Clock = _utc_now, participants: Sequence[Any] = (), facilitator: str = "",
                  mode: Any = None, seed: int = 0, session_mode: str = "live",
                  ) -> tuple[str, Engine]:
    """Create a session in the store and start an engine whose sink commits to it.

    The session row is written first (with the scenario text); the engine's first command,
    StartSession, then commits `session_started` through the sink. `participants` are engine
    `Participant`s (or plain names); the store lists them as "name (role)".
    """
    from krise_ovelse.engine import Engine, Mode, Participant

    people = tuple(p if isinstance(p, Participant) else Participant(str(p)) for p in participants)
    info = store.create_session(
        scenario_text=scenario_text, scenario_id=scenario.id, title=scenario.title.get(),
        seed=seed, team=team, participants=[f"{p.name} ({p.role})" if p.role else p.name for p in people],
        facilitator=facilitator, mode=session_mode, started=clock().isoformat(timespec="seconds"))
    engine = Engine.start(scenario, team=team, clock=clock, participants=people,
                          facilitator=facilitator, mode=mode or Mode.PACED, seed=seed,
                          sink=store.sink(info.id, to_dict=engine_event_to_dict),
                          criteria=criteria_ids(scenario))
    return info.id, engine


def resume_session(store: SessionStore, session_id: str, *, clock: Clock = _utc_now,
                   force: bool = False) -> tuple[Scenario, Engine]:
    """Continue a stored session from its last committed event, in this process.

    Claims the session (refused while another live process on this machine has it open,
    unless `force`), folds its events into an engine and attaches the store's sink, so the
    next command's events are committed before the engine applies them.
    """
    from krise_ovelse.engine import Engine

    scenario, events = open_session(store, session_id)
    fold_session(scenario, events, session_id)  # a clear error before we claim anything
    store.claim(session_id, force=force)
    engine = Engine(scenario, clock=clock, events=events, criteria=criteria_ids(scenario),
                    sink=store.sink(session_id, to_dict=engine_event_to_dict))
    return scenario, engine


def close_session(store: SessionStore, session_id: str, engine: Engine) -> None:
    """Release a session this process ran: `ended` after ENDEX, else `paused` (resumable);
    cache the key facts (and the ratings, when scoring can) for `sessions` and `replay`."""
    state = engine.state
    summary = session_summary(engine.scenario, state, list(engine.events))
    store.set_summary(session_id, summary, _index_of(summary))
    store.set_status(session_id, "ended" if state.ended else "paused")


# --- what a session amounts to ---------------------------------------------------------------


def session_facts(state: ExerciseState) -> dict[str, Any]:
    """The key facts of a state that a replay must reproduce exactly."""
    decisions = {}
    for record in state.history():
        decisions[record.decision_id] = record.option_id
    return {
        "last_seq": state.seq,
        "scenario_minutes": state.scenario_minutes,
        "ended": state.ended,
        "phase": state.phase_id,
        "decisions": dict(sorted(decisions.items())),
        "indicators": {k: round(v, 9) for k, v in sorted(state.indicator_values().items())},
        "released": sorted(i.inject_id for i in state.released_injects()),
    }


def score_result(scenario: Scenario, events: Sequence[Any]) -> Any:
    """The `ScoringResult` of a run under the current catalogue."""
    from krise_ovelse.scoring.adapter import score_events

    return score_events(scenario, events)


def session_summary(scenario: Scenario, state: ExerciseState, events: Sequence[Any],
                    result: Any | None = None) -> dict[str, Any]:
    """What the store caches about a session: its key facts, its ratings (`result`, when the
    caller has already scored the events) and the version of the catalogue that rated them."""
    from krise_ovelse.catalogue import load_catalogue
    from krise_ovelse.scoring import result_to_dict

    scores = result_to_dict(result if result is not None else score_result(scenario, events))
    return {"facts": session_facts(state), "scoring": scores, "index": scores.get("index"),
            "catalogue_version": load_catalogue().version}


def catalogue_version_of(summary: Mapping[str, Any] | None) -> int | None:
    """The catalogue version a stored summary was rated under: None if nothing was rated yet;
    1 for summaries written before versions were recorded (the catalogue was version 1 then)."""
    if summary is None:
        return None
    version = summary.get("catalogue_version", 1)
    return version if isinstance(version, int) and not isinstance(version, bool) else None


def _index_of(summary: Mapping[str, Any]) -> float | None:
    index = summary.get("index")
    return float(index) if isinstance(index, int | float) and not isinstance(index, bool) else None


@attrs.frozen
class Choice:
    """The option in force at a decision point, and how it came to be."""

    decision_id: str
    option_id: str
    rationale: str
    seq: int
    scenario_minutes: int
    missed: bool
    revisions: int


def choices(events: Iterable[Mapping[str, Any]]) -> dict[str, Choice]:
    """Decision id -> the choice in force at the end, in the order decisions were first settled."""
    found: dict[str, Choice] = {}
    for event in events:
        kind = event.get("kind")
        if kind not in CHOICE_KINDS:
            continue
        decision = str(event.get("decision_id"))
        before = found.get(decision)
        found[decision] = Choice(
            decision, str(event.get("option_id")), str(event.get("rationale", "")),
            int(event["seq"]), int(event.get("scenario_minutes", 0)),
            kind == "decision_missed" or (before is not None and before.missed),
            0 if before is None else before.revisions + 1)
    return found


def branch_point(events: Sequence[Mapping[str, Any]], decision_id: str) -> int:
    """The number of events before the first choice (made or missed) at `decision_id`."""
    for index, event in enumerate(events):
        if event.get("kind") in FIRST_CHOICE_KINDS and event.get("decision_id") == decision_id:
            return index
    settled = list(choices(events))
    opened = [e.get("decision_id") for e in events if e.get("kind") == "decision_opened"]
    hint = (f"decisions settled in this session: {', '.join(settled)}" if settled
            else "no decision was settled in this session")
    if decision_id in opened:
        hint = f"{decision_id} was opened but is still open: resume the session to decide it; " + hint
    raise StoreError(f"decision {decision_id!r} was not made in this session", hint=hint)


def branch_session(store: SessionStore, session_id: str, decision_id: str) -> SessionInfo:
    """A new session with the parent's history up to (not including) the first choice at
    `decision_id`: the team can take decision `decision_id` again ("what if we had chosen b?").

    The copy is recorded with its parent and branch point, and starts `paused`; resume it to
    play on. The parent is not changed. If the choice was a missed deadline inside a longer
    clock advance, the events of that advance after the miss are not copied either; the
    engine releases what is due again when the clock next moves.
    """
    info = store.get(session_id)
    events = store.events(session_id)
    cut = branch_point(events, decision_id)
    prefix = events[:cut]
    scenario = stored_scenario(store, session_id)
    fold_session(scenario, engine_events(prefix, session_id), session_id)  # it must be playable
    return store.create_session(
        scenario_text=store.scenario_text(session_id), scenario_id=info.scenario_id,
        title=info.title, seed=info.seed, team=info.team, participants=info.participants,
        facilitator=info.facilitator, mode=info.mode, events=prefix, parent_id=session_id,
        branch_decision=decision_id, status="paused", claim=False)


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


def replay_session(store: SessionStore, session_id: str) -> Replay:
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
            facts = session_facts(fold_session(scenario, engine_events(events[:upto], session_id)))
        differ = sorted(k for k in stored_facts if stored_facts[k] != facts.get(k))
        checks.append(Check("summary", not differ,
                            "the final state matches the stored summary" if not differ
                            else "differs from the stored summary in: " + ", ".join(differ)))
    else:
        checks.append(Check("summary", None, "no stored summary to compare with"))
    return Replay(info, tuple(checks), tuple(events), scenario, state)


# --- headless runs that are stored, and finishing them after a crash ----------------------------


def _playthrough_people(playthrough: Any) -> list[str]:
    if playthrough is None:
        return []
    return [f"{p.name} ({p.role})" if p.role else p.name for p in playthrough.participants]


def run_headless_stored(store: SessionStore, scenario: Scenario, scenario_text: str,
                        playthrough: Any = None, seed: int | None = None,
                        clock: Clock | None = None) -> tuple[str, Any]:
    """`engine.headless.run_headless` with every command's events committed to a new session.

    For `krise-ovelse run` with a database: if the process dies, `finish_headless` (the
    `resume SESSION --play FILE` command) completes the run from what was committed.
    """
    from krise_ovelse.scripted.headless import run_headless

    if seed is None:
        seed = playthrough.seed if playthrough is not None and playthrough.seed is not None else 0
    info = store.create_session(
        scenario_text=scenario_text, scenario_id=scenario.id, title=scenario.title.get(), seed=seed,
        team=playthrough.team if playthrough is not None else "headless",
        participants=_playthrough_people(playthrough),
        facilitator=playthrough.facilitator if playthrough is not None else "",
        mode="headless", started=None)  # the store's real clock: the events keep the run's fixed one
    result = run_headless(scenario, playthrough, seed, clock,
                          sink=store.sink(info.id, to_dict=engine_event_to_dict),
                          criteria=criteria_ids(scenario))
    _close_run(store, info.id, scenario, result)
    return info.id, result


class CatchUpSink:
    """A sink for re-running a deterministic headless run over a session that already holds its
    first events: events up to the stored last seq must equal the stored ones (else the
    session was not produced by this run, and nothing is written); later ones are appended,
    one command's batch per transaction as usual."""

    def __init__(self, store: SessionStore, session_id: str, stored: Sequence[Mapping[str, Any]],
                 label: str) -> None:
        self.store = store
        self.session_id = session_id
        self.stored = stored
        self.label = label
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
        if fresh:
            self.store.append(self.session_id, fresh)


def finish_headless(store: SessionStore, session_id: str, playthrough: Any, *,
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
    store.claim(session_id, force=force)
    sink = CatchUpSink(store, session_id, stored, f"playthrough {getattr(playthrough, 'file', '')}")
    try:
        result = run_headless(scenario, playthrough, info.seed, clock, sink=sink,
                              criteria=criteria_ids(scenario))
    except BaseException:
        with contextlib.suppress(StoreError):  # the disk may be what failed
            store.set_status(session_id, "interrupted")
        raise
    if sink.produced < len(stored):
        store.set_status(session_id, "interrupted")
        raise StoreError(f"session {session_id} has {len(stored)} events, but the playthrough "
                         f"produces only {sink.produced}", EXIT_PROBLEMS,
                         "this session was not started by this playthrough")
    _close_run(store, session_id, scenario, result)
    return result


def _close_run(store: SessionStore, session_id: str, scenario: Scenario, result: Any) -> None:
    summary = session_summary(scenario, result.state, list(result.events))
    store.set_summary(session_id, summary, _index_of(summary))
    store.set_status(session_id, "ended" if result.state.ended else "paused")


def state_summary(store: SessionStore, session_id: str) -> dict[str, Any]:
    """Where a stored session stands, for `resume` and the console's start screen."""
    from krise_ovelse.describe import describe
    from krise_ovelse.model.timefmt import format_time

    info = store.get(session_id)
    scenario, events = open_session(store, session_id)
    state = fold_session(scenario, events, session_id)
    return {
        "session": info.to_dict(),
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
