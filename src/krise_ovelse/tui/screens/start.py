"""The start screen: shipped scenarios, "open file…", and the saved sessions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from krise_ovelse.tui.base import KriseScreen
from krise_ovelse.tui.i18n import format_number, t
from krise_ovelse.tui.text import lit, tr
from krise_ovelse.tui.widgets.footer import KeyFooter
from krise_ovelse.tui.widgets.tables import fill_table
from krise_ovelse.tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:  # the store and the catalogue are read in a worker, after the first frame
    from krise_ovelse.store.session_rows import SessionInfo
    from krise_ovelse.tui.catalog import ScenarioEntry

#: Widest title column (long titles end in "…"); narrower when the terminal is narrow, so the
#: other columns stay on screen at 80 columns.
TITLE_WIDTH = 40
MIN_TITLE_WIDTH = 16
#: Widest scenario and team columns of the sessions table.
SCENARIO_WIDTH = 30
TEAM_WIDTH = 18
NARROW_TEAM_WIDTH = 12
#: Columns of the screen that the tables cannot use: padding, a scrollbar, and the 2-cell
#: padding of every column.
MARGIN = 4
CELL_PADDING = 2


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class StartScreen(KriseScreen[None]):
    """Choose a scenario (or a file), or a stored session to resume or replay."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "key.choose", show=True),
        Binding("o", "open_file", "key.open_file"),
        Binding("r", "replay", "key.replay"),
        Binding("s", "focus_sessions", "key.sessions", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="start")
        self.entries: list[ScenarioEntry] = []
        self.sessions: list[SessionInfo] = []
        self._note = ""
        self._width = 0

    def compose(self) -> ComposeResult:
        yield TitleBar(t("start.title"), t("start.subtitle"))
        with Vertical(id="start-body"):
            yield Label(t("start.scenarios"), classes="section-title")
            table: DataTable[Text] = DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static(lit(t("start.scenarios_hint"), "dim italic"), markup=False)
            with Horizontal(id="open-row"):
                yield Label(t("start.open_file"), id="open-label")
                yield Input(placeholder=t("start.open_placeholder"), id="open-path")
            yield Static("", id="start-problems", markup=False)
            yield Label(t("start.sessions"), classes="section-title")
            sessions: DataTable[Text] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield sessions
            yield Static("", id="sessions-note", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#scenarios", DataTable)
        fill_table(table, self._scenario_columns(), [])
        fill_table(self.query_one("#sessions", DataTable), self._session_columns(), [])
        self.query_one("#sessions-note", Static).update(t("start.loading"))
        self.load_lists()
        table.focus()

    def _scenario_columns(self, title_width: int = TITLE_WIDTH) -> list[tuple[str, int | None]]:
        return [(t("col.title"), title_width), *((t(key), None) for key in (
            "col.span", "col.phases", "col.injects", "col.decisions", "col.play_time", "col.language"))]

    def _session_columns(self, scenario_width: int | None = None) -> list[tuple[str, int | None]]:
        return [(t("col.session"), None), (t("col.scenario"), scenario_width),
                *((t(key), None) for key in ("col.team", "col.started", "col.status", "col.events"))]

    def _room(self, fixed: list[list[str]], columns: int) -> int:
        """Cells left for the one flexible column when the other columns are as wide as their
        widest text (`fixed`: each column's texts, heading included)."""
        used = sum(max(Text(s).cell_len for s in texts) for texts in fixed) + CELL_PADDING * columns
        return max(0, (self.size.width or 100) - MARGIN - used)

    def on_resize(self) -> None:
        if self.size.width != self._width and (self.entries or self.sessions):
            self.show_lists(self.entries, self.sessions, self._note)

    @work(thread=True, exclusive=True, group="start-lists")
    def load_lists(self) -> None:
        entries = self.kapp.shipped_entries()
        sessions, note = self.kapp.stored_sessions()
        self.app.call_from_thread(self.show_lists, entries, sessions, note)

    def show_lists(self, entries: list[ScenarioEntry], sessions: list[SessionInfo], note: str) -> None:
        self.entries = entries
        self.sessions = sessions
        self._note = note
        self._width = self.size.width
        cells = [[t("unit.days_short", n=format_number(e.days, 0)), str(e.phases), str(e.injects), str(e.decisions),
                  t("unit.minutes_short", n=e.play_minutes), ", ".join(e.languages)] for e in entries]
        headings = [t(k) for k in ("col.span", "col.phases", "col.injects", "col.decisions", "col.play_time",
                                   "col.language")]
        fixed = [[headings[i], *(row[i] for row in cells)] for i in range(len(headings))]
        title_width = max(MIN_TITLE_WIDTH, min(TITLE_WIDTH, self._room(fixed, len(headings) + 1)))
        tag = f"  ({t('start.example')})"
        scenario_rows = []
        for entry, row in zip(entries, cells, strict=True):
            title = clip(tr(entry.title), title_width - (len(tag) if entry.example else 0))
            scenario_rows.append((str(entry.path), [
                lit(title + (tag if entry.example else "")), *(lit(c) for c in row)]))
        fill_table(self.query_one("#scenarios", DataTable), self._scenario_columns(title_width), scenario_rows)

        session_headings = [t(k) for k in ("col.session", "col.team", "col.started", "col.status", "col.events")]
        for team_width in (TEAM_WIDTH, NARROW_TEAM_WIDTH):  # the team's name is cut shorter when narrow
            session_cells = [[info.id, clip(info.team or "–", team_width), (info.started or "")[:16].replace("T", " "),
                              t(f"status.{info.effective_status}"), str(info.last_seq)] for info in sessions]
            fixed = [[session_headings[i], *(row[i] for row in session_cells)] for i in range(len(session_headings))]
            room = self._room(fixed, len(session_headings) + 1)
            if room >= MIN_TITLE_WIDTH:
                break
        scenario_width = max(MIN_TITLE_WIDTH // 2, min(SCENARIO_WIDTH, room))
        session_rows = [(info.id, [
            lit(row[0]), lit(clip(info.title or info.scenario_id, scenario_width)), *(lit(c) for c in row[1:])])
            for info, row in zip(sessions, session_cells, strict=True)]
        fill_table(self.query_one("#sessions", DataTable), self._session_columns(scenario_width), session_rows)
        self.query_one("#sessions-note", Static).update(note)

    # -- actions ------------------------------------------------------------------------

    def action_choose(self) -> None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id == "sessions":
            self._open_session(replay=False)
        elif isinstance(focused, Input):
            self._open_path(focused.value)
        else:
            self._open_entry()

    def action_open_file(self) -> None:
        self.query_one("#open-path", Input).focus()

    def action_focus_sessions(self) -> None:
        self.query_one("#sessions", DataTable).focus()

    def action_replay(self) -> None:
        self._open_session(replay=True)

    @on(DataTable.RowSelected, "#scenarios")
    def _scenario_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open_entry()

    @on(DataTable.RowSelected, "#sessions")
    def _session_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open_session(replay=False)

    @on(Input.Submitted, "#open-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._open_path(event.value)

    def _open_entry(self) -> None:
        table = self.query_one("#scenarios", DataTable)
        if not self.entries or table.cursor_row < 0 or table.cursor_row >= len(self.entries):
            return
        self._open_path(str(self.entries[table.cursor_row].path))

    def _open_path(self, raw: str) -> None:
        problems = self.query_one("#start-problems", Static)
        if not raw.strip():
            problems.update(t("start.no_path"))
            return
        lines = self.kapp.open_scenario(Path(raw.strip()).expanduser())
        problems.update("\n".join(lines))
        problems.set_class(bool(lines), "error")

    def _open_session(self, replay: bool) -> None:
        table = self.query_one("#sessions", DataTable)
        if not self.sessions or table.cursor_row < 0 or table.cursor_row >= len(self.sessions):
            return
        info = self.sessions[table.cursor_row]
        if replay or info.status == "ended":
            self.kapp.replay_session(info.id)
        else:
            self.kapp.resume_session(info.id)
