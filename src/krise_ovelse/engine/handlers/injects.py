"""The facilitator and injects: release, acknowledge, mark done, skip, add an ad-hoc inject.

Each command has a check (refuses with `refuse`, changes nothing) and a run (emits events on
the `Run`); `COMMANDS` below registers the pairs (merged in `krise_ovelse.engine.handlers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from krise_ovelse.engine.commands import (
    AcknowledgeInject,
    AddAdhocInject,
    Command,
    MarkInjectDone,
    PresentInject,
    ReleaseInject,
    SkipInject,
)
from krise_ovelse.engine.events import (
    AdhocInjectAdded,
    InjectAcknowledged,
    InjectDone,
    InjectPresented,
    InjectSkipped,
)
from krise_ovelse.engine.handlers.common import (
    Check,
    Execute,
    inject_status,
    require_text,
    simple,
)
from krise_ovelse.engine.refusal import refuse
from krise_ovelse.engine.scheduler import Run
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.engine.values import (
    InjectStatus,
    ReleaseSource,
)
from krise_ovelse.model.scenario import Channel

if TYPE_CHECKING:
    from krise_ovelse.engine.facade import Engine

def _check_release(state: ExerciseState, cmd: ReleaseInject, engine: Engine) -> None:
    inject_status(state, cmd.inject_id, (InjectStatus.PENDING,), "release")


def _run_release(run: Run, cmd: ReleaseInject) -> None:
    index = run.state.inject_index(cmd.inject_id)
    assert index is not None
    run.release(index, ReleaseSource.FACILITATOR, cmd.by)
    run.settle()


def _check_ack(state: ExerciseState, cmd: AcknowledgeInject, engine: Engine) -> None:
    inject_status(state, cmd.inject_id, (InjectStatus.RELEASED,), "acknowledge")


def _check_done(state: ExerciseState, cmd: MarkInjectDone, engine: Engine) -> None:
    inject_status(state, cmd.inject_id, (InjectStatus.RELEASED, InjectStatus.ACKNOWLEDGED), "mark done")


def _check_skip(state: ExerciseState, cmd: SkipInject, engine: Engine) -> None:
    inject_status(state, cmd.inject_id, (InjectStatus.PENDING,), "skip")
    require_text(cmd.reason, "the reason for skipping")


def _check_adhoc(state: ExerciseState, cmd: AddAdhocInject, engine: Engine) -> None:
    require_text(cmd.title, "the title")
    if not isinstance(cmd.channel, Channel):
        refuse("bad_value", f"unknown channel {cmd.channel!r}")


def _run_adhoc(run: Run, cmd: AddAdhocInject) -> None:
    number = len(run.state.adhoc) + 1
    while f"adhoc-{number}" in run.plan.reserved_ids or run.state.inject_index(f"adhoc-{number}") is not None:
        number += 1
    inject_id = f"adhoc-{number}"
    run.emit(AdhocInjectAdded, inject_id=inject_id, title=cmd.title, body=cmd.body, channel=cmd.channel,
             sender=cmd.sender, to=tuple(cmd.to), by=cmd.by)
    if cmd.release:
        run.release(len(run.state.injects) - 1, ReleaseSource.FACILITATOR, cmd.by)
        run.settle()


def _check_present(state: ExerciseState, cmd: PresentInject, engine: Engine) -> None:
    if cmd.inject_id is not None:
        inject_status(state, cmd.inject_id, (InjectStatus.RELEASED, InjectStatus.ACKNOWLEDGED, InjectStatus.DONE),
                      "present")
    if cmd.inject_id == state.presented:
        refuse("no_change", "that is already on the team's screen")


COMMANDS: dict[type[Command], tuple[Check, Execute]] = {
    PresentInject: (_check_present, simple(InjectPresented, inject_id=lambda c: c.inject_id, by=lambda c: c.by)),
    ReleaseInject: (_check_release, _run_release),
    AcknowledgeInject: (_check_ack, simple(InjectAcknowledged, inject_id=lambda c: c.inject_id, by=lambda c: c.by)),
    MarkInjectDone: (_check_done, simple(InjectDone, inject_id=lambda c: c.inject_id, by=lambda c: c.by)),
    SkipInject: (_check_skip, simple(InjectSkipped, inject_id=lambda c: c.inject_id, reason=lambda c: c.reason,
                                     by=lambda c: c.by)),
    AddAdhocInject: (_check_adhoc, _run_adhoc),
}
