"""A national exercise under load: 1 control cell, 60 organisations, 60 evaluators on one server.

What it measures (issue "A national exercise … on PostgreSQL"), all in the same run:
- sustained appends per second over the whole exercise (control, organisations, evaluators);
- latency from a control-cell append to EVERY organisation's client having folded it
  (p50/p99; target p99 <= 250 ms), through NOTIFY, the per-organisation catch-up read and the
  engine;
- the store's append path (PgStore.append: advisory lock, gap-free trigger, row-level security,
  NOTIFY) against a bare psycopg INSERT + pg_notify in one transaction (target <= 1.5x);
- memory per client (resident memory of a worker process above its baseline, per client).

Measured after a warm-up (default 10 s of the same play: each organisation starts its session
with the first control event and each connection plans its statements once), which is reported
apart; the clients outlive the control cell, so their shutdown is not measured either.

Pace: the control cell moves the clock every second and releases an inject every 3 s, ten
times a busy real exercise (one inject every 30 s); each organisation decides 1-6 s after a
decision opens (10-60 s of real deliberation at that pace; `--deliberation 0 0` makes all sixty
decide in the same instant, a burst that costs the server one NOTIFY per decision for each of the
~120 listening connections);
each evaluator follows its organisation live as the evaluator's console does (woken by the
organisation's activity channel, re-checking every 5 s) and writes an observation about every 20 s.

Connections: each organisation's and each evaluator's client holds two (its store and its LISTEN
connection), the control cell three: about 2·orgs + 2·evaluators + 3. The server's
max_connections must allow that (PostgreSQL's default 100 is too low for 60 + 60: set e.g.
`ALTER SYSTEM SET max_connections = 300` and restart).

Scaling past one server: see docs/national-exercise.md ("Skalering").

Run: KRISE_OVELSE_TEST_PG=postgresql://ADMIN:PW@HOST/DB python bench/bench_national.py
     [--orgs 60] [--evaluators 60] [--seconds 120] [--json]
The URL's role must be able to create databases and roles; the bench uses its own database and
drops it afterwards. Exit 1 if a target is missed, 2 if the server cannot run it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "examples" / "kort-eksempel.yaml"
WORKERS = 4


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


# --- a worker process: some organisations and evaluators, one thread each --------------------------


def worker(creds_file: str, exercise: str, orgs: list[str], evaluators: list[str], seconds: float,
           out: str, deliberation: tuple[float, float] = (1.0, 6.0)) -> None:
    from krise_ovelse.national.org import EvaluatorClient, OrgClient

    creds = dict(line.split("\t") for line in Path(creds_file).read_text(encoding="utf-8").splitlines())
    base = rss_kib()
    folded: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    errors: list[str] = []

    def org_loop(org: str) -> None:
        try:
            client = OrgClient(creds[f"org.{org}"], exercise, org)

            def seen(position: int) -> None:
                now = time.monotonic()
                with lock:
                    folded.append((org, position, now))

            rng = random.Random(org)  # the same deliberation times in every run
            decide_at: dict[str, float] = {}  # open decision -> when this organisation decides it
            while time.monotonic() < stop + 3:
                if client.listener is not None:
                    client.listener.wait(0.25)
                client.sync(seen)
                now = time.monotonic()
                for decision in client.state.open_decisions():
                    at = decide_at.setdefault(decision.decision_id, now + rng.uniform(*deliberation))
                    if now >= at:
                        option = client.engine.scenario.decision(decision.decision_id).options[0].id
                        client.decide(decision.decision_id, option, "Benk: første valg")
            client.close()
        except Exception as exc:  # reported, not hidden
            errors.append(f"{org}: {type(exc).__name__}: {exc}")

    def eval_loop(evaluator: str, offset: float) -> None:
        """As the evaluator's console does: wake on the organisation's activity (re-check every
        5 s), fold what came, and write an observation about every 20 s."""
        from krise_ovelse.engine.refusal import CommandRefused

        try:
            client = EvaluatorClient(creds[f"eval.{evaluator}"], exercise, evaluator, listen=True)
            next_note = time.monotonic() + offset
            while time.monotonic() < stop:
                client.wait_and_sync(min(5.0, max(0.01, next_note - time.monotonic())))
                if time.monotonic() < next_note:
                    continue
                try:
                    client.observe("Benk: observasjon", ["KH-2"])
                    next_note += 20
                except CommandRefused as refusal:  # the engine refuses until the organisation has started
                    if refusal.code != "not_started":
                        raise
                    next_note = time.monotonic() + 0.5
            client.close()
        except Exception as exc:
            errors.append(f"{evaluator}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=org_loop, args=(o,)) for o in orgs]
    threads += [threading.Thread(target=eval_loop, args=(e, 20 * i / max(1, len(evaluators))))
                for i, e in enumerate(evaluators)]
    for thread in threads:
        thread.start()
    time.sleep(min(5.0, seconds / 2))
    peak = rss_kib()
    for thread in threads:
        thread.join()
    Path(out).write_text(json.dumps({"folded": folded, "base_kib": base, "peak_kib": peak,
                                     "clients": len(orgs) + len(evaluators), "errors": errors}), encoding="utf-8")


# --- the floor: bare psycopg insert + notify ---------------------------------------------------------


def append_ratio(url: str, count: int, rounds: int = 5) -> dict[str, float]:
    import psycopg

    from krise_ovelse.store.pg import PgStore

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE floor (position bigserial PRIMARY KEY, session_id text, seq int, kind text, "
                     "payload text, scenario_minutes int, exercise_seconds float8, wall text)")
    store = PgStore(url)
    sid = store.create_session(scenario_text="id: floor\n", scenario_id="floor", events=[{"seq": 1, "kind": "a"}]).id
    bare = psycopg.connect(url, autocommit=True)
    payload = json.dumps({"inject_id": "i01", "by": "øvingsledelse", "source": "manual"})
    ours: list[float] = []
    floor: list[float] = []
    seq = 2
    per = max(1, count // rounds)
    for _ in range(rounds):
        start = time.perf_counter()
        for _n in range(per):
            store.append(sid, [{"seq": seq, "kind": "inject_released", "inject_id": "i01", "by": "øvingsledelse",
                                "source": "manual", "scenario_minutes": seq, "exercise_seconds": 0.0,
                                "wall": "2026-12-06T10:00:00+00:00"}])
            seq += 1
        ours.append((time.perf_counter() - start) / per)
        start = time.perf_counter()
        for n in range(per):
            with bare.transaction():
                row = bare.execute("INSERT INTO floor (session_id, seq, kind, payload, scenario_minutes, "
                                   "exercise_seconds, wall) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING position",
                                   (sid, n, "inject_released", payload, n, 0.0, "2026-12-06T10:00:00+00:00")).fetchone()
                bare.execute("SELECT pg_notify(%s, %s)", ("floor", json.dumps({"s": sid, "p": row[0] if row else 0})))
        floor.append((time.perf_counter() - start) / per)
    store.close()
    bare.close()
    return {"ours_ms": min(ours) * 1000, "floor_ms": min(floor) * 1000, "ratio": min(ours) / min(floor)}


# --- the run -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=60)
    parser.add_argument("--evaluators", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=120.0,
                        help="length of the live run (about 1.3 control appends a second: 120 s gives ~160 "
                        "latency samples, so p99 is not simply the slowest one)")
    parser.add_argument("--warmup", type=float, default=10.0,
                        help="seconds of play before the measured window: the organisations start their sessions "
                        "and every connection plans its statements once; reported apart")
    parser.add_argument("--deliberation", type=float, nargs=2, default=(1.0, 6.0), metavar=("LOW", "HIGH"),
                        help="seconds an organisation takes to decide after a decision opens, drawn evenly "
                        "between LOW and HIGH (default 1-6: 10-60 s of real deliberation at ten times the pace); "
                        "0 0: every organisation decides the instant it opens, a burst no exercise has")
    parser.add_argument("--appends", type=int, default=500, help="appends per side for the floor ratio")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", nargs=8, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        creds, exercise, orgs, evals, seconds, out, low, high = args.worker
        worker(creds, exercise, [o for o in orgs.split(",") if o], [e for e in evals.split(",") if e],
               float(seconds), out, (float(low), float(high)))
        return 0

    import psycopg
    from psycopg import sql

    from krise_ovelse.national.control import ControlCell
    from krise_ovelse.national.setup import read_setup
    from krise_ovelse.store.pg import open_connection
    from krise_ovelse.store.pg_schema import migrate

    admin = os.environ.get("KRISE_OVELSE_BENCH_PG") or os.environ.get("KRISE_OVELSE_TEST_PG")
    if not admin:
        print("set KRISE_OVELSE_TEST_PG (or KRISE_OVELSE_BENCH_PG) to an admin URL", file=sys.stderr)
        return 2
    need = 2 * args.orgs + 2 * args.evaluators + 10
    with psycopg.connect(admin, autocommit=True) as conn:
        have = int(conn.execute("SHOW max_connections").fetchone()[0])  # type: ignore[index]
        if have < need:
            print(f"the server allows {have} connections; this run needs about {need} "
                  f"(ALTER SYSTEM SET max_connections = {need + 50}; then restart the server)", file=sys.stderr)
            return 2
        name = "kb_" + secrets.token_hex(4)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = with_database(admin, name)
    exercise = name.replace("_", "")
    tmp = Path(tempfile.mkdtemp(prefix="bench-national-"))
    results: dict[str, Any] = {}
    try:
        conn = open_connection(url, name)
        migrate(conn, name)
        conn.close()
        results["append"] = append_ratio(url, args.appends)
        orgs = [f"o{n:02d}" for n in range(args.orgs)]
        evals = [f"e{n:02d}" for n in range(args.evaluators)]
        (tmp / "p.yaml").write_text(
            f"exercise: {exercise}\norganisations:\n" + "".join(f"  - {{id: {o}, name: Org {o}}}\n" for o in orgs)
            + ("evaluators:\n" if evals else "evaluators: []\n")
            + "".join(f"  - {{id: {e}, organisation: {orgs[i % len(orgs)]}}}\n" for i, e in enumerate(evals)),
            encoding="utf-8")
        setup, problems = read_setup(tmp / "p.yaml")
        assert setup is not None, problems
        proc = subprocess.run([sys.executable, "-m", "krise_ovelse", "national", "setup", str(EXAMPLE),
                               str(tmp / "p.yaml"), "--credentials", str(tmp / "creds"), "--db", url],
                              capture_output=True, text=True)
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return 2
        creds = dict(line.split("\t") for line in (tmp / "creds").read_text(encoding="utf-8").splitlines())
        procs = []
        for w in range(WORKERS):
            mine_o = orgs[w::WORKERS]
            mine_e = evals[w::WORKERS]
            procs.append(subprocess.Popen([sys.executable, __file__, "--worker", str(tmp / "creds"), exercise,
                                           ",".join(mine_o), ",".join(mine_e),
                                           str(args.warmup + args.seconds + 15),  # outlive the control cell
                                           str(tmp / f"w{w}.json"), *map(str, args.deliberation)]))
        time.sleep(5)  # the clients connect and catch up
        cell = ControlCell.open(creds["control"], exercise)
        injects = [i.id for i in cell.scenario.injects]
        appended: dict[int, tuple[float, str]] = {}  # control seq -> (monotonic time before the append, kind)
        started = time.monotonic()
        cell.resume()
        next_release = started + 1.5
        step = 0
        count_before: int | None = None
        measured = started + args.warmup  # samples before this are the warm-up, reported apart
        while time.monotonic() - started < args.warmup + args.seconds:
            if count_before is None and time.monotonic() >= measured:
                count_before = _count_events(url)
            time.sleep(1.0)
            step += 1
            appended[cell.state.seq + 1] = (time.monotonic(), "clock")
            cell.advance_to(cell.state.minute + 10)
            if time.monotonic() >= next_release and injects:
                appended[cell.state.seq + 1] = (time.monotonic(), "release")
                cell.release(injects[step % len(injects)])
                next_release += 3.0
        elapsed = time.monotonic() - max(started, measured)
        cell.close()
        for p in procs:
            p.wait(timeout=120)
        total = _count_events(url) - (count_before or 0)
        with psycopg.connect(url, autocommit=True) as conn:
            positions: dict[int, int] = dict(conn.execute("SELECT seq, position FROM events WHERE session_id = %s",
                                          (f"{exercise}_control",)).fetchall())
        folded: dict[int, dict[str, float]] = {}
        memory = []
        errors = []
        for w in range(WORKERS):
            data = json.loads((tmp / f"w{w}.json").read_text(encoding="utf-8"))
            errors += data["errors"]
            memory.append((data["peak_kib"] - data["base_kib"]) / max(1, data["clients"]))
            for org, position, moment in data["folded"]:
                folded.setdefault(position, {})[org] = moment
        latencies = []
        warmup: list[float] = []
        by_kind: dict[str, list[float]] = {"clock": [], "release": []}
        slowest: list[tuple[float, str, float]] = []  # (ms, kind, seconds into the run)
        incomplete = 0
        for seq, (t0, kind) in appended.items():
            position = positions.get(seq)
            seen = folded.get(position or -1, {})
            if len(seen) < len(orgs):
                incomplete += 1
                continue
            if t0 < measured:
                warmup.append((max(seen.values()) - t0) * 1000)
                continue
            latencies.append((max(seen.values()) - t0) * 1000)
            by_kind[kind].append(latencies[-1])
            slowest.append((latencies[-1], kind, t0 - started))
        latencies.sort()
        slowest.sort(reverse=True)
        results["live"] = {
            "orgs": len(orgs), "evaluators": len(evals), "seconds": round(elapsed, 1),
            "appends_per_second": round(total / elapsed, 1), "control_appends": len(appended),
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1) if latencies else None,
            "max_ms": round(latencies[-1], 1) if latencies else None, "samples": len(latencies),
            "not_folded_by_all": incomplete, "memory_per_client_kib": round(statistics.mean(memory)),
            "errors": errors[:5],
            "warmup_samples": len(warmup), "warmup_max_ms": round(max(warmup), 1) if warmup else None,
            "p50_ms_by_kind": {k: round(statistics.median(v), 1) for k, v in by_kind.items() if v},
            "slowest": [f"{ms:.0f} ms ({kind} at {at:.0f} s)" for ms, kind, at in slowest[:5]],
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # it holds the roles' passwords
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            for (role,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                                        (f"kx\\_{exercise}%",)).fetchall():
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
    live = results["live"]
    ok = (live["p99_ms"] is not None and live["p99_ms"] <= 250 and results["append"]["ratio"] <= 1.5
          and not live["not_folded_by_all"] and not live["errors"])
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        a = results["append"]
        print(f"append path {a['ours_ms']:.2f} ms vs bare insert+notify {a['floor_ms']:.2f} ms: "
              f"{a['ratio']:.2f}x (target <= 1.5x)")
        print(f"{live['orgs']} organisations + {live['evaluators']} evaluators, {live['seconds']} s: "
              f"{live['appends_per_second']} appends/s; control append -> every organisation folded: "
              f"p50 {live['p50_ms']} ms, p99 {live['p99_ms']} ms (target p99 <= 250 ms; {live['samples']} samples, "
              f"slowest {live['max_ms']} ms); "
              f"{live['not_folded_by_all']} not folded by all; memory per client {live['memory_per_client_kib']} KiB")
        print(f"warm-up ({args.warmup:g} s before the window, not in the figures above): {live['warmup_samples']} "
              f"samples, slowest {live['warmup_max_ms']} ms")
        print("p50 by kind of control event:", ", ".join(f"{k} {v} ms" for k, v in live["p50_ms_by_kind"].items()),
              "; slowest:", ", ".join(live["slowest"]))
        for error in live["errors"]:
            print("error:", error)
    return 0 if ok else 1


def _count_events(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM events").fetchone()
        return int(row[0]) if row else 0


if __name__ == "__main__":
    sys.exit(main())
