"""Evidence: what a run says about each criterion, item by item, each traced to its source.

Four sources (see docs/scoring.md):

- **option** — every choice that took effect gives its option's `evidence` levels: the team's
  choice, the default applied at a missed deadline, and each revision (the engine applies a
  revision on top of the earlier choice, whose effects are not undone, so both count).
- **rule** — each `scoring.rules` entry measures an indicator's history (max, min, final,
  or the time-weighted mean over scenario time) and reads the level off its thresholds.
- **timeliness** — decision deadlines, as evidence for KH-3: M for each missed decision (U
  each if more than half the closed decisions were missed), and one S if none was.
- **observation** — a note naming criteria: evidence at its level if it carries one,
  otherwise context.
- **mapping** — decide-first mode: a decision the team wrote in its own words that a
  facilitator or evaluator mapped to `annet` (none of the options) counts at the mapper's
  levels for the criteria they rated: their judgement, not an option tag. (A decision mapped
  to an option counts through that option, as a choice.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from itertools import pairwise
from typing import Any

import attrs

from krise_ovelse.messages import normalise
from krise_ovelse.messages import text as message
from krise_ovelse.model.scenario import Decision, IndicatorRule, Level, Measure, Scenario
from krise_ovelse.model.text import Text
from krise_ovelse.scoring.inputs import Choice, DecisionRecord, Observation, Sample, ScoringInput

#: The criterion that decision timeliness is evidence for.
TIMELINESS_CRITERION = "KH-3"
#: Values are rounded to this many decimals before they meet a threshold.
_PRECISION = 6


#: The words the console and playthroughs record for who did something (an observation's
#: author, an override's `by`), as each language says them.
ROLE_WORDS: Mapping[str, Mapping[str, str]] = {
    "facilitator": {"nb": "øvingsleder", "en": "facilitator"},
    "øvingsleder": {"nb": "øvingsleder", "en": "facilitator"},
    "evaluator": {"nb": "evaluator", "en": "evaluator"},
}


def who(by: str, lang: str = "nb") -> str:
    """Who did something, for people: a role word the tools record (`facilitator`) in `lang`
    (`øvingsleder`); a person's name as given."""
    words = ROLE_WORDS.get(by.strip().casefold())
    return words.get(lang, words["nb"]) if words is not None else by.strip()


def person(by: str, scenario: Scenario | None, lang: str) -> str:
    """Who did something, as a reader says it: a role id of the scenario (`hr`) as the role's
    name, a role word the tools record (`facilitator`) in `lang`, else as given (the one wording
    of the report, the event descriptions and the run timeline)."""
    if scenario is not None:
        role = next((r for r in scenario.roles if r.id == by.strip()), None)
        if role is not None:
            return role.name.get(lang)
    return who(by, lang)


class Source(str, Enum):
    OPTION = "option"
    RULE = "rule"
    TIMELINESS = "timeliness"
    OBSERVATION = "observation"
    TASK = "task"  # an evaluator's checklist of the criterion's critical tasks
    REASONING = "reasoning"  # an evaluator's rating of the team's reasoning at a decision
    MAPPING = "mapping"  # decide-first: a written decision mapped to `annet`, at the mapper's levels


#: What the run's choices and measurements indicate (the author's option tags, the indicator
#: rules, the deadlines): a suggestion until an evaluator looks.
INDICATION_SOURCES = frozenset({Source.OPTION, Source.RULE, Source.TIMELINESS})
#: What the evaluators saw and judged: it outweighs the indication.
JUDGEMENT_SOURCES = frozenset({Source.TASK, Source.OBSERVATION, Source.REASONING, Source.MAPPING})


@attrs.frozen
class Evidence:
    """One item of evidence for one criterion.

    `level` None means context: shown with the rating, not counted in it.
    """

    criterion: str
    level: Level | None
    source: Source
    reason: Text
    seq: int | None = None
    minutes: float | None = None
    decision: str | None = None
    option: str | None = None
    indicator: str | None = None
    measure: str | None = None
    value: float | None = None
    author: str | None = None

    @property
    def counted(self) -> bool:
        return self.level is not None and self.level is not Level.NO

    @property
    def is_judgement(self) -> bool:
        return self.source in JUDGEMENT_SOURCES


def _t(nb: str, en: str) -> Text:
    return Text({"nb": nb, "en": en})


def shorten(text: str, limit: int = 90) -> str:
    """One line of at most `limit` characters, cut at a word with an ellipsis."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] if " " in line[: limit - 1] else line[: limit - 1]
    return cut.rstrip(" ,.;:–-") + "…"


def format_number(value: float, lang: str = "nb") -> str:
    """At most one decimal, no trailing zero; a decimal comma in Norwegian."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(".", ",") if normalise(lang) == "nb" else text


# --- indicator measures ----------------------------------------------------------------------


def ordered(samples: Iterable[Sample]) -> list[Sample]:
    """Samples in time order; samples at the same minute keep their order (a jump)."""
    return sorted(samples, key=lambda s: s.minutes)


def measure_value(samples: Sequence[Sample], measure: Measure, end_minutes: float | None = None) -> float | None:
    """An indicator's max, min, final or mean over its history; None for an empty history.

    The history is read as a curve through the samples: straight lines between them (drift is
    linear within a phase), a jump where two samples share a minute, and the last value held
    until `end_minutes`. Max and min are over the samples (a line's extremes are its ends);
    `final` is the last sample; `mean` is the area under the curve divided by the time, i.e.
    weighted by scenario time, including weeks skipped by a phase jump, when the value simply
    held. If the history spans no time at all, the mean is the final value.
    """
    points = ordered(samples)
    if not points:
        return None
    values = [s.value for s in points]
    if measure is Measure.MAX:
        return max(values)
    if measure is Measure.MIN:
        return min(values)
    if measure is Measure.FINAL:
        return values[-1]
    return time_weighted_mean(points, end_minutes)


def time_weighted_mean(samples: Sequence[Sample], end_minutes: float | None = None) -> float | None:
    """The mean of the curve over [first sample, end] (see `measure_value`)."""
    points = ordered(samples)
    if not points:
        return None
    start = points[0].minutes
    end = points[-1].minutes if end_minutes is None else max(end_minutes, points[-1].minutes)
    if end <= start:
        return points[-1].value
    area = 0.0
    for here, after in pairwise(points):
        area += (here.value + after.value) / 2 * (after.minutes - here.minutes)
    area += points[-1].value * (end - points[-1].minutes)
    return area / (end - start)


def is_rising(thresholds: Mapping[Level, float]) -> bool:
    """True when lower values are better (P ≤ S ≤ M)."""
    return thresholds[Level.P] <= thresholds[Level.M]


def threshold_level(value: float, thresholds: Mapping[Level, float]) -> Level:
    """The level a value earns against thresholds {P, S, M}.

    Rising thresholds (P < S < M, lower is better): value ≤ P gives P, ≤ S gives S, ≤ M gives M,
    above M gives U. Falling thresholds (P > S > M, higher is better): value ≥ P gives P, and so
    on. A value exactly on a threshold earns that level.
    """
    value = round(value, _PRECISION)
    rising = is_rising(thresholds)
    for level in (Level.P, Level.S, Level.M):
        limit = thresholds[level]
        if (value <= limit) if rising else (value >= limit):
            return level
    return Level.U


# --- collecting evidence ---------------------------------------------------------------------

_MEASURE_TEXT = {
    Measure.MAX: ("Høyeste verdi", "Highest value"),
    Measure.MIN: ("Laveste verdi", "Lowest value"),
    Measure.FINAL: ("Sluttverdien", "Final value"),
    Measure.MEAN: ("Tidsvektet gjennomsnitt", "Time-weighted mean"),
}


def _decision_label(decision: Decision, lang: str) -> str:
    title = decision.title.get(lang) if decision.title else shorten(decision.prompt.get(lang), 50)
    return message(lang, "scoring.decision_label", id=decision.id, title=title)


def _option_label(decision: Decision, option_id: str, lang: str) -> str:
    option = decision.option(option_id)
    if option is None:
        return option_id
    text = shorten(option.text.get(lang), 70)
    return message(lang, "scoring.option_label", id=option_id, text=text)


#: Reasons already worded, per (decision object, option, how it was chosen): the same few texts
#: recur in every run of a scenario (the balance analysis rates thousands). The decision is kept
#: in the value, so its id cannot be reused while the entry lives.
_REASONS: dict[tuple[int, str, bool, bool, bool], tuple[Decision, Text]] = {}
_REASONS_LIMIT = 4096


def _choice_reason(decision: Decision, choice: Choice, revision: bool, revised_later: bool) -> Text:
    key = (id(decision), choice.option, revision, revised_later, choice.missed)
    hit = _REASONS.get(key)
    if hit is not None and hit[0] is decision:
        return hit[1]
    reason = _word_choice_reason(decision, choice, revision, revised_later)
    if len(_REASONS) >= _REASONS_LIMIT:
        _REASONS.clear()
    _REASONS[key] = (decision, reason)
    return reason


def _word_choice_reason(decision: Decision, choice: Choice, revision: bool, revised_later: bool) -> Text:
    texts = {}
    for lang in ("nb", "en"):
        head = _decision_label(decision, lang)
        option = _option_label(decision, choice.option, lang)
        if revision:
            text = message(lang, "scoring.revised_to", head=head, option=option)
        elif choice.missed:
            text = message(lang, "scoring.missed_default", head=head, option=option)
        else:
            text = message(lang, "scoring.chose", head=head, option=option)
        if revised_later:
            text += message(lang, "scoring.revised_later")
        texts[lang] = text
    return Text(texts)


def option_evidence(scenario: Scenario, record: ScoringInput) -> list[Evidence]:
    """Evidence from every choice that took effect at each decision point.

    A revision's effects apply on top of the earlier choice's (what was set in motion has
    happened), so the earlier choice counts too, as does a missed decision's default.
    """
    items: list[Evidence] = []
    for decided in record.decisions:
        if not decided.choices or not scenario.has_decision(decided.decision):
            continue
        decision = scenario.decision(decided.decision)
        last = len(decided.choices) - 1
        for position, choice in enumerate(decided.choices):
            option = decision.option(choice.option)
            if option is None:
                continue
            reason = _choice_reason(decision, choice, revision=position > 0, revised_later=position < last)
            for criterion, level in option.evidence.items():
                counted: Level | None = level
                shown = reason
                if choice.missed and criterion == TIMELINESS_CRITERION:
                    # the missed deadline is KH-3's evidence already (timeliness): not twice
                    counted = None
                    shown = Text({lang: text + (" – telles under fristene" if lang == "nb"
                                                else " – counted under the deadlines")
                                  for lang, text in reason.values.items()})
                elif choice.missed and level in (Level.P, Level.S):
                    # nobody chose it: what the default did happened, but not as a team's achievement
                    counted = Level.M
                    shown = Text({lang: text + (f" – standardvalget teller høyst M (forfatterens nivå: {level.value})"
                                                if lang == "nb" else
                                                f" – a default counts at most M (the author's tag: {level.value})")
                                  for lang, text in reason.values.items()})
                items.append(Evidence(
                    criterion=criterion, level=counted, source=Source.OPTION, reason=shown, seq=choice.seq,
                    minutes=choice.minutes, decision=decision.id, option=option.id,
                    author=choice.decided_by or None))
    return items


def _rule_reason(scenario: Scenario, rule: IndicatorRule, value: float) -> Text:
    indicator = scenario.indicator(rule.indicator) if scenario.has_indicator(rule.indicator) else None
    op = "≤" if is_rising(rule.thresholds) else "≥"
    measure_nb, measure_en = _MEASURE_TEXT[rule.measure]

    def limits(lang: str) -> str:
        return ", ".join(f"{level.value} {op} {format_number(rule.thresholds[level], lang)}"
                         for level in (Level.P, Level.S, Level.M))

    name_nb = indicator.name.get("nb") if indicator is not None else rule.indicator
    name_en = indicator.name.get("en") if indicator is not None else rule.indicator
    return _t(f"{measure_nb} av «{name_nb}» var {format_number(value, 'nb')} ({limits('nb')})",
              f"{measure_en} of “{name_en}” was {format_number(value, 'en')} ({limits('en')})")


def _seq_for(samples: Sequence[Sample], measure: Measure, value: float) -> tuple[int | None, float | None]:
    """The event (seq, minutes) behind a max/min/final value: where the value was reached."""
    points = ordered(samples)
    if not points:
        return None, None
    if measure is Measure.FINAL or measure is Measure.MEAN:
        last = points[-1]
        return last.seq, last.minutes
    hit = next((s for s in points if s.value == value), points[-1])
    return hit.seq, hit.minutes


def rule_evidence(scenario: Scenario, record: ScoringInput) -> list[Evidence]:
    """Evidence from the scenario's indicator rules."""
    items: list[Evidence] = []
    for rule in scenario.scoring.rules:
        samples = record.history.get(rule.indicator, ())
        if not samples and scenario.has_indicator(rule.indicator):
            samples = (Sample(record.start_minutes, scenario.indicator(rule.indicator).initial),)
        end = record.end_minutes
        value = measure_value(samples, rule.measure, end)
        if value is None:
            continue
        seq, minutes = _seq_for(samples, rule.measure, value)
        if rule.measure is Measure.MEAN:  # the whole history, not one event
            seq, minutes = None, end
        items.append(Evidence(
            criterion=rule.criterion, level=threshold_level(value, rule.thresholds), source=Source.RULE,
            reason=_rule_reason(scenario, rule, value), seq=seq, minutes=minutes, indicator=rule.indicator,
            measure=rule.measure.value, value=round(value, _PRECISION)))
    return items


def timeliness_evidence(scenario: Scenario, record: ScoringInput) -> list[Evidence]:
    """Evidence for KH-3 from the decision deadlines.

    Over the decisions that were closed (decided or missed; still open at the end: left out):
    each missed one gives M, or U when more than half of them were missed (key decisions not
    taken: the descriptor of U for KH-3). If none was missed, one item gives S: the decisions
    came in time, but the simulator cannot see stated assumptions or review points, so only an
    option's evidence, an observation or an evaluator can lift KH-3 to P.
    """
    closed = [d for d in record.decisions if d.closed]
    if not closed:
        return []
    missed = [d for d in closed if d.missed]
    n, k = len(closed), len(missed)
    most = k * 2 > n
    items: list[Evidence] = []
    for decided in missed:
        first = decided.choices[0]
        label_nb = label_en = decided.decision
        if scenario.has_decision(decided.decision):
            decision = scenario.decision(decided.decision)
            label_nb, label_en = _decision_label(decision, "nb"), _decision_label(decision, "en")
        nb = f"{label_nb}: ikke besluttet innen fristen, standardvalget ble brukt"
        en = f"{label_en}: not decided before the deadline, the default was applied"
        if most:
            nb += f" (mer enn halvparten ble ikke tatt i tide: {k} av {n})"
            en += f" (more than half were not made in time: {k} of {n})"
        items.append(Evidence(
            criterion=TIMELINESS_CRITERION, level=Level.U if most else Level.M, source=Source.TIMELINESS,
            reason=_t(nb, en), seq=first.seq, minutes=first.minutes, decision=decided.decision,
            option=first.option))
    if k == 0:
        last = max((_closing(d) for d in closed), key=lambda c: c[0] or 0)
        items.append(Evidence(
            criterion=TIMELINESS_CRITERION, level=Level.S, source=Source.TIMELINESS,
            reason=_t(f"Alle {n} beslutninger ble tatt innen fristen",
                      f"All {n} decisions were made before their deadline"),
            seq=last[0], minutes=last[1]))
    return items


def _closing(decided: DecisionRecord) -> tuple[int | None, float | None]:
    """(seq, minutes) of what last closed a decision: its last choice, or the team's written words."""
    if decided.choices:
        return decided.choices[-1].seq, decided.choices[-1].minutes
    written = decided.written
    return (written.seq, written.minutes) if written is not None else (None, None)


def mapping_evidence(scenario: Scenario, record: ScoringInput) -> list[Evidence]:
    """Decide-first mode: a written decision mapped to `annet` counts at the mapper's levels for
    the criteria they rated (their judgement of the team's own words)."""
    items: list[Evidence] = []
    for decided in record.decisions:
        written = decided.written
        if written is None or not written.mapped or not written.levels:
            continue
        label_nb = label_en = decided.decision
        if scenario.has_decision(decided.decision):
            decision = scenario.decision(decided.decision)
            if decision.option(written.mapped_option or "") is not None:
                continue  # an option: it counts through the choice, not twice
            label_nb, label_en = _decision_label(decision, "nb"), _decision_label(decision, "en")
        words = shorten(written.text, 120)
        note = f" – {shorten(written.note, 100)}" if written.note.strip() else ""
        reason = _t(f"{label_nb}: egne ord «{words}», koblet til «annet» ({who(written.mapped_by, 'nb')}){note}",
                    f"{label_en}: own words “{words}”, mapped to “other” ({who(written.mapped_by, 'en')}){note}")
        for criterion, level in written.levels:
            items.append(Evidence(criterion=criterion, level=level, source=Source.MAPPING, reason=reason,
                                  seq=written.mapped_seq, minutes=written.mapped_minutes, decision=decided.decision,
                                  option=written.mapped_option, author=written.mapped_by or None))
    return items


def _observation_reason(observation: Observation) -> Text:
    text = shorten(observation.text, 140)
    if observation.level is not None and observation.why.strip():
        text += f" – {shorten(observation.why, 100)}"
    by_nb = f" ({who(observation.author, 'nb')})" if observation.author.strip() else ""
    by_en = f" ({who(observation.author, 'en')})" if observation.author.strip() else ""
    return _t(f"Observasjon{by_nb}: «{text}»", f"Observation{by_en}: “{text}”")


def observation_evidence(record: ScoringInput) -> list[Evidence]:
    """Evidence from observations: at their level if they carry one, else context."""
    items: list[Evidence] = []
    for observation in record.observations:
        for criterion in dict.fromkeys(observation.criteria):
            items.append(Evidence(
                criterion=criterion, level=observation.level, source=Source.OBSERVATION,
                reason=_observation_reason(observation), seq=observation.seq, minutes=observation.minutes,
                decision=observation.decision, author=observation.author or None))
    return items


#: What a share of a criterion's critical tasks observed (partly counts half) earns:
#: all → P, at least 2/3 → S, at least 1/3 → M, less → U.
TASK_SHARES = ((1.0, Level.P), (2 / 3, Level.S), (1 / 3, Level.M))
_STATUS_WORDS = {"observed": ("observert", "observed"), "partly": ("delvis", "partly"),
                 "not_observed": ("ikke observert", "not observed"),
                 "not_applicable": ("ikke aktuelt", "not applicable")}


def task_level(statuses: Sequence[str]) -> Level | None:
    """The level a checklist earns: the share of applicable tasks observed (partly = half);
    None when every task was marked not applicable (nothing to judge by)."""
    applicable = [s for s in statuses if s != "not_applicable"]
    if not applicable:
        return None
    share = sum(1.0 if s == "observed" else 0.5 if s == "partly" else 0.0 for s in applicable) / len(applicable)
    share = round(share, _PRECISION)
    return next((level for limit, level in TASK_SHARES if share >= round(limit, _PRECISION)), Level.U)


def task_evidence(record: ScoringInput) -> list[Evidence]:
    """One item per evaluator and criterion from the checklist (each task's last mark counts);
    the marks' notes ride along in the reason."""
    latest: dict[tuple[str, str], dict[int, Any]] = {}
    for mark in sorted(record.task_marks, key=lambda m: m.seq if m.seq is not None else -1):
        latest.setdefault((mark.by, mark.criterion), {})[mark.task] = mark
    items: list[Evidence] = []
    for (by, criterion), marks in latest.items():
        ordered_marks = [marks[n] for n in sorted(marks)]
        level = task_level([m.status for m in ordered_marks])
        texts = {}
        for lang, index in (("nb", 0), ("en", 1)):
            parts = [f"{criterion}.{m.task} {_STATUS_WORDS[m.status][index]}" + (f" ({shorten(m.note, 60)})"
                                                                                    if m.note.strip() else "")
                     for m in ordered_marks]
            head = "Sjekkliste" if lang == "nb" else "Checklist"
            texts[lang] = f"{head} ({who(by, lang)}): " + "; ".join(parts)
        last = ordered_marks[-1]
        items.append(Evidence(criterion=criterion, level=level, source=Source.TASK, reason=Text(texts),
                              seq=last.seq, minutes=last.minutes, author=by or None))
    return items


def reasoning_evidence(scenario: Scenario, record: ScoringInput) -> list[Evidence]:
    """An evaluator's rating of the team's reasoning at a decision, for the criteria named (or
    those the decision's options name). The last rating per evaluator and decision counts."""
    latest: dict[tuple[str, str], Any] = {}
    for rating in sorted(record.reasoning, key=lambda r: r.seq if r.seq is not None else -1):
        latest[(rating.by, rating.decision)] = rating
    items: list[Evidence] = []
    for (by, decision_id), rating in latest.items():
        criteria = list(rating.criteria)
        label_nb = label_en = decision_id
        if scenario.has_decision(decision_id):
            decision = scenario.decision(decision_id)
            label_nb, label_en = _decision_label(decision, "nb"), _decision_label(decision, "en")
            if not criteria:
                criteria = list(dict.fromkeys(c for o in decision.options for c in o.evidence))
        note = f": {shorten(rating.note, 100)}" if rating.note.strip() else ""
        reason = _t(f"Begrunnelsen for {label_nb} ({who(by, 'nb')}){note}",
                    f"The reasoning at {label_en} ({who(by, 'en')}){note}")
        for criterion in criteria:
            items.append(Evidence(criterion=criterion, level=rating.level, source=Source.REASONING, reason=reason,
                                  seq=rating.seq, minutes=rating.minutes, decision=decision_id, author=by or None))
    return items


def collect_evidence(scenario: Scenario, record: ScoringInput) -> list[Evidence]:
    """All evidence of a run, in a stable order: options, rules, timeliness (the indication),
    then observations, checklists, reasoning ratings and `annet` mappings (the evaluators'
    judgement)."""
    return [
        *option_evidence(scenario, record),
        *rule_evidence(scenario, record),
        *timeliness_evidence(scenario, record),
        *observation_evidence(record),
        *task_evidence(record),
        *reasoning_evidence(scenario, record),
        *mapping_evidence(scenario, record),
    ]


def closed_decisions(record: ScoringInput) -> list[DecisionRecord]:
    return [d for d in record.decisions if d.closed]
