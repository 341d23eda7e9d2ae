"""Bounded reads of regular files: never a hang on a FIFO, never a read without end.

`stat().st_size` says nothing about `/dev/zero` (size 0, endless) or a FIFO (opening it waits
for a writer). So the file is checked before it is opened (a FIFO or a device is refused without
opening it), opened without blocking, checked again on the open descriptor (the path may have
changed in between), and read up to one byte past the limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from krise_ovelse.fileio.problems import FileProblem, file_kind

_CHUNK = 1 << 20


class ReadError(FileProblem):
    """An input file that cannot be used: `PATH: CODE message (hint)`, exit code 2."""


def _refuse(name: str, mode: int) -> ReadError:
    if stat.S_ISDIR(mode):
        return ReadError(name, "E-READ-DIR", "is a directory, not a file", "give the path of a file")
    return ReadError(name, "E-READ-SPECIAL", f"is {file_kind(mode)}, not a regular file",
                     "save the content to a file and give its path")


def _os_error(name: str, exc: OSError) -> ReadError:
    if exc.errno == errno.ENOENT:
        return ReadError(name, "E-READ-MISSING", "no such file", "check the path")
    if exc.errno == errno.EISDIR:
        return ReadError(name, "E-READ-DIR", "is a directory, not a file", "give the path of a file")
    return ReadError(name, "E-READ", f"cannot read the file: {exc.strerror or exc}")


def check_regular(path: str | os.PathLike[str]) -> None:
    """Raise ReadError unless `path` is missing or a regular file (for paths another library
    opens, such as a database: a FIFO there would hang it)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _os_error(str(path), exc) from None
    if not stat.S_ISREG(mode):
        raise _refuse(str(path), mode)


def read_limited(path: str | os.PathLike[str], limit: int, *, what: str = "file") -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them, else ReadError
    (E-READ-MISSING, E-READ-DIR, E-READ-SPECIAL, E-READ-SIZE or E-READ)."""
    name = str(path)
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            raise _refuse(name, before.st_mode)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _os_error(name, exc) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # swapped between stat and open
            raise _refuse(name, opened.st_mode)
        if opened.st_size > limit:
            raise _too_big(name, opened.st_size, limit, what)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # grew while we read
                raise _too_big(name, total, limit, what)
        return b"".join(chunks)
    except OSError as exc:
        raise _os_error(name, exc) from None
    finally:
        os.close(fd)


def _too_big(name: str, size: int, limit: int, what: str) -> ReadError:
    return ReadError(name, "E-READ-SIZE", f"the {what} is larger than the limit of {limit:,} bytes "
                     f"({size:,} bytes or more)", "give a smaller file")


def read_text_limited(path: str | os.PathLike[str] | Path, limit: int, *, what: str = "file") -> str:
    """`read_limited` decoded as UTF-8 (an optional BOM); E-READ-UTF8 for bad bytes."""
    raw = read_limited(path, limit, what=what)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ReadError(f"{path}:{line}:{col}", "E-READ-UTF8", f"the byte 0x{raw[exc.start]:02x} is not UTF-8",
                        "save the file as UTF-8") from None
