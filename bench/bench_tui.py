"""The console's speed and memory, each against a floor measured in the same run.

1. Cold start: `krise-ovelse play` on the largest shipped scenario (through the real command
   line) to its first rendered frame, headless, against a bare Textual app with Header and
   Footer to its first frame. Target: ≤ 1.5x. Measured from the parent starting the process to
   the child's first frame (its `post_display_hook`), median of runs taken in turns. The
   warm-up run fills the load cache (`krise_ovelse.cache`), as the first start after an install
   or an edit does; `cold_start_play_uncached_s` is the same start with the cache turned off.
   Also shown: the older figure, to the screen settling (`pilot.pause()`) and the process ending.
2. Keypress → redraw with 10,000 events in the session (a long exercise or a control cell):
   Enter on an inject and `d` on a decision, 100 presses each, p95 from the press to the first
   frame that shows the dialog. The floor: a plain Textual app (Header, a list, Footer) opening
   a modal of the same size (100 columns, the same amount of text) with Enter, no session
   behind it, 100 presses, in the same process. Target: each p95 ≤ 2x the floor's p95.
3. Memory: peak RSS of the console process below 150 MiB with that 10,000-event session open
   (measured in a child process that only opens the session and presses the keys).

Run: python bench/bench_tui.py [--runs N] [--presses N] [--part cold|keys]
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
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parents[1]

#: Runs the app headless with a `post_display_hook` that writes the time of the first frame
#: showing the app's own screen (not Textual's empty default one, unless that is the bare app's
#: screen) to fd 1; then exits (or, with PILOT, lets the screen settle first, then exits).
FIRST_FRAME = """
import os, time
from textual.app import App
_run = App.run
def run(self, *args, **kwargs):
    seen = []
    def shown():
        if not seen and (BARE or type(self.screen).__name__ != "Screen"):
            seen.append(True)
            os.write(1, f"first-frame {time.time()!r}\\n".encode())
            if not PILOT:
                self.exit()
    self.post_display_hook = shown
    if PILOT:
        async def settle(pilot):
            await pilot.pause()
            pilot.app.exit()
        return _run(self, headless=True, size=(100, 30), auto_pilot=settle)
    return _run(self, headless=True, size=(100, 30))
App.run = run
"""

BARE = """
from textual.app import App
from textual.widgets import Footer, Header
class Bare(App):
    def compose(self):
        yield Header()
        yield Footer()
Bare().run()
"""

PLAY = """
import sys
from krise_ovelse.cli import main
main(["play", sys.argv[1]], prog_name="krise-ovelse")
"""


def largest_scenario() -> Path:
    from krise_ovelse.tui.catalog import scenario_files

    return max(scenario_files(), key=lambda p: p.stat().st_size)


def _child_env() -> dict[str, str]:
    """A private database and load cache (the warm-up run fills the cache, as a first start does)."""
    scratch = Path(tempfile.mkdtemp())
    env = dict(os.environ, KRISE_OVELSE_DB=str(scratch / "s.db"), KRISE_OVELSE_CACHE=str(scratch / "cache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _program(body: str, *, bare: bool, settle: bool) -> str:
    return f"BARE = {bare}\nPILOT = {settle}\n" + FIRST_FRAME + body


def _run_child(code: str, args: tuple[str, ...], env: dict[str, str]) -> tuple[float, float]:
    """(seconds to the first frame, seconds until the process ended), from starting it."""
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, env=env, capture_output=True,
                         text=True).stdout
    ended = time.time() - start
    shown = [float(line.split()[1]) for line in out.splitlines() if line.startswith("first-frame ")]
    return (shown[0] - start if shown else float("nan")), ended


def time_children(bare_args: tuple[str, ...], play_args: tuple[str, ...], runs: int) -> dict[str, float]:
    """Medians over `runs` fresh interpreters each, the bare app and `play` in turns (so a busy
    machine slows both alike), after one warm-up run of each that also writes the bytecode caches
    (as an installed package has them; PYTHONDONTWRITEBYTECODE is dropped) and the load cache."""
    env = _child_env()
    uncached = dict(env, KRISE_OVELSE_CACHE="0")
    programs = {
        "bare": (_program(BARE, bare=True, settle=False), bare_args, env),
        "play": (_program(PLAY, bare=False, settle=False), play_args, env),
        "play_uncached": (_program(PLAY, bare=False, settle=False), play_args, uncached),
        "bare_settled": (_program(BARE, bare=True, settle=True), bare_args, env),
        "play_settled": (_program(PLAY, bare=False, settle=True), play_args, env),
    }
    for code, args, child_env in programs.values():
        _run_child(code, args, child_env)
    times: dict[str, list[float]] = {name: [] for name in programs}
    for _ in range(runs):
        for name, (code, args, child_env) in programs.items():
            first, ended = _run_child(code, args, child_env)
            times[name].append(ended if name.endswith("_settled") else first)
    return {name: statistics.median(values) for name, values in times.items()}


def build_session(path: Path, db: Path, events_wanted: int = 10_000) -> tuple[str, int]:
    """A stored session of `events_wanted` events: real-time ticks, decisions taken as they open
    (the last ones are left open)."""
    from krise_ovelse.authoring import load_scenario
    from krise_ovelse.engine import Engine
    from krise_ovelse.engine import commands as cmd
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
    # slow enough that the scenario does not end before the events are there
    engine.handle(cmd.SetSpeed(0.25))
    while len(engine.events) < events_wanted - 1 and not engine.state.ended:
        engine.handle(cmd.Tick(0.05))
        # decide as the team goes; leave the last ones open (the bench opens one with `d`)
        for decision in engine.state.open_decisions()[:1] if len(engine.events) < events_wanted * 0.8 else ():
            option = scenario.decision(decision.decision_id).options[0].id
            engine.handle(cmd.Decide(decision.decision_id, option, rationale="bench", decided_by="B"))
    while not engine.state.open_decisions() and not engine.state.ended:  # one to open with `d`
        engine.handle(cmd.AdvanceToNext())
    if engine.state.running:
        engine.handle(cmd.Pause())
    with SessionStore(db) as store:
        info = store.create_session(scenario_text=result.text, scenario_id=scenario.id, team="Bench",
                                    events=[event_to_dict(e) for e in engine.events], claim=False,
                                    status="paused")
    return info.id, len(engine.events)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def _frames(app: Any) -> tuple[list[tuple[float, type]], Any]:
    """Record every frame (time, screen type) through the app's `post_display_hook`."""
    frames: list[tuple[float, type]] = []
    app.post_display_hook = lambda: frames.append((time.perf_counter(), type(app.screen)))

    def first_frame(after: float, screen: type) -> float:
        return min(at for at, shown in frames if at >= after and shown is screen)

    return frames, first_frame


async def keypress_latency(session_id: str, db: Path, presses: int) -> dict[str, Any]:
    """Milliseconds from a keypress to the first frame that shows its dialog, per press.

    Frames are timed by the app's `post_display_hook` (called after each frame is written),
    not by Pilot's waits, whose idle detection depends on how busy the machine is.
    """
    from krise_ovelse.tui.app import make_app
    from krise_ovelse.tui.screens.decision import DecisionDialog
    from krise_ovelse.tui.screens.dialogs import InjectDialog
    from krise_ovelse.tui.screens.exercise import ExerciseScreen

    app = make_app(session=session_id, db=db)
    _, first_frame = _frames(app)
    inject_ms: list[float] = []
    decision_ms: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        app.screen.query_one("#feed").focus()
        await pilot.pause()
        for _ in range(presses):
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
    return {"inject_ms": inject_ms, "decision_ms": decision_ms, "events": events}


FLOOR_TEXT = ("Sprinkleranlegget i tredje etasje har løst ut. Det står vann i etasje 1–3, strømmen er slått av "
              "og brannvesenet har stengt bygget. ") * 6


async def floor_latency(presses: int) -> list[float]:
    """The floor: a plain Textual app opening a modal of the same size with Enter, no session."""
    from textual.app import App, ComposeResult
    from textual.binding import BindingType
    from textual.containers import Horizontal, Vertical, VerticalScroll
    from textual.screen import ModalScreen
    from textual.widgets import Button, Footer, Header, Label, OptionList, Static

    class Dialog(ModalScreen[None]):
        BINDINGS: ClassVar[list[BindingType]] = [("escape", "close", "Close")]
        DEFAULT_CSS = """
        Dialog { align: center middle; }
        Dialog > Vertical { width: 100; max-width: 100%; height: auto; max-height: 100%;
                            border: thick $accent; background: $surface; padding: 0 1; }
        Dialog VerticalScroll { height: auto; max-height: 22; }
        Dialog Horizontal { height: auto; align-horizontal: right; }
        """

        def compose(self) -> ComposeResult:
            with Vertical():
                yield Label("Innspill i01")
                with VerticalScroll():
                    yield Static(FLOOR_TEXT)
                with Horizontal():
                    yield Button("OK", compact=True)
                    yield Button("Lukk", compact=True)

        def action_close(self) -> None:
            self.dismiss(None)

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield OptionList(*[f"Innspill {n}" for n in range(40)], id="list")
            yield Footer()

        def on_option_list_option_selected(self) -> None:
            self.push_screen(Dialog())

    app = Floor()
    _, first_frame = _frames(app)
    out: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.query_one("#list").focus()
        await pilot.pause()
        for _ in range(presses):
            start = time.perf_counter()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, Dialog)
            out.append((first_frame(start, Dialog) - start) * 1000)
            await pilot.press("escape")
            await pilot.pause()
    return out


def keys_child(session_id: str, db: Path, presses: int) -> dict[str, Any]:
    """In a child process of its own: the floor, then the console's presses; peak RSS at the end."""
    floor = asyncio.run(floor_latency(presses))
    console = asyncio.run(keypress_latency(session_id, db, presses))
    return {"floor_ms": floor, **console, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--part", choices=("all", "cold", "keys", "keys-child"), default="all",
                        help="cold: only the cold start; keys: only the keypresses and memory")
    parser.add_argument("--presses", type=int, default=100)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--session", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.part == "keys-child":
        print(json.dumps(keys_child(args.session, Path(args.db), args.presses)))
        return 0
    # never the user's load cache (the children get their own, see _child_env)
    os.environ["KRISE_OVELSE_CACHE"] = str(Path(tempfile.mkdtemp()) / "cache")

    scenario = largest_scenario()
    report: dict[str, object] = {"scenario": scenario.name}
    ok = True
    if args.part in ("all", "cold"):
        cold = time_children((), (str(scenario),), runs=args.runs)
        ratio = cold["play"] / cold["bare"]
        report.update({"cold_start_bare_s": round(cold["bare"], 3), "cold_start_play_s": round(cold["play"], 3),
                       "cold_start_ratio": round(ratio, 2), "cold_start_target": 1.5,
                       "cold_start_play_uncached_s": round(cold["play_uncached"], 3),
                       "uncached_ratio": round(cold["play_uncached"] / cold["bare"], 2),
                       "settled_exit_bare_s": round(cold["bare_settled"], 3),
                       "settled_exit_play_s": round(cold["play_settled"], 3),
                       "settled_exit_ratio": round(cold["play_settled"] / cold["bare_settled"], 2)})
        ok = ok and ratio <= 1.5
    if args.part in ("all", "keys"):
        db = Path(tempfile.mkdtemp()) / "bench.db"
        session_id, events = build_session(scenario, db, args.events)
        out = subprocess.run([sys.executable, __file__, "--part", "keys-child", "--session", session_id,
                              "--db", str(db), "--presses", str(args.presses)],
                             check=True, capture_output=True, text=True).stdout
        measured = json.loads(out.splitlines()[-1])
        floor = p95(measured["floor_ms"])
        inject, decision = p95(measured["inject_ms"]), p95(measured["decision_ms"])
        rss_mib = measured["peak_rss_mib"]
        report.update({
            "session_events": events, "presses": args.presses,
            "floor_modal_p95_ms": round(floor, 1),
            "open_inject_p95_ms": round(inject, 1), "open_inject_ratio": round(inject / floor, 2),
            "open_decision_p95_ms": round(decision, 1), "open_decision_ratio": round(decision / floor, 2),
            "open_inject_median_ms": round(statistics.median(measured["inject_ms"]), 1),
            "open_decision_median_ms": round(statistics.median(measured["decision_ms"]), 1),
            "keypress_target_ratio": 2.0, "peak_rss_mib": round(rss_mib, 1), "rss_target_mib": 150})
        ok = ok and inject / floor <= 2.0 and decision / floor <= 2.0 and rss_mib < 150
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            print(f"{key:28} {value}")
    print("OK" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
