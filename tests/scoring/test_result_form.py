"""The stored form of a scoring result (`result_to_dict` / `result_from_dict`): the session
store, `run --json` and `compare` keep it, so every field must read back as it was written, a
field left out must read as its documented default, and a version 1 result must still read
(its review status worked out from the override). Issue #12, item 6: these defaults and the
rarer fields (judgement, mission cap, the evaluators' own levels) had no test."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.model.scenario import Level
from krise_ovelse.model.text import Text
from krise_ovelse.scoring import Evidence, Override, ScoringResult, Source, result_from_dict, result_to_dict, score
from krise_ovelse.scoring.ratings import (
    CriterionInfo,
    EvaluatorView,
    Finding,
    FindingKind,
    Rating,
    RollUp,
    Status,
    rate_criterion,
)
from krise_ovelse.scoring.serialize import ResultFormatError

from .test_ratings import SCENARIO
from .test_table import passive_run, reviewed_run

P, S, M, U, NO = Level.P, Level.S, Level.M, Level.U, Level.NO
HEAD = {"format": "krise-ovelse/ratings", "version": 2}


def _every_field() -> ScoringResult:
    """A result with every optional field of a rating, finding and roll-up set: the mission
    capped by its rule, the indication capped by a U, the judgement weighed, an override."""
    evidence = (Evidence("OE-1", U, Source.RULE, Text({"nb": "Lav", "en": "Low"}), seq=4, minutes=90.5,
                         indicator="output", measure="min", value=12.25),
                Evidence("OE-1", S, Source.OPTION, Text.of("Valg"), seq=3, minutes=60.0, decision="d01", option="a"),
                Evidence("OE-1", P, Source.OPTION, Text.of("Valg 2"), seq=6, minutes=61.0, decision="d02", option="b"),
                Evidence("OE-1", P, Source.OBSERVATION, Text.of("Godt"), seq=5, minutes=100.0, author="Eva"))
    rated = Override("OE-1", M, "for lavt", "Ola", seq=7, minutes=120.5)
    info = CriterionInfo("OE-1", "OE", Text({"nb": "Samfunnsoppdraget", "en": "The mission"}))
    rating = rate_criterion(info, evidence, True, ratings=(rated,), evaluators=("Eva", "Ola"), passive=True)
    finding = Finding(kind=FindingKind.IMPROVEMENT, criterion="OE-1", theme="OE", name=rating.name, level=M,
                      evidence=evidence[:1], description=Text.of("Beskrivelse"), descriptor=Text.of("M-tekst"),
                      target=Text.of("P-tekst"), note="for lavt", reviewed=False)
    theme = RollUp("OE", Text.of("Omstillingsevne"), ("OE-1", "OE-2"), ("OE-1",), 2.0, M)
    return ScoringResult(scenario_id="prove", scenario_title=Text({"nb": "Prøve", "en": "Test"}), ratings=(rating,),
                         themes=(theme,), learning_points=(attrs.evolve(theme, id="LP-2", mean=2.5),), index=33.3,
                         strengths=(), improvements=(finding,), decided_nothing=True)


WRITTEN: dict[str, Any] = {'format': 'krise-ovelse/ratings',
 'version': 2,
 'scenario': {'id': 'prove', 'title': {'en': 'Test', 'nb': 'Prøve'}},
 'index': 33.3,
 'counts': {'P': 0, 'S': 0, 'M': 1, 'U': 0, 'N/O': 0},
 'headline': {'levels': {'P': 0, 'S': 0, 'M': 1, 'U': 0, 'N/O': 0},
              'review': {'suggestion': 0, 'confirmed': 0, 'overridden': 1, 'disputed': 0, 'reconciled': 0},
              'decided_nothing': True},
 'decided_nothing': True,
 'criteria': [{'id': 'OE-1',
               'theme': 'OE',
               'name': {'en': 'The mission', 'nb': 'Samfunnsoppdraget'},
               'in_scenario': True,
               'suggested': 'U',
               'final': 'M',
               'median': 'S',
               'capped': True,
               'override': {'level': 'M', 'reason': 'for lavt', 'by': 'Ola', 'seq': 7, 'minutes': 120.5},
               'status': 'overridden',
               'reviewed': True,
               'indication': 'M',
               'judgement': 'P',
               'mission_cap': 'U',
               'one_click': False,
               'passive': True,
               'disagreement': True,
               'evaluators': [{'name': 'Eva', 'judgement': 'P', 'rated': None},
                              {'name': 'Ola',
                               'judgement': None,
                               'rated': {'level': 'M',
                                         'reason': 'for lavt',
                                         'by': 'Ola',
                                         'seq': 7,
                                         'minutes': 120.5}}],
               'explain': {'nb': 'Median av P, S, U = S; en U begrenser til høyst M; evaluatorenes vurdering: '
                                 'median av P = P; evaluatorenes vurdering veier tyngst: S; samfunnsoppdraget '
                                 '(indikatorene) begrenser til høyst U; ledergruppen tok ingen beslutninger '
                                 'selv: høyst M. Overstyrt (Ola) til M: for lavt',
                           'en': "Median of P, S, U = S; a U caps it at M; the evaluators' judgement: median "
                                 "of P = P; the evaluators' judgement weighs most: S; the mission (its "
                                 'indicators) caps it at U; the team took no decision itself: at most M. '
                                 'Overridden (Ola) to M: for lavt'},
               'evidence': [{'criterion': 'OE-1',
                             'level': 'U',
                             'counted': True,
                             'source': 'rule',
                             'reason': {'en': 'Low', 'nb': 'Lav'},
                             'seq': 4,
                             'minutes': 90.5,
                             'decision': None,
                             'option': None,
                             'indicator': 'output',
                             'measure': 'min',
                             'value': 12.25,
                             'author': None},
                            {'criterion': 'OE-1',
                             'level': 'S',
                             'counted': True,
                             'source': 'option',
                             'reason': {'nb': 'Valg'},
                             'seq': 3,
                             'minutes': 60,
                             'decision': 'd01',
                             'option': 'a',
                             'indicator': None,
                             'measure': None,
                             'value': None,
                             'author': None},
                            {'criterion': 'OE-1',
                             'level': 'P',
                             'counted': True,
                             'source': 'option',
                             'reason': {'nb': 'Valg 2'},
                             'seq': 6,
                             'minutes': 61,
                             'decision': 'd02',
                             'option': 'b',
                             'indicator': None,
                             'measure': None,
                             'value': None,
                             'author': None},
                            {'criterion': 'OE-1',
                             'level': 'P',
                             'counted': True,
                             'source': 'observation',
                             'reason': {'nb': 'Godt'},
                             'seq': 5,
                             'minutes': 100,
                             'decision': None,
                             'option': None,
                             'indicator': None,
                             'measure': None,
                             'value': None,
                             'author': 'Eva'}]}],
 'themes': [{'id': 'OE',
             'name': {'nb': 'Omstillingsevne'},
             'criteria': ['OE-1', 'OE-2'],
             'rated': ['OE-1'],
             'mean': 2,
             'level': 'M'}],
 'learning_points': [{'id': 'LP-2',
                      'name': {'nb': 'Omstillingsevne'},
                      'criteria': ['OE-1', 'OE-2'],
                      'rated': ['OE-1'],
                      'mean': 2.5,
                      'level': 'M'}],
 'strengths': [],
 'improvements': [{'kind': 'improvement',
                   'criterion': 'OE-1',
                   'theme': 'OE',
                   'name': {'en': 'The mission', 'nb': 'Samfunnsoppdraget'},
                   'level': 'M',
                   'summary': {'nb': 'OE-1 Samfunnsoppdraget: M (utført med store utfordringer). Grunnlag: '
                                     'Lav; evaluator: for lavt.',
                               'en': 'OE-1 The mission: M (performed with major challenges). Evidence: Low; '
                                     'evaluator: for lavt.'},
                   'description': {'nb': 'Beskrivelse'},
                   'descriptor': {'nb': 'M-tekst'},
                   'target': {'nb': 'P-tekst'},
                   'note': 'for lavt',
                   'reviewed': False,
                   'evidence': [{'criterion': 'OE-1',
                                 'level': 'U',
                                 'counted': True,
                                 'source': 'rule',
                                 'reason': {'en': 'Low', 'nb': 'Lav'},
                                 'seq': 4,
                                 'minutes': 90.5,
                                 'decision': None,
                                 'option': None,
                                 'indicator': 'output',
                                 'measure': 'min',
                                 'value': 12.25,
                                 'author': None}]}]}


def test_the_written_form_is_spelled_out() -> None:
    data = result_to_dict(_every_field())
    assert data == WRITTEN
    assert list(data) == list(WRITTEN)


def test_every_field_reads_back() -> None:
    result = _every_field()
    assert result_from_dict(result_to_dict(result)) == result


@pytest.mark.parametrize("run", [reviewed_run, passive_run])
def test_scored_runs_read_back(run: Any) -> None:
    loaded = load_scenario_text(SCENARIO, "ratingprove.yaml")
    assert loaded.scenario is not None
    result = score(loaded.scenario, run())
    assert result_from_dict(result_to_dict(result)) == result


def test_left_out_fields_read_as_their_defaults() -> None:
    data = {**HEAD, "criteria": [{"id": "KH-1", "suggested": "S", "name": "Mandat",
                                  "override": {"level": "M"}, "status": "overridden",
                                  "evaluators": [{"name": "Eva"}]}],
            "themes": [{"id": "KH", "level": "N/O"}],
            "strengths": [{"kind": "strength", "criterion": "KH-1", "level": "P"}]}
    result = result_from_dict(data)
    rating = result.rating("KH-1")
    assert rating == Rating(criterion="KH-1", theme="", name=Text.of("Mandat"), in_scenario=False, evidence=(),
                            suggested=S, median=None, capped=False, override=Override("KH-1", M),
                            status=Status.OVERRIDDEN, evaluators=(EvaluatorView("Eva"),))
    assert result.themes == (RollUp("KH", Text(), (), (), None, NO),)
    assert result.strengths == (Finding(kind=FindingKind.STRENGTH, criterion="KH-1", theme="", name=Text(),
                                        level=P, evidence=()),)
    assert result.strengths[0].reviewed  # a finding written before review states counts as reviewed
    assert (result.scenario_id, result.scenario_title, result.learning_points, result.improvements) == (
        "", Text(), (), ())
    assert result.index is None and not result.decided_nothing


@pytest.mark.parametrize(("override", "status"), [
    (None, Status.SUGGESTION),
    ({"level": "S", "reason": "ja", "by": "Eva"}, Status.CONFIRMED),
    ({"level": "P", "reason": "mer", "by": "Eva"}, Status.OVERRIDDEN),
])
def test_a_version_1_result_gets_its_review_status_from_the_override(override: Any, status: Status) -> None:
    data = {"format": "krise-ovelse/ratings", "version": 1,
            "criteria": [{"id": "KH-1", "suggested": "S", "override": override}]}
    assert result_from_dict(data).rating("KH-1").status is status


def test_a_written_status_is_taken_as_written() -> None:
    data = {**HEAD, "criteria": [{"id": "KH-1", "suggested": "S", "override": None, "status": "disputed"},
                                 {"id": "KH-2", "suggested": "S", "override": {"level": "S"},
                                  "status": "reconciled"}]}
    result = result_from_dict(data)
    assert [r.status for r in result.ratings] == [Status.DISPUTED, Status.RECONCILED]


@pytest.mark.parametrize("criterion", [
    {"id": "KH-1"},  # no suggested level
    {"id": "KH-1", "suggested": "X"},
    {"id": "KH-1", "suggested": "S", "status": "maybe"},
    {"id": "KH-1", "suggested": "S", "evidence": [{"criterion": "KH-1", "source": "rumour"}]},
    {"id": "KH-1", "suggested": "S", "evaluators": [{"judgement": "S"}]},
])
def test_a_damaged_rating_is_refused(criterion: dict[str, Any]) -> None:
    with pytest.raises(ResultFormatError, match="damaged krise-ovelse/ratings result"):
        result_from_dict({**HEAD, "criteria": [criterion]})


def test_a_result_without_criteria_is_refused() -> None:
    with pytest.raises(ResultFormatError):
        result_from_dict(dict(HEAD))
