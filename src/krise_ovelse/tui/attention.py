"""What the room must not miss: an inject arrived, a decision opened, a deadline is near or
has passed.

Pure: compares the snapshot shown before with the one shown now (no Textual), so the exercise
screen only decides how to signal (banner, notification, bell) and the rules are tested alone.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from krise_ovelse.tui.i18n import t
from krise_ovelse.tui.pacing import clock_text
from krise_ovelse.tui.text import scenario_time
from krise_ovelse.tui.view import Snapshot

#: How long (real seconds) before a deadline the console warns, unless told otherwise.
DEFAULT_WARN_BEFORE = 60.0


@attrs.frozen
class Alert:
    kind: str  # "inject", "decision", "deadline", "lapsed"
    subject: str  # the inject or decision id
    text: str


def alerts(before: Snapshot | None, now: Snapshot, *, warned: set[str], warn_before: float = DEFAULT_WARN_BEFORE,
           paused_for: str = "") -> list[Alert]:
    """The alerts for what changed from `before` to `now`, oldest first.

    Nothing on the first frame (a resumed session's backlog is not news). A deadline warns
    once per decision (`warned` collects the ids), when its real time left at the current
    speed is within `warn_before` seconds and the clock runs; 0 turns the warning off.
    """
    if before is None or now.clock.ended:
        if before is None:
            warned.update(d.decision_id for d in now.open_decisions if _near(d.real_seconds_left, warn_before))
        return []
    out: list[Alert] = []
    seen = {item.inject_id for item in before.feed}
    for item in reversed(now.feed):
        if item.kind == "inject" and item.inject_id not in seen:
            out.append(Alert("inject", item.inject_id, t("alert.inject", id=item.inject_id, title=item.title)))
    was_open = {d.decision_id for d in before.open_decisions}
    for decision in now.open_decisions:
        if decision.decision_id in was_open:
            continue
        left = clock_text(decision.real_seconds_left or 0.0)
        key = "alert.decision_paused" if decision.decision_id == paused_for else "alert.decision"
        out.append(Alert("decision", decision.decision_id,
                         t(key, id=decision.decision_id, title=decision.title or decision.prompt[:60],
                           at=scenario_time(decision.deadline_minutes), left=left)))
    lapsed_before = {(e.decision_id, e.revision) for e in before.log if e.missed}
    for entry in now.log:
        if entry.missed and (entry.decision_id, entry.revision) not in lapsed_before:
            out.append(Alert("lapsed", entry.decision_id,
                             t("alert.lapsed", id=entry.decision_id, option=entry.option_id)))
    for decision in now.open_decisions:
        if decision.decision_id in warned or not decision.clock_running:
            continue
        if _near(decision.real_seconds_left, warn_before):
            warned.add(decision.decision_id)
            if decision.decision_id in was_open:
                out.append(Alert("deadline", decision.decision_id,
                                 t("alert.deadline", id=decision.decision_id,
                                   left=clock_text(decision.real_seconds_left or 0.0), default=decision.default)))
    return out


def _near(seconds: float | None, warn_before: float) -> bool:
    return warn_before > 0 and seconds is not None and seconds <= warn_before


#: Which alert the banner shows first when several come at once.
PRIORITY = {"lapsed": 0, "deadline": 1, "decision": 2, "inject": 3}


def banner_text(recent: Iterable[Alert]) -> str:
    """The most urgent of the alerts (a lapsed or near deadline, then a decision, then the
    newest inject), and
    how many more came with it."""
    items = list(recent)
    if not items:
        return ""
    first = min(reversed(items), key=lambda a: PRIORITY.get(a.kind, 9))
    more = len(items) - 1
    return first.text + (("  " + t("alert.more", n=more)) if more else "")
