"""The one place the tests touch a private part of Textual: steady cursors for screenshots.

A blinking cursor makes the snapshot of a screen with a focused field differ from run to run,
and Textual has no public switch for it that reaches every field of an app at once. The console
itself uses no private Textual names (`test_textual_api.py` checks both: the console's sources
stay free of them, and the names below still exist, so a Textual upgrade that renames them
fails there, loudly, instead of making screenshots flaky).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

#: (class, private method) whose call makes a cursor blink.
BLINKERS: tuple[tuple[type, str], ...] = ((Input, "_toggle_cursor"), (TextArea, "_toggle_cursor_blink_visible"))


def steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    for cls, name in BLINKERS:
        monkeypatch.setattr(cls, name, lambda self: None)
