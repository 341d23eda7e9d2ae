"""An organisation's client in a national exercise (the evaluator's is in `national.evaluator`).

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
from krise_ovelse.national.setup import CONTROL, load_setup, org_stream, stream_id
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


# The evaluator's client lives in national/evaluator.py; kept importable from here for callers of
# the first version.
from krise_ovelse.national.evaluator import EvaluatorClient as EvaluatorClient  # noqa: E402
