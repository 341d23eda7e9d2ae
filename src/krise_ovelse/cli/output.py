"""The command line's output streams, passed through the one sanitiser (`safetext.neutralise`).

Every command prints text that came from files: ids, titles, team names, file names, problem
messages quoting a value. Rather than trusting each `click.echo` to clean its argument, the
root command wraps `sys.stdout` and `sys.stderr` once, so nothing a command prints can carry a
terminal escape sequence (OSC 52, OSC 8, 8-bit CSI), a bidi override or a lone surrogate.
Console commands (`play`, `serve`, no command) are not wrapped: Textual writes its own escape
sequences, and the console cleans the texts it shows (`tui.text`).

The wrapper has no `buffer` attribute, so click writes text to it rather than bytes around it;
`binary` gives the underlying byte stream to `fileio.write_bytes` for `-o -` of a binary file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, TextIO

from krise_ovelse.safetext import neutralise


class NeutralisingStream:
    """A text stream that neutralises terminal controls in what is written to it."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner

    @property
    def inner(self) -> TextIO:
        return self._inner

    @property
    def binary(self) -> Any:
        """The byte stream underneath, for binary output (`-o -` of a .docx)."""
        return getattr(self._inner, "buffer", None)

    def write(self, text: str | bytes) -> int:
        if isinstance(text, bytes | bytearray):  # click.echo(bytes) without a binary stream
            text = bytes(text).decode("utf-8", "replace")
        self._inner.write(neutralise(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":  # see the module docstring
            raise AttributeError(name)
        return getattr(self._inner, name)


def neutralise_streams() -> None:
    """Wrap `sys.stdout` and `sys.stderr` (once) for the rest of the command."""
    if not isinstance(sys.stdout, NeutralisingStream):
        sys.stdout = NeutralisingStream(sys.stdout)
    if not isinstance(sys.stderr, NeutralisingStream):
        sys.stderr = NeutralisingStream(sys.stderr)
