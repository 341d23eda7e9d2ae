"""kill -9 at random points: every committed event survives, nothing is doubled or half-written,
and resuming finishes with exactly the events of an uninterrupted run.

The kill points come from the child's own progress reports (it prints after each commit and
keeps going while we read), never from sleeping: the child is killed after a random number of
reports, wherever it then is -- between commits, inside a transaction, in the fsync.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from krise_ovelse.authoring import load_scenario
from krise_ovelse.paths import shipped_scenarios_dir
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.engine_bridge import replay_session

DRIVER = Path(__file__).with_name("crash_driver.py")
HEADLESS = Path(__file__).with_name("headless_driver.py")
SCENARIO = shipped_scenarios_dir() / "maratonet.yaml"
COMMANDS = 60


def driver(db: Path, sid: str, seed: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(DRIVER), str(db), sid, str(COMMANDS), str(seed)],
                            stdout=subprocess.PIPE, text=True)


def run_to_end(db: Path, sid: str, seed: int) -> None:
    proc = driver(db, sid, seed)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert out.rstrip().endswith("done")


def kill_after(db: Path, sid: str, seed: int, reports: int) -> int:
    """Start the driver, kill -9 it after `reports` commits; return the last seq it reported."""
    proc = driver(db, sid, seed)
    assert proc.stdout is not None
    seen = 0
    for _ in range(reports):
        line = proc.stdout.readline()
        if not line.startswith("committed"):
            break
        seen = int(line.split()[1])
    proc.kill()  # SIGKILL: no cleanup, no atexit, no rollback by Python
    proc.wait(timeout=30)
    proc.stdout.close()
    return seen


def check_after_crash(db: Path, sid: str, seen: int) -> None:
    with SessionStore(db) as store:
        try:
            events = store.events(sid)
        except Exception:  # killed before the session was created
            assert seen == 0
            return
        seqs = [e["seq"] for e in events]
        assert seqs == list(range(1, len(seqs) + 1))  # no gap, no duplicate
        assert len(events) >= seen  # every commit it reported is there
        if events:  # only whole commands: a command's events commit together or not at all
            last = events[-1]["payload"]
            assert last["part"] == last["of"] - 1
        assert store.integrity_problems() == []
        info = store.get(sid)
        assert info.last_seq == len(events)
        assert info.effective_status in ("interrupted", "paused")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[int, list[dict[str, object]]]:
    """The events of uninterrupted runs, per seed."""
    base = tmp_path_factory.mktemp("reference")
    result = {}
    for seed in (1, 2, 3):
        db = base / f"ref{seed}.db"
        run_to_end(db, "ref0000", seed)
        with SessionStore(db) as store:
            result[seed] = store.events("ref0000")
    return result


def trial(tmp_path: Path, n: int, reference: dict[int, list[dict[str, object]]]) -> None:
    rng = random.Random(n)
    seed = rng.choice(sorted(reference))
    db = tmp_path / f"trial{n}.db"
    sid = "ref0000"
    for _kill in range(rng.randint(1, 3)):
        seen = kill_after(db, sid, seed, rng.randint(0, COMMANDS // 2))
        check_after_crash(db, sid, seen)
    run_to_end(db, sid, seed)
    with SessionStore(db) as store:
        assert store.events(sid) == reference[seed]
        assert store.get(sid).status == "paused"


@pytest.mark.parametrize("n", range(10))
def test_kill_9_and_resume(tmp_path: Path, n: int,
                           reference: dict[int, list[dict[str, object]]]) -> None:
    trial(tmp_path, n, reference)


@pytest.mark.slow
@pytest.mark.parametrize("n", range(10, 130))
def test_kill_9_and_resume_many(tmp_path: Path, n: int,
                                reference: dict[int, list[dict[str, object]]]) -> None:
    trial(tmp_path, n, reference)


# --- the same with the real engine: a stored headless run, killed, finished by `resume --play` --


@pytest.fixture(scope="module")
def playthrough(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every other decision scripted (the rest get their defaults at the deadline)."""
    loaded = load_scenario(SCENARIO)
    assert loaded.scenario is not None
    lines = [f"scenario: {loaded.scenario.id}", "team: Lag K", "seed: 11", "decisions:"]
    for n, decision in enumerate(loaded.scenario.decisions):
        if n % 2 == 0:
            option = decision.options[n % len(decision.options)].id
            lines.append(f"  {decision.id}: {{option: {option}, rationale: \"valg {n}\"}}")
    path = tmp_path_factory.mktemp("play") / "play.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def headless(db: Path, playthrough: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(HEADLESS), str(db), str(SCENARIO), str(playthrough)],
                            stdout=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def headless_reference(tmp_path_factory: pytest.TempPathFactory,
                       playthrough: Path) -> list[dict[str, object]]:
    db = tmp_path_factory.mktemp("href") / "ref.db"
    proc = headless(db, playthrough)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and out.rstrip().endswith("done")
    with SessionStore(db) as store:
        (info,) = store.list_sessions()
        assert info.status == "ended"
        return store.events(info.id)


def headless_trial(tmp_path: Path, n: int, playthrough: Path,
                   reference: list[dict[str, object]]) -> None:
    rng = random.Random(1000 + n)
    db = tmp_path / "h.db"
    proc = headless(db, playthrough)
    assert proc.stdout is not None
    seen = 0
    for _ in range(rng.randint(0, 40)):
        line = proc.stdout.readline()
        if line.startswith("committed"):
            seen = int(line.split()[1])
        elif not line.startswith("session"):
            break
    proc.kill()
    proc.wait(timeout=30)
    proc.stdout.close()
    with SessionStore(db) as store:
        sessions = store.list_sessions()
        if not sessions:  # killed before the session was created: nothing to resume
            assert seen == 0
            return
        (info,) = sessions
        events = store.events(info.id)
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
        assert len(events) >= seen
        assert events == reference[: len(events)]  # what was committed is what should have been
        assert store.integrity_problems() == []
        assert info.effective_status in ("interrupted", "ended")
    done = subprocess.run([sys.executable, "-m", "krise_ovelse", "resume", info.id, "--play",
                           str(playthrough), "--db", str(db)], capture_output=True, text=True,
                          timeout=60)
    if info.status == "ended":  # it had finished before the kill landed
        assert done.returncode == 2 and "has ended" in done.stderr
    else:
        assert done.returncode == 0, done.stderr
    with SessionStore(db) as store:
        assert store.events(info.id) == reference
        assert store.get(info.id).status == "ended"
        replay = replay_session(store, info.id)
        assert replay.ok, replay.checks


@pytest.mark.parametrize("n", range(6))
def test_kill_9_a_headless_run_and_finish_it(tmp_path: Path, n: int, playthrough: Path,
                                              headless_reference: list[dict[str, object]]) -> None:
    headless_trial(tmp_path, n, playthrough, headless_reference)


@pytest.mark.slow
@pytest.mark.parametrize("n", range(6, 60))
def test_kill_9_a_headless_run_and_finish_it_many(tmp_path: Path, n: int, playthrough: Path,
                                                   headless_reference: list[dict[str, object]]) -> None:
    headless_trial(tmp_path, n, playthrough, headless_reference)
