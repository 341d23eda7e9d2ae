"""The one message catalogue: every fixed text that console, CLI, scoring and report show, in
bokmål (the default) and English.

Where messages live: `nb.py` / `en.py` (console, CLI, compare, scoring, event descriptions; keys
like `area.name`) and `report.py` (the after-action report's tables `NB` / `EN`, looked up here
as `report.<key>`). `CATALOGUES[lang]` is the merged map; `tests/test_messages.py` checks that
every key exists in every language with the same `{fields}`.

`text(lang, key, **values)` fills in `{fields}`; `Messages(lang, prefix)` is a view for one area
(`m["title"]`); `format_number` writes decimal commas in bokmål. Pure Python (no textual): the
console's `tui.i18n.t` only adds the app's current language.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from types import MappingProxyType

from krise_ovelse.messages import en, nb, report

LANGUAGES: tuple[str, ...] = ("nb", "en")
DEFAULT = "nb"


def _merge(main: Mapping[str, str], report_table: Mapping[str, str]) -> Mapping[str, str]:
    merged = dict(main)
    merged.update((f"report.{key}", value) for key, value in report_table.items())
    return MappingProxyType(merged)


CATALOGUES: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "nb": _merge(nb.MESSAGES, report.NB),
    "en": _merge(en.MESSAGES, report.EN),
})


def normalise(lang: str | None) -> str:
    """A known language code (anything else: bokmål)."""
    return lang if lang is not None and lang in CATALOGUES else DEFAULT


def text(lang: str, key: str, /, **values: object) -> str:
    """The message `key` in `lang`, with `{fields}` filled in.

    A key missing in `lang` falls back to bokmål, then to the key itself (never a crash in front
    of an audience); the catalogue test makes sure that does not ship.
    """
    found = CATALOGUES[normalise(lang)].get(key)
    if found is None:
        found = CATALOGUES[DEFAULT].get(key, key)
    if values:
        try:
            return found.format(**values)
        except (KeyError, IndexError, ValueError):
            return found
    return found


def has(lang: str, key: str) -> bool:
    return key in CATALOGUES[normalise(lang)]


class Messages:
    """The messages of one language and area: `m["title"]` is `text(lang, prefix + "title")`."""

    def __init__(self, lang: str = DEFAULT, prefix: str = "") -> None:
        self.lang = normalise(lang)
        self.prefix = prefix
        self._table = CATALOGUES[self.lang]

    def __getitem__(self, key: str) -> str:
        full = self.prefix + key
        found = self._table.get(full)
        if found is None:
            found = CATALOGUES[DEFAULT][full]  # KeyError: a key no language has is a bug
        return found

    def __call__(self, key: str, /, **values: object) -> str:
        return text(self.lang, self.prefix + key, **values)

    def has(self, key: str) -> bool:
        return self.prefix + key in self._table


def fields(message: str) -> set[str]:
    """The `{names}` a message expects."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def format_number(value: float, decimals: int = 0, lang: str = DEFAULT) -> str:
    """`value` with `decimals` decimals: a decimal comma in bokmål, a point in English."""
    written = f"{value:.{decimals}f}"
    return written.replace(".", ",") if normalise(lang) == "nb" else written


def format_date(moment: dt.datetime, lang: str = DEFAULT) -> str:
    """'tirsdag 5. nov. 2024' / 'Tuesday 5 Nov 2024'."""
    weekday = text(lang, f"weekday.{moment.weekday()}")
    month = text(lang, f"month.{moment.month}")
    return text(lang, "date.format", weekday=weekday, day=moment.day, month=month, year=moment.year)
