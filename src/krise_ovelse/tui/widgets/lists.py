"""Option lists that re-render from records and keep the highlighted item by id."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from krise_ovelse.model.scenario import Channel
from krise_ovelse.tui.i18n import t
from krise_ovelse.tui.pacing import clock_text
from krise_ovelse.tui.text import duration, lit, scenario_time
from krise_ovelse.tui.view import DecisionView, FeedItem, LogEntry, UpcomingItem

CHANNEL_ICONS = {
    Channel.EMAIL: "✉", Channel.NEWS: "N", Channel.PHONE: "☎", Channel.INTRANET: "I",
    Channel.SOCIAL_MEDIA: "#", Channel.MEETING: "M", Channel.UNION_REP: "T", Channel.SAFETY_REP: "V",
    Channel.LETTER: "B", Channel.SITREP: "S",
}


def channel_label(channel: Channel | None) -> str:
    return t(f"channel.{channel.value}") if channel is not None else t("channel.adhoc")


class RecordList(OptionList):
    """An OptionList fed with (id, prompt) pairs; re-rendered only when they change."""

    DEFAULT_CSS = """
    RecordList { height: 1fr; border: none; padding: 0; }
    """

    def __init__(self, empty_key: str, *, id: str | None = None,  # noqa: A002 (Textual's name)
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.empty_key = empty_key
        self._shown: tuple[tuple[str, str], ...] | None = None
        self.border_title = ""

    def show(self, rows: Sequence[tuple[str, Text]]) -> None:
        signature = tuple((key, prompt.plain + str(prompt.spans)) for key, prompt in rows) or (
            ("__empty__", self.empty_key),)
        if signature == self._shown:
            return
        self._shown = signature
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        # Lists are newest first: a list whose top item is highlighted follows the newest item,
        # so a new inject is never added out of sight; one scrolled down keeps its item.
        at_top = self.highlighted in (None, 0)
        if not rows:
            self.set_options([Option(lit(t(self.empty_key), "italic dim"), id="__empty__", disabled=True)])
            return
        self.set_options([Option(prompt, id=key) for key, prompt in rows])
        ids = [key for key, _ in rows]
        if keep in ids and not at_top:
            self.highlighted = ids.index(keep)
        elif at_top or self.has_focus or keep is None:
            self.highlighted = 0
            self.scroll_home(animate=False)

    @property
    def selected_id(self) -> str | None:
        option = self.highlighted_option
        if option is None or option.id == "__empty__":
            return None
        return option.id


def feed_prompt(item: FeedItem, *, unread: bool | None = None, presented: bool = False) -> Text:
    """An inject in the feed: ● while unread in this view (`unread` overrides the record's), ▣
    while it is on the team's screen."""
    if item.kind == "phase":
        return phase_prompt(item)
    unread = item.unread if unread is None else unread
    text = Text()
    if presented:
        text.append("▣ ", style="bold reverse cyan")
    else:
        text.append("● " if unread else "  ", style="bold yellow" if unread else "")
    text.append(scenario_time(item.minutes), style="bold" if unread else "dim")
    text.append("  ")
    icon = CHANNEL_ICONS.get(item.channel, "+") if item.channel else "+"
    text.append(f"[{icon}] ", style="dim")
    text.append(channel_label(item.channel), style="italic")
    if item.sender:
        text.append(" · ")
        text.append(item.sender)
    text.append("\n    ")
    text.append(item.title, style="bold" if unread else "")
    return text


#: Characters of a phase's summary shown in the feed (Enter shows it whole).
SUMMARY_CHARS = 160


def phase_prompt(item: FeedItem) -> Text:
    """The beginning of a phase in the feed: its title and (the start of) its summary."""
    text = Text()
    text.append("  ")
    text.append(scenario_time(item.minutes), style="dim")
    text.append("  ")
    text.append("◆ " + t("feed.phase_begins") + " ", style="bold magenta")
    text.append(item.title, style="bold magenta")
    summary = " ".join(item.body.split())
    if summary:
        if len(summary) > SUMMARY_CHARS:
            summary = summary[: SUMMARY_CHARS - 1] + "…"
        text.append("\n    ")
        text.append(summary, style="italic")
    return text


def decision_prompt(item: DecisionView, now: float) -> Text:
    text = Text()
    text.append(item.decision_id, style="bold")
    text.append("  ")
    text.append(item.title or item.prompt[:60])
    if item.awaiting_mapping:  # decide-first: written in time; the deadline no longer runs
        text.append("\n    ")
        text.append("✎ " + t("decisions.awaiting"), style="italic yellow")
        return text
    left = item.deadline_minutes - now
    text.append("\n    ")
    text.append(t("decision.deadline", at=scenario_time(item.deadline_minutes)), style="italic")
    style = "bold red" if left <= 60 * 6 else "dim"
    text.append("  " + t("decision.left", left=duration(max(0.0, left))), style=style)
    if item.real_seconds_left is not None:
        text.append("\n    ")
        text.append_text(countdown(item))
    return text


#: Real seconds under which a countdown shows in red.
URGENT_SECONDS = 60.0


def countdown(item: DecisionView) -> Text:
    """The real time to the deadline at the current speed (`⏳ 2:35`), or that the clock stands."""
    seconds = item.real_seconds_left or 0.0
    if not item.clock_running:
        return lit("⏳ " + t("decision.countdown_paused", left=clock_text(seconds)), "yellow")
    return lit("⏳ " + t("decision.countdown", left=clock_text(seconds)),
               "bold reverse red" if seconds <= URGENT_SECONDS else "bold")


def log_prompt(entry: LogEntry) -> Text:
    text = Text()
    text.append(scenario_time(entry.minutes), style="dim")
    text.append("  ")
    text.append(entry.decision_id, style="bold")
    text.append(" → ")
    text.append(entry.option_id, style="bold")
    if entry.missed:
        text.append("  " + t("log.missed"), style="italic red")
    if entry.revision:
        text.append("  " + t("log.revised", n=entry.revision), style="italic")
    if not entry.current:
        text.append("  " + t("log.replaced"), style="dim strike")
    if entry.amendments:
        text.append("  " + t("log.amended"), style="italic yellow")
    text.append("  ")
    text.append(entry.title)
    if entry.own_words:  # decide-first: what the team wrote, before it was mapped
        text.append("\n    ✎ «", style="dim")
        text.append(entry.own_words, style="italic")
        text.append("»", style="dim")
    if entry.decided_by:
        text.append("\n    " + t("log.by", who=entry.decided_by), style="dim")
    if entry.rationale:
        text.append("\n    «", style="dim")
        text.append(entry.rationale, style="italic")
        text.append("»", style="dim")
    if entry.consequence:
        text.append("\n    ⇒ ", style="bold cyan")
        text.append(entry.consequence, style="cyan")
    return text


#: Width of the "when" column of the dreiebok (a time, or the trigger of an unscheduled inject).
UPCOMING_WHEN = 11


def upcoming_prompt(item: UpcomingItem) -> Text:
    text = Text()
    when = scenario_time(item.minutes) if item.minutes is not None else t(f"trigger.{item.kind}")
    # the widest time is `D+540 08:00` (11); the trigger words are as wide or wider ("conditional")
    text.append(when.ljust(UPCOMING_WHEN) + " ", style="dim" if item.minutes is not None else "italic yellow")
    text.append(item.inject_id, style="bold")
    text.append("  ")
    text.append(item.title)
    return text
