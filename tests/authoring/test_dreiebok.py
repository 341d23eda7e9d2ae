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
    assert duration_words(0, "en") == "0 minutes" and duration_words(0, "nb") == "0 minutter"
    assert duration_words(60.5, "nb") == "1 time"  # past an hour, parts of a minute are rounded away
    assert duration_words(60, "de") == "1 time"  # a language without words: bokmål


def test_a_jump_after_the_last_phase_goes_to_the_end() -> None:
    scenario = load(MINIMAL.replace("    compression: 10080\n", "    compression: 10080\n    ends: D+20\n", 1)).scenario
    assert scenario is not None
    assert ("- **Maratonet** — D+14 00:00 (26.03.2020) (1 minutt spill = 1 uke, deretter tidshopp til D+30 00:00 "
            "(11.04.2020))") in dreiebok_markdown(scenario).splitlines()


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


def _replace(old: str, new: str, text: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _translated() -> str:
    """MINIMAL with a summary, a named role, a two-paragraph phase summary and English texts."""
    text = _replace('title: {nb: "Mini", en: "Mini"}\n',
                    'title: {nb: "Mini", en: "Small"}\nsummary: {nb: "Kort øvelse.", en: "A short exercise."}\n'
                    "roles:\n  - {id: leder, name: {nb: Leder, en: Leader}}\n", MINIMAL)
    text = _replace("to: [alle]", "to: [leder, alle]", text)
    text = _replace("    title: Akuttfasen\n", "    title: {nb: Akuttfasen, en: Acute phase}\n"
                    '    summary: {nb: "Første linje.\\n\\nAndre linje.", en: "First line."}\n', text)
    return _replace('    title: "Regjeringen stenger ned"\n',
                    '    title: {nb: "Regjeringen stenger ned", en: "Lockdown"}\n', text)


TRANSLATED_NB = """\
# Dreiebok: Mini

Kort øvelse.

## Faser

- **Akuttfasen** — D+0 00:00 (12.03.2020) (1 minutt spill = 12 timer, deretter tidshopp til D+14 00:00 (26.03.2020))
  Første linje.

  Andre linje.
- **Maratonet** — D+14 00:00 (26.03.2020) (1 minutt spill = 1 uke)
- Øvelsen slutter D+30 00:00 (11.04.2020)

## Indikatorer

- Belastning (`load`, start 40)
- Tillit (`trust`, start 60, skjult for øvingsdeltakerne)

## Planlagte innspill

### D+0 08:00 (12.03.2020) · i01 · Regjeringen stenger ned

Kanal: nyheter · Fra: NRK · Til: Leder, alle

> Alle som kan, skal jobbe hjemmefra.

**Kriterier:** KH-1

**Beslutningspunkt d01** (kommunikasjon, Frist 2 døgn): Hvordan informerer dere?

a. Daglig status — *virkning: Belastning +5, Tillit +10; grunnlag: KH-2 P*
b. Vent — *virkning: Tillit -10; grunnlag: KH-2 U*

*Standardvalg ved fristen: b*

### D+15 09:00 (27.03.2020) · i05 · Status

Kanal: e-post

## Innspill uten fast tidspunkt

### Utløses når `load >= 75 and not daily` · i02 · Nøkkelperson sykmeldt

Kanal: telefon

### Utløses av øvingsleder · i03 · Vi ble ikke drøftet

Kanal: tillitsvalgt · Fra: Hovedtillitsvalgt

### Følger av valg d01/a (etter 2 døgn) · i04 · Oppfølging

Kanal: intranett
"""

TRANSLATED_EN_HEAD = """\
# Master scenario events list: Small

A short exercise.

## Phases

- **Acute phase** — D+0 00:00 (12.03.2020) (1 minute of play = 12 hours, then a jump to D+14 00:00 (26.03.2020))
  First line.
- **Maratonet** — D+14 00:00 (26.03.2020) (1 minute of play = 1 week)
- The exercise ends D+30 00:00 (11.04.2020)

## Indicators

- Load (`load`, initial 40)
- Tillit (`trust`, initial 60, hidden from the team)

## Scheduled injects

### D+0 08:00 (12.03.2020) · i01 · Lockdown

Channel: news · From: NRK · To: Leader, alle
"""


def test_the_whole_dreiebok_in_norwegian() -> None:
    scenario = load(_translated()).scenario
    assert scenario is not None
    assert dreiebok_markdown(scenario) == TRANSLATED_NB
    assert dreiebok_markdown(scenario, "de") == TRANSLATED_NB  # a language without labels: bokmål


def test_the_dreiebok_in_english_takes_the_english_texts() -> None:
    scenario = load(_translated()).scenario
    assert scenario is not None
    assert dreiebok_markdown(scenario, "en").startswith(TRANSLATED_EN_HEAD)


def test_without_a_start_date_times_have_no_dates_and_phases_run_to_the_next() -> None:
    four = ("phases:\n  - {id: a, title: A, starts: D+0, compression: 720}\n"
            "  - {id: b, title: B, starts: D+5, compression: 1, ends: D+5 08:00}\n"
            "  - {id: c, title: C, starts: D+10, compression: 720}\n"
            "  - {id: d, title: D, starts: D+14, compression: 10080}\n")
    text = _replace(MINIMAL[MINIMAL.index("phases:"):MINIMAL.index("ends: D+30")], four, MINIMAL)
    text = _replace("drift: {akutt: 3/week, lang: 2/week}", "drift: {a: 3/week}", text)
    text = _replace("start_date: 2020-03-12\n", "", text)
    text = _replace('    title: "Status"\n', "    title: 'Status: C:\\Felles\\X'\n", text)
    scenario = load(text).scenario
    assert scenario is not None
    lines = dreiebok_markdown(scenario).splitlines()
    assert lines[4:9] == [
        "- **A** — D+0 00:00 (1 minutt spill = 12 timer)",
        "- **B** — D+5 00:00 (1 minutt spill = 1 minutt, deretter tidshopp til D+10 00:00)",
        "- **C** — D+10 00:00 (1 minutt spill = 12 timer)",
        "- **D** — D+14 00:00 (1 minutt spill = 1 uke)",
        "- Øvelsen slutter D+30 00:00",
    ]
    assert "### D+0 08:00 · i01 · Regjeringen stenger ned" in lines
    assert "### D+15 09:00 · i05 · Status: C:\\\\Felles\\\\X" in lines  # a backslash is not markup either


def _translated_in_full() -> str:
    """_translated() with every text an inject and a decision can have, in both languages, and
    options with effects, evidence, both and neither."""
    text = _replace(
        '    body: "Alle som kan, skal jobbe hjemmefra."\n',
        '    body: {nb: "Alle som kan, skal jobbe hjemmefra.\\n\\nSkolene stenger.",\n'
        '           en: "Everyone who can must work from home.\\n\\nSchools close."}\n'
        '    facilitator_notes: {nb: "Les opp *rolig*.", en: "Read it out *calmly*."}\n'
        "    expected_actions:\n"
        "      - {nb: Kalle inn kriseledelsen, en: Convene the crisis management team}\n"
        "      - {nb: Informere de ansatte, en: Inform the staff}\n",
        _translated(),
    )
    text = _replace("criteria: [KH-1]", "criteria: [KH-1, KH-2]", text)
    text = _replace('prompt: "Hvordan informerer dere?"',
                    'prompt: {nb: "Hvordan informerer dere?", en: "How do you inform?"}', text)
    text = _replace('text: "Daglig status"', 'text: {nb: "Daglig status", en: "Daily status"}', text)
    text = _replace('text: "Vent"', 'text: {nb: "Vent", en: "Wait"}', text)
    text = _replace("evidence: {KH-2: P}", "evidence: {KH-2: P, KH-5: S}", text)
    text = _replace("        evidence: {KH-2: U}\n",
                    "      - {id: c, text: {nb: Utsett, en: Postpone}, evidence: {KH-2: M}}\n"
                    "      - {id: d, text: {nb: Ingenting, en: Nothing}}\n", text)
    return _replace('    title: "Nøkkelperson sykmeldt"\n',
                    '    title: {nb: "Nøkkelperson sykmeldt", en: "Key person on sick leave"}\n'
                    '    body: {nb: "Hun er borte i to uker.", en: "She is away for two weeks."}\n', text)


# The head is the same as the smaller translated scenario's; the rest has every text in English.
TRANSLATED_FULL_EN = TRANSLATED_EN_HEAD + """\

> Everyone who can must work from home.
>
> Schools close.

**For the facilitator:** Read it out \\*calmly\\*.

**Expected actions:**
- Convene the crisis management team
- Inform the staff

**Criteria:** KH-1, KH-2

**Decision point d01** (communication, Deadline 2 days): How do you inform?

a. Daily status — *effects: Load +5, Tillit +10; evidence: KH-2 P, KH-5 S*
b. Wait — *effects: Tillit -10*
c. Postpone — *evidence: KH-2 M*
d. Nothing

*Default at the deadline: b*

### D+15 09:00 (27.03.2020) · i05 · Status

Channel: e-mail

## Injects without a fixed time

### Released when `load >= 75 and not daily` · i02 · Key person on sick leave

Channel: phone

> She is away for two weeks.

### Released by the facilitator · i03 · Vi ble ikke drøftet

Channel: union rep · From: Hovedtillitsvalgt

### Follows from choosing d01/a (after 2 days) · i04 · Oppfølging

Channel: intranet
"""


def test_the_whole_dreiebok_in_english() -> None:
    """Every text in English where the scenario has one (body, notes, expected actions, prompt,
    options), Norwegian where it has not; the labels, channels, categories and units in English."""
    scenario = load(_translated_in_full()).scenario
    assert scenario is not None
    assert dreiebok_markdown(scenario, "en") == TRANSLATED_FULL_EN
    norwegian = dreiebok_markdown(scenario)
    assert "> Alle som kan, skal jobbe hjemmefra.\n>\n> Skolene stenger." in norwegian
    assert "**Til øvingsleder:** Les opp \\*rolig\\*." in norwegian
    assert "- Kalle inn kriseledelsen\n- Informere de ansatte" in norwegian
    assert "c. Utsett — *grunnlag: KH-2 M*\nd. Ingenting\n" in norwegian


def test_a_follow_up_names_every_choice_that_brings_it_and_its_delay_if_any() -> None:
    effects = "        effects: {trust: -10}\n"
    both = _replace(effects, effects + "        follow_up: [i04]\n", MINIMAL)
    scenario = load(both).scenario
    assert scenario is not None
    assert "### Følger av valg d01/a, d01/b (etter 2 døgn) · i04 · Oppfølging" in dreiebok_markdown(scenario)
    at_once = load(_replace("    after: 2d\n", "", MINIMAL)).scenario
    assert at_once is not None
    assert "### Følger av valg d01/a · i04 · Oppfølging" in dreiebok_markdown(at_once).splitlines()
