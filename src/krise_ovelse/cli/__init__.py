"""The `krise-ovelse` command line. Each command group lives in its own module here.

The modules are imported lazily, when one of their commands runs: `krise_ovelse.cli.base.COMMANDS`
says which module defines which command (and carries the help `krise-ovelse --help` shows).
"""

from __future__ import annotations

from krise_ovelse.cli.base import main

__all__ = ["main"]
