"""The session store: crash-safe SQLite sessions, JSONL export/import (no Textual, no engine).

One SQLite file (WAL, synchronous=FULL) holds every session: its details, a copy of the
scenario text, and the append-only list of its events as the engine's stable dicts. See
docs/sessions.md for users and `krise_ovelse.store.db` for the why of each setting.

    from krise_ovelse.store import SessionStore, resolve_db_path
    with SessionStore(resolve_db_path(None)) as store:        # --db / $KRISE_OVELSE_DB / default
        info = store.create_session(scenario_text=text, scenario_id=scenario.id, team="Lag A")
        engine = Engine(scenario, clock=clock, sink=store.sink(info.id))   # commits, then applies
        ...
        store.list_sessions(); store.events(info.id); store.scenario_text(info.id)

With the engine: `krise_ovelse.store.lifecycle` (the one session lifecycle: start_session,
resume_session, follow_session, close_session, branch_session; open_store picks the backend),
`krise_ovelse.store.engine_bridge` (replay_session, describe, headless runs) and
`krise_ovelse.store.importing.import_verified` (an export refolded, every value derived).
"""

from krise_ovelse.store.backend import Store, open_store
from krise_ovelse.store.db import NoDatabase, SessionStore
from krise_ovelse.store.errors import ExportFileError, StoreError, UnknownSession
from krise_ovelse.store.exchange import export_to_path, read_export
from krise_ovelse.store.location import ENV_DB, default_db_path, resolve_db_path
from krise_ovelse.store.session_rows import SessionInfo
from krise_ovelse.store.sink import StoreSink

__all__ = [
    "ENV_DB",
    "ExportFileError",
    "NoDatabase",
    "SessionInfo",
    "SessionStore",
    "Store",
    "StoreError",
    "StoreSink",
    "UnknownSession",
    "default_db_path",
    "export_to_path",
    "open_store",
    "read_export",
    "resolve_db_path",
]
