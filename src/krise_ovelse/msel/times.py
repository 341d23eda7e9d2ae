"""The time column of an MSEL: when each inject comes, as spreadsheets write it.

    D+2 09:00        D+2 H+3 M+30      D+2            (relative to D+0)
    2023-08-06 10:00 (a date cell)     45144.4167     (absolute: needs the start date)
    manuell / manual                   oppfølging 2d / follow-up 2d
    når: load > 70 / when: load > 70   D+2 09:00 når: load > 70

The result is a `Release`: a scenario time, or a trigger, or both (`at` and `when`).
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from krise_ovelse.model.timefmt import (
    MAX_DAYS,
    MINUTES_PER_DAY,
    TimeFormatError,
    format_duration,
    format_time,
    parse_duration,
    parse_time,
)

_RELATIVE = re.compile(r"\s*D\s*\+\s*([0-9]{1,5})(?:\s+H\s*\+\s*([0-9]{1,3}))?(?:\s+M\s*\+\s*([0-9]{1,5}))?\s*$",
                       re.IGNORECASE)
_WHEN = re.compile(r"^(?P<at>.*?)\s*\b(?:når|when)\s*:\s*(?P<cond>.+)$", re.IGNORECASE | re.DOTALL)
_FOLLOW = re.compile(r"^\s*(?:oppfølging|follow[-_ ]?up)\b\s*(?P<after>.*)$", re.IGNORECASE)
_MANUAL = re.compile(r"^\s*(?:manuell|manual|manuelt)\s*$", re.IGNORECASE)

#: The words `msel export` writes, per language.
WORDS = {"nb": {"manual": "manuell", "follow_up": "oppfølging", "when": "når"},
         "en": {"manual": "manual", "follow_up": "follow-up", "when": "when"}}

TIME_HINT = ("write D+n HH:MM (D+2 09:00), D+n H+h M+m, a date and time with --start, "
             "'manuell', 'oppfølging 2d' or 'når: <condition>'")


@attrs.frozen
class Release:
    at: int | None = None  # scenario minutes
    trigger: str | None = None  # "manual" | "follow_up"
    after: str | None = None  # a duration, for follow-ups
    when: str | None = None


class TimeCellError(ValueError):
    def __init__(self, message: str, hint: str = TIME_HINT) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _from_datetime(value: dt.datetime, start: dt.date | None) -> int:
    if start is None:
        raise TimeCellError(f"{value:%Y-%m-%d %H:%M} is a calendar time",
                            "give the date of D+0 with --start YYYY-MM-DD, or write D+n HH:MM")
    minutes = round((value - dt.datetime.combine(start, dt.time())).total_seconds() / 60)
    if minutes < 0:
        raise TimeCellError(f"{value:%Y-%m-%d %H:%M} is before the start date {start}",
                            "give an earlier --start, or fix the date")
    if minutes > MAX_DAYS * MINUTES_PER_DAY:
        raise TimeCellError(f"{value:%Y-%m-%d %H:%M} is more than {MAX_DAYS} days after the start", "")
    return minutes


def _serial(value: float, start: dt.date | None) -> int:
    """An Excel serial date (days since 1899-12-30, fractions for the time of day)."""
    if not 1 <= value < 2_958_466:  # up to 9999-12-31
        raise TimeCellError(f"the number {value:g} is no time", TIME_HINT)
    from openpyxl.utils.datetime import from_excel

    moment = from_excel(value)
    assert isinstance(moment, dt.datetime)
    return _from_datetime(moment, start)


def parse_release(value: object, start: dt.date | None) -> Release:
    """The release of one row's time cell; TimeCellError says what is wrong."""
    if isinstance(value, dt.datetime):
        return Release(at=_from_datetime(value, start))
    if isinstance(value, dt.date):
        return Release(at=_from_datetime(dt.datetime.combine(value, dt.time()), start))
    if isinstance(value, bool):
        raise TimeCellError("true/false is no time")
    if isinstance(value, int | float):
        return Release(at=_serial(float(value), start))
    if not isinstance(value, str) or not value.strip():
        raise TimeCellError("the time is empty")
    text = value.strip()
    if _MANUAL.match(text):
        return Release(trigger="manual")
    follow = _FOLLOW.match(text)
    if follow:
        after = follow.group("after").strip()
        if not after:
            return Release(trigger="follow_up")
        try:
            return Release(trigger="follow_up", after=format_duration(parse_duration(after).minutes))
        except TimeFormatError as exc:
            raise TimeCellError(f"bad delay {after!r}: {exc.message}", "e.g. oppfølging 2d") from None
    when = _WHEN.match(text)
    if when:
        at = when.group("at").strip()
        return Release(at=_point(at, start) if at else None, when=when.group("cond").strip())
    return Release(at=_point(text, start))


def _point(text: str, start: dt.date | None) -> int:
    relative = _RELATIVE.match(text)
    if relative:
        days, hours, minutes = (int(g) if g else 0 for g in relative.groups())
        total = days * MINUTES_PER_DAY + hours * 60 + minutes
        if days > MAX_DAYS or total > MAX_DAYS * MINUTES_PER_DAY:
            raise TimeCellError(f"{text!r} is more than {MAX_DAYS} days after D+0")
        return total
    try:
        return parse_time(text).minutes
    except TimeFormatError:
        pass
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise TimeCellError(f"bad time {text[:40]!r}") from None
    return _from_datetime(moment, start)


def format_release(at: int | None, trigger: str | None, after: str | None, when: str | None, lang: str) -> str:
    """What `msel export` writes in the time column (parse_release reads it back)."""
    words = WORDS["en" if lang == "en" else "nb"]
    if trigger == "manual":
        return words["manual"]
    if trigger == "follow_up":
        return f"{words['follow_up']} {after}" if after else words["follow_up"]
    if when is not None:
        return (f"{format_time(at)} " if at is not None else "") + f"{words['when']}: {when}"
    assert at is not None
    return format_time(at)
