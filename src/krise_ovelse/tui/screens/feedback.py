"""The participant questionnaire (deltakerskjema): a few short questions after the exercise,
answered anonymously one participant after another on the facilitator's machine (in the
terminal or the browser console, `krise-ovelse serve`: the same app). No name is asked for or
stored: each set of answers is one `feedback_given` event, and the report sums them up."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from krise_ovelse.report.questions import QUESTIONS, SCALE
from krise_ovelse.tui.base import KriseScreen
from krise_ovelse.tui.i18n import t
from krise_ovelse.tui.text import lit, tr
from krise_ovelse.tui.widgets.footer import KeyFooter
from krise_ovelse.tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from krise_ovelse.tui.session import ExerciseSession


class FeedbackScreen(KriseScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "key.send_feedback", priority=True),
        Binding("escape", "back", "key.back"),
    ]

    def __init__(self, session: ExerciseSession) -> None:
        super().__init__(id="feedback")
        self.session = session

    def compose(self) -> ComposeResult:
        yield TitleBar(t("feedback.title"), tr(self.session.scenario.title))
        with VerticalScroll(id="feedback-body"):
            yield Static(lit(t("feedback.intro"), "italic"), markup=False)
            yield Static("", id="feedback-count", markup=False)
            for question in QUESTIONS:
                yield Label(tr(question.text), classes="question")
                if question.scale:
                    yield Static(lit(t("feedback.scale", low=tr(question.low), high=tr(question.high)), "dim"),
                                 markup=False)
                    with RadioSet(id=f"q-{question.id}", classes="scale"):
                        for value in SCALE:
                            yield RadioButton(value, id=f"q-{question.id}-{value}")
                else:
                    yield Input(id=f"q-{question.id}", max_length=2000, placeholder=t("feedback.optional"))
            with Horizontal(classes="buttons"):
                yield Button(t("feedback.send"), id="feedback-send", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.render_state()

    def render_state(self) -> None:
        self.query_one("#feedback-count", Static).update(t("feedback.count", count=self.session.feedback_count()))

    def answers(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for question in QUESTIONS:
            if question.scale:
                buttons = self.query_one(f"#q-{question.id}", RadioSet).query(RadioButton)
                pressed = next((button for button in buttons if button.value), None)
                if pressed is not None:
                    found[question.id] = str(pressed.label)
            else:
                found[question.id] = self.query_one(f"#q-{question.id}", Input).value
        return found

    @on(Button.Pressed, "#feedback-send")
    async def _send(self) -> None:
        await self.action_submit()

    async def action_submit(self) -> None:
        outcome = self.session.give_feedback(self.answers())
        if self.kapp.run_command(outcome):
            # a fresh form for the next participant (a radio set cannot be unpressed)
            await self.recompose()
            self.render_state()
            self.query_one(f"#q-{QUESTIONS[0].id}", RadioSet).focus()

    def action_back(self) -> None:
        self.kapp.pop_screen()
