"""The evaluator view: each criterion's suggestion and review state, the evaluators' checklists
of critical tasks, levelled observations, ratings of the team's reasoning, ratings, and the
lead evaluator's reconciliation where they disagree (docs/console.md, docs/scoring.md)."""

from __future__ import annotations

from collections.abc import Iterable
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
from krise_ovelse.engine import commands as cmd
from krise_ovelse.engine.values import TaskStatus
from krise_ovelse.model.scenario import EVIDENCE_LEVELS, Level
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


STATUS_STYLES = {"suggestion": "dim italic", "confirmed": "green", "overridden": "cyan", "disputed": "bold yellow",
                 "reconciled": "bold"}


def final_text(rating: Any) -> Text:
    """The final level; a suggestion nobody reviewed is shown dim and italic, with a «?»."""
    if getattr(rating, "reviewed", True) or rating.final is Level.NO:
        return level_text(rating.final)
    return Text(rating.final.value + "?", style="dim italic")


def status_cell(rating: Any) -> Text:
    status = getattr(rating, "status", None)
    if status is None or (status.value == "suggestion" and rating.final is Level.NO):
        return Text("")
    return Text(rating.status_text(_lang()), style=STATUS_STYLES.get(status.value, ""))


def level_label(code: str) -> str:
    labels = load_catalogue().level_labels
    return tr(labels[code]) if code in labels else code


def level_options(levels: Iterable[Level], suggested: Level | None = None) -> list[Option]:
    """One option per level to choose from: its letter in the level's colour and its label,
    the suggested one marked."""
    return [Option(Text.assemble(level_text(level), "  ", level_label(level.value),
                                 ("  " + t("rate.suggested")) if level is suggested else ""), id=level.value)
            for level in levels]


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

    def __init__(self, session: ExerciseSession, rating: Any, by: str = "", *, reconcile: bool = False) -> None:
        super().__init__(id="rate-dialog", classes="dialog")
        self.session = session
        self.rating = rating
        self.by = by
        self.reconcile = reconcile

    def compose(self) -> ComposeResult:
        title = t("reconcile.title" if self.reconcile else "rate.title", id=self.rating.criterion)
        with Vertical(classes="dialog-box wide"):
            yield Label(title, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-scroll short fit"):
                yield Static(evidence_text(self.rating), markup=False)
            yield Label(t("rate.level"))
            yield OptionList(*level_options(Level, self.rating.suggested), id="rate-levels", markup=False)
            yield Label(t("reconcile.reason" if self.reconcile else "rate.reason"))
            yield Input(id="rate-reason", placeholder="" if self.reconcile else t("rate.reason_placeholder"))
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
        if (self.reconcile or level is not self.rating.suggested) and not reason:
            self.query_one("#dialog-error", Static).update(t("reconcile.need_reason" if self.reconcile
                                                             else "rate.need_reason"))
            self.query_one("#rate-reason", Input).focus()
            return
        if self.reconcile:
            outcome = self.session.handle(cmd.ReconcileRating(self.rating.criterion, level, reason, self.by))
        else:
            outcome = self.session.rate(self.rating.criterion, level, reason, by=self.by)
        if not outcome.ok:
            self.query_one("#dialog-error", Static).update(outcome.message)
            return
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class EvaluatorDialog(KriseModal[str | None]):
    """Name an evaluator (the first becomes the lead), or switch to one already named."""

    def __init__(self, session: ExerciseSession) -> None:
        super().__init__(id="evaluator-dialog", classes="dialog")
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(t("evaluator.title"), classes="dialog-title", markup=False)
            yield Static(lit(t("evaluator.help"), "italic"), markup=False)
            names = [name for name, _lead in self.session.state.evaluators]
            if names:
                yield Static(lit(", ".join(names)), id="evaluator-names", markup=False)
            yield Label(t("evaluator.name"))
            yield Input(id="evaluator-name", max_length=60)
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.save"), id="ok", variant="primary", compact=True)
                yield Button(t("dialog.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#evaluator-name", Input).focus()

    @on(Input.Submitted, "#evaluator-name")
    @on(Button.Pressed, "#ok")
    def _save(self) -> None:
        name = " ".join(self.query_one("#evaluator-name", Input).value.split())
        if not name:
            return
        if self.session.state.evaluator(name) is not None:
            self.dismiss(name)
            return
        outcome = self.session.handle(cmd.AddEvaluator(name, lead=not self.session.state.evaluators))
        if not outcome.ok:
            self.query_one("#dialog-error", Static).update(outcome.message)
            return
        self.dismiss(name)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


STATUS_KEYS = (("observed", TaskStatus.OBSERVED), ("partly", TaskStatus.PARTLY),
               ("not_observed", TaskStatus.NOT_OBSERVED), ("not_applicable", TaskStatus.NOT_APPLICABLE))


def task_marks(session: ExerciseSession, criterion: str, by: str) -> dict[int, Any]:
    """The latest mark per task of `criterion` by evaluator `by` (as scoring reads the events)."""
    marks: dict[int, Any] = {}
    for mark in session.scoring_record().task_marks:
        if mark.criterion == criterion and mark.by == by:
            marks[mark.task] = mark
    return marks


class ChecklistDialog(KriseModal[bool | None]):
    """The criterion's critical tasks, each marked observed, partly, not observed or not applicable."""

    RESERVED_ROWS = 20

    def __init__(self, session: ExerciseSession, criterion: str, by: str) -> None:
        super().__init__(id="checklist-dialog", classes="dialog")
        self.session = session
        self.criterion = criterion
        self.by = by
        try:
            self.tasks = load_catalogue().criterion(criterion).critical_tasks
        except KeyError:
            self.tasks = ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide"):
            yield Label(t("checklist.title", id=self.criterion), classes="dialog-title", markup=False)
            if not self.tasks:
                yield Static(lit(t("checklist.none"), "italic"), markup=False)
            else:
                yield Static(lit(t("checklist.help"), "italic"), markup=False)
                yield OptionList(*self._options(), id="checklist-tasks", markup=False)
                yield Label(t("checklist.note"))
                yield Input(id="checklist-note")
                yield Label(t("checklist.evidence"))
                yield Input(id="checklist-evidence")
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                if self.tasks:
                    for key, _status in STATUS_KEYS:
                        yield Button(t(f"task.{key}"), id=f"mark-{key}", compact=True)
                yield Button(t("dialog.close"), id="cancel", compact=True)

    def _options(self) -> list[Option]:
        marks = task_marks(self.session, self.criterion, self.by)
        options = []
        for number, task in enumerate(self.tasks, start=1):
            mark = marks.get(number)
            state = t(f"task.{mark.status}") if mark is not None else t("task.unmarked")
            options.append(Option(Text.assemble((f"{self.criterion}.{number} ", "bold"), (f"[{state}] ", "italic"),
                                                tr(task)), id=str(number)))
        return options

    def on_mount(self) -> None:
        if self.tasks:
            self.query_one("#checklist-tasks", OptionList).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button == "cancel":
            self.dismiss(True)
            return
        status = dict(STATUS_KEYS).get(button.removeprefix("mark-"))
        tasks = self.query_one("#checklist-tasks", OptionList)
        if status is None or tasks.highlighted is None:
            return
        number = tasks.highlighted + 1
        note = self.query_one("#checklist-note", Input).value.strip()
        evidence = self.query_one("#checklist-evidence", Input).value.strip()
        outcome = self.session.handle(cmd.MarkTask(self.criterion, number, status, self.by, note, evidence))
        if not outcome.ok:
            self.query_one("#dialog-error", Static).update(outcome.message)
            return
        tasks.clear_options()
        tasks.add_options(self._options())
        tasks.highlighted = min(number, len(self.tasks) - 1)
        self.query_one("#checklist-note", Input).value = ""
        self.query_one("#checklist-evidence", Input).value = ""
        self.query_one("#dialog-error", Static).update("")
        tasks.focus()


class LevelledObservationDialog(KriseModal[bool | None]):
    """An observation that rates the criterion: what was seen, the level, and why."""

    def __init__(self, session: ExerciseSession, criterion: str, by: str) -> None:
        super().__init__(id="levelled-dialog", classes="dialog")
        self.session = session
        self.criterion = criterion
        self.by = by

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide"):
            yield Label(t("levelled.title", id=self.criterion), classes="dialog-title", markup=False)
            yield Label(t("levelled.text"))
            yield Input(id="levelled-text")
            yield Label(t("rate.level"))
            yield OptionList(*level_options(EVIDENCE_LEVELS), id="levelled-levels", markup=False)
            yield Label(t("levelled.why"))
            yield Input(id="levelled-why")
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.save"), id="ok", variant="primary", compact=True)
                yield Button(t("dialog.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#levelled-levels", OptionList).highlighted = 1
        self.query_one("#levelled-text", Input).focus()

    @on(Input.Submitted, "#levelled-why")
    @on(Button.Pressed, "#ok")
    def _save(self) -> None:
        text = self.query_one("#levelled-text", Input).value.strip()
        option = self.query_one("#levelled-levels", OptionList).highlighted_option
        if not text or option is None or option.id is None:
            self.query_one("#dialog-error", Static).update(t("levelled.need_text"))
            return
        why = self.query_one("#levelled-why", Input).value.strip()
        outcome = self.session.handle(cmd.AddObservation(text, self.by, (self.criterion,), level=Level(option.id),
                                                         why=why))
        if not outcome.ok:
            self.query_one("#dialog-error", Static).update(outcome.message)
            return
        self.dismiss(True)

    @on(Input.Submitted, "#levelled-text")
    def _to_levels(self) -> None:
        self.query_one("#levelled-levels", OptionList).focus()

    @on(OptionList.OptionSelected, "#levelled-levels")
    def _to_why(self) -> None:
        self.query_one("#levelled-why", Input).focus()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class ReasoningDialog(KriseModal[bool | None]):
    """The team's decisions with their rationale and who decided, to rate the reasoning."""

    def __init__(self, session: ExerciseSession, by: str) -> None:
        super().__init__(id="reasoning-dialog", classes="dialog")
        self.session = session
        self.by = by
        self.decided = [r for r in session.state.decision_history if not r.missed]

    def compose(self) -> ComposeResult:
        from krise_ovelse.describe import describe
        from krise_ovelse.safetext import neutralise
        from krise_ovelse.tui.i18n import language

        scenario = self.session.scenario
        with Vertical(classes="dialog-box wide"):
            yield Label(t("reasoning.title"), classes="dialog-title", markup=False)
            if not self.decided:
                yield Static(lit(t("reasoning.none"), "italic"), markup=False)
            else:
                options = []
                for n, record in enumerate(self.decided):
                    named = describe({"kind": "decision_made", "decision_id": record.decision_id,
                                      "option_id": record.option_id, "decided_by": record.decided_by},
                                     scenario, language(), parts=True)
                    title = neutralise(named.subject)
                    rationale = record.rationale.strip() or t("reasoning.no_rationale")
                    who = f" – {t('reasoning.by', by=neutralise(named.by))}" if named.by else ""
                    options.append(Option(Text.assemble((f"{record.decision_id}={record.option_id} ", "bold"),
                                                        clip(title, 40), "\n   ", (rationale, "italic"), who),
                                          id=str(n)))
                yield OptionList(*options, id="reasoning-decisions", markup=False)
                yield Label(t("rate.level"))
                yield OptionList(*level_options(EVIDENCE_LEVELS), id="reasoning-levels", markup=False)
                yield Label(t("reasoning.note"))
                yield Input(id="reasoning-note")
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                if self.decided:
                    yield Button(t("dialog.save"), id="ok", variant="primary", compact=True)
                yield Button(t("dialog.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        if self.decided:
            self.query_one("#reasoning-levels", OptionList).highlighted = 1
            self.query_one("#reasoning-decisions", OptionList).focus()

    @on(OptionList.OptionSelected, "#reasoning-decisions")
    def _to_levels(self) -> None:
        self.query_one("#reasoning-levels", OptionList).focus()

    @on(OptionList.OptionSelected, "#reasoning-levels")
    def _to_note(self) -> None:
        self.query_one("#reasoning-note", Input).focus()

    @on(Input.Submitted, "#reasoning-note")
    @on(Button.Pressed, "#ok")
    def _save(self) -> None:
        decisions = self.query_one("#reasoning-decisions", OptionList)
        level = self.query_one("#reasoning-levels", OptionList).highlighted_option
        if decisions.highlighted is None or level is None or level.id is None:
            return
        record = self.decided[decisions.highlighted]
        note = self.query_one("#reasoning-note", Input).value.strip()
        outcome = self.session.handle(cmd.RateReasoning(record.decision_id, Level(level.id), self.by, note))
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
        Binding("k", "checklist", "key.checklist"),
        Binding("o", "levelled", "key.levelled"),
        Binding("n", "evaluator", "key.evaluator", show=False),
        Binding("b", "reasoning", "key.reasoning", show=False),
        Binding("r", "reconcile", "key.reconcile", show=False),
        Binding("m", "map_decision", "key.map_written"),
        Binding("g", "debrief", "key.debrief"),
        Binding("w", "hotwash", "key.hotwash"),
        Binding("s", "feedback", "key.feedback", show=False),
        Binding("escape", "back", "key.back_to_exercise", show=False),
    ]

    def __init__(self, session: ExerciseSession) -> None:
        super().__init__(id="evaluation")
        self.session = session
        self.result: Any = None
        #: Who rates now: a named evaluator of the session, else the console's default word.
        self.evaluator = ""

    def compose(self) -> ComposeResult:
        yield TitleBar(t("eval.title"), tr(self.session.scenario.title))
        with Vertical(id="eval-body"):
            yield Static(lit(self._intro(), "italic"), id="eval-intro", markup=False)
            yield Static("", id="eval-who", markup=False)
            yield DataTable(id="ratings", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="eval-detail-box", classes="panel"):
                yield Static("", id="eval-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#eval-detail-box").border_title = t("eval.evidence")
        self.render_state()
        self.query_one("#ratings", DataTable).focus()

    def _who(self) -> str:
        return self.evaluator

    def _intro(self) -> str:
        if self.session.can_rate():
            return t("eval.intro")
        if self.session.evaluating and not self.session.state.started:
            return t("eval.waiting")  # a national exercise's organisation that has not started yet
        return t("eval.locked")

    def render_state(self) -> None:
        evaluators = self.session.state.evaluators
        if self.session.evaluator_identity:  # a national exercise's evaluator records under one name
            self.evaluator = self.session.evaluator_identity
        elif not self.evaluator and evaluators:
            self.evaluator = evaluators[0][0]
        lead = self.session.state.lead_evaluator
        who = (t("eval.lead", name=self.evaluator) if self.evaluator and self.evaluator == lead
               else self.evaluator or t("eval.nobody"))
        if self.session.evaluating:  # the organisation may start, or end, while the view is open
            self.query_one("#eval-intro", Static).update(lit(self._intro(), "italic"))
        if self.session.can_rate():
            self.query_one("#eval-who", Static).update(lit(t("eval.intro2", who=who), "italic"))
        self.result = self.session.score()
        table: DataTable[Text] = self.query_one("#ratings", DataTable)
        row = table.cursor_row
        ratings = self.result.ratings
        names = [tr(rating.name) for rating in ratings]
        verdicts = [self._verdict_cell(rating) for rating in ratings]
        narrow = self.app.size.width < WIDE_SCREEN
        suffix = "_short" if narrow else ""
        labels = [t("col.criterion" + suffix), t("col.name"), t("col.suggested" + suffix),
                  t("col.final" + suffix), t("col.evidence" + suffix), t("col.status"), t("col.reason")]
        name_width, verdict_width = self._flexible_widths(labels, ratings, names, verdicts)
        columns: list[tuple[str, int | None]] = [
            (labels[0], None), (labels[1], name_width), (labels[2], None), (labels[3], None), (labels[4], None),
            (labels[5], None), (labels[6], verdict_width)]
        rows = [(rating.criterion, [
            lit(rating.criterion, "bold"), lit(clip(name, name_width)), level_text(rating.suggested),
            final_text(rating), lit(str(len(rating.evidence))), status_cell(rating),
            lit(clip(verdict, verdict_width))])
            for rating, name, verdict in zip(ratings, names, verdicts, strict=True)]
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
                 + widest(labels[3], ["N/O?"]) + widest(labels[4], [str(len(r.evidence)) for r in ratings])
                 + widest(labels[5], [status_cell(r).plain for r in ratings]))
        # the screen less its padding and a vertical scrollbar; two cells of padding per column
        rest = self.app.size.width - 2 - 2 - fixed - 2 * 7
        longest_name = min(NAME_WIDTH, widest(labels[1], names))
        longest_verdict = min(VERDICT_WIDTH, widest(labels[6], verdicts))
        if longest_name + longest_verdict <= rest:
            return longest_name, longest_verdict
        verdict_width = max(Text(labels[6]).cell_len, min(longest_verdict, max(rest // 2, rest - longest_name)))
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
        if rating is None:
            self.query_one("#eval-detail", Static).update("")
            return
        text = evidence_text(rating)
        interpretation = self._interpretation(rating.criterion)
        if interpretation is not None:
            text.append("\n\n" + t("eval.interpretation") + ": ", style="bold")
            text.append(tr(interpretation), style="italic")
        if rating.evaluators:
            text.append("\n\n" + t("eval.evaluators") + ": ", style="bold")
            text.append(", ".join(f"{v.name} {v.level.value}" for v in rating.evaluators if v.level is not None)
                        or "–")
            if rating.disagreement and rating.status.value == "disputed":
                text.append("\n" + t("eval.disagree"), style="bold yellow")
        tasks = self._tasks(rating.criterion)
        if tasks:
            marks = task_marks(self.session, rating.criterion, self.evaluator) if self.evaluator else {}
            text.append(f"\n\n{t('eval.checklist')} ({self.evaluator or t('eval.nobody')}):", style="bold")
            for number, task in enumerate(tasks, start=1):
                mark = marks.get(number)
                state = t(f"task.{mark.status}") if mark is not None else t("task.unmarked")
                text.append(f"\n  {rating.criterion}.{number} [{state}] ")
                text.append(clip(tr(task), 70))
        self.query_one("#eval-detail", Static).update(text)

    @staticmethod
    def _interpretation(criterion: str) -> Any:
        """The catalogue's own reading of the report for this criterion, if it marks one: the
        evaluator must see where the tool interprets rather than quotes."""
        try:
            return load_catalogue().criterion(criterion).interpretation
        except KeyError:
            return None

    @staticmethod
    def _tasks(criterion: str) -> tuple[Any, ...]:
        try:
            return load_catalogue().criterion(criterion).critical_tasks
        except KeyError:
            return ()

    @on(DataTable.RowHighlighted, "#ratings")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected, "#ratings")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_rate()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("evaluator", "debrief", "hotwash", "feedback") and self.session.evaluating:
            return False  # a national exercise's evaluator is one named evaluator, recording evaluation only
        if action in ("rate", "confirm", "checklist", "levelled", "evaluator", "reasoning", "reconcile"):
            return self.session.can_rate()
        if action == "map_decision":  # decide-first: written decisions still awaiting mapping
            return self.session.can_rate() and bool(self.session.state.awaiting_mapping())
        if action == "back":
            return self.session.evaluating or (not self.session.ended and not self.session.readonly)
        return True

    def action_rate(self) -> None:
        rating = self._current()
        if rating is None or not self.session.can_rate():
            return
        self.app.push_screen(RateDialog(self.session, rating, self.evaluator), lambda _: self.render_state())

    def action_confirm(self) -> None:
        rating = self._current()
        if rating is None or not self.session.can_rate():
            return
        self.kapp.run_command(self.session.rate(rating.criterion, rating.suggested, by=self.evaluator))
        self.render_state()

    def action_evaluator(self) -> None:
        def chosen(name: str | None) -> None:
            if name:
                self.evaluator = name
                self.notify(t("evaluator.now", name=name))
            self.render_state()

        self.app.push_screen(EvaluatorDialog(self.session), chosen)

    def action_checklist(self) -> None:
        rating = self._current()
        if rating is not None:
            self.app.push_screen(ChecklistDialog(self.session, rating.criterion, self._by()),
                                 lambda _: self.render_state())

    def action_levelled(self) -> None:
        rating = self._current()
        if rating is not None:
            self.app.push_screen(LevelledObservationDialog(self.session, rating.criterion, self._by()),
                                 lambda _: self.render_state())

    def action_reasoning(self) -> None:
        self.app.push_screen(ReasoningDialog(self.session, self._by()), lambda _: self.render_state())

    def action_map_decision(self) -> None:
        """`m` (decide-first): map a decision the team wrote and nobody mapped yet; after ENDEX the
        mapping counts in the rating but moves no indicator."""
        from krise_ovelse.tui.screens.decide_first import MapDecisionDialog
        from krise_ovelse.tui.screens.dialogs import PickDialog

        views = [v for w in self.session.state.awaiting_mapping()
                 if (v := self.session.decision_view(w.decision_id)) is not None]
        if not views:
            return

        def chosen(decision_id: str | None) -> None:
            view = next((v for v in views if v.decision_id == decision_id), None)
            if view is not None:
                self.app.push_screen(MapDecisionDialog(self.session, view, self._by()), lambda _: self.render_state())

        rows = [(v.decision_id, Text.assemble((v.decision_id, "bold"), "  ", v.title or v.prompt[:60], "\n    «",
                                              (v.written[:80], "italic"), "»")) for v in views]
        self.app.push_screen(PickDialog(t("decision.map_pick"), rows), chosen)

    def action_reconcile(self) -> None:
        rating = self._current()
        if rating is not None:
            self.app.push_screen(RateDialog(self.session, rating, self._by(), reconcile=True),
                                 lambda _: self.render_state())

    def _by(self) -> str:
        """Who the judgement is recorded for: the chosen evaluator, else the console's word."""
        from krise_ovelse.tui.session import evaluator_name

        return self.evaluator or evaluator_name()

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
        if not self.session.ended or self.session.evaluating:
            self.kapp.show_exercise()
