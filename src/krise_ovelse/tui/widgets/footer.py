"""The key footer: every key the screen shows, in the console's language, on as many lines as
the width needs (at 80 columns the exercise screen's keys take two lines, none is cut).

One widget that renders one `Text`, built from the screen's public `active_bindings` and
rebuilt only when the keys shown change (Textual's own `Footer` mounts a widget per key and
rebuilds them all on every focus change, and needs its private parts to be made cheaper).
Descriptions in `BINDINGS` are catalogue keys (`"key.pause"`) and are translated here, where
they are shown; so are the few of Textual's own that can show (a Select's "Dismiss menu").
A click on a key runs its action, as in Textual's footer.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

from krise_ovelse.tui.i18n import t

#: Textual's own binding descriptions that can show in the footer, and their catalogue keys.
TEXTUAL_DESCRIPTIONS = {"palette": "key.palette", "Dismiss menu": "key.close_menu", "Open link": "key.open_link"}


def describe(binding: Binding) -> str:
    """A binding's description in the console's language."""
    description = binding.description
    if description.startswith("key."):
        return t(description)
    key = TEXTUAL_DESCRIPTIONS.get(description)
    return t(key) if key else description


class Entry:
    """One key as shown: its label, what it does, whether it is enabled, and its action."""

    __slots__ = ("action", "description", "enabled", "key", "node")

    def __init__(self, key: str, description: str, enabled: bool, action: str, node: Any) -> None:
        self.key = key
        self.description = description
        self.enabled = enabled
        self.action = action
        self.node = node

    @property
    def width(self) -> int:
        return cell_len(self.key) + cell_len(self.description) + 3

    def signature(self) -> tuple[str, str, bool, str]:
        return (self.key, self.description, self.enabled, self.action)


class KeyFooter(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keyfooter--key"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: auto;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyFooter > .keyfooter--key { color: $footer-key-foreground; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        #: Per line, the (start column, end column, entry) of each key, for clicks.
        self._places: list[list[tuple[int, int, Entry]]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.entries = self.collect()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def collect(self) -> list[Entry]:
        """The keys to show (one per action), then the command palette's."""
        app = self.app
        entries: list[Entry] = []
        seen: set[str] = set()
        palette: Entry | None = None
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = Entry(app.get_key_display(binding), describe(binding), active.enabled, binding.action,
                                active.node)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            entries.append(Entry(app.get_key_display(binding), describe(binding), active.enabled, binding.action,
                                 active.node))
        hints = getattr(self.screen, "footer_hints", None)
        if callable(hints):
            entries[:0] = [Entry(app.get_key_display(Binding(key, "")), description, True, "", None)
                           for key, description in hints()]
        if palette is not None:
            entries.append(palette)
        return entries

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is not self.screen or not self.is_attached:
            return
        entries = self.collect()
        if [e.signature() for e in entries] != [e.signature() for e in self.entries]:
            self.entries = entries
            self.refresh(layout=True)

    def lines(self, width: int) -> list[list[Entry]]:
        """The entries laid out on lines of `width` cells (a line holds at least one)."""
        lines: list[list[Entry]] = [[]]
        used = 0
        for entry in self.entries:
            if lines[-1] and used + entry.width > width:
                lines.append([])
                used = 0
            lines[-1].append(entry)
            used += entry.width
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(max(1, width)))

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        key_style = self.get_component_rich_style("keyfooter--key")
        self._places = []
        for index, line in enumerate(self.lines(max(1, self.size.width))):
            if index:
                text.append("\n")
            column = 0
            places = []
            for entry in line:
                start = column
                text.append(f" {entry.key}", style=key_style if entry.enabled else "dim")
                text.append(f" {entry.description} ", style="" if entry.enabled else "dim")
                column += entry.width
                places.append((start, column, entry))
            self._places.append(places)
        return text

    def on_click(self, event: events.Click) -> None:
        line = self._places[event.y] if 0 <= event.y < len(self._places) else []
        for start, end, entry in line:
            if start <= event.x < end and entry.enabled and entry.action:
                event.stop()
                self.app.call_later(self.app.run_action, entry.action, entry.node)
                return
