"""Where the report's files are written: one function for every format (.md, .html, .docx,
.xlsx, plan files), which never writes through a symbolic link and never replaces a directory or
a special file (a FIFO or a device is left as it is)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class OutputError(Exception):
    """An output that was not written; `str()` is `PATH: message`."""


def _check(path: str, replace: bool) -> os.stat_result | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(f"{path}: is a symbolic link; reports are never written through links")
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{path}: is not a regular file; it was left as it is")
    if not replace:
        raise OutputError(f"{path}: exists")
    return st


def write_output(target: str | os.PathLike[str], data: bytes | str, *, replace: bool = True) -> None:
    """Write `data` (text as UTF-8) to `target`: into a temporary file beside it, then moved into
    place, so a reader never sees half a file and a link at the target is never followed."""
    path = os.fspath(target)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    before = _check(path, replace)
    directory = os.path.dirname(path) or "."
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{Path(path).name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, (before.st_mode & 0o7777) if before is not None else 0o666 & ~mask)
        if before is None:
            try:
                os.link(temporary, path, follow_symlinks=False)
            except FileExistsError:
                raise OutputError(f"{path}: a file appeared there while writing; nothing was replaced") from None
        else:
            _check(path, replace)
            os.replace(temporary, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
