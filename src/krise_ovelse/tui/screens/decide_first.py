"""Decide first, see the options after: the two dialogs of a decide-first exercise.

`WriteDecisionDialog` takes the team's decision in its own words, with who decided and why,
and shows no option at all. `MapDecisionDialog` (the facilitator's or an evaluator's, never the
team's view) shows those words beside the options and maps them to the closest one, or to
`annet` with a level (P/S/M/U) for the criteria the mapper rates. Each dialog closes only once
the engine has taken the command; a refusal stays in the dialog. Text from the scenario and from
people is shown literally.
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
from krise_ovelse.tui.screens.decision import option_prompt, radio, tell_consequence
from krise_ovelse.tui.text import duration, lit, scenario_time
from krise_ovelse.tui.view import DecisionView

if TYPE_CHECKING:
    from krise_ovelse.tui.session import ExerciseSession

#: What a written decision is mapped to when none of the options fits (the engine's OTHER_OPTION;
#: the engine is imported only once a session runs).
OTHER = "annet"
#: The levels a mapper can give, in the order Enter steps through them (then back to none).
LEVELS = ("P", "S", "M", "U")


def _words(view: DecisionView) -> Text:
    """The team's written decision, who decided and why, as literal text."""
    text = Text()
    at = scenario_time(view.written_minutes) if view.written_minutes is not None else ""
    text.append(t("decision.written_heading", at=at) + "\n", style="bold")
    text.append("«" + view.written + "»\n" if view.written else "–\n", style="italic")
    if view.written_by.strip():
        text.append(t("decision.written_by", who=view.written_by) + "\n")
    if view.written_rationale.strip():
        text.append(t("decision.written_why", why=view.written_rationale))
    return text


class WriteDecisionDialog(KriseModal[bool | None]):
    """The team's decision in its own words: prompt and deadline, no options.

    Enter in the words goes on to "decided by", Enter there to the rationale, Enter in the
    rationale (or Ctrl+S anywhere) records the decision.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "confirm", "key.confirm_decision", priority=True),
        Binding("escape", "cancel", "key.cancel"),
    ]

    def __init__(self, session: ExerciseSession, decision: DecisionView) -> None:
        super().__init__(id="write-dialog", classes="dialog")
        self.session = session
        self.decision = decision

    def compose(self) -> ComposeResult:
        d = self.decision
        with Vertical(classes="dialog-box wide"):
            yield Label(t("decision.write_title", id=d.decision_id), classes="dialog-title", markup=False)
            with VerticalScroll(id="write-scroll", classes="fit dialog-scroll"):
                title = Static(lit(d.title, "bold"), id="write-decision-title", markup=False)
                title.display = bool(d.title)
                yield title
                yield Static(lit(d.prompt), id="write-prompt", markup=False)
                left = max(0.0, d.deadline_minutes - self.session.now_minutes())
                yield Static(lit(t("decision.deadline_first", at=scenario_time(d.deadline_minutes),
                                   left=duration(left)), "italic"), id="write-deadline", markup=False)
                yield Static(lit(t("decision.write_intro"), "dim"), id="write-intro", markup=False)
                yield Label(t("decision.own_words"), classes="section-title")
                yield Input(id="write-text", placeholder=t("decision.own_words_placeholder"))
                yield Label(t("decision.decided_by"))
                names = self.session.participant_names()
                yield Input(id="write-by", placeholder=t("decision.decided_by_placeholder"),
                            suggester=SuggestFromList(names, case_sensitive=False) if names else None)
                yield Label(t("decision.write_rationale"))
                yield Input(id="write-rationale", placeholder=t("decision.write_rationale_placeholder"))
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("decision.write_confirm"), id="ok", variant="primary", compact=True)
                yield Button(t("dialog.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#write-text", Input).focus()
        self.query_one("#write-scroll", VerticalScroll).scroll_home(animate=False)

    @on(Input.Submitted, "#write-text")
    def _text_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#write-by", Input).focus()

    @on(Input.Submitted, "#write-by")
    def _by_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#write-rationale", Input).focus()

    @on(Input.Submitted, "#write-rationale")
    def _rationale_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#ok")
    def action_confirm(self) -> None:
        error = self.query_one("#dialog-error", Static)
        words = self.query_one("#write-text", Input)
        if not words.value.strip():
            error.update(t("decision.write_first"))
            words.focus()
            return
        outcome = self.session.write(self.decision.decision_id, words.value.strip(),
                                     self.query_one("#write-rationale", Input).value.strip(),
                                     self.query_one("#write-by", Input).value.strip())
        if not outcome.ok:
            error.update(outcome.message)
            return
        self.kapp.refresh_views()
        self.app.notify(outcome.note, timeout=6, markup=False)
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class LevelList(OptionList):
    """The criteria an `annet` mapping can rate, each with its level: P, S, M or U on a row sets
    it, `-` clears it, Enter steps through them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "level('P')", "P", show=False),
        Binding("s", "level('S')", "S", show=False),
        Binding("m", "level('M')", "M", show=False),
        Binding("u", "level('U')", "U", show=False),
        Binding("minus", "level('')", "-", show=False),
    ]

    def __init__(self, criteria: tuple[tuple[str, str], ...], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(markup=False, id=id)
        self.criteria = criteria
        self.levels: dict[str, str] = {}

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        keep = self.highlighted
        rows = []
        for criterion, name in self.criteria:
            level = self.levels.get(criterion, "")
            row = Text()
            row.append(f" {level or '·'} ", style="bold reverse" if level else "dim")
            row.append(f"  {criterion:<6}", style="bold")
            row.append(name)
            rows.append(Option(row, id=criterion))
        self.set_options(rows)
        self.highlighted = keep if keep is not None else (0 if rows else None)

    def action_level(self, level: str) -> None:
        option = self.highlighted_option
        if option is None or option.id is None:
            return
        if level:
            self.levels[option.id] = level
        else:
            self.levels.pop(option.id, None)
        self._show()

    @on(OptionList.OptionSelected)
    def _step(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        current = self.levels.get(event.option.id, "")
        following = LEVELS[0] if not current else (
            LEVELS[LEVELS.index(current) + 1] if current != LEVELS[-1] else "")
        self.action_level(following)

    def rated(self) -> list[tuple[str, str]]:
        """(criterion, level) for each criterion given a level, in the list's order."""
        return [(c, self.levels[c]) for c, _ in self.criteria if c in self.levels]


class MapDecisionDialog(KriseModal[bool | None]):
    """Map the team's written decision to the closest option, or to `annet` and rate it.

    Enter on an option (or on «annet») chooses it; with «annet» the criteria appear, each taking
    a level (P/S/M/U on its row). Ctrl+S maps. The facilitator's and the evaluators' dialog: the
    team's view never opens it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "confirm", "key.map_decision", priority=True),
        Binding("escape", "cancel", "key.cancel"),
    ]

    def __init__(self, session: ExerciseSession, decision: DecisionView, mapper: str) -> None:
        super().__init__(id="map-dialog", classes="dialog")
        self.session = session
        self.decision = decision
        self.mapper = mapper
        self.choice: str | None = None

    def compose(self) -> ComposeResult:
        d = self.decision
        with Vertical(classes="dialog-box wide"):
            yield Label(t("decision.map_title", id=d.decision_id), classes="dialog-title", markup=False)
            with VerticalScroll(id="map-scroll", classes="fit dialog-scroll"):
                title = Static(lit(d.title, "bold"), id="map-decision-title", markup=False)
                title.display = bool(d.title)
                yield title
                yield Static(lit(d.prompt, "dim"), id="map-prompt", markup=False)
                yield Static(_words(d), id="map-words", markup=False)
                yield Static(lit(t("decision.map_intro"), "italic"), id="map-intro", markup=False)
                yield OptionList(*self._options(), id="map-options", markup=False)
                yield Static("", id="map-choice", markup=False)
                with Vertical(id="map-levels-box"):
                    yield Label(t("decision.levels"), classes="section-title")
                    yield LevelList(d.criteria, id="map-levels")
                yield Label(t("decision.mapped_by"))
                yield Input(value=self.mapper, id="map-by")
                yield Label(t("decision.map_note"))
                yield Input(id="map-note", placeholder=t("decision.map_note_placeholder"))
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("decision.map_confirm"), id="ok", variant="primary", compact=True)
                yield Button(t("dialog.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#map-levels-box").display = False
        self._show_choice()
        self.query_one("#map-options", OptionList).focus()
        self.query_one("#map-scroll", VerticalScroll).scroll_home(animate=False)

    def _options(self) -> list[Option]:
        rows = [Option(option_prompt(oid, text, oid == self.choice), id=oid) for oid, text in self.decision.options]
        if OTHER not in {oid for oid, _ in self.decision.options}:
            row = radio(self.choice == OTHER)
            row.append(t("decision.other"), style="italic")
            rows.append(Option(row, id=OTHER))
        return rows

    def _show_choice(self) -> None:
        if self.choice is None:
            line = t("decision.map_none")
        elif self.other:
            line = t("decision.map_chosen_other")
        else:
            line = t("decision.map_chosen", option=self.choice)
        self.query_one("#map-choice", Static).update(lit(line, "bold green" if self.choice else "italic dim"))

    @property
    def other(self) -> bool:
        return self.choice == OTHER and OTHER not in {oid for oid, _ in self.decision.options}

    @on(OptionList.OptionSelected, "#map-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choice = event.option.id
        options = self.query_one("#map-options", OptionList)
        keep = options.highlighted
        options.set_options(self._options())
        options.highlighted = keep
        self.query_one("#dialog-error", Static).update("")
        self._show_choice()
        self.query_one("#map-levels-box").display = self.other
        if self.other:
            self.query_one("#map-levels", LevelList).focus()

    @on(Input.Submitted, "#map-by")
    def _by_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#map-note", Input).focus()

    @on(Input.Submitted, "#map-note")
    def _note_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#ok")
    def action_confirm(self) -> None:
        error = self.query_one("#dialog-error", Static)
        if self.choice is None:
            error.update(t("decision.choose_mapping"))
            self.query_one("#map-options", OptionList).focus()
            return
        levels = self.query_one("#map-levels", LevelList).rated() if self.other else []
        if self.other and not levels:
            error.update(t("decision.need_level"))
            self.query_one("#map-levels", LevelList).focus()
            return
        by = self.query_one("#map-by", Input)
        if not by.value.strip():
            error.update(t("decision.need_mapper"))
            by.focus()
            return
        from krise_ovelse.model.scenario import Level

        outcome = self.session.map_decision(self.decision.decision_id, self.choice, by.value.strip(),
                                            [(c, Level(level)) for c, level in levels],
                                            self.query_one("#map-note", Input).value.strip())
        if not outcome.ok:
            error.update(outcome.message)
            return
        self.kapp.refresh_views()
        self.app.notify(outcome.note, timeout=6, markup=False)
        if not self.other:  # what the team is told once its decision is mapped to this option
            tell_consequence(self.app, self.session, self.decision.decision_id, self.choice)
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
