"""One description of an event, for every timeline: `run`, `replay`, the console's replay and
decision log, the store's facts, `national follow` and the report's timeline all call
`describe(event, scenario, lang)`.

Names instead of ids where the scenario has them (an inject's title, a decision's title, an
option's text, a phase's title, an indicator's name, a role's name), numbers with a decimal comma
in bokmål, and every fixed word from the message catalogue (`describe.*` keys). The event may be
an engine event, its stored dict form, or a dict with the same keys made from a record of one
(a report from a saved run, the console's decision history); text from the event is data and
is kept on one line.

Two forms: the line (`describe(...)`, a string), and its parts (`describe(..., parts=True)`, a
`Description`: the kind's label, what the event is about by name, the chosen option, who) for a
table row or a log entry that lays the same words out in columns (the report's timeline; the
console's decision log, jump preview and reasoning list).

A new event kind needs a branch in `_describe` (its line), a `describe.label.KIND` message and,
if it is about something by name, a case in `_subject`; `tests/engine/test_describe.py` checks
that every kind the engine has is described and labelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, overload

import attrs

from krise_ovelse.messages import format_number, text
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.model.timefmt import format_time
from krise_ovelse.scoring.evidence import person

__all__ = ["Description", "describe", "person"]


@attrs.frozen
class Description:
    """An event in words, in parts: `label` the kind of thing it is ("Innspill", "Beslutning"),
    `subject` what it is about by name (an inject's or decision's title, a phase's title, an
    observation's text; "" for the clock's own events), `option` the option chosen (choices),
    `by` who did it as a reader says it, and `line` the whole one-line description. Every part
    is on one line; only `line` is cut, to `width` when one is given."""

    kind: str
    label: str
    subject: str
    line: str
    option: str = ""
    by: str = ""


@overload
def describe(event: Any, scenario: Scenario | None = ..., lang: str = ..., width: int | None = ...) -> str: ...


@overload
def describe(event: Any, scenario: Scenario | None = ..., lang: str = ..., width: int | None = ..., *,
             parts: Literal[True]) -> Description: ...


def describe(event: Any, scenario: Scenario | None = None, lang: str = "nb", width: int | None = None, *,
             parts: bool = False) -> str | Description:
    """A one-line description of `event` in `lang` (cut to `width` characters with … if given);
    with `parts`, the `Description` of which that line is one part."""
    if not isinstance(event, Mapping):
        from krise_ovelse.engine.events import event_to_dict

        event = event_to_dict(event)
    kind = str(event.get("kind", ""))
    line = _one_line(_describe(kind, event, scenario, lang) if kind in _KINDS else kind)
    if width is not None and len(line) > width:
        line = line[: width - 1] + "…"
    if not parts:
        return line
    if kind not in _KINDS:
        return Description(kind=kind, label=kind, subject="", line=line)
    option = ""
    if kind in _CHOICE_KINDS:
        option_id = _str(event.get("option_id"))
        option = _option_name(scenario, _str(event.get("decision_id")), option_id, lang) or option_id
    return Description(kind=kind, label=text(lang, f"describe.label.{kind}"),
                       subject=_one_line(_subject(kind, event, scenario, lang)), line=line, option=_one_line(option),
                       by=_one_line(_who(event, scenario, lang)))


def _one_line(value: str) -> str:
    return " ".join(value.split())


_KINDS = frozenset({
    "session_started", "clock_advanced", "clock_jumped", "phase_changed", "paused", "resumed", "speed_changed",
    "mode_changed", "inject_released", "inject_acknowledged", "inject_done", "inject_skipped",
    "adhoc_inject_added", "decision_opened", "decision_made", "decision_revised", "decision_missed",
    "observation_added", "criterion_rated", "session_ended", "evaluator_added", "task_marked", "reasoning_rated",
    "rating_reconciled", "hotwash_noted", "feedback_given",
    "decision_record_amended", "inject_presented", "decision_written", "decision_mapped",
})


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _time(value: Any) -> str:
    return format_time(value) if isinstance(value, int) and not isinstance(value, bool) else _str(value)


# --- names: the scenario's name for an id (None: the scenario does not have it) ---------------


def _inject_name(scenario: Scenario | None, inject_id: str, lang: str) -> str | None:
    if scenario is not None and scenario.has_inject(inject_id):
        return scenario.inject(inject_id).title.get(lang)
    return None


def _decision_name(scenario: Scenario | None, decision_id: str, lang: str) -> str | None:
    if scenario is not None and scenario.has_decision(decision_id):
        decision = scenario.decision(decision_id)
        return (decision.title or decision.prompt).get(lang)
    return None


def _option_name(scenario: Scenario | None, decision_id: str, option_id: str, lang: str) -> str | None:
    if scenario is not None and scenario.has_decision(decision_id):
        option = scenario.decision(decision_id).option(option_id)
        if option is not None:
            return option.text.get(lang)
    return None


def _phase_name(scenario: Scenario | None, phase_id: str, lang: str) -> str | None:
    if scenario is not None:
        phase = next((p for p in scenario.phases if p.id == phase_id), None)
        if phase is not None:
            return phase.title.get(lang)
    return None


def _named(lang: str, thing_id: str, name: str | None) -> str:
    """`i01 «Title»` in a line; the bare id when there is no name."""
    return thing_id if name is None else text(lang, "describe.named", id=thing_id, name=name)


def _inject(scenario: Scenario | None, inject_id: str, lang: str) -> str:
    return _named(lang, inject_id, _inject_name(scenario, inject_id, lang))


def _decision(scenario: Scenario | None, decision_id: str, lang: str) -> str:
    return _named(lang, decision_id, _decision_name(scenario, decision_id, lang))


def _option(scenario: Scenario | None, decision_id: str, option_id: str, lang: str) -> str:
    return _named(lang, option_id, _option_name(scenario, decision_id, option_id, lang))


def _phase(scenario: Scenario | None, phase_id: str, lang: str) -> str:
    return _named(lang, phase_id, _phase_name(scenario, phase_id, lang))


# --- the parts -----------------------------------------------------------------------------------

_CHOICE_KINDS = frozenset({"decision_made", "decision_revised", "decision_missed"})
_INJECT_KINDS = frozenset({"inject_released", "inject_acknowledged", "inject_done", "inject_skipped",
                           "inject_presented", "adhoc_inject_added"})
_CRITERION_KINDS = frozenset({"criterion_rated", "rating_reconciled", "task_marked"})
#: Who did it: the first of these keys the event has (a decision's maker, an observer, an evaluator).
_WHO_KEYS = ("decided_by", "author", "by")


def _subject(kind: str, e: Mapping[str, Any], scenario: Scenario | None, lang: str) -> str:
    """What the event is about, by name (the parts' `subject`)."""
    if kind in _INJECT_KINDS:
        inject_id = _str(e.get("inject_id"))
        if not inject_id:
            return ""
        name = _inject_name(scenario, inject_id, lang)
        if name is None:  # an ad hoc inject: its title travels with it
            name = _str(e.get("title")).strip() or text(lang, "describe.untitled")
        return name
    if kind.startswith("decision_") or kind == "reasoning_rated":
        decision_id = _str(e.get("decision_id"))
        return _decision_name(scenario, decision_id, lang) or decision_id
    if kind == "phase_changed":
        phase_id = _str(e.get("phase_id"))
        return _phase_name(scenario, phase_id, lang) or phase_id
    if kind in ("observation_added", "hotwash_noted"):
        return _str(e.get("text"))
    if kind in _CRITERION_KINDS:
        return _str(e.get("criterion_id"))
    if kind == "evaluator_added":
        return _str(e.get("name"))
    if kind == "session_ended":
        return "ENDEX"
    return ""


def _who(e: Mapping[str, Any], scenario: Scenario | None, lang: str) -> str:
    by = next((_str(e.get(key)).strip() for key in _WHO_KEYS if _str(e.get(key)).strip()), "")
    return person(by, scenario, lang) if by else ""


def _indicator_values(scenario: Scenario | None, values: Any, lang: str) -> str:
    names = {} if scenario is None else {i.id: i.name.get(lang) for i in scenario.indicators}
    pairs = values.items() if isinstance(values, Mapping) else values if isinstance(values, list | tuple) else ()
    shown = []
    for pair in pairs:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        indicator_id, value = pair
        number = format_number(value, 1, lang) if isinstance(value, int | float) else _str(value)
        shown.append(f"{names.get(indicator_id, _str(indicator_id))} {number}")
    return ", ".join(shown)


def _by(value: Any, scenario: Scenario | None, lang: str) -> str:
    by = _str(value).strip()
    return text(lang, "describe.by", who=person(by, scenario, lang)) if by else ""


def _record(who: Any, why: Any, scenario: Scenario | None, lang: str) -> str:
    """Who decided and why, as a corrected decision record shows them ("Kari: SMS først")."""
    name = person(_str(who).strip(), scenario, lang) if _str(who).strip() else "–"
    reason = _str(why).strip()
    return f"{name}: «{reason}»" if reason else name


def _levels(value: Any) -> str:
    """A mapper's ratings ("KH-2 S, DA-1 P") from the stored mapping or the event's pairs."""
    pairs = value.items() if isinstance(value, Mapping) else value if isinstance(value, list | tuple) else ()
    shown = []
    for pair in pairs:
        if isinstance(pair, list | tuple) and len(pair) == 2:
            level = getattr(pair[1], "value", pair[1])
            shown.append(f"{_str(pair[0])} {_str(level)}")
    return ", ".join(shown) or "–"


def _suffix(value: Any) -> str:
    value = _str(value).strip()
    return f": {value}" if value else ""


def _describe(kind: str, e: Mapping[str, Any], scenario: Scenario | None, lang: str) -> str:
    t = text
    if kind == "session_started":
        line = t(lang, "describe.session_started", team=_str(e.get("team")) or "-", seed=_str(e.get("seed")),
                 mode=t(lang, f"describe.mode.{e.get('mode')}"))
        return line + (", " + t(lang, "describe.decide_first") if e.get("decide_first") is True else "")
    if kind == "clock_advanced":
        values = _indicator_values(scenario, e.get("values"), lang)
        return t(lang, "describe.clock_advanced", start=_time(e.get("from_minute")),
                 end=_time(e.get("scenario_minutes"))) + (f" ({values})" if values else "")
    if kind == "clock_jumped":
        return t(lang, "describe.clock_jumped", start=_time(e.get("from_minute")),
                 end=_time(e.get("scenario_minutes")), reason=t(lang, f"describe.jump.{e.get('reason')}"))
    if kind == "phase_changed":
        return t(lang, "describe.phase_changed", phase=_phase(scenario, _str(e.get("phase_id")), lang))
    if kind in ("paused", "resumed"):
        return t(lang, f"describe.{kind}")
    if kind == "speed_changed":
        speed = e.get("speed")
        return t(lang, "describe.speed_changed",
                 speed=format_number(speed, 1, lang) if isinstance(speed, int | float) else _str(speed))
    if kind == "mode_changed":
        return t(lang, "describe.mode_changed", mode=t(lang, f"describe.mode.{e.get('mode')}"))
    if kind in ("inject_released", "inject_acknowledged", "inject_done", "inject_skipped"):
        inject = _inject(scenario, _str(e.get("inject_id")), lang)
        line = t(lang, f"describe.{kind}", inject=inject) + _by(e.get("by"), scenario, lang)
        if kind == "inject_released" and e.get("source") not in (None, "schedule"):
            line += " " + t(lang, f"describe.source.{e.get('source')}")
        if kind == "inject_skipped":
            line += _suffix(e.get("reason"))
        return line
    if kind == "inject_presented":
        inject_id = e.get("inject_id")
        if not inject_id:
            return t(lang, "describe.inject_presented_none") + _by(e.get("by"), scenario, lang)
        return t(lang, "describe.inject_presented", inject=_inject(scenario, _str(inject_id), lang)) + _by(
            e.get("by"), scenario, lang)
    if kind == "adhoc_inject_added":
        return t(lang, "describe.adhoc_inject_added", inject=t(
            lang, "describe.named", id=_str(e.get("inject_id")), name=_str(e.get("title")))) + _by(
            e.get("by"), scenario, lang)
    decision_id = _str(e.get("decision_id"))
    if kind == "decision_opened":
        return t(lang, "describe.decision_opened", decision=_decision(scenario, decision_id, lang),
                 deadline=_time(e.get("deadline")))
    if kind in ("decision_made", "decision_revised", "decision_missed"):
        line = t(lang, f"describe.{kind}", decision=_decision(scenario, decision_id, lang),
                 option=_option(scenario, decision_id, _str(e.get("option_id")), lang))
        return line + _by(e.get("decided_by"), scenario, lang) + _suffix(e.get("rationale"))
    if kind == "decision_written":
        return t(lang, "describe.decision_written", decision=_decision(scenario, decision_id, lang),
                 text=_str(e.get("text")).strip()) + _by(e.get("decided_by"), scenario, lang) + _suffix(
            e.get("rationale"))
    if kind == "decision_mapped":
        option_id = _str(e.get("option_id"))
        other = option_id == "annet" and not (scenario is not None and scenario.has_decision(decision_id)
                                              and scenario.decision(decision_id).option(option_id) is not None)
        if other:
            line = t(lang, "describe.decision_mapped_other", decision=_decision(scenario, decision_id, lang),
                     levels=_levels(e.get("levels")))
        else:
            line = t(lang, "describe.decision_mapped", decision=_decision(scenario, decision_id, lang),
                     option=_option(scenario, decision_id, option_id, lang))
            if e.get("applied") is False:
                line += " " + t(lang, "describe.not_applied")
        return line + _by(e.get("by"), scenario, lang) + _suffix(e.get("note"))
    if kind == "decision_record_amended":
        return t(lang, "describe.decision_record_amended", decision=_decision(scenario, decision_id, lang),
                 before=_record(e.get("previous_decided_by"), e.get("previous_rationale"), scenario, lang),
                 after=_record(e.get("decided_by"), e.get("rationale"), scenario, lang)) + _by(e.get("by"), scenario,
                                                                                              lang)
    if kind == "observation_added":
        criteria = e.get("criteria") or ()
        about = f" [{', '.join(_str(c) for c in criteria)}]" if isinstance(criteria, list | tuple) and criteria else ""
        level = f" {_str(e.get('level'))}" if e.get("level") else ""
        why = _suffix(e.get("why")) if e.get("why") else ""
        return t(lang, "describe.observation_added") + _by(e.get("author"), scenario, lang) + about + level + _suffix(
            e.get("text")) + (f" ({why[2:]})" if why else "")
    if kind == "evaluator_added":
        return t(lang, "describe.evaluator_added_lead" if e.get("lead") else "describe.evaluator_added",
                 name=_str(e.get("name")))
    if kind == "task_marked":
        return t(lang, "describe.task_marked", criterion=_str(e.get("criterion_id")), task=_str(e.get("task")),
                 status=t(lang, f"describe.task.{e.get('status')}")) + _by(e.get("by"), scenario, lang) + _suffix(
            e.get("note"))
    if kind == "reasoning_rated":
        return t(lang, "describe.reasoning_rated", decision=_decision(scenario, decision_id, lang),
                 level=_str(e.get("level"))) + _by(e.get("by"), scenario, lang) + _suffix(e.get("note"))
    if kind == "rating_reconciled":
        return t(lang, "describe.rating_reconciled", criterion=_str(e.get("criterion_id")),
                 level=_str(e.get("level"))) + _by(e.get("by"), scenario, lang) + _suffix(e.get("reason"))
    if kind == "criterion_rated":
        return t(lang, "describe.criterion_rated", criterion=_str(e.get("criterion_id")),
                 level=_str(e.get("level"))) + _by(e.get("by"), scenario, lang) + _suffix(e.get("reason"))
    if kind == "hotwash_noted":
        return t(lang, "describe.hotwash_noted", kind=t(lang, f"describe.hotwash.{e.get('entry_kind')}")) + _by(
            e.get("by"), scenario, lang) + _suffix(e.get("text"))
    if kind == "feedback_given":
        answers = e.get("answers")
        return t(lang, "describe.feedback_given", count=len(answers) if isinstance(answers, Mapping) else 0)
    # session_ended
    return t(lang, "describe.session_ended", reason=t(lang, f"describe.end.{e.get('reason')}")) + _suffix(
        e.get("note"))
