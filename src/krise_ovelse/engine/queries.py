"""Read-only questions the console and reports ask of a state (no events, no side effects)."""

from __future__ import annotations

from bisect import bisect_left

import attrs

from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.engine.values import InjectStatus
from krise_ovelse.model.scenario import Scenario, Trigger
from krise_ovelse.model.text import Text


@attrs.frozen
class Upcoming:
    """A pending inject in the facilitator's dreiebok view.

    `due` is the scenario minute it is expected (scheduled time, a scheduled follow-up's due
    time, or a conditional's earliest time), None when it has no time (manual, conditional
    without `at`, ad hoc not yet released). `note` says what it waits for.
    """

    inject_id: str
    title: Text
    kind: Trigger | None  # None for an ad-hoc inject
    due: int | None
    note: str


def upcoming_injects(state: ExerciseState, scenario: Scenario, n: int = 10) -> list[Upcoming]:
    """The next `n` pending injects: timed ones by time, then untimed ones in scenario order."""
    if n <= 0:
        return []
    plan = state.plan
    injects = state.injects
    minute = state.scenario_minutes
    timed: list[tuple[int, int, Upcoming]] = []
    position = bisect_left(plan.schedule_times, minute)
    while position < len(plan.schedule_times) and len(timed) < n:
        index = plan.schedule_indices[position]
        if injects[index].status is InjectStatus.PENDING:
            inj = plan.injects[index]
            timed.append((plan.schedule_times[position], index,
                          Upcoming(inj.id, inj.title, Trigger.SCHEDULED, plan.schedule_times[position], "")))
        position += 1
    for due, index in state.follow_ups:
        inj = plan.injects[index]
        timed.append((due, index, Upcoming(inj.id, inj.title, Trigger.FOLLOW_UP, due, "follow-up of a choice")))
    untimed: list[Upcoming] = []
    for index, inj in enumerate(plan.injects):
        if injects[index].status is not InjectStatus.PENDING:
            continue
        if inj.kind is Trigger.CONDITIONAL and inj.when is not None:
            note = f"when {inj.when.source}"
            if inj.at is not None and inj.at.minutes > minute:
                timed.append((inj.at.minutes, index,
                              Upcoming(inj.id, inj.title, Trigger.CONDITIONAL, inj.at.minutes, note)))
            else:
                untimed.append(Upcoming(inj.id, inj.title, Trigger.CONDITIONAL, None, note))
        elif inj.kind is Trigger.MANUAL:
            untimed.append(Upcoming(inj.id, inj.title, Trigger.MANUAL, None, "released by the facilitator"))
    for offset, adhoc in enumerate(state.adhoc):
        if injects[plan.inject_count + offset].status is InjectStatus.PENDING:
            untimed.append(Upcoming(adhoc.inject_id, Text.of(adhoc.title), None, None, "ad hoc, not yet released"))
    timed.sort(key=lambda entry: (entry[0], entry[1]))
    return ([entry[2] for entry in timed] + untimed)[:n]
