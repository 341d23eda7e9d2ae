"""The console's view of the message catalogue (`krise_ovelse.messages`): the app's language.

`t(key, **values)` is `messages.text(language(), key, **values)`; the console sets the language
once (`set_language`). Scenario texts are not here: they come from the scenario
(`Text.get(language())`). New messages go into `krise_ovelse/messages/nb.py` and `en.py`.
"""

from __future__ import annotations

import datetime as dt

from krise_ovelse import messages
from krise_ovelse.messages import CATALOGUES, DEFAULT, LANGUAGES, fields

__all__ = ["CATALOGUES", "DEFAULT", "LANGUAGES", "fields", "format_date", "format_number", "has", "language",
           "set_language", "t"]

_current = DEFAULT


def set_language(lang: str) -> None:
    """Choose the language of the UI (unknown codes fall back to bokmål)."""
    global _current
    _current = messages.normalise(lang)


def language() -> str:
    return _current


def t(key: str, /, **values: object) -> str:
    """The message `key` in the console's language, with `{fields}` filled in."""
    return messages.text(_current, key, **values)


def has(key: str) -> bool:
    return messages.has(_current, key)


def format_date(moment: dt.datetime) -> str:
    """'tirsdag 5. nov. 2024' / 'Tuesday 5 Nov 2024' in the console's language."""
    return messages.format_date(moment, _current)


def format_number(value: float, decimals: int = 0) -> str:
    return messages.format_number(value, decimals, _current)
