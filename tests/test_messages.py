"""The one message catalogue (`krise_ovelse.messages`): complete in every language, with the same
`{fields}`, and the lookups console, CLI and report share."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from krise_ovelse import messages
from krise_ovelse.messages import CATALOGUES, LANGUAGES, Messages, en, fields, nb, report


def test_every_key_exists_in_every_language_with_the_same_fields() -> None:
    keys = set(CATALOGUES["nb"])
    assert len(keys) > 400
    for lang in LANGUAGES:
        table = CATALOGUES[lang]
        assert set(table) == keys, (lang, sorted(keys ^ set(table))[:10])
        for key in keys:
            assert table[key].strip() or key.endswith(("dash",)), (lang, key)
            assert fields(table[key]) == fields(CATALOGUES["nb"][key]), (lang, key)


def test_every_format_string_is_well_formed() -> None:
    for lang in LANGUAGES:
        for message in CATALOGUES[lang].values():
            values = {name: "x" for name in fields(message)}
            message.format(**values)  # raises on a stray brace


def test_the_area_tables_are_merged_without_collisions() -> None:
    assert len(CATALOGUES["nb"]) == len(nb.MESSAGES) + len(report.NB)
    assert len(CATALOGUES["en"]) == len(en.MESSAGES) + len(report.EN)
    assert messages.text("en", "report.title") == report.EN["title"]


def test_lookup_fills_fields_and_falls_back_to_bokmal() -> None:
    assert messages.text("en", "compare.revised_n", n=3) == " (revised 3 times)"
    assert messages.text("nb", "compare.revised_n", n=3) == " (endret 3 ganger)"
    assert messages.text("xx", "compare.revised_n", n=3) == " (endret 3 ganger)"
    assert messages.text("en", "no.such.key") == "no.such.key"
    assert messages.text("en", "compare.revised_n") == en.MESSAGES["compare.revised_n"]  # no values: as is


def test_an_area_view_reads_its_prefix() -> None:
    m = Messages("en", "report.")
    assert (m.lang, m["title"], m.has("title"), m.has("app.title")) == ("en", "After-action report", True, False)
    assert Messages("sv").lang == "nb"
    with pytest.raises(KeyError):
        m["no_such_key"]


def test_numbers_and_dates_follow_the_language() -> None:
    assert messages.format_number(2.5, 1, "nb") == "2,5"
    assert messages.format_number(2.5, 1, "en") == "2.5"
    moment = dt.datetime(2024, 11, 5, tzinfo=dt.UTC)
    assert messages.format_date(moment, "nb") == "tirsdag 5. nov. 2024"
    assert messages.format_date(moment, "en") == "Tuesday 5 Nov 2024"



# Issue #11: one word for the group that plays. In bokmål that is "ledergruppen" (the people:
# "øvingsdeltakerne"); "laget" here and "teamet" there read like a translation. The noun's forms
# are matched as whole words ("lagre", "lagring" are other words); the imperative "lag" (make) is
# caught too, which is intended: next to "Ledergruppe" it would read as the noun.
TEAM_NOUN = re.compile(r"\b(lag|laget|lagets|lagene|lagenes|lagvindu\w*|team|teamet|teamets|teamene)\b",
                       re.IGNORECASE)
NORWEGIAN_TABLES = {"nb": nb.MESSAGES, "report.nb": report.NB}


def _team_words(value: str) -> list[str]:
    """The team nouns in a message, leaving out `{fields}` and the identifier in `--view team`."""
    prose = re.sub(r"\{\w*\}", "", value).replace("--view team", "")
    return TEAM_NOUN.findall(prose)


@pytest.mark.parametrize("table", sorted(NORWEGIAN_TABLES))
def test_the_bokmal_texts_call_the_team_ledergruppen(table: str) -> None:
    found = {key: value for key, value in NORWEGIAN_TABLES[table].items() if _team_words(value)}
    assert not found, found


def test_the_team_term_check_catches_the_old_words_only() -> None:
    for old in ("Lagets navn", "Vis for laget", "På lagets skjerm: {id}", "med ett lag;", "teamet tok ingen",
                "Lag:", "Et lagvindu (--view team)"):
        assert _team_words(old), old
    for fine in ("Lagre", "Lagrede økter", "lagring", "Ledergruppen", "økta startet for {team}",
                 "Et vindu for ledergruppen (--view team)"):
        assert not _team_words(fine), fine
