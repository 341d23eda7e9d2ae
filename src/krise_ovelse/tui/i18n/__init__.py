"""The console's message catalogue: every UI string, in bokmål (default) and English.

`t(key, **values)` looks the key up in the current language and fills in `{name}` fields.
Scenario texts are not here: they come from the scenario (`Text.get(language())`).
The catalogues are plain dicts (`nb.MESSAGES`, `en.MESSAGES`); a test checks that they have
the same keys and the same `{fields}`, and that every key the console uses exists.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping

from krise_ovelse.tui.i18n import en, nb

CATALOGUES: Mapping[str, Mapping[str, str]] = {"nb": nb.MESSAGES, "en": en.MESSAGES}
LANGUAGES: tuple[str, ...] = tuple(CATALOGUES)
DEFAULT = "nb"

_current = DEFAULT


def set_language(lang: str) -> None:
    """Choose the language of the UI (unknown codes fall back to bokmål)."""
    global _current
    _current = lang if lang in CATALOGUES else DEFAULT


def language() -> str:
    return _current


def t(key: str, /, **values: object) -> str:
    """The message `key` in the current language, with `{fields}` filled in.

    A missing key shows as the key itself (never a crash in front of an audience); the
    catalogue test makes sure that does not ship.
    """
    text = CATALOGUES[_current].get(key)
    if text is None:
        text = CATALOGUES[DEFAULT].get(key, key)
    if values:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def has(key: str) -> bool:
    return key in CATALOGUES[_current]


def fields(text: str) -> set[str]:
    """The `{names}` a message expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def format_date(moment: dt.datetime) -> str:
    """'tirsdag 5. nov. 2024' / 'Tuesday 5 Nov 2024' in the current language."""
    weekday = t(f"weekday.{moment.weekday()}")
    month = t(f"month.{moment.month}")
    return t("date.format", weekday=weekday, day=moment.day, month=month, year=moment.year)


def format_number(value: float, decimals: int = 0) -> str:
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if _current == "nb" else text
