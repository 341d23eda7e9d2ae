"""The session store's speed, each figure beside a floor measured in the same run.

Targets (issue "Sessions that survive anything"):
- at least 2,000 committed commands per second with full durability (WAL, synchronous=FULL,
  one BEGIN IMMEDIATE transaction and fsync per command); the floor is bare sqlite3 inserts
  with the same pragmas and one commit per command;
- loading a stored 100,000-event session for replay within 3x a bare `SELECT` + `json.loads`
  of its rows;
- listing 10,000 sessions in under 1 s.

Run: python bench/bench_store.py [--commands N] [--events N] [--sessions N] [--json]
Exit 1 if a target is missed. Uses a temporary directory, never the user's database.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from krise_ovelse.cli.session_cmds import session_table
from krise_ovelse.store.db import SessionStore

SCENARIO = "schema_version: 1\nid: bench\ntitle: Bench\n" + "# padding\n" * 2000


def event(seq: int) -> dict[str, Any]:
    """An event about the size of the engine's: an inject release with ids and a few numbers."""
    return {
        "seq": seq, "kind": "inject_released" if seq % 3 else "indicator_changed",
        "scenario_minutes": seq * 15, "exercise_seconds": seq * 0.8,
        "wall": "2025-03-12T08:15:30+00:00",
        "payload": {"inject": f"i{seq % 400:03d}", "decision": f"d{seq % 90:02d}",
                    "effects": {"key_person_load": 2.5, "morale": -1.0, "union_trust": 3},
                    "note": "Teamet ba om en oppdatert situasjonsrapport."},
    }


def engine_like_events(count: int) -> list[dict[str, Any]]:
    """`count` events in the engine's real dict form: the events of a headless run of a shipped
    scenario, cycled and renumbered (realistic kinds and sizes; not a playable session)."""
    from krise_ovelse.authoring import load_scenario
    from krise_ovelse.engine import event_to_dict
    from krise_ovelse.paths import shipped_scenarios_dir
    from krise_ovelse.scripted.headless import run_headless

    loaded = load_scenario(shipped_scenarios_dir() / "maratonet.yaml")
    assert loaded.scenario is not None
    real = [event_to_dict(e) for e in run_headless(loaded.scenario).events]
    body = real[1:]
    return [real[0]] + [{**body[n % len(body)], "seq": n + 2} for n in range(count - 1)]


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_commits(base: Path, commands: int, rounds: int = 5) -> dict[str, float]:
    """Commands of 2 events each (an inject and an indicator change), committed one by one.

    The store and the floor (bare sqlite3: same rows, same pragmas, one commit per command)
    run in alternating rounds and the best round of each counts: on a shared machine the
    disk's fsync rate varies from second to second, and alternating keeps the ratio fair.
    """
    store = SessionStore(base / "commits.db")
    sid = store.create_session(scenario_text=SCENARIO, scenario_id="bench", events=[event(1)]).id
    sink = store.sink(sid)
    conn = sqlite3.connect(base / "floor.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE events (session_id TEXT, seq INTEGER, kind TEXT, payload TEXT, "
                 "m, s, w, PRIMARY KEY (session_id, seq)) WITHOUT ROWID")
    per_round = max(1, commands // rounds)
    ours: list[float] = []
    floor: list[float] = []
    seq = 2
    for _ in range(rounds):
        batches = [[event(seq + 2 * n), event(seq + 2 * n + 1)] for n in range(per_round)]
        seq += 2 * per_round
        start = time.perf_counter()
        for batch in batches:
            sink(batch)
        ours.append(time.perf_counter() - start)
        rows = [[("x", e["seq"], e["kind"], json.dumps(e["payload"]), e["scenario_minutes"],
                  e["exercise_seconds"], e["wall"]) for e in batch] for batch in batches]
        start = time.perf_counter()
        for batch_rows in rows:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", batch_rows)
            conn.execute("COMMIT")
        floor.append(time.perf_counter() - start)
    assert store.last_seq(sid) == seq - 1
    store.close()
    conn.close()
    best, best_floor = min(ours), min(floor)
    return {"commands": per_round * rounds, "commands_per_second": per_round / best,
            "median_commands_per_second": per_round / sorted(ours)[len(ours) // 2],
            "floor_commands_per_second": per_round / best_floor, "ratio_to_floor": best / best_floor}


def bench_replay(base: Path, count: int) -> dict[str, float]:
    with SessionStore(base / "replay.db") as store:
        events = engine_like_events(count)
        start = time.perf_counter()
        sid = store.create_session(scenario_text=SCENARIO, scenario_id="bench", events=events).id
        write = time.perf_counter() - start
        del events
        conn = sqlite3.connect(base / "replay.db")

        sql = "SELECT payload FROM events WHERE session_id = ? ORDER BY seq"

        def bare() -> list[Any]:
            # Kept as a list, as replay needs every event at once (and so both sides pay the
            # garbage collector's cost of 100,000 live dicts).
            loads = json.loads
            return [loads(row[0]) for row in conn.execute(sql, (sid,))]

        def bare_discarding() -> None:
            loads = json.loads
            for row in conn.execute(sql, (sid,)):
                loads(row[0])

        floor = best_of(bare)
        ours = best_of(lambda: store.events(sid))
        result = {"events": count, "store_write_seconds": write, "bare_select_json_seconds": floor,
                  "bare_discarding_seconds": best_of(bare_discarding),
                  "store_events_seconds": ours, "ratio": ours / floor}
        try:
            from krise_ovelse.store.engine_bridge import engine_events
        except ImportError:  # pragma: no cover - engine not installed
            conn.close()
            return result
        result["store_to_engine_events_seconds"] = best_of(
            lambda: engine_events(store.iter_events(sid), sid), repeat=3)
        conn.close()
        return result


def bench_list(base: Path, count: int) -> dict[str, float]:
    path = base / "list.db"
    SessionStore(path).close()
    conn = sqlite3.connect(path, isolation_level=None)  # bulk setup, not what is measured
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO scenario_texts VALUES (?, ?)", ("0" * 64, SCENARIO))
    for n in range(count):
        conn.execute(
            "INSERT INTO sessions (id, scenario_id, title, scenario_sha256, seed, team, "
            "participants, started, status, last_seq, score_index) "
            "VALUES (?, 'maratonet', 'Maratonet', ?, ?, ?, '[\"Kari\", \"Ola\"]', ?, 'ended', 412, ?)",
            (f"{n:012x}", "0" * 64, n, f"Lag {n % 37}",
             f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T10:{n % 60:02d}:00+00:00", 40 + n % 60))
    conn.execute("COMMIT")
    conn.close()
    with SessionStore(path) as store:
        def listing() -> None:
            session_table(store.list_sessions())

        in_process = best_of(listing)
    env = {**os.environ, "KRISE_OVELSE_DB": str(path)}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "krise_ovelse", "sessions"], env=env,
                          capture_output=True, text=True, check=True)
    whole = time.perf_counter() - start
    assert proc.stdout.count("\n") == count + 1
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "krise_ovelse", "--version"], env=env,
                   capture_output=True, check=True)
    startup = time.perf_counter() - start
    return {"sessions": count, "list_and_format_seconds": in_process,
            "cli_sessions_seconds": whole, "cli_startup_seconds": startup}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=3000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        base = Path(tmp)
        commits = bench_commits(base, args.commands)
        replay = bench_replay(base, args.events)
        listing = bench_list(base, args.sessions)
    checks = {
        "commits >= 2000/s": commits["commands_per_second"] >= 2000,
        "replay <= 3x bare": replay["ratio"] <= 3,
        "list < 1 s": listing["list_and_format_seconds"] < 1,
    }
    report = {"commits": commits, "replay": replay, "list": listing, "targets": checks}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"commits: {commits['commands_per_second']:,.0f} commands/s of 2 events, durable "
              f"(median round {commits['median_commands_per_second']:,.0f}/s; floor bare sqlite3 "
              f"{commits['floor_commands_per_second']:,.0f}/s; ratio {commits['ratio_to_floor']:.2f}x)")
        print(f"replay:  {replay['events']:,} events in {replay['store_events_seconds']:.3f} s "
              f"(bare SELECT+json.loads {replay['bare_select_json_seconds']:.3f} s; "
              f"ratio {replay['ratio']:.2f}x; bare without keeping the rows "
              f"{replay['bare_discarding_seconds']:.3f} s); written in "
              f"{replay['store_write_seconds']:.2f} s")
        if "store_to_engine_events_seconds" in replay:
            print(f"         as engine event objects (store + event_from_dict): "
                  f"{replay['store_to_engine_events_seconds']:.3f} s")
        print(f"list:    {listing['sessions']:,} sessions listed+formatted in "
              f"{listing['list_and_format_seconds']:.3f} s; whole `krise-ovelse sessions` "
              f"{listing['cli_sessions_seconds']:.2f} s (startup alone "
              f"{listing['cli_startup_seconds']:.2f} s)")
        for name, ok in checks.items():
            print(f"  {'ok  ' if ok else 'MISS'} {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
