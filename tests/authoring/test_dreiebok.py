"""The dreiebok a facilitator reads before the exercise."""

from __future__ import annotations

from krise_ovelse.authoring.dreiebok import dreiebok_markdown

from .minimal_scenario import MINIMAL, load


def test_dreiebok_lists_injects_in_order_with_notes_and_decisions() -> None:
    scenario = load(MINIMAL).scenario
    assert scenario is not None
    text = dreiebok_markdown(scenario)
    assert text.index("i01") < text.index("i05") < text.index("i02")  # scheduled first, in time order
    assert "### D+0 08:00 (12.03.2020) · i01 · Regjeringen stenger ned" in text
    assert "**Beslutningspunkt d01** (kommunikasjon, Frist 2 døgn)" in text
    assert "Utløses når `load >= 75 and not daily`" in text
    assert "Følger av valg d01/a (etter 2 døgn)" in text
    assert "Utløses av øvingsleder" in text
    assert "Tillit (`trust`, start 60, skjult for øvingsdeltakerne)" in text


def test_dreiebok_in_english_and_text_is_not_markup() -> None:
    scenario = load(MINIMAL.replace('"Regjeringen stenger ned"', '"<b>Alarm</b> *nå*"')).scenario
    assert scenario is not None
    text = dreiebok_markdown(scenario, "en")
    assert "# Master scenario events list: Mini" in text
    assert r"\<b\>Alarm\</b\> \*nå\*" in text


def test_dreiebok_names_channels_roles_categories_and_indicators_in_its_language() -> None:
    scenario = load(MINIMAL).scenario
    assert scenario is not None
    nb = dreiebok_markdown(scenario, "nb")
    en = dreiebok_markdown(scenario, "en")
    assert "Kanal: nyheter" in nb and "Kanal: news" not in nb and "Channel: news" in en
    assert "(communication," not in nb
    load_name = next(i for i in scenario.indicators if i.id == "load").name
    assert f"*virkning: {load_name.get('nb')} +5" in nb
    assert f"*effects: {load_name.get('en')} +5" in en
    assert "**Decision point d01** (communication, Deadline 2 days)" in en
    assert "1 minutt spill = 12 timer" in nb and "1 minute of play = 12 hours" in en
    assert "(12t)" not in nb and "= 12h" not in nb


def test_dreiebok_names_the_roles_an_inject_goes_to() -> None:
    from pathlib import Path

    from krise_ovelse.authoring import load_scenario

    path = Path(__file__).parents[2] / "scenarios" / "svart-skjerm.yaml"
    scenario = load_scenario(str(path)).scenario
    assert scenario is not None
    text = dreiebok_markdown(scenario, "nb")
    assert "Til: IT-direktør, Beredskapskoordinator" in text
    assert "Til: direktor" not in text and "key_person_load +" not in text


def test_duration_words() -> None:
    from krise_ovelse.authoring.dreiebok import duration_words

    assert duration_words(360, "nb") == "6 timer"
    assert duration_words(60, "nb") == "1 time"
    assert duration_words(1440 + 720, "nb") == "1 døgn 12 timer"
    assert duration_words(2880, "en") == "2 days"
    assert duration_words(0.5, "en") == "0.5 minutes"


def test_dreiebok_lists_each_phase_with_its_summary() -> None:
    from krise_ovelse.authoring.dreiebok import dreiebok_markdown

    from .minimal_scenario import MINIMAL, load

    text = MINIMAL.replace("    ends: D+3\n", "    ends: D+3\n    summary: \"Tre hektiske døgn. *Ingen* rutiner.\"\n")
    assert text != MINIMAL
    scenario = load(text).scenario
    assert scenario is not None
    markdown = dreiebok_markdown(scenario)
    phase_line = next(i for i, line in enumerate(markdown.splitlines()) if line.startswith("- **Akuttfasen**"))
    assert markdown.splitlines()[phase_line + 1] == "  Tre hektiske døgn. \\*Ingen\\* rutiner."
