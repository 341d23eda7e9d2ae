"""Scenario and user text as literal Rich `Text`: never parsed as markup.

A title like `[bold]Alarm[/]` or a lone `[/]` must show as typed. Everything the console
shows from a scenario, a participant or the store goes through these helpers, which also pass
it through the one sanitiser (`safetext.neutralise`): an escape sequence in a file is shown as
`␛…` and never reaches the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from krise_ovelse.model.text import Text as ScenarioText
from krise_ovelse.model.timefmt import MINUTES_PER_DAY, format_time
from krise_ovelse.safetext import neutralise
from krise_ovelse.tui.i18n import format_date, language, t


def lit(value: object, style: str = "") -> Text:
    """`value` as literal text (no markup, no emoji codes, no terminal controls)."""
    return Text(neutralise(str(value)), style=style)


def tr(text: ScenarioText | None) -> str:
    """A scenario text in the console's language (falls back to bokmål)."""
    if text is None:
        return ""
    return neutralise(text.get(language()))


def join(*parts: Text | str, sep: str = "") -> Text:
    """Literal concatenation: plain strings are never parsed as markup."""
    out = Text()
    for index, part in enumerate(parts):
        if index and sep:
            out.append(sep)
        if isinstance(part, Text):
            out.append_text(part)
        else:
            out.append(neutralise(part))
    return out


def scenario_time(minutes: float) -> str:
    """`D+3 08:00`."""
    return format_time(int(minutes))


def day_label(minutes: float) -> str:
    return f"D+{int(minutes) // MINUTES_PER_DAY}"


def duration(minutes: float) -> str:
    """`2 d 4 t` / `4 t 30 min` (nb), `4 h 30 min` (en): at most two units."""
    total = max(0, round(minutes))
    days, rest = divmod(total, MINUTES_PER_DAY)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(t("dur.day", n=days))
    if hours:
        parts.append(t("dur.hour", n=hours))
    if mins or not parts:
        parts.append(t("dur.minute", n=mins))
    return " ".join(parts[:2])


def calendar(moment: object) -> str:
    """A calendar date line for a datetime, or ''."""
    import datetime as dt

    if isinstance(moment, dt.datetime):
        return format_date(moment)
    return ""


def compression_words(compression: float) -> str:
    """'1 minutt spill = 6 timer' for a compression of 360 scenario minutes per minute."""
    minutes = compression
    if minutes >= MINUTES_PER_DAY and minutes % MINUTES_PER_DAY == 0:
        amount = t("unit.days", n=int(minutes // MINUTES_PER_DAY))
    elif minutes >= 60 and minutes % 60 == 0:
        amount = t("unit.hours", n=int(minutes // 60))
    elif minutes >= 60:
        amount = t("unit.hours", n=f"{minutes / 60:.1f}")
    else:
        amount = t("unit.minutes", n=f"{minutes:g}")
    return t("clock.compression", amount=amount)


def append_notes(text: Text, notes: str, expected: Sequence[str], criteria: Sequence[str]) -> bool:
    """An inject's facilitator notes, expected actions and criteria appended to `text` (the one
    rendering the notes panel and the inject dialog share); False if it has none."""
    if notes:
        text.append("\n" + t("notes.notes") + " ", style="bold yellow")
        text.append(notes)
    if expected:
        text.append("\n" + t("notes.expected"), style="bold yellow")
        for action in expected:
            text.append("\n  • ")
            text.append(action)
    if criteria:
        text.append("\n" + t("notes.criteria") + " ", style="bold yellow")
        text.append(", ".join(criteria))
    return bool(notes or expected or criteria)
