"""Why a command was refused: `CommandRefused` with a stable code, raised by the checks in
`krise_ovelse.engine.handlers` (kept apart so handlers and the facade share it without a cycle)."""

from __future__ import annotations

from typing import NoReturn


class CommandRefused(Exception):
    """The command does not fit the current state; no event was produced.

    `code` is stable (for tests and translations), `reason` a sentence in English for people.
    The last four are the decide-first mode's (docs/engine.md).
    Codes: not_started, already_started, ended, paused, already_running, wrong_mode, bad_value,
    no_change, unknown_command, unknown_phase, backwards, unknown_inject, bad_status,
    unknown_decision, unknown_option, not_open, not_decided, unknown_criterion,
    decide_first, not_decide_first, not_written, already_mapped.
    """

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def refuse(code: str, reason: str) -> NoReturn:
    """Stop a command check: raise `CommandRefused(code, reason)`."""
    raise CommandRefused(code, reason)
