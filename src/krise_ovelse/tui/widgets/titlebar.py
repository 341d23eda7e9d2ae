"""A one-line title bar (no clock: the scenario clock is the one that matters)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TitleBar(Static):
    """`title · subtitle` on one line, literal text."""

    DEFAULT_CSS = """
    TitleBar { height: 1; width: 1fr; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, title: str, subtitle: str = "", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(self._render_text(title, subtitle), id=id, markup=False)

    @staticmethod
    def _render_text(title: str, subtitle: str) -> Text:
        text = Text(title, style="bold")
        if subtitle:
            text.append("  ·  ")
            text.append(subtitle, style="italic")
        return text

    def set_title(self, title: str, subtitle: str = "") -> None:
        self.update(self._render_text(title, subtitle))
