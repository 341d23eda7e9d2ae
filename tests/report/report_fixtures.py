"""A small scenario and a hand-built run of it, shared by the report tests (imported by name;
the fixtures are re-exported by tests/report/conftest.py).

The run is written out by hand (not played by the engine) so the golden reports depend only on
scoring and the report code.
"""

from __future__ import annotations

import textwrap

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.report import DocumentControl, SessionMeta
from krise_ovelse.report.facts import FeedbackResponse, HotwashEntry, SessionFacts
from krise_ovelse.scoring import Choice, DecisionRecord, InjectRecord, Observation, Override, Sample, ScoringInput

SCENARIO_YAML = textwrap.dedent(
    """\
    schema_version: 1
    id: rapportprove
    title: {nb: "Stormen – tre uker med hjemmekontor", en: "The Storm – three weeks of home office"}
    summary:
      nb: "Et uvær stenger kontoret. Ledergruppen må informere, prioritere og ta vare på folk."
      en: "A storm closes the office. The leadership group must inform, prioritise and look after people."
    exercise_form: {nb: "Diskusjonsøvelse for ledergruppen", en: "Discussion exercise for the leadership group"}
    goals:
      - text: {nb: "Øve på rask informasjon", en: "Practise rapid information"}
        criteria: [KH-2, DA-4]
      - text: {nb: "Øve på samarbeid med tillitsvalgte", en: "Practise cooperation with the unions"}
        criteria: [KH-4, OE-3]
      - {nb: "Øve på å ta vare på de ansatte", en: "Practise looking after the staff"}
    agency: {name: "Direktoratet for prøver (DFP)", staff: 300}
    roles:
      - {id: dir, name: {nb: Direktør, en: Director}}
      - id: hr
        name: {nb: HR-direktør, en: HR director}
        description: {nb: "Eier personaltiltakene", en: "Owns staff measures"}
    start_date: 2024-02-05
    phases:
      - {id: akutt, title: {nb: Akuttfasen, en: The acute phase}, starts: D+0, compression: 720, ends: D+3}
      - id: lang
        title: {nb: Langvarig drift, en: Prolonged operation}
        starts: D+14
        compression: 1440
        summary: {nb: "To uker senere.", en: "Two weeks later."}
    ends: D+21
    indicators:
      - {id: load, name: {nb: Belastning på nøkkelpersoner, en: Key-person load}, initial: 40, good: low}
      - {id: trust, name: {nb: Tillit, en: Trust}, initial: 60, good: high, visible: false}
    injects:
      - id: i01
        at: D+0 07:00
        channel: news
        from: NRK
        title: {nb: "Uværet stenger kontoret", en: "The storm closes the office"}
        criteria: [KH-2]
      - id: i02
        at: D+1 08:00
        channel: union_rep
        from: Hovedtillitsvalgt
        title: {nb: "Vi må bli hørt", en: "We must be heard"}
      - {id: i03, at: D+14 08:00, channel: sitrep, title: {nb: "Overtid i krisestaben", en: "Overtime"}}
      - {id: i04, trigger: manual, channel: safety_rep, title: {nb: "Verneombudet ringer", en: "The safety rep"}}
    decisions:
      - id: d01
        opens_with: i01
        deadline: 6h
        category: communication
        title: {nb: "Første beskjed", en: "First message"}
        prompt: "Hvordan informerer dere?"
        options:
          - id: a
            text: {nb: "Daglig status kl. 09 og spørrekanal", en: "Daily status at 09 and a question channel"}
            effects: {trust: 10}
            evidence: {KH-2: P, DA-4: S}
          - id: b
            text: {nb: "Vente til vi vet mer", en: "Wait until we know more"}
            effects: {trust: -15}
            evidence: {KH-2: U}
        default: b
      - id: d02
        opens_with: i02
        deadline: 1d
        category: staff_mobility
        title: {nb: "Kundesenteret", en: "The customer centre"}
        prompt: "Hva gjør dere med kundesenteret?"
        options:
          - id: a
            text: {nb: "Drøfte med de tillitsvalgte", en: "Consult the unions"}
            evidence: {KH-4: P, OE-3: S}
            consequence:
              nb: "De tillitsvalgte kaller inn til møte i morgen."
              en: "The unions call a meeting tomorrow."
          - id: b
            text: {nb: "Pålegge flytting", en: "Order a move"}
            effects: {trust: -20}
            evidence: {KH-4: U, OE-3: M}
        default: b
      - id: d03
        opens_with: i03
        deadline: 2d
        category: work_environment
        title: {nb: "Overtid", en: "Overtime"}
        prompt: "Hva gjør dere med overtiden?"
        options:
          - id: a
            text: {nb: "Stedfortredere og fri i helgen", en: "Deputies and the weekend off"}
            effects: {load: -20}
            evidence: {KH-5: P, AM-3: S}
          - {id: b, text: {nb: "Holde ut", en: "Hold out"}, effects: {load: 15}, evidence: {KH-5: M, AM-3: M}}
        default: b
    scoring:
      criteria: [KH-2, KH-4, KH-5, OE-3, AM-3]
      rules:
        - {criterion: KH-5, indicator: load, measure: max, thresholds: {P: 55, S: 65, M: 80}}
        - {criterion: KH-4, indicator: trust, measure: mean, thresholds: {P: 65, S: 55, M: 40}}
    """
)

END = 21 * 1440


def load(text: str = SCENARIO_YAML) -> Scenario:
    result = load_scenario_text(text, "rapportprove.yaml")
    assert result.scenario is not None, result.problems
    return result.scenario


def mixed_run() -> ScoringInput:
    """A run with a bit of everything: a good and a revised decision, a missed deadline, an ad-hoc
    inject, a skipped one, observations and an override."""
    return ScoringInput(
        decisions=(
            DecisionRecord("d01", 2, 420, 30.0, 780, (
                Choice("a", 3, 480, 150.0, rationale="Ærlig om det vi ikke vet", decided_by="Kommunikasjonsdirektør",
                       response_minutes=60, response_seconds=120.0),)),
            DecisionRecord("d02", 6, 1920, 300.0, 3360, (
                Choice("b", 7, 3360, 540.0, missed=True),
                Choice("a", 9, 3420, 560.0, rationale="Vi glemte de tillitsvalgte", decided_by="HR-direktør"))),
            DecisionRecord("d03", 12, 20640, 900.0, 23520, ()),
        ),
        history={
            "load": (Sample(0, 40, 1), Sample(4320, 58, 8), Sample(20160, 58, 11), Sample(23000, 72, 14)),
            "trust": (Sample(0, 60, 1), Sample(480, 60, 3), Sample(480, 70, 3), Sample(3360, 70, 7),
                      Sample(3360, 50, 7)),
        },
        injects=(
            InjectRecord("i01", 1, 420, 30.0),
            InjectRecord("i02", 5, 1920, 300.0),
            InjectRecord("adhoc-1", 10, 4000, 600.0, title="Strømbrudd på regionkontoret", adhoc=True,
                         sender="Regiondirektør Nord", channel="phone", body="Vi har ikke strøm | kan ikke logge på"),
            InjectRecord("i04", 11, 4100, 610.0, skipped=True, reason="Ikke nødvendig: ledergruppen tok det opp selv"),
            InjectRecord("i03", 12, 20640, 900.0),
        ),
        observations=(
            Observation("Direktøren var tydelig om usikkerheten", ("KH-2", "DA-4"), None, "Eva Evaluator", 4, 500),
            Observation("Ledergruppen delegerte til regionene", ("OE-5",), "S", "Eva Evaluator", 13, 21000),
            Observation("Fikk spørsmål om VPN", (), None, "facilitator", 14, 22000),
        ),
        overrides=(Override("OE-3", "S", "Drøftingen kom i gang samme dag", "Eva Evaluator", 15, 24000),
                   Override("KH-5", "M", "bekreftet av evaluator", "facilitator", 16, 24000)),
        start_minutes=0, end_minutes=24000, ended=False)


SESSION = SessionMeta(session_id="s-2024-001", team="Ledergruppen DFP", participants=(
    "Kari Nordmann (Direktør)", "Ola Hansen (HR-direktør)"), facilitator="Liv Øvingsleder", date="2024-03-01")

CONTROL = DocumentControl(date="2024-03-04", version="1.0", status="approved", distribution="Ledergruppen DFP; HR",
                          classification="Ugradert", author="Liv Øvingsleder", approved_by="Direktør Kari Nordmann")

#: What the events of the run would add: wall-clock times with a long discussion at d01, ENDEX
#: not called (the run stopped), a hotwash and two questionnaires.
FACTS = SessionFacts(
    started_wall="2024-03-01T09:00:00+01:00", startex_wall="2024-03-01T09:05:00+01:00",
    last_wall="2024-03-01T11:50:00+01:00", paused_seconds=1500.0, pauses=3, wall_response={"d01": 750.0},
    hotwash=(HotwashEntry("plus", "Rask første beskjed til alle ansatte"),
             HotwashEntry("delta", "Vi glemte de tillitsvalgte i kundesenter-saken"),
             HotwashEntry("takeaway", "Fast drøftingsmøte med de tillitsvalgte første krisedag")),
    feedback=(FeedbackResponse((("useful", "4"), ("realism", "3"), ("role", "5"),
                                ("learned", "Hvor raskt fristene går ut"))),
              FeedbackResponse((("useful", "5"), ("realism", "4"), ("improve", "Mer tid til diskusjon"))),),
    has_events=True)
