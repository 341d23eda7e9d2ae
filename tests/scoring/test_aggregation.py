"""The aggregation rules: median with ties toward the worse level, the U cap, N/O, overrides,
roll-ups and the index."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krise_ovelse.model.scenario import Level
from krise_ovelse.model.text import Text
from krise_ovelse.scoring.evidence import Evidence, Source
from krise_ovelse.scoring.inputs import Override
from krise_ovelse.scoring.levels import (
    VALUES,
    index_of,
    level_from_mean,
    mean_value,
    median_level,
    parse_level,
)
from krise_ovelse.scoring.ratings import CriterionInfo, aggregate, last_overrides, rate_criterion, roll_up

P, S, M, U, NO = Level.P, Level.S, Level.M, Level.U, Level.NO


# --- the median ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([P], P),
        ([U], U),
        ([P, S, M], S),  # odd: the middle one
        ([P, P, M], P),
        ([S, M, M, M, P], M),
        ([P, S], S),  # even: the two middle ones differ -> the worse
        ([P, M], M),
        ([S, M], M),
        ([P, P, S, S], S),
        ([P, P, P, S], P),  # even, the middle two agree
        ([M, U], U),
    ],
)
def test_median_rounds_toward_the_worse_level(levels: list[Level], expected: Level) -> None:
    assert median_level(levels) is expected


def test_median_ignores_not_observed_and_is_none_without_ratings() -> None:
    assert median_level([NO, P, NO]) is P
    assert median_level([NO]) is None
    assert median_level([]) is None


def test_order_does_not_matter() -> None:
    assert median_level([M, P, S, P]) is median_level([P, P, S, M]) is S


# --- aggregate: median, U cap, N/O -----------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "suggested", "median", "capped"),
    [
        ([], NO, None, False),  # nothing counted: not observed
        ([NO, NO], NO, None, False),
        ([P, P, S], P, P, False),
        ([P, P, U], M, P, True),  # a U caps a P median at M
        ([S, S, S, U], M, S, True),  # ... and an S median
        ([P, U], U, U, False),  # the median is already U: it stays U, the cap does not lift it
        ([M, M, U], M, M, False),  # a median of M is not changed by the cap
        ([U], U, U, False),
    ],
)
def test_aggregate(levels: list[Level], suggested: Level, median: Level | None, capped: bool) -> None:
    assert aggregate(levels) == (suggested, median, capped)


@given(st.lists(st.sampled_from([P, S, M, U, NO]), max_size=12))
def test_aggregate_properties(levels: list[Level]) -> None:
    suggested, median, capped = aggregate(levels)
    rated = [lv for lv in levels if lv is not NO]
    if not rated:
        assert suggested is NO
        return
    # never better than the best piece of evidence, never worse than the worst
    assert min(VALUES[lv] for lv in rated) <= VALUES[suggested] <= max(VALUES[lv] for lv in rated)
    if U in rated:
        assert VALUES[suggested] <= VALUES[M]
    assert capped == (median is not None and suggested is not median)


def _evidence(criterion: str, level: Level | None, source: Source = Source.OPTION, seq: int = 1) -> Evidence:
    return Evidence(criterion=criterion, level=level, source=source, reason=Text.of("r"), seq=seq)


INFO = CriterionInfo("KH-2", "KH", Text.of("Kommunikasjon"))


def test_context_evidence_is_listed_but_not_counted() -> None:
    rating = rate_criterion(INFO, [_evidence("KH-2", None, Source.OBSERVATION), _evidence("KH-2", S)], True)
    assert rating.suggested is S
    assert len(rating.evidence) == 2
    assert len(rating.counted) == 1
    assert len(rating.context) == 1


def test_only_context_means_not_observed() -> None:
    rating = rate_criterion(INFO, [_evidence("KH-2", None, Source.OBSERVATION)], True)
    assert rating.suggested is NO
    assert rating.final is NO


# --- overrides -------------------------------------------------------------------------------


def test_override_sets_the_final_rating_and_keeps_the_suggestion() -> None:
    override = Override("KH-2", "P", reason="Godt begrunnet i debriefen", by="Evaluator Eva", seq=9)
    rating = rate_criterion(INFO, [_evidence("KH-2", M)], True, override)
    assert rating.suggested is M
    assert rating.final is P
    assert rating.overridden
    assert "Overstyrt (Evaluator Eva) til P: Godt begrunnet i debriefen" in rating.explain("nb")
    assert "Overridden (Evaluator Eva) to P" in rating.explain("en")


def test_override_to_the_same_level_is_kept_but_not_a_change() -> None:
    rating = rate_criterion(INFO, [_evidence("KH-2", S)], True, Override("KH-2", S, "enig"))
    assert rating.override is not None
    assert not rating.overridden
    assert rating.confirmed


def test_a_confirmation_reads_as_one() -> None:
    """The console's `c` rates at the suggested level with the reason "bekreftet av evaluator"
    and `by` "facilitator": no "Overstyrt", no "S → S", no English role word in Norwegian."""
    stock = rate_criterion(INFO, [_evidence("KH-2", S)], True,
                           Override("KH-2", S, "bekreftet av evaluator", "facilitator"))
    assert stock.override_text("nb") == "Bekreftet av evaluator"
    assert stock.override_text("en") == "Confirmed by the evaluator"
    assert stock.explain("nb") == "Median av S = S; hviler på ett eneste valg. Bekreftet av evaluator"
    assert stock.explain("en") == "Median of S = S; rests on a single choice. Confirmed by the evaluator"
    named = rate_criterion(INFO, [_evidence("KH-2", S)], True, Override("KH-2", S, "Godt i debriefen", "Eva"))
    assert named.override_text("nb") == "Bekreftet av evaluator (Eva): Godt i debriefen"
    changed = rate_criterion(INFO, [_evidence("KH-2", M)], True, Override("KH-2", S, "ok", "facilitator"))
    assert changed.override_text("nb") == "Overstyrt (øvingsleder) M → S: ok"
    assert changed.override_text("en") == "Overridden (facilitator) M → S: ok"
    assert changed.explain("nb").endswith("Overstyrt (øvingsleder) til S: ok")
    assert rate_criterion(INFO, [], True).override_text("nb") == ""


def test_override_can_rate_a_criterion_without_evidence() -> None:
    rating = rate_criterion(INFO, [], False, Override("KH-2", M, "sett i diskusjonen"))
    assert rating.suggested is NO
    assert rating.final is M


def test_the_last_override_wins() -> None:
    overrides = [Override("KH-2", P, seq=5), Override("KH-4", S, seq=6), Override("KH-2", M, seq=8)]
    chosen = last_overrides(reversed(overrides))
    assert chosen["KH-2"].level is M
    assert chosen["KH-4"].level is S


def test_parse_level_accepts_codes() -> None:
    assert parse_level("p") is P
    assert parse_level("N/O") is NO
    assert parse_level("no") is NO
    with pytest.raises(ValueError, match="P, S, M, U or N/O"):
        parse_level("X")


# --- explain ---------------------------------------------------------------------------------


def test_explain_names_the_levels_and_the_cap() -> None:
    rating = rate_criterion(INFO, [_evidence("KH-2", P), _evidence("KH-2", P), _evidence("KH-2", U)], True)
    assert rating.explain("nb") == ("Median av P, P, U = P; en U begrenser til høyst M. Forslag – ikke gjennomgått "
                                    "av en evaluator")
    assert rating.explain("en") == "Median of P, P, U = P; a U caps it at M. Suggestion – not reviewed by an evaluator"
    assert rate_criterion(INFO, [], True).explain("en") == "No counted evidence: not observed"


# --- roll-ups and the index ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mean", "level"),
    [(4.0, P), (3.51, P), (3.5, S), (3.0, S), (2.51, S), (2.5, M), (2.0, M), (1.51, M), (1.5, U), (1.0, U)],
)
def test_level_from_mean_rounds_to_nearest_with_ties_toward_worse(mean: float, level: Level) -> None:
    assert level_from_mean(mean) is level


def test_roll_up_is_the_mean_over_rated_criteria() -> None:
    ratings = [
        rate_criterion(CriterionInfo(cid, "KH", Text.of(cid)), [_evidence(cid, lv)] if lv else [], True)
        for cid, lv in (("KH-1", P), ("KH-2", S), ("KH-3", M), ("KH-4", None))
    ]
    rollup = roll_up("KH", Text.of("Krisehåndtering"), ratings)
    assert rollup.criteria == ("KH-1", "KH-2", "KH-3", "KH-4")
    assert rollup.rated == ("KH-1", "KH-2", "KH-3")  # KH-4 is N/O: left out
    assert rollup.mean == pytest.approx(3.0)
    assert rollup.level is S


def test_roll_up_uses_the_final_rating() -> None:
    rated = rate_criterion(INFO, [_evidence("KH-2", U)], True, Override("KH-2", P, "x"))
    assert roll_up("KH", Text.of("KH"), [rated]).level is P


def test_roll_up_with_nothing_rated_is_not_observed() -> None:
    rollup = roll_up("DA", Text.of("DA"), [rate_criterion(INFO, [], True)])
    assert rollup.mean is None
    assert rollup.level is NO
    assert rollup.number is None


@pytest.mark.parametrize(
    ("levels", "index"),
    [([P], 100.0), ([U], 0.0), ([S], 66.7), ([M], 33.3), ([P, U], 50.0), ([P, S, NO], 83.3), ([NO], None), ([], None)],
)
def test_index(levels: list[Level], index: float | None) -> None:
    assert index_of(levels) == index


def test_mean_value() -> None:
    assert mean_value([P, M, NO]) == 3.0
    assert mean_value([NO]) is None
