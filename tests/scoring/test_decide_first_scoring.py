"""Decide first, see the options after: how written and mapped decisions are rated, and how the
report shows the team's own words and the mapping."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from krise_ovelse.authoring import load_scenario
from krise_ovelse.model.scenario import Level, Scenario
from krise_ovelse.paths import resolve_scenario_arg
from krise_ovelse.report import build_report, render_report, render_report_bytes
from krise_ovelse.scoring.adapter import scoring_input_from_events
from krise_ovelse.scoring.evidence import Source, collect_evidence
from krise_ovelse.scoring.inputs import (
    DecisionRecord,
    ScoringInput,
    Written,
    input_from_dict,
    input_to_dict,
)
from krise_ovelse.scoring.ratings import score
from krise_ovelse.scripted.headless import run_headless
from krise_ovelse.scripted.playthrough import load_playthrough, load_playthrough_text

PLAY = Path(__file__).resolve().parents[2] / "scenarios" / "playthroughs" / "kort-eksempel" / "beslutt-forst.yaml"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    loaded = load_scenario(resolve_scenario_arg("kort-eksempel"))
    assert loaded.scenario is not None
    return loaded.scenario


@pytest.fixture(scope="module")
def played(scenario: Scenario) -> tuple[ScoringInput, list[object]]:
    playthrough = load_playthrough(PLAY, scenario).playthrough
    assert playthrough is not None
    result = run_headless(scenario, playthrough)
    return scoring_input_from_events(scenario, result.events), list(result.events)


def test_a_mapped_option_counts_as_that_options_indication(scenario: Scenario,
                                                         played: tuple[ScoringInput, list[object]]) -> None:
    record, _ = played
    items = [e for e in collect_evidence(scenario, record) if e.decision == "d01"]
    option = [e for e in items if e.source is Source.OPTION]
    assert {(e.criterion, e.level) for e in option} == {("KH-2", Level.P), ("DA-4", Level.S)}
    assert all(not e.is_judgement for e in option)


def test_annet_counts_as_the_mappers_judgement_not_an_option_tag(scenario: Scenario,
                                                                played: tuple[ScoringInput, list[object]]) -> None:
    record, _ = played
    items = [e for e in collect_evidence(scenario, record) if e.decision == "d02"]
    assert {(e.criterion, e.level, e.source, e.author) for e in items} == {
        ("KH-4", Level.P, Source.MAPPING, "Eva Lind"), ("OE-1", Level.S, Source.MAPPING, "Eva Lind")}
    assert all(e.is_judgement and e.counted for e in items)
    assert "Kundesenteret jobber på skift" in items[0].reason.get("nb")
    rating = next(r for r in score(scenario, record).ratings if r.criterion == "KH-4")
    assert rating.judgement is Level.P
    assert [v.name for v in rating.evaluators] == ["Eva Lind"]


def test_a_mapping_after_endex_counts_the_choice_but_moved_nothing(scenario: Scenario,
                                                                  played: tuple[ScoringInput, list[object]]) -> None:
    record, _ = played
    d03 = record.decision("d03")
    assert d03 is not None and d03.written is not None and not d03.written.applied
    assert [c.option for c in d03.choices] == ["a"] and d03.choices[0].rationale.startswith("To uker til")
    items = [e for e in collect_evidence(scenario, record) if e.decision == "d03" and e.source is Source.OPTION]
    assert {e.criterion for e in items} == {"AM-4", "AM-1", "AM-3"}


def test_an_unmapped_written_decision_awaits_mapping_and_is_not_missed(scenario: Scenario) -> None:
    text = ("scenario: kort-eksempel\nteam: T\ndecide_first: true\nactions:\n"
            "  - {at: 'D+0 07:00', write: {decision: d01, text: 'SMS til alle nå'}}\n")
    playthrough = load_playthrough_text(text, scenario).playthrough
    assert playthrough is not None
    result = run_headless(scenario, playthrough)
    record = scoring_input_from_events(scenario, result.events)
    d01 = record.decision("d01")
    assert d01 is not None and d01.awaiting_mapping and d01.closed and not d01.missed
    assert d01.response_minutes == 30 and d01.choices == ()
    timeliness = [e for e in collect_evidence(scenario, record) if e.source is Source.TIMELINESS]
    assert all(e.decision != "d01" for e in timeliness)  # not a missed deadline
    assert all(e.decision != "d01" for e in collect_evidence(scenario, record) if e.source is Source.OPTION)
    view = render_report(build_report(scenario, record), "md", "nb")
    assert "Venter på kobling til et alternativ (fristen er overholdt)" in view
    assert "SMS til alle nå" in view


def test_the_report_shows_the_teams_words_and_the_mapping_in_every_format(
        scenario: Scenario, played: tuple[ScoringInput, list[object]]) -> None:
    record, events = played
    data = build_report(scenario, record, events=events)
    md = render_report(data, "md", "nb")
    assert "Beslutningen med egne ord: «Kundesenteret jobber på skift" in md
    assert "Koblet til «annet» (ingen av alternativene); Vurdert: KH-4 P, OE-1 S" in md
    assert "Koblet av: Eva Lind" in md
    assert "koblet etter ENDEX, uten virkning på indikatorene" in md
    en = render_report(data, "md", "en")
    assert "Mapped to “other” (none of the options); Rated: KH-4 P, OE-1 S" in en
    html = render_report(data, "html", "nb")
    assert "Koblet til «annet»" in html and "<script" not in html
    from docx import Document

    document = Document(io.BytesIO(render_report_bytes(data, "docx", "nb")))
    texts = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Kundesenteret jobber på skift" in texts and "Koblet av: Eva Lind" in texts


def test_the_record_round_trips_and_older_records_still_read(played: tuple[ScoringInput, list[object]]) -> None:
    record, _ = played
    data = input_to_dict(record)
    assert data["version"] == 3
    assert input_from_dict(data) == record
    old = {**data, "version": 2, "decisions": [{k: v for k, v in d.items() if k != "written"}
                                               for d in data["decisions"]]}
    read = input_from_dict(old)
    assert all(d.written is None for d in read.decisions)


def test_written_text_is_data_in_the_report(scenario: Scenario) -> None:
    hostile = "<script>alert(1)</script> **fet** [lenke](javascript:x)\x1b[31m"
    record = ScoringInput(decisions=(DecisionRecord(
        decision="d01", opened_seq=2, opened_minutes=390.0, deadline_minutes=750.0,
        written=Written(text=hostile, seq=3, minutes=400.0, mapped_option="annet", mapped_by="Eva",
                        levels=(("KH-2", Level.M),), note="<b>x</b>")),))
    html = render_report(build_report(scenario, record), "html", "nb")
    assert "<script>alert" not in html and "<b>x</b>" not in html
