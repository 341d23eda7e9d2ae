"""The console rates a session exactly as the store, `rescore` and `report` do: from its events.

A jump in the middle of a phase is where a record built from the state differed (it drew the
indicators straight across the jump); the events hold the value through it.
"""

from __future__ import annotations

from pathlib import Path

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.scoring.adapter import score_events
from krise_ovelse.scoring.serialize import result_to_dict
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.engine_bridge import open_session
from krise_ovelse.tui.loaded import LoadedScenario

from .conftest import EXAMPLE, FakeClock, console

#: The worked example with a rule on the time-weighted mean, the measure a jump changes.
MEAN_RULE = EXAMPLE.read_text(encoding="utf-8").replace(
    "      measure: max\n      thresholds: { P: 65, S: 72, M: 85 }",
    "      measure: mean\n      thresholds: { P: 45, S: 55, M: 70 }")


def with_mean_rule() -> LoadedScenario:
    result = load_scenario_text(MEAN_RULE, "mean.yaml")
    assert result.scenario is not None, [p.render() for p in result.problems]
    assert any(r.measure.value == "mean" for r in result.scenario.scoring.rules)
    return LoadedScenario(result.scenario, MEAN_RULE, "mean.yaml")


async def test_the_console_and_the_store_give_the_same_ratings(db: Path, clock: FakeClock) -> None:
    app = console(with_mean_rule(), team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("space")  # STARTEX: the clock runs
        clock.advance(20)
        app.tick_clock()
        await pilot.press("j", "j")  # jump to the next phase in the middle of the first
        await pilot.pause()
        clock.advance(20)
        app.tick_clock()
        await pilot.press("e", "j")  # ENDEX
        await pilot.pause()
        session = app.session
        assert session is not None and session.session_id is not None and session.ended
        in_console = result_to_dict(session.score())
        session_id = session.session_id
    with SessionStore.for_reading(db) as store:
        scenario, events = open_session(store, session_id)
        stored = (store.summary(session_id) or {}).get("scoring")
    assert any(e.kind == "clock_jumped" for e in events)
    assert result_to_dict(score_events(scenario, events)) == in_console
    assert stored == in_console
