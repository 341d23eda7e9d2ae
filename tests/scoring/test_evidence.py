"""Evidence: indicator measures (incl. the time-weighted mean), both threshold directions,
options (missed and revised decisions), timeliness and observations."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.model.scenario import Level, Measure, Scenario
from krise_ovelse.scoring.evidence import (
    Source,
    collect_evidence,
    format_number,
    measure_value,
    observation_evidence,
    option_evidence,
    rule_evidence,
    shorten,
    threshold_level,
    time_weighted_mean,
    timeliness_evidence,
)
from krise_ovelse.scoring.inputs import Choice, DecisionRecord, Observation, Sample, ScoringInput

P, S, M, U = Level.P, Level.S, Level.M, Level.U

SCENARIO = textwrap.dedent(
    """\
    schema_version: 1
    id: evidens
    title: {nb: "Evidensprøve", en: "Evidence test"}
    phases:
      - {id: en, title: Fase en, starts: D+0, compression: 720, ends: D+2}
      - {id: to, title: Fase to, starts: D+10, compression: 720}
    ends: D+14
    indicators:
      - {id: load, name: {nb: Belastning, en: Load}, initial: 40, good: low}
      - {id: trust, name: {nb: Tillit, en: Trust}, initial: 60, good: high}
    injects:
      - {id: i01, at: D+0 08:00, channel: news, title: "Første"}
      - {id: i02, at: D+1 08:00, channel: email, title: "Andre"}
      - {id: i03, at: D+10 08:00, channel: email, title: "Tredje"}
      - {id: i04, at: D+11 08:00, channel: email, title: "Fjerde"}
    decisions:
      - id: d01
        opens_with: i01
        deadline: 6h
        category: communication
        title: "Første beskjed"
        prompt: "Hva gjør dere?"
        options:
          - {id: a, text: "Informere med en gang", evidence: {KH-2: P, DA-4: S}}
          - {id: b, text: "Vente", evidence: {KH-2: U}}
        default: b
      - id: d02
        opens_with: i02
        deadline: 1d
        category: staff_mobility
        prompt: "Kundesenteret?"
        options:
          - {id: a, text: "Drøfte", evidence: {KH-4: P}}
          - {id: b, text: "Pålegge", evidence: {KH-4: M}}
        default: b
      - id: d03
        opens_with: i03
        deadline: 1d
        category: work_environment
        prompt: "Utstyr?"
        options:
          - {id: a, text: "Låne ut", evidence: {AM-4: P}}
          - {id: b, text: "Råd", evidence: {AM-4: M}}
        default: b
      - id: d04
        opens_with: i04
        deadline: 1d
        category: work_environment
        prompt: "Overtid?"
        options:
          - {id: a, text: "Avlaste", evidence: {KH-5: P}}
          - {id: b, text: "Holde ut", evidence: {KH-5: M}}
        default: b
    scoring:
      criteria: [KH-2, KH-4, KH-5]
      rules:
        - {criterion: KH-5, indicator: load, measure: max, thresholds: {P: 60, S: 70, M: 85}}
        - {criterion: KH-4, indicator: trust, measure: mean, thresholds: {P: 70, S: 55, M: 40}}
    """
)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    result = load_scenario_text(SCENARIO, "evidens.yaml")
    assert result.scenario is not None, result.problems
    return result.scenario


# --- measures --------------------------------------------------------------------------------

CURVE = (Sample(0, 40), Sample(100, 60), Sample(100, 50), Sample(200, 50))


@pytest.mark.parametrize(
    ("measure", "expected"),
    [(Measure.MAX, 60), (Measure.MIN, 40), (Measure.FINAL, 50)],
)
def test_max_min_final(measure: Measure, expected: float) -> None:
    assert measure_value(CURVE, measure) == expected


def test_mean_is_time_weighted_with_straight_lines_and_jumps() -> None:
    # 0..100: a line from 40 to 60 (mean 50); a jump to 50 at 100; 100..200 flat at 50.
    assert time_weighted_mean(CURVE) == pytest.approx(50.0)
    # holding the last value to the end: 0..200 as above (area 10000), 200..400 at 50 (area 10000)
    assert time_weighted_mean(CURVE, end_minutes=400) == pytest.approx(50.0)


def test_mean_weights_by_time_not_by_sample_count() -> None:
    # many samples early at 0, one late value 100 held for most of the time
    samples = [Sample(t, 0) for t in range(10)] + [Sample(10, 100), Sample(100, 100)]
    # 0..9 at 0, 9..10 a line 0→100 (area 50), 10..100 at 100 (area 9000): 9050 / 100
    assert time_weighted_mean(samples) == pytest.approx(90.5)
    plain = sum(s.value for s in samples) / len(samples)
    assert plain < 20


def test_mean_counts_skipped_time_at_the_held_value() -> None:
    # value 10 until a jump in time, 30 after: held 10 through the skipped days
    samples = [Sample(0, 10), Sample(2880, 10), Sample(14400, 10), Sample(14400, 30)]
    assert time_weighted_mean(samples, end_minutes=20160) == pytest.approx((10 * 14400 + 30 * 5760) / 20160)


def test_mean_of_no_time_is_the_final_value() -> None:
    assert time_weighted_mean([Sample(5, 10), Sample(5, 20)]) == 20
    assert time_weighted_mean([]) is None
    assert measure_value([], Measure.MAX) is None


def test_samples_are_read_in_time_order() -> None:
    assert measure_value([Sample(10, 5), Sample(0, 1)], Measure.FINAL) == 5


@given(st.lists(st.tuples(st.integers(0, 1000), st.floats(0, 100)), min_size=1, max_size=20))
def test_mean_lies_between_min_and_max(points: list[tuple[int, float]]) -> None:
    samples = [Sample(t, v) for t, v in points]
    mean = time_weighted_mean(samples, end_minutes=1200)
    assert mean is not None
    assert min(v for _, v in points) - 1e-6 <= mean <= max(v for _, v in points) + 1e-6


# --- thresholds ------------------------------------------------------------------------------

RISING = {P: 60.0, S: 70.0, M: 85.0}  # lower is better
FALLING = {P: 70.0, S: 55.0, M: 40.0}  # higher is better


@pytest.mark.parametrize(
    ("value", "level"),
    [(0, P), (60, P), (60.0000001, P), (60.1, S), (70, S), (84.9, M), (85, M), (85.1, U), (100, U)],
)
def test_rising_thresholds_lower_is_better(value: float, level: Level) -> None:
    assert threshold_level(value, RISING) is level


@pytest.mark.parametrize(
    ("value", "level"),
    [(100, P), (70, P), (69.9, S), (55, S), (54, M), (40, M), (39.9, U), (0, U)],
)
def test_falling_thresholds_higher_is_better(value: float, level: Level) -> None:
    assert threshold_level(value, FALLING) is level


def test_rule_evidence_reads_the_history(scenario: Scenario) -> None:
    record = ScoringInput(
        history={"load": (Sample(0, 40, 1), Sample(600, 72, 7), Sample(900, 50, 9)),
                 "trust": (Sample(0, 60, 1), Sample(1000, 60, 10))},
        end_minutes=1000)
    items = {e.criterion: e for e in rule_evidence(scenario, record)}
    kh5 = items["KH-5"]
    assert (kh5.level, kh5.value, kh5.seq, kh5.indicator, kh5.measure) == (M, 72, 7, "load", "max")
    assert kh5.reason.get("nb") == "Høyeste verdi av «Belastning» var 72 (P ≤ 60, S ≤ 70, M ≤ 85)"
    assert kh5.reason.get("en") == "Highest value of “Load” was 72 (P ≤ 60, S ≤ 70, M ≤ 85)"
    kh4 = items["KH-4"]
    assert (kh4.level, kh4.value) == (S, 60)
    assert kh4.reason.get("nb") == "Tidsvektet gjennomsnitt av «Tillit» var 60 (P ≥ 70, S ≥ 55, M ≥ 40)"


def test_rule_without_history_uses_the_initial_value(scenario: Scenario) -> None:
    items = {e.criterion: e for e in rule_evidence(scenario, ScoringInput())}
    assert items["KH-5"].level is P  # load starts at 40
    assert items["KH-4"].level is S  # trust starts at 60


# --- options ---------------------------------------------------------------------------------


def _decided(decision: str, *choices: Choice, opened: float = 0) -> DecisionRecord:
    return DecisionRecord(decision, opened_seq=1, opened_minutes=opened, choices=choices)


def test_option_evidence_for_each_criterion_of_the_option(scenario: Scenario) -> None:
    record = ScoringInput(decisions=(_decided("d01", Choice("a", seq=4, minutes=500, decided_by="Kari")),))
    items = option_evidence(scenario, record)
    assert [(e.criterion, e.level, e.seq, e.decision, e.option) for e in items] == [
        ("KH-2", P, 4, "d01", "a"), ("DA-4", S, 4, "d01", "a")]
    assert items[0].reason.get("nb") == "d01 «Første beskjed»: valgte a – «Informere med en gang»"
    assert items[0].reason.get("en") == "d01 “Første beskjed”: chose a – “Informere med en gang”"
    assert items[0].source is Source.OPTION
    assert items[0].author == "Kari"


def test_a_missed_decision_counts_the_default(scenario: Scenario) -> None:
    record = ScoringInput(decisions=(_decided("d01", Choice("b", seq=5, minutes=840, missed=True)),))
    (item,) = option_evidence(scenario, record)
    assert (item.criterion, item.level) == ("KH-2", U)
    assert "fristen gikk ut, standardvalget b" in item.reason.get("nb")


def test_a_revised_decision_counts_both_choices(scenario: Scenario) -> None:
    record = ScoringInput(decisions=(
        _decided("d02", Choice("b", seq=5, minutes=1500), Choice("a", seq=8, minutes=1600)),))
    items = option_evidence(scenario, record)
    assert [(e.level, e.option) for e in items] == [(M, "b"), (P, "a")]
    assert items[0].reason.get("nb").endswith("(endret senere)")
    assert "endret til a" in items[1].reason.get("nb")
    assert "revised to a" in items[1].reason.get("en")


def test_open_decisions_and_unknown_ids_give_no_option_evidence(scenario: Scenario) -> None:
    record = ScoringInput(decisions=(_decided("d01"), _decided("zz", Choice("a")), _decided("d02", Choice("x"))))
    assert option_evidence(scenario, record) == []


# --- timeliness ------------------------------------------------------------------------------


def _timeliness(scenario: Scenario, missed: list[bool], open_: int = 0) -> list[tuple[str, Level | None]]:
    decisions = [_decided(f"d0{i + 1}", Choice("a", seq=10 + i, missed=m)) for i, m in enumerate(missed)]
    decisions += [_decided("d04") for _ in range(open_)]
    items = timeliness_evidence(scenario, ScoringInput(decisions=tuple(decisions)))
    assert all(e.criterion == "KH-3" and e.source is Source.TIMELINESS for e in items)
    return [(e.decision or "", e.level) for e in items]


def test_all_in_time_gives_one_s(scenario: Scenario) -> None:
    assert _timeliness(scenario, [False, False, False]) == [("", S)]


def test_each_missed_decision_gives_m(scenario: Scenario) -> None:
    assert _timeliness(scenario, [False, True, False]) == [("d02", M)]


def test_exactly_half_missed_is_not_more_than_half(scenario: Scenario) -> None:
    assert _timeliness(scenario, [True, False]) == [("d01", M)]


def test_more_than_half_missed_makes_each_missed_one_u(scenario: Scenario) -> None:
    assert _timeliness(scenario, [True, True, False]) == [("d01", U), ("d02", U)]
    assert _timeliness(scenario, [True, True, True]) == [("d01", U), ("d02", U), ("d03", U)]


def test_open_decisions_do_not_count(scenario: Scenario) -> None:
    assert _timeliness(scenario, [False], open_=1) == [("", S)]
    assert _timeliness(scenario, [], open_=1) == []


def test_timeliness_reasons(scenario: Scenario) -> None:
    decisions = (_decided("d01", Choice("b", missed=True)), _decided("d02", Choice("b", missed=True)))
    items = timeliness_evidence(scenario, ScoringInput(decisions=decisions))
    assert items[0].reason.get("nb") == ("d01 «Første beskjed»: ikke besluttet innen fristen, standardvalget ble "
                                         "brukt (mer enn halvparten ble ikke tatt i tide: 2 av 2)")
    assert items[1].reason.get("en") == ("d02 “Kundesenteret?”: not decided before the deadline, the default was "
                                         "applied (more than half were not made in time: 2 of 2)")
    single = timeliness_evidence(scenario, ScoringInput(decisions=(decisions[0], _decided("d02", Choice("a")))))
    assert single[0].reason.get("en") == ("d01 “Første beskjed”: not decided before the deadline, the default "
                                          "was applied")
    done = timeliness_evidence(scenario, ScoringInput(decisions=(_decided("d02", Choice("a", seq=4)),)))
    assert done[0].reason.get("nb") == "Alle 1 beslutninger ble tatt innen fristen"


# --- observations ----------------------------------------------------------------------------


def test_observation_with_a_level_is_evidence_without_is_context() -> None:
    record = ScoringInput(observations=(
        Observation("Godt samarbeid med HVO", ("AM-1", "KH-4"), "S", "Eva", seq=12, minutes=300),
        Observation("Diskuterte lenge", ("KH-3",), None, "", seq=13),
        Observation("Uten kriterium", (), None, "Eva", seq=14),
    ))
    items = observation_evidence(record)
    assert [(e.criterion, e.level, e.counted) for e in items] == [
        ("AM-1", S, True), ("KH-4", S, True), ("KH-3", None, False)]
    assert items[0].reason.get("nb") == "Observasjon (Eva): «Godt samarbeid med HVO»"
    assert items[2].reason.get("en") == "Observation: “Diskuterte lenge”"


def test_collect_evidence_orders_sources(scenario: Scenario) -> None:
    record = ScoringInput(
        decisions=(_decided("d01", Choice("a", seq=3)),),
        observations=(Observation("x", ("KH-2",), "M", seq=2),))
    sources = [e.source for e in collect_evidence(scenario, record)]
    assert sources == [Source.OPTION, Source.OPTION, Source.RULE, Source.RULE, Source.TIMELINESS, Source.OBSERVATION]


# --- small helpers ---------------------------------------------------------------------------


def test_format_number() -> None:
    assert format_number(72.0) == "72"
    assert format_number(61.56, "nb") == "61,6"
    assert format_number(61.56, "en") == "61.6"
    assert format_number(-0.01) == "0"


def test_shorten() -> None:
    assert shorten("kort") == "kort"
    assert shorten("en  lang\ntekst med mange ord", 12) == "en lang…"
    assert len(shorten("x" * 200, 20)) == 20
