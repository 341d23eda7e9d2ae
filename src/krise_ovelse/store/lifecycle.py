"""The one session lifecycle: start, resume, follow, close and branch a stored session.

The console, `run`, `resume`, `replay` and every store backend go through these functions, so
a session is opened the same way everywhere: the scenario text is checked against its stored
sha256 and loaded, every stored event must be one this engine reads, the events must fold over
the scenario, and only then is the session claimed for writing. A failure after a claim
releases it again, so a refused open never leaves a session marked as open in this process.

    live = start_session(store, scenario, text, team=..., clock=...)      # Live: id, engine, ...
    live = resume_session(store, session_id, clock=..., ended_ok=False)   # claims it
    follower = follow_session(store, session_id); follower.poll()        # a second window
    close_session(store, live.session_id, live.engine)                   # paused / ended + summary
    branch_session(store, session_id, decision_id) -> SessionInfo

`store` is any backend with the `SessionStore` methods (`krise_ovelse.store.backend.Store`).
Participants are stored in one format everywhere: "name (role id)", as the scoring record and
the report read them (`scoring.adapter.participant_label` without a scenario).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from krise_ovelse.startup import collection_paused
from krise_ovelse.store.codec import sha256_text
from krise_ovelse.store.errors import EXIT_PROBLEMS, StoreError
from krise_ovelse.store.sink import StoreSink
from krise_ovelse.wallclock import utc_now

if TYPE_CHECKING:
    from krise_ovelse.engine import Engine, Event, ExerciseState
    from krise_ovelse.model.scenario import Scenario
    from krise_ovelse.store.backend import Store
    from krise_ovelse.store.session_rows import SessionInfo

Clock = Callable[[], dt.datetime]

#: Event kinds that settle a decision point for the first time: the team's choice, or the
#: default applied at the deadline. `branch --at D` cuts just before the first of these for D.
#: Where a decision is first settled: chosen, missed, or (decide-first) written in the team's words.
FIRST_CHOICE_KINDS = ("decision_made", "decision_missed", "decision_written")
CHOICE_KINDS = frozenset({"decision_made", "decision_revised", "decision_missed"})



def engine_event_to_dict(event: Any) -> dict[str, Any]:
    from krise_ovelse.engine import event_to_dict

    return event_to_dict(event)


def engine_sink(store: Store, session_id: str) -> StoreSink:
    """The engine's sink for a stored session: each command's events in one transaction."""
    return StoreSink(store, session_id, engine_event_to_dict)


def participant_labels(participants: Iterable[Any]) -> list[str]:
    """The stored form of participants: "name (role id)" (engine `Participant`s or names)."""
    from krise_ovelse.scoring.adapter import participant_label

    labels = []
    for person in participants:
        if isinstance(person, str):
            labels.append(person.strip())
        else:
            labels.append(participant_label(str(person.name), str(getattr(person, "role", "") or "")))
    return labels


def engine_events(dicts: Iterable[Mapping[str, Any]], session_id: str) -> list[Event]:
    """Stored dicts as engine events; a dict the engine does not accept is a StoreError (exit 1)
    naming the session and the event, never a traceback."""
    from krise_ovelse.engine import EventFormatError, event_from_dict

    events = []
    with collection_paused():
        for data in dicts:
            try:
                events.append(event_from_dict(data))
            except EventFormatError as exc:
                raise StoreError(f"session {session_id}: stored event {data.get('seq')} cannot be "
                                 f"read by this version of the engine: {exc}", EXIT_PROBLEMS) from None
    return events


def task_counts(scenario: Scenario) -> dict[str, int]:
    """The critical tasks per criterion evaluators may mark (the scenario's own criteria have none)."""
    from krise_ovelse.catalogue import load_catalogue

    return load_catalogue().task_counts() | {c.id: 0 for c in scenario.scoring.own_criteria}


def criteria_ids(scenario: Scenario) -> frozenset[str]:
    """The criterion ids observations and ratings may name: the catalogue's and the scenario's."""
    from krise_ovelse.catalogue import known_criteria

    return known_criteria(scenario)


def checked_scenario(store: Store, session_id: str) -> tuple[Scenario, str]:
    """The scenario as stored with the session and its text, checked against its hash and loaded.

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
    return result.scenario, text


def stored_scenario(store: Store, session_id: str) -> Scenario:
    """`checked_scenario` without the text."""
    return checked_scenario(store, session_id)[0]


def fold_session(scenario: Scenario, events: Sequence[Event], session_id: str) -> ExerciseState:
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


@attrs.frozen
class Opened:
    """A stored session read and checked: hash, scenario, readable events, fold."""

    info: SessionInfo
    scenario: Scenario
    text: str
    events: list[Event]
    state: ExerciseState

    @property
    def session_id(self) -> str:
        return self.info.id


def open_checked(store: Store, session_id: str) -> Opened:
    """Read and check a stored session (an id or a unique prefix of one), claiming nothing.

    Every failure is a StoreError: an unknown id (exit 2), a tampered scenario text, an event
    this engine cannot read or events that do not fold (exit 1)."""
    full_id = store.resolve(session_id)
    info = store.get(full_id)
    scenario, text = checked_scenario(store, full_id)
    events = engine_events(store.iter_events(full_id), full_id)
    state = fold_session(scenario, events, full_id)
    return Opened(info, scenario, text, events, state)


def open_session(store: Store, session_id: str) -> tuple[Scenario, list[Event]]:
    """A stored session's scenario and events (engine objects), for replay or a read-only view."""
    opened = open_checked(store, session_id)
    return opened.scenario, opened.events


@attrs.frozen
class Live:
    """A session this process writes to: its engine commits every command to the store."""

    session_id: str
    scenario: Scenario
    text: str
    engine: Engine
    team: str


def start_session(store: Store, scenario: Scenario, scenario_text: str, *, team: str,
                  clock: Clock = utc_now, participants: Sequence[Any] = (), facilitator: str = "",
                  mode: Any = None, seed: int = 0, session_mode: str = "live", decide_first: bool = False) -> Live:
    """Create a session in the store and start an engine whose sink commits to it.

    The session row is written first (with the scenario text); the engine's first command,
    StartSession, then commits `session_started` through the sink. If that fails (the disk,
    the server), the session is released as `interrupted` and the StoreError raised.
    `decide_first` plays it decide-first (the team writes its decisions before any option is
    shown; docs/engine.md).
    """
    from krise_ovelse.engine import CommandRefused, Engine, Mode, Participant

    people = tuple(p if isinstance(p, Participant) else Participant(str(p)) for p in participants)
    info = store.create_session(
        scenario_text=scenario_text, scenario_id=scenario.id, title=scenario.title.get(),
        seed=seed, team=team, participants=participant_labels(people), facilitator=facilitator,
        mode=session_mode, started=clock().isoformat(timespec="seconds"))
    try:
        engine = Engine.start(scenario, team=team, clock=clock, participants=people,
                              facilitator=facilitator, mode=mode or Mode.PACED, seed=seed,
                              sink=engine_sink(store, info.id), criteria=criteria_ids(scenario),
                              tasks=task_counts(scenario), decide_first=decide_first)
    except BaseException as exc:
        release_claim(store, info.id)
        if isinstance(exc, CommandRefused):
            raise StoreError(f"session {info.id} could not start: {exc.reason}", EXIT_PROBLEMS) from None
        raise
    return Live(info.id, scenario, scenario_text, engine, team)


def release_claim(store: Store, session_id: str, status: str = "interrupted") -> None:
    """Drop this process's claim after a failure (best effort: the store may be what failed)."""
    with contextlib.suppress(StoreError):
        store.set_status(session_id, status)


def resume_session(store: Store, session_id: str, *, clock: Clock = utc_now, force: bool = False,
                   ended_ok: bool = False, sink: Callable[[Sequence[Any]], None] | None = None) -> Live:
    """Continue a stored session from its last committed event, in this process.

    Checks everything first (`open_checked`), then claims the session (refused while another
    live process on this machine has it open, unless `force`) and attaches the store's sink,
    so the next command's events are committed before the engine applies them. An ended
    session is refused, unless `ended_ok` (the console's evaluation after ENDEX, which adds
    ratings): then it is opened without a claim. `sink` replaces the store's sink (a national
    exercise's organisation records the control position it applied with its events).
    """
    from krise_ovelse.engine import Engine

    opened = open_checked(store, session_id)
    full_id = opened.session_id
    claimed = not (ended_ok and (opened.info.status == "ended" or opened.state.ended))
    if claimed:
        store.claim(full_id, force=force)
    try:
        engine = Engine(opened.scenario, clock=clock, events=opened.events,
                        criteria=criteria_ids(opened.scenario), tasks=task_counts(opened.scenario),
                        sink=sink or engine_sink(store, full_id))
    except BaseException:
        if claimed:
            release_claim(store, full_id, "interrupted")
        raise
    return Live(full_id, opened.scenario, opened.text, engine, opened.info.team)


class Follower:
    """A read-only window on a stored, possibly live, session: `poll()` folds what was added.

    It never claims the session. Each poll reads every event after the last one folded, so a
    missed wake-up only delays what the window shows.
    """

    def __init__(self, store: Store, opened: Opened) -> None:
        self.store = store
        self.info = opened.info
        self.session_id = opened.session_id
        self.scenario = opened.scenario
        self.text = opened.text
        self.events: list[Event] = list(opened.events)
        self.state: ExerciseState = opened.state

    def poll(self) -> list[Event]:
        """Fold the events stored since the last poll; return them (empty if none).

        A StoreError (an unreadable new event, a store that went away) is raised to the caller,
        which decides whether to show it; the window's state is unchanged then."""
        from krise_ovelse.engine import apply

        new = engine_events(self.store.iter_events(self.session_id, start=self.state.seq + 1),
                            self.session_id)
        state = self.state
        try:
            for event in new:
                state = apply(self.scenario, state, event)
        except Exception as exc:
            raise StoreError(f"session {self.session_id}: a new event does not fold "
                             f"({type(exc).__name__}: {exc})", EXIT_PROBLEMS) from None
        self.events.extend(new)
        self.state = state
        return new


def follow_session(store: Store, session_id: str) -> Follower:
    """A checked, unclaimed, read-only view of a session that may still be played elsewhere."""
    return Follower(store, open_checked(store, session_id))


def close_session(store: Store, session_id: str, engine: Engine) -> None:
    """Release a session this process ran: `ended` after ENDEX, else `paused` (resumable);
    cache the key facts (and the ratings) for `sessions` and `replay`."""
    state = engine.state
    summary = session_summary(engine.scenario, state, list(engine.events))
    store.set_summary(session_id, summary, index_of(summary))
    store.set_status(session_id, "ended" if state.ended else "paused")


def save_summary(store: Store, session_id: str, engine: Engine) -> None:
    """Cache the summary and index now (ENDEX, a rating after it) without releasing anything."""
    summary = session_summary(engine.scenario, engine.state, list(engine.events))
    store.set_summary(session_id, summary, index_of(summary))


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


def index_of(summary: Mapping[str, Any]) -> float | None:
    index = summary.get("index")
    return float(index) if isinstance(index, int | float) and not isinstance(index, bool) else None


# --- choices and what-ifs -----------------------------------------------------------------------

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
        if kind not in CHOICE_KINDS and not (kind == "decision_mapped" and event.get("applied") is False):
            continue  # an applied mapping is followed by its decision_made; annet is settled as itself
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


def branch_session(store: Store, session_id: str, decision_id: str) -> SessionInfo:
    """A new session with the parent's history up to (not including) the first choice at
    `decision_id`: the team can take decision `decision_id` again ("what if we had chosen b?").

    The parent is checked as for a resume (hash, readable events, fold), and so is the cut. The
    copy is recorded with its parent and branch point, and starts `paused`; resume it to play
    on. The parent is not changed. If the choice was a missed deadline inside a longer clock
    advance, the events of that advance after the miss are not copied either; the engine
    releases what is due again when the clock next moves.
    """
    opened = open_checked(store, session_id)
    info = opened.info
    events = store.events(info.id)
    cut = branch_point(events, decision_id)
    prefix = events[:cut]
    fold_session(opened.scenario, opened.events[:cut], info.id)  # it must be playable
    return store.create_session(
        scenario_text=opened.text, scenario_id=info.scenario_id,
        title=info.title, seed=info.seed, team=info.team, participants=info.participants,
        facilitator=info.facilitator, mode=info.mode, events=prefix, parent_id=info.id,
        branch_decision=decision_id, status="paused", claim=False)
