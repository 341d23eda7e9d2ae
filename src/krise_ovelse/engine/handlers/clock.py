"""Moving the clock: ticks (real time), advances (paced) and jumps to a later phase.

Each command has a check (refuses with `refuse`, changes nothing) and a run (emits events on
the `Run`); `COMMANDS` below registers the pairs (merged in `krise_ovelse.engine.handlers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from krise_ovelse.engine.commands import (
    Advance,
    AdvanceToDecision,
    AdvanceToNext,
    Command,
    JumpToPhase,
    Tick,
)
from krise_ovelse.engine.handlers.common import (
    Check,
    Execute,
    is_number,
    require_running,
)
from krise_ovelse.engine.refusal import refuse
from krise_ovelse.engine.scheduler import Run
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.engine.values import (
    JumpReason,
    Mode,
)

if TYPE_CHECKING:
    from krise_ovelse.engine.facade import Engine

#: The longest single tick (a day): longer ones are almost certainly a bug in the caller.
MAX_TICK_SECONDS = 86_400.0


def _check_tick(state: ExerciseState, cmd: Tick, engine: Engine) -> None:
    if state.mode is not Mode.REAL_TIME:
        refuse("wrong_mode", "ticks move the clock only in real-time mode; use advance in paced mode")
    if not is_number(cmd.real_seconds) or not 0 < cmd.real_seconds <= MAX_TICK_SECONDS:
        refuse("bad_value", f"a tick must be between 0 and {MAX_TICK_SECONDS:g} seconds, not {cmd.real_seconds!r}")
    require_running(state)


def _run_tick(run: Run, cmd: Tick) -> None:
    run.tick(float(cmd.real_seconds))


def _check_advance(state: ExerciseState, cmd: Advance, engine: Engine) -> None:
    if not isinstance(cmd.minutes, int) or isinstance(cmd.minutes, bool) or cmd.minutes < 1:
        refuse("bad_value", f"advance by a whole number of minutes above 0, not {cmd.minutes!r}")
    require_running(state)


def _run_advance(run: Run, cmd: Advance) -> None:
    run.advance_to(run.minute + cmd.minutes)


def _check_next(state: ExerciseState, cmd: AdvanceToNext, engine: Engine) -> None:
    limit = cmd.limit
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit <= state.scenario_minutes):
        refuse("bad_value", f"the limit must be a minute after now ({state.scenario_minutes}), not {limit!r}")
    require_running(state)


def _run_next(run: Run, cmd: AdvanceToNext) -> None:
    if run.watch.dirty:
        run.settle()
    stop = run.next_stop()
    run.advance_to(stop if cmd.limit is None else min(stop, cmd.limit), stop)


def _run_to_decision(run: Run, cmd: AdvanceToDecision) -> None:
    run.advance_to(run.plan.ends if cmd.limit is None else cmd.limit, until_decision=True)


def _check_jump(state: ExerciseState, cmd: JumpToPhase, engine: Engine) -> None:
    index = state.plan.phase_index.get(cmd.phase_id) if isinstance(cmd.phase_id, str) else None
    if index is None:
        refuse("unknown_phase", f"there is no phase {cmd.phase_id!r}")
    if index <= state.clock.phase_index:
        refuse("backwards", f"phase {cmd.phase_id} has already started; jumps only go ahead")
    require_running(state)


def _run_jump(run: Run, cmd: JumpToPhase) -> None:
    index = run.plan.phase_index[cmd.phase_id]
    run.jump(run.plan.phase_starts[index], JumpReason.JUMP_TO_PHASE, f"phase {cmd.phase_id}")
    run.arrive()


COMMANDS: dict[type[Command], tuple[Check, Execute]] = {
    Tick: (_check_tick, _run_tick),
    Advance: (_check_advance, _run_advance),
    AdvanceToNext: (_check_next, _run_next),
    AdvanceToDecision: (_check_next, _run_to_decision),
    JumpToPhase: (_check_jump, _run_jump),
}
