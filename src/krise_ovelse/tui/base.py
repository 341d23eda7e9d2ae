"""Screens whose key descriptions come from the message catalogue.

`BINDINGS` carry catalogue keys (`"key.pause"`) as descriptions; each instance translates
its own copy of the bindings when it is made, so the footer, the help screen and the command
palette all show the current language.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.geometry import Size
from textual.screen import ModalScreen, Screen

from krise_ovelse.tui.i18n import t

if TYPE_CHECKING:
    from krise_ovelse.tui.app import KriseApp

R = TypeVar("R")


#: Textual's own binding descriptions that the console translates (those a footer can show).
TEXTUAL_DESCRIPTIONS = {"palette": "key.palette", "Dismiss menu": "key.close_menu", "Open link": "key.open_link"}


def translate_binding(binding: Binding) -> Binding:
    if not binding.description.startswith("key."):
        key = TEXTUAL_DESCRIPTIONS.get(binding.description)
        return dataclasses.replace(binding, description=t(key)) if key else binding
    description = t(binding.description)
    tooltip = t(binding.tooltip) if binding.tooltip.startswith("key.") else binding.tooltip
    return dataclasses.replace(binding, description=description, tooltip=tooltip)


def localise_bindings(node: DOMNode) -> None:
    keys = {key: [translate_binding(b) for b in bindings]
            for key, bindings in node._bindings.key_to_bindings.items()}
    node._bindings = BindingsMap.from_keys(keys)
    node._krise_localised = True  # type: ignore[attr-defined]


def localise_focused(event: events.DescendantFocus) -> None:
    """A widget's own bindings (a Select's menu: "Dismiss menu") in the console's language, the
    first time it takes the focus and so shows its keys in the footer."""
    for node in event.widget.ancestors_with_self:
        if isinstance(node, Screen) or getattr(node, "_krise_localised", False):
            break
        localise_bindings(node)


def skip_first_restyle(screen: Screen[Any], event: events.ScreenResume) -> None:
    """Don't restyle the whole screen when it is shown for the first time.

    Textual restyles every widget of a screen each time it resumes (for a theme or stylesheet
    change while it was hidden). The first time, its widgets were styled a moment ago, as they
    were mounted (and the focus styled its own widget), so that pass would only repeat the work
    (about 6 ms before the briefing's first frame). Later resumes restyle as usual.
    """
    if not getattr(screen, "_krise_resumed", False):
        screen._krise_resumed = True  # type: ignore[attr-defined]
        event.refresh_styles = False


def same_size(screen: Screen[Any], size: Size) -> bool:
    """True if `screen` was laid out at `size` last (its compositor's size)."""
    return screen.is_attached and screen._compositor.size == size


class KriseScreen(Screen[R]):
    """A full screen of the console."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localise_bindings(self)

    @property
    def kapp(self) -> KriseApp:
        from krise_ovelse.tui.app import KriseApp

        app = self.app
        assert isinstance(app, KriseApp)
        return app

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        localise_focused(event)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        skip_first_restyle(self, event)

    def _screen_resized(self, size: Size) -> None:
        # A screen's first layout sends the screen itself a Resize (it is "shown"), and Textual
        # lays it out again at the same size; a layout that is really needed still happens
        # (on a new size, or when a widget asks for one).
        if not same_size(self, size):
            super()._screen_resized(size)


class KriseModal(ModalScreen[R]):
    """A dialog over the current screen; escape closes it without a result.

    A widget with the class `fit` gets the screen's height less `RESERVED_ROWS` as its maximum
    height, so the dialog's buttons stay on screen down to 80x24.
    """

    RESERVED_ROWS = 8

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localise_bindings(self)

    @property
    def kapp(self) -> KriseApp:
        from krise_ovelse.tui.app import KriseApp

        app = self.app
        assert isinstance(app, KriseApp)
        return app

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        localise_focused(event)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        skip_first_restyle(self, event)

    def on_mount(self) -> None:
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Cap the `fit` widgets to the terminal's height (also when a kept dialog is shown again)."""
        height = self.app.size.height
        for widget in self.query(".fit"):
            widget.styles.max_height = max(3, height - self.RESERVED_ROWS)
