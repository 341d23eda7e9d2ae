"""The one reading of the wall clock: the current moment in UTC.

The engine never reads it (a clock is passed in, so tests and headless runs are repeatable);
the front ends and the store pass `utc_now`.
"""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    """Now, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)
