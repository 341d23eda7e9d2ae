"""Lint with the meaning checks, as a ratio to load + validate alone (same run, same text).

Target (issue #16): `lint` (load + validate + every lint check, including satisfiability and
reachability) within 3x of load + validate on the 5,000-inject, 1,000-decision benchmark
scenario. Run: python bench/bench_lint.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import synthetic_scenario

from krise_ovelse.authoring.lint import lint_scenario
from krise_ovelse.authoring.load import LoadResult, load_scenario_text

TARGET = 3.0


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def lint_text(text: str) -> list[object]:
    result: LoadResult = load_scenario_text(text, "synthetic.yaml")
    assert result.scenario is not None and result.document is not None
    return list(lint_scenario(result.scenario, result.document))


def measure(injects: int = 5000, decisions: int = 1000) -> tuple[float, float]:
    text = synthetic_scenario(injects, decisions)
    assert load_scenario_text(text, "synthetic.yaml").ok
    floor = best_of(lambda: load_scenario_text(text, "synthetic.yaml"))
    ours = best_of(lambda: lint_text(text))
    return floor, ours


def main() -> None:
    floor, ours = measure()
    ratio = ours / floor
    print(f"load+validate {floor * 1000:.1f} ms; lint with meaning checks {ours * 1000:.1f} ms; "
          f"ratio {ratio:.2f} (target <= {TARGET})")
    sys.exit(0 if ratio <= TARGET else 1)


if __name__ == "__main__":
    main()
