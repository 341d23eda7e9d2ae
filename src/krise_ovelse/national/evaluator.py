"""An evaluator's client in a national exercise: its own stream, checked like the console's view.

An evaluator evaluates one organisation. What the evaluator sees is the organisation's state
(the organisation's stream, itself the fold of the control stream and the organisation's own
decisions) together with what the organisation's evaluators have recorded in their streams,
all in position order (`merged_events`): the same fold the national report scores. Every
judgement is an engine command (AddObservation with criteria, level and why, MarkTask,
RateReasoning, RateCriterion, ReconcileRating) checked by the engine's own rules against that
state, so bad input is refused with a code and nothing is stored. The events it causes go to
the evaluator's stream only, under the evaluator's id (the database role allows no other).

Like the organisation's client it wakes on a notification (the activity channel of the
organisation's group, where the organisation's and its evaluators' appends notify, and no one
else's) and on every wake-up and every reconnect reads everything after the last position it
saw: a lost notification costs latency, never data.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from krise_ovelse.national.setup import Setup, eval_stream, load_setup, org_stream, stream_id
from krise_ovelse.store.errors import StoreError
from krise_ovelse.store.pg import PgListener, PgStore, activity_channel, append_group
from krise_ovelse.wallclock import utc_now

Clock = Callable[[], dt.datetime]
#: Events read per round trip when catching up.
BATCH = 10_000
#: Seconds after the control cell's notification to read what the organisation derived from it.
FOLLOW_UP = 0.5
#: Seconds between reads when no notification comes (one may have been lost).
RECHECK = 5.0


def evaluator_streams(setup: Setup, org_id: str) -> list[str]:
    """The session ids of the evaluator streams of one organisation, in participants-file order."""
    return [stream_id(setup.exercise, eval_stream(e.id)) for e in setup.evaluators if e.organisation == org_id]


class Merger:
    """An organisation's stream and its evaluators' streams as one list of event dicts, built up
    as records arrive.

    Records are (position, session id, event) in position order. The list is in that order,
    numbered 1, 2, 3, …, so it folds like one session: an evaluator's record sits where it was
    written, after whatever the organisation had done by then. A `decision_record_amended` of the
    organisation names a record by its seq in the organisation's stream: renumbered too. Records
    written before the organisation's first event (none can be by the evaluator's client, which
    the engine refuses before the start) wait until just after it."""

    def __init__(self, org_session: str) -> None:
        self.org_session = org_session
        self.events: list[dict[str, Any]] = []
        self.waiting: list[Mapping[str, Any]] = []
        self._renumbered: dict[int, int] = {}

    def add(self, records: Iterable[tuple[int, str, Mapping[str, Any]]]) -> list[dict[str, Any]]:
        """Take more records (after those taken so far); return the events they add, in order."""
        start = len(self.events)
        out = self.events
        for _position, session_id, data in records:
            if session_id != self.org_session:
                if out:
                    out.append({**data, "seq": len(out) + 1})
                else:
                    self.waiting.append(data)
                continue
            event = {**data, "seq": len(out) + 1}
            self._renumbered[int(data.get("seq", 0))] = event["seq"]
            if event.get("kind") == "decision_record_amended" and isinstance(event.get("record_seq"), int):
                event["record_seq"] = self._renumbered.get(event["record_seq"], event["record_seq"])
            out.append(event)
            if self.waiting:
                out.extend({**w, "seq": len(out) + 1 + i} for i, w in enumerate(self.waiting))
                self.waiting = []
        return out[start:]


def merged_events(records: Iterable[tuple[int, str, Mapping[str, Any]]], org_session: str) -> list[dict[str, Any]]:
    """All of an organisation's and its evaluators' records merged (`Merger`); records that
    waited for an organisation that never started go last."""
    merger = Merger(org_session)
    merger.add(records)
    return merger.events + [{**w, "seq": len(merger.events) + 1 + i} for i, w in enumerate(merger.waiting)]


def read_streams(store: PgStore, exercise: str, sessions: Sequence[str], after: int = 0
                 ) -> list[tuple[int, str, dict[str, Any]]]:
    """Every event of `sessions` after position `after`, in position order (all of them)."""
    out: list[tuple[int, str, dict[str, Any]]] = []
    while True:
        found = store.events_after(exercise, after, sessions, limit=BATCH)
        out.extend(found)
        if len(found) < BATCH:
            return out
        after = found[-1][0]


def _evaluation_commands() -> tuple[type[Any], ...]:
    from krise_ovelse.engine import commands as c

    return (c.AddObservation, c.RateCriterion, c.MarkTask, c.RateReasoning, c.ReconcileRating)


def is_evaluation(command: Any) -> bool:
    """Whether an evaluator's client takes this command (an evaluator's judgement)."""
    return isinstance(command, _evaluation_commands())


class EvaluatorClient:
    """One evaluator's connection: the evaluated organisation's state, live, and the evaluator's stream.

    `handle(command)` takes the evaluation commands (see `is_evaluation`); the helpers below
    (`observe`, `mark`, `rate_reasoning`, `rate`, `reconcile`) build them from plain values. A
    refused command raises the engine's `CommandRefused` (a code and a reason), a store failure
    a `StoreError`; in both cases nothing is stored."""

    def __init__(self, url: str, exercise: str, evaluator_id: str, *, clock: Clock = utc_now,
                 listen: bool = False) -> None:
        from krise_ovelse.store.lifecycle import checked_scenario, criteria_ids, task_counts

        self.url = url
        self.store = PgStore(url)
        try:
            self.setup = load_setup(self.store, exercise)
            self.evaluator = self.setup.evaluator(evaluator_id)
            self.exercise = exercise
            self.org = self.setup.organisation(self.evaluator.organisation)
            self.session_id = stream_id(exercise, eval_stream(evaluator_id))
            self.org_session = stream_id(exercise, org_stream(self.org.id))
            self.streams = [self.org_session, *evaluator_streams(self.setup, self.org.id)]
            self.scenario, self.text = checked_scenario(self.store, self.org_session)
            self._criteria = criteria_ids(self.scenario)
            self._tasks = task_counts(self.scenario)
            self._clock = clock
            self.seq = self.store.last_seq(self.session_id)
            self.position = 0
            self._merger = Merger(self.org_session)
            #: Own events the engine has applied but the client has not read back yet.
            self._pending = 0
            #: How often the fold was built from the start (the console forgets what it read from
            #: the old one); otherwise new events are folded onto the engine's state.
            self.rebuilds = 0
            self._synced = 0.0
            self.engine: Any = None
            self.sync()
        except BaseException:
            self.store.close()
            raise
        group = append_group(self.org_session, exercise, org_stream(self.org.id))
        self._activity = activity_channel(group)
        self.listener = PgListener(url, self._activity, exercise) if listen else None
        #: When to read what the organisation derived from a control event it was told of.
        self._follow_up: float | None = None

    @property
    def name(self) -> str:
        """Who the judgements are by: the evaluator's id from the participants file."""
        return self.evaluator.id

    @property
    def state(self) -> Any:
        return self.engine.state

    def close(self) -> None:
        if self.listener is not None:
            self.listener.close()
        self.store.close()

    # -- following the organisation and the other evaluators -------------------------------------

    def sync(self) -> int:
        """Read what the organisation and its evaluators stored since the last look and fold it
        (in position order, as the report does); return how many events arrived."""
        from krise_ovelse.store.lifecycle import engine_events

        self._synced = time.monotonic()
        found = read_streams(self.store, self.exercise, self.streams, self.position)
        if found:
            self.position = found[-1][0]
        pending, self._pending = self._pending, 0
        own = pending and len(found) >= pending and all(sid == self.session_id for _p, sid, _e in found[:pending])
        added = self._merger.add(found)
        if self.engine is None or (pending and not own):
            self.engine = self._fold()  # first look, or something was stored before our own events
        elif added[pending:]:
            try:
                self.engine.adopt(engine_events(added[pending:], self.org_session))
            except Exception as exc:  # a finding about the data, not a crash
                raise StoreError(f"{self.org.id} and its evaluators' streams do not fold together "
                                 f"({type(exc).__name__}: {exc})", 1) from None
        return len(found)

    def wait_and_sync(self, timeout: float) -> int:
        """Wait up to `timeout` for news and read it; return how many events arrived (0: none,
        or nothing was due). The console calls it with 0 on every tick.

        Woken by the organisation's or its evaluators' appends (their group's activity channel),
        it reads at once. Woken by the control cell (the exercise's channel), it reads FOLLOW_UP
        seconds later: the organisation derives its events from the control event within moments
        and stores them without a notification (see `PgStore._append_statement`). Without any
        notification it reads every RECHECK seconds (a lost notification costs latency, never
        data); without a listener, on every call."""
        if self.listener is None:
            time.sleep(timeout)
            return self.sync()
        now = time.monotonic()
        deadline = self._synced + RECHECK
        if self._follow_up is not None:
            deadline = min(deadline, self._follow_up)
        came = self.listener.wait_for(max(0.0, min(timeout, deadline - now)))
        now = time.monotonic()
        if self.exercise in came and self._follow_up is None:
            self._follow_up = now + FOLLOW_UP
        follow_up = self._follow_up is not None and now >= self._follow_up
        if self._activity not in came and not follow_up and now < self._synced + RECHECK:
            return 0
        if follow_up:
            self._follow_up = None
        return self.sync()

    def _fold(self) -> Any:
        from krise_ovelse.engine import Engine
        from krise_ovelse.store.lifecycle import engine_events

        self.rebuilds += 1
        try:
            return Engine(self.scenario, clock=self._clock, sink=self._append,
                          events=engine_events(self._merger.events, self.org_session),
                          criteria=self._criteria, tasks=self._tasks)
        except Exception as exc:  # a finding about the data, not a crash
            raise StoreError(f"{self.org.id} and its evaluators' streams do not fold together "
                             f"({type(exc).__name__}: {exc})", 1) from None

    def _append(self, events: Sequence[Any]) -> None:
        """The engine's sink: the events, numbered in the evaluator's own stream."""
        from krise_ovelse.store.lifecycle import engine_event_to_dict

        rows = []
        for offset, event in enumerate(events, start=1):
            rows.append({**engine_event_to_dict(event), "seq": self.seq + offset})
        try:
            self.store.append(self.session_id, rows)
        except StoreError:
            self.seq = self.store.last_seq(self.session_id)  # another window wrote: go on from there
            raise
        self.seq += len(rows)
        self._pending += len(rows)

    # -- the evaluator's judgements ------------------------------------------------------------

    def handle(self, command: Any) -> tuple[Any, ...]:
        """Record one evaluation command in the evaluator's stream, checked by the engine against
        the organisation's state as it is now; judgements are always by this evaluator."""
        from krise_ovelse.engine.refusal import refuse

        if not is_evaluation(command):
            refuse("evaluator_only", f"an evaluator records observations, checklists and ratings, "
                   f"not {type(command).__name__}")
        field = "author" if hasattr(command, "author") else "by"
        command = attrs.evolve(command, **{field: self.name})
        self.sync()
        self._register()
        events: tuple[Any, ...] = self.engine.handle(command)
        self.sync()  # read back in position order (anything stored meanwhile comes before it)
        return events

    def _register(self) -> None:
        """Name the evaluator in the evaluated session once it has started (the engine requires
        every judgement to be by a named evaluator once any is named)."""
        from krise_ovelse.engine import commands as c
        from krise_ovelse.engine.refusal import CommandRefused

        state = self.engine.state
        if not state.started or any(name == self.name for name, _lead in state.evaluators):
            return
        try:
            self.engine.handle(c.AddEvaluator(self.name, lead=self.evaluator.lead))
        except CommandRefused as refusal:
            if refusal.code == "lead_exists":
                self.engine.handle(c.AddEvaluator(self.name))
            elif refusal.code != "evaluator_exists":
                raise

    def observe(self, text: str, criteria: Sequence[str] = (), *, level: Any = None, why: str = "",
                inject_id: str | None = None, decision_id: str | None = None) -> None:
        """An observation; with a level (P/S/M/U/N/O) it rates the criteria it names, with a why."""
        from krise_ovelse.engine import commands as c

        self.handle(c.AddObservation(text=text, criteria=tuple(criteria), inject_id=inject_id,
                                     decision_id=decision_id, level=None if level is None else _level(level),
                                     why=why))

    def mark(self, criterion_id: str, task: int, status: Any, note: str = "", evidence: str = "",
             observed_at: int | None = None) -> None:
        """A critical task of a criterion marked observed / partly / not_observed / not_applicable."""
        from krise_ovelse.engine import commands as c

        self.handle(c.MarkTask(criterion_id, task, _status(status), self.name, note=note, evidence=evidence,
                               observed_at=observed_at))

    def rate_reasoning(self, decision_id: str, level: Any, note: str = "", criteria: Sequence[str] = ()) -> None:
        """The quality of the reasoning behind a decision the organisation made (P/S/M/U)."""
        from krise_ovelse.engine import commands as c

        self.handle(c.RateReasoning(decision_id, _level(level), self.name, note=note, criteria=tuple(criteria)))

    def rate(self, criterion_id: str, level: Any, reason: str = "") -> None:
        """The evaluator's rating of a criterion (a confirmation of the suggestion or an override)."""
        from krise_ovelse.engine import commands as c

        self.handle(c.RateCriterion(criterion_id, _level(level), reason=reason, by=self.name))

    def reconcile(self, criterion_id: str, level: Any, reason: str) -> None:
        """The lead evaluator's reconciled rating where the evaluators disagree, with a reason."""
        from krise_ovelse.engine import commands as c

        self.handle(c.ReconcileRating(criterion_id, _level(level), reason, self.name))


def _level(value: Any) -> Any:
    from krise_ovelse.engine.refusal import refuse
    from krise_ovelse.model.scenario import Level

    if isinstance(value, Level):
        return value
    try:
        return Level(str(value).strip().upper())
    except ValueError:
        refuse("bad_value", f"the level must be one of P, S, M, U, N/O, not {str(value)!r:.40}")


def _status(value: Any) -> Any:
    from krise_ovelse.engine.refusal import refuse
    from krise_ovelse.engine.values import TaskStatus

    if isinstance(value, TaskStatus):
        return value
    try:
        return TaskStatus(str(value).strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        refuse("bad_value", "the mark must be observed, partly, not_observed or not_applicable, "
               f"not {str(value)!r:.40}")
