"""The dreiebok a facilitator reads before the exercise."""

from __future__ import annotations

from minimal_scenario import MINIMAL, load

from krise_ovelse.authoring.dreiebok import dreiebok_markdown


def test_dreiebok_lists_injects_in_order_with_notes_and_decisions() -> None:
    scenario = load(MINIMAL).scenario
    assert scenario is not None
    text = dreiebok_markdown(scenario)
    assert text.index("i01") < text.index("i05") < text.index("i02")  # scheduled first, in time order
    assert "### D+0 08:00 (12.03.2020) · i01 · Regjeringen stenger ned" in text
    assert "**Beslutningspunkt d01** (communication, Frist 2d)" in text
    assert "a. Daglig status — *virkning: load +5, trust +10; evidens: KH-2 P*" in text
    assert "Utløses når `load >= 75 and not daily`" in text
    assert "Følger av valg d01/a (etter 2d)" in text
    assert "Utløses av øvingsleder" in text
    assert "Tillit (`trust`, start 60, skjult for laget)" in text


def test_dreiebok_in_english_and_text_is_not_markup() -> None:
    scenario = load(MINIMAL.replace('"Regjeringen stenger ned"', '"<b>Alarm</b> *nå*"')).scenario
    assert scenario is not None
    text = dreiebok_markdown(scenario, "en")
    assert "# Master scenario events list: Mini" in text
    assert r"\<b\>Alarm\</b\> \*nå\*" in text
