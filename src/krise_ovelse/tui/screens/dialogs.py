"""Dialogs over the exercise: read an inject, pick one, give a reason, write an ad-hoc inject,
note an observation, confirm."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import attrs
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from krise_ovelse.model.scenario import Channel
from krise_ovelse.model.timefmt import MINUTES_PER_DAY
from krise_ovelse.tui.base import KriseModal
from krise_ovelse.tui.i18n import t
from krise_ovelse.tui.text import append_notes, day_label, duration, lit, scenario_time
from krise_ovelse.tui.view import FACILITATOR, FeedItem, Unplayed
from krise_ovelse.tui.widgets.lists import channel_label


@attrs.frozen
class AdHocInject:
    title: str
    sender: str
    channel: Channel
    body: str


@attrs.frozen
class ObservationInput:
    text: str
    criteria: tuple[str, ...]


def phase_text(item: FeedItem) -> Text:
    """The beginning of a phase: when, its title and its summary."""
    text = Text()
    text.append(scenario_time(item.minutes), style="bold reverse")
    text.append("\n\n")
    text.append(item.title, style="bold")
    text.append("\n\n")
    text.append(item.body)
    return text


def inject_text(item: FeedItem, view: str) -> Text:
    if item.kind == "phase":
        return phase_text(item)
    text = Text()
    text.append(scenario_time(item.minutes), style="bold reverse")
    text.append("  ")
    text.append(channel_label(item.channel), style="italic")
    if item.sender:
        text.append("\n" + t("inject.from") + " ", style="dim")
        text.append(item.sender, style="bold")
    if item.to:
        text.append("\n" + t("inject.to") + " ", style="dim")
        text.append(", ".join(item.to))
    text.append("\n\n")
    text.append(item.title, style="bold")
    text.append("\n\n")
    text.append(item.body or t("inject.no_body"), style="" if item.body else "italic dim")
    if view == FACILITATOR and (item.notes or item.expected or item.criteria):
        text.append("\n\n── " + t("inject.facilitator_only") + " ──", style="yellow")
        append_notes(text, item.notes, item.expected, item.criteria)
    return text


class InjectDialog(KriseModal[str | None]):
    """One inject, whole. Returns a decision id to open, or None.

    Kept and reused like the decision dialog: `load` shows the next inject in it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "key.close"),
        Binding("d", "decide", "key.decide"),
        Binding("p", "present", "key.present"),
    ]

    def __init__(self, item: FeedItem, view: str, *, opens: Sequence[str] = (), preview: bool = False,
                 readonly: bool = False, can_present: bool = False) -> None:
        super().__init__(id="inject-dialog", classes="dialog")
        self.load(item, view, opens=opens, preview=preview, readonly=readonly, can_present=can_present)

    def load(self, item: FeedItem, view: str, *, opens: Sequence[str] = (), preview: bool = False,
             readonly: bool = False, can_present: bool = False) -> None:
        """Show `item` (before the dialog is shown again)."""
        self.item = item
        self.view = view
        self.opens = list(opens)
        self.preview = preview
        self.readonly = readonly
        self.can_present = can_present
        if self.is_mounted:
            self._fill()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide"):
            yield Label("", id="inject-heading", classes="dialog-title", markup=False)  # the id is the file's
            with VerticalScroll(classes="dialog-scroll fit"):
                yield Static("", id="inject-text", markup=False)
            yield Static("", id="inject-opens", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("inject.decide_now"), id="decide", variant="primary", compact=True)
                yield Button(t("dialog.close"), id="close", compact=True)

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        if self.item.kind == "phase":
            title = t("phase.heading")
        else:
            title = t("inject.preview_title" if self.preview else "inject.title", id=self.item.inject_id)
        self.query_one("#inject-heading", Label).update(title)
        self.query_one("#inject-text", Static).update(inject_text(self.item, self.view))
        decide = bool(self.opens) and not self.readonly
        opens = self.query_one("#inject-opens", Static)
        opens.update(lit(t("inject.opens", ids=", ".join(self.opens)), "bold") if decide else "")
        opens.display = decide
        self.query_one("#decide", Button).display = decide
        scroll = self.query_one(".dialog-scroll", VerticalScroll)
        scroll.scroll_home(animate=False)
        self.fit()
        self.set_focus(scroll)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide" and (not self.opens or self.readonly):
            return False
        return not (action == "present" and not self.can_present)

    def action_present(self) -> None:
        """`p`: put this inject on the team's screen (the exercise screen does it)."""
        if self.can_present:
            self.dismiss("::present")

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#decide")
    def action_decide(self) -> None:
        if self.opens and not self.readonly:
            self.dismiss(self.opens[0])


class PickDialog(KriseModal[str | None]):
    """Choose one item from a list (enter), or escape."""

    def __init__(self, title: str, rows: Sequence[tuple[str, Text]]) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(*[Option(prompt, id=key) for key, prompt in self.rows], id="pick", markup=False,
                             classes="fit")
            yield Static(lit(t("pick.help"), "dim italic"), markup=False)

    def on_mount(self) -> None:
        pick = self.query_one("#pick", OptionList)
        pick.highlighted = 0
        pick.focus()

    @on(OptionList.OptionSelected, "#pick")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)


class TextDialog(KriseModal[str | None]):
    """Ask for one line of text (a reason); enter confirms, escape cancels."""

    def __init__(self, title: str, label: str, *, required: bool = True) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.label = label
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield Label(self.label)
            yield Input(id="text")
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.ok"), id="ok", variant="primary", compact=True)
                yield Button(t("dialog.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    @on(Input.Submitted, "#text")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        value = self.query_one("#text", Input).value.strip()
        if self.required and not value:
            self.query_one("#dialog-error", Static).update(t("dialog.required"))
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


def endex_question(unplayed: Unplayed) -> str:
    """The ENDEX question, with what is still unplayed: the scenario time up to its end and the
    decision points not opened yet (left out when every one has opened)."""
    question = t("endex.question")
    if unplayed.open_now:
        lines = [t("endex.open_decisions", n=len(unplayed.open_now))]
        lines += [t("endex.open_line", id=i, title=title, at=scenario_time(deadline))
                  for i, title, deadline in unplayed.open_now]
        question = "\n".join(lines) + "\n\n" + question
    if unplayed.minutes_left <= 0:
        return question
    end = (day_label(unplayed.end_minutes) if unplayed.end_minutes % MINUTES_PER_DAY == 0
           else scenario_time(unplayed.end_minutes))
    left = duration(unplayed.minutes_left)
    if unplayed.decisions_unopened:
        words = t("endex.unplayed", end=end, left=left, unopened=unplayed.decisions_unopened,
                  total=unplayed.decisions_total)
    else:
        words = t("endex.unplayed_no_decisions", end=end, left=left)
    return words + "\n\n" + question


class YesNoDialog(KriseModal[bool]):
    """A question answered yes or no: the Yes and No buttons (`yes_no_buttons`, last in the
    dialog), the `yes` and `no` actions for a subclass's key bindings. No has the focus, so
    Enter answers no: the questions are about ending or skipping something."""

    def yes_no_buttons(self) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button(t("dialog.yes_key"), id="yes", variant="error", compact=True)
            yield Button(t("dialog.no_key"), id="no", variant="primary", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)


class ConfirmDialog(YesNoDialog):
    """Yes or no: `j`/`y` for yes, `n`/escape for no; Enter presses the button with the focus,
    which is No. The keys are shown under the question."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,j", "yes", "key.yes"),
        Binding("n,escape", "no", "key.no"),
    ]

    def __init__(self, title: str, question: str) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box narrow"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(lit(self.question), markup=False)
            yield Static(lit(t("confirm.keys"), "dim italic"), id="confirm-keys", markup=False)
            yield from self.yes_no_buttons()


class AdHocDialog(KriseModal[AdHocInject | None]):
    """Write an inject now (motspill): title, sender, channel, text.

    The fields scroll (class `fit`) and the buttons stay below them, so the whole form is on
    screen from 80x24 up.
    """

    RESERVED_ROWS = 9

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "confirm", "key.send", priority=True)]

    def __init__(self) -> None:
        super().__init__(id="adhoc-dialog", classes="dialog")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide"):
            yield Label(t("adhoc.title"), classes="dialog-title")
            with VerticalScroll(id="adhoc-fields", classes="dialog-scroll fit"):
                yield Label(t("adhoc.inject_title"))
                yield Input(id="adhoc-title")
                with Horizontal(classes="adhoc-row"):
                    with Vertical(classes="adhoc-cell"):
                        yield Label(t("adhoc.sender"))
                        yield Input(id="adhoc-sender")
                    with Vertical(classes="adhoc-cell"):
                        yield Label(t("adhoc.channel"))
                        yield Select([(lit(t(f"channel.{c.value}")), c.value) for c in Channel],
                                     value=Channel.EMAIL.value, allow_blank=False, id="adhoc-channel")
                yield Label(t("adhoc.body"))
                yield TextArea(id="adhoc-body", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("adhoc.send"), id="ok", variant="primary", compact=True)
                yield Button(t("dialog.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#adhoc-title", Input).focus()

    @on(Button.Pressed, "#ok")
    def action_confirm(self) -> None:
        title = self.query_one("#adhoc-title", Input).value.strip()
        if not title:
            self.query_one("#dialog-error", Static).update(t("adhoc.need_title"))
            return
        channel = self.query_one("#adhoc-channel", Select).value
        self.dismiss(AdHocInject(
            title=title, sender=self.query_one("#adhoc-sender", Input).value.strip(),
            channel=Channel(channel) if isinstance(channel, str) else Channel.EMAIL,
            body=self.query_one("#adhoc-body", TextArea).text.strip()))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


def criterion_prompt(criterion_id: str, name: str, chosen: bool) -> Text:
    text = Text()
    text.append("✓ " if chosen else "  ", style="bold")
    text.append(f"{criterion_id}  ", style="bold" if chosen else "")
    text.append(name, style="bold" if chosen else "")
    return text


class ObservationDialog(KriseModal[ObservationInput | None]):
    """An observation (note) tied to criteria; the evaluator weighs it when rating."""

    RESERVED_ROWS = 16

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "confirm", "key.save", priority=True)]

    def __init__(self, criteria: Sequence[tuple[str, str]]) -> None:
        super().__init__(classes="dialog")
        self.criteria = list(criteria)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide"):
            yield Label(t("observe.title"), classes="dialog-title")
            yield Label(t("observe.text"))
            yield Input(id="observe-text", placeholder=t("observe.placeholder"))
            yield Label(t("observe.criteria"))
            yield SelectionList[str](*[Selection(criterion_prompt(cid, name, False), cid, False, id=cid)
                                       for cid, name in self.criteria], id="observe-criteria", classes="fit")
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.save"), id="ok", variant="primary", compact=True)
                yield Button(t("dialog.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#observe-text", Input).focus()

    @on(Input.Submitted, "#observe-text")
    def _next(self) -> None:
        self.query_one("#observe-criteria").focus()

    @on(SelectionList.SelectedChanged, "#observe-criteria")
    def _marks(self, event: SelectionList.SelectedChanged[str]) -> None:
        """A chosen criterion says so in words (✓), not only in colour."""
        chosen = set(event.selection_list.selected)
        names = dict(self.criteria)
        for cid in names:
            event.selection_list.replace_option_prompt(cid, criterion_prompt(cid, names[cid], cid in chosen))

    @on(Button.Pressed, "#ok")
    def action_confirm(self) -> None:
        text = self.query_one("#observe-text", Input).value.strip()
        if not text:
            self.query_one("#dialog-error", Static).update(t("observe.need_text"))
            return
        criteria = tuple(self.query_one("#observe-criteria", SelectionList).selected)
        self.dismiss(ObservationInput(text, tuple(str(c) for c in criteria)))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
