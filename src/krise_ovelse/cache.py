"""A store of pickled results keyed by input bytes and code, to start the console faster.

Loading a scenario parses YAML, structures it and runs every check; importing the parser,
cattrs and the checks alone costs more. Measured on the 2-core development machine (a fresh
process opening `maratonet.yaml` for play): 1.11 s without the cache, 0.54 s with it (a bare
import of the console command is 0.27 s), so it halves the time to the first screen. It stays.

The store knows nothing about scenarios: `get(kind, data, check)` and `put(kind, data, value)`
keep a value under the SHA-256 of `data` (the input's bytes), `kind` and a fingerprint of the
code (where the package is, the Python version, the size and modification time of the
libraries that shape the values and of every source and data file in `model`, `authoring`,
`scoring` and `data`). Callers decide what to keep (`authoring.cached` keeps scenarios that
loaded without errors; `catalogue` keeps the criteria catalogue).

Entries are pickles, and unpickling runs code, so the cache is used only where no one else can
write: the directory (and each kind's folder) is opened without following links and must be a
directory owned by the user and writable by no one else (new ones are made 0700); an entry must
be a regular file owned by the user and writable by no one else, opened relative to that
directory without following links. Anything else is not read and not written: pointing
`KRISE_OVELSE_CACHE` or `XDG_CACHE_HOME` at a shared folder turns the cache off rather than
letting another user run code as you. The cache is otherwise best effort: a missing, corrupt
or outdated entry is a miss, and a directory that cannot be written is not written.

Where: `KRISE_OVELSE_CACHE` names the directory; `0`, `off`, `no` or `false` turns the cache
off; unset or empty means the user cache directory (`~/.cache/krise-ovelse` on Linux).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import pickle
import secrets
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

ENV_CACHE = "KRISE_OVELSE_CACHE"
OFF = frozenset({"0", "off", "no", "false"})
#: Bumped when the layout of an entry changes.
FORMAT = b"krise-ovelse-cache 1\n"
#: Larger inputs are not looked up (the loader refuses anything above 8 MiB anyway).
MAX_INPUT_BYTES = 8 * 1024 * 1024
#: Larger entries are not read.
MAX_ENTRY_BYTES = 256 * 1024 * 1024
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


def _mapping_proxy(value: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(value)


class _Pickler(pickle.Pickler):
    """Pickles read-only mappings (MappingProxyType) as themselves."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is MappingProxyType:
            return _mapping_proxy, (dict(obj),)
        return NotImplemented


_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else."""
    return (not hasattr(os, "getuid") or st.st_uid == os.getuid()) and not st.st_mode & 0o022


def _open_private_dir(path: str | Path, *, dir_fd: int | None = None, create: bool) -> int | None:
    """A descriptor of a private directory (see the module docstring), or None."""
    if create:
        try:
            os.mkdir(path, 0o700, dir_fd=dir_fd)
        except FileExistsError:
            pass
        except OSError:
            return None
    try:
        fd = os.open(path, _DIR_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None
    st = os.fstat(fd)
    if stat.S_ISDIR(st.st_mode) and _private(st):
        return fd
    os.close(fd)
    return None


def _open_kind(kind: str, *, create: bool) -> int | None:
    directory = cache_dir()
    if directory is None:
        return None
    if create:
        try:
            directory.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
    top = _open_private_dir(directory, create=create)
    if top is None:
        return None
    try:
        return _open_private_dir(kind, dir_fd=top, create=create)
    finally:
        os.close(top)


def get(kind: str, data: bytes, check: Callable[[Any], bool]) -> Any | None:
    """The value stored for `data` (the input's bytes) under `kind`, if `check` accepts it."""
    folder = _open_kind(kind, create=False)
    if folder is None:
        return None
    key = _key(kind, data)
    header = FORMAT + key.encode() + b"\n"
    try:
        fd = os.open(f"{key}.pickle", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK, dir_fd=folder)
    except OSError:
        return None
    finally:
        os.close(folder)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _private(st) or st.st_size > MAX_ENTRY_BYTES:
            return None  # someone else's file: never unpickled
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            raw = handle.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)
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
    key = _key(kind, data)
    buffer = io.BytesIO()
    buffer.write(FORMAT + key.encode() + b"\n")
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    except Exception:  # something unpicklable is simply not cached
        return False
    folder = _open_kind(kind, create=True)
    if folder is None:
        return False
    temporary = f".tmp-{secrets.token_hex(8)}.pickle"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(temporary, flags, 0o600, dir_fd=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(buffer.getbuffer())
            os.replace(temporary, f"{key}.pickle", src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=folder)
            raise
        _prune(folder, MAX_ENTRIES if keep is None else keep)
    except OSError:
        return False
    finally:
        os.close(folder)
    return True


def _prune(folder: int, keep: int) -> None:
    """Remove the oldest entries beyond `keep` (best effort)."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(".pickle") and not e.name.startswith(".")]
        if len(entries) <= keep:
            return
        entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime_ns)
        for entry in entries[:-keep]:
            os.unlink(entry.name, dir_fd=folder)
    except OSError:
        pass
