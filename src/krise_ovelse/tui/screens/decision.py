"""The decision dialog: prompt, options, rationale, who decided; revising a decision later.

Confirming hands the command to the session; the dialog closes only once the engine has
accepted it (and the store sink has committed its events). A refusal stays in the dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from krise_ovelse.tui.base import KriseModal
from krise_ovelse.tui.i18n import t
from krise_ovelse.tui.text import duration, lit, scenario_time
from krise_ovelse.tui.view import DecisionView

if TYPE_CHECKING:
    from krise_ovelse.tui.session import ExerciseSession


def option_prompt(option_id: str, text: str, chosen: bool, current: bool) -> Text:
    prompt = Text()
    prompt.append("◉ " if chosen else "○ ", style="bold green" if chosen else "dim")
    prompt.append(f"{option_id})  ", style="bold")
    prompt.append(text)
    if current:
        prompt.append("  " + t("decision.current"), style="italic yellow")
    return prompt


class DecisionDialog(KriseModal[bool | None]):
    """Choose an option at a decision point (or revise the choice made)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "confirm", "key.confirm_decision", priority=True),
        Binding("escape", "cancel", "key.cancel"),
    ]

    def __init__(self, session: ExerciseSession, decision: DecisionView, *, revise: bool = False) -> None:
        super().__init__(id="decision-dialog", classes="dialog")
        self.session = session
        self.decision = decision
        self.revise = revise
        self.choice: str | None = None

    def compose(self) -> ComposeResult:
        d = self.decision
        key = "decision.revise_title" if self.revise else "decision.title"
        with Vertical(classes="dialog-box wide"):
            yield Label(t(key, id=d.decision_id), classes="dialog-title")
            with VerticalScroll(id="decision-scroll", classes="fit"):
                if d.title:
                    yield Static(lit(d.title, "bold"), markup=False)
                yield Static(lit(d.prompt), id="decision-prompt", markup=False)
                now = self.session.now_minutes()
                left = d.deadline_minutes - now
                yield Static(lit(t("decision.deadline_line", at=scenario_time(d.deadline_minutes),
                                   left=duration(max(0.0, left)),
                                   default=d.default), "italic"), markup=False)
                yield Label(t("decision.options"), classes="section-title")
                yield OptionList(*self._options(), id="decision-options", markup=False)
                yield Label(t("decision.rationale"))
                yield Input(id="decision-rationale", placeholder=t("decision.rationale_placeholder"))
                yield Label(t("decision.decided_by"))
                names = self.session.participant_names()
                yield Input(id="decision-by", placeholder=t("decision.decided_by_placeholder"),
                            suggester=SuggestFromList(names, case_sensitive=False) if names else None)
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("decision.confirm"), id="ok", variant="primary", compact=True)
                yield Button(t("dialog.cancel"), id="cancel", compact=True)

    def _options(self) -> list[Option]:
        return [Option(option_prompt(oid, text, oid == self.choice, oid == self.decision.chosen), id=oid)
                for oid, text in self.decision.options]

    def on_mount(self) -> None:
        options = self.query_one("#decision-options", OptionList)
        if self.decision.chosen:
            ids = [oid for oid, _ in self.decision.options]
            if self.decision.chosen in ids:
                options.highlighted = ids.index(self.decision.chosen)
        else:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#decision-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choice = event.option.id
        options = self.query_one("#decision-options", OptionList)
        keep = options.highlighted
        options.set_options(self._options())
        options.highlighted = keep
        self.query_one("#dialog-error", Static).update("")
        self.query_one("#decision-rationale", Input).focus()

    @on(Button.Pressed, "#ok")
    def action_confirm(self) -> None:
        error = self.query_one("#dialog-error", Static)
        if self.choice is None:
            error.update(t("decision.choose_first"))
            self.query_one("#decision-options").focus()
            return
        rationale = self.query_one("#decision-rationale", Input).value.strip()
        by = self.query_one("#decision-by", Input).value.strip()
        if self.revise:
            outcome = self.session.revise(self.decision.decision_id, self.choice, rationale, by)
        else:
            outcome = self.session.decide(self.decision.decision_id, self.choice, rationale, by)
        if not outcome.ok:
            error.update(outcome.message)
            return
        self.kapp.refresh_views()
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
