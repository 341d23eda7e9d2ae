"""The control cell (øvingsledelse): one at a time, the clock as data, releases, status.

The control cell writes the control stream only. Its commands are events of these kinds:

    exercise_opened  {}                                  the first event
    clock            {minute}                            scenario time reached (the clock is data)
    paused / resumed {}                                  for everyone
    speed            {speed}
    phase_jump       {phase_id}
    release          {inject_id, to: [org ids] | []}     [] = every organisation
    adhoc            {title, body, channel, sender, to}
    endex            {note}

Scenario time comes from a reference engine the control cell keeps in memory (real-time mode,
the scenario's own compression and phases); while running, `tick(seconds)` advances it and
appends `clock` when the minute changes. Nothing runs timers in the database.

One control cell at a time: `ControlCell.open` takes a session-level advisory lock on its own
connection. A second control cell is refused while the first holds it; when the first dies
(kill -9, a lost network) the server ends its connection and frees the lock, so a new one takes
over cleanly and rebuilds its state from the control stream.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from krise_ovelse.national.setup import CONTROL, Setup, load_setup, org_stream, stream_id
from krise_ovelse.store.errors import EXIT_USAGE, StoreError
from krise_ovelse.store.pg import PgStore, lock_key, open_connection
from krise_ovelse.wallclock import utc_now

CONTROL_KINDS = frozenset({"exercise_opened", "clock", "paused", "resumed", "speed", "phase_jump",
                           "release", "adhoc", "endex"})
Clock = Callable[[], dt.datetime]



@attrs.frozen
class ControlState:
    """The control stream folded: where the exercise's clock stands."""

    opened: bool = False
    minute: int = 0
    running: bool = False
    speed: float = 1.0
    ended: bool = False
    seq: int = 0


def fold_control(events: Sequence[Mapping[str, Any]], state: ControlState | None = None) -> ControlState:
    """The control stream's events folded (continuing from `state` if given)."""
    state = state or ControlState()
    for event in events:
        kind = event.get("kind")
        if kind not in CONTROL_KINDS:
            raise StoreError(f"control stream event {event.get('seq')} has an unknown kind {kind!r}", 1)
        if kind == "exercise_opened":
            state = attrs.evolve(state, opened=True)
        elif kind == "clock":
            state = attrs.evolve(state, minute=max(state.minute, int(event.get("minute", 0))))
        elif kind == "paused":
            state = attrs.evolve(state, running=False)
        elif kind == "resumed":
            state = attrs.evolve(state, running=True)
        elif kind == "speed":
            state = attrs.evolve(state, speed=float(event.get("speed", 1.0)))
        elif kind == "endex":
            state = attrs.evolve(state, ended=True, running=False)
        state = attrs.evolve(state, seq=int(event["seq"]))
    return state


@attrs.frozen
class OrgStatus:
    """One organisation at a glance, for the control cell."""

    org_id: str
    name: str
    connected: bool
    applied: int  # control position applied
    behind: int  # control events not applied yet
    minute: int
    decisions_open: int
    decided: int
    lapsed: int
    last_activity: str
    #: Evaluator coverage: evaluators assigned to the organisation, those who have recorded
    #: anything, and what they recorded (observations, checklist marks, ratings of criteria and
    #: of reasoning, reconciliations).
    evaluators: int
    observations: int
    evaluators_active: int = 0
    task_marks: int = 0
    ratings: int = 0


class ControlCell:
    """The control cell of one exercise, holding the lease for as long as it is open."""

    def __init__(self, store: PgStore, setup: Setup, scenario: Any, lease: Any, clock: Clock) -> None:
        self.store = store
        self.setup = setup
        self.scenario = scenario
        self.exercise = setup.exercise
        self.session_id = stream_id(setup.exercise, CONTROL)
        self._lease = lease
        self._clock = clock
        events = store.events(self.session_id)
        self.state = fold_control(events)
        self._reference = self._reference_engine()

    @classmethod
    def open(cls, url: str, exercise: str, *, clock: Clock = utc_now) -> ControlCell:
        """Connect, take the lease (refused while another control cell holds it), rebuild the state."""
        from krise_ovelse.store.lifecycle import stored_scenario

        store = PgStore(url)
        lease = open_connection(url, store.location)
        try:
            got = lease.execute("SELECT pg_try_advisory_lock(%s)", (lock_key("lease:" + exercise),)).fetchone()
            if not got or not got[0]:
                raise StoreError(f"another control cell runs exercise {exercise} (it holds the lease)", EXIT_USAGE,
                                 "only one control cell at a time; if it crashed, the server frees the lease "
                                 "as soon as it notices the lost connection — try again in a moment")
            setup = load_setup(store, exercise)
            scenario = stored_scenario(store, stream_id(exercise, CONTROL))
            cell = cls(store, setup, scenario, lease, clock)
            if not cell.state.opened:
                cell._append({"kind": "exercise_opened"})
            return cell
        except BaseException:
            lease.close()
            store.close()
            raise

    def close(self) -> None:
        self._lease.close()  # frees the lease
        self.store.close()

    # -- the clock ----------------------------------------------------------------------------

    def _reference_engine(self) -> Any:
        from krise_ovelse.engine import Engine, Mode
        from krise_ovelse.engine import commands as c

        engine = Engine.start(self.scenario, team="øvingsledelse", clock=self._clock, mode=Mode.REAL_TIME)
        engine.handle(c.Resume())
        if self.state.minute > 0:
            engine.handle(c.Advance(self.state.minute))
        if self.state.speed != 1.0:
            engine.handle(c.SetSpeed(self.state.speed))
        return engine

    def _append(self, event: dict[str, Any]) -> None:
        moment = self._clock().isoformat(timespec="seconds")
        data = {"seq": self.state.seq + 1, "scenario_minutes": self.state.minute, "wall": moment, **event}
        try:
            self.store.append(self.session_id, [data])
        except BaseException:
            # not stored: the reference clock may have moved ahead of the stream; rebuild it
            self._reference = self._reference_engine()
            raise
        self.state = fold_control([data], self.state)

    def tick(self, real_seconds: float) -> bool:
        """Play `real_seconds` of real time; append `clock` when the scenario minute moved."""
        from krise_ovelse.engine import commands as c

        if not self.state.running or self.state.ended or real_seconds <= 0:
            return False
        self._reference.handle(c.Tick(real_seconds))
        minute = int(self._reference.state.scenario_minutes)
        if minute > self.state.minute:
            self._append({"kind": "clock", "minute": minute})
            return True
        return False

    def advance_to(self, minute: int) -> None:
        """Move everyone's clock to `minute` now (a jump in time without skipping)."""
        from krise_ovelse.engine import commands as c

        if minute > self.state.minute:
            self._reference.handle(c.Advance(minute - self.state.minute))
            self._append({"kind": "clock", "minute": int(self._reference.state.scenario_minutes)})

    def pause(self) -> None:
        if self.state.running:
            self._append({"kind": "paused"})

    def resume(self) -> None:
        if not self.state.running and not self.state.ended:
            self._append({"kind": "resumed"})

    def set_speed(self, speed: float) -> None:
        from krise_ovelse.engine import commands as c

        self._reference.handle(c.SetSpeed(speed))
        self._append({"kind": "speed", "speed": float(speed)})

    def jump_to_phase(self, phase_id: str) -> None:
        from krise_ovelse.engine import commands as c

        self._reference.handle(c.JumpToPhase(phase_id))
        self._append({"kind": "phase_jump", "phase_id": phase_id})
        self._append({"kind": "clock", "minute": int(self._reference.state.scenario_minutes)})

    def next_phase(self) -> bool:
        """Jump everyone to the phase after the current one; False in the last phase."""
        phases = self.scenario.phases
        index = self._reference.state.clock.phase_index
        if index + 1 >= len(phases):
            return False
        self.jump_to_phase(phases[index + 1].id)
        return True

    def release(self, inject_id: str, to: Sequence[str] = ()) -> None:
        """Release an inject to every organisation (`to` empty) or to the ones named."""
        if not self.scenario.has_inject(inject_id):
            raise StoreError(f"the scenario has no inject {inject_id!r}", EXIT_USAGE)
        self._check_orgs(to)
        self._append({"kind": "release", "inject_id": inject_id, "to": sorted(to)})

    def adhoc(self, title: str, body: str = "", *, channel: str = "email", sender: str = "",
              to: Sequence[str] = ()) -> None:
        self._check_orgs(to)
        self._append({"kind": "adhoc", "title": title, "body": body, "channel": channel, "sender": sender,
                      "to": sorted(to)})

    def endex(self, note: str = "") -> None:
        if not self.state.ended:
            self._append({"kind": "endex", "note": note})

    def _check_orgs(self, to: Sequence[str]) -> None:
        for org in to:
            self.setup.organisation(org)

    # -- status ------------------------------------------------------------------------------

    def status(self) -> list[OrgStatus]:
        """Every organisation at a glance: connected (a client holds its stream), how far it has
        applied the control stream, its decisions, its last activity, its evaluators' coverage."""
        return exercise_status(self.store, self.setup)


def exercise_status(store: PgStore, setup: Setup) -> list[OrgStatus]:
    ex = setup.exercise
    control_last = store.execute(
        "SELECT COALESCE(max(position), 0) FROM events WHERE session_id = %s", (stream_id(ex, CONTROL),))[0][0]
    rows = store.execute(
        "SELECT s.stream, s.owner, s.status, s.applied_control, s.updated, "
        " (SELECT count(*) FROM events e WHERE e.session_id = s.id AND e.kind = 'decision_opened'),"
        " (SELECT count(*) FROM events e WHERE e.session_id = s.id AND e.kind = 'decision_made'),"
        " (SELECT count(*) FROM events e WHERE e.session_id = s.id AND e.kind = 'decision_missed'),"
        " (SELECT max(e.wall) FROM events e WHERE e.session_id = s.id),"
        " (SELECT COALESCE(max(e.scenario_minutes), 0) FROM events e WHERE e.session_id = s.id)"
        " FROM sessions s WHERE s.exercise_id = %s AND s.stream LIKE 'org.%%'", (ex,))
    by_stream = {r[0]: r for r in rows}
    evals = store.execute(
        "SELECT s.team, s.id, "
        " count(e.position) FILTER (WHERE e.kind = 'observation_added'),"
        " count(e.position) FILTER (WHERE e.kind = 'task_marked'),"
        " count(e.position) FILTER (WHERE e.kind IN ('criterion_rated', 'reasoning_rated', 'rating_reconciled'))"
        " FROM sessions s LEFT JOIN events e ON e.session_id = s.id "
        "WHERE s.exercise_id = %s AND s.stream LIKE 'eval.%%' GROUP BY s.team, s.id", (ex,))
    coverage: dict[str, list[int]] = {}
    for team, _sid, observed, marked, rated in evals:
        entry = coverage.setdefault(str(team), [0, 0, 0, 0, 0])
        entry[0] += 1
        entry[1] += 1 if observed or marked or rated else 0
        entry[2] += int(observed)
        entry[3] += int(marked)
        entry[4] += int(rated)
    out = []
    for org in setup.organisations:
        row = by_stream.get(org_stream(org.id))
        if row is None:
            continue
        opened, made, missed = int(row[5]), int(row[6]), int(row[7])
        control_events_after = store.execute(
            "SELECT count(*) FROM events WHERE session_id = %s AND position > %s",
            (stream_id(ex, CONTROL), int(row[3])))[0][0]
        count, active, observations, marks, ratings = coverage.get(org.id, [0, 0, 0, 0, 0])
        out.append(OrgStatus(org.id, org.name, connected=row[2] == "running" and bool(row[1]),
                             applied=int(row[3]), behind=int(control_events_after) if control_last else 0,
                             minute=int(row[9]), decisions_open=max(0, opened - made - missed), decided=made,
                             lapsed=missed, last_activity=str(row[8] or ""), evaluators=count,
                             observations=observations, evaluators_active=active, task_marks=marks,
                             ratings=ratings))
    return out
