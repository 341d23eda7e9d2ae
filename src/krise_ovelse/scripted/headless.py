"""Headless play: run a whole scenario in facilitator-paced mode, scripted by a playthrough.

The runner moves the clock until a decision opens or the next scripted time comes
(`AdvanceToDecision` with a limit); every release, deadline and condition happens at its own
minute on the way. At each stop it plays the scripted decisions that are due (by default the moment a
decision opens) and the facilitator actions whose time has come. Decisions the script leaves
out get their defaults at the deadline, as in a real session.

`RunResult` holds the engine's events and final state: scoring reads those (the CLI adds a
`scoring` section to `to_dict()`'s output once scoring exists) and reports render them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from krise_ovelse.describe import describe
from krise_ovelse.engine.commands import AdvanceToDecision, Command, Decide, Resume
from krise_ovelse.engine.events import (
    AdhocInjectAdded,
    ClockJumped,
    CriterionRated,
    DecisionMade,
    DecisionMapped,
    DecisionMissed,
    DecisionOpened,
    DecisionRevised,
    DecisionWritten,
    EvaluatorAdded,
    Event,
    InjectReleased,
    InjectSkipped,
    ObservationAdded,
    PhaseChanged,
    RatingReconciled,
    ReasoningRated,
    SessionEnded,
    TaskMarked,
)
from krise_ovelse.engine.facade import CommandRefused, Engine, Sink
from krise_ovelse.engine.handlers import AFTER_ENDEX
from krise_ovelse.engine.state import ExerciseState
from krise_ovelse.engine.values import DecisionStatus, Mode
from krise_ovelse.messages import format_number, text
from krise_ovelse.model.problems import Problem, Severity
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.model.timefmt import format_time
from krise_ovelse.scripted.playthrough import Playthrough, ScriptedDecision
from krise_ovelse.startup import collection_paused

#: The wall clock of a headless run unless one is given: fixed, so runs are byte-identical.
HEADLESS_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@attrs.frozen
class RunResult:
    scenario: Scenario
    playthrough: Playthrough | None
    seed: int
    events: tuple[Event, ...]
    state: ExerciseState
    warnings: tuple[Problem, ...]  # scripted steps the engine refused or never reached

    def to_dict(self, language: str | None = None) -> dict[str, Any]:
        """The JSON form: timeline of what happened, decisions, final indicators, warnings."""
        return _result_dict(self, language or self.scenario.language)


def _fixed_clock() -> Callable[[], dt.datetime]:
    def clock() -> dt.datetime:
        return HEADLESS_EPOCH

    return clock


def run_headless(scenario: Scenario, playthrough: Playthrough | None = None, seed: int | None = None,
                 clock: Callable[[], dt.datetime] | None = None, *, sink: Sink | None = None,
                 criteria: frozenset[str] | None = None, tasks: Mapping[str, int] | None = None,
                 decide_first: bool = False) -> RunResult:
    """Play `scenario` from start to end; `seed` overrides the playthrough's (default 0).
    `decide_first` plays it decide-first even if the playthrough does not say so."""
    if seed is None:
        seed = playthrough.seed if playthrough is not None and playthrough.seed is not None else 0
    # a batch of short-lived acyclic objects: the cyclic collector only costs time
    with collection_paused():
        engine = Engine.start(
            scenario,
            team=playthrough.team if playthrough is not None else "headless",
            participants=playthrough.participants if playthrough is not None else (),
            facilitator=playthrough.facilitator if playthrough is not None else "",
            mode=Mode.PACED, seed=seed, clock=clock or _fixed_clock(), sink=sink, criteria=criteria,
            tasks=tasks, decide_first=decide_first or (playthrough is not None and playthrough.decide_first),
        )
        runner = _Runner(engine, playthrough)
        runner.run()
    return RunResult(scenario, playthrough, seed, tuple(engine.events), engine.state, tuple(runner.warnings))


class _Runner:
    def __init__(self, engine: Engine, playthrough: Playthrough | None) -> None:
        self.engine = engine
        self.playthrough = playthrough
        self.file = playthrough.file if playthrough is not None else ""
        self.decisions: dict[str, ScriptedDecision] = (
            {d.decision_id: d for d in playthrough.decisions} if playthrough is not None else {})
        self.actions = list(playthrough.actions) if playthrough is not None else []
        self.ready: list[ScriptedDecision] = []  # scripted decisions that have opened, in order
        self.position = 0
        self.warnings: list[Problem] = []

    def warn(self, line: int, col: int, code: str, message: str) -> None:
        self.warnings.append(Problem(self.file, line, col, code, message, "", Severity.WARNING))

    def send(self, command: Command, line: int, col: int, label: str) -> None:
        try:
            self.note_opened(self.engine.handle(command))
        except CommandRefused as refused:
            when = format_time(self.engine.state.scenario_minutes)
            self.warn(line, col, "W-PLAY-REFUSED", f"{label} at {when} was refused: {refused.reason}")

    def note_opened(self, events: tuple[Event, ...]) -> None:
        """Remember scripted decisions as they open (cheaper than scanning the open ones)."""
        if self.decisions:
            for event in events:
                if type(event) is DecisionOpened and event.decision_id in self.decisions:
                    self.ready.append(self.decisions[event.decision_id])

    def run(self) -> None:
        engine = self.engine
        self.note_opened(tuple(engine.events))  # decisions opened at D+0 by the start
        engine.handle(Resume())
        while True:
            self.play_due()
            if engine.state.ended:
                break
            limit = self.next_scripted()
            if engine.state.paused:  # a pause with no resume: E-PLAY-PAUSE, but never hang
                engine.handle(Resume())
            self.note_opened(engine.handle(AdvanceToDecision(limit)))
        self.evaluate_after_endex()
        self.report_leftovers()

    def evaluate_after_endex(self) -> None:
        """The evaluators' actions still to come (`at: ENDEX`, or timed after play ended): the
        evaluation goes on after the end, so they are played now, in their order."""

        rest = self.actions[self.position:]
        later = [a for a in rest if type(a.command) in AFTER_ENDEX]
        self.actions[self.position:] = [a for a in rest if type(a.command) not in AFTER_ENDEX]
        for action in later:
            self.send(action.command, action.line, action.col, action.label)

    def play_due(self) -> None:
        """Scripted decisions and actions due now, until nothing more is (one may enable another)."""
        engine = self.engine
        progress = True
        while progress and not engine.state.ended:
            progress = False
            minute = engine.state.scenario_minutes
            for scripted in self.ready:
                if scripted.at is None or scripted.at <= minute:
                    self.ready.remove(scripted)
                    del self.decisions[scripted.decision_id]
                    if engine.state.decision(scripted.decision_id).is_open:
                        command = Decide(scripted.decision_id, scripted.option_id, scripted.rationale, scripted.by)
                        self.send(command, scripted.line, scripted.col, f"decision {scripted.decision_id}")
                    else:
                        self.decisions[scripted.decision_id] = scripted  # missed: reported at the end
                    progress = True
                    break
            if not progress and self.position < len(self.actions) and self.actions[self.position].at <= minute:
                action = self.actions[self.position]
                self.position += 1
                self.send(action.command, action.line, action.col, action.label)
                progress = True

    def next_scripted(self) -> int | None:
        """The next minute the script wants to act at, after now."""
        minute = self.engine.state.scenario_minutes
        times = [self.actions[self.position].at] if self.position < len(self.actions) else []
        times.extend(s.at for s in self.ready if s.at is not None)
        later = [t for t in times if t > minute]
        return min(later) if later else None

    def report_leftovers(self) -> None:
        state = self.engine.state
        for scripted in self.decisions.values():
            decision = state.decision(scripted.decision_id)
            if decision.status is DecisionStatus.CLOSED:
                message = f"decision {scripted.decision_id} never opened, so the scripted choice was not used"
            elif decision.status is DecisionStatus.MISSED:
                deadline = format_time(decision.deadline or 0)
                at = format_time(scripted.at) if scripted.at is not None else "its opening"
                message = (f"decision {scripted.decision_id} missed its deadline ({deadline}) before the scripted "
                           f"time {at}; the default was applied")
            else:
                message = f"decision {scripted.decision_id} was still open at the end of play"
            self.warn(scripted.line, scripted.col, "W-PLAY-UNUSED", message)
        for action in self.actions[self.position:]:
            self.warn(action.line, action.col, "W-PLAY-UNUSED",
                      f"{action.label} at {format_time(action.at)} comes after the end of play")


# --- output ------------------------------------------------------------------------------------


#: The events a timeline shows: what happened, without the clock's own bookkeeping.
TIMELINE_KINDS = frozenset({
    "inject_released", "inject_skipped", "adhoc_inject_added", "decision_opened", "decision_made",
    "decision_revised", "decision_missed", "phase_changed", "clock_jumped", "observation_added",
    "criterion_rated", "session_ended", "evaluator_added", "task_marked", "reasoning_rated", "rating_reconciled",
    "decision_written", "decision_mapped",
})


def timeline(result: RunResult, language: str) -> list[dict[str, Any]]:
    """What happened, in order, without the clock's own bookkeeping."""
    scenario = result.scenario
    entries: list[dict[str, Any]] = []
    for event in result.events:
        entry: dict[str, Any] = {"time": format_time(event.scenario_minutes), "minutes": event.scenario_minutes,
                                 "kind": event.kind}
        if isinstance(event, InjectReleased):
            entry |= {"inject": event.inject_id, "title": _inject_title(result, event.inject_id, language),
                      "source": event.source.value}
        elif isinstance(event, InjectSkipped):
            entry |= {"inject": event.inject_id, "reason": event.reason}
        elif isinstance(event, AdhocInjectAdded):
            entry |= {"inject": event.inject_id, "title": event.title}
        elif isinstance(event, DecisionOpened):
            entry |= {"decision": event.decision_id, "deadline": format_time(event.deadline)}
        elif isinstance(event, DecisionMade | DecisionRevised | DecisionMissed):
            option = scenario.decision(event.decision_id).option(event.option_id)
            entry |= {"decision": event.decision_id, "option": event.option_id,
                      "option_text": option.text.get(language) if option else "",
                      "values": dict(event.values)}
            if isinstance(event, DecisionMade | DecisionRevised):
                entry |= {"rationale": event.rationale, "by": event.decided_by, "revision": event.revision}
        elif isinstance(event, PhaseChanged):
            entry |= {"phase": event.phase_id, "title": scenario.phase(event.phase_id).title.get(language)}
        elif isinstance(event, ClockJumped):
            entry |= {"from": format_time(event.from_minute), "reason": event.reason.value}
        elif isinstance(event, ObservationAdded):
            entry |= {"text": event.text, "author": event.author, "criteria": list(event.criteria)}
            if event.level is not None:
                entry |= {"level": event.level.value, "why": event.why}
        elif isinstance(event, CriterionRated | RatingReconciled):
            entry |= {"criterion": event.criterion_id, "level": event.level.value, "reason": event.reason,
                      "by": event.by}
        elif isinstance(event, EvaluatorAdded):
            entry |= {"name": event.name, "lead": event.lead}
        elif isinstance(event, TaskMarked):
            entry |= {"criterion": event.criterion_id, "task": event.task, "status": event.status.value,
                      "by": event.by, "note": event.note, "evidence": event.evidence,
                      "seen": format_time(event.observed_at)}
        elif isinstance(event, ReasoningRated):
            entry |= {"decision": event.decision_id, "level": event.level.value, "by": event.by, "note": event.note}
        elif isinstance(event, DecisionWritten):
            entry |= {"decision": event.decision_id, "text": event.text, "rationale": event.rationale,
                      "by": event.decided_by}
        elif isinstance(event, DecisionMapped):
            entry |= {"decision": event.decision_id, "option": event.option_id, "by": event.by,
                      "levels": {c: level.value for c, level in event.levels}, "note": event.note,
                      "applied": event.applied}
        elif isinstance(event, SessionEnded):
            entry |= {"reason": event.reason.value}
        else:
            continue
        entry["description"] = describe(event, scenario, language)
        entries.append(entry)
    return entries


def _inject_title(result: RunResult, inject_id: str, language: str) -> str:
    if result.scenario.has_inject(inject_id):
        return result.scenario.inject(inject_id).title.get(language)
    return next((a.title for a in result.state.adhoc if a.inject_id == inject_id), "")


def _result_dict(result: RunResult, language: str) -> dict[str, Any]:
    state = result.state
    scenario = result.scenario
    decisions = []
    for decision in scenario.decisions:
        current = state.decision(decision.id)
        records = [r for r in state.decision_history if r.decision_id == decision.id]
        option = decision.option(current.option_id) if current.option_id else None
        written = state.written_decision(decision.id)
        decisions.append({
            "decision": decision.id,
            "title": (decision.title or decision.prompt).get(language),
            "status": current.status.value,
            **({} if written is None else {"written": {
                "text": written.text, "rationale": written.rationale, "by": written.decided_by,
                "time": format_time(written.scenario_minutes), "mapped_option": written.mapped_option,
                "mapped_by": written.mapped_by, "levels": {c: level.value for c, level in written.levels},
                "note": written.note}}),
            "option": current.option_id,
            "option_text": option.text.get(language) if option else None,
            "missed": current.missed,
            "opened_at": None if current.opened_at is None else format_time(current.opened_at),
            "history": [{"time": format_time(r.scenario_minutes), "option": r.option_id, "revision": r.revision,
                         "missed": r.missed, "rationale": r.rationale, "by": r.decided_by,
                         "response_minutes": r.response_minutes} for r in records],
        })
    indicators = {}
    for indicator in scenario.indicators:
        history = [value for _minute, value in state.indicator_history(indicator.id)]
        indicators[indicator.id] = {
            "name": indicator.name.get(language), "initial": indicator.initial, "final": state.indicator(indicator.id),
            "min": min(history), "max": max(history), "visible": indicator.visible,
        }
    released = sum(1 for i in state.injects if i.released)
    return {
        "scenario": {"id": scenario.id, "title": scenario.title.get(language)},
        "team": state.session.team if state.session else "",
        "seed": result.seed,
        "playthrough": result.playthrough.file if result.playthrough else None,
        "ended_at": format_time(state.scenario_minutes),
        "end_reason": state.end_reason,
        "events": len(result.events),
        "injects_released": released,
        "timeline": timeline(result, language),
        "decisions": decisions,
        "indicators": indicators,
        "flags": sorted(state.flags),
        "warnings": [w.to_dict() for w in result.warnings],
    }


def format_timeline(result: RunResult, language: str | None = None) -> str:
    """A plain-text account of the run in `language`: one line per release, decision and phase
    (`describe`), then the indicators at the end and the decision counts."""
    language = language or result.scenario.language
    scenario = result.scenario
    state = result.state
    lines = [text(language, "run.header", title=scenario.title.get(language), id=scenario.id,
                  team=state.session.team if state.session else "", seed=result.seed)]
    for event in result.events:
        if event.kind in TIMELINE_KINDS:
            lines.append(f"{format_time(event.scenario_minutes):>11}  {describe(event, scenario, language)}")
    lines.append("")
    lines.append(text(language, "run.indicators"))
    names = {indicator.id: indicator.name.get(language) or indicator.id for indicator in scenario.indicators}
    width = max((len(name) for name in names.values()), default=0)
    for indicator in scenario.indicators:
        history = [value for _minute, value in state.indicator_history(indicator.id)]
        hidden = "" if indicator.visible else text(language, "run.hidden")
        value = format_number(state.indicator(indicator.id), 1, language)
        span = text(language, "run.indicator_range", initial=format_number(indicator.initial, 1, language),
                    low=format_number(min(history), 1, language), high=format_number(max(history), 1, language))
        lines.append(f"  {names[indicator.id]:<{width}}  {value:>7}  {span}{hidden}")
    missed = sum(1 for r in state.decision_history if r.missed)
    made = sum(1 for r in state.decision_history if not r.missed and r.revision == 0)
    revised = sum(1 for r in state.decision_history if r.revision > 0)
    lines.append(text(language, "run.decisions", made=made, missed=missed, revised=revised))
    if state.decide_first:
        lines.append(text(language, "run.decide_first", written=len(state.written),
                          awaiting=len(state.awaiting_mapping()),
                          other=sum(1 for w in state.written if w.mapped_option == "annet")))
    return "\n".join(lines) + "\n"
