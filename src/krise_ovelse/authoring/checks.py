"""Semantic checks of a structured scenario: ids, references, times, conditions, scoring.

Each check yields problems positioned through the YAML path of the offending value, so an
author sees every mistake at once, not just the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from krise_ovelse.authoring.ids import ID_HINT, SCENARIO_ID_HINT, id_problem, scenario_id_problem, shown
from krise_ovelse.authoring.suggest import did_you_mean, suggestions
from krise_ovelse.authoring.yamlio import Document
from krise_ovelse.model.conditions import FUNCTIONS, Call, Condition, Name, walk
from krise_ovelse.model.problems import Problem
from krise_ovelse.model.scenario import EVIDENCE_LEVELS, SCHEMA_VERSION, Level, Scenario, Trigger
from krise_ovelse.model.text import LANGUAGES


def catalogue_criteria() -> frozenset[str]:
    from krise_ovelse.catalogue import load_catalogue

    return load_catalogue().ids()


def check_scenario(scenario: Scenario, doc: Document) -> list[Problem]:
    checker = _Checker(scenario, doc)
    return list(checker.run())


#: The lists whose items have ids that must be unique and words (top level of a scenario).
_ID_LISTS = ("phases", "indicators", "injects", "decisions", "roles")


def check_unstructured(doc: Document) -> list[Problem]:
    """The problems of meaning that can be seen in a document whose form is wrong (so no
    `Scenario` could be built): the version, the languages, the scenario id, an empty list of
    phases, ids that are not words or are used twice, decisions with fewer than two options.

    Only values of the right form are looked at (a wrong form is reported by the structuring),
    and each is reported exactly as `check_scenario` reports it on a well-formed file.
    """
    data = doc.data
    if not isinstance(data, dict):
        return []
    found: list[Problem] = []
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version != SCHEMA_VERSION:
        found.append(doc.problem(("schema_version",), "E-VERSION", f"unsupported schema_version {version}",
                                 f"this version of krise-øvelse reads schema_version {SCHEMA_VERSION}"))
    languages: list[tuple[tuple[Any, ...], Any]] = [(("language",), data.get("language"))]
    if isinstance(data.get("languages"), list):
        languages += [(("languages", i), lang) for i, lang in enumerate(data["languages"])]
    for path, language in languages:
        if isinstance(language, str) and language not in LANGUAGES:
            found.append(doc.problem(path, "E-LANGUAGE", f"unknown language {language!r}",
                                     "languages are " + ", ".join(LANGUAGES)))
    ident = data.get("id")
    if isinstance(ident, str) and (why := scenario_id_problem(ident)):
        found.append(doc.problem(("id",), "E-ID-FORMAT", why, SCENARIO_ID_HINT))
    if data.get("phases") == []:
        found.append(doc.problem(("phases",), "E-PHASES", "a scenario needs at least one phase"))
    for key in _ID_LISTS:
        found += _unstructured_ids(doc, (key,), data.get(key))
    decisions = data.get("decisions")
    for index, decision in enumerate(decisions if isinstance(decisions, list) else ()):
        if not isinstance(decision, dict):
            continue
        options = decision.get("options")
        if isinstance(options, list):
            path = ("decisions", index, "options")
            if len(options) < 2:
                found.append(doc.problem(path, "E-OPTIONS", "a decision needs at least two options"))
            found += _unstructured_ids(doc, path, options)
    return found


def _unstructured_ids(doc: Document, path: tuple[Any, ...], items: Any) -> list[Problem]:
    if not isinstance(items, list):
        return []
    found: list[Problem] = []
    first: dict[str, tuple[Any, ...]] = {}
    for index, item in enumerate(items):
        where: tuple[Any, ...]
        if isinstance(item, dict):
            ident, where = item.get("id"), (*path, index, "id")
        elif path == ("roles",):  # a role written as a plain name is its own id
            ident, where = item, (*path, index)
        else:
            continue
        if isinstance(ident, int | float) and not isinstance(ident, bool):
            ident = str(ident)  # as the structuring reads it
        if not isinstance(ident, str):
            continue
        if why := id_problem(ident):
            found.append(doc.problem(where, "E-ID-FORMAT", why, ID_HINT))
        if ident in first:
            line = doc.node(first[ident]).start_mark.line + 1
            found.append(doc.problem(where, "E-ID-DUP", f"duplicate id {ident!r}", f"first used on line {line}"))
        else:
            first[ident] = where
    return found


class _Checker:
    def __init__(self, scenario: Scenario, doc: Document) -> None:
        self.s = scenario
        self.doc = doc
        from krise_ovelse.catalogue import known_criteria

        self.criteria = known_criteria(scenario)
        self.flags = {f for d in scenario.decisions for o in d.options for f in (*o.sets, *o.clears)}

    def at(self, path: tuple[Any, ...], code: str, message: str, hint: str = "", **kw: Any) -> Problem:
        return self.doc.problem(path, code, message, hint, **kw)

    def run(self) -> Iterator[Problem]:
        yield from self.header()
        yield from self.unique_ids()
        yield from self.phases()
        yield from self.indicators()
        yield from self.injects()
        yield from self.decisions()
        yield from self.scoring()

    def header(self) -> Iterator[Problem]:
        s = self.s
        if s.schema_version != SCHEMA_VERSION:
            yield self.at(("schema_version",), "E-VERSION", f"unsupported schema_version {s.schema_version}",
                          f"this version of krise-øvelse reads schema_version {SCHEMA_VERSION}")
        for i, language in enumerate((s.language, *s.languages)):
            if language not in LANGUAGES:
                path = ("language",) if i == 0 else ("languages", i - 1)
                yield self.at(path, "E-LANGUAGE", f"unknown language {language!r}",
                              "languages are " + ", ".join(LANGUAGES))
        if why := scenario_id_problem(s.id):
            yield self.at(("id",), "E-ID-FORMAT", why, SCENARIO_ID_HINT)
        if s.ends.minutes <= 0:
            yield self.at(("ends",), "E-TIME-RANGE", "the exercise must end after D+0")

    def unique_ids(self) -> Iterator[Problem]:
        groups: Iterable[tuple[str, Iterable[str]]] = (
            ("phases", (p.id for p in self.s.phases)),
            ("indicators", (i.id for i in self.s.indicators)),
            ("injects", (i.id for i in self.s.injects)),
            ("decisions", (d.id for d in self.s.decisions)),
            ("roles", (r.id for r in self.s.roles)),
        )
        for key, ids in groups:
            yield from self._dupes((key,), ids)
        for d_index, decision in enumerate(self.s.decisions):
            yield from self._dupes(("decisions", d_index, "options"), (o.id for o in decision.options))
            for o_index, option in enumerate(decision.options):
                for key in ("sets", "clears"):
                    for f_index, flag in enumerate(getattr(option, key)):
                        path = ("decisions", d_index, "options", o_index, key, f_index)
                        if why := id_problem(flag):
                            yield self.at(path, "E-ID-FORMAT", why, ID_HINT)
                        elif self.s.has_indicator(flag):
                            yield self.at(path, "E-ID-DUP", f"the flag {flag!r} has the name of an indicator",
                                          "a bare name in a condition reads the indicator, so the flag could "
                                          "only be read as flag(...); rename the flag")
        yield from self.own_criteria()
        for index, ident in enumerate(i.id for i in self.s.injects):
            if self.s.has_decision(ident) or self.s.has_indicator(ident):
                yield self.at(("injects", index, "id"), "E-ID-DUP",
                              f"{ident!r} is also the id of a decision or indicator", "ids must be unique")

    def own_criteria(self) -> Iterator[Problem]:
        """Own criteria: safe ids, each once, none the id of a catalogue criterion (scoring would
        count the evidence for that id twice, in its theme and the index)."""
        catalogue = catalogue_criteria()
        first: dict[str, int] = {}
        for index, crit in enumerate(self.s.scoring.own_criteria):
            path = ("scoring", "own_criteria", index, "id")
            if why := id_problem(crit.id):
                yield self.at(path, "E-ID-FORMAT", why, ID_HINT)
            elif crit.id in catalogue:
                yield self.at(path, "E-CRITERION-DUP", f"{crit.id!r} is already a criterion of the catalogue",
                              "an own criterion needs an id of its own (e.g. prefix it with the scenario's "
                              "initials); to use the catalogue's, list it in `scoring.criteria` only")
            elif crit.id in first:
                line = self.doc.node(("scoring", "own_criteria", first[crit.id], "id")).start_mark.line + 1
                yield self.at(path, "E-CRITERION-DUP", f"the own criterion {crit.id!r} is defined twice",
                              f"first defined on line {line}")
            else:
                first[crit.id] = index

    def _dupes(self, path: tuple[Any, ...], ids: Iterable[str]) -> Iterator[Problem]:
        first: dict[str, int] = {}
        for index, ident in enumerate(ids):
            if why := id_problem(ident):
                yield self.at((*path, index, "id"), "E-ID-FORMAT", why, ID_HINT)
            if ident in first:
                line = self.doc.node((*path, first[ident], "id")).start_mark.line + 1
                yield self.at((*path, index, "id"), "E-ID-DUP", f"duplicate id {ident!r}",
                              f"first used on line {line}")
            else:
                first[ident] = index

    def phases(self) -> Iterator[Problem]:
        phases = self.s.phases
        if not phases:
            yield self.at(("phases",), "E-PHASES", "a scenario needs at least one phase")
            return
        if phases[0].starts.minutes != 0:
            yield self.at(("phases", 0, "starts"), "E-PHASE-ORDER", "the first phase must start at D+0")
        for index, phase in enumerate(phases):
            if phase.compression <= 0:
                yield self.at(("phases", index, "compression"), "E-VALUE",
                              "compression must be above zero", "scenario minutes per minute of play, e.g. 720")
            if index and phase.starts <= phases[index - 1].starts:
                yield self.at(("phases", index, "starts"), "E-PHASE-ORDER",
                              "phases must start in order, each after the one before")
            if phase.starts >= self.s.ends:
                yield self.at(("phases", index, "starts"), "E-TIME-RANGE",
                              f"the phase starts at or after the end of play ({self.s.ends})")
            if phase.ends is not None:
                limit = phases[index + 1].starts if index + 1 < len(phases) else self.s.ends
                if not phase.starts < phase.ends <= limit:
                    yield self.at(("phases", index, "ends"), "E-PHASE-ORDER",
                                  f"a phase must end after it starts and by {limit}",
                                  "play jumps from a phase's end to the next phase's start")

    def in_play(self, minutes: int) -> bool:
        """Whether scenario time `minutes` is played (not skipped by a jump, not after the end)."""
        if minutes > self.s.ends.minutes or minutes < 0:
            return False
        if not self.s.phases:
            return True  # E-PHASES says what is wrong; no phase to be outside of
        phase = self.s.phase_at(minutes)
        return phase.ends is None or minutes <= phase.ends.minutes

    def indicators(self) -> Iterator[Problem]:
        phase_ids = {p.id for p in self.s.phases}
        for index, ind in enumerate(self.s.indicators):
            if ind.min >= ind.max:
                yield self.at(("indicators", index, "max"), "E-BOUNDS", "max must be above min")
            elif not ind.min <= ind.initial <= ind.max:
                yield self.at(("indicators", index, "initial"), "E-BOUNDS",
                              f"initial value {ind.initial:g} is outside {ind.min:g}–{ind.max:g}")
            for phase_id in ind.drift:
                if phase_id not in phase_ids:
                    yield self._unknown(("indicators", index, "drift", phase_id), "phase", phase_id, phase_ids,
                                        key=True)

    def _unknown(self, path: tuple[Any, ...], what: str, ident: str, known: Iterable[str], *,
                 key: bool = False, offset: int | None = None) -> Problem:
        return self.at(path, f"E-REF-{what.upper()}", f"no {what} with id {shown(ident)}",
                       did_you_mean(ident, known, what), key=key, offset=offset)

    def where_not_played(self, minutes: int) -> str:
        """Why scenario time `minutes` is not played: after the end, or in which jump."""
        if minutes > self.s.ends.minutes:
            return f"after the end of play ({self.s.ends})"
        phase = self.s.phase_at(minutes)
        index = self.s.phases.index(phase)
        following = self.s.phases[index + 1].starts if index + 1 < len(self.s.phases) else self.s.ends
        return (f"in the jump from the end of phase {phase.id!r} ({phase.ends}) "
                f"to {'the start of the next phase' if index + 1 < len(self.s.phases) else 'the end'} ({following})")

    def injects(self) -> Iterator[Problem]:
        follow_ups = {i for d in self.s.decisions for o in d.options for i in o.follow_up}
        for index, inj in enumerate(self.s.injects):
            path = ("injects", index)
            if inj.trigger in (Trigger.SCHEDULED, Trigger.CONDITIONAL):
                yield self.at((*path, "trigger"), "E-TRIGGER", f"trigger {inj.trigger.value!r} is implied",
                              "write `at:` for a scheduled inject, `when:` for a conditional one; "
                              "`trigger:` is only for manual or follow_up")
            elif inj.trigger is not None and (inj.at is not None or inj.when is not None):
                yield self.at((*path, "trigger"), "E-TRIGGER",
                              f"a {inj.trigger.value} inject cannot also have `at` or `when`")
            elif inj.trigger is None and inj.at is None and inj.when is None:
                yield self.at(path, "E-TRIGGER", f"inject {inj.id!r} has no trigger",
                              "give `at: D+n HH:MM`, `when: <condition>` or `trigger: manual`")
            if inj.after is not None and inj.trigger is not Trigger.FOLLOW_UP:
                yield self.at((*path, "after"), "E-TRIGGER", "`after` is only for follow_up injects")
            if inj.at is not None and not self.in_play(inj.at.minutes):
                yield self.at((*path, "at"), "E-TIME-RANGE",
                              f"{inj.at} is not played: it is {self.where_not_played(inj.at.minutes)}",
                              "move it into a phase, between its start and its end")
            if inj.trigger is Trigger.FOLLOW_UP and inj.id not in follow_ups:
                yield self.at((*path, "trigger"), "E-FOLLOWUP",
                              f"no option lists {inj.id!r} in its follow_up", "add it to an option's follow_up")
            if inj.when is not None:
                yield from self.condition((*path, "when"), inj.when)
            yield from self.criteria_refs((*path, "criteria"), inj.criteria)

    def condition(self, path: tuple[Any, ...], cond: Condition) -> Iterator[Problem]:
        for node in walk(cond.expr):
            if isinstance(node, Name) and node.name != "day":
                if not (self.s.has_indicator(node.name) or node.name in self.flags):
                    known = [i.id for i in self.s.indicators] + sorted(self.flags)
                    close = suggestions(node.name, known)
                    hint = (f"did you mean {close[0]!r}?" if close else
                            "indicators are compared with numbers; flags are set by options' `sets`")
                    yield self.at(path, "E-REF-NAME", f"{node.name!r} is neither an indicator nor a flag",
                                  hint, offset=node.offset)
            elif isinstance(node, Call):
                yield from self._call(path, node)

    def _call(self, path: tuple[Any, ...], call: Call) -> Iterator[Problem]:
        assert FUNCTIONS[call.function] == len(call.args)
        first = call.args[0]
        if call.function in ("chose", "decided", "missed"):
            if not self.s.has_decision(first.name):
                yield self._unknown(path, "decision", first.name, (d.id for d in self.s.decisions),
                                    offset=first.offset)
            elif call.function == "chose" and self.s.decision(first.name).option(call.args[1].name) is None:
                options = (o.id for o in self.s.decision(first.name).options)
                yield self._unknown(path, "option", call.args[1].name, options, offset=call.args[1].offset)
        elif call.function == "released" and not self.s.has_inject(first.name):
            yield self._unknown(path, "inject", first.name, (i.id for i in self.s.injects), offset=first.offset)
        elif call.function == "phase" and first.name not in {p.id for p in self.s.phases}:
            yield self._unknown(path, "phase", first.name, (p.id for p in self.s.phases), offset=first.offset)
        elif call.function == "flag" and first.name not in self.flags:
            yield self.at(path, "E-REF-NAME", f"no option sets the flag {first.name!r}",
                          did_you_mean(first.name, self.flags, "flag"), offset=first.offset)

    def criteria_refs(self, path: tuple[Any, ...], ids: Iterable[str], *, keys: bool = False) -> Iterator[Problem]:
        for index, ident in enumerate(ids):
            yield from self.criterion_ref((*path, ident if keys else index), ident, key=keys)

    def criterion_ref(self, path: tuple[Any, ...], ident: str, *, key: bool = False) -> Iterator[Problem]:
        """An unknown criterion id, reported at `path` (the id itself, or its key with `key`)."""
        if ident not in self.criteria:
            yield self._unknown(path, "criterion", ident, self.criteria, key=key)

    def decisions(self) -> Iterator[Problem]:
        for d_index, dec in enumerate(self.s.decisions):
            path = ("decisions", d_index)
            if not self.s.has_inject(dec.opens_with):
                yield self._unknown((*path, "opens_with"), "inject", dec.opens_with, (i.id for i in self.s.injects))
            else:
                opener = self.s.inject(dec.opens_with)
                if opener.at is not None and opener.at.minutes + dec.deadline.minutes > self.s.ends.minutes:
                    yield self.at((*path, "deadline"), "E-DEADLINE",
                                  f"the deadline falls after the end of play ({self.s.ends})",
                                  "shorten the deadline or release the inject earlier")
                if len(self.s.decisions_opened_by(dec.opens_with)) > 1:
                    yield self.at((*path, "opens_with"), "E-ID-DUP",
                                  f"inject {dec.opens_with!r} opens more than one decision",
                                  "give each decision its own inject")
            if len(dec.options) < 2:
                yield self.at((*path, "options"), "E-OPTIONS", "a decision needs at least two options")
            if dec.option(dec.default) is None:
                yield self._unknown((*path, "default"), "option", dec.default, (o.id for o in dec.options))
            for o_index, opt in enumerate(dec.options):
                opath = (*path, "options", o_index)
                for ind_id in opt.effects:
                    if not self.s.has_indicator(ind_id):
                        yield self._unknown((*opath, "effects", ind_id), "indicator", ind_id,
                                            (i.id for i in self.s.indicators), key=True)
                yield from self.criteria_refs((*opath, "evidence"), opt.evidence, keys=True)
                for crit, level in opt.evidence.items():
                    if level not in EVIDENCE_LEVELS:
                        yield self.at((*opath, "evidence", crit), "E-VALUE",
                                      f"evidence must be P, S, M or U, not {level.value}")
                for f_index, inject_id in enumerate(opt.follow_up):
                    if not self.s.has_inject(inject_id):
                        yield self._unknown((*opath, "follow_up", f_index), "inject", inject_id,
                                            (i.id for i in self.s.injects))
                    elif self.s.inject(inject_id).trigger is not Trigger.FOLLOW_UP:
                        yield self.at((*opath, "follow_up", f_index), "E-FOLLOWUP",
                                      f"inject {inject_id!r} is not a follow_up inject",
                                      "give it `trigger: follow_up` (and optionally `after: 2d`)")

    def scoring(self) -> Iterator[Problem]:
        sc = self.s.scoring
        for g_index, goal in enumerate(self.s.goals):
            yield from self.criteria_refs(("goals", g_index, "criteria"), goal.criteria)
        yield from self.criteria_refs(("scoring", "criteria"), sc.criteria)
        for r_index, rule in enumerate(sc.rules):
            path = ("scoring", "rules", r_index)
            yield from self.criterion_ref((*path, "criterion"), rule.criterion)  # at the criterion, not the rule
            if not self.s.has_indicator(rule.indicator):
                yield self._unknown((*path, "indicator"), "indicator", rule.indicator,
                                    (i.id for i in self.s.indicators))
            keys = [Level.P, Level.S, Level.M]
            if set(rule.thresholds) != set(keys):
                yield self.at((*path, "thresholds"), "E-THRESHOLDS", "thresholds need exactly P, S and M",
                              "e.g. {P: 60, S: 75, M: 90}: up to 60 gives P, up to 75 S, up to 90 M, above U")
                continue
            values = [rule.thresholds[k] for k in keys]
            if not (values == sorted(values) or values == sorted(values, reverse=True)) or len(set(values)) < 3:
                yield self.at((*path, "thresholds"), "E-THRESHOLDS",
                              "thresholds must rise (lower is better) or fall (higher is better) from P to M")
