"""A stored headless run, for the kill -9 tests: `run_headless_stored` with progress reports.

    python headless_driver.py DB SCENARIO.yaml PLAYTHROUGH.yaml

Prints `session ID` when the session is created and `committed SEQ` after every command's
transaction, so the test can kill it at a point it knows something about.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any

from krise_ovelse.authoring import load_scenario
from krise_ovelse.scripted.playthrough import load_playthrough
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.engine_bridge import run_headless_stored
from krise_ovelse.store.session_rows import SessionInfo


class ReportingStore(SessionStore):
    def create_session(self, **kwargs: Any) -> SessionInfo:
        info = super().create_session(**kwargs)
        print(f"session {info.id}", flush=True)
        return info

    def append(self, session_id: str, events: Sequence[Mapping[str, Any]]) -> int:
        last = super().append(session_id, events)
        print(f"committed {last}", flush=True)
        return last


def main() -> None:
    db, scenario_path, playthrough_path = sys.argv[1:4]
    loaded = load_scenario(scenario_path)
    assert loaded.scenario is not None and loaded.text is not None
    script = load_playthrough(playthrough_path, loaded.scenario)
    assert script.playthrough is not None, [p.render() for p in script.problems]
    with ReportingStore(db) as store:
        run_headless_stored(store, loaded.scenario, loaded.text, script.playthrough)
    print("done", flush=True)


if __name__ == "__main__":
    main()
