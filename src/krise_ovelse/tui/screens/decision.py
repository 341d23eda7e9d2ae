"""The decision dialog: prompt, options, rationale, who decided; revising a decision later.

Confirming hands the command to the session; the dialog closes only once the engine has
accepted it (and the store sink has committed its events). A refusal stays in the dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
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


def radio(chosen: bool) -> Text:
    """The mark before an option: filled once it is chosen."""
    return Text.assemble(("◉ ", "bold green") if chosen else ("○ ", "dim"))


def option_prompt(option_id: str, text: str, chosen: bool, current: bool = False) -> Text:
    """An option of a decision as its dialogs list it; `current`: the option in force."""
    prompt = radio(chosen)
    prompt.append(f"{option_id})  ", style="bold")
    prompt.append(text)
    if current:
        prompt.append("  " + t("decision.current"), style="italic yellow")
    return prompt


def tell_consequence(app: App[Any], session: ExerciseSession, decision_id: str, option_id: str) -> None:
    """Show what the team is told once `option_id` is its choice (also in the decision log), if
    the scenario says anything."""
    consequence = session.consequence(decision_id, option_id)
    if consequence:
        app.notify(consequence, title=t("decision.consequence_title", id=decision_id, option=option_id),
                   timeout=12, markup=False)


class DecisionDialog(KriseModal[bool | None]):
    """Choose an option at a decision point (or revise the choice made), with who decided and why.

    Focus moves only where the user sends it: Enter on an option chooses it (the choice is shown
    below the list) and the focus stays; Tab goes on to "decided by", Enter there to the
    rationale, Enter in the rationale (or Ctrl+S anywhere) confirms. The rationale is asked
    for: confirming without one asks first. Revising with the option in force kept and the
    name or the rationale edited corrects the record (an amending event; the original stays).

    One dialog serves every decision of a session: the exercise screen keeps it (see
    `KriseApp.dialog`) and `load`s the next decision into it, so opening it again only updates
    its text instead of building, styling and laying out some twenty widgets each time.
    """

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
        with Vertical(classes="dialog-box wide"):
            yield Label("", id="decision-heading", classes="dialog-title", markup=False)  # the id is the file's
            with VerticalScroll(id="decision-scroll", classes="fit"):
                yield Static("", id="decision-title", markup=False)
                yield Static("", id="decision-prompt", markup=False)
                yield Static("", id="decision-deadline", markup=False)
                yield Label(t("decision.options"), classes="section-title")
                yield OptionList(id="decision-options", markup=False)
                yield Static("", id="decision-choice", markup=False)
                yield Label(t("decision.decided_by"))
                yield Input(id="decision-by", placeholder=t("decision.decided_by_placeholder"))
                yield Label(t("decision.rationale"))
                yield Input(id="decision-rationale", placeholder=t("decision.rationale_placeholder"))
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("decision.confirm"), id="ok", variant="primary", compact=True)
                yield Button(t("dialog.cancel"), id="cancel", compact=True)

    def load(self, decision: DecisionView, *, revise: bool = False) -> None:
        """Show `decision` (before the dialog is shown again). A new decision starts with no
        choice and empty fields; a revision starts from the record in force (its option, who
        and why), so a typo is corrected by editing it."""
        self.decision = decision
        self.revise = revise
        self.choice = decision.chosen if revise and not decision.missed else None
        if self.is_mounted:
            self._fill()

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        d = self.decision
        key = "decision.revise_title" if self.revise else "decision.title"
        self.query_one("#decision-heading", Label).update(t(key, id=d.decision_id))
        title = self.query_one("#decision-title", Static)
        title.update(lit(d.title, "bold"))
        title.display = bool(d.title)
        self.query_one("#decision-prompt", Static).update(lit(d.prompt))
        self.query_one("#decision-deadline", Static).update(lit(self._deadline_line(), "italic"))
        options = self.query_one("#decision-options", OptionList)
        options.set_options(self._options())
        ids = [oid for oid, _ in d.options]
        options.highlighted = ids.index(d.chosen) if d.chosen in ids else 0 if ids else None
        keep = self.revise and not d.missed
        self.query_one("#decision-rationale", Input).value = d.rationale if keep else ""
        by = self.query_one("#decision-by", Input)
        by.value = d.decided_by if keep else ""
        names = self.session.participant_names()
        by.suggester = SuggestFromList(names, case_sensitive=False) if names else None
        self.query_one("#dialog-error", Static).update("")
        self._show_choice()
        self.fit()
        # the prompt and the deadline first: focus the options without scrolling to them
        self.set_focus(options, scroll_visible=False)
        self.query_one("#decision-scroll", VerticalScroll).scroll_home(animate=False)
        self.call_after_refresh(self._scroll_home)

    def _scroll_home(self) -> None:
        self.query_one("#decision-scroll", VerticalScroll).scroll_home(animate=False)

    def _show_choice(self) -> None:
        line = t("decision.chosen", option=self.choice) if self.choice else t("decision.chosen_none")
        self.query_one("#decision-choice", Static).update(
            lit(line, "bold green" if self.choice else "italic dim"))

    def _deadline_line(self) -> str:
        """The deadline of an open decision; for a revision, what is in force now (a deadline
        that has passed or no longer matters is not shown as if it were still ahead)."""
        d = self.decision
        if self.revise and d.chosen is not None:
            if d.missed:
                return t("decision.revise_missed", at=scenario_time(d.deadline_minutes), option=d.chosen)
            return t("decision.revise_current", option=d.chosen)
        left = d.deadline_minutes - self.session.now_minutes()
        return t("decision.deadline_line", at=scenario_time(d.deadline_minutes), left=duration(max(0.0, left)),
                 default=d.default)

    def _options(self) -> list[Option]:
        return [Option(option_prompt(oid, text, oid == self.choice, oid == self.decision.chosen), id=oid)
                for oid, text in self.decision.options]

    @on(OptionList.OptionSelected, "#decision-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) on an option chooses it; the focus stays on the options (Tab moves on)."""
        event.stop()
        self.choice = event.option.id
        options = self.query_one("#decision-options", OptionList)
        keep = options.highlighted
        options.set_options(self._options())
        options.highlighted = keep
        self.query_one("#dialog-error", Static).update("")
        self._show_choice()

    @on(Input.Submitted, "#decision-by")
    def _by_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#decision-rationale", Input).focus()

    @on(Input.Submitted, "#decision-rationale")
    def _rationale_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#ok")
    def action_confirm(self) -> None:
        error = self.query_one("#dialog-error", Static)
        if self.choice is None:
            error.update(t("decision.choose_first"))
            self.query_one("#decision-options").focus()
            return
        rationale = self.query_one("#decision-rationale", Input).value.strip()
        by = self.query_one("#decision-by", Input).value.strip()
        d = self.decision
        if self.revise and self.choice == d.chosen and not d.missed \
                and (rationale, by) == (d.rationale.strip(), d.decided_by.strip()):
            error.update(t("decision.unchanged"))
            return
        if rationale:
            self._submit(self.choice, rationale, by)
            return
        from krise_ovelse.tui.screens.dialogs import ConfirmDialog

        choice = self.choice

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._submit(choice, "", by)
            else:
                self.query_one("#decision-rationale", Input).focus()

        self.app.push_screen(ConfirmDialog(t("decision.no_rationale_title"), t("decision.no_rationale_question")),
                             confirmed)

    def _submit(self, choice: str, rationale: str, by: str) -> None:
        """Decide, revise, or (the option in force kept) correct the record; close when done."""
        d = self.decision
        error = self.query_one("#dialog-error", Static)
        amend = self.revise and choice == d.chosen and not d.missed
        if amend:
            outcome = self.session.amend(d.decision_id, rationale, by)
        elif self.revise:
            outcome = self.session.revise(d.decision_id, choice, rationale, by)
        else:
            outcome = self.session.decide(d.decision_id, choice, rationale, by)
        if not outcome.ok:
            error.update(outcome.message)
            return
        self.kapp.refresh_views()
        if amend:
            self.app.notify(outcome.note, timeout=6, markup=False)
        else:
            tell_consequence(self.app, self.session, d.decision_id, choice)
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
