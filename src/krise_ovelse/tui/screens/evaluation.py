"""The evaluator screen: confirm or override the suggested rating of each criterion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import attrs
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from krise_ovelse.catalogue import load_catalogue
from krise_ovelse.model.scenario import Level
from krise_ovelse.tui.base import KriseModal, KriseScreen
from krise_ovelse.tui.i18n import t
from krise_ovelse.tui.screens.start import clip
from krise_ovelse.tui.text import lit, scenario_time, tr
from krise_ovelse.tui.widgets.footer import KeyFooter
from krise_ovelse.tui.widgets.tables import fill_table
from krise_ovelse.tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from krise_ovelse.tui.session import ExerciseSession

#: Width of the criterion name column (long names end in "…").
NAME_WIDTH = 40
#: The narrowest the name column gets, in a narrow terminal.
MIN_NAME_WIDTH = 10
#: Width of the evaluator column at most.
VERDICT_WIDTH = 60
#: From this width on the columns have their full headers; below it, abbreviated ones.
WIDE_SCREEN = 100
LEVEL_STYLES = {"P": "bold green", "S": "bold cyan", "M": "bold yellow", "U": "bold red", "N/O": "dim"}


def level_text(level: Level) -> Text:
    return Text(level.value, style=LEVEL_STYLES.get(level.value, ""))


def level_label(code: str) -> str:
    labels = load_catalogue().level_labels
    return tr(labels[code]) if code in labels else code


def is_confirmed(rating: Any) -> bool:
    """The evaluator gave the suggested level: a confirmation, not an override."""
    return rating.override is not None and rating.override.level is rating.suggested


def verdict(rating: Any) -> str:
    """The evaluator's word on a rating: confirmed, or overridden (to which level, why), or ''."""
    override = rating.override
    if override is None:
        return ""
    if is_confirmed(rating):
        text = t("eval.confirmed", by=override.by) if override.by else t("eval.confirmed_plain")
    else:
        text = (t("eval.overridden", by=override.by, level=override.level.value) if override.by
                else t("eval.overridden_plain", level=override.level.value))
    return text + (": " + override.reason if override.reason else "")


def explanation(rating: Any) -> str:
    """How the suggestion was reached (scoring's words), then the evaluator's verdict."""
    text = attrs.evolve(rating, override=None).explain(_lang())
    word = verdict(rating)
    return f"{text}. {word}" if word else text


def evidence_text(rating: Any) -> Text:
    text = Text()
    text.append(f"{rating.criterion}  ", style="bold")
    text.append(tr(rating.name), style="bold")
    text.append("\n")
    text.append(explanation(rating), style="italic")
    if not rating.evidence:
        text.append("\n" + t("eval.no_evidence"), style="dim italic")
    for item in rating.evidence:
        text.append("\n  ")
        text.append(item.level.value if item.level else "–", style=LEVEL_STYLES.get(
            item.level.value if item.level else "", "dim"))
        text.append("  ")
        if item.minutes is not None:
            text.append(scenario_time(item.minutes) + "  ", style="dim")
        text.append(tr(item.reason))
    return text


def _lang() -> str:
    from krise_ovelse.tui.i18n import language

    return language()


class RateDialog(KriseModal[bool | None]):
    """Set the final rating of one criterion, with a reason."""

    RESERVED_ROWS = 20

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "confirm", "key.save", priority=True)]

    def __init__(self, session: ExerciseSession, rating: Any) -> None:
        super().__init__(id="rate-dialog", classes="dialog")
        self.session = session
        self.rating = rating

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide"):
            yield Label(t("rate.title", id=self.rating.criterion), classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-scroll short fit"):
                yield Static(evidence_text(self.rating), markup=False)
            yield Label(t("rate.level"))
            yield OptionList(*[
                Option(Text.assemble(level_text(level), "  ", level_label(level.value),
                                     ("  " + t("rate.suggested")) if level is self.rating.suggested else ""),
                       id=level.value)
                for level in Level], id="rate-levels", markup=False)
            yield Label(t("rate.reason"))
            yield Input(id="rate-reason", placeholder=t("rate.reason_placeholder"))
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.save"), id="ok", variant="primary", compact=True)
                yield Button(t("dialog.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        levels = self.query_one("#rate-levels", OptionList)
        levels.highlighted = [lv for lv in Level].index(self.rating.final)
        levels.focus()

    @on(OptionList.OptionSelected, "#rate-levels")
    def _level_chosen(self) -> None:
        self.query_one("#rate-reason", Input).focus()

    @on(Input.Submitted, "#rate-reason")
    @on(Button.Pressed, "#ok")
    def action_confirm(self) -> None:
        option = self.query_one("#rate-levels", OptionList).highlighted_option
        if option is None or option.id is None:
            return
        level = Level(option.id)
        reason = self.query_one("#rate-reason", Input).value.strip()
        if level is not self.rating.suggested and not reason:
            self.query_one("#dialog-error", Static).update(t("rate.need_reason"))
            self.query_one("#rate-reason", Input).focus()
            return
        outcome = self.session.rate(self.rating.criterion, level, reason)
        if not outcome.ok:
            self.query_one("#dialog-error", Static).update(outcome.message)
            return
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class EvaluatorScreen(KriseScreen[None]):
    """Ratings per criterion: the suggestion from the evidence, the evaluator's final word."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "rate", "key.rate"),
        Binding("c", "confirm", "key.confirm_rating"),
        Binding("g", "debrief", "key.debrief"),
        Binding("w", "hotwash", "key.hotwash"),
        Binding("s", "feedback", "key.feedback", show=False),
        Binding("escape", "back", "key.back_to_exercise", show=False),
    ]

    def __init__(self, session: ExerciseSession) -> None:
        super().__init__(id="evaluation")
        self.session = session
        self.result: Any = None

    def compose(self) -> ComposeResult:
        yield TitleBar(t("eval.title"), tr(self.session.scenario.title))
        with Vertical(id="eval-body"):
            intro = t("eval.intro") if self.session.can_rate() else t("eval.locked")
            yield Static(lit(intro, "italic"), id="eval-intro", markup=False)
            yield DataTable(id="ratings", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="eval-detail-box", classes="panel"):
                yield Static("", id="eval-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#eval-detail-box").border_title = t("eval.evidence")
        self.render_state()
        self.query_one("#ratings", DataTable).focus()

    def render_state(self) -> None:
        self.result = self.session.score()
        table: DataTable[Text] = self.query_one("#ratings", DataTable)
        row = table.cursor_row
        ratings = self.result.ratings
        names = [tr(rating.name) for rating in ratings]
        verdicts = [self._verdict_cell(rating) for rating in ratings]
        narrow = self.app.size.width < WIDE_SCREEN
        suffix = "_short" if narrow else ""
        labels = [t("col.criterion" + suffix), t("col.name"), t("col.suggested" + suffix),
                  t("col.final" + suffix), t("col.evidence" + suffix), t("col.reason")]
        name_width, verdict_width = self._flexible_widths(labels, ratings, names, verdicts)
        columns: list[tuple[str, int | None]] = [
            (labels[0], None), (labels[1], name_width), (labels[2], None), (labels[3], None), (labels[4], None),
            (labels[5], verdict_width)]
        rows = [(rating.criterion, [
            lit(rating.criterion, "bold"), lit(clip(name, name_width)), level_text(rating.suggested),
            level_text(rating.final), lit(str(len(rating.evidence))),
            lit(clip(verdict, verdict_width))]) for rating, name, verdict in zip(ratings, names, verdicts, strict=True)]
        fill_table(table, columns, rows)
        if ratings:
            table.move_cursor(row=min(max(row, 0), len(ratings) - 1))
        self._show_detail()

    def _flexible_widths(self, labels: list[str], ratings: list[Any], names: list[str],
                         verdicts: list[str]) -> tuple[int, int]:
        """Widths of the name and the evaluator columns, so that every column fits the screen
        (the detail panel below shows both in full): the other columns as wide as their
        widest cell, the rest shared, the evaluator's word first."""
        def widest(label: str, cells: list[str]) -> int:
            return max([Text(label).cell_len, *(Text(cell).cell_len for cell in cells)])

        fixed = (widest(labels[0], [r.criterion for r in ratings]) + widest(labels[2], ["N/O"])
                 + widest(labels[3], ["N/O"]) + widest(labels[4], [str(len(r.evidence)) for r in ratings]))
        # the screen less its padding and a vertical scrollbar; two cells of padding per column
        rest = self.app.size.width - 2 - 2 - fixed - 2 * 6
        longest_name = min(NAME_WIDTH, widest(labels[1], names))
        longest_verdict = min(VERDICT_WIDTH, widest(labels[5], verdicts))
        if longest_name + longest_verdict <= rest:
            return longest_name, longest_verdict
        verdict_width = max(Text(labels[5]).cell_len, min(longest_verdict, max(rest // 2, rest - longest_name)))
        return max(MIN_NAME_WIDTH, rest - verdict_width), verdict_width

    def on_resize(self) -> None:
        if self.result is not None:
            self.render_state()

    @staticmethod
    def _verdict_cell(rating: Any) -> str:
        if rating.override is None:
            return ""
        if is_confirmed(rating):
            word = t("eval.confirmed_short")
            return f"{word}: {rating.override.reason}" if rating.override.reason else word
        return rating.override.reason or t("eval.overridden_short")

    def _current(self) -> Any:
        table = self.query_one("#ratings", DataTable)
        if self.result is None or not self.result.ratings:
            return None
        return self.result.ratings[max(0, min(table.cursor_row, len(self.result.ratings) - 1))]

    def _show_detail(self) -> None:
        rating = self._current()
        self.query_one("#eval-detail", Static).update(evidence_text(rating) if rating is not None else "")

    @on(DataTable.RowHighlighted, "#ratings")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected, "#ratings")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_rate()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rate", "confirm"):
            return self.session.can_rate()
        if action == "back":
            return not self.session.ended and not self.session.readonly
        return True

    def action_rate(self) -> None:
        rating = self._current()
        if rating is None or not self.session.can_rate():
            return
        self.app.push_screen(RateDialog(self.session, rating), lambda _: self.render_state())

    def action_confirm(self) -> None:
        rating = self._current()
        if rating is None or not self.session.can_rate():
            return
        self.kapp.run_command(self.session.rate(rating.criterion, rating.suggested))

    def action_debrief(self) -> None:
        """To the debrief. The exercise screen's `e` has declared ENDEX already; a live session
        that has not ended is ended here first, after a confirmation."""
        from krise_ovelse.tui.screens.dialogs import ConfirmDialog, endex_question

        if self.session.ended or self.session.readonly:
            self.kapp.show_debrief()
            return

        def confirmed(yes: bool | None) -> None:
            if yes and self.kapp.run_command(self.session.endex()):
                self.kapp.show_debrief()

        self.app.push_screen(ConfirmDialog(t("endex.title"), endex_question(self.session.unplayed())), confirmed)

    def action_hotwash(self) -> None:
        self.kapp.show_hotwash()

    def action_feedback(self) -> None:
        self.kapp.show_feedback()

    def action_back(self) -> None:
        if not self.session.ended:
            self.kapp.show_exercise()
