"""The briefing: background, agency, roles, goals, criteria, how the clock works; the team."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from krise_ovelse.catalogue import load_catalogue
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.tui.base import KriseScreen
from krise_ovelse.tui.i18n import format_number, t
from krise_ovelse.tui.loaded import LoadedScenario
from krise_ovelse.tui.text import calendar, compression_words, duration, lit, scenario_time, tr
from krise_ovelse.tui.widgets.footer import KeyFooter
from krise_ovelse.tui.widgets.titlebar import TitleBar


def _section(title: str) -> Label:
    return Label(title, classes="section-title")


def _para(text: str | Text, classes: str = "para") -> Static:
    return Static(text if isinstance(text, Text) else lit(text), classes=classes, markup=False)


def _lines(lines: Iterable[Text]) -> Text:
    """Lines as one text (one widget instead of one per line: faster to lay out)."""
    return Text("\n").join(list(lines))


def criteria_lines(scenario: Scenario) -> list[Text]:
    """`KH-2  Name` for the criteria the scenario plays (listed, or with evidence)."""
    catalogue = load_catalogue()
    ids = list(scenario.scoring.criteria)
    for decision in scenario.decisions:
        for option in decision.options:
            ids.extend(c for c in option.evidence if c not in ids)
    ids.extend(r.criterion for r in scenario.scoring.rules if r.criterion not in ids)
    own = {c.id: c.name for c in scenario.scoring.own_criteria}
    known = catalogue.ids()
    lines = []
    for cid in ids:
        line = Text(f"{cid:<6}", style="bold")
        line.append(tr(catalogue.criterion(cid).name) if cid in known else tr(own.get(cid)) or cid)
        lines.append(line)
    return lines


def clock_lines(scenario: Scenario) -> list[Text]:
    """How the clock works: each phase, its compression, its play time, the jumps."""
    from krise_ovelse.authoring.inspect import played_minutes

    lines: list[Text] = []
    start = scenario.calendar(0)
    if start is not None:
        lines.append(lit(t("clock.day_zero", date=calendar(start))))
    spans = played_minutes(scenario)
    for index, (phase, (_, play)) in enumerate(zip(scenario.phases, spans, strict=True)):
        nxt = scenario.phases[index + 1] if index + 1 < len(scenario.phases) else None
        end = phase.ends if phase.ends is not None else (nxt.starts if nxt else scenario.ends)
        line = Text("• ", style="bold")
        line.append(tr(phase.title), style="bold")
        line.append(f"  {scenario_time(phase.starts.minutes)} – {scenario_time(end.minutes)}: ")
        line.append(t("clock.phase_line", compression=compression_words(phase.compression),
                      play=duration(play)))
        lines.append(line)
        if phase.ends is not None and nxt is not None:
            lines.append(lit("  " + t("clock.jump", to=scenario_time(nxt.starts.minutes)), "italic"))
    total = sum(play for _, play in spans)
    lines.append(lit(t("clock.total", play=duration(total))))
    lines.append(lit(t("clock.controls")))
    return lines


class BriefingBody(VerticalScroll):
    """The briefing text; Tab from here goes straight to the team's name (the footer says so)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("tab", "focus_team", "key.to_team")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # only while the text itself has the focus: in the form, Tab moves on as usual
        return self.has_focus if action == "focus_team" else True

    def watch_has_focus(self, _has_focus: bool) -> None:
        # Textual restyles the widget and everything in it; no rule styles the briefing's
        # texts and form by whether the scroll itself has the focus, so restyle only it (the
        # focus it takes at start and every Tab through it cost a pass over the whole form)
        self.app.stylesheet.update_nodes([self], animate=True)

    def action_focus_team(self) -> None:
        self.screen.query_one("#team-name", Input).focus()


class ParticipantList(OptionList):
    """The participants added so far; Delete (or Backspace) removes the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,backspace", "screen.remove_participant", "key.remove_participant"),
    ]


class BriefingScreen(KriseScreen[None]):
    """What the team needs before the clock starts; the team name and participants."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "key.start_exercise", priority=True),
        Binding("escape", "back", "key.back"),
    ]

    def __init__(self, loaded: LoadedScenario, team: str = "", decide_first: bool = False) -> None:
        super().__init__(id="briefing")
        self.loaded = loaded
        self.team = team
        self.decide_first = decide_first
        self.participants: list[Any] = []  # engine Participant(name, role)

    def compose(self) -> ComposeResult:
        scenario = self.loaded.scenario
        yield TitleBar(t("briefing.title"), tr(scenario.title))
        with BriefingBody(id="briefing-body"):
            yield Static(lit(tr(scenario.title), "bold"), classes="scenario-title", markup=False)
            if scenario.summary:
                yield _para(tr(scenario.summary), "para summary")
            if scenario.background:
                yield _section(t("briefing.background"))
                yield _para(tr(scenario.background))
            if scenario.agency is not None:
                yield _section(t("briefing.agency"))
                agency = Text(tr(scenario.agency.name), style="bold")
                if scenario.agency.staff:
                    agency.append("  " + t("briefing.staff", n=format_number(scenario.agency.staff)))
                yield _para(agency)
                if scenario.agency.description:
                    yield _para(tr(scenario.agency.description))
            if scenario.exercise_form:
                yield _section(t("briefing.form"))
                yield _para(tr(scenario.exercise_form))
            if scenario.goals:
                yield _section(t("briefing.goals"))
                yield _para(_lines(Text("• ").append(tr(goal.text)) for goal in scenario.goals), "para item")
            if scenario.roles:
                yield _section(t("briefing.roles"))
                roles = []
                for role in scenario.roles:
                    line = Text("• ").append(tr(role.name), style="bold")
                    if role.description:
                        line.append(" – " + tr(role.description))
                    roles.append(line)
                yield _para(_lines(roles), "para item")
            yield _section(t("briefing.criteria"))
            yield _para(_lines(criteria_lines(scenario)), "para item")
            yield _section(t("briefing.clock"))
            yield _para(_lines(clock_lines(scenario)), "para item")
            yield _section(t("briefing.team_section"))
            with Horizontal(classes="form-row"):
                yield Label(t("briefing.team_name"), classes="form-label")
                yield Input(value=self.team, placeholder=t("briefing.team_placeholder"), id="team-name")
            with Horizontal(classes="form-row"):
                yield Label(t("briefing.participant"), classes="form-label")
                yield Input(placeholder=t("briefing.participant_placeholder"), id="participant-name")
                yield Select([(lit(tr(r.name)), r.id) for r in scenario.roles], prompt=t("briefing.role"),
                             id="participant-role")
                yield Button(t("briefing.add"), id="add-participant")
            participants = ParticipantList(id="participants", markup=False)
            participants.display = False
            yield participants
            yield Static(lit(t("briefing.no_participants"), "italic"), id="participants-empty", markup=False)
            yield Checkbox(lit(t("briefing.decide_first")), self.decide_first, id="decide-first")
            yield Static(lit(t("briefing.decide_first_help"), "italic dim"), id="decide-first-help", markup=False)
            yield Static("", id="briefing-error", markup=False)
            yield Button(t("briefing.start"), id="start-exercise", variant="primary")
        yield KeyFooter()

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        mounted = self.mount_all(widgets)
        # The text takes the focus as soon as it is in the screen, before any widget composes
        # its own parts: the footer then shows the keys the briefing opens with (Tab to the
        # team) from its first compose, rather than building all its keys again before the
        # first frame when Textual focuses the text after the screen is composed.
        body = self.query_one("#briefing-body", BriefingBody)
        body.has_focus = True  # as Textual's own first focus does: its keys show from the start
        self.set_focus(body)
        await mounted

    def on_mount(self) -> None:
        body = self.query_one("#briefing-body", VerticalScroll)
        body.focus()
        body.scroll_home(animate=False)

    def _show_participants(self) -> None:
        from krise_ovelse.tui.session import participant_label

        listing = self.query_one("#participants", ParticipantList)
        keep = listing.highlighted
        listing.set_options([Option(lit("• " + participant_label(p, self.loaded.scenario)), id=str(i))
                             for i, p in enumerate(self.participants)])
        if self.participants:
            listing.highlighted = min(keep if keep is not None else 0, len(self.participants) - 1)
        listing.display = bool(self.participants)
        note = t("briefing.remove_hint") if self.participants else t("briefing.no_participants")
        self.query_one("#participants-empty", Static).update(lit(note, "italic dim" if self.participants else "italic"))

    def action_remove_participant(self) -> None:
        listing = self.query_one("#participants", ParticipantList)
        index = listing.highlighted
        if index is None or not 0 <= index < len(self.participants):
            return
        del self.participants[index]
        self._show_participants()
        if not self.participants:
            self.query_one("#participant-name", Input).focus()

    @on(Button.Pressed, "#add-participant")
    @on(Input.Submitted, "#participant-name")
    def add_participant(self) -> None:
        name_input = self.query_one("#participant-name", Input)
        name = name_input.value.strip()
        if not name:
            return
        role_select: Select[str] = self.query_one("#participant-role", Select)
        role_id = role_select.value if isinstance(role_select.value, str) else ""
        from krise_ovelse.engine.values import Participant

        self.participants.append(Participant(name=name, role=role_id))
        self._show_participants()
        role_select.clear()  # the next participant's role is chosen afresh, not carried over
        name_input.value = ""
        name_input.focus()

    @on(Input.Submitted, "#team-name")
    def _team_submitted(self) -> None:
        self.query_one("#participant-name", Input).focus()

    @on(Button.Pressed, "#start-exercise")
    def action_start(self) -> None:
        team_input = self.query_one("#team-name", Input)
        team = team_input.value.strip()
        if not team:
            self.query_one("#briefing-error", Static).update(lit(t("briefing.need_team"), "bold red"))
            team_input.focus()
            return
        self.kapp.start_exercise(self.loaded, team, tuple(self.participants),
                                 decide_first=self.query_one("#decide-first", Checkbox).value)

    def action_back(self) -> None:
        self.kapp.show_start()
