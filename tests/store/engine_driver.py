"""A headless exercise through the real engine and the store, for the kill -9 tests.

    python engine_driver.py DB SCENARIO.yaml SESSION_ID|new OPTION_INDEX

Starts a session (or resumes SESSION_ID from its committed events) and plays it to the end
with a fixed policy that depends only on the state: resume the clock if it is stopped, decide
every open decision with option OPTION_INDEX, else advance to the next stop. Prints
`session ID` once, then `committed SEQ` after each command, `done` at the end. The clock is
frozen, so a run that is killed and resumed must end with exactly the events of one that is not.
"""

from __future__ import annotations

import datetime as dt
import sys

from krise_ovelse.authoring import load_scenario
from krise_ovelse.engine import commands as c
from krise_ovelse.store import engine_bridge as bridge
from krise_ovelse.store.db import SessionStore

WALL = dt.datetime(2025, 3, 12, 8, 0, tzinfo=dt.UTC)


def clock() -> dt.datetime:
    return WALL


def main() -> None:
    db, path, session_id, option = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    loaded = load_scenario(path)
    assert loaded.scenario is not None and loaded.text is not None
    store = SessionStore(db)
    if session_id == "new":
        live = bridge.start_session(store, loaded.scenario, loaded.text, team="Lag K", clock=clock, seed=7)
        session_id, engine = live.session_id, live.engine
    else:
        live = bridge.resume_session(store, session_id, clock=clock)
        _scenario, engine = live.scenario, live.engine
    print(f"session {session_id}", flush=True)
    scenario = engine.scenario
    while not engine.state.ended:
        state = engine.state
        if not state.running:
            command: c.Command = c.Resume()
        elif state.open_decisions():
            decision = scenario.decision(state.open_decisions()[0].decision_id)
            chosen = decision.options[min(option, len(decision.options) - 1)].id
            command = c.Decide(decision.id, chosen, f"policy {option}")
        else:
            command = c.AdvanceToNext()
        engine.handle(command)
        print(f"committed {engine.state.seq}", flush=True)
    bridge.close_session(store, session_id, engine)
    store.close()
    print("done", flush=True)


if __name__ == "__main__":
    main()
