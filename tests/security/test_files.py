"""Items 4 and 5 of issue #13: one safe writer for every output, bounded reads of regular files.

Reads that would hang (a FIFO) or fill memory (/dev/zero) on an unsafe reader run in a child
process with a time limit and an address-space limit, so a regression fails instead of hanging
the suite or the machine."""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from krise_ovelse.cli import main
from krise_ovelse.paths import shipped_scenarios_dir

EXAMPLE = "kort-eksempel"
EXAMPLE_FILE = str(shipped_scenarios_dir() / "examples" / "kort-eksempel.yaml")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def child(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`krise-ovelse ARGS` in a child process: at most 2 GiB of memory and `timeout` seconds."""
    try:
        return subprocess.run([sys.executable, "-m", "krise_ovelse", *args], capture_output=True, text=True,
                              timeout=timeout, preexec_fn=_limit_memory, stdin=subprocess.DEVNULL,
                              env={**os.environ, "KRISE_OVELSE_CACHE": "off"})
    except subprocess.TimeoutExpired:
        pytest.fail(f"krise-ovelse {' '.join(args)} hung")


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.fixture
def session(tmp_path: Path) -> str:
    result = cli("run", EXAMPLE, "--json")
    assert result.exit_code == 0, result.output
    session_id: str = json.loads(result.stdout)["session_id"]
    return session_id


# --- reading ---------------------------------------------------------------------------------


def assert_refused(result: subprocess.CompletedProcess[str], code: str = "E-READ-SPECIAL") -> None:
    said = result.stdout + result.stderr
    assert result.returncode == 2, (result.returncode, said)
    assert code in said, said
    assert "Traceback" not in said and "MemoryError" not in said


def test_scenario_from_a_fifo_or_dev_zero_is_refused(fifo: Path) -> None:
    for source in (str(fifo), "/dev/zero"):
        assert_refused(child("validate", source))
        assert_refused(child("play", source))
    assert_refused(child("run", EXAMPLE, "--play", "/dev/zero", "--no-store"))


def test_validate_dir_with_a_fifo_is_refused_not_waited_on(fifo: Path) -> None:
    assert_refused(child("validate", str(fifo.parent)))


def test_run_result_plan_and_import_from_special_files_are_refused(fifo: Path, session: str) -> None:
    db = os.environ["KRISE_OVELSE_DB"]
    assert_refused(child("report", EXAMPLE_FILE, "--from-run", "/dev/zero"))
    assert_refused(child("report", EXAMPLE_FILE, "--from-run", str(fifo)))
    assert_refused(child("report", session, "--db", db, "--plan", "/dev/zero"))
    assert_refused(child("import", "/dev/zero", "--db", db))
    assert_refused(child("import", str(fifo), "--db", db))


def test_db_that_is_a_fifo_is_refused(fifo: Path) -> None:
    result = child("sessions", "--db", str(fifo))
    assert result.returncode == 2 and "named pipe" in result.stderr, result.stderr
    result = child("run", EXAMPLE, "--db", str(fifo))
    assert result.returncode == 2 and "named pipe" in result.stderr, result.stderr


def test_reader_limits_size_and_kind(tmp_path: Path) -> None:
    from krise_ovelse.fileio import ReadError, read_limited

    big = tmp_path / "big"
    big.write_bytes(b"x" * 101)
    with pytest.raises(ReadError) as info:
        read_limited(big, 100)
    assert info.value.code == "E-READ-SIZE"
    assert read_limited(big, 101) == b"x" * 101
    with pytest.raises(ReadError) as info:
        read_limited(tmp_path, 100)
    assert info.value.code == "E-READ-DIR"
    with pytest.raises(ReadError) as info:
        read_limited(tmp_path / "missing", 100)
    assert info.value.code == "E-READ-MISSING"


# --- writing ---------------------------------------------------------------------------------


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch", encoding="utf-8")
    return victim


def test_outputs_never_follow_a_symlink(tmp_path: Path, session: str) -> None:
    victim = _victim(tmp_path)
    link = tmp_path / "out.md"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "elsewhere.md")
    for args in (("report", session, "-o"), ("dreiebok", EXAMPLE, "-o"), ("export", session, "-o")):
        for target in (link, dangling):
            result = cli(*args, str(target))
            assert result.exit_code == 2, (args, result.output)
            assert "E-WRITE-LINK" in result.stderr
    assert victim.read_text(encoding="utf-8") == "do not touch"
    assert not (tmp_path / "elsewhere.md").exists()
    assert link.is_symlink() and dangling.is_symlink()


def test_write_plan_never_follows_a_dangling_link(tmp_path: Path, session: str) -> None:
    dangling = tmp_path / "plan.yaml"
    dangling.symlink_to(tmp_path / "elsewhere.yaml")
    result = cli("report", session, "--write-plan", str(dangling), "--force")
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "elsewhere.yaml").exists()


def test_outputs_never_replace_a_fifo_or_device(tmp_path: Path, session: str) -> None:
    fifo = tmp_path / "pipe.md"  # .md: `report -o` takes its format from the extension
    os.mkfifo(fifo)
    targets = [fifo]
    if os.geteuid() == 0:  # as root, a device node would have been replaced by rename
        device = tmp_path / "null.md"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        targets.append(device)
    for target in targets:
        kind = stat.S_IFMT(target.lstat().st_mode)
        for args in (("export", session, "-o"), ("report", session, "-o"), ("dreiebok", EXAMPLE, "-o")):
            result = cli(*args, str(target))
            assert result.exit_code == 2, (args, result.output)
            assert "E-WRITE-SPECIAL" in result.stderr
        assert stat.S_IFMT(target.lstat().st_mode) == kind


def test_a_regular_file_is_replaced_whole_and_keeps_its_mode(tmp_path: Path, session: str) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert cli("report", session, "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("#")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left
    fresh = tmp_path / "new.jsonl"
    assert cli("export", session, "-o", str(fresh)).exit_code == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_dash_means_standard_output(session: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (("report", session, "-o", "-"), ("dreiebok", EXAMPLE, "-o", "-"), ("export", session, "-o", "-")):
        result = cli(*args)
        assert result.exit_code == 0, result.output
        assert len(result.stdout) > 100
    assert not Path("-").exists()


def test_write_bytes_refuses_a_directory(tmp_path: Path) -> None:
    from krise_ovelse.fileio import WriteError, write_bytes

    with pytest.raises(WriteError) as info:
        write_bytes(tmp_path, b"x")
    assert info.value.code == "E-WRITE-DIR"
    with pytest.raises(WriteError) as info:
        write_bytes(tmp_path / "no" / "such" / "dir.txt", b"x")
    assert info.value.code == "E-WRITE"
