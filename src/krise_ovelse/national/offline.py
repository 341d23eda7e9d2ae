"""An organisation that played offline (SQLite) joins the shared exercise with its export.

The organisation plays the exercise's scenario on its own machine (`krise-ovelse play`),
exports the session (`krise-ovelse export`) and the control cell imports the file into that
organisation's stream. The export is verified as any import is (its hash, its format, a signature if it carries one —
required with `verify` —, and every id its events name must be in its scenario); then
the scenario must be the exercise's (same sha256), the events must fold over it, and the
organisation's stream must be empty — a stream the organisation already played online is
never mixed with an offline copy (refused, exit 1). The events keep their numbers; positions
are assigned now; all in one transaction.
"""

from __future__ import annotations

from pathlib import Path

from krise_ovelse.national.setup import Setup, org_stream, stream_id
from krise_ovelse.store.errors import EXIT_PROBLEMS, StoreError
from krise_ovelse.store.pg import PgStore


def import_offline(store: PgStore, setup: Setup, org_id: str, path: Path, *, verify: bool = False) -> int:
    """Append an offline organisation's exported session to its stream; return the events added."""
    from krise_ovelse.store.codec import sha256_text
    from krise_ovelse.store.exchange import read_export
    from krise_ovelse.store.importing import check_references, check_signature
    from krise_ovelse.store.lifecycle import criteria_ids, engine_events, fold_session, stored_scenario

    org = setup.organisation(org_id)
    data = read_export(path)
    check_signature(data, str(path), required=verify)
    stream = stream_id(setup.exercise, org_stream(org.id))
    info = store.get(stream)
    scenario = stored_scenario(store, stream)
    if sha256_text(data.scenario_text) != info.scenario_sha256:
        raise StoreError(f"{path}: played on another scenario text than exercise {setup.exercise}", EXIT_PROBLEMS,
                         "the organisation must play the exercise's own scenario file")
    if info.last_seq:
        raise StoreError(f"{org.id}'s stream in exercise {setup.exercise} has {info.last_seq} events already; "
                         "an offline copy is not mixed into it", EXIT_PROBLEMS,
                         "keep the offline session as its own session: krise-ovelse import FILE --db URL")
    check_references(scenario, data.events, criteria_ids(scenario), str(path))
    fold_session(scenario, engine_events(data.events, stream), stream)
    store.append(stream, data.events)
    status = str(data.session.get("status"))
    store.set_status(stream, status if status in ("paused", "ended") else "paused")
    return len(data.events)
