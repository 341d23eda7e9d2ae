"""A stand-in exercise for the kill -9 tests: deterministic commands appended through the store.

    python crash_driver.py DB SESSION_ID COMMANDS SEED

Creates the session if it does not exist, or resumes it from its stored events, then runs
command after command until COMMANDS are done. Each command makes 1-4 events (like an engine
command that releases an inject and opens a decision) and commits them in one transaction
through the store's sink; after each commit it prints `committed LAST_SEQ`. The events depend
only on the seed and the command number, so an interrupted-and-resumed run must end with
exactly the events of an uninterrupted one.
"""

from __future__ import annotations

import random
import sys
from typing import Any

from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.errors import UnknownSession

SCENARIO = "schema_version: 1\nid: crash-test\n"


def command_events(seed: int, command: int, first_seq: int) -> list[dict[str, Any]]:
    rng = random.Random(seed * 1_000_003 + command)
    count = rng.randint(1, 4)
    return [
        {"seq": first_seq + i, "kind": "session_started" if first_seq + i == 1 else "tick",
         "scenario_minutes": command * 30, "exercise_seconds": command * 2.0,
         "wall": "2025-03-12T08:00:00+00:00",
         "payload": {"command": command, "part": i, "of": count, "value": rng.randint(-5, 9),
                     "pad": "x" * rng.randint(0, 3000)}}
        for i in range(count)
    ]


def main() -> None:
    db, session_id, commands, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = SessionStore(db)
    try:
        events = store.events(session_id)
        store.claim(session_id)
    except UnknownSession:
        store.create_session(scenario_text=SCENARIO, scenario_id="crash-test", seed=seed,
                             session_id=session_id)
        events = []
    done = events[-1]["payload"]["command"] + 1 if events else 0
    sink = store.sink(session_id)
    seq = len(events) + 1
    for command in range(done, commands):
        batch = command_events(seed, command, seq)
        sink(batch)
        seq += len(batch)
        print(f"committed {seq - 1}", flush=True)
    store.set_status(session_id, "paused")
    store.close()
    print("done", flush=True)


if __name__ == "__main__":
    main()
