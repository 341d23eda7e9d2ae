"""Playthrough files: a scripted team (and facilitator) for headless runs and CI.

    scenario: pandemi-2020
    team: Ledergruppen
    participants: [{name: Kari, role: HR-direktør}, Ola]
    seed: 42
    decisions:
      d01: {option: a, rationale: "Daglig status", at: "D+1 10:00", by: HR-direktør}
      d02: b                                  # short form: decide at once when opened
    actions:
      - {at: "D+2 09:00", release: i14}
      - {at: "D+3", skip: i07, reason: "Tatt i møtet"}
      - {at: "D+4 12:00", pause: true}
      - {at: "D+4 12:00", resume: true}
      - {at: "D+5", note: {text: "God involvering", criteria: [KH-2], inject: i14}}
      - {at: "D+6", adhoc: {title: "VG ringer", body: "…", channel: phone, from: VG}}
      - {at: "D+7", revise: {decision: d01, option: b, rationale: "Vi snur"}}
      - {at: "D+9", end: "Tiden er ute"}
      # the evaluators (docs/scoring.md): during play, or `at: ENDEX` for after the end
      - {at: "D+0", evaluator: {name: Eva, lead: true}}
      - {at: "D+5", mark: {criterion: KH-2, task: 1, status: observed, by: Eva, note: "…", evidence: "d01"}}
      - {at: "D+5", note: {text: "Daglig status", criteria: [KH-2], level: P, why: "…", author: Eva}}
      - {at: ENDEX, reasoning: {decision: d01, level: S, by: Eva, note: "Tynn begrunnelse"}}
      - {at: ENDEX, rate: {criterion: KH-2, level: S, reason: "…", by: Eva}}
      - {at: ENDEX, reconcile: {criterion: KH-2, level: S, reason: "Enige etter samtale", by: Eva}}

Decide first, see the options after (`decide_first: true` at the top; no `decisions:` then):

      - {at: "D+1 10:00", write: {decision: d01, text: "Daglig status til alle", rationale: "…", by: hr}}
      - {at: "D+1 11:00", map: {decision: d01, option: a, by: Eva}}
      - {at: ENDEX, map: {decision: d02, option: annet, levels: {KH-2: S}, by: Eva, note: "…"}}

Loaded like a scenario: safe YAML with positions (`authoring.yamlio`), every problem reported
as `file:line:col: CODE message (hint)`, references checked against the scenario.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from krise_ovelse.authoring.suggest import suggestions
from krise_ovelse.authoring.yamlio import Document, PathStep, key_node_at, load_file, parse, type_name
from krise_ovelse.engine.commands import (
    AddAdhocInject,
    AddEvaluator,
    AddObservation,
    Command,
    EndExercise,
    MapDecision,
    MarkTask,
    Pause,
    RateCriterion,
    RateReasoning,
    ReconcileRating,
    ReleaseInject,
    Resume,
    ReviseDecision,
    SkipInject,
    WriteDecision,
)
from krise_ovelse.engine.values import OTHER_OPTION, Participant, TaskStatus
from krise_ovelse.model.errors import FieldFormatError
from krise_ovelse.model.problems import Problem
from krise_ovelse.model.scenario import Channel, Level, Scenario
from krise_ovelse.model.timefmt import TIME_HINT, format_time, parse_time

TOP_KEYS = ("scenario", "team", "participants", "facilitator", "seed", "decide_first", "decisions", "actions")
DECISION_KEYS = ("option", "rationale", "at", "by")
EVALUATOR_KINDS = ("evaluator", "mark", "reasoning", "rate", "reconcile", "map")
#: Decide-first mode: the team writes its decision, a facilitator or evaluator maps it.
DECIDE_FIRST_KINDS = ("write", "map")
ACTION_KINDS = ("release", "skip", "pause", "resume", "note", "adhoc", "revise", "end", "write", *EVALUATOR_KINDS)
ACTION_KEYS = ("at", "by", "reason", *ACTION_KINDS)
NOTE_KEYS = ("text", "author", "criteria", "inject", "decision", "level", "why")
EVALUATOR_KEYS = ("name", "lead")
MARK_KEYS = ("criterion", "task", "status", "by", "note", "evidence", "seen")
REASONING_KEYS = ("decision", "level", "by", "note", "criteria")
RATE_KEYS = ("criterion", "level", "reason", "by")
WRITE_KEYS = ("decision", "text", "rationale", "by")
MAP_KEYS = ("decision", "option", "by", "levels", "note")
#: Longest decision a team writes in its own words (as the engine's limit).
WRITE_LIMIT = 2000
#: `at: ENDEX`: an evaluator's action after the end of play (scripted after everything else).
AFTER_ENDEX = 10**9
TASK_STATUS = {"observed": TaskStatus.OBSERVED, "partly": TaskStatus.PARTLY,
               "not_observed": TaskStatus.NOT_OBSERVED, "not observed": TaskStatus.NOT_OBSERVED,
               "not_applicable": TaskStatus.NOT_APPLICABLE, "not applicable": TaskStatus.NOT_APPLICABLE,
               "n/a": TaskStatus.NOT_APPLICABLE}
ADHOC_KEYS = ("title", "body", "channel", "from", "to")
REVISE_KEYS = ("decision", "option", "rationale", "by")
HINT = "see the playthrough format in docs/engine.md"


@attrs.frozen
class ScriptedDecision:
    """The team's choice at a decision; `at` None means as soon as it opens."""

    decision_id: str
    option_id: str
    rationale: str
    by: str
    at: int | None
    line: int
    col: int


@attrs.frozen
class ScriptedAction:
    """A facilitator action at scenario minute `at`, as the command the runner will send."""

    at: int
    command: Command
    label: str  # e.g. "release i14", for messages
    line: int
    col: int


@attrs.frozen
class Playthrough:
    file: str
    scenario_id: str
    team: str
    participants: tuple[Participant, ...] = ()
    facilitator: str = ""
    seed: int | None = None
    decisions: tuple[ScriptedDecision, ...] = ()
    actions: tuple[ScriptedAction, ...] = ()  # in time order (stable for equal times)
    #: Decide first, see the options after: the decisions are `write` and `map` actions.
    decide_first: bool = False


@attrs.frozen
class PlaythroughResult:
    playthrough: Playthrough | None
    problems: tuple[Problem, ...]


def load_playthrough(path: str | Path, scenario: Scenario) -> PlaythroughResult:
    doc, problems = load_file(Path(path))
    if doc is None:
        return PlaythroughResult(None, tuple(problems))
    return _Reader(doc, scenario).read()


def load_playthrough_text(text: str, scenario: Scenario, name: str = "<playthrough>") -> PlaythroughResult:
    doc, problems = parse(text, name)
    if doc is None:
        return PlaythroughResult(None, tuple(problems))
    return _Reader(doc, scenario).read()


class _Reader:
    def __init__(self, doc: Document, scenario: Scenario) -> None:
        self.doc = doc
        self.scenario = scenario
        self.problems: list[Problem] = []

    def problem(self, path: tuple[PathStep, ...], code: str, message: str, hint: str = "", **kw: Any) -> None:
        self.problems.append(self.doc.problem(path, code, message, hint, **kw))

    def position(self, path: tuple[PathStep, ...], *, key: bool = False) -> tuple[int, int]:
        mark = (key_node_at(self.doc.root, path) if key else self.doc.node(path)).start_mark
        return mark.line + 1, mark.column + 1

    # --- typed values ------------------------------------------------------------------------

    def mapping(self, value: Any, path: tuple[PathStep, ...], allowed: Iterable[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(path, "E-TYPE", f"expected a mapping, found {type_name(value)}", HINT)
            return None
        allowed = tuple(allowed)
        for key in value:
            if key not in allowed:
                close = suggestions(str(key), allowed)
                hint = f"did you mean {close[0]!r}?" if close else "allowed keys: " + ", ".join(allowed)
                self.problem((*path, key), "E-KEY-UNKNOWN", f"unknown key {key!r}", hint, key=True)
        return value

    def text(self, data: dict[str, Any], key: str, path: tuple[PathStep, ...], *, required: bool = False) -> str:
        if key not in data:
            if required:
                self.problem(path, "E-KEY-MISSING", f"missing required key {key!r}", HINT)
            return ""
        value = data[key]
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.problem((*path, key), "E-TYPE", f"expected text, found {type_name(value)}")
            return ""
        if required and not value.strip():
            self.problem((*path, key), "E-VALUE", f"{key!r} must not be empty")
        return value

    def time(self, data: dict[str, Any], key: str, path: tuple[PathStep, ...]) -> int | None:
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, str):
            self.problem((*path, key), "E-TIME", f"expected a scenario time, found {type_name(value)}", TIME_HINT)
            return None
        try:
            minutes = parse_time(value).minutes
        except FieldFormatError as exc:
            self.problem((*path, key), exc.code, exc.message, exc.hint, offset=exc.offset)
            return None
        if minutes > self.scenario.ends.minutes:
            self.problem((*path, key), "E-TIME-RANGE",
                         f"{format_time(minutes)} is after the end of play ({self.scenario.ends})")
        return minutes

    def ref(self, value: Any, path: tuple[PathStep, ...], what: str, known: Iterable[str], *,
            key: bool = False) -> str | None:
        known = list(known)
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.problem(path, "E-TYPE", f"expected the id of a {what}, found {type_name(value)}")
            return None
        ident = str(value)
        if ident in known:
            return ident
        close = suggestions(ident, known)
        hint = f"did you mean {close[0]!r}?" if close else (
            f"known: {', '.join(known[:8])}{' …' if len(known) > 8 else ''}" if known else f"no {what}s defined")
        self.problem(path, f"E-REF-{what.upper()}", f"no {what} with id {ident!r}", hint, key=key)
        return None

    def option(self, decision_id: str, value: Any, path: tuple[PathStep, ...]) -> str | None:
        options = [o.id for o in self.scenario.decision(decision_id).options]
        return self.ref(value, path, "option", options)

    # --- the file ------------------------------------------------------------------------------

    def read(self) -> PlaythroughResult:
        data = self.mapping(self.doc.data, (), TOP_KEYS)
        if data is None:
            return PlaythroughResult(None, tuple(self.problems))
        scenario_id = self.text(data, "scenario", (), required=True)
        if scenario_id and scenario_id != self.scenario.id:
            self.problem(("scenario",), "E-PLAY-SCENARIO",
                         f"this playthrough is for scenario {scenario_id!r}, not {self.scenario.id!r}",
                         "run it with the scenario it was written for")
        team = self.text(data, "team", (), required=True)
        facilitator = self.text(data, "facilitator", ())
        seed = data.get("seed")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            self.problem(("seed",), "E-TYPE", f"expected a whole number, found {type_name(seed)}")
            seed = None
        decide_first = data.get("decide_first", False)
        if not isinstance(decide_first, bool):
            self.problem(("decide_first",), "E-TYPE", f"expected true or false, found {type_name(decide_first)}",
                         "decide_first: true plays the exercise decide-first")
            decide_first = False
        participants = self.participants(data.get("participants", []))
        decisions = self.decisions(data.get("decisions", {}))
        actions = self.actions(data.get("actions", []))
        self.check_mode(data, decide_first, actions)
        if self.problems:
            return PlaythroughResult(None, tuple(sorted(self.problems)))
        playthrough = Playthrough(self.doc.file, scenario_id, team, participants, facilitator, seed,
                                  decisions, tuple(sorted(actions, key=lambda a: a.at)), decide_first)
        return PlaythroughResult(playthrough, ())

    def participants(self, value: Any) -> tuple[Participant, ...]:
        if not isinstance(value, list):
            self.problem(("participants",), "E-TYPE", f"expected a list, found {type_name(value)}",
                         "a list of names or of {name, role}")
            return ()
        found = []
        for index, item in enumerate(value):
            path: tuple[PathStep, ...] = ("participants", index)
            if isinstance(item, str):
                found.append(Participant(item))
                continue
            entry = self.mapping(item, path, ("name", "role"))
            if entry is not None:
                found.append(Participant(self.text(entry, "name", path, required=True), self.text(entry, "role", path)))
        return tuple(found)

    def decisions(self, value: Any) -> tuple[ScriptedDecision, ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.problem(("decisions",), "E-TYPE", f"expected a mapping, found {type_name(value)}",
                         "decision id: option, or decision id: {option, rationale, at, by}")
            return ()
        found = []
        for raw_id, entry in value.items():
            path: tuple[PathStep, ...] = ("decisions", raw_id)
            decision_id = self.ref(raw_id, path, "decision", (d.id for d in self.scenario.decisions), key=True)
            line, col = self.position(path, key=True)
            if isinstance(entry, str | int) and not isinstance(entry, bool):
                if decision_id is not None and self.option(decision_id, entry, path):
                    found.append(ScriptedDecision(decision_id, str(entry), "", "", None, line, col))
                continue
            data = self.mapping(entry, path, DECISION_KEYS)
            if data is None:
                continue
            if "option" not in data:
                self.problem(path, "E-KEY-MISSING", "missing required key 'option'", HINT)
                continue
            option_id = self.option(decision_id, data["option"], (*path, "option")) if decision_id else None
            rationale = self.text(data, "rationale", path)
            by = self.text(data, "by", path)
            at = self.time(data, "at", path)
            if decision_id is not None and option_id is not None:
                found.append(ScriptedDecision(decision_id, option_id, rationale, by, at, line, col))
        return tuple(found)

    def actions(self, value: Any) -> list[ScriptedAction]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(("actions",), "E-TYPE", f"expected a list, found {type_name(value)}",
                         "a list of {at: …, release: i14} and the like")
            return []
        found: list[ScriptedAction] = []
        for index, entry in enumerate(value):
            path: tuple[PathStep, ...] = ("actions", index)
            data = self.mapping(entry, path, ACTION_KEYS)
            if data is None:
                continue
            kinds = [k for k in ACTION_KINDS if k in data]
            if len(kinds) != 1:
                found_kinds = ", ".join(kinds) if kinds else "none"
                self.problem(path, "E-PLAY-ACTION", f"an action needs exactly one of {', '.join(ACTION_KINDS)}; "
                             f"found {found_kinds}", "write one action per list item")
                continue
            if "at" not in data:
                self.problem(path, "E-KEY-MISSING", "missing required key 'at'", "when it happens, e.g. D+2 09:00")
                continue
            at = self.action_time(data, path, kinds[0])
            command = self.command(kinds[0], data, path)
            if at is not None and command is not None:
                line, col = self.position(path)
                found.append(ScriptedAction(at, command[0], command[1], line, col))
        self.check_pauses(found)
        return found

    def command(self, kind: str, data: dict[str, Any], path: tuple[PathStep, ...]) -> tuple[Command, str] | None:
        by = self.text(data, "by", path)
        value = data[kind]
        inner: tuple[PathStep, ...] = (*path, kind)
        if kind in ("release", "skip"):
            inject_id = self.ref(value, inner, "inject", (i.id for i in self.scenario.injects))
            if kind == "release":
                return (ReleaseInject(inject_id, by), f"release {inject_id}") if inject_id else None
            reason = self.text(data, "reason", path, required=True)
            return (SkipInject(inject_id, reason, by), f"skip {inject_id}") if inject_id and reason.strip() else None
        if kind in ("pause", "resume"):
            if value not in (True, None):
                self.problem(inner, "E-TYPE", f"write `{kind}: true`, not {type_name(value)}")
                return None
            return (Pause(), "pause") if kind == "pause" else (Resume(), "resume")
        if kind == "end":
            if value is not None and value is not True and not isinstance(value, str):
                self.problem(inner, "E-TYPE", f"write `end: true` or `end: <note>`, not {type_name(value)}")
                return None
            return EndExercise(value if isinstance(value, str) else ""), "end"
        if kind == "note":
            return self.note(value, inner, by)
        if kind == "adhoc":
            return self.adhoc(value, inner, by)
        if kind == "write":
            return self.write(value, inner, by)
        if kind == "map":
            return self.map(value, inner, by)
        if kind in EVALUATOR_KINDS:
            return self.evaluation(kind, value, inner, by)
        return self.revise(value, inner, by)

    def action_time(self, data: dict[str, Any], path: tuple[PathStep, ...], kind: str) -> int | None:
        """A scenario time, or `ENDEX` for an evaluator's action after the end of play."""
        value = data.get("at")
        if isinstance(value, str) and value.strip().upper() == "ENDEX":
            if kind in EVALUATOR_KINDS or (kind == "note" and isinstance(data.get("note"), dict)):
                return AFTER_ENDEX
            self.problem((*path, "at"), "E-TIME", "only the evaluators act at ENDEX (after the end of play)",
                         "give a scenario time, e.g. D+2 09:00")
            return None
        return self.time(data, "at", path)

    # --- the evaluators ------------------------------------------------------------------------

    def level(self, data: dict[str, Any], key: str, path: tuple[PathStep, ...], *, rated_only: bool = False,
              required: bool = True) -> Level | None:
        if key not in data:
            if required:
                self.problem(path, "E-KEY-MISSING", f"missing required key {key!r}", "a level: P, S, M or U")
            return None
        raw = data[key]
        codes = {"P": Level.P, "S": Level.S, "M": Level.M, "U": Level.U}
        if not rated_only:
            codes |= {"N/O": Level.NO, "N-O": Level.NO, "NO": Level.NO}
        found = codes.get(raw.strip().upper()) if isinstance(raw, str) else None
        if found is None:
            allowed = "P, S, M, U" if rated_only else "P, S, M, U, N/O"
            self.problem((*path, key), "E-LEVEL", f"{raw!r:.40} is not a level", f"one of {allowed}")
        return found

    def criterion(self, data: dict[str, Any], key: str, path: tuple[PathStep, ...]) -> str | None:
        from krise_ovelse.catalogue import known_criteria

        if key not in data:
            self.problem(path, "E-KEY-MISSING", f"missing required key {key!r}", "a criterion id, e.g. KH-2")
            return None
        return self.ref(data[key], (*path, key), "criterion", sorted(known_criteria(self.scenario)))

    def evaluation(self, kind: str, value: Any, path: tuple[PathStep, ...], by: str) -> tuple[Command, str] | None:
        if kind == "evaluator":
            data = {"name": value} if isinstance(value, str) else self.mapping(value, path, EVALUATOR_KEYS)
            if data is None:
                return None
            name = self.text(data, "name", path, required=True)
            lead = data.get("lead", False)
            if not isinstance(lead, bool):
                self.problem((*path, "lead"), "E-TYPE", f"expected true or false, found {type_name(lead)}")
                return None
            return (AddEvaluator(name.strip(), lead), f"evaluator {name.strip()!r}") if name.strip() else None
        keys = {"mark": MARK_KEYS, "reasoning": REASONING_KEYS}.get(kind, RATE_KEYS)
        data = self.mapping(value, path, keys)
        if data is None:
            return None
        who = self.text(data, "by", path, required=True) or by
        if kind == "mark":
            return self.mark(data, path, who)
        if kind == "reasoning":
            decision_id = None
            if "decision" not in data:
                self.problem(path, "E-KEY-MISSING", "missing required key 'decision'", HINT)
            else:
                decision_id = self.ref(data["decision"], (*path, "decision"), "decision",
                                       (d.id for d in self.scenario.decisions))
            level = self.level(data, "level", path, rated_only=True)
            criteria = self.criteria_list(data, path)
            if decision_id is None or level is None or criteria is None or not who.strip():
                return None
            return (RateReasoning(decision_id, level, who, self.text(data, "note", path), tuple(criteria)),
                    f"reasoning {decision_id}")
        criterion = self.criterion(data, "criterion", path)
        level = self.level(data, "level", path)
        reason = self.text(data, "reason", path, required=kind == "reconcile")
        if criterion is None or level is None or not who.strip() or (kind == "reconcile" and not reason.strip()):
            return None
        if kind == "rate":
            return RateCriterion(criterion, level, reason, who), f"rate {criterion}"
        return ReconcileRating(criterion, level, reason, who), f"reconcile {criterion}"

    def criteria_list(self, data: dict[str, Any], path: tuple[PathStep, ...]) -> list[str] | None:
        from krise_ovelse.catalogue import known_criteria

        criteria = data.get("criteria", [])
        if isinstance(criteria, str):
            criteria = [criteria]
        if not isinstance(criteria, list):
            self.problem((*path, "criteria"), "E-TYPE", f"expected a list, found {type_name(criteria)}")
            return None
        known = sorted(known_criteria(self.scenario))
        ids = [self.ref(c, (*path, "criteria", i), "criterion", known) for i, c in enumerate(criteria)]
        return None if None in ids else [i for i in ids if i]

    def mark(self, data: dict[str, Any], path: tuple[PathStep, ...], who: str) -> tuple[Command, str] | None:
        from krise_ovelse.catalogue import load_catalogue

        criterion = self.criterion(data, "criterion", path)
        task = data.get("task")
        if "task" not in data:
            self.problem(path, "E-KEY-MISSING", "missing required key 'task'", "the task's number, e.g. 1 or KH-2.1")
            return None
        if isinstance(task, str) and criterion and task.startswith(f"{criterion}."):
            task = task[len(criterion) + 1:]
            task = int(task) if task.isdigit() else task
        if not isinstance(task, int) or isinstance(task, bool):
            self.problem((*path, "task"), "E-TASK", f"{task!r:.40} is not a task number", "e.g. 1 or KH-2.1")
            return None
        if criterion is not None:
            count = load_catalogue().task_counts().get(criterion, 0)
            if not 1 <= task <= count:
                self.problem((*path, "task"), "E-TASK",
                             f"{criterion} has no critical task {task}" + (f" (it has {count})" if count else ""),
                             "see the criterion's critical tasks in docs/criteria.md")
                return None
        raw_status = data.get("status")
        status = TASK_STATUS.get(raw_status.strip().casefold()) if isinstance(raw_status, str) else None
        if status is None:
            self.problem((*path, "status") if "status" in data else path, "E-VALUE",
                         f"{raw_status!r:.40} is not a checklist mark",
                         "observed, partly, not_observed or not_applicable")
            return None
        seen = self.time(data, "seen", path)
        if criterion is None or not who.strip():
            return None
        return (MarkTask(criterion, task, status, who, self.text(data, "note", path),
                         self.text(data, "evidence", path), seen), f"mark {criterion}.{task}")

    def note(self, value: Any, path: tuple[PathStep, ...], by: str) -> tuple[Command, str] | None:
        if isinstance(value, str):
            value = {"text": value}
            if not value["text"].strip():
                self.problem(path, "E-VALUE", "the note must not be empty")
                return None
            return AddObservation(value["text"], by), "note"
        data = self.mapping(value, path, NOTE_KEYS)
        if data is None:
            return None
        text = self.text(data, "text", path, required=True)
        author = self.text(data, "author", path) or by
        criteria = data.get("criteria", [])
        if isinstance(criteria, str):
            criteria = [criteria]
        if not isinstance(criteria, list):
            self.problem((*path, "criteria"), "E-TYPE", f"expected a list, found {type_name(criteria)}")
            criteria = []
        from krise_ovelse.catalogue import known_criteria

        known = sorted(known_criteria(self.scenario))
        ids = [self.ref(c, (*path, "criteria", i), "criterion", known) for i, c in enumerate(criteria)]
        inject_id = decision_id = None
        if "inject" in data:
            inject_id = self.ref(data["inject"], (*path, "inject"), "inject", (i.id for i in self.scenario.injects))
        if "decision" in data:
            decision_id = self.ref(data["decision"], (*path, "decision"), "decision",
                                   (d.id for d in self.scenario.decisions))
        level = self.level(data, "level", path, required=False)
        if "level" in data and level is None:
            return None
        if level is not None and not ids:
            self.problem((*path, "level"), "E-VALUE", "an observation with a level must name the criteria it rates",
                         "add criteria: [KH-2]")
            return None
        if not text.strip() or None in ids:
            return None
        command = AddObservation(text, author, tuple(i for i in ids if i), inject_id, decision_id, level,
                                 self.text(data, "why", path) if level is not None else "")
        return command, "note"

    def adhoc(self, value: Any, path: tuple[PathStep, ...], by: str) -> tuple[Command, str] | None:
        data = self.mapping(value, path, ADHOC_KEYS)
        if data is None:
            return None
        title = self.text(data, "title", path, required=True)
        channel = Channel.EMAIL
        if "channel" in data:
            try:
                channel = Channel(data["channel"])
            except ValueError:
                values = [c.value for c in Channel]
                close = suggestions(str(data["channel"]), values)
                hint = f"did you mean {close[0]!r}?" if close else "one of: " + ", ".join(values)
                self.problem((*path, "channel"), "E-VALUE", f"{data['channel']!r} is not a valid channel", hint)
                return None
        to = data.get("to", [])
        if isinstance(to, str):
            to = [to]
        if not isinstance(to, list) or not all(isinstance(t, str) for t in to):
            self.problem((*path, "to"), "E-TYPE", "expected a list of recipients")
            return None
        if not title.strip():
            return None
        command = AddAdhocInject(title, self.text(data, "body", path), channel, self.text(data, "from", path),
                                 tuple(to), by)
        return command, f"adhoc {title!r}"

    def revise(self, value: Any, path: tuple[PathStep, ...], by: str) -> tuple[Command, str] | None:
        data = self.mapping(value, path, REVISE_KEYS)
        if data is None:
            return None
        for key in ("decision", "option"):
            if key not in data:
                self.problem(path, "E-KEY-MISSING", f"missing required key {key!r}", HINT)
                return None
        decision_id = self.ref(data["decision"], (*path, "decision"), "decision",
                               (d.id for d in self.scenario.decisions))
        if decision_id is None:
            return None
        option_id = self.option(decision_id, data["option"], (*path, "option"))
        if option_id is None:
            return None
        command = ReviseDecision(decision_id, option_id, self.text(data, "rationale", path),
                                 self.text(data, "by", path) or by)
        return command, f"revise {decision_id} to {option_id}"

    # --- decide first, see the options after --------------------------------------------------

    def decision_ref(self, data: dict[str, Any], path: tuple[PathStep, ...]) -> str | None:
        if "decision" not in data:
            self.problem(path, "E-KEY-MISSING", "missing required key 'decision'", HINT)
            return None
        return self.ref(data["decision"], (*path, "decision"), "decision", (d.id for d in self.scenario.decisions))

    def write(self, value: Any, path: tuple[PathStep, ...], by: str) -> tuple[Command, str] | None:
        data = self.mapping(value, path, WRITE_KEYS)
        if data is None:
            return None
        decision_id = self.decision_ref(data, path)
        text = self.text(data, "text", path, required=True)
        if len(text) > WRITE_LIMIT:
            self.problem((*path, "text"), "E-VALUE", f"the decision is {len(text)} characters; at most {WRITE_LIMIT}",
                         "write the decision itself; details go in `rationale`")
            return None
        if decision_id is None or not text.strip():
            return None
        who = self.text(data, "by", path) or by
        return WriteDecision(decision_id, text, self.text(data, "rationale", path), who), f"write {decision_id}"

    def map(self, value: Any, path: tuple[PathStep, ...], by: str) -> tuple[Command, str] | None:
        data = self.mapping(value, path, MAP_KEYS)
        if data is None:
            return None
        decision_id = self.decision_ref(data, path)
        who = self.text(data, "by", path, required=True) or by
        if "option" not in data:
            self.problem(path, "E-KEY-MISSING", "missing required key 'option'", f"an option id or {OTHER_OPTION}")
            return None
        options = [o.id for o in self.scenario.decision(decision_id).options] if decision_id is not None else []
        option_id = None
        if decision_id is not None:
            option_id = self.ref(data["option"], (*path, "option"), "option", [*options, OTHER_OPTION])
        levels = self.levels(data, path)
        if decision_id is None or option_id is None or levels is None or not who.strip():
            return None
        other = option_id == OTHER_OPTION and OTHER_OPTION not in options
        if other and not levels:
            self.problem(path, "E-VALUE", f"a mapping to {OTHER_OPTION} must rate the decision",
                         "add levels: {KH-2: S} for the criteria it bears on")
            return None
        if not other and levels:
            self.problem((*path, "levels"), "E-VALUE", "levels go with a mapping to annet",
                         "a mapped option is rated by its own tags; leave levels out")
            return None
        return (MapDecision(decision_id, option_id, who, tuple(levels), self.text(data, "note", path)),
                f"map {decision_id} to {option_id}")

    def levels(self, data: dict[str, Any], path: tuple[PathStep, ...]) -> list[tuple[str, Level]] | None:
        from krise_ovelse.catalogue import known_criteria

        raw = data.get("levels", {})
        if not isinstance(raw, dict):
            self.problem((*path, "levels"), "E-TYPE", f"expected a mapping, found {type_name(raw)}",
                         "criterion: level, e.g. {KH-2: S}")
            return None
        known = sorted(known_criteria(self.scenario))
        found: list[tuple[str, Level]] = []
        ok = True
        for criterion in raw:
            ident = self.ref(criterion, (*path, "levels", criterion), "criterion", known, key=True)
            level = self.level(raw, criterion, (*path, "levels"), rated_only=True)
            if ident is None or level is None:
                ok = False
            else:
                found.append((ident, level))
        return found if ok else None

    def check_mode(self, data: dict[str, Any], decide_first: bool, actions: list[ScriptedAction]) -> None:
        """A decide-first file writes and maps its decisions; any other file chooses options."""
        if decide_first and data.get("decisions"):
            self.problem(("decisions",), "E-PLAY-MODE", "a decide-first playthrough does not choose options",
                         "write each decision with a `write` action and map it with `map`", key=True)
        written: set[str] = set()
        for action in sorted(actions, key=lambda a: a.at):
            command = action.command
            if isinstance(command, WriteDecision | MapDecision) and not decide_first:
                kind = "write" if isinstance(command, WriteDecision) else "map"
                self.problems.append(Problem(self.doc.file, action.line, action.col, "E-PLAY-MODE",
                                             f"`{kind}` is for decide-first playthroughs",
                                             "add `decide_first: true` at the top, or choose under `decisions:`"))
            elif isinstance(command, WriteDecision):
                written.add(command.decision_id)
            elif isinstance(command, MapDecision) and command.decision_id not in written:
                self.problems.append(Problem(self.doc.file, action.line, action.col, "E-PLAY-MAP",
                                             f"decision {command.decision_id} is mapped before the team wrote it",
                                             "add a `write` for it at or before the time of the `map`"))

    def check_pauses(self, actions: list[ScriptedAction]) -> None:
        """Headless play cannot move the clock while paused: a pause needs a resume at its time."""
        paused: ScriptedAction | None = None
        for action in [*sorted(actions, key=lambda a: a.at), None]:
            if paused is not None and (action is None or action.at > paused.at):
                self.problems.append(Problem(self.doc.file, paused.line, paused.col, "E-PLAY-PAUSE",
                                             f"the pause at {format_time(paused.at)} has no resume at the same time",
                                             "the clock stands still while paused; add a resume with the same `at`"))
                paused = None
            if action is not None and isinstance(action.command, Pause):
                paused = action
            elif action is not None and isinstance(action.command, Resume):
                paused = None
