"""Starting, pausing, resuming, speed, mode and ENDEX: commands about the session as a whole.

Each command has a check (refuses with `refuse`, changes nothing) and a run (emits events on
the `Run`); `COMMANDS` below registers the pairs (merged in `krise_ovelse.engine.handlers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from krise_ovelse.engine.commands import (
    Command,
    EndExercise,
    Pause,
    Resume,
    SetMode,
    SetSpeed,
    StartSession,
)
from krise_ovelse.engine.events import (
    ModeChanged,
    Paused,
    Resumed,
    SessionEnded,
    SessionStarted,
    SpeedChanged,
)
from krise_ovelse.engine.handlers.common import (
    Check,
    Execute,
    is_number,
    require_text,
    simple,
)
from krise_ovelse.engine.refusal import refuse
from krise_ovelse.engine.scheduler import Run
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.engine.values import (
    EndReason,
    Mode,
    Participant,
)

if TYPE_CHECKING:
    from krise_ovelse.engine.facade import Engine

#: Real-time speed factors the engine accepts: above 0, at most this.
MAX_SPEED = 100.0


def _check_start(state: ExerciseState, cmd: StartSession, engine: Engine) -> None:
    require_text(cmd.team, "the team name")
    if not isinstance(cmd.participants, tuple | list) or not all(
            isinstance(p, Participant) and isinstance(p.name, str) and isinstance(p.role, str)
            for p in cmd.participants):
        refuse("bad_value", "participants must be a list of Participant(name, role)")
    if not isinstance(cmd.mode, Mode):
        refuse("bad_value", f"unknown mode {cmd.mode!r}")
    if not isinstance(cmd.seed, int) or isinstance(cmd.seed, bool):
        refuse("bad_value", "the seed must be a whole number")
    if not isinstance(cmd.decide_first, bool):
        refuse("bad_value", "decide_first must be true or false")


def _run_start(run: Run, cmd: StartSession) -> None:
    run.emit(SessionStarted, minute=0, seed=cmd.seed, scenario_id=run.plan.scenario.id, team=cmd.team,
             participants=tuple(cmd.participants), facilitator=cmd.facilitator, mode=cmd.mode,
             decide_first=cmd.decide_first)
    run.arrive()


def _check_pause(state: ExerciseState, cmd: Pause, engine: Engine) -> None:
    if not state.running:
        refuse("paused", "the exercise is already paused")


def _check_resume(state: ExerciseState, cmd: Resume, engine: Engine) -> None:
    if state.running:
        refuse("already_running", "the exercise is already running")


def _check_speed(state: ExerciseState, cmd: SetSpeed, engine: Engine) -> None:
    if not is_number(cmd.speed) or not 0 < cmd.speed <= MAX_SPEED:
        refuse("bad_value", f"speed must be above 0 and at most {MAX_SPEED:g}, not {cmd.speed!r}")
    if float(cmd.speed) == state.speed:
        refuse("no_change", f"the speed is already {state.speed:g}")


def _check_mode(state: ExerciseState, cmd: SetMode, engine: Engine) -> None:
    if not isinstance(cmd.mode, Mode):
        refuse("bad_value", f"unknown mode {cmd.mode!r}")
    if cmd.mode is state.mode:
        refuse("no_change", f"the mode is already {state.mode.value}")


def _check_end(state: ExerciseState, cmd: EndExercise, engine: Engine) -> None:
    if not isinstance(cmd.note, str):
        refuse("bad_value", "the note must be text")


COMMANDS: dict[type[Command], tuple[Check, Execute]] = {
    StartSession: (_check_start, _run_start),
    Pause: (_check_pause, simple(Paused)),
    Resume: (_check_resume, simple(Resumed)),
    SetSpeed: (_check_speed, simple(SpeedChanged, speed=lambda c: float(c.speed))),
    SetMode: (_check_mode, simple(ModeChanged, mode=lambda c: c.mode)),
    EndExercise: (_check_end, simple(SessionEnded, reason=lambda c: EndReason.FACILITATOR, note=lambda c: c.note)),
}
