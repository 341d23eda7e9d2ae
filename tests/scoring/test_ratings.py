"""score(): criteria in play, strong vs weak runs, findings, roll-ups, the JSON form, the table."""

from __future__ import annotations

import json
import textwrap

import attrs
import pytest

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.model.scenario import Level, Scenario
from krise_ovelse.scoring import (
    Choice,
    DecisionRecord,
    FindingKind,
    Observation,
    Override,
    Sample,
    ScoringInput,
    ScoringResult,
    format_ratings,
    input_from_dict,
    input_to_dict,
    result_from_dict,
    result_to_dict,
    score,
)
from krise_ovelse.scoring.inputs import InjectRecord, InputFormatError
from krise_ovelse.scoring.levels import VALUES
from krise_ovelse.scoring.serialize import ResultFormatError

P, S, M, U, NO = Level.P, Level.S, Level.M, Level.U, Level.NO

SCENARIO = textwrap.dedent(
    """\
    schema_version: 1
    id: ratingprove
    title: {nb: "Ratingprøve", en: "Rating test"}
    phases:
      - {id: akutt, title: Akutt, starts: D+0, compression: 720, ends: D+3}
      - {id: lang, title: Lang, starts: D+14, compression: 1440}
    ends: D+21
    indicators:
      - {id: load, name: {nb: Belastning, en: Load}, initial: 40, good: low}
      - {id: trust, name: {nb: Tillit, en: Trust}, initial: 60, good: high}
    injects:
      - {id: i01, at: D+0 08:00, channel: news, title: "Stengt"}
      - {id: i02, at: D+1 08:00, channel: union_rep, title: "Tillitsvalgte"}
      - {id: i03, at: D+14 08:00, channel: sitrep, title: "Overtid"}
    decisions:
      - id: d01
        opens_with: i01
        deadline: 6h
        category: communication
        title: "Første beskjed"
        prompt: "Hvordan informerer dere?"
        options:
          - {id: a, text: "Daglig status og spørrekanal", effects: {trust: 10}, evidence: {KH-2: P, DA-4: S}}
          - {id: b, text: "Vente til vi vet mer", effects: {trust: -15, load: 10}, evidence: {KH-2: U}}
        default: b
      - id: d02
        opens_with: i02
        deadline: 1d
        category: staff_mobility
        title: "Kundesenteret"
        prompt: "Hva gjør dere med kundesenteret?"
        options:
          - {id: a, text: "Drøfte med de tillitsvalgte", evidence: {KH-4: P, OE-3: S}}
          - {id: b, text: "Pålegge flytting", effects: {trust: -20}, evidence: {KH-4: U, OE-3: M}}
        default: b
      - id: d03
        opens_with: i03
        deadline: 2d
        category: work_environment
        title: "Overtid"
        prompt: "Hva gjør dere med overtiden?"
        options:
          - {id: a, text: "Stedfortredere", effects: {load: -20}, evidence: {KH-5: P, AM-3: S}}
          - {id: b, text: "Holde ut", effects: {load: 15}, evidence: {KH-5: M, AM-3: M}}
        default: b
    scoring:
      criteria: [KH-2, KH-4, KH-5, OE-3, AM-3, EGEN-1]
      own_criteria:
        - {id: EGEN-1, theme: EGEN, name: {nb: "Eget kriterium", en: "Own criterion"}}
      rules:
        - {criterion: KH-5, indicator: load, measure: max, thresholds: {P: 55, S: 65, M: 80}}
        - {criterion: KH-4, indicator: trust, measure: mean, thresholds: {P: 65, S: 55, M: 40}}
    """
)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    result = load_scenario_text(SCENARIO, "ratingprove.yaml")
    assert result.scenario is not None, result.problems
    return result.scenario


END = 21 * 1440


def strong_run() -> ScoringInput:
    """Every decision in time, the good option; load stays low, trust rises."""
    return ScoringInput(
        decisions=(
            DecisionRecord("d01", 2, 480, choices=(Choice("a", 3, 540, rationale="Ærlig om usikkerheten"),)),
            DecisionRecord("d02", 5, 1920, choices=(Choice("a", 6, 2100),)),
            DecisionRecord("d03", 9, 20640, choices=(Choice("a", 10, 21000),)),
        ),
        history={
            "load": (Sample(0, 40, 1), Sample(4320, 52, 4), Sample(21000, 52, 10), Sample(21000, 32, 10)),
            "trust": (Sample(0, 60, 1), Sample(540, 60, 3), Sample(540, 70, 3)),
        },
        end_minutes=END, ended=True)


def weak_run() -> ScoringInput:
    """Every deadline missed, every default applied; load climbs, trust falls."""
    return ScoringInput(
        decisions=(
            DecisionRecord("d01", 2, 480, choices=(Choice("b", 3, 840, missed=True),)),
            DecisionRecord("d02", 5, 1920, choices=(Choice("b", 6, 3360, missed=True),)),
            DecisionRecord("d03", 9, 20640, choices=(Choice("b", 10, 23520, missed=True),)),
        ),
        history={
            "load": (Sample(0, 40, 1), Sample(840, 48, 3), Sample(840, 58, 3), Sample(23520, 70, 9),
                     Sample(23520, 85, 10)),
            "trust": (Sample(0, 60, 1), Sample(840, 60, 3), Sample(840, 45, 3), Sample(3360, 45, 6),
                      Sample(3360, 25, 6)),
        },
        end_minutes=END, ended=True)


# --- criteria in play ------------------------------------------------------------------------


def test_criteria_in_play_are_the_scenarios_plus_any_with_evidence(scenario: Scenario) -> None:
    result = score(scenario, strong_run())
    ids = [r.criterion for r in result.ratings]
    # catalogue order, then the scenario's own criteria
    assert ids == ["KH-2", "KH-3", "KH-4", "KH-5", "OE-3", "DA-4", "AM-3", "EGEN-1"]
    assert result.rating("KH-3").in_scenario is False  # in play through timeliness evidence
    assert result.rating("EGEN-1").final is NO
    assert result.rating("EGEN-1").theme == "EGEN"
    assert [t.id for t in result.themes] == ["KH", "OE", "DA", "AM", "EGEN"]


def test_an_empty_run_rates_only_the_rules(scenario: Scenario) -> None:
    result = score(scenario, ScoringInput())
    finals = {r.criterion: r.final for r in result.ratings}
    assert finals == {"KH-2": NO, "KH-4": S, "KH-5": P, "OE-3": NO, "AM-3": NO, "EGEN-1": NO}


# --- strong vs weak --------------------------------------------------------------------------


def test_strong_run_rates_higher_than_weak_run(scenario: Scenario) -> None:
    strong, weak = score(scenario, strong_run()), score(scenario, weak_run())
    for rating in strong.ratings:
        if rating.final is NO:
            continue
        if weak.has_rating(rating.criterion):
            assert VALUES[rating.final] >= VALUES.get(weak.rating(rating.criterion).final, 0), rating.criterion
    assert strong.index is not None and weak.index is not None
    assert strong.index > weak.index
    assert {r.criterion: r.final for r in strong.ratings if r.final is not NO} == {
        "KH-2": P, "KH-3": S, "KH-4": P, "KH-5": P, "OE-3": S, "DA-4": S, "AM-3": S}
    assert {r.criterion: r.final for r in weak.ratings if r.final is not NO} == {
        "KH-2": U, "KH-3": U, "KH-4": U, "KH-5": U, "OE-3": M, "AM-3": M}
    # an S is done with room to do better: it is an area for improvement too; nothing below S is
    assert {f.criterion for f in strong.improvements} == {"KH-3", "OE-3", "DA-4", "AM-3"}
    assert all(f.level is S and not f.reviewed for f in strong.improvements)
    assert weak.strengths == ()
    assert [f.criterion for f in weak.improvements] == ["KH-2", "KH-3", "KH-4", "KH-5", "OE-3", "AM-3"]  # U first


def test_weak_run_kh4_evidence_traces_option_and_rule(scenario: Scenario) -> None:
    rating = score(scenario, weak_run()).rating("KH-4")
    sources = [(e.source.value, e.level) for e in rating.evidence]
    assert sources == [("option", U), ("rule", U)]
    assert rating.evidence[0].seq == 6
    assert rating.evidence[1].indicator == "trust"


# --- findings --------------------------------------------------------------------------------


def test_strengths_carry_supporting_evidence_and_descriptor(scenario: Scenario) -> None:
    result = score(scenario, strong_run())
    strength = next(f for f in result.strengths if f.criterion == "KH-2")
    assert strength.kind is FindingKind.STRENGTH
    assert strength.level is P
    assert [e.level for e in strength.evidence] == [P]
    assert strength.descriptor.has("nb") and strength.descriptor.has("en")
    assert strength.summary("nb").startswith("KH-2 Rutiner for kommunikasjon og informasjonsdeling: P")
    assert "Grunnlag: d01 «Første beskjed»: valgte a" in strength.summary("nb")
    assert "Evidence: d01 “Første beskjed”: chose a" in strength.summary("en")
    # strengths best first
    assert [VALUES[f.level] for f in result.strengths] == sorted((VALUES[f.level] for f in result.strengths),
                                                                 reverse=True)


def test_improvements_carry_evidence_against_and_the_target(scenario: Scenario) -> None:
    finding = next(f for f in score(scenario, weak_run()).improvements if f.criterion == "KH-5")
    assert finding.kind is FindingKind.IMPROVEMENT
    assert [(e.source.value, e.level) for e in finding.evidence] == [("option", M), ("rule", U)]
    assert finding.target.has("nb")
    assert finding.description.has("en")


def test_an_override_moves_a_criterion_between_findings(scenario: Scenario) -> None:
    record = weak_run()
    record = ScoringInput(decisions=record.decisions, history=record.history, end_minutes=END,
                          overrides=(Override("KH-5", S, "Teamet avlastet i praksis", "Eva", seq=20),))
    result = score(scenario, record)
    assert result.rating("KH-5").suggested is U
    assert result.rating("KH-5").final is S
    improvement = next(f for f in result.improvements if f.criterion == "KH-5")
    assert improvement.level is S and improvement.reviewed  # an S still leaves room to do better
    assert result.rating("KH-5").status.value == "overridden"
    strength = next(f for f in result.strengths if f.criterion == "KH-5")
    assert strength.evidence == ()  # nothing at P/S: the evaluator's reason carries it
    assert strength.note == "Teamet avlastet i praksis"


def test_observation_levels_count(scenario: Scenario) -> None:
    record = ScoringInput(observations=(Observation("Tydelig mandat", ("KH-1",), "P", "Eva", seq=4),
                                        Observation("Bare kontekst", ("KH-2",), None, "Eva", seq=5)))
    result = score(scenario, record)
    assert result.rating("KH-1").final is P
    assert result.rating("KH-2").final is NO
    assert len(result.rating("KH-2").context) == 1


# --- roll-ups and the index ------------------------------------------------------------------


def test_theme_and_learning_point_roll_ups(scenario: Scenario) -> None:
    result = score(scenario, weak_run())
    kh = next(t for t in result.themes if t.id == "KH")
    assert kh.rated == ("KH-2", "KH-3", "KH-4", "KH-5")
    assert kh.mean == pytest.approx(1.0)
    assert kh.level is U
    da = next(t for t in result.themes if t.id == "DA")
    assert da.level is NO and da.mean is None
    assert [p.id for p in result.learning_points] == [f"LP-{n}" for n in range(1, 8)]
    lp1 = next(p for p in result.learning_points if p.id == "LP-1")
    assert "KH-3" in lp1.rated


def test_index_is_comparable_within_the_scenario(scenario: Scenario) -> None:
    strong = score(scenario, strong_run())
    # P, S, P, P, S, S, S over 7 rated: mean (4*3 + 3*4)/7
    assert strong.index == pytest.approx(round(((4 * 3 + 3 * 4) / 7 - 1) / 3 * 100, 1))
    counts = strong.counts()
    assert counts == {"P": 3, "S": 4, "M": 0, "U": 0, "N/O": 1}


# --- the JSON form ---------------------------------------------------------------------------


def test_json_form_round_trips_and_is_stable(scenario: Scenario) -> None:
    record = weak_run()
    record = ScoringInput(decisions=record.decisions, history=record.history, end_minutes=END,
                          overrides=(Override("KH-5", S, "ok", "Eva", seq=20),),
                          observations=(Observation("obs", ("KH-2",), None, "Eva", seq=21),))
    result = score(scenario, record)
    data = result_to_dict(result)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    again = result_to_dict(result_from_dict(json.loads(text)))
    assert json.dumps(again, ensure_ascii=False, sort_keys=True) == text
    assert data["format"] == "krise-ovelse/ratings" and data["version"] == 2
    kh5 = next(c for c in data["criteria"] if c["id"] == "KH-5")
    assert kh5["suggested"] == "U" and kh5["final"] == "S"
    assert kh5["override"] == {"level": "S", "reason": "ok", "by": "Eva", "seq": 20, "minutes": None}
    assert set(kh5["evidence"][0]) == {"criterion", "level", "counted", "source", "reason", "seq", "minutes",
                                       "decision", "option", "indicator", "measure", "value", "author"}
    assert kh5["explain"]["en"].startswith("Median of")


def test_the_same_run_gives_the_same_json(scenario: Scenario) -> None:
    one = json.dumps(result_to_dict(score(scenario, strong_run())), sort_keys=True)
    two = json.dumps(result_to_dict(score(scenario, strong_run())), sort_keys=True)
    assert one == two


@pytest.mark.parametrize(
    "data",
    [{}, {"format": "x"}, {"format": "krise-ovelse/ratings", "version": 99},
     {"format": "krise-ovelse/ratings", "version": 1, "criteria": [{"id": "KH-2"}]}, []],
)
def test_result_from_dict_refuses_other_data(data: object) -> None:
    with pytest.raises(ResultFormatError):
        result_from_dict(data)  # type: ignore[arg-type]


def test_scoring_input_round_trips() -> None:
    record = ScoringInput(
        decisions=(DecisionRecord("d01", 2, 480, 12.5, 840, (Choice("a", 3, 540, 30.0, rationale="r",
                                                                        decided_by="K", response_minutes=60),)),),
        history={"load": (Sample(0, 40, 1), Sample(10, 42.5, None))},
        observations=(Observation("o", ("KH-1",), "S", "Eva", 4, 600, "i01", "d01"),),
        overrides=(Override("KH-1", "P", "fordi", "Eva", 5, 700),),
        injects=(InjectRecord("i01", 1, 480, 0.0), InjectRecord("adhoc-1", 6, 800, 99.0, "Ekstra", True, "tid"),
                 InjectRecord("adhoc-2", 7, 810, 100.0, "VG ringer", adhoc=True, sender="VG", channel="phone",
                              body="Hva skjer?")),
        start_minutes=0, end_minutes=1000, ended=True)
    data = json.loads(json.dumps(input_to_dict(record)))
    assert input_from_dict(data) == record
    with pytest.raises(InputFormatError):
        input_from_dict({"format": "nope"})
    with pytest.raises(InputFormatError):
        input_from_dict({"format": "krise-ovelse/scoring-input", "version": 1, "decisions": [{}]})


# --- the terminal table ----------------------------------------------------------------------


def test_format_ratings(scenario: Scenario) -> None:
    record = weak_run()
    record = ScoringInput(decisions=record.decisions, history=record.history, end_minutes=END,
                          overrides=(Override("KH-5", S, "ok", "Eva", seq=20),))
    result: ScoringResult = score(scenario, record)
    nb = format_ratings(result, "nb")
    assert nb.startswith("Vurdering mot suksesskriteriene\n")
    assert "KH Krisehåndtering: U (1,50)" in nb  # U, U, U and the override's S: 1.5 rounds down
    assert "KH-5" in nb and "U→S" in nb
    assert "Overstyrt (Eva) → S: ok" in nb
    assert "Indeks (oppsummering, ikke karakter): " in nb
    en = format_ratings(result, "en", evidence=False)
    assert "Areas for improvement:" in en
    confirmed = score(scenario, attrs.evolve(record, overrides=(
        Override("KH-5", "U", "bekreftet av evaluator", "facilitator", seq=20),)))
    nb = format_ratings(confirmed, "nb")
    assert "Bekreftet av evaluator" in nb and "Overstyrt" not in nb and "facilitator" not in nb
    finding = next(f for f in confirmed.improvements if f.criterion == "KH-5")
    assert finding.note == ""  # a plain confirmation adds nothing to the finding
    assert "d01" not in en  # no evidence lines
    assert format_ratings(result, "xx").startswith("Vurdering")
