"""What every command check shares: the check and run signatures, text-field checks, lookups that
refuse unknown ids."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from krise_ovelse.engine import commands as commands_module
from krise_ovelse.engine.commands import (
    COMMAND_TYPES,
    Command,
)
from krise_ovelse.engine.events import (
    Event,
)
from krise_ovelse.engine.refusal import refuse
from krise_ovelse.engine.scheduler import Run
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.engine.values import (
    InjectStatus,
)

if TYPE_CHECKING:
    from krise_ovelse.engine.facade import Engine

#: A command check: refuses (raises `CommandRefused`) or returns; never changes anything.
Check = Callable[[ExerciseState, Any, "Engine"], None]
#: A command run: emits the command's events on the scratch `Run`.
Execute = Callable[[Run, Any], None]


def text_fields(cls: type[Command]) -> tuple[tuple[str, bool, bool], ...]:  # pragma: no mutate block (import)
    """(name, optional, is a list) of each text field of a command class (for TEXT_FIELDS, built
    once at import; tests check the table itself)."""
    attrs.resolve_types(cls, vars(commands_module))
    found = []
    for field in attrs.fields(cls):
        if field.type is str:
            found.append((field.name, False, False))
        elif field.type == (str | None):
            found.append((field.name, True, False))
        elif field.type == tuple[str, ...]:
            found.append((field.name, False, True))
    return tuple(found)


def check_text_fields(command: Command) -> None:
    """Text that ends up in events must be text: a None or a number would not round-trip."""
    for name, optional, is_list in TEXT_FIELDS[type(command)]:
        value = getattr(command, name)
        if optional and value is None:
            continue
        items = value if is_list and isinstance(value, tuple | list) else (value,)
        if is_list and not isinstance(value, tuple | list):
            refuse("bad_value", f"{name} must be a list of texts, not {value!r:.40}")
        for item in items:
            if not isinstance(item, str):
                refuse("bad_value", f"{name} must be text, not {item!r:.40}")


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def require_text(value: object, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        refuse("bad_value", f"{what} must not be empty")


def require_running(state: ExerciseState) -> None:
    if not state.running:
        refuse("paused", "the exercise is paused; resume it first")


def inject_index(state: ExerciseState, inject_id: object) -> int:
    index = state.inject_index(inject_id) if isinstance(inject_id, str) else None
    if index is None:
        refuse("unknown_inject", f"there is no inject {inject_id!r}")
    return index


def inject_status(state: ExerciseState, inject_id: object, allowed: tuple[InjectStatus, ...], doing: str) -> None:
    index = inject_index(state, inject_id)
    status = state.injects[index].status
    if status not in allowed:
        wanted = " or ".join(s.value for s in allowed)
        refuse("bad_status", f"cannot {doing} inject {inject_id}: it is {status.value}, not {wanted}")


def decision_option(state: ExerciseState, decision_id: object, option_id: object) -> int:
    index = state.plan.decision_index.get(decision_id) if isinstance(decision_id, str) else None
    if index is None:
        refuse("unknown_decision", f"there is no decision {decision_id!r}")
    decision = state.plan.decisions[index]
    if not isinstance(option_id, str) or decision.option(option_id) is None:
        known = ", ".join(o.id for o in decision.options)
        refuse("unknown_option", f"decision {decision_id} has no option {option_id!r} (options: {known})")
    return index


def require_criterion(engine: Engine, criterion_id: object) -> None:
    require_text(criterion_id, "the criterion id")
    if engine.criteria is not None and criterion_id not in engine.criteria:
        refuse("unknown_criterion", f"there is no criterion {criterion_id!r}")


def _emit_simple(cls: type[Event], fixed: dict[str, Callable[[Any], Any]], run: Run, cmd: Any) -> None:
    run.emit(cls, **{key: getter(cmd) for key, getter in fixed.items()})


def simple(cls: type[Event], **fixed: Callable[[Any], Any]) -> Execute:  # pragma: no mutate block (import)
    """A run that emits one `cls` event with a field per getter. Bound with `partial`, not a
    closure, so that mutation testing reaches the body (a closure is fixed at import)."""
    return functools.partial(_emit_simple, cls, fixed)


def no_check(state: ExerciseState, cmd: Any, engine: Engine) -> None:
    return None


TEXT_FIELDS: dict[type[Command], tuple[tuple[str, bool, bool], ...]] = {
    cls: text_fields(cls) for cls in COMMAND_TYPES
}
