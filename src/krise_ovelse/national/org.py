"""An organisation's client and an evaluator's client in a national exercise.

An organisation's state is the deterministic fold of the control stream and its own: the
client reads the control events after the position it has applied, turns each into the
engine command it stands for (advance the clock, jump to a phase, release an inject addressed
to it, add an ad-hoc inject, ENDEX) and stores the resulting events in its own stream together
with the new applied position, in one transaction. So a client killed at any point resumes
exactly where its stream says, and its stream is an ordinary session: replay, branch, compare,
rescore and report work on it as on any session.

It wakes on the exercise's NOTIFY channel, and on every wake-up and every reconnect reads
everything after the last applied position: a lost notification costs latency, never data.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from krise_ovelse.national.control import ControlState, fold_control
from krise_ovelse.national.setup import CONTROL, eval_stream, load_setup, org_stream, stream_id
from krise_ovelse.store.errors import EXIT_USAGE, StoreError
from krise_ovelse.store.pg import PgListener, PgStore
from krise_ovelse.wallclock import utc_now

Clock = Callable[[], dt.datetime]
BY = "øvingsledelse"



class _ControlSink:
    """The engine's sink for an organisation: appends with the control position it answers."""

    def __init__(self, store: PgStore, session_id: str) -> None:
        self.store = store
        self.session_id = session_id
        self.applying: int | None = None

    def __call__(self, events: Sequence[Any]) -> None:
        from krise_ovelse.store.lifecycle import engine_event_to_dict

        self.store.append(self.session_id, [engine_event_to_dict(e) for e in events],
                          applied_control=self.applying)


class OrgClient:
    """One organisation's console connection: its stream, claimed, kept in step with control."""

    def __init__(self, url: str, exercise: str, org_id: str, *, clock: Clock = utc_now,
                 listen: bool = True) -> None:
        from krise_ovelse.store.lifecycle import resume_session

        self.url = url
        self.store = PgStore(url)
        try:
            self.setup = load_setup(self.store, exercise)
            self.org = self.setup.organisation(org_id)
            self.exercise = exercise
            self.session_id = stream_id(exercise, org_stream(org_id))
            self.control_id = stream_id(exercise, CONTROL)
            self._sink = _ControlSink(self.store, self.session_id)
            self.live = resume_session(self.store, self.session_id, clock=clock, sink=self._sink)
            self.applied = self.store.applied_control(self.session_id)
            self.control = fold_control(
                [e for _p, _s, e in self.store.events_after(exercise, 0, [self.control_id], limit=1 << 30)
                 if _p <= self.applied])
        except BaseException:
            self.store.close()
            raise
        self.listener = PgListener(url, exercise) if listen else None

    @property
    def engine(self) -> Any:
        return self.live.engine

    @property
    def state(self) -> Any:
        return self.live.engine.state

    def close(self) -> None:
        from krise_ovelse.store.lifecycle import close_session

        try:
            close_session(self.store, self.session_id, self.engine)
        finally:
            if self.listener is not None:
                self.listener.close()
            self.store.close()

    # -- following the control cell -------------------------------------------------------------

    def sync(self, on_applied: Callable[[int], None] | None = None) -> int:
        """Apply every control event after the applied position; return how many.
        `on_applied(position)` is called as each is folded (the control screen, the benchmark)."""
        from krise_ovelse.engine.refusal import CommandRefused

        found = self.store.events_after(self.exercise, self.applied, [self.control_id])
        for position, _sid, event in found:
            commands = self._commands(event)
            self._sink.applying = position
            handled = False
            try:
                for command in commands:
                    try:
                        if self.engine.handle(command):
                            handled = True
                            self._sink.applying = None  # recorded with the first batch
                    except CommandRefused:
                        continue  # does not fit this organisation's state: nothing to store
            finally:
                self._sink.applying = None
            if not handled:
                self.store.set_applied_control(self.session_id, position)
            self.applied = position
            self.control = fold_control([event], self.control)
            if on_applied is not None:
                on_applied(position)
        return len(found)

    def _commands(self, event: Mapping[str, Any]) -> list[Any]:
        from krise_ovelse.engine import commands as c
        from krise_ovelse.engine.values import Mode, Participant
        from krise_ovelse.model.scenario import Channel

        kind = event.get("kind")
        state = self.state
        out: list[Any] = []
        if state.session is None:
            out += [c.StartSession(team=self.org.name, participants=(Participant(self.org.name),),
                                   facilitator=BY, mode=Mode.PACED), c.Resume()]
        to = event.get("to") or []
        if kind == "clock":
            minute = int(event.get("minute", 0))
            if minute > state.scenario_minutes:
                out.append(c.Advance(minute - state.scenario_minutes))
        elif kind == "phase_jump":
            out.append(c.JumpToPhase(str(event.get("phase_id"))))
        elif kind == "release" and (not to or self.org.id in to):
            out.append(c.ReleaseInject(str(event.get("inject_id")), by=BY))
        elif kind == "adhoc" and (not to or self.org.id in to):
            try:
                channel = Channel(str(event.get("channel", "email")))
            except ValueError:
                channel = Channel.EMAIL
            out.append(c.AddAdhocInject(title=str(event.get("title", "")), body=str(event.get("body", "")),
                                        channel=channel, sender=str(event.get("sender", "")), by=BY))
        elif kind == "endex":
            out.append(c.EndExercise(note=str(event.get("note", ""))))
        return out

    def wait_and_sync(self, timeout: float) -> int:
        """Wait for a notification (or the timeout, or a reconnect), then catch up."""
        if self.listener is not None:
            self.listener.wait(timeout)
        else:
            time.sleep(timeout)
        return self.sync()

    # -- the organisation's own commands --------------------------------------------------------

    def decide(self, decision_id: str, option_id: str, rationale: str = "", by: str = "") -> None:
        from krise_ovelse.engine import commands as c

        self.engine.handle(c.Decide(decision_id, option_id, rationale=rationale, decided_by=by))

    @property
    def control_state(self) -> ControlState:
        return self.control


class EvaluatorClient:
    """An evaluator's stream: observations and ratings of one organisation, nothing else."""

    def __init__(self, url: str, exercise: str, evaluator_id: str, *, clock: Clock = utc_now) -> None:
        self.store = PgStore(url)
        try:
            setup = load_setup(self.store, exercise)
            found = [e for e in setup.evaluators if e.id == evaluator_id]
            if not found:
                raise StoreError(f"exercise {exercise} has no evaluator {evaluator_id!r}", EXIT_USAGE)
            self.evaluator = found[0]
            self.session_id = stream_id(exercise, eval_stream(evaluator_id))
            self.org_session = stream_id(exercise, org_stream(self.evaluator.organisation))
            self.seq = self.store.last_seq(self.session_id)
        except BaseException:
            self.store.close()
            raise
        self._clock = clock

    def _minute(self) -> int:
        rows = self.store.execute("SELECT COALESCE(max(scenario_minutes), 0) FROM events WHERE session_id = %s",
                                  (self.org_session,))
        return int(rows[0][0])

    def _append(self, event: Any) -> None:
        from krise_ovelse.engine import event_to_dict

        self.store.append(self.session_id, [event_to_dict(event)])
        self.seq += 1

    def observe(self, text: str, criteria: Sequence[str] = ()) -> None:
        from krise_ovelse.engine.events import ObservationAdded

        self._append(ObservationAdded(
            seq=self.seq + 1, scenario_minutes=self._minute(), exercise_seconds=0.0,
            wall=self._clock().isoformat(timespec="seconds"), observation_id=f"{self.evaluator.id}-{self.seq + 1}",
            text=text, author=self.evaluator.id, criteria=tuple(criteria), inject_id=None, decision_id=None))

    def rate(self, criterion_id: str, level: Any, reason: str = "") -> None:
        from krise_ovelse.engine.events import CriterionRated
        from krise_ovelse.model.scenario import Level

        self._append(CriterionRated(
            seq=self.seq + 1, scenario_minutes=self._minute(), exercise_seconds=0.0,
            wall=self._clock().isoformat(timespec="seconds"), criterion_id=criterion_id,
            level=Level(level) if not isinstance(level, Level) else level, reason=reason, by=self.evaluator.id))

    def close(self) -> None:
        self.store.close()
