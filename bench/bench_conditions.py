"""The condition tokenizer and parser are linear: 10x the operands cost about 10x the time.

Issue #13 item 7: the old tokenizer sliced the source for every token (100,000 `and` operands
took ~30 s). Run: python bench/bench_conditions.py — prints the growth factor (1.0 = linear) of
parsing 100,000 operands against 10,000 in the same run; exits 1 above 3.
"""

from __future__ import annotations

import sys
import time

from krise_ovelse.model.conditions import parse_condition

LIMIT = 3.0


def best_of(source: str, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse_condition(source)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    small = best_of(" and ".join(["load > 1"] * 10_000))
    large = best_of(" and ".join(["load > 1"] * 100_000))
    growth = (large / small) / 10
    print(f"10,000 operands {small * 1000:.1f} ms; 100,000 operands {large * 1000:.1f} ms; "
          f"linearity factor {growth:.2f} (1.0 = linear, limit {LIMIT})")
    sys.exit(0 if growth <= LIMIT else 1)


if __name__ == "__main__":
    main()
