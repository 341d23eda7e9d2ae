"""What reading and writing share: the error a file that cannot be used raises, and the words
for a file that is not a regular one."""

from __future__ import annotations

import stat


class FileProblem(Exception):
    """A file that cannot be used: `PATH: CODE message (hint)`, exit code 2. `ReadError` (an
    input) and `WriteError` (an output) are its two kinds; a caller catches the one it expects."""

    exit_code = 2

    def __init__(self, path: str, code: str, message: str, hint: str = "") -> None:
        super().__init__(f"{path}: {code} {message}")
        self.path = path
        self.code = code
        self.message = message
        self.hint = hint

    def render(self) -> str:
        return f"{self.path}: {self.code} {self.message}" + (f" ({self.hint})" if self.hint else "")


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, for a message ("a named pipe (FIFO)")."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
