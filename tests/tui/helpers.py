"""Reading what the console shows, for assertions."""

from __future__ import annotations

import unicodedata
from typing import Any

from textual import events
from textual.app import App
from textual.keys import ASCII_KEY_NAMES, KEY_NAME_REPLACEMENTS
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from krise_ovelse.tui.app import KriseApp


def stored_id(app: KriseApp) -> str:
    """The id of the session the console has open in the store."""
    assert app.session is not None and app.session.session_id is not None
    return app.session.session_id


async def start_play(pilot: Pilot[Any]) -> None:
    """From the briefing into a running exercise with i01 released (which opens d01)."""
    from krise_ovelse.tui.screens.exercise import ExerciseScreen

    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExerciseScreen)
    await pilot.press("space", "n")
    await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type `text` into the focused widget: one key event per character, as a keyboard sends
    them, then one wait for the app to settle.

    `pilot.press(*text)` waits for the app to go idle after every key (two idle checks of 20 ms
    or more each); for plain text that only makes the test slow. Keys that move the focus
    (enter, tab) still go through `pilot.press`.
    """
    app = pilot.app
    for char in text:
        app.post_message(events.Key(key_name(char), char))
    await pilot.pause()


def key_name(char: str) -> str:
    """The key name Textual gives a typed character (`.` → `full_stop`): its Unicode name, lower
    case, with spaces and dashes as underscores (public names only; no private helper)."""
    if char.isalnum():
        return char
    try:
        name = unicodedata.name(char).lower().replace(" ", "_").replace("-", "_")
    except ValueError:  # a control character: tab, enter, …
        name = ASCII_KEY_NAMES.get(char, char)
    return KEY_NAME_REPLACEMENTS.get(name, name)


def record_notifications(app: App[Any]) -> list[str]:
    """Every notification the app shows from now on (wraps the public `App.notify`; call it
    before `run_test` to see those of the start too)."""
    seen: list[str] = []
    original = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        seen.append(str(message))
        original(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return seen


def option_texts(app: App[Any], selector: str) -> list[str]:
    widget = app.screen.query_one(selector, OptionList)
    return [str(getattr(option.prompt, "plain", option.prompt)) for option in widget.options]


def static_text(app: App[Any], selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    content = widget.content
    return str(getattr(content, "plain", content))


def screen_text(app: App[Any]) -> str:
    """Every Static, option and table cell on the active screen, as plain text."""
    parts: list[str] = []
    for widget in app.screen.query(Static):
        content = widget.content
        parts.append(str(getattr(content, "plain", content)))
    for options in app.screen.query(OptionList):
        parts.extend(str(getattr(o.prompt, "plain", o.prompt)) for o in options.options)
    for table in app.screen.query(DataTable):
        for row in range(table.row_count):
            parts.extend(str(getattr(cell, "plain", cell)) for cell in table.get_row_at(row))
    for shown in app.screen.query("StatusLine, IndicatorPanel"):
        parts.append(str(shown.render()))
    return "\n".join(parts)
