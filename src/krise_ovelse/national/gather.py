"""What the national report is made of: each organisation's stream and its evaluators' streams.

An organisation's chapter is scored from its own stream (an ordinary session) together with the
checklists, observations and ratings its evaluators wrote in their own streams, merged in
position order (`national.evaluator.merged_events`): exactly the fold each evaluator's console
showed while recording them.
"""

from __future__ import annotations

from typing import Any

from krise_ovelse.national.evaluator import evaluator_streams, merged_events, read_streams
from krise_ovelse.national.setup import Setup, org_stream, stream_id
from krise_ovelse.store.pg import PgStore


def organisation_events(store: PgStore, setup: Setup, org_id: str) -> list[Any]:
    """The organisation's stream with its evaluators' records, as engine events in one numbering."""
    from krise_ovelse.store.lifecycle import engine_events

    org_session = stream_id(setup.exercise, org_stream(org_id))
    records = read_streams(store, setup.exercise, [org_session, *evaluator_streams(setup, org_id)])
    return engine_events(merged_events(records, org_session), org_session)


def chapters(store: PgStore, setup: Setup) -> list[Any]:
    """One `report.national.Chapter` per organisation, in the order of the participants file."""
    from krise_ovelse.report.national import Chapter
    from krise_ovelse.report.view import build_report, session_meta_from_record
    from krise_ovelse.scoring.adapter import scoring_input_from_events
    from krise_ovelse.store.lifecycle import open_checked

    out = []
    for org in setup.organisations:
        opened = open_checked(store, stream_id(setup.exercise, org_stream(org.id)))
        events = organisation_events(store, setup, org.id)
        record = scoring_input_from_events(opened.scenario, events)
        meta = session_meta_from_record(record, session_id=opened.session_id, date=(opened.info.started or "")[:10],
                                        status=opened.info.effective_status)
        out.append(Chapter(org.id, org.name, build_report(opened.scenario, record, session=meta, events=events)))
    return out
