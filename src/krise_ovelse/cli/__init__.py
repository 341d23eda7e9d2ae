"""The `krise-ovelse` command line. Each command group lives in its own module here."""

from __future__ import annotations

from krise_ovelse.cli import authoring_cmds as _authoring_cmds  # noqa: F401  (registers commands)
from krise_ovelse.cli import console_cmds as _console_cmds  # noqa: F401  (registers commands)
from krise_ovelse.cli import run_cmd as _run_cmd  # noqa: F401  (registers commands)
from krise_ovelse.cli import session_cmds as _session_cmds  # noqa: F401  (registers commands)
from krise_ovelse.cli.base import main

__all__ = ["main"]
