"""What the national report is made of: each organisation's stream and its evaluators' streams.

An organisation's chapter is scored from its own stream (an ordinary session) together with the
observations and ratings its evaluators wrote in their own streams, as if they had been written
into the session after its last event.
"""

from __future__ import annotations

from typing import Any

from krise_ovelse.national.setup import Setup, eval_stream, org_stream, stream_id
from krise_ovelse.store.pg import PgStore


def chapters(store: PgStore, setup: Setup) -> list[Any]:
    """One `report.national.Chapter` per organisation, in the order of the participants file."""
    from krise_ovelse.report.national import Chapter
    from krise_ovelse.report.view import build_report, session_meta_from_record
    from krise_ovelse.scoring.adapter import scoring_input_from_events
    from krise_ovelse.store.lifecycle import engine_events, open_checked

    out = []
    for org in setup.organisations:
        opened = open_checked(store, stream_id(setup.exercise, org_stream(org.id)))
        events = list(opened.events)
        seq = len(events)
        for evaluator in setup.evaluators:
            if evaluator.organisation != org.id:
                continue
            sid = stream_id(setup.exercise, eval_stream(evaluator.id))
            for data in store.events(sid):
                seq += 1
                events.extend(engine_events([{**data, "seq": seq}], sid))
        record = scoring_input_from_events(opened.scenario, events)
        meta = session_meta_from_record(record, session_id=opened.session_id, date=(opened.info.started or "")[:10],
                                        status=opened.info.effective_status)
        out.append(Chapter(org.id, org.name, build_report(opened.scenario, record, session=meta,
                                                          events=opened.events)))
    return out
