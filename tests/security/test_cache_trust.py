"""Item 11 of issue #13: the load cache never unpickles what another user could have written.

A shared cache directory (another user's, or one anyone may write to) is not used at all; an
entry that is not the user's own private regular file is never unpickled. On main a planted
entry ran code (here: it would create a marker file)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from krise_ovelse import cache
from krise_ovelse.paths import shipped_scenarios_dir

EXAMPLE = shipped_scenarios_dir() / "examples" / "kort-eksempel.yaml"


class _Plant:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def _plant(folder: Path, marker: Path) -> Path:
    """An entry for the example's bytes whose unpickling runs a command."""
    key = cache._key("scenario", EXAMPLE.read_bytes())
    entry = folder / "scenario" / f"{key}.pickle"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_bytes(cache.FORMAT + key.encode() + b"\n" + pickle.dumps(_Plant(marker)))
    return entry


def _load_in_child(folder: Path) -> None:
    code = ("from krise_ovelse.cli.console_cmds import load_or_exit\n"
            f"load_or_exit({str(EXAMPLE)!r})\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120,
                   env={**os.environ, "KRISE_OVELSE_CACHE": str(folder)})


def test_a_directory_others_can_write_is_not_used(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    marker = tmp_path / "pwned"
    _plant(shared, marker)
    os.chmod(shared, 0o777)
    os.chmod(shared / "scenario", 0o777)
    _load_in_child(shared)
    assert not marker.exists()


def test_an_entry_others_can_write_is_not_unpickled(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    marker = tmp_path / "pwned"
    entry = _plant(private, marker)
    os.chmod(private / "scenario", 0o700)
    os.chmod(entry, 0o666)
    _load_in_child(private)
    assert not marker.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a file to another user")
def test_an_entry_or_directory_of_another_user_is_not_unpickled(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    marker = tmp_path / "pwned"
    entry = _plant(private, marker)
    os.chmod(private / "scenario", 0o700)
    os.chmod(entry, 0o600)
    os.chown(entry, 65534, 65534)
    _load_in_child(private)
    assert not marker.exists()
    os.chown(entry, 0, 0)
    os.chown(private / "scenario", 65534, 65534)
    _load_in_child(private)
    assert not marker.exists()


def test_a_link_in_place_of_the_directory_is_not_followed(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    marker = tmp_path / "pwned"
    _plant(real, marker)
    os.chmod(real / "scenario", 0o700)
    link = tmp_path / "link"
    link.symlink_to(real)
    _load_in_child(link)
    assert not marker.exists()


def test_the_users_own_private_cache_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from krise_ovelse.authoring.cached import CachedLoad, load_scenario_cached

    folder = tmp_path / "mine"
    monkeypatch.setenv(cache.ENV_CACHE, str(folder))
    load_scenario_cached(EXAMPLE)
    assert isinstance(load_scenario_cached(EXAMPLE), CachedLoad)
    assert oct(os.stat(folder).st_mode & 0o777) == oct(0o700)
