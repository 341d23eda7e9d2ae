"""The ratings table for the terminal (`format_ratings`, `headline`), line for line in both
languages: what a facilitator reads after `run --play` or `report --format text`. The full text
is compared so a changed word, mark, column or count shows up (issue #12, item 6: these lines
were untested, so any change to them survived mutation testing)."""

# ruff: noqa: E501  (the expected tables keep their long lines)

from __future__ import annotations

import attrs
import pytest

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.scoring import Observation, Override, ScoringInput, ScoringResult, format_ratings, score
from krise_ovelse.scoring.text import format_mean, headline

from .test_ratings import SCENARIO, strong_run, weak_run


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    loaded = load_scenario_text(SCENARIO, "ratingprove.yaml")
    assert loaded.scenario is not None
    return loaded.scenario


def reviewed_run() -> ScoringInput:
    """A strong run the evaluators worked on: an override, a plain confirmation by the
    facilitator, a dispute, a reconciliation by the lead, an observation that is only context."""
    return attrs.evolve(
        strong_run(),
        overrides=(Override("KH-5", "M", "For mye overtid", "Eva", seq=20),
                   Override("KH-2", "P", "bekreftet av evaluator", "facilitator", seq=21),
                   Override("OE-3", "S", "", "Eva", seq=22), Override("OE-3", "M", "", "Ola", seq=23),
                   Override("AM-3", "S", "", "Eva", seq=24), Override("AM-3", "P", "", "Ola", seq=25)),
        reconciliations=(Override("AM-3", "P", "Ola så mer", "Kari", seq=26),),
        observations=(Observation("Bare kontekst", ("KH-4",), None, "Eva", seq=27),),
        evaluators=(("Eva", False), ("Ola", False), ("Kari", True)))


def passive_run() -> ScoringInput:
    """Every deadline missed; overrides without a name or reason, by the facilitator, and a
    confirmation with a reason of its own."""
    return attrs.evolve(
        weak_run(),
        overrides=(Override("KH-5", "M", "", "facilitator", seq=20), Override("KH-2", "M", "", "", seq=21),
                   Override("KH-4", "U", "Enig: lite dialog", "Eva", seq=22)))


def test_a_reviewed_run_in_bokmal(scenario: Scenario) -> None:
    assert format_ratings(score(scenario, reviewed_run()), "nb") == REVIEWED_NB


def test_a_reviewed_run_in_english_with_narrow_names(scenario: Scenario) -> None:
    assert format_ratings(score(scenario, reviewed_run()), "en", width=20) == REVIEWED_EN_NARROW


def test_a_passive_run_in_bokmal(scenario: Scenario) -> None:
    assert format_ratings(score(scenario, passive_run()), "nb") == PASSIVE_NB


def test_a_passive_run_in_english_without_evidence(scenario: Scenario) -> None:
    assert format_ratings(score(scenario, passive_run()), "en", evidence=False) == PASSIVE_EN_SHORT


def test_the_defaults_are_bokmal_with_evidence(scenario: Scenario) -> None:
    result = score(scenario, reviewed_run())
    assert format_ratings(result) == REVIEWED_NB
    assert headline(result) == REVIEWED_NB.splitlines()[2:4]
    assert format_mean(3.25) == "3,25"


def test_an_unknown_language_reads_as_bokmal(scenario: Scenario) -> None:
    result = score(scenario, passive_run())
    assert format_ratings(result, "xx") == PASSIVE_NB
    assert headline(result, "xx") == headline(result, "nb") == PASSIVE_NB.splitlines()[2:5]


def test_nothing_rated_shows_dashes(scenario: Scenario) -> None:
    result: ScoringResult = attrs.evolve(score(scenario, passive_run()), index=None, strengths=(), improvements=())
    table = format_ratings(result, "en", evidence=False)
    assert table.splitlines()[-1] == ("Index (a summary, not a grade): – / 100 "
                                      "(comparable with runs of the same scenario only)")
    assert "Areas for improvement" not in table and "Strengths" not in table
    assert format_mean(None, "en") == format_mean(None) == "–"
    assert format_mean(1.5, "en") == "1.50"


REVIEWED_NB = """\
Vurdering mot suksesskriteriene
===============================
Nivåfordeling: P 3  S 3  M 1  U 0  N/O 1
Gjennomgått av evaluator: 3 av 7; 3 er forslag; 1 er omstridt mellom evaluatorene

KH Krisehåndtering: S (3,25)
  KH-2   Rutiner for kommunikasjon og informasjonsdeling              P
         P   d01 «Første beskjed»: valgte a – «Daglig status og spørrekanal»
         Bekreftet av evaluator
  KH-3   Rask omstillings- og beslutningsevne                         S  (forslag)
         S   Alle 3 beslutninger ble tatt innen fristen
  KH-4   Samarbeid mellom ledelse og tillitsvalgte                    P  (forslag)
         P   d02 «Kundesenteret»: valgte a – «Drøfte med de tillitsvalgte»
         P   Tidsvektet gjennomsnitt av «Tillit» var 69,8 (P ≥ 65, S ≥ 55, M ≥ 40)
         ·   Observasjon (Eva): «Bare kontekst»
  KH-5   Utholdenhet i kriseorganisasjonen og avlastning av nøkk…   P→M  (overstyrt)
         P   d03 «Overtid»: valgte a – «Stedfortredere»
         P   Høyeste verdi av «Belastning» var 52 (P ≤ 55, S ≤ 65, M ≤ 80)
         Overstyrt (Eva) → M: For mye overtid

OE Omstillingsevne: S (3,00)
  OE-3   Intern mobilitet og fordeling av arbeidsmengde               S  (uenige)
         S   d02 «Kundesenteret»: valgte a – «Drøfte med de tillitsvalgte»
         Evaluatorer: Eva S, Ola M

DA Nye digitale arbeidsformer og møteplasser: S (3,00)
  DA-4   Synlig ledelse gjennom digitale allmøter                     S  (forslag)
         S   d01 «Første beskjed»: valgte a – «Daglig status og spørrekanal»

AM Arbeidsmiljø og HMS: P (4,00)
  AM-3   Oppfølging av ansatte og forebygging av langvarig fravær   S→P  (samordnet)
         S   d03 «Overtid»: valgte a – «Stedfortredere»
         Evaluatorer: Eva S, Ola P
         Samordnet av hovedevaluator (Kari) til P: Ola så mer

EGEN EGEN: N/O (–)
  EGEN-1 Eget kriterium                                             N/O

Indeks (oppsummering, ikke karakter): 76,2 / 100 (kan bare sammenlignes med gjennomføringer av samme scenario)

Styrker:
  P KH-2 Rutiner for kommunikasjon og informasjonsdeling (utført uten utfordringer)
  P KH-4 Samarbeid mellom ledelse og tillitsvalgte (utført uten utfordringer, forslag)
  P AM-3 Oppfølging av ansatte og forebygging av langvarig fravær (utført uten utfordringer)
  S KH-3 Rask omstillings- og beslutningsevne (utført med noen utfordringer, forslag)
  S OE-3 Intern mobilitet og fordeling av arbeidsmengde (utført med noen utfordringer, forslag)
  S DA-4 Synlig ledelse gjennom digitale allmøter (utført med noen utfordringer, forslag)
Forbedringspunkter:
  M KH-5 Utholdenhet i kriseorganisasjonen og avlastning av nøkkelpersoner (utført med store utfordringer)
  S KH-3 Rask omstillings- og beslutningsevne (utført med noen utfordringer, forslag)
  S OE-3 Intern mobilitet og fordeling av arbeidsmengde (utført med noen utfordringer, forslag)
  S DA-4 Synlig ledelse gjennom digitale allmøter (utført med noen utfordringer, forslag)"""

REVIEWED_EN_NARROW = """\
Ratings against the success criteria
====================================
Levels: P 3  S 3  M 1  U 0  N/O 1
Reviewed by an evaluator: 3 of 7; 3 are suggestions; 1 disputed between the evaluators

KH Crisis management: S (3.25)
  KH-2   Routines for commun…     P
         P   d01 “Første beskjed”: chose a – “Daglig status og spørrekanal”
         Confirmed by the evaluator
  KH-3   Rapid adaptation an…     S  (suggestion)
         S   All 3 decisions were made before their deadline
  KH-4   Cooperation between…     P  (suggestion)
         P   d02 “Kundesenteret”: chose a – “Drøfte med de tillitsvalgte”
         P   Time-weighted mean of “Trust” was 69.8 (P ≥ 65, S ≥ 55, M ≥ 40)
         ·   Observation (Eva): “Bare kontekst”
  KH-5   Endurance of the cr…   P→M  (overridden)
         P   d03 “Overtid”: chose a – “Stedfortredere”
         P   Highest value of “Load” was 52 (P ≤ 55, S ≤ 65, M ≤ 80)
         Overridden (Eva) → M: For mye overtid

OE Adaptability: S (3.00)
  OE-3   Internal mobility a…     S  (disputed)
         S   d02 “Kundesenteret”: chose a – “Drøfte med de tillitsvalgte”
         Evaluators: Eva S, Ola M

DA New digital ways of working and meeting places: S (3.00)
  DA-4   Visible leadership …     S  (suggestion)
         S   d01 “Første beskjed”: chose a – “Daglig status og spørrekanal”

AM Working environment and HSE: P (4.00)
  AM-3   Following up staff …   S→P  (reconciled)
         S   d03 “Overtid”: chose a – “Stedfortredere”
         Evaluators: Eva S, Ola P
         Reconciled by the lead evaluator (Kari) to P: Ola så mer

EGEN EGEN: N/O (–)
  EGEN-1 Own criterion          N/O

Index (a summary, not a grade): 76.2 / 100 (comparable with runs of the same scenario only)

Strengths:
  P KH-2 Routines for communication and information sharing (performed without challenges)
  P KH-4 Cooperation between management and union representatives (performed without challenges, suggestion)
  P AM-3 Following up staff and preventing long-term absence (performed without challenges)
  S KH-3 Rapid adaptation and decision-making (performed with some challenges, suggestion)
  S OE-3 Internal mobility and workload distribution (performed with some challenges, suggestion)
  S DA-4 Visible leadership through digital all-staff meetings (performed with some challenges, suggestion)
Areas for improvement:
  M KH-5 Endurance of the crisis organisation and relief for key people (performed with major challenges)
  S KH-3 Rapid adaptation and decision-making (performed with some challenges, suggestion)
  S OE-3 Internal mobility and workload distribution (performed with some challenges, suggestion)
  S DA-4 Visible leadership through digital all-staff meetings (performed with some challenges, suggestion)"""

PASSIVE_NB = """\
Vurdering mot suksesskriteriene
===============================
Nivåfordeling: P 0  S 0  M 4  U 2  N/O 1
Gjennomgått av evaluator: 3 av 6; 3 er forslag
Ledergruppen tok ingen beslutninger selv: alle frister gikk ut.

KH Krisehåndtering: U (1,50)
  KH-2   Rutiner for kommunikasjon og informasjonsdeling            U→M  (overstyrt)
         U   d01 «Første beskjed»: fristen gikk ut, standardvalget b – «Vente til vi vet mer» ble brukt
         Overstyrt → M
  KH-3   Rask omstillings- og beslutningsevne                         U  (forslag)
         U   d01 «Første beskjed»: ikke besluttet innen fristen, standardvalget ble brukt (mer enn halvparten ble ikke tatt i tide: 3 av 3)
         U   d02 «Kundesenteret»: ikke besluttet innen fristen, standardvalget ble brukt (mer enn halvparten ble ikke tatt i tide: 3 av 3)
         U   d03 «Overtid»: ikke besluttet innen fristen, standardvalget ble brukt (mer enn halvparten ble ikke tatt i tide: 3 av 3)
  KH-4   Samarbeid mellom ledelse og tillitsvalgte                    U
         U   d02 «Kundesenteret»: fristen gikk ut, standardvalget b – «Pålegge flytting» ble brukt
         U   Tidsvektet gjennomsnitt av «Tillit» var 27,6 (P ≥ 65, S ≥ 55, M ≥ 40)
         Bekreftet av evaluator (Eva): Enig: lite dialog
  KH-5   Utholdenhet i kriseorganisasjonen og avlastning av nøkk…   U→M  (overstyrt)
         M   d03 «Overtid»: fristen gikk ut, standardvalget b – «Holde ut» ble brukt
         U   Høyeste verdi av «Belastning» var 85 (P ≤ 55, S ≤ 65, M ≤ 80)
         Overstyrt (øvingsleder) → M

OE Omstillingsevne: M (2,00)
  OE-3   Intern mobilitet og fordeling av arbeidsmengde               M  (forslag)
         M   d02 «Kundesenteret»: fristen gikk ut, standardvalget b – «Pålegge flytting» ble brukt

AM Arbeidsmiljø og HMS: M (2,00)
  AM-3   Oppfølging av ansatte og forebygging av langvarig fravær     M  (forslag)
         M   d03 «Overtid»: fristen gikk ut, standardvalget b – «Holde ut» ble brukt

EGEN EGEN: N/O (–)
  EGEN-1 Eget kriterium                                             N/O

Indeks (oppsummering, ikke karakter): 22,2 / 100 (kan bare sammenlignes med gjennomføringer av samme scenario)

Forbedringspunkter:
  U KH-3 Rask omstillings- og beslutningsevne (ikke utført, forslag)
  U KH-4 Samarbeid mellom ledelse og tillitsvalgte (ikke utført)
  M KH-2 Rutiner for kommunikasjon og informasjonsdeling (utført med store utfordringer)
  M KH-5 Utholdenhet i kriseorganisasjonen og avlastning av nøkkelpersoner (utført med store utfordringer)
  M OE-3 Intern mobilitet og fordeling av arbeidsmengde (utført med store utfordringer, forslag)
  M AM-3 Oppfølging av ansatte og forebygging av langvarig fravær (utført med store utfordringer, forslag)"""

PASSIVE_EN_SHORT = """\
Ratings against the success criteria
====================================
Levels: P 0  S 0  M 4  U 2  N/O 1
Reviewed by an evaluator: 3 of 6; 3 are suggestions
The team took no decision itself: every deadline passed.

KH Crisis management: U (1.50)
  KH-2   Routines for communication and information sharing         U→M  (overridden)
  KH-3   Rapid adaptation and decision-making                         U  (suggestion)
  KH-4   Cooperation between management and union representatives     U
  KH-5   Endurance of the crisis organisation and relief for key…   U→M  (overridden)

OE Adaptability: M (2.00)
  OE-3   Internal mobility and workload distribution                  M  (suggestion)

AM Working environment and HSE: M (2.00)
  AM-3   Following up staff and preventing long-term absence          M  (suggestion)

EGEN EGEN: N/O (–)
  EGEN-1 Own criterion                                              N/O

Index (a summary, not a grade): 22.2 / 100 (comparable with runs of the same scenario only)

Areas for improvement:
  U KH-3 Rapid adaptation and decision-making (unable to be performed, suggestion)
  U KH-4 Cooperation between management and union representatives (unable to be performed)
  M KH-2 Routines for communication and information sharing (performed with major challenges)
  M KH-5 Endurance of the crisis organisation and relief for key people (performed with major challenges)
  M OE-3 Internal mobility and workload distribution (performed with major challenges, suggestion)
  M AM-3 Following up staff and preventing long-term absence (performed with major challenges, suggestion)"""
