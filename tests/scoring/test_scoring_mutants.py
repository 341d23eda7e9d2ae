"""Tests that kill mutants which survived `.ci/mutation scoring` (issue #12, item 6;
docs/testing.md): who people are in the record and the report (role ids shown as the role's
name), fields an event may leave out, a confirmation's stock reason, a bad checklist mark.
The other survivors have tests next to what they test: test_table.py (the terminal table),
test_input_form.py and test_result_form.py (the stored forms), test_adapter_record.py (events to
the record), test_explain.py (a rating's explanation), test_reasons.py (evidence reasons).

Mutants left alive on purpose, because they cannot change behaviour (equivalent):

- `lang: str = "nb"` defaults changed to another unknown code (`"XXnbXX"`, `"NB"`), and
  `text(None, …)` where `lang` was "nb": `messages.normalise` reads every unknown language, and
  None, as bokmål.
- `adapter.scoring_input`: `callable(events)` → `callable(None)`: the only sources whose
  `events` is a method are the session stores, which are not events either; both versions
  then fail the same way (iterating something that is not events).
- `adapter.scoring_input_from_events` fast paths: `type(raw) is dict` (a dict is a Mapping
  too), an event object's `__dict__` (the field view `_Fields` reads the same fields).
- `records.sort` key: `opened_minutes and 0.0`, `opened_seq and 0` / `or 1`: in a log the
  sequence numbers and the minutes rise together, so either key alone gives the same order.
- Caches that only save work: `evidence._choice_reason` (`_REASONS`) and `ratings._infos`
  (`_INFOS`): a miss, a smaller limit or a key that never hits recomputes the same value.
- `evidence.shorten`: `rsplit(" ")` → `rsplit(None)`: the line's whitespace is single spaces
  already.
- `ratings._best_first`: its guard for N/O and None: only counted evidence (P, S, M, U) is
  sorted.
"""

from __future__ import annotations

from typing import Any

import pytest

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.engine.values import Participant
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.scoring.adapter import (
    localise_participant,
    participant_label,
    role_label,
    scoring_input_from_events,
)
from krise_ovelse.scoring.evidence import person
from krise_ovelse.scoring.inputs import TaskMark
from krise_ovelse.scoring.ratings import says_only_confirmed

from .test_ratings import SCENARIO

ROLES = "roles:\n  - {id: direktor, name: {nb: Direktør, en: Director}}\n  - hr\n"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    loaded = load_scenario_text(SCENARIO.replace("ends: D+21\n", "ends: D+21\n" + ROLES), "roller.yaml")
    assert loaded.scenario is not None, loaded.problems
    return loaded.scenario


# --- who people are --------------------------------------------------------------------------


def test_a_role_id_reads_as_the_roles_name(scenario: Scenario) -> None:
    assert role_label(" direktor ", scenario, "en") == "Director"
    assert role_label("direktor", scenario) == "Direktør"
    assert role_label("Sjef", scenario, "en") == "Sjef"  # free text, as given
    assert role_label("direktor") == "direktor"  # no scenario: the id is kept
    assert role_label("  ", scenario) == ""


def test_a_participant_is_name_and_role(scenario: Scenario) -> None:
    assert participant_label(" Kari ", "direktor", scenario, "en") == "Kari (Director)"
    assert participant_label("Kari", "direktor", scenario) == "Kari (Direktør)"
    assert participant_label("Kari", "direktor") == "Kari (direktor)"
    assert participant_label("Kari") == "Kari"  # no role: no brackets


def test_a_recorded_participant_is_shown_in_the_readers_language(scenario: Scenario) -> None:
    assert localise_participant("Kari Nordmann (direktor)", scenario, "en") == "Kari Nordmann (Director)"
    assert localise_participant(" Kari Nordmann (direktor) ", scenario, "nb") == "Kari Nordmann (Direktør)"
    assert localise_participant("Kari (Sjef)", scenario, "en") == "Kari (Sjef)"
    assert localise_participant(" Kari ", scenario, "en") == "Kari"
    assert localise_participant("Kari (a (b))", scenario, "en") == "Kari (a (b))"


def test_a_person_in_the_report(scenario: Scenario) -> None:
    assert person("direktor", scenario, "en") == "Director"
    assert person(" hr ", scenario, "nb") == "hr"
    assert person("facilitator", scenario, "nb") == "øvingsleder"
    assert person("facilitator", None, "en") == "facilitator"
    assert person(" Ola ", scenario, "nb") == "Ola"


class _Unnamed:
    """A participant object from an older engine, without a role."""

    name = "Per"


@pytest.mark.parametrize(("given", "recorded"), [
    ({"name": "Kari", "role": "direktor"}, "Kari (direktor)"),
    ({"name": "Kari", "role": None}, "Kari"),
    ({"role": "hr"}, " (hr)"),
    ("Ola (hr)", "Ola (hr)"),
    (Participant("Liv", "hr"), "Liv (hr)"),
    (Participant("Liv"), "Liv"),
    (_Unnamed(), "Per"),
])
def test_participants_are_recorded_in_one_form(scenario: Scenario, given: Any, recorded: str) -> None:
    event = {"seq": 1, "kind": "session_started", "scenario_minutes": 0, "participants": [given]}
    assert scoring_input_from_events(scenario, [event]).participants == (recorded,)


def test_an_adhoc_inject_may_leave_its_fields_out(scenario: Scenario) -> None:
    events = [{"seq": 1, "kind": "session_started", "scenario_minutes": 0},
              {"seq": 2, "kind": "inject_released", "inject_id": "adhoc-1", "scenario_minutes": 10},
              {"seq": 3, "kind": "adhoc_inject_added", "inject_id": "adhoc-1", "title": None}]
    (inject,) = scoring_input_from_events(scenario, events).injects
    assert inject.adhoc
    assert (inject.title, inject.sender, inject.channel, inject.body) == ("", "", "", "")


# --- small rules -----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "  ", "Bekreftet.", "confirmed by the evaluator.", " bekreftet av evaluator "])
def test_a_stock_confirmation_says_nothing_more(reason: str) -> None:
    assert says_only_confirmed(reason)


@pytest.mark.parametrize("reason", [".bekreftet", "Bekreftet: teamet drøftet", "x"])
def test_a_reason_of_its_own_is_kept(reason: str) -> None:
    assert not says_only_confirmed(reason)


def test_a_bad_checklist_mark_is_named() -> None:
    with pytest.raises(ValueError, match=r"^a checklist mark must be one of observed, partly, not_observed, "
                                         r"not_applicable, not 'maybe'$"):
        TaskMark("KH-1", 1, "maybe")
