"""Warnings an author wants: things that load fine but make a weaker exercise (codes W-…)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from krise_ovelse.authoring.yamlio import Document, PathStep
from krise_ovelse.model.conditions import Call, Name, walk
from krise_ovelse.model.problems import Problem, Severity
from krise_ovelse.model.scenario import Scenario, Trigger
from krise_ovelse.model.text import Text


def lint_scenario(scenario: Scenario, doc: Document) -> list[Problem]:
    return sorted(_Linter(scenario, doc).run())


class _Linter:
    def __init__(self, scenario: Scenario, doc: Document) -> None:
        self.s = scenario
        self.doc = doc

    def warn(self, path: tuple[Any, ...], code: str, message: str, hint: str = "", *, key: bool = False) -> Problem:
        return self.doc.problem(path, code, message, hint, key=key, severity=Severity.WARNING)

    def run(self) -> Iterator[Problem]:
        yield from self.unreachable()
        yield from self.options()
        yield from self.unused_criteria()
        yield from self.static_indicators()
        yield from self.languages()
        yield from self.empty_phases()
        yield from self.unused_flags()
        yield from self.deadlines_in_jumps()

    def unreachable(self) -> Iterator[Problem]:
        follow_ups = {i for d in self.s.decisions for o in d.options for i in o.follow_up}
        set_flags = {f for d in self.s.decisions for o in d.options for f in o.sets}
        for index, inj in enumerate(self.s.injects):
            if inj.trigger is Trigger.FOLLOW_UP and inj.id not in follow_ups:
                continue  # an error already
            if inj.when is not None:
                for node in walk(inj.when.expr):
                    flag = node.name if isinstance(node, Name) and not self.s.has_indicator(node.name) else (
                        node.args[0].name if isinstance(node, Call) and node.function == "flag" else None)
                    if flag and flag != "day" and flag not in set_flags:
                        yield self.warn(("injects", index, "when"), "W-UNREACHABLE",
                                        f"no option sets the flag {flag!r}, so {inj.id!r} may never be released")
        for index, dec in enumerate(self.s.decisions):
            if self.s.has_inject(dec.opens_with) and self.s.inject(dec.opens_with).kind is Trigger.MANUAL:
                yield self.warn(("decisions", index, "opens_with"), "W-MANUAL-DECISION",
                                f"{dec.id!r} opens only if the facilitator releases {dec.opens_with!r}",
                                "fine for a contingency; otherwise schedule the inject")

    def options(self) -> Iterator[Problem]:
        for d_index, dec in enumerate(self.s.decisions):
            effects = [dict(o.effects) for o in dec.options]
            if len(dec.options) > 1 and all(e == effects[0] for e in effects):
                yield self.warn(("decisions", d_index, "options"), "W-SAME-EFFECTS",
                                f"all options of {dec.id!r} have the same effect on the indicators",
                                "the choice should change the agency's state")
            for o_index, opt in enumerate(dec.options):
                if not opt.evidence:
                    yield self.warn(("decisions", d_index, "options", o_index), "W-NO-EVIDENCE",
                                    f"option {opt.id!r} of {dec.id!r} gives no evidence for any criterion",
                                    "add `evidence: {KH-2: S}` or similar")

    def unused_criteria(self) -> Iterator[Problem]:
        evidenced = {c for d in self.s.decisions for o in d.options for c in o.evidence}
        evidenced |= {r.criterion for r in self.s.scoring.rules}
        for index, crit in enumerate(self.s.scoring.criteria):
            if crit not in evidenced:
                yield self.warn(("scoring", "criteria", index), "W-NO-EVIDENCE",
                                f"nothing gives evidence for {crit!r}", "add evidence in an option or a rule")

    def static_indicators(self) -> Iterator[Problem]:
        changed = {i for d in self.s.decisions for o in d.options for i in o.effects}
        for index, ind in enumerate(self.s.indicators):
            if ind.id not in changed and not any(r.per_day for r in ind.drift.values()):
                yield self.warn(("indicators", index, "id"), "W-STATIC-INDICATOR",
                                f"nothing changes {ind.id!r}", "give options effects on it, or a drift")

    def languages(self) -> Iterator[Problem]:
        languages = self.s.declared_languages
        for path, text in _texts(self.s, ()):
            for language in languages:
                if text and not text.has(language):
                    yield self.warn(path, "W-LANG-MISSING", f"no {language!r} text here",
                                    f"the scenario declares languages {', '.join(languages)}")

    def empty_phases(self) -> Iterator[Problem]:
        for index, phase in enumerate(self.s.phases):
            end = phase.ends or (self.s.phases[index + 1].starts if index + 1 < len(self.s.phases) else self.s.ends)
            if not any(i.at is not None and phase.starts <= i.at <= end for i in self.s.injects):
                yield self.warn(("phases", index, "id"), "W-EMPTY-PHASE", f"no injects are scheduled in {phase.id!r}")


    def unused_flags(self) -> Iterator[Problem]:
        read: set[str] = set()
        for inj in self.s.injects:
            if inj.when is not None:
                for node in walk(inj.when.expr):
                    if isinstance(node, Name):
                        read.add(node.name)
                    elif isinstance(node, Call) and node.function == "flag":
                        read.add(node.args[0].name)
        for d_index, dec in enumerate(self.s.decisions):
            for o_index, opt in enumerate(dec.options):
                for f_index, flag in enumerate(opt.sets):
                    if flag not in read:
                        yield self.warn(("decisions", d_index, "options", o_index, "sets", f_index),
                                        "W-UNUSED-FLAG", f"no condition reads the flag {flag!r}",
                                        "use it in a `when:` or remove it")

    def deadlines_in_jumps(self) -> Iterator[Problem]:
        """Deadlines that fall where play jumps over time: the team never gets to meet them."""
        for d_index, dec in enumerate(self.s.decisions):
            if not self.s.has_inject(dec.opens_with):
                continue
            opener = self.s.inject(dec.opens_with)
            if opener.at is None:
                continue
            due = opener.at.minutes + dec.deadline.minutes
            if self._in_jump(due):
                yield self.warn(("decisions", d_index, "deadline"), "W-IN-JUMP",
                                f"the deadline of {dec.id!r} falls in a jump, so it passes unseen",
                                "end the deadline before the phase ends")

    def _in_jump(self, minutes: int) -> bool:
        phase = self.s.phase_at(minutes)
        return phase.ends is not None and minutes > phase.ends.minutes


def _texts(value: Any, path: tuple[PathStep, ...]) -> Iterator[tuple[tuple[PathStep, ...], Text]]:
    """Every Text in the scenario with its YAML path."""
    from krise_ovelse.authoring.structure import RENAMES

    if isinstance(value, Text):
        yield path, value
    elif attrs.has(type(value)):
        renames = RENAMES.get(type(value), {})
        for field in attrs.fields(type(value)):
            yield from _texts(getattr(value, field.name), (*path, renames.get(field.name, field.name)))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))
