"""Texts in one or more languages.

Scenario texts are written in Norwegian bokmål by default; an author may add English. A text is
a plain string in the scenario's language or a map of language codes to strings.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

DEFAULT_LANGUAGE = "nb"
LANGUAGES = ("nb", "en")


@attrs.frozen
class Text:
    """A text keyed by language code; `get` falls back so a missing translation never blanks."""

    values: Mapping[str, str] = attrs.field(factory=dict)

    @classmethod
    def of(cls, value: str, language: str = DEFAULT_LANGUAGE) -> Text:
        return cls({language: value})

    def get(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The text in `language`, else in bokmål, else in any language, else ''."""
        if language in self.values:
            return self.values[language]
        if DEFAULT_LANGUAGE in self.values:
            return self.values[DEFAULT_LANGUAGE]
        return next(iter(self.values.values()), "")

    def has(self, language: str) -> bool:
        return bool(self.values.get(language, "").strip())

    def __bool__(self) -> bool:
        return any(v.strip() for v in self.values.values())

    def __str__(self) -> str:
        return self.get()
