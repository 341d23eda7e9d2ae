"""The hotwash after ENDEX: the facilitator notes what worked (pluss), what to change (delta)
and what the team takes with it, while the room is still warm. Each point is an event of the
session, so the report sums it up and a replay shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from krise_ovelse.report.questions import HOTWASH
from krise_ovelse.tui.base import KriseScreen
from krise_ovelse.tui.i18n import t
from krise_ovelse.tui.text import lit, tr
from krise_ovelse.tui.widgets.footer import KeyFooter
from krise_ovelse.tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from krise_ovelse.tui.session import ExerciseSession

KINDS = tuple(HOTWASH)


def hotwash_text(entries: list[tuple[str, str]]) -> Text:
    """The points so far, under their three headings (literal text, never markup)."""
    text = Text()
    for kind, heading in HOTWASH.items():
        points = [point for entry_kind, point in entries if entry_kind == kind]
        text.append(tr(heading) + "\n", style="bold")
        if not points:
            text.append("  " + t("hotwash.none") + "\n", style="dim italic")
        for point in points:
            text.append("  • ")
            text.append(point)
            text.append("\n")
    return text


class HotwashScreen(KriseScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "key.back"),
        Binding("f2", "feedback", "key.feedback"),
    ]

    def __init__(self, session: ExerciseSession) -> None:
        super().__init__(id="hotwash")
        self.session = session

    def compose(self) -> ComposeResult:
        yield TitleBar(t("hotwash.title"), tr(self.session.scenario.title))
        with Vertical(id="hotwash-body"):
            yield Static(lit(t("hotwash.intro"), "italic"), markup=False)
            with RadioSet(id="hotwash-kind"):
                for index, kind in enumerate(KINDS):
                    yield RadioButton(tr(HOTWASH[kind]), value=index == 0, id=f"hotwash-{kind}")
            yield Label(t("hotwash.point"))
            yield Input(id="hotwash-text", placeholder=t("hotwash.placeholder"), max_length=2000)
            with VerticalScroll(id="hotwash-list", classes="panel"):
                yield Static("", id="hotwash-points", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#hotwash-list").border_title = t("hotwash.so_far")
        self.render_state()
        self.query_one("#hotwash-text", Input).focus()

    def render_state(self) -> None:
        self.query_one("#hotwash-points", Static).update(hotwash_text(self.session.hotwash_entries()))

    def kind(self) -> str:
        index = self.query_one("#hotwash-kind", RadioSet).pressed_index
        return KINDS[index] if 0 <= index < len(KINDS) else KINDS[0]

    @on(Input.Submitted, "#hotwash-text")
    def _add(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        if self.kapp.run_command(self.session.note_hotwash(self.kind(), text)):
            event.input.value = ""
            self.render_state()

    def action_back(self) -> None:
        self.kapp.pop_screen()

    def action_feedback(self) -> None:
        self.kapp.show_feedback()
