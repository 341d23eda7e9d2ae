"""How a rating explains itself (`Rating.explain`, `override_text`, `status_text`), word for
word in both languages, for each shape a rating takes: capped, weighed, judged only, nothing
counted, disputed, confirmed, reconciled, overridden without a name. Issue #12, item 6: these
lines had no test, and mutation testing found one wrong: "the judgement weighs most" named the
level after the mission's cap instead of the level the weighing gave."""

from __future__ import annotations

import pytest

from krise_ovelse.model.scenario import Level
from krise_ovelse.model.text import Text
from krise_ovelse.scoring import Evidence, Override, Source
from krise_ovelse.scoring.ratings import CriterionInfo, Rating, Status, rate_criterion

P, S, M, U = Level.P, Level.S, Level.M, Level.U
INFO = CriterionInfo("OE-1", "OE", Text({"nb": "Samfunnsoppdraget", "en": "The mission"}))


def _item(level: Level | None, source: Source = Source.OPTION, author: str | None = None) -> Evidence:
    return Evidence("OE-1", level, source, Text.of("x"), author=author)


def _rating(shape: str) -> Rating:
    if shape == "capped and weighed":  # indication M (a U caps S), judgement P, the mission's rule U
        return rate_criterion(INFO, (_item(U, Source.RULE), _item(S), _item(P), _item(P, Source.OBSERVATION, "Eva")),
                              True, ratings=(Override("OE-1", M, "for lavt", "Ola"),), evaluators=("Eva", "Ola"),
                              passive=True)
    if shape == "judged only":
        return rate_criterion(INFO, (_item(S, Source.TASK, "Eva"), _item(M, Source.REASONING, "Eva")), True)
    if shape == "nothing counted":
        return rate_criterion(INFO, (_item(None, Source.OBSERVATION, "Eva"),), True)
    if shape == "disputed":
        return rate_criterion(INFO, (_item(S), _item(P)), True,
                              ratings=(Override("OE-1", S, "", "Eva"), Override("OE-1", M, "", "Ola")))
    if shape == "confirmed":
        return rate_criterion(INFO, (_item(S),), True, ratings=(Override("OE-1", S, "Enig", "facilitator"),))
    if shape == "reconciled":
        return rate_criterion(INFO, (_item(S),), True,
                              ratings=(Override("OE-1", S, "", "Eva"), Override("OE-1", M, "", "Ola")),
                              reconciled=Override("OE-1", M, "Samlet", "Kim"))
    assert shape == "overridden without a name"
    return rate_criterion(INFO, (_item(M), _item(S)), True, ratings=(Override("OE-1", P),))


EXPLAINED = {
    "capped and weighed": (
        "Median av P, S, U = S; en U begrenser til høyst M; evaluatorenes vurdering: median av P = P; "
        "evaluatorenes vurdering veier tyngst: S; samfunnsoppdraget (indikatorene) begrenser til høyst U; "
        "ledergruppen tok ingen beslutninger selv: høyst M. Overstyrt (Ola) til M: for lavt",
        "Median of P, S, U = S; a U caps it at M; the evaluators' judgement: median of P = P; "
        "the evaluators' judgement weighs most: S; the mission (its indicators) caps it at U; "
        "the team took no decision itself: at most M. Overridden (Ola) to M: for lavt"),
    "judged only": (
        "Evaluatorenes vurdering: median av S, M = M. Forslag – ikke gjennomgått av en evaluator",
        "The evaluators' judgement: median of S, M = M. Suggestion – not reviewed by an evaluator"),
    "nothing counted": ("Ikke noe grunnlag som teller: ikke observert", "No counted evidence: not observed"),
    "disputed": (
        "Median av P, S = S. Evaluatorene er uenige (Eva S, Ola M): hovedevaluator må samordne",
        "Median of P, S = S. The evaluators disagree (Eva S, Ola M): the lead evaluator must reconcile"),
    "confirmed": ("Median av S = S; hviler på ett eneste valg. Bekreftet av evaluator: Enig",
                  "Median of S = S; rests on a single choice. Confirmed by the evaluator: Enig"),
    "reconciled": (
        "Median av S = S; hviler på ett eneste valg. Samordnet av hovedevaluator (Kim) til M: Samlet",
        "Median of S = S; rests on a single choice. Reconciled by the lead evaluator (Kim) to M: Samlet"),
    "overridden without a name": ("Median av S, M = M. Overstyrt til P", "Median of S, M = M. Overridden to P"),
}

OVERRIDE_TEXT = {
    "capped and weighed": ("Overstyrt (Ola) U → M: for lavt", "Overridden (Ola) U → M: for lavt"),
    "confirmed": ("Bekreftet av evaluator: Enig", "Confirmed by the evaluator: Enig"),
    "reconciled": ("Samordnet av hovedevaluator (Kim) til M: Samlet",
                   "Reconciled by the lead evaluator (Kim) to M: Samlet"),
    "overridden without a name": ("Overstyrt M → P", "Overridden M → P"),
}

STATUS_TEXT = {Status.SUGGESTION: ("forslag", "suggestion"), Status.CONFIRMED: ("bekreftet", "confirmed"),
               Status.OVERRIDDEN: ("overstyrt", "overridden"), Status.DISPUTED: ("uenige", "disputed"),
               Status.RECONCILED: ("samordnet", "reconciled")}


@pytest.mark.parametrize("shape", list(EXPLAINED))
def test_a_rating_explains_itself(shape: str) -> None:
    rating = _rating(shape)
    nb, en = EXPLAINED[shape]
    assert (rating.explain("nb"), rating.explain("en")) == (nb, en)
    assert rating.explain() == nb


@pytest.mark.parametrize("shape", list(EXPLAINED))
def test_the_evaluators_part_in_one_phrase(shape: str) -> None:
    rating = _rating(shape)
    nb, en = OVERRIDE_TEXT.get(shape, ("", ""))
    assert (rating.override_text("nb"), rating.override_text("en"), rating.override_text()) == (nb, en, nb)
    assert (rating.status_text("nb"), rating.status_text("en")) == STATUS_TEXT[rating.status]
    assert rating.status_text() == STATUS_TEXT[rating.status][0]


def test_the_weighed_level_is_named_before_the_caps() -> None:
    rating = _rating("capped and weighed")
    assert (rating.indication, rating.judgement, rating.mission_cap, rating.suggested) == (M, P, U, U)
