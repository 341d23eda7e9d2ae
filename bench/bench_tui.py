"""The console's speed and memory, each against a floor measured in the same run.

1. Cold start: `krise-ovelse play` on the largest shipped scenario to the first rendered frame
   (headless), against a bare Textual app with Header and Footer. Target: ≤ 1.5x.
2. A keypress that opens an inject or a decision redraws within 50 ms with 2,000 events in the
   session (Pilot-driven; the press plus the wait until the screen has settled).
3. Memory: peak RSS of the process below 150 MiB with that 2,000-event session open.

Run: python bench/bench_tui.py [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
import time, sys
from textual.app import App
from textual.widgets import Footer, Header
class Bare(App):
    def compose(self):
        yield Header()
        yield Footer()
async def first_frame(pilot):
    await pilot.pause()
    pilot.app.exit()
Bare().run(headless=True, size=(100, 30), auto_pilot=first_frame)
"""

PLAY = """
import sys
from krise_ovelse.cli.console_cmds import load_or_exit
from krise_ovelse.tui.app import make_app
loaded = load_or_exit(sys.argv[1])
async def first_frame(pilot):
    await pilot.pause()
    pilot.app.exit()
make_app(loaded).run(headless=True, size=(100, 30), auto_pilot=first_frame)
"""


def largest_scenario() -> Path:
    from krise_ovelse.tui.catalog import scenario_files

    return max(scenario_files(), key=lambda p: p.stat().st_size)


def time_child(code: str, *args: str, runs: int) -> float:
    """Median wall time of `runs` fresh interpreters, after one warm-up run that also writes the
    bytecode caches (as an installed package has them; PYTHONDONTWRITEBYTECODE is dropped)."""
    times = []
    env = dict(os.environ, KRISE_OVELSE_DB=str(Path(tempfile.mkdtemp()) / "s.db"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, *args], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build_session(path: Path, db: Path, events_wanted: int = 2000) -> tuple[str, int]:
    """A stored session of `events_wanted` events: real-time ticks, decisions taken as they open
    (the last ones are left open)."""
    from krise_ovelse.authoring import load_scenario
    from krise_ovelse.engine import commands as cmd
    from krise_ovelse.engine.engine import Engine
    from krise_ovelse.engine.events import event_to_dict
    from krise_ovelse.engine.values import Mode
    from krise_ovelse.store.db import SessionStore

    result = load_scenario(path)
    assert result.scenario is not None and result.text is not None
    scenario = result.scenario
    moment = [dt.datetime(2024, 11, 4, 8, 0, tzinfo=dt.UTC)]

    def wall() -> dt.datetime:
        moment[0] += dt.timedelta(seconds=0.1)
        return moment[0]

    engine = Engine.start(scenario, team="Bench", clock=wall, mode=Mode.REAL_TIME)
    engine.handle(cmd.Resume())
    while len(engine.events) < events_wanted - 1 and not engine.state.ended:
        engine.handle(cmd.Tick(0.05))
        # decide as the team goes; leave the last ones open (the bench opens one with `d`)
        for decision in engine.state.open_decisions()[:1] if len(engine.events) < events_wanted - 400 else ():
            option = scenario.decision(decision.decision_id).options[0].id
            engine.handle(cmd.Decide(decision.decision_id, option, rationale="bench", decided_by="B"))
    if engine.state.running:
        engine.handle(cmd.Pause())
    with SessionStore(db) as store:
        info = store.create_session(scenario_text=result.text, scenario_id=scenario.id, team="Bench",
                                    events=[event_to_dict(e) for e in engine.events], claim=False,
                                    status="paused")
    return info.id, len(engine.events)


async def keypress_latency(session_id: str, db: Path, repeats: int) -> dict[str, float]:
    """Milliseconds from a keypress to the first frame that shows its result.

    Frames are timed by the app's `post_display_hook` (called after each frame is written),
    not by Pilot's waits, whose idle detection depends on how busy the machine is.
    """
    from krise_ovelse.tui.app import make_app
    from krise_ovelse.tui.screens.decision import DecisionDialog
    from krise_ovelse.tui.screens.dialogs import InjectDialog
    from krise_ovelse.tui.screens.exercise import ExerciseScreen

    app = make_app(session=session_id, db=db)
    frames: list[tuple[float, type]] = []
    app.post_display_hook = lambda: frames.append((time.perf_counter(), type(app.screen)))  # type: ignore[method-assign]

    def first_frame(after: float, screen: type) -> float:
        return min(at for at, shown in frames if at >= after and shown is screen)

    inject_ms: list[float] = []
    decision_ms: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        app.screen.query_one("#feed").focus()
        await pilot.pause()
        for _ in range(repeats):
            start = time.perf_counter()
            await pilot.press("enter")  # opens the highlighted inject
            await pilot.pause()
            assert isinstance(app.screen, InjectDialog)
            inject_ms.append((first_frame(start, InjectDialog) - start) * 1000)
            await pilot.press("escape")
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("d")  # opens the first open decision
            await pilot.pause()
            assert isinstance(app.screen, DecisionDialog), app.screen
            decision_ms.append((first_frame(start, DecisionDialog) - start) * 1000)
            await pilot.press("escape")
            await pilot.pause()
        events = app.session.state.seq if app.session else 0
    # the first open of each imports its screen's module; the median is the steady state
    return {"open_inject_ms": statistics.median(inject_ms), "open_decision_ms": statistics.median(decision_ms),
            "open_inject_ms_first": inject_ms[0], "open_decision_ms_first": decision_ms[0], "events": events}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    scenario = largest_scenario()
    bare = time_child(BARE, runs=args.runs)
    play = time_child(PLAY, str(scenario), runs=args.runs)

    db = Path(tempfile.mkdtemp()) / "bench.db"
    session_id, events = build_session(scenario, db)
    latency = asyncio.run(keypress_latency(session_id, db, repeats=10))
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    report = {
        "scenario": scenario.name,
        "cold_start_bare_s": round(bare, 3),
        "cold_start_play_s": round(play, 3),
        "cold_start_ratio": round(play / bare, 2),
        "cold_start_target": 1.5,
        "session_events": events,
        **{k: round(v, 1) for k, v in latency.items()},
        "keypress_target_ms": 50,
        "peak_rss_mib": round(rss_mib, 1),
        "rss_target_mib": 150,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            print(f"{key:24} {value}")
    ok = (report["cold_start_ratio"] <= 1.5 and latency["open_inject_ms"] <= 50
          and latency["open_decision_ms"] <= 50 and rss_mib < 150)
    print("OK" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
