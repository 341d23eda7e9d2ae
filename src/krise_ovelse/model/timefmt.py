"""Scenario time notation: points (`D+3 08:00`), durations (`2d`, `1w 12h`) and rates (`3/week`).

Scenario time is counted in whole minutes from D+0 00:00. These parsers raise `TimeFormatError`
with the offset of the bad character so the loader can point at the column inside the string.
"""

from __future__ import annotations

import re

import attrs

from krise_ovelse.model.errors import FieldFormatError

MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
UNIT_MINUTES = {"m": 1, "min": 1, "h": MINUTES_PER_HOUR, "d": MINUTES_PER_DAY, "w": MINUTES_PER_WEEK}
RATE_UNITS = {"day": 1.0, "week": 7.0, "month": 30.0}
#: The longest span a scenario may describe (ten years): times and durations past it are refused,
#: so no later date arithmetic (calendar dates, the dreiebok, the console's clock) can overflow.
MAX_DAYS = 3650
MAX_MINUTES = MAX_DAYS * MINUTES_PER_DAY
#: The largest drift per day; a larger one is a typing mistake, and it keeps arithmetic finite.
MAX_RATE = 1_000_000.0


class TimeFormatError(FieldFormatError):
    """A time, duration or rate that does not parse."""

    code = "E-TIME"


@attrs.frozen(order=True)
class ScenarioTime:
    """A point in scenario time, in minutes since D+0 00:00."""

    minutes: int

    @property
    def day(self) -> int:
        return self.minutes // MINUTES_PER_DAY

    def __str__(self) -> str:
        return format_time(self.minutes)


@attrs.frozen(order=True)
class Duration:
    """A span of scenario time in minutes."""

    minutes: int

    def __str__(self) -> str:
        return format_duration(self.minutes)


@attrs.frozen
class Rate:
    """A drift rate, stored per day of scenario time."""

    per_day: float

    def __str__(self) -> str:
        return f"{self.per_day * 7:+g}/week"


# re.ASCII: `\d` is 0-9 only (otherwise `D+١` would be read as D+1) and `\s` plain white space.
_TIME = re.compile(r"\s*D\s*([+-])\s*(\d{1,9})(?:\s+(\d{1,2}):(\d{2}))?\s*$", re.ASCII)
_DURATION_PART = re.compile(r"\s*(\d{1,9}(?:\.\d{1,9})?)\s*(min|m|h|d|w)\b", re.IGNORECASE | re.ASCII)
_RATE = re.compile(r"\s*([+-]?\d{1,9}(?:\.\d{1,9})?)\s*/\s*(day|week|month)\s*$", re.ASCII)

_ASCII_SPACE = " \t\n\r\f\v"

TIME_HINT = "write D+n or D+n HH:MM, e.g. D+3 08:00"
DURATION_HINT = "write a number and a unit: 30m, 4h, 2d, 1w, or combined like 1d 12h"
RATE_HINT = "write a change per day, week or month, e.g. 3/week or -0.5/day"


def parse_time(text: str) -> ScenarioTime:
    match = _TIME.match(text)
    if match is None:
        offset = 0 if not text.lstrip().startswith("D") else len(text) - len(text.lstrip())
        raise TimeFormatError(f"bad scenario time {text!r}", _first_bad(text, offset), TIME_HINT)
    sign, days, hours, minutes = match.groups()
    if sign == "-":
        raise TimeFormatError("scenario time before D+0", match.start(1), TIME_HINT)
    if int(days) > MAX_DAYS:
        raise TimeFormatError(f"D+{int(days)} is too far: at most D+{MAX_DAYS} (ten years)", match.start(2),
                              TIME_HINT)
    total = int(days) * MINUTES_PER_DAY
    if hours is not None:
        if int(hours) > 23 or int(minutes) > 59:
            raise TimeFormatError(f"no such clock time {hours}:{minutes}", match.start(3),
                                  "clock times run from 00:00 to 23:59; 24:00 is 00:00 the next day")
        total += int(hours) * MINUTES_PER_HOUR + int(minutes)
    return ScenarioTime(total)


def _first_bad(text: str, start: int) -> int:
    expected = re.compile(r"\s*D\s*[+-]?\s*\d*")
    match = expected.match(text)
    return match.end() if match else start


def parse_duration(text: str) -> Duration:
    pos = 0
    total = 0.0
    stripped = text.rstrip(_ASCII_SPACE)  # as the parts' regex reads white space: ASCII only
    if not stripped.strip(_ASCII_SPACE):
        raise TimeFormatError("empty duration", 0, DURATION_HINT)
    while pos < len(stripped):
        match = _DURATION_PART.match(stripped, pos)
        if match is None:
            raise TimeFormatError(f"bad duration {text!r}", pos + _skip_space(stripped, pos), DURATION_HINT)
        total += float(match.group(1)) * UNIT_MINUTES[match.group(2).lower()]
        pos = match.end()
    if total <= 0:
        raise TimeFormatError("a duration must be longer than zero", 0, DURATION_HINT)
    if total > MAX_MINUTES:
        raise TimeFormatError(f"a duration of at most {MAX_DAYS} days (ten years)", 0, DURATION_HINT)
    if abs(total - round(total)) > 1e-6:
        raise TimeFormatError(f"{text.strip()!r} is not a whole number of minutes", 0,
                              "scenario time counts whole minutes: write e.g. 1.5h or 90m, not 0.5m")
    return Duration(round(total))


def _skip_space(text: str, pos: int) -> int:
    return len(text[pos:]) - len(text[pos:].lstrip())


def parse_rate(text: str) -> Rate:
    match = _RATE.match(text)
    if match is None:
        raise TimeFormatError(f"bad rate {text!r}", 0, RATE_HINT)
    per_day = float(match.group(1)) / RATE_UNITS[match.group(2)]
    if abs(per_day) > MAX_RATE:
        raise TimeFormatError(f"a drift of at most {MAX_RATE:,.0f} per day", match.start(1), RATE_HINT)
    return Rate(per_day)


def format_time(minutes: int) -> str:
    day, rest = divmod(minutes, MINUTES_PER_DAY)
    hours, mins = divmod(rest, MINUTES_PER_HOUR)
    return f"D+{day} {hours:02d}:{mins:02d}"


def format_duration(minutes: int) -> str:
    parts = []
    for unit, size in (("w", MINUTES_PER_WEEK), ("d", MINUTES_PER_DAY), ("h", MINUTES_PER_HOUR), ("m", 1)):
        count, minutes = divmod(minutes, size)
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "0m"
