"""Warnings an author wants: things that load fine but make a weaker exercise (codes W-…)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from krise_ovelse.authoring.meaning import Analysis, Never
from krise_ovelse.authoring.yamlio import Document, PathStep
from krise_ovelse.model.conditions import Call, Name, walk
from krise_ovelse.model.problems import Problem, Severity
from krise_ovelse.model.scenario import Level, Option, Polarity, Scenario, Trigger
from krise_ovelse.model.text import Text
from krise_ovelse.model.timefmt import format_time

#: The criterion decision deadlines give evidence for in every scenario with decisions
#: (scoring.evidence.TIMELINESS_CRITERION; a test keeps the two equal).
TIMELINESS_CRITERION = "KH-3"
#: Evidence levels, best first, for comparing options.
_RANK = {Level.P: 3, Level.S: 2, Level.M: 1, Level.U: 0}


def lint_scenario(scenario: Scenario, doc: Document) -> list[Problem]:
    return sorted(_Linter(scenario, doc).run())


class _Linter:
    def __init__(self, scenario: Scenario, doc: Document) -> None:
        self.s = scenario
        self.doc = doc
        self.meaning = Analysis(scenario)

    def warn(self, path: tuple[Any, ...], code: str, message: str, hint: str = "", *, key: bool = False) -> Problem:
        return self.doc.problem(path, code, message, hint, key=key, severity=Severity.WARNING)

    def run(self) -> Iterator[Problem]:
        yield from self.unreachable()
        yield from self.follow_up_times()
        yield from self.options()
        yield from self.trade_offs()
        yield from self.unused_criteria()
        yield from self.static_indicators()
        yield from self.languages()
        yield from self.empty_phases()
        yield from self.unused_flags()
        yield from self.deadlines_in_jumps()
        yield from self.name_clashes()
        yield from self.own_themes()

    def unreachable(self) -> Iterator[Problem]:
        """Injects the scenario's triggers never release, and decisions that therefore never open."""
        reach = self.meaning.reach
        follow_ups = {i for d in self.s.decisions for o in d.options for i in o.follow_up}
        for index, inj in enumerate(self.s.injects):
            if inj.id in reach.injects or (inj.trigger is Trigger.FOLLOW_UP and inj.id not in follow_ups):
                continue  # released, or an error already
            reason, offset = self.meaning.why_unreleased(inj)
            if inj.when is not None:
                result = self.meaning.condition(inj)
                code = "W-UNREACHABLE" if isinstance(result, Never) and result.dependent else "W-NEVER-TRUE"
                yield self.doc.problem(("injects", index, "when"), code,
                                       f"{inj.id!r} is never released: its condition never holds: {reason}",
                                       "fix the condition, or release the inject another way",
                                       offset=offset, severity=Severity.WARNING)
            else:
                yield self.warn(("injects", index, "trigger"), "W-UNREACHABLE",
                                f"the follow-up {inj.id!r} is never released: {reason}",
                                "list it in an option of a decision that opens, or shorten `after`")
        for index, dec in enumerate(self.s.decisions):
            if dec.id not in reach.decisions and self.s.has_inject(dec.opens_with):
                yield self.warn(("decisions", index, "opens_with"), "W-UNREACHABLE",
                                f"{dec.id!r} never opens: its inject {dec.opens_with!r} is never released",
                                "see the warning on that inject")
            elif self.s.has_inject(dec.opens_with) and self.s.inject(dec.opens_with).kind is Trigger.MANUAL:
                yield self.warn(("decisions", index, "opens_with"), "W-MANUAL-DECISION",
                                f"{dec.id!r} opens only if the facilitator releases {dec.opens_with!r}",
                                "fine for a contingency; otherwise schedule the inject")

    def follow_up_times(self) -> Iterator[Problem]:
        """Follow-ups that would be due after the end if chosen late, or that fall in a jump."""
        ends = self.s.ends.minutes
        for d_index, dec in enumerate(self.s.decisions):
            if dec.id not in self.meaning.reach.decisions:
                continue
            opener = self.s.inject(dec.opens_with)
            for o_index, opt in enumerate(dec.options):
                for f_index, inject_id in enumerate(opt.follow_up):
                    if not self.s.has_inject(inject_id):
                        continue
                    after = self.s.inject(inject_id).after
                    delay = after.minutes if after is not None else 0
                    path = ("decisions", d_index, "options", o_index, "follow_up", f_index)
                    if opener.at is None:
                        continue  # the opening time is not known before play
                    earliest = opener.at.minutes + delay
                    latest = opener.at.minutes + dec.deadline.minutes + delay
                    if earliest <= ends < latest:
                        yield self.warn(path, "W-FOLLOWUP-LATE",
                                        f"{inject_id!r} is due after the end of play ({self.s.ends}) if "
                                        f"{dec.id!r} is decided after {format_time(ends - delay)}",
                                        "shorten its `after` or the deadline, or open the decision earlier")
                    jump = self.meaning.in_jump(earliest) if earliest <= ends else None
                    if jump is not None:
                        phase, arrival = jump
                        yield self.warn(path, "W-IN-JUMP",
                                        f"{inject_id!r} would be due at {format_time(earliest)}, inside the jump "
                                        f"after phase {phase!r}: it is released on arrival at {format_time(arrival)}",
                                        "shorten its `after`, or accept that it comes with the next phase")

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

    def trade_offs(self) -> Iterator[Problem]:
        """Decisions with an option at least as good as every other on every indicator (by its
        `good` direction) and every criterion both give evidence for: the choice is no dilemma."""
        polarity = {i.id: (1 if i.good is Polarity.HIGH else -1) for i in self.s.indicators if i.good is not None}
        for d_index, dec in enumerate(self.s.decisions):
            if len(dec.options) < 2:
                continue
            for opt in dec.options:
                others = [o for o in dec.options if o is not opt]
                if all(_dominates(opt, other, polarity) for other in others):
                    index = dec.options.index(opt)
                    yield self.warn(("decisions", d_index, "options", index), "W-NO-TRADEOFF",
                                    f"option {opt.id!r} of {dec.id!r} is at least as good as every other on every "
                                    "indicator and criterion",
                                    "give it a cost somewhere (an indicator, a criterion, the mission) so the "
                                    "choice is a real dilemma")
                    break

    def unused_criteria(self) -> Iterator[Problem]:
        evidenced = {c for d in self.s.decisions for o in d.options for c in o.evidence}
        evidenced |= {r.criterion for r in self.s.scoring.rules}
        if self.s.decisions:
            evidenced.add(TIMELINESS_CRITERION)  # deadlines met or missed (docs/scoring.md)
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
        missing: dict[str, int] = dict.fromkeys(languages, 0)
        for path, text in _texts(self.s, ()):
            for language in languages:
                if text and not text.has(language):
                    missing[language] += 1
                    yield self.warn(path, "W-LANG-MISSING", f"no {language!r} text here",
                                    f"the scenario declares languages {', '.join(languages)}")
        for language, count in missing.items():
            if count > 1:
                yield self.warn(("languages",), "W-LANG-MISSING",
                                f"{count} texts have no {language!r} text (each is listed)",
                                f"translate them, or remove {language!r} from `languages`", key=True)

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

    def name_clashes(self) -> Iterator[Problem]:
        """The same name for things of different kinds (a phase and a role, a flag and an inject):
        legal, but a reader of conditions and reports mixes them up. Pairs that are errors
        already (an inject and a decision or indicator; a flag and an indicator) are left out."""
        kinds: list[tuple[str, Iterable[tuple[tuple[Any, ...], str]]]] = [
            ("phase", ((("phases", i, "id"), p.id) for i, p in enumerate(self.s.phases))),
            ("indicator", ((("indicators", i, "id"), x.id) for i, x in enumerate(self.s.indicators))),
            ("inject", ((("injects", i, "id"), x.id) for i, x in enumerate(self.s.injects))),
            ("decision", ((("decisions", i, "id"), x.id) for i, x in enumerate(self.s.decisions))),
            ("role", ((("roles", i, "id"), x.id) for i, x in enumerate(self.s.roles))),
            ("flag", _flag_paths(self.s)),
        ]
        errors_already = {frozenset(pair) for pair in (("inject", "decision"), ("inject", "indicator"),
                                                      ("flag", "indicator"))}
        first: dict[str, tuple[str, tuple[Any, ...]]] = {}
        for kind, items in kinds:
            for path, name in items:
                if name not in first:
                    first[name] = (kind, path)
                    continue
                other_kind, other_path = first[name]
                if other_kind == kind or frozenset((kind, other_kind)) in errors_already:
                    continue
                line = self.doc.node(other_path).start_mark.line + 1
                yield self.warn(path, "W-NAME-CLASH",
                                f"{name!r} names {_a(kind)} and {_a(other_kind)} (line {line})",
                                "give things of different kinds different names")

    def own_themes(self) -> Iterator[Problem]:
        """A new theme (not the catalogue's) that none of its own criteria names: the report
        would head it with its bare id."""
        from krise_ovelse.catalogue import load_catalogue

        themes = {t.id for t in load_catalogue().themes}
        named = {c.theme for c in self.s.scoring.own_criteria if c.theme_name}
        reported: set[str] = set()
        for index, crit in enumerate(self.s.scoring.own_criteria):
            if crit.theme not in themes and crit.theme not in named and crit.theme not in reported:
                reported.add(crit.theme)
                yield self.warn(("scoring", "own_criteria", index, "theme"), "W-THEME-NAME",
                                f"the new theme {crit.theme!r} has no name",
                                f"give one of its criteria `theme_name:`, or use a catalogue theme "
                                f"({', '.join(sorted(themes))})")

    def _in_jump(self, minutes: int) -> bool:
        phase = self.s.phase_at(minutes)
        return phase.ends is not None and minutes > phase.ends.minutes


def _a(kind: str) -> str:
    """The kind with its indefinite article ("an inject", "a phase")."""
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _flag_paths(scenario: Scenario) -> Iterator[tuple[tuple[Any, ...], str]]:
    seen: set[str] = set()
    for d_index, dec in enumerate(scenario.decisions):
        for o_index, opt in enumerate(dec.options):
            for f_index, flag in enumerate(opt.sets):
                if flag not in seen:
                    seen.add(flag)
                    yield ("decisions", d_index, "options", o_index, "sets", f_index), flag


def _dominates(option: Option, other: Option, polarity: Mapping[str, int]) -> bool:
    """Whether `option` is at least as good as `other` on every indicator with a `good`
    direction (a missing effect is 0) and every criterion both give evidence for, and better
    on at least one."""
    better = False
    for indicator, sign in polarity.items():
        mine, theirs = sign * option.effects.get(indicator, 0), sign * other.effects.get(indicator, 0)
        if mine < theirs:
            return False
        better = better or mine > theirs
    for criterion, level in option.evidence.items():
        their_level = other.evidence.get(criterion)
        if their_level in _RANK and level in _RANK:
            if _RANK[level] < _RANK[their_level]:
                return False
            better = better or _RANK[level] > _RANK[their_level]
    return better


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
