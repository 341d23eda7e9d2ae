"""Participants are shown with the role's name (not its id) in the report's language, by the one
function the console's export and the CLI report share; the timeline order is (minute, seq)."""

from __future__ import annotations

import attrs

from krise_ovelse.model.scenario import Scenario
from krise_ovelse.report import build_report
from krise_ovelse.report.view import build_view
from krise_ovelse.scoring.adapter import _participant, localise_participant, participant_label

from .report_fixtures import SESSION, mixed_run


def test_participant_label_names_the_role_in_the_language(scenario: Scenario) -> None:
    assert participant_label("Kari Nordmann", "dir", scenario, "nb") == "Kari Nordmann (Direktør)"
    assert participant_label("Kari Nordmann", "dir", scenario, "en") == "Kari Nordmann (Director)"
    assert participant_label("Ola", "hr", scenario, "en") == "Ola (HR director)"
    assert participant_label("Ola", "", scenario, "nb") == "Ola"
    assert participant_label("Ola", "Gjest", scenario, "nb") == "Ola (Gjest)"  # free text kept
    assert participant_label("Ola", "hr") == "Ola (hr)"  # no scenario: the neutral record keeps the id


def test_the_record_keeps_ids_and_the_report_shows_names(scenario: Scenario) -> None:
    assert _participant({"name": "Kari Nordmann", "role": "dir"}) == "Kari Nordmann (dir)"
    assert localise_participant("Kari Nordmann (dir)", scenario, "nb") == "Kari Nordmann (Direktør)"
    # a label that already shows the name (the console's export) is left as it is
    assert localise_participant("Kari Nordmann (Direktør)", scenario, "en") == "Kari Nordmann (Direktør)"
    assert localise_participant("Liv (ekstern) Hansen", scenario, "nb") == "Liv (ekstern) Hansen"


def test_the_report_shows_role_names_for_recorded_ids(scenario: Scenario) -> None:
    meta = attrs.evolve(SESSION, participants=("Kari Nordmann (dir)", "Ola Hansen (hr)"))
    data = build_report(scenario, mixed_run(), session=meta)
    assert build_view(data, "nb").participants == ("Kari Nordmann (Direktør)", "Ola Hansen (HR-direktør)")
    assert build_view(data, "en").participants == ("Kari Nordmann (Director)", "Ola Hansen (HR director)")


def test_the_timeline_is_ordered_by_minute_then_seq_whatever_the_record_order(scenario: Scenario) -> None:
    record = mixed_run()
    shuffled = attrs.evolve(record, injects=tuple(reversed(record.injects)),
                            decisions=tuple(reversed(record.decisions)),
                            observations=tuple(reversed(record.observations)))
    first = build_view(build_report(scenario, record, session=SESSION), "nb").timeline
    second = build_view(build_report(scenario, shuffled, session=SESSION), "nb").timeline
    assert first == second
    keys = [(row.minutes, row.seq) for row in first]
    assert keys == sorted(keys)
