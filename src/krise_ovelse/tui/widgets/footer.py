"""The key footer, rebuilt only when the keys it shows change.

Textual's `Footer` rebuilds all its keys (removes and mounts a widget per key) whenever the
screen's bindings may have changed: on every focus change, screen resume and `refresh_bindings`.
Starting a screen does that three times, and every Tab between panels once more, though the
keys shown are mostly the same. `KeyFooter` shows its keys from the first frame and rebuilds at
most once per refresh, and only if the keys (or whether they are enabled) really changed; its
keys are made compact or not as the footer is, so each is styled once, not three times.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_reactive(Footer._bindings_ready, True)
        self._shown: Hashable = None
        self._rebuild_pending = False

    def _keys(self) -> Hashable:
        """What `compose` shows: each key with its label and state, and the palette key."""
        active = self.screen.active_bindings
        keys = tuple((binding.key, binding.action, binding.description, binding.key_display, enabled, tooltip,
                      binding.group) for _, binding, enabled, tooltip in active.values() if binding.show)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return (keys, (palette.binding.key, palette.enabled) if palette else None, self.compact,
                self.show_command_palette)

    def compose(self) -> ComposeResult:
        self._shown = self._keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # A key starts compact (the palette key stays so), the others are then bound
                # to the footer's setting; each change of its class restyles it. Made with its
                # setting and its class, it is styled once, when it is mounted.
                compact = True if widget.has_class("-command-palette") else self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not screen.app.app_focus or self._rebuild_pending:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if self.is_attached and self._keys() != self._shown:
            await self.recompose()
