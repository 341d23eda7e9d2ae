"""The stored form of a scoring record (`input_to_dict` / `input_from_dict`): what `run --json`
writes and `report --from-run` reads back. Its keys are a file format, so the test spells the
whole form out: a renamed key, a dropped field or an empty value written out would break files
people keep (issue #12, item 6: the evaluators' records had no test of their written form)."""

from __future__ import annotations

from typing import Any

import pytest

from krise_ovelse.scoring.inputs import (
    Choice,
    DecisionRecord,
    InjectRecord,
    InputFormatError,
    Observation,
    Override,
    ReasoningRating,
    Sample,
    ScoringInput,
    TaskMark,
    input_from_dict,
    input_to_dict,
)


def full_record() -> ScoringInput:
    """Every field set somewhere, and empty values beside them."""
    return ScoringInput(
        decisions=(
            DecisionRecord("d01", 2, 480.0, 12.5, 840.0, (
                Choice("a", 3, 540.0, 30.0, rationale="r", decided_by="Kari", response_minutes=60.0,
                       response_seconds=17.5),
                Choice("b", 8, 600.0))),
            DecisionRecord("d02", 4, 900.0, choices=(Choice("b", 5, 1260.0, missed=True),)),
            DecisionRecord("d03")),
        history={"trust": (Sample(0.0, 60.0, 1),), "load": (Sample(0.0, 40.0, 1), Sample(10.0, 42.5, None))},
        observations=(Observation("o", ("KH-1", "KH-2"), "S", "Eva", 4, 600.0, "i01", "d01", why="fordi"),
                      Observation("bare kontekst")),
        overrides=(Override("KH-1", "P", "fordi", "Eva", 5, 700.0), Override("KH-2", "M")),
        injects=(InjectRecord("i01", 1, 480.0, 0.0),
                 InjectRecord("i02", 6, 620.0, 40.0, skipped=True, reason="ikke aktuelt", by="Ola")),
        evaluators=(("Eva", False), ("Kari", True)),
        task_marks=(TaskMark("KH-1", 2, "partly", "Eva", "halvveis", "logg", 650.0, 6, 660.0),
                    TaskMark("KH-1", 1, "observed")),
        reasoning=(ReasoningRating("d01", "M", "Eva", "tynt", ("KH-2",), 7, 670.0), ReasoningRating("d02", "S")),
        reconciliations=(Override("KH-1", "S", "samlet", "Kari", 9, 690.0),),
        start_minutes=0.0, end_minutes=1000.0, ended=True, team="Lag 1", participants=("Kari (hr)",),
        facilitator="Ola", started="2026-01-01T08:00:00+00:00")


FULL_FORM: dict[str, Any] = {
    "format": "krise-ovelse/scoring-input",
    "version": 3,
    "start_minutes": 0.0,
    "end_minutes": 1000.0,
    "ended": True,
    "team": "Lag 1",
    "participants": ["Kari (hr)"],
    "facilitator": "Ola",
    "started": "2026-01-01T08:00:00+00:00",
    "injects": [{"inject": "i01", "seq": 1, "minutes": 480.0, "seconds": 0.0},
                {"inject": "i02", "seq": 6, "minutes": 620.0, "seconds": 40.0, "skipped": True,
                 "reason": "ikke aktuelt", "by": "Ola"}],
    "decisions": [
        {"decision": "d01", "opened_seq": 2, "opened_minutes": 480.0, "opened_seconds": 12.5,
         "deadline_minutes": 840.0,
         "choices": [{"option": "a", "seq": 3, "minutes": 540.0, "seconds": 30.0, "rationale": "r",
                      "decided_by": "Kari", "response_minutes": 60.0, "response_seconds": 17.5},
                     {"option": "b", "seq": 8, "minutes": 600.0}]},
        {"decision": "d02", "opened_seq": 4, "opened_minutes": 900.0,
         "choices": [{"option": "b", "seq": 5, "minutes": 1260.0, "missed": True}]},
        {"decision": "d03"}],
    "history": {"load": [[0.0, 40.0, 1], [10.0, 42.5, None]], "trust": [[0.0, 60.0, 1]]},
    "observations": [{"text": "o", "criteria": ["KH-1", "KH-2"], "level": "S", "author": "Eva", "seq": 4,
                      "minutes": 600.0, "inject": "i01", "decision": "d01", "why": "fordi"},
                     {"text": "bare kontekst"}],
    "overrides": [{"criterion": "KH-1", "level": "P", "reason": "fordi", "by": "Eva", "seq": 5, "minutes": 700.0},
                  {"criterion": "KH-2", "level": "M"}],
    "evaluators": [{"name": "Eva", "lead": False}, {"name": "Kari", "lead": True}],
    "task_marks": [{"criterion": "KH-1", "task": 2, "status": "partly", "by": "Eva", "note": "halvveis",
                    "evidence": "logg", "seen_minutes": 650.0, "seq": 6, "minutes": 660.0},
                   {"criterion": "KH-1", "task": 1, "status": "observed"}],
    "reasoning": [{"decision": "d01", "level": "M", "by": "Eva", "note": "tynt", "criteria": ["KH-2"], "seq": 7,
                   "minutes": 670.0},
                  {"decision": "d02", "level": "S"}],
    "reconciliations": [{"criterion": "KH-1", "level": "S", "reason": "samlet", "by": "Kari", "seq": 9,
                         "minutes": 690.0}],
}


def test_the_written_form_is_spelled_out() -> None:
    data = input_to_dict(full_record())
    assert data == FULL_FORM
    assert list(data) == list(FULL_FORM)  # the order people see in a `run --json` file
    assert list(data["history"]) == ["load", "trust"]  # indicators sorted: the same run, the same file


def test_the_written_form_reads_back() -> None:
    assert input_from_dict(FULL_FORM) == full_record()


def test_an_empty_record_writes_its_fixed_keys() -> None:
    assert input_to_dict(ScoringInput()) == {
        "format": "krise-ovelse/scoring-input", "version": 3, "start_minutes": 0.0, "end_minutes": None,
        "ended": False, "team": "", "participants": [], "facilitator": "", "started": "", "injects": [],
        "decisions": [], "history": {}, "observations": [], "overrides": [], "evaluators": [], "task_marks": [],
        "reasoning": [], "reconciliations": []}
    assert input_from_dict(input_to_dict(ScoringInput())) == ScoringInput()


def test_a_version_1_record_reads_with_no_evaluator_records() -> None:
    old = {key: value for key, value in FULL_FORM.items()
           if key not in ("evaluators", "task_marks", "reasoning", "reconciliations")}
    old["version"] = 1
    record = input_from_dict(old)
    assert (record.evaluators, record.task_marks, record.reasoning, record.reconciliations) == ((), (), (), ())
    assert record.observations[0].why == "fordi"
    assert record.decisions == full_record().decisions


def test_a_sample_without_its_seq_reads() -> None:
    record = input_from_dict({"format": "krise-ovelse/scoring-input", "version": 2, "history": {"load": [[5, 7]]}})
    assert record.history == {"load": (Sample(5.0, 7.0, None),)}
    assert record.start_minutes == 0.0 and record.end_minutes is None and not record.ended


@pytest.mark.parametrize("data", [
    {"format": "krise-ovelse/scoring-input", "version": 4},
    {"format": "krise-ovelse/ratings", "version": 2},
    {"format": "krise-ovelse/scoring-input", "version": 2, "task_marks": [{"criterion": "KH-1", "task": 1,
                                                                          "status": "maybe"}]},
    {"format": "krise-ovelse/scoring-input", "version": 2, "history": {"load": [[5]]}},
    {"format": "krise-ovelse/scoring-input", "version": 2, "reasoning": [{"decision": "d01", "level": "Q"}]},
])
def test_other_data_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(InputFormatError):
        input_from_dict(data)
