"""Tests that kill mutants that survived mutation runs (issue #12, item 6; docs/testing.md): the
drift's upper clamp, a skipped follow-up that must never be released, the dreiebok's order, when
conditional injects fall due, the exact reasons of refusals and of bad stored events, the
persistent vector past one and two levels.

Mutants that survive and cannot change behaviour (equivalent), by where they are:

- code run once at import (`events._spec/_codec/_pairs/_enum`, `handlers.common.text_fields/simple`):
  a mutant switched on per test cannot reach it; these builders carry `# pragma: no mutate block`,
  and what they build runs through `functools.partial`-bound functions that are mutated and tested;
- `zip(..., strict=True)` made `strict=False` in `ExerciseState.indicator_values/visible_indicators`:
  the plan and the state always hold one value per indicator;
- `_enc_opt_enum` ignoring None: the only optional enum (an observation's level) is left out of the
  stored form at its default (None) before any encoder runs;
- `Engine.next_stop` building its scratch `Run` with another wall time or exercise seconds: the
  query emits nothing, so neither is read; `Engine.tick` with `not started and ended`: a session
  that has not started is not running, and the next test returns the same ();
- `upcoming_injects` with `n < 0` (`n == 0` still gives `[][:0]`), collecting `n + 1` scheduled
  injects (the extra one is sorted and cut off), sorting by the whole tuple (`(due, index)` is
  unique, so the entry itself is never compared);
- `Run.refresh` leaving an index in `watch.dirty` (`discard(None)`): the watch is a pure cache, a
  dirty conditional is only examined again;
- `pvec._push_tail` with `count - 2`, `sub <= len(parent)` or `parent[sub + 2:]`: it is called with a
  full tail (`count` a multiple of 32, so `count - 1` and `count - 2` fall in the same block), and an
  append only ever replaces the last child of a node, so nothing follows it;
- `_require_evaluator`'s "must be a name" refusal: every caller has refused a non-text name first
  (the command's text-field check or `require_text`); likewise `_check_note`'s "why must be text" and
  `_check_end`'s "the note must be text" (the text-field check refuses first), and the
  `isinstance(id, str)` guards of `inject_index`, `decision_option`, `_decision_index`,
  `_amended_record` and `_check_jump` (ids are text fields);

Found by the complete run of session 5 (equivalent, by where they are):

- `predict._flip`'s straight-line guess (the formula, the three minutes tried, the range check):
  a wrong guess is never accepted (it checks the minute and the one before) and the binary search
  finds the same minute, only slower; `_add` not merging exactly adjacent ranges (`- 1`, `>`)
  and `_intersect` advancing the other side on equal ends: the same minutes, another list;
- `Run.tick` with `remaining >= 1e-9`: only a tick of exactly a billionth of a second differs;
  `Run.predict` with `low >= scenario_minutes`: it is called with a later minute only;
- `_run_write` taking `opened_at` even when None, `_option_applied` keeping `old.chosen_option`
  as None for a missed decision: an open decision always has an opening time and no team choice;
- `_amended_record` scanning down to position -1: that is the last record, already looked at;
- `_clock_jumped` not moving the indicators' anchors: a jump always ends at a phase start, whose
  `phase_changed` (same minute) moves them, or at the end of play; `_mode_changed` dropping the
  carry also when switching to real time: in paced mode it is already 0; `_paused`/`_session_ended`
  with `running=None`: read only as false;
- `Plan.phase_at` with `max(1, …)` and `scheduled_between` from the start: the first is asked only
  at or after a later phase's start, and a scheduled inject before the jump is never pending;
- `upcoming_injects` treating an inject with `when` as conditional whatever its trigger: the
  scenario checks refuse `when` on manual and follow-up injects; `PVec.__hash__` of None: every
  vector hashes alike, still correct;
- `event_to_dict` stopping at the first optional field left at its default: the optional fields
  come last and an observation without a level has no `why`;
- `_run_next` without the stop it already knows: `advance_to` works it out again.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krise_ovelse.engine import (
    AddAdhocInject,
    AddEvaluator,
    Advance,
    AmendDecisionRecord,
    CommandRefused,
    Decide,
    DecisionStatus,
    EndExercise,
    Engine,
    EventFormatError,
    GiveFeedback,
    InjectStatus,
    JumpToPhase,
    MarkTask,
    Mode,
    NoteHotwash,
    RateReasoning,
    ReconcileRating,
    ReleaseInject,
    Resume,
    SkipInject,
    TaskStatus,
    event_from_dict,
    fold,
    upcoming_injects,
)
from krise_ovelse.engine.plan import drift_value
from krise_ovelse.model.scenario import Channel, Level
from krise_ovelse.model.text import Text
from krise_ovelse.model.timefmt import parse_time

from .engine_helpers import FakeClock, basic, do, indicator, inject, phase, rich, scenario, start


def test_drift_stops_at_the_upper_bound_and_stays_there() -> None:
    scn = scenario(phases=[phase("p1", "D+0")], ends="D+10",
                   indicators=[indicator("load", 90, low=0, high=100, drift={"p1": "5/day"})])
    engine = start(scn)
    do(engine, Advance(1440))
    assert engine.state.indicator("load") == 95
    do(engine, Advance(3 * 1440))
    assert engine.state.indicator("load") == 100  # 90 + 4 × 5 = 110, clamped
    do(engine, Advance(1440))
    assert engine.state.indicator("load") == 100


def test_drift_stops_at_the_lower_bound() -> None:
    scn = scenario(phases=[phase("p1", "D+0")], ends="D+10",
                   indicators=[indicator("load", 10, low=0, high=100, drift={"p1": "-5/day"})])
    engine = start(scn)
    do(engine, Advance(3 * 1440))
    assert engine.state.indicator("load") == 0


@given(anchor=st.floats(-1e6, 1e6), per_day=st.floats(-1e4, 1e4), minutes=st.integers(0, 10**6),
       low=st.floats(-1e3, 0), high=st.floats(0, 1e3))
def test_drift_value_is_always_within_the_bounds(anchor: float, per_day: float, minutes: int, low: float,
                                                 high: float) -> None:
    value = drift_value(anchor, per_day, minutes, low, high)
    assert low <= value <= high
    unclamped = anchor + per_day * minutes / 1440
    if low <= unclamped <= high:
        assert value == unclamped


def test_a_skipped_follow_up_is_never_released() -> None:
    engine = start(basic())
    do(engine, Advance(parse_time("D+0 08:00").minutes), Decide("d01", "a"))  # schedules i04 a day later
    assert engine.state.scheduled_follow_ups() == (("i04", parse_time("D+1 08:00").minutes),)
    do(engine, SkipInject("i04", reason="Tatt i møtet"))
    assert engine.state.scheduled_follow_ups() == ()
    events = do(engine, Advance(3 * 1440))
    assert not [e for e in events if e.kind == "inject_released" and e.inject_id == "i04"]  # type: ignore[attr-defined]
    assert engine.state.inject("i04").status is InjectStatus.SKIPPED
    # and after a resume from the stored events, too
    resumed = Engine(engine.scenario, clock=engine._clock, events=list(engine.events))
    assert resumed.state.scheduled_follow_ups() == ()
    assert resumed.state == engine.state


def _upcoming(engine: Engine, n: int = 20) -> list[tuple[str, str | None, int | None, str]]:
    return [(u.inject_id, u.kind.value if u.kind else None, u.due, u.note)
            for u in upcoming_injects(engine.state, engine.scenario, n)]


def test_the_dreiebok_lists_timed_injects_by_time_then_the_rest_in_scenario_order() -> None:
    engine = start(rich())
    assert _upcoming(engine) == [
        ("i01", "scheduled", 480, ""), ("i02", "scheduled", 720, ""), ("i03", "scheduled", 1980, ""),
        ("i04", "scheduled", 3480, ""), ("i05", "scheduled", 20700, ""),
        ("c2", "conditional", 21600, "when trust < 45 or morale > 70"),  # its `at` counts as a time
        ("i06", "scheduled", 30240, ""), ("i07", "scheduled", 57600, ""),
        ("c1", "conditional", None, "when load >= 55 and not calm"),
        ("c3", "conditional", None, "when chose(d01, a) and released(i03)"),
        ("c4", "conditional", None, "when missed(d02) or day >= 30.5"),
        ("c5", "conditional", None, "when phase(lang) and load < trust"),
        ("m1", "manual", None, "released by the facilitator"),
    ]
    assert [u[0] for u in _upcoming(engine, 3)] == ["i01", "i02", "i03"]
    assert _upcoming(engine, 0) == [] and _upcoming(engine, -1) == []


def test_the_dreiebok_after_play_shows_follow_ups_and_unreleased_ad_hoc_injects() -> None:
    engine = start(basic())
    do(engine, Advance(parse_time("D+0 08:00").minutes), Decide("d01", "a"),
       AddAdhocInject("VG ringer", "", Channel.PHONE, release=False))
    assert _upcoming(engine) == [
        ("i04", "follow_up", 1920, "follow-up of a choice"),
        ("i05", "scheduled", 2160, ""), ("i06", "scheduled", 22140, ""),
        ("i02", "conditional", None, "when load >= 75 and not daily"),
        ("i03", "manual", None, "released by the facilitator"),
        ("adhoc-1", None, None, "ad hoc, not yet released"),
    ]
    assert [u[0] for u in _upcoming(engine, 1)] == ["i04"]
    do(engine, ReleaseInject("i03"), ReleaseInject("adhoc-1"))  # released ones leave the list
    assert [u[0] for u in _upcoming(engine)] == ["i04", "i05", "i06", "i02"]


def test_a_conditional_whose_time_has_passed_has_no_due_time() -> None:
    engine = start(rich())
    do(engine, JumpToPhase("mellom"), Advance(parse_time("D+15 00:00").minutes - parse_time("D+14").minutes + 1))
    assert engine.state.scenario_minutes == 21601 and engine.state.inject("c2").status is InjectStatus.PENDING
    assert [(u[0], u[2]) for u in _upcoming(engine)] == [
        ("i06", 30240), ("i07", 57600), ("c1", None), ("c2", None), ("c3", None), ("c4", None), ("c5", None),
        ("m1", None)]


# --- next_stop: a pure query that already knows when conditional injects fall due -------------------


def _conditionals() -> Any:
    return scenario(phases=[phase("p1", "D+0")], ends="D+10",
                    indicators=[indicator("load", 40, drift={"p1": "5/day"}), indicator("calm", 50)],
                    injects=[inject("done", "D+0 00:30"),
                             inject("c0", when="released(done)"),  # released by the first move
                             inject("c1", when="load >= 55"),  # drift makes it true on day 3
                             inject("c2", "D+1", when="calm >= 0"),  # true, but not before its time
                             inject("c3", when="calm >= 60")])  # nothing moves calm: parked


def test_next_stop_predicts_conditional_injects_without_releasing_them() -> None:
    engine = start(_conditionals())
    assert engine.next_stop() == 30
    do(engine, Advance(30))
    assert engine.state.inject("c0").status is InjectStatus.RELEASED
    before = list(engine.events)
    assert engine.next_stop() == 1440  # c2 at its time
    assert list(engine.events) == before and engine.state == fold(engine.scenario, engine.events)
    fresh = Engine(engine.scenario, clock=engine._clock, events=list(engine.events))  # a cold cache
    assert fresh.next_stop() == 1440
    do(engine, Advance(1440 - 30))
    assert engine.state.inject("c2").status is InjectStatus.RELEASED
    assert engine.next_stop() == 3 * 1440  # c1, when the drift reaches 55
    assert Engine(engine.scenario, clock=engine._clock, events=list(engine.events)).next_stop() == 3 * 1440
    do(engine, Advance(2 * 1440))
    assert engine.state.inject("c1").status is InjectStatus.RELEASED
    assert engine.next_stop() == 10 * 1440  # only the end is left; c3 never holds
    assert Engine(engine.scenario, clock=engine._clock, events=list(engine.events)).next_stop() == 10 * 1440
    assert engine.state.inject("c3").status is InjectStatus.PENDING


# --- evaluation refusals: the code and the sentence the console shows ---------------------------------


@pytest.mark.parametrize(("command", "reason"), [
    (NoteHotwash("minus", "x"), "a hotwash point is one of plus, delta, takeaway, not 'minus'"),
    (NoteHotwash("plus", " "), "the hotwash point must not be empty"),
    (NoteHotwash("plus", "x" * 2001), "a hotwash point is at most 2000 characters"),
    (GiveFeedback(()), "the questionnaire has no answers"),
    (GiveFeedback(tuple((f"q{n}", "a") for n in range(51))), "at most 50 answers"),
    (GiveFeedback((("q1", "a", "b"),)), "each answer is a (question, answer) pair of texts"),  # type: ignore[arg-type]
    (GiveFeedback((("q1", 3),)), "each answer is a (question, answer) pair of texts"),  # type: ignore[arg-type]
    (GiveFeedback((("q1", "a"), ("q1", "b"))), "question 'q1' is empty or answered twice"),
    (GiveFeedback(((" ", "a"),)), "question ' ' is empty or answered twice"),
    (GiveFeedback((("q1", " "),)), "the answer to 'q1' is empty or longer than 2000 characters"),
    (GiveFeedback((("q1", "x" * 2001),)), "the answer to 'q1' is empty or longer than 2000 characters"),
])
def test_hotwash_and_feedback_refusals(command: Any, reason: str) -> None:
    engine = start(basic())
    do(engine, EndExercise())
    with pytest.raises(CommandRefused) as refused:
        engine.handle(command)
    assert (refused.value.code, refused.value.reason) == ("bad_value", reason)


def test_hotwash_and_feedback_at_their_limits_are_accepted() -> None:
    engine = start(basic())
    do(engine, EndExercise(), NoteHotwash("takeaway", "x" * 2000),
       GiveFeedback((*((f"q{n}", "a") for n in range(49)), ("q49", "y" * 2000))))
    assert [e.kind for e in engine.events[-2:]] == ["hotwash_noted", "feedback_given"]


def test_the_dreiebok_shows_titles_ten_by_default_and_ties_in_scenario_order() -> None:
    engine = start(rich())
    upcoming = upcoming_injects(engine.state, engine.scenario)
    assert len(upcoming) == 10
    assert [u.title for u in upcoming] == [engine.scenario.inject(u.inject_id).title for u in upcoming]
    ties = scenario(phases=[phase("p1", "D+0")], ends="D+5", indicators=[indicator("load", 40)],
                    injects=[inject("b", "D+1"), inject("c", "D+1", when="load > 90"), inject("a", "D+1")])
    engine = start(ties)
    assert [(u.inject_id, u.due) for u in upcoming_injects(engine.state, engine.scenario)] == [
        ("b", 1440), ("c", 1440), ("a", 1440)]  # same time: in scenario order, whatever the trigger
    do(engine, AddAdhocInject("Én", "", Channel.PHONE, release=False),
       AddAdhocInject("To", "", Channel.PHONE, release=False), ReleaseInject("adhoc-2"))
    assert [(u.inject_id, u.title) for u in upcoming_injects(engine.state, engine.scenario)][-1:] == [
        ("adhoc-1", Text.of("Én"))]


def test_a_conditional_due_right_now_has_no_due_time() -> None:
    engine = start(rich())
    do(engine, JumpToPhase("mellom"), Advance(parse_time("D+15 00:00").minutes - parse_time("D+14").minutes))
    assert engine.state.scenario_minutes == 21600 and engine.state.inject("c2").status is InjectStatus.PENDING
    assert ("c2", None) in [(u[0], u[2]) for u in _upcoming(engine)]


# --- evaluation: what is recorded and why a command is refused ----------------------------------------


def _evaluated() -> Engine:
    engine = Engine.start(rich(), team="Lag", clock=FakeClock(), mode=Mode.PACED,
                          criteria=frozenset({"KH-2", "KH-3"}), tasks={"KH-2": 3})
    do(engine, Resume(), Advance(480))
    return engine


def _reason(engine: Engine, command: Any, code: str) -> str:
    with pytest.raises(CommandRefused) as refused:
        engine.handle(command)
    assert refused.value.code == code
    return refused.value.reason


def test_reasoning_is_rated_only_on_a_decided_decision_by_an_evaluator_for_known_criteria() -> None:
    engine = _evaluated()
    assert _reason(engine, RateReasoning("d01", Level.S, "Eva"), "not_decided") == (
        "decision d01 has not been decided: there is no reasoning to rate")
    do(engine, Decide("d01", "a", "Ro", "Kari"))
    assert _reason(engine, RateReasoning("d01", Level.S, " "), "bad_value") == "the evaluator must not be empty"
    assert _reason(engine, RateReasoning("d01", Level.S, "Eva", criteria=("KH-2", "XX-1")),
                   "unknown_criterion") == "there is no criterion 'XX-1'"
    do(engine, RateReasoning("d01", Level.S, "Eva", criteria=("KH-2",)))
    assert engine.events[-1].criteria == ("KH-2",)  # type: ignore[attr-defined]


def test_a_task_mark_keeps_the_time_it_was_seen() -> None:
    engine = _evaluated()
    do(engine, MarkTask("KH-2", 1, TaskStatus.OBSERVED, "Eva", observed_at=100),
       MarkTask("KH-2", 2, TaskStatus.OBSERVED, "Eva"))
    assert [e.observed_at for e in engine.events[-2:]] == [100, 480]  # type: ignore[attr-defined]


def test_an_earlier_decisions_record_is_amended_after_a_later_choice() -> None:
    engine = start(rich())
    do(engine, Advance(480), Decide("d01", "a", "Ro", "Kari"))
    while engine.state.decision("d02").status is not DecisionStatus.OPEN:
        do(engine, Advance(60))
    do(engine, Decide("d02", engine.scenario.decision("d02").options[0].id, "Fort", "Ola"),
       AmendDecisionRecord("d01", "Ro og orden", "Kari"))
    assert [(r.decision_id, r.rationale, r.amendments) for r in engine.state.history()] == [
        ("d01", "Ro og orden", 1), ("d02", "Fort", 0)]


# --- the stored form: exact reasons for a bad event, slices of the log ---------------------------------


@pytest.mark.parametrize(("change", "message"), [
    ({"lead": 1}, "evaluator_added event 3: expected true or false, found int 1"),
    ({"lead": "ja"}, "evaluator_added event 3: expected true or false, found str 'ja'"),
    ({"seq": "3"}, "evaluator_added event '3': expected an integer, found str '3'"),
    ({"name": None}, "evaluator_added event 3: expected text, found NoneType None"),
])
def test_a_bad_stored_event_says_what_it_expected(change: dict[str, Any], message: str) -> None:
    data = {"kind": "evaluator_added", "seq": 3, "scenario_minutes": 0, "exercise_seconds": 0.0, "wall": "",
            "name": "Eva", "lead": True}
    assert event_from_dict(data).lead is True  # type: ignore[attr-defined]
    with pytest.raises(EventFormatError) as error:
        event_from_dict({**data, **change})
    assert str(error.value) == message


def test_a_bad_level_or_enum_in_a_stored_event_is_named() -> None:
    base = {"seq": 2, "scenario_minutes": 0, "exercise_seconds": 0.0, "wall": ""}
    observed = {**base, "kind": "observation_added", "observation_id": "o1", "text": "x", "author": "",
                "criteria": [], "inject_id": None, "decision_id": None}
    with pytest.raises(EventFormatError) as error:
        event_from_dict({**observed, "level": "X"})
    assert str(error.value) == "observation_added event 2: 'X' is not a valid Level"
    with pytest.raises(EventFormatError) as error:
        event_from_dict({**base, "kind": "mode_changed", "mode": "fast"})
    assert str(error.value) == "mode_changed event 2: 'fast' is not a valid Mode"
    with pytest.raises(EventFormatError) as error:
        event_from_dict({**base, "kind": "clock_advanced", "from_minute": 0, "carry": 0.0, "values": {"a": "1"}})
    assert str(error.value) == "clock_advanced event 2: expected a number, found str '1'"
    with pytest.raises(EventFormatError) as error:
        event_from_dict({**base, "kind": "clock_advanced", "from_minute": 0, "carry": 0.0, "values": [["a", 1.0]]})
    assert str(error.value) == "clock_advanced event 2: expected a mapping, found list [['a', 1.0]]"
    ok = event_from_dict({**base, "kind": "clock_advanced", "from_minute": 0, "carry": 0.0, "values": {"a": 1}})
    assert ok.values == (("a", 1.0),)  # type: ignore[attr-defined]


def test_a_slice_of_the_event_log_is_a_tuple() -> None:
    engine = start(basic())
    assert engine.events[:2] == (engine.events[0], engine.events[1])
    assert type(engine.events[:2]) is tuple


@pytest.mark.parametrize(("command", "code", "reason"), [
    (MarkTask("KH-2", True, TaskStatus.OBSERVED, "Eva"), "unknown_task",
     "a critical task is numbered from 1, not True"),
    (MarkTask("KH-2", 0, TaskStatus.OBSERVED, "Eva"), "unknown_task", "a critical task is numbered from 1, not 0"),
    (MarkTask("KH-2", 4, TaskStatus.OBSERVED, "Eva"), "unknown_task", "KH-2 has 3 critical task(s), not 4"),
    (MarkTask("KH-3", 1, TaskStatus.OBSERVED, "Eva"), "unknown_task", "KH-3 has no critical tasks"),
    (MarkTask("KH-2", 1, "seen", "Eva"), "bad_value",  # type: ignore[arg-type]
     "the mark must be observed, partly, not_observed or not_applicable, not 'seen'"),
    (MarkTask("KH-2", 1, TaskStatus.OBSERVED, " "), "bad_value", "the evaluator must not be empty"),
    (MarkTask("KH-2", 1, TaskStatus.OBSERVED, "Eva", observed_at=-1), "bad_value",
     "the scenario time it was seen must lie within the scenario"),
    (MarkTask("KH-2", 1, TaskStatus.OBSERVED, "Eva", observed_at=True), "bad_value",
     "the scenario time it was seen must lie within the scenario"),
    (MarkTask("KH-2", 1, TaskStatus.OBSERVED, "Eva", observed_at=86401), "bad_value",
     "the scenario time it was seen must lie within the scenario"),
    (AddEvaluator(" "), "bad_value", "the evaluator's name must not be empty"),
    (AddEvaluator("x" * 61), "bad_value", "an evaluator's name is one line of at most 60 printable characters"),
    (AddEvaluator("Per\tBerg"), "bad_value", "an evaluator's name is one line of at most 60 printable characters"),
    (AddEvaluator("Per", lead="ja"), "bad_value", "lead must be true or false"),  # type: ignore[arg-type]
    (AddEvaluator("Per", lead=True), "lead_exists", "'Eva' is already the lead evaluator"),
    (MarkTask("KH-2", 1, TaskStatus.OBSERVED, "Ola"), "unknown_evaluator",
     "'Ola' is not an evaluator of this session (evaluators: Eva, Kim)"),
    (ReconcileRating("KH-2", Level.S, " ", "Eva"), "bad_value",
     "the reason for the reconciled rating must not be empty"),
    (ReconcileRating("KH-2", Level.S, "Enige", " "), "bad_value", "the lead evaluator must not be empty"),
    (ReconcileRating("KH-2", Level.S, "Enige", "Kim"), "not_lead", "only the lead evaluator (Eva) reconciles ratings"),
])
def test_evaluator_command_refusals(command: Any, code: str, reason: str) -> None:
    engine = _evaluated()
    do(engine, AddEvaluator("Eva", lead=True), AddEvaluator("Kim"))
    assert _reason(engine, command, code) == reason


def test_evaluator_limits_that_are_accepted() -> None:
    engine = _evaluated()
    ends = engine.scenario.ends.minutes
    do(engine, AddEvaluator("x" * 60, lead=True), MarkTask("KH-2", 3, TaskStatus.OBSERVED, "x" * 60, observed_at=0),
       MarkTask("KH-2", 1, TaskStatus.PARTLY, "x" * 60, observed_at=ends))
    assert [e.observed_at for e in engine.events[-2:]] == [0, ends]  # type: ignore[attr-defined]


def test_amending_a_record_that_is_not_there_is_a_format_error() -> None:
    engine = start(basic())
    amended = {"kind": "decision_record_amended", "seq": len(engine.events) + 1, "scenario_minutes": 0,
               "exercise_seconds": 0.0, "wall": "", "decision_id": "d01", "record_seq": 1, "rationale": "",
               "decided_by": "", "previous_rationale": "", "previous_decided_by": "", "by": ""}
    with pytest.raises(EventFormatError) as error:
        fold(engine.scenario, [*engine.events, event_from_dict(amended)])
    assert str(error.value) == f"decision_record_amended {amended['seq']}: no decision record with seq 1"


def test_an_unknown_inject_is_a_key_error_naming_it() -> None:
    with pytest.raises(KeyError) as error:
        start(basic()).state.inject("i99")
    assert error.value.args == ("i99",)
