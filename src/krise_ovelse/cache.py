"""A cache of checked results (scenarios for play, the criteria catalogue), to start faster.

Loading a scenario parses YAML, structures it and runs every check; the console does that on
each start. After a load without errors the result is pickled to the user's cache directory,
keyed by the SHA-256 of the file's bytes and a fingerprint of the code that produced it (where
the package is, the Python version, the size and modification time of the libraries that shape
the result, and of every source and data file in `model`, `authoring`, `scoring` and `data`). A later start on the same
bytes with the same code unpickles it instead of loading (no YAML parser, no cattrs); an edited
file or an edited checkout misses and is loaded and checked in full.

Only a scenario that loaded without errors is stored, so a hit is a scenario that passed every
check. The cache is best effort: an entry that is missing, unreadable, corrupt or of another
format is ignored (and rewritten after the full load), and a cache directory that cannot be
written to is simply not written. `validate`, `lint` and `run` never use it for scenarios.

Where: `KRISE_OVELSE_CACHE` names the directory; `0`, `off`, `no` or `false` turns the cache
off; unset or empty means the user cache directory (`~/.cache/krise-ovelse` on Linux).
Entries are pickles, trusted like the bytecode caches: only the user can write them.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from krise_ovelse.authoring.load import LoadResult
    from krise_ovelse.model.problems import Problem
    from krise_ovelse.model.scenario import Scenario

ENV_CACHE = "KRISE_OVELSE_CACHE"
OFF = frozenset({"0", "off", "no", "false"})
#: Bumped when the layout of an entry changes.
FORMAT = b"krise-ovelse-cache 1\n"
#: Larger files are not looked up (the loader refuses anything above 8 MiB anyway).
MAX_INPUT_BYTES = 8 * 1024 * 1024
#: Entries kept per kind; the oldest beyond this are removed when one is written.
MAX_ENTRIES = 32

PACKAGE_DIR = Path(__file__).resolve().parent
#: The code whose source decides what a load produces (checked by size and modification time).
CODE_DIRS = ("model", "authoring", "scoring", "data")
CODE_FILES = ("__init__.py", "cache.py")
#: Libraries that shape the loaded objects or the pickles (found without importing them).
LIBRARIES = ("attr", "attrs", "cattrs", "yaml")


def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is turned off."""
    value = os.environ.get(ENV_CACHE, "").strip()
    if value.lower() in OFF:
        return None
    if value:
        return Path(value).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("krise-ovelse", appauthor=False)


def _stat_line(path: Path, name: str) -> str:
    try:
        st = path.stat()
    except OSError:
        return f"{name} -\n"
    return f"{name} {st.st_size} {st.st_mtime_ns}\n"


@functools.cache
def code_fingerprint() -> bytes:
    """What the cached results depend on besides the input: versions, sources, data."""
    from importlib.util import find_spec

    lines = [f"krise-ovelse {PACKAGE_DIR}\n", f"python {sys.version} {sys.executable}\n"]
    for module in LIBRARIES:
        spec = find_spec(module)
        origin = Path(spec.origin) if spec is not None and spec.origin else None
        if origin is None:
            lines.append(f"{module} -\n")
        else:  # a reinstall rewrites the files (and the folder, if files come or go)
            lines += [_stat_line(origin, module), _stat_line(origin.parent, f"{module}/")]
    for name in CODE_FILES:
        lines.append(_stat_line(PACKAGE_DIR / name, name))
    for directory in CODE_DIRS:
        try:
            entries = sorted(os.scandir(PACKAGE_DIR / directory), key=lambda e: e.name)
        except OSError:
            lines.append(f"{directory} -\n")
            continue
        for entry in entries:
            if entry.is_file() and entry.name.endswith((".py", ".yaml", ".txt")):
                st = entry.stat()
                lines.append(f"{directory}/{entry.name} {st.st_size} {st.st_mtime_ns}\n")
    return hashlib.sha256("".join(lines).encode("utf-8", "surrogateescape")).digest()


def _key(kind: str, data: bytes) -> str:
    digest = hashlib.sha256(code_fingerprint())
    digest.update(kind.encode() + b"\0")
    digest.update(data)
    return digest.hexdigest()


def _entry_path(directory: Path, kind: str, key: str) -> Path:
    return directory / kind / f"{key}.pickle"


def _mapping_proxy(value: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(value)


class _Pickler(pickle.Pickler):
    """Pickles read-only mappings (MappingProxyType) as themselves."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is MappingProxyType:
            return _mapping_proxy, (dict(obj),)
        return NotImplemented


def get(kind: str, data: bytes, check: Callable[[Any], bool]) -> Any | None:
    """The value stored for `data` (the input's bytes) under `kind`, if `check` accepts it."""
    directory = cache_dir()
    if directory is None:
        return None
    key = _key(kind, data)
    header = FORMAT + key.encode() + b"\n"
    try:
        raw = _entry_path(directory, kind, key).read_bytes()
    except OSError:
        return None
    if not raw.startswith(header):
        return None
    try:
        value = pickle.loads(memoryview(raw)[len(header):])
    except Exception:  # a corrupt or outdated entry is a miss
        return None
    return value if check(value) else None


def put(kind: str, data: bytes, value: Any, keep: int | None = None) -> bool:
    """Store `value` for `data` under `kind`, keeping the newest `keep` entries of the kind
    (MAX_ENTRIES by default); False (and nothing raised) if it cannot be written."""
    directory = cache_dir()
    if directory is None:
        return False
    key = _key(kind, data)
    buffer = io.BytesIO()
    buffer.write(FORMAT + key.encode() + b"\n")
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    except Exception:  # something unpicklable is simply not cached
        return False
    target = _entry_path(directory, kind, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(buffer.getbuffer())
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return False
    _prune(target.parent, MAX_ENTRIES if keep is None else keep)
    return True


def _prune(folder: Path, keep: int) -> None:
    """Remove the oldest entries beyond `keep` (best effort)."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(".pickle") and not e.name.startswith(".")]
        if len(entries) <= keep:
            return
        entries.sort(key=lambda e: e.stat().st_mtime_ns)
        for entry in entries[:-keep]:
            os.unlink(entry.path)
    except OSError:
        pass


# --- scenarios ------------------------------------------------------------------------------

SCENARIO = "scenario"


@attrs.frozen
class CachedLoad:
    """A scenario from the cache: it loaded without errors from these very bytes before."""

    scenario: Scenario
    text: str
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return True


def _is_scenario_entry(value: Any) -> bool:
    from krise_ovelse.model.scenario import Scenario

    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Scenario)
            and isinstance(value[1], str))


def load_scenario_cached(path: str | Path) -> CachedLoad | LoadResult:
    """A scenario for play: from the cache if these bytes loaded cleanly before with this code,
    else loaded and checked in full (`load_scenario`), and stored if it has no errors."""
    path = Path(path)
    raw: bytes | None = None
    if cache_dir() is not None:
        try:
            if path.is_file() and path.stat().st_size <= MAX_INPUT_BYTES:
                raw = path.read_bytes()
        except OSError:
            raw = None
        if raw is not None:
            hit = get(SCENARIO, raw, _is_scenario_entry)
            if hit is not None:
                return CachedLoad(hit[0], hit[1])
    from krise_ovelse.authoring.load import load_scenario, load_scenario_bytes

    if raw is None:
        return load_scenario(path)
    result = load_scenario_bytes(raw, str(path))  # the bytes just hashed, not read again
    if result.scenario is not None and result.text is not None:
        put(SCENARIO, raw, (result.scenario, result.text))
    return result
