"""Balance analysis speed: many random teams of «Maratonet», with and without scoring, same run.

Target (issue #10): 10,000 random playthroughs of «Maratonet» with scoring, on every core,
take at most 1.5x the time of the same 10,000 playthroughs without scoring (scoring adds at
most 50%). Prints playthroughs per second for both and the ratio.
The ratio is judged on the CPU time the worker processes used (`RUSAGE_CHILDREN`): on a shared
machine wall time also counts the time spent waiting for a core. Wall-clock playthroughs per
second are printed too.
Run: python bench/bench_balance.py [TEAMS] [JOBS]
"""

from __future__ import annotations

import resource
import sys
import time

from krise_ovelse.authoring import load_scenario
from krise_ovelse.balance.play import default_jobs, play_random_teams
from krise_ovelse.paths import resolve_scenario_arg

TARGET = 1.5
ROUNDS = 5


def main() -> int:
    teams = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    jobs = int(sys.argv[2]) if len(sys.argv) > 2 else default_jobs()
    scenario = load_scenario(resolve_scenario_arg("maratonet")).scenario
    assert scenario is not None
    play_random_teams(scenario, 40, jobs=jobs)  # warm up: imports, worker start
    # The machine is shared: alternate the two in rounds, so a burst of load elsewhere falls on both.
    rounds = ROUNDS if teams >= ROUNDS * 40 else 1
    times = {False: 0.0, True: 0.0}
    cpu = {False: 0.0, True: 0.0}
    for _ in range(rounds):
        for score in (False, True):
            start = time.perf_counter()
            before = _children_cpu()
            played = play_random_teams(scenario, teams // rounds, jobs=jobs, score=score)
            times[score] += time.perf_counter() - start
            cpu[score] += _children_cpu() - before
            assert len(played) == teams // rounds
            assert all((p.index is not None) == score for p in played)
    done = teams // rounds * rounds
    for score, label in ((False, "without scoring"), (True, "with scoring")):
        print(f"{label:<16} {done} playthroughs in {times[score]:6.2f} s on {jobs} process(es): "
              f"{done / times[score]:7.0f} playthroughs/s (worker CPU {cpu[score]:6.2f} s)")
    print(f"wall-clock ratio: {times[True] / times[False]:.2f}x")
    ratio = cpu[True] / cpu[False]
    verdict = "ok" if ratio <= TARGET else "over target"
    print(f"scoring / no scoring (worker CPU): {ratio:.2f}x (target <= {TARGET}x): {verdict}")
    return 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    sys.exit(main())
