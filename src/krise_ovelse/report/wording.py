"""How the report says times, durations, people and engine notes in the reader's language."""

from __future__ import annotations

import math
import re

from krise_ovelse.messages import Messages
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.model.timefmt import format_time


def one_line(text: str) -> str:
    return " ".join(text.split())


def format_clock(minutes: float, scenario: Scenario, lang: str) -> str:
    """`D+3 08:00`, with the calendar date if the scenario has a start date."""
    whole = math.floor(minutes + 1e-9)
    text = format_time(whole)
    moment = scenario.calendar(whole)
    if moment is not None:
        date = f"{moment.day}.{moment.month}.{moment.year}" if lang == "nb" else moment.date().isoformat()
        text += f" ({date})"
    return text


def format_day(minutes: float) -> str:
    """`D+476`: the scenario day only."""
    return f"D+{math.floor(minutes / 1440 + 1e-9)}"


def format_seconds(seconds: float, lang: str) -> str:
    """Real time: `45 s`, `3 min 05 s`, `1 t 02 min` (nb) / `1 h 02 min` (en)."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    mins, secs = divmod(rest, 60)
    hour = "t" if lang == "nb" else "h"
    if hours:
        return f"{hours} {hour} {mins:02d} min"
    if mins:
        return f"{mins} min {secs:02d} s"
    return f"{secs} s"


def format_span(minutes: float, lang: str) -> str:
    """Scenario time as a reader says it: `45 min`, `6 t`, `2 døgn 4 t` (nb) / `2 d 4 h` (en)."""
    total = max(0, round(minutes))
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    day, hour = ("døgn", "t") if lang == "nb" else ("d", "h")
    parts = []
    if days:
        parts.append(f"{days} {day}")
    if hours:
        parts.append(f"{hours} {hour}")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts)


_ROLE_PREFIX = re.compile(r"^\s*(øvingsleder|facilitator|evaluator)\s*[:–-]?\s+", re.IGNORECASE)


def bare_name(name: str) -> str:
    """`Øvingsleder Anne Berg` → `Anne Berg`: the label already says the role."""
    stripped = _ROLE_PREFIX.sub("", name)
    return stripped if stripped.strip() else name.strip()


_PASSED_OVER = re.compile(r"^passed over by the jump to (?:phase (?P<phase>\S+)|the end)$")


def skip_reason(reason: str, scenario: Scenario, m: Messages, lang: str) -> str:
    """The reason an inject was skipped, with the engine's own notes in the reader's language."""
    match = _PASSED_OVER.match(reason.strip())
    if match is None:
        return one_line(reason)
    phase_id = match.group("phase")
    if phase_id is None:
        return m["skipped_to_end"]
    phase = next((p for p in scenario.phases if p.id == phase_id), None)
    name = one_line(phase.title.get(lang)) if phase is not None else phase_id
    return m["skipped_to_phase"].format(phase=name)


def channel_label(channel: str, m: Messages) -> str:
    """A channel (`phone`) in the report's language (`telefon`); an unknown one as given."""
    return m[f"channel_{channel}"] if m.has(f"channel_{channel}") else channel


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
