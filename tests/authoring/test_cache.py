"""The load cache (`krise_ovelse.cache`): a hit is exactly the scenario a full load gives, and
anything doubtful (another file, other code, a corrupt entry, no cache directory) is a miss."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krise_ovelse import cache
from krise_ovelse import catalogue as catalogue_module
from krise_ovelse.authoring import LoadResult, cached, load_scenario
from krise_ovelse.authoring.cached import CachedLoad, load_scenario_cached
from krise_ovelse.paths import shipped_scenario_files

from .minimal_scenario import MINIMAL

SHIPPED = shipped_scenario_files()


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_CACHE, str(folder))
    return folder


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return path


def load_catalogue_uncached() -> catalogue_module.Catalogue:
    """`load_catalogue` without its in-process memo (which other tests rely on: left alone)."""
    loaded: catalogue_module.Catalogue = catalogue_module.load_catalogue.__wrapped__()
    return loaded


def entries(folder: Path, kind: str = cached.SCENARIO) -> list[Path]:
    return sorted((folder / kind).glob("*.pickle")) if (folder / kind).is_dir() else []


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_a_hit_equals_the_full_load_for_every_shipped_scenario(path: Path, cache_dir: Path) -> None:
    fresh = load_scenario(path)
    assert fresh.scenario is not None
    first = load_scenario_cached(path)
    assert isinstance(first, LoadResult)  # a miss: loaded in full, then stored
    assert len(entries(cache_dir)) == 1
    hit = load_scenario_cached(path)
    assert isinstance(hit, CachedLoad)
    assert hit.scenario == fresh.scenario
    assert hit.scenario is not fresh.scenario
    assert hit.text == fresh.text
    assert hit.problems == ()
    # the model's lookups work on the unpickled scenario
    for inject in hit.scenario.injects:
        assert hit.scenario.inject(inject.id) == inject


def test_a_changed_file_misses(minimal: Path, cache_dir: Path) -> None:
    assert isinstance(load_scenario_cached(minimal), LoadResult)
    assert isinstance(load_scenario_cached(minimal), CachedLoad)
    minimal.write_text(MINIMAL.replace('title: {nb: "Mini", en: "Mini"}', 'title: {nb: "Endret", en: "Changed"}'),
                       encoding="utf-8")
    changed = load_scenario_cached(minimal)
    assert isinstance(changed, LoadResult)
    assert changed.scenario is not None and changed.scenario.title.get("nb") == "Endret"
    hit = load_scenario_cached(minimal)
    assert isinstance(hit, CachedLoad) and hit.scenario.title.get("nb") == "Endret"
    assert len(entries(cache_dir)) == 2


def test_a_file_broken_after_a_clean_load_reports_its_problems(minimal: Path, cache_dir: Path) -> None:
    load_scenario_cached(minimal)
    minimal.write_text(MINIMAL.replace("schema_version: 1", "schema_version: 99"), encoding="utf-8")
    result = load_scenario_cached(minimal)
    assert isinstance(result, LoadResult)
    assert result.scenario is None and result.problems


def test_a_scenario_with_errors_is_never_stored(minimal: Path, cache_dir: Path) -> None:
    minimal.write_text(MINIMAL.replace("ends: D+30", "ends: soon"), encoding="utf-8")
    for _ in range(2):
        result = load_scenario_cached(minimal)
        assert isinstance(result, LoadResult) and result.scenario is None
    assert entries(cache_dir) == []


def test_other_code_misses(minimal: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_scenario_cached(minimal)
    assert isinstance(load_scenario_cached(minimal), CachedLoad)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: b"an edited checkout")
    assert isinstance(load_scenario_cached(minimal), LoadResult)


def test_the_fingerprint_follows_the_source_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "pkg"
    for folder in cache.CODE_DIRS:
        (fake / folder).mkdir(parents=True)
    (fake / "model" / "scenario.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "PACKAGE_DIR", fake)
    cache.code_fingerprint.cache_clear()
    try:
        before = cache.code_fingerprint()
        cache.code_fingerprint.cache_clear()
        assert cache.code_fingerprint() == before
        (fake / "model" / "scenario.py").write_text("x = 22\n", encoding="utf-8")
        cache.code_fingerprint.cache_clear()
        assert cache.code_fingerprint() != before
    finally:
        cache.code_fingerprint.cache_clear()


@pytest.mark.parametrize("damage", [
    b"",
    b"garbage",
    b"krise-ovelse-cache 1\n",
    "header-only",
    "truncated",
    "wrong-type",
    "text-without-scenario",
])
def test_a_corrupt_entry_is_ignored_and_rewritten(minimal: Path, cache_dir: Path, damage: bytes | str) -> None:
    load_scenario_cached(minimal)
    [entry] = entries(cache_dir)
    good = entry.read_bytes()
    header = good[:good.index(b"\n", len(cache.FORMAT)) + 1]
    if damage == "header-only":
        entry.write_bytes(header)
    elif damage == "truncated":
        entry.write_bytes(good[:len(good) // 2])
    elif damage == "wrong-type":
        import pickle

        entry.write_bytes(header + pickle.dumps(("not a scenario", 1)))
    elif damage == "text-without-scenario":
        import pickle

        entry.write_bytes(header + pickle.dumps(("not a scenario", MINIMAL)))
    else:
        assert isinstance(damage, bytes)
        entry.write_bytes(damage)
    result = load_scenario_cached(minimal)
    assert isinstance(result, LoadResult) and result.scenario is not None
    assert entry.read_bytes() == good  # rewritten
    assert isinstance(load_scenario_cached(minimal), CachedLoad)


def test_an_entry_of_another_file_is_not_taken(minimal: Path, cache_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(MINIMAL.replace("id: mini", "id: other"), encoding="utf-8")
    load_scenario_cached(minimal)
    load_scenario_cached(other)
    mine, theirs = (cache_dir / cached.SCENARIO / f"{cache._key(cached.SCENARIO, p.read_bytes())}.pickle"
                    for p in (minimal, other))
    mine.write_bytes(theirs.read_bytes())  # a swapped entry carries the other key in its header
    result = load_scenario_cached(minimal)
    assert isinstance(result, LoadResult) and result.scenario is not None and result.scenario.id == "mini"


def test_turned_off(minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for value in ("0", "off", "No", "false"):
        monkeypatch.setenv(cache.ENV_CACHE, value)
        assert cache.cache_dir() is None
        assert isinstance(load_scenario_cached(minimal), LoadResult)
        assert isinstance(load_scenario_cached(minimal), LoadResult)


def test_the_default_is_the_user_cache_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv(cache.ENV_CACHE)
    assert cache.cache_dir() == platformdirs.user_cache_path("krise-ovelse", appauthor=False)


def test_a_cache_directory_that_cannot_be_written_is_fine(minimal: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(cache.ENV_CACHE, str(blocker / "cache"))
    for _ in range(2):
        result = load_scenario_cached(minimal)
        assert isinstance(result, LoadResult) and result.scenario is not None


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs file permissions to apply")
def test_a_read_only_cache_directory_is_fine(minimal: Path, cache_dir: Path) -> None:
    load_scenario_cached(minimal)
    os.chmod(cache_dir / cached.SCENARIO, 0o500)
    try:
        minimal.write_text(MINIMAL.replace("id: mini", "id: mini2"), encoding="utf-8")
        result = load_scenario_cached(minimal)
        assert isinstance(result, LoadResult) and result.scenario is not None
    finally:
        os.chmod(cache_dir / cached.SCENARIO, 0o700)


def test_unreadable_and_missing_files_report_as_before(tmp_path: Path, cache_dir: Path) -> None:
    for path, code in ((tmp_path / "missing.yaml", "E-READ-MISSING"), (tmp_path, "E-READ-DIR")):
        result = load_scenario_cached(path)
        assert isinstance(result, LoadResult) and result.scenario is None
        assert [p.code for p in result.problems] == [code]


def test_a_file_that_is_not_utf8_is_reported_at_its_first_bad_byte(tmp_path: Path, cache_dir: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINIMAL.encode("latin-1"))  # the ø of "Nøkkelperson" (line 37) is one byte
    result = load_scenario_cached(path)
    assert isinstance(result, LoadResult) and result.scenario is None
    assert [p.render() for p in result.problems] == [
        f"{path}:37:14: E-READ-UTF8 the byte 0xf8 is not UTF-8 (save the file as UTF-8)"]


def test_old_entries_are_pruned(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for n in range(6):
        assert cache.put("thing", str(n).encode(), n)
    kept = entries(cache_dir, "thing")
    assert len(kept) == 3
    assert [cache.get("thing", str(n).encode(), lambda v: True) for n in range(6)][-1] == 5


def test_the_catalogue_is_cached_too(cache_dir: Path) -> None:
    parsed = catalogue_module.parse_catalogue(catalogue_module.CATALOGUE_PATH.read_text(encoding="utf-8"))
    first = load_catalogue_uncached()
    assert len(entries(cache_dir, catalogue_module.CATALOGUE_KIND)) == 1
    cached = load_catalogue_uncached()
    assert cached is not first
    assert cached == parsed == first
    assert type(cached.level_labels) is type(parsed.level_labels)  # read-only mappings stay read-only
    with pytest.raises(TypeError):
        cached.level_labels["P"] = cached.level_labels["S"]  # type: ignore[index]


def test_a_corrupt_catalogue_entry_is_ignored(cache_dir: Path) -> None:
    first = load_catalogue_uncached()
    [entry] = entries(cache_dir, catalogue_module.CATALOGUE_KIND)
    good = entry.read_bytes()
    entry.write_bytes(good[:100])
    assert load_catalogue_uncached() == first
    assert entry.read_bytes() == good


def test_a_hit_needs_neither_yaml_nor_cattrs(cache_dir: Path) -> None:
    """What makes a second start faster: no YAML parser, no cattrs, no checks."""
    code = (
        "import sys\n"
        "from krise_ovelse.authoring.cached import load_scenario_cached\n"
        "from krise_ovelse.catalogue import load_catalogue\n"
        "result = load_scenario_cached(sys.argv[1])\n"
        "load_catalogue()\n"
        "print(type(result).__name__, *(m in sys.modules for m in ('yaml', 'cattrs', 'krise_ovelse.authoring.load')))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    runs = [subprocess.run([sys.executable, "-c", code, str(SHIPPED[0])], capture_output=True, text=True,
                           env=env, check=True, timeout=60).stdout.split() for _ in range(2)]
    assert runs[0] == ["LoadResult", "True", "True", "True"]
    assert runs[1] == ["CachedLoad", "False", "False", "False"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_cached_or_not_the_outcome_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               data: st.DataObject) -> None:
    """Whatever the file holds, loading through the cache (twice) agrees with a full load."""
    lines = MINIMAL.splitlines(keepends=True)
    start = data.draw(st.integers(0, len(lines) - 1))
    stop = data.draw(st.integers(start, len(lines)))
    text = "".join(lines[:start] + lines[stop:])
    folder = tmp_path / f"case-{abs(hash(text))}"
    folder.mkdir(exist_ok=True)
    monkeypatch.setenv(cache.ENV_CACHE, str(folder / "cache"))
    path = folder / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    full = load_scenario(path)
    for _ in range(2):
        through = load_scenario_cached(path)
        assert (through.scenario is None) == (full.scenario is None)
        assert through.scenario == full.scenario
        if full.scenario is None:
            assert through.problems == full.problems
        else:
            assert through.text == full.text
