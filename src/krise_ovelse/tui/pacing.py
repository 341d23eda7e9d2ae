"""Pacing: how scenario time maps to real time, and whether the room is on its plan.

Pure arithmetic over the scenario's phases (no Textual, no engine), so the countdowns, the
status line and the pacing view agree, and the tests can check them with plain numbers.

The plan is the scenario played at ×1 without pauses: a phase of `span` scenario minutes at
`compression` scenario minutes per minute of play takes `span / compression` minutes; a jump
between phases takes no time. Real time at speed ×s is plan time / s.
"""

from __future__ import annotations

import math

import attrs

from krise_ovelse.model.scenario import Scenario

#: The speeds the console offers (`+`/`-`).
SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)


@attrs.frozen
class Window:
    """The scenario minutes a phase plays, [start, end), and its compression."""

    index: int
    phase_id: str
    start: int
    end: int
    compression: float


def windows(scenario: Scenario) -> tuple[Window, ...]:
    out = []
    phases = scenario.phases
    for index, phase in enumerate(phases):
        following = phases[index + 1].starts.minutes if index + 1 < len(phases) else scenario.ends.minutes
        end = phase.ends.minutes if phase.ends is not None else following
        out.append(Window(index, phase.id, phase.starts.minutes, max(phase.starts.minutes, end), phase.compression))
    return tuple(out)


def plan_seconds(scenario: Scenario, start: float, end: float) -> float:
    """Seconds of play at ×1 from scenario minute `start` to `end` (jumps take none)."""
    if end <= start:
        return 0.0
    total = 0.0
    for window in windows(scenario):
        low, high = max(start, window.start), min(end, window.end)
        if high > low and window.compression > 0:
            total += (high - low) / window.compression * 60.0
    return total


def real_seconds_until(scenario: Scenario, now: float, target: float, speed: float) -> float:
    """Real seconds until scenario minute `target` at `speed`, if the clock runs on."""
    return plan_seconds(scenario, now, target) / max(speed, 1e-9)


def clock_text(seconds: float) -> str:
    """`1:05:09`, `4:09` or `0:09`: a real-time span, as a wall clock shows it."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@attrs.frozen
class Pacing:
    """Where the exercise stands against its plan (all times in real seconds)."""

    #: Real time since STARTEX, pauses included (None before STARTEX).
    elapsed: float | None
    #: Play time (pauses excluded), as the engine counts it.
    played: float
    plan_total: float
    #: Plan time of the scenario covered so far (what ×1 without pauses would have taken).
    plan_used: float
    phase_id: str
    phase_plan: float
    phase_used: float
    speed: float
    #: Scenario minutes the current phase has left, and the next phase's id (None in the last).
    phase_minutes_left: float
    next_phase: str | None

    @property
    def plan_left(self) -> float:
        return max(0.0, self.plan_total - self.plan_used)

    @property
    def phase_left(self) -> float:
        return max(0.0, self.phase_plan - self.phase_used)

    @property
    def behind(self) -> float:
        """Seconds behind the plan now (negative: ahead): real time spent beyond the plan time
        of what has been played."""
        return 0.0 if self.elapsed is None else self.elapsed - self.plan_used

    @property
    def finish(self) -> float:
        """Real seconds from STARTEX to the scenario's end at the current speed."""
        return (self.elapsed or 0.0) + self.plan_left / max(self.speed, 1e-9)

    @property
    def late(self) -> float:
        """Seconds the exercise would end after its planned play time at the current speed
        (negative: early)."""
        return self.finish - self.plan_total


@attrs.frozen
class Suggestion:
    """What would land the exercise on its planned play time: a speed, or a jump."""

    kind: str  # "on_time", "speed", "jump", "over" (the plan's time is used up), "none"
    speed: float = 1.0
    saves: float = 0.0  # plan seconds a jump skips


#: Within this share of the plan, the exercise counts as on time.
TOLERANCE = 0.05
#: Within this many real seconds of the plan now, the exercise is on plan (neither behind nor ahead).
ON_PLAN_SECONDS = 60.0


def suggest(pacing: Pacing) -> Suggestion:
    """The offered speed nearest (by ratio) to the one that ends the rest on the plan's time; if even ×32 cannot
    (or the plan's time is used up), a jump to the next phase, with the play time it skips."""
    if pacing.elapsed is None or pacing.plan_left <= 0:
        return Suggestion("none")
    remaining = pacing.plan_total - pacing.elapsed
    if abs(pacing.late) <= TOLERANCE * pacing.plan_total:
        return Suggestion("on_time", pacing.speed)
    if remaining > 0:
        needed = pacing.plan_left / remaining
        if needed <= SPEEDS[-1]:
            return Suggestion("speed", min(SPEEDS, key=lambda s: abs(math.log(s / needed))))
    if pacing.next_phase is not None:
        return Suggestion("jump", saves=pacing.phase_left)
    return Suggestion("over")
