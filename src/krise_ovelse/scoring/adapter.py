"""The one bridge from the engine to scoring: events → `ScoringInput`.

It reads the engine's events in their stable dict form (`engine.events.event_to_dict`, the
form the session store keeps), so it works the same on a live engine's events, on a stored
session and on a `run --json` file, and needs none of the engine's internals. Event objects
are accepted too and converted (the engine is imported only then).

What it takes from each kind:

- `session_started`: the start; every indicator's initial value is its first sample;
- `clock_advanced`: drift — a straight line from the old value at `from_minute` to the new
  value at `scenario_minutes`;
- `decision_made` / `decision_revised` / `decision_missed`: a choice (with rationale, who,
  response time), and the option's effects as a jump in the indicators at that minute;
- `decision_opened`, `inject_released`, `inject_skipped`, `adhoc_inject_added`: the timeline;
- `decision_written` / `decision_mapped` (decide-first mode): the team's own words, counted
  for the deadline when written, and their mapping — to an option (whose `decision_made`
  follows, or, after ENDEX, a choice without effects) or to `annet` with the mapper's levels;
- `decision_record_amended`: a correction of who decided or why on an earlier choice (the
  choice then carries the corrected words; the events keep the original);
- `observation_added`: an observation (context unless it carries a `level`);
- `criterion_rated`: an evaluator's rating (override or confirmation);
- `evaluator_added`, `task_marked`, `reasoning_rated`, `rating_reconciled`: the evaluators,
  their checklist marks, their ratings of the team's reasoning, the lead's reconciliations;
- `session_ended`: the end of play.

Unknown kinds are ignored, so newer engines with more event kinds still score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from krise_ovelse.model.scenario import Scenario
from krise_ovelse.scoring.inputs import (
    Choice,
    DecisionRecord,
    InjectRecord,
    Observation,
    Override,
    ReasoningRating,
    Sample,
    ScoringInput,
    TaskMark,
    Written,
    input_to_dict,
)
from krise_ovelse.scoring.levels import parse_level
from krise_ovelse.scoring.ratings import ScoringResult, score
from krise_ovelse.scoring.serialize import result_to_dict

CHOICE_KINDS = frozenset({"decision_made", "decision_revised", "decision_missed"})


def event_dict(event: Any) -> Mapping[str, Any]:
    """An event as its stable dict (a dict passes through; an engine Event is converted)."""
    if isinstance(event, Mapping):
        return event
    from krise_ovelse.engine.events import event_to_dict

    return event_to_dict(event)


class _Fields(Mapping[str, Any]):
    """An engine Event read like its dict form, without converting it (fast on long sessions)."""

    __slots__ = ("_event",)

    def __init__(self, event: Any) -> None:
        self._event = event

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self._event, key)
        except AttributeError:
            raise KeyError(key) from None

    def get(self, key: str, default: Any = None) -> Any:
        """As Mapping.get, without its exception round trip (this is the hot path)."""
        return getattr(self._event, key, default)

    def __iter__(self) -> Any:
        return iter(())

    def __len__(self) -> int:
        return 0


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _values(data: Mapping[str, Any]) -> dict[str, float]:
    raw = data.get("values") or {}
    if type(raw) is tuple:  # pairs, as the event objects hold them (the common, fast case)
        return {str(k): float(v) for k, v in raw}
    if isinstance(raw, Mapping):
        return {str(k): float(v) for k, v in raw.items()}
    return {str(k): float(v) for k, v in raw}  # pairs, as the event objects hold them


def role_label(role: str, scenario: Scenario | None = None, lang: str = "nb") -> str:
    """A role as a reader says it: a role id of the scenario (`direktor`) as the role's name in
    `lang` (`Direktør`); anything else (a free-text role, or no scenario) as given."""
    role = role.strip()
    if scenario is not None and role:
        found = next((r for r in scenario.roles if r.id == role), None)
        if found is not None:
            return found.name.get(lang)
    return role


def participant_label(name: str, role: str = "", scenario: Scenario | None = None, lang: str = "nb") -> str:
    """A participant as "name (role)", the one form the console's export, the stored record and
    the CLI report all use. With a scenario the role id becomes the role's name in `lang`;
    without one (the language-neutral scoring record) the id is kept."""
    name = name.strip()
    shown = role_label(role, scenario, lang)
    return f"{name} ({shown})" if shown else name


_LABELLED = re.compile(r"^(?P<name>.*?) \((?P<role>[^()]*)\)$")


def localise_participant(text: str, scenario: Scenario, lang: str) -> str:
    """A participant label as recorded ("Kari Nordmann (direktor)") with the role id shown as
    the role's name in `lang`; a label whose role is already a name (or not a role) as given."""
    match = _LABELLED.match(text.strip())
    if match is None:
        return text.strip()
    return participant_label(match["name"], match["role"], scenario, lang)


def _participant(value: Any) -> str:
    """A participant as "name (role id)" (dicts from the JSON form, objects from the engine)."""
    if isinstance(value, Mapping):
        name, role = str(value.get("name") or ""), str(value.get("role") or "")
    elif isinstance(value, str):
        return value
    else:
        name, role = str(getattr(value, "name", "")), str(getattr(value, "role", ""))
    return participant_label(name, role)


def _adhoc_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """What the report needs of an inject written during play (`adhoc_inject_added`)."""
    channel = data.get("channel") or ""
    return {"adhoc": True, "title": str(data.get("title") or ""), "sender": str(data.get("sender") or ""),
            "channel": str(getattr(channel, "value", channel)), "body": str(data.get("body") or "")}


class _History:
    def __init__(self, scenario: Scenario) -> None:
        self.samples: dict[str, list[Sample]] = {i.id: [] for i in scenario.indicators}
        self.initial = {i.id: float(i.initial) for i in scenario.indicators}

    def start(self, minutes: float, seq: int | None) -> None:
        for indicator, value in self.initial.items():
            if not self.samples[indicator]:
                self.samples[indicator].append(Sample(minutes, value, seq))

    def current(self, indicator: str) -> Sample | None:
        samples = self.samples.get(indicator)
        return samples[-1] if samples else None

    def move(self, indicator: str, since: float, minutes: float, value: float, seq: int | None) -> None:
        """The value went from what it was (held until `since`) to `value` at `minutes`."""
        samples = self.samples.setdefault(indicator, [])
        last = samples[-1] if samples else Sample(since, self.initial.get(indicator, value), None)
        if not samples:
            samples.append(last)
        if since > last.minutes:
            samples.append(Sample(since, last.value, None))
        samples.append(Sample(minutes, value, seq))


def scoring_input_from_events(scenario: Scenario, events: Iterable[Any]) -> ScoringInput:
    """Build the scoring record of a session from its events (dicts or engine Events), in seq order."""
    history = _History(scenario)
    decisions: dict[str, dict[str, Any]] = {}
    injects: list[InjectRecord] = []
    adhoc: dict[str, dict[str, Any]] = {}
    observations: list[Observation] = []
    overrides: list[Override] = []
    evaluators: list[tuple[str, bool]] = []
    marks: list[TaskMark] = []
    reasoning: list[ReasoningRating] = []
    reconciliations: list[Override] = []
    session: dict[str, Any] = {}
    start: float | None = None
    last_minutes: float | None = None
    end: float | None = None
    ended = False

    for raw in events:
        data: Mapping[str, Any]
        if type(raw) is dict or isinstance(raw, Mapping):
            data = raw
            kind = data.get("kind")
        else:  # an engine Event: a dict class (not slotted), so its fields are a plain dict
            fields = getattr(raw, "__dict__", None)
            data = fields if type(fields) is dict else _Fields(raw)
            kind = raw.kind
        seq = data.get("seq")
        minutes = _float(data.get("scenario_minutes"))
        seconds = _float(data.get("exercise_seconds"))
        if minutes is not None:
            last_minutes = minutes
        if kind == "session_started":
            session = {"team": str(data.get("team") or ""), "facilitator": str(data.get("facilitator") or ""),
                       "participants": tuple(_participant(p) for p in data.get("participants") or ()),
                       "started": str(data.get("wall") or "")}
        if kind == "session_started" or (start is None and minutes is not None):
            start = minutes if minutes is not None else 0.0
            history.start(start, seq if kind == "session_started" else None)
        if kind == "clock_advanced":
            since = _float(data.get("from_minute"))
            for indicator, value in _values(data).items():
                history.move(indicator, since if since is not None else (minutes or 0.0), minutes or 0.0, value, seq)
        elif kind in CHOICE_KINDS:
            for indicator, value in _values(data).items():
                history.move(indicator, minutes or 0.0, minutes or 0.0, value, seq)
            decision_id = str(data.get("decision_id"))
            entry = decisions.setdefault(decision_id, {"opened": None, "choices": []})
            missed = kind == "decision_missed"
            entry["choices"].append(Choice(
                option=str(data.get("option_id")), seq=seq, minutes=minutes, seconds=seconds, missed=missed,
                rationale=str(data.get("rationale") or ""), decided_by=str(data.get("decided_by") or ""),
                response_minutes=None if missed else _float(data.get("response_minutes")),
                response_seconds=None if missed else _float(data.get("response_seconds"))))
        elif kind == "decision_written":
            entry = decisions.setdefault(str(data.get("decision_id")), {"opened": None, "choices": []})
            entry["written"] = Written(
                text=str(data.get("text") or ""), rationale=str(data.get("rationale") or ""),
                decided_by=str(data.get("decided_by") or ""), seq=seq, minutes=minutes, seconds=seconds,
                response_minutes=_float(data.get("response_minutes")),
                response_seconds=_float(data.get("response_seconds")))
        elif kind == "decision_mapped":
            decision_id = str(data.get("decision_id"))
            entry = decisions.setdefault(decision_id, {"opened": None, "choices": []})
            written = entry.get("written") or Written(text="")
            option = str(data.get("option_id"))
            levels = data.get("levels") or ()
            written = attrs.evolve(
                written, mapped_option=option, mapped_by=str(data.get("by") or ""), mapped_seq=seq,
                mapped_minutes=minutes, note=str(data.get("note") or ""), applied=bool(data.get("applied")),
                levels=levels.items() if isinstance(levels, Mapping) else levels)
            entry["written"] = written
            is_option = scenario.has_decision(decision_id) and scenario.decision(decision_id).option(option) is not None
            if is_option and not written.applied:  # mapped after ENDEX: the choice counts, nothing moved
                entry["choices"].append(Choice(
                    option=option, seq=seq, minutes=minutes, seconds=seconds, rationale=written.rationale,
                    decided_by=written.decided_by, response_minutes=written.response_minutes,
                    response_seconds=written.response_seconds))
        elif kind == "decision_record_amended":
            amended = decisions.get(str(data.get("decision_id")))
            choices = amended["choices"] if amended else []
            for position, choice in enumerate(choices):
                if choice.seq == data.get("record_seq"):
                    choices[position] = attrs.evolve(choice, rationale=str(data.get("rationale") or ""),
                                                     decided_by=str(data.get("decided_by") or ""))
        elif kind == "decision_opened":
            entry = decisions.setdefault(str(data.get("decision_id")), {"opened": None, "choices": []})
            entry["opened"] = (seq, minutes, seconds, _float(data.get("deadline")))
        elif kind == "inject_released":
            injects.append(InjectRecord(inject=str(data.get("inject_id")), seq=seq, minutes=minutes,
                                        seconds=seconds, by=str(data.get("by") or "")))
        elif kind == "inject_skipped":
            injects.append(InjectRecord(inject=str(data.get("inject_id")), seq=seq, minutes=minutes,
                                        seconds=seconds, skipped=True, reason=str(data.get("reason") or ""),
                                        by=str(data.get("by") or "")))
        elif kind == "adhoc_inject_added":
            adhoc[str(data.get("inject_id"))] = _adhoc_fields(data)
        elif kind == "observation_added":
            level = data.get("level")
            observations.append(Observation(
                text=str(data.get("text") or ""), criteria=tuple(str(c) for c in data.get("criteria") or ()),
                level=parse_level(level) if level else None, author=str(data.get("author") or ""), seq=seq,
                minutes=minutes, inject=data.get("inject_id"), decision=data.get("decision_id"),
                why=str(data.get("why") or "")))
        elif kind == "criterion_rated":
            overrides.append(Override(
                criterion=str(data.get("criterion_id")), level=parse_level(data.get("level")),
                reason=str(data.get("reason") or ""), by=str(data.get("by") or ""), seq=seq, minutes=minutes))
        elif kind == "evaluator_added":
            evaluators.append((str(data.get("name") or ""), bool(data.get("lead"))))
        elif kind == "task_marked":
            marks.append(TaskMark(
                criterion=str(data.get("criterion_id")), task=int(data.get("task") or 0), status=data.get("status"),
                by=str(data.get("by") or ""), note=str(data.get("note") or ""),
                evidence=str(data.get("evidence") or ""), seen_minutes=_float(data.get("observed_at")), seq=seq,
                minutes=minutes))
        elif kind == "reasoning_rated":
            reasoning.append(ReasoningRating(
                decision=str(data.get("decision_id")), level=parse_level(data.get("level")),
                by=str(data.get("by") or ""), note=str(data.get("note") or ""),
                criteria=tuple(str(c) for c in data.get("criteria") or ()), seq=seq, minutes=minutes))
        elif kind == "rating_reconciled":
            reconciliations.append(Override(
                criterion=str(data.get("criterion_id")), level=parse_level(data.get("level")),
                reason=str(data.get("reason") or ""), by=str(data.get("by") or ""), seq=seq, minutes=minutes))
        elif kind == "session_ended":
            ended = True
            end = minutes

    records = []
    for decision_id, entry in decisions.items():
        opened = entry["opened"] or (None, None, None, None)
        records.append(DecisionRecord(
            decision=decision_id, opened_seq=opened[0], opened_minutes=opened[1], opened_seconds=opened[2],
            deadline_minutes=opened[3], choices=tuple(entry["choices"]), written=entry.get("written")))
    records.sort(key=lambda d: (d.opened_minutes or 0.0, d.opened_seq or 0))
    if adhoc:
        injects = [attrs.evolve(i, **adhoc[i.inject]) if i.inject in adhoc else i for i in injects]
    return ScoringInput(
        decisions=tuple(records),
        history={k: tuple(v) for k, v in history.samples.items()},
        observations=tuple(observations), overrides=tuple(overrides), injects=tuple(injects),
        evaluators=tuple(evaluators), task_marks=tuple(marks), reasoning=tuple(reasoning),
        reconciliations=tuple(reconciliations),
        start_minutes=start or 0.0, end_minutes=end if end is not None else last_minutes, ended=ended,
        **session)


def scoring_input(scenario: Scenario, source: Any) -> ScoringInput:
    """The record of a session from an `Engine` (its events) or a sequence of events.

    Always from the events: they hold what a state forgets (the sequence numbers of openings,
    indicator changes and releases, the wall-clock start, and how an indicator held its value
    across a jump in time), so the console, the store and the report rate a session alike.
    """
    events = getattr(source, "events", None)
    if events is not None and not callable(events):
        return scoring_input_from_events(scenario, events)
    return scoring_input_from_events(scenario, source)


def score_events(scenario: Scenario, events: Iterable[Any]) -> ScoringResult:
    """Rate a session from its events: `score(scenario, scoring_input_from_events(...))`."""
    return score(scenario, scoring_input_from_events(scenario, events))


def run_json_sections(scenario: Scenario, events: Iterable[Any]) -> dict[str, Any]:
    """What `run --json` adds to its output: `scoring` (the ratings, `result_to_dict`) and
    `scoring_input` (the record they were made from, `input_to_dict`), which is everything
    `krise-ovelse report SCENARIO --from-run FILE` needs besides the scenario."""
    record = scoring_input_from_events(scenario, events)
    return {"scoring": result_to_dict(score(scenario, record)), "scoring_input": input_to_dict(record)}
