"""The console's screen and dialog bases.

`BINDINGS` carry catalogue keys (`"key.pause"`) as descriptions; they are translated where they
are shown (the footer, the help screen, the command palette), so every place shows the current
language and no binding map is rewritten. Only public Textual API is used here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from krise_ovelse.tui.app import KriseApp

R = TypeVar("R")


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


class KriseScreen(Screen[R]):
    """A full screen of the console."""

    @property
    def kapp(self) -> KriseApp:
        """The console app (typed; no import of the app module, which imports the screens)."""
        return cast("KriseApp", self.app)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        skip_first_restyle(self, event)


class KriseModal(ModalScreen[R]):
    """A dialog over the current screen; escape closes it without a result.

    A widget with the class `fit` gets the screen's height less `RESERVED_ROWS` as its maximum
    height, so the dialog's buttons stay on screen down to 80x24.
    """

    RESERVED_ROWS = 8

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "key.cancel"),
        # Priority: the app moves the focus before it hands the next key to a field. Otherwise
        # Tab reaches the screen only after bubbling up from the field, and in a fast burst of
        # keys (typed or pasted) the text after the Tab lands in the field it was meant to leave.
        Binding("tab", "app.focus_next", "key.next_field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "key.previous_field", show=False, priority=True),
    ]

    @property
    def kapp(self) -> KriseApp:
        """The console app (typed; no import of the app module, which imports the screens)."""
        return cast("KriseApp", self.app)

    def action_cancel(self) -> None:
        self.dismiss(None)

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
