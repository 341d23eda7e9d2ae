"""One safe writer for every output file (reports, dreiebok, plans, exports, .docx/.xlsx/.csv).

An output path is checked with `lstat`, never followed: a symbolic link at the target (even a
dangling one) is refused, so a link planted in a shared folder cannot redirect the write; a
directory, FIFO, device or socket is refused and left as it is. A new file is written to a
temporary file in the same directory and hard-linked into place, which fails rather than
replaces if something appeared at the path meanwhile; an existing regular file is replaced
atomically by rename (which replaces the directory entry and never writes through a link) and
keeps its permission bits. `-` means standard output.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile

from krise_ovelse.fileio.problems import FileProblem, file_kind
from krise_ovelse.safetext import neutralise

#: The target that means standard output.
STDOUT = "-"


class WriteError(FileProblem):
    """An output that was not written: `PATH: CODE message (hint)`, exit code 2."""


def _check_target(path: str) -> os.stat_result | None:
    """The target's lstat if it is a regular file, None if nothing is there, else WriteError."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteError(path, "E-WRITE", f"cannot write the file: {exc.strerror or exc}") from None
    if stat.S_ISLNK(st.st_mode):
        raise WriteError(path, "E-WRITE-LINK", "is a symbolic link; krise-øvelse does not write through links",
                         "give the path of the real file, or remove the link")
    if stat.S_ISDIR(st.st_mode):
        raise WriteError(path, "E-WRITE-DIR", "is a directory", "give a file name")
    if not stat.S_ISREG(st.st_mode):
        raise WriteError(path, "E-WRITE-SPECIAL",
                         f"is {file_kind(st.st_mode)}, not a regular file; it was left as it is",
                         "give the path of a regular file, or `-` for standard output")
    return st


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _stdout_binary() -> object:
    out = sys.stdout
    return getattr(out, "binary", None) or getattr(out, "buffer", None) or out


def write_bytes(target: str | os.PathLike[str], data: bytes, *, mode: int | None = None) -> None:
    """Write `data` to `target` (see the module docstring), or to standard output for `-`.

    `mode` sets the permission bits (a private key: 0o600); by default a replaced file keeps
    its own and a new one gets 0o666 less the umask."""
    path = os.fspath(target)
    if path == STDOUT:
        sys.stdout.flush()
        out = _stdout_binary()
        out.write(data)  # type: ignore[attr-defined]
        out.flush()  # type: ignore[attr-defined]
        return
    before = _check_target(path)
    directory = os.path.dirname(path) or "."
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    except OSError as exc:
        hint = ("the directory does not exist" if exc.errno == errno.ENOENT
                else "check that the directory exists and is writable")
        raise WriteError(path, "E-WRITE", f"cannot write the file: {exc.strerror or exc}", hint) from None
    try:
        try:
            if mode is None:
                mode = (before.st_mode & 0o7777) if before is not None else 0o666 & ~_umask()
            os.fchmod(fd, mode)
            _write_durably(fd, data)
        finally:
            os.close(fd)
        if before is None:
            _link_new(temporary, path)
        else:
            now = _check_target(path)
            if now is None or (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
                raise WriteError(path, "E-WRITE", "the file changed while it was being written; nothing was replaced",
                                 "try again")
            os.replace(temporary, path)
    except OSError as exc:
        raise WriteError(path, "E-WRITE", f"cannot write the file: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _link_new(temporary: str, path: str) -> None:
    """Put the finished temporary file at `path`, which must still be free."""
    try:
        os.link(temporary, path, follow_symlinks=False)
        return
    except FileExistsError:
        _check_target(path)  # says what appeared there
        raise WriteError(path, "E-WRITE", "a file appeared at the path while writing; nothing was replaced",
                         "try again") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV):
            raise
    # A file system without hard links: create exclusively, never following a link.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    with open(temporary, "rb") as source:
        data = source.read()
    fd = os.open(path, flags, os.stat(temporary).st_mode & 0o7777)
    try:
        _write_durably(fd, data)
    finally:
        os.close(fd)


def _write_durably(fd: int, data: bytes) -> None:
    """All of `data` (os.write may write less than asked), then fsync: on disk when this returns."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def write_text(target: str | os.PathLike[str], text: str) -> None:
    """Write `text` as UTF-8 with terminal controls neutralised (`safetext.neutralise`);
    `-` writes to standard output."""
    clean = neutralise(text)
    if os.fspath(target) == STDOUT:
        sys.stdout.write(clean)
        sys.stdout.flush()
        return
    write_bytes(target, clean.encode("utf-8"))
