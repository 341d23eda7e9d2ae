"""Load + validate a large scenario, as a ratio to bare `yaml.load` with the C loader (same run).

Targets (issue 2): load + validate within 2x of `yaml.load(text, Loader=yaml.CSafeLoader)` on a
scenario of 5,000 injects and 1,000 decision points, and cost growing linearly with injects.
Run: python bench/bench_load.py
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import synthetic_scenario

from krise_ovelse.authoring import load_scenario_text


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bare_load_without_gc(text: str) -> object:
    gc.disable()
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    finally:
        gc.enable()


def measure(injects: int, decisions: int) -> tuple[float, float, float]:
    text = synthetic_scenario(injects, decisions)
    result = load_scenario_text(text, "synthetic.yaml")
    assert result.ok, [p.render() for p in result.problems[:5]]
    floor = best_of(lambda: yaml.load(text, Loader=yaml.CSafeLoader))
    floor_nogc = best_of(lambda: bare_load_without_gc(text))
    ours = best_of(lambda: load_scenario_text(text, "synthetic.yaml"))
    return floor, floor_nogc, ours


def main() -> None:
    print("floor = yaml.load(text, Loader=yaml.CSafeLoader); floor* = the same with the GC paused, as we do")
    print(f"{'injects':>8} {'decisions':>9} {'floor':>10} {'floor*':>10} {'ours':>10} {'/floor':>7} {'/floor*':>8}")
    rows = []
    for injects, decisions in ((500, 100), (5000, 1000)):
        floor, floor_nogc, ours = measure(injects, decisions)
        rows.append((injects, ours))
        print(f"{injects:>8} {decisions:>9} {floor * 1000:>8.1f}ms {floor_nogc * 1000:>8.1f}ms "
              f"{ours * 1000:>8.1f}ms {ours / floor:>7.2f} {ours / floor_nogc:>8.2f}")
    (small_n, small_t), (big_n, big_t) = rows
    growth = (big_t / small_t) / (big_n / small_n)
    print(f"growth: 10x injects -> {big_t / small_t:.1f}x time (linearity factor {growth:.2f}, 1.0 = linear)")


if __name__ == "__main__":
    main()
