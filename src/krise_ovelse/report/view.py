"""The report's content in one language, as plain strings: what every renderer lays out.

`build_view(data, lang)` turns a `ReportData` (scenario, run record, scoring result, session
facts, document control, plan) into a `ReportView`. Every string in the view is plain,
unescaped text; the Markdown, HTML and Word renderers escape or place it for their format.
Keeping the content here means every format says the same thing, and tests can check the
content without parsing markup.

The order follows DSB's evalueringsrapport (HSEEP AAR/IP in English): summary with the key
findings, goal achievement, findings per theme, the action plan, hotwash, participant
feedback, the evaluation of the exercise itself, method and data; then the appendices
(timeline, indicators, ratings with all evidence, learning points).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import attrs

from krise_ovelse.catalogue import Catalogue, load_catalogue
from krise_ovelse.describe import Description, describe
from krise_ovelse.messages import Messages, text
from krise_ovelse.model.scenario import Decision, Level, Measure, Polarity, Scenario
from krise_ovelse.model.text import Text
from krise_ovelse.report.assessment import assess_goals, key_findings
from krise_ovelse.report.facts import SessionFacts, facts_from_events
from krise_ovelse.report.plan import Plan, PlanItem, draft_plan, uncovered
from krise_ovelse.report.questions import HOTWASH, QUESTIONS
from krise_ovelse.report.svg import Guide, PhaseMark
from krise_ovelse.report.wording import (
    bare_name,
    channel_label,
    format_clock,
    format_day,
    format_seconds,
    format_span,
    one_line,
    skip_reason,
)
from krise_ovelse.scoring.adapter import localise_participant
from krise_ovelse.scoring.evidence import Evidence, format_number, is_rising, measure_value, ordered, person
from krise_ovelse.scoring.inputs import DecisionRecord, Sample, ScoringInput
from krise_ovelse.scoring.ratings import Finding, ScoringResult, criterion_info, score
from krise_ovelse.scoring.text import format_mean

__all__ = ["DocumentControl", "ReportData", "ReportView", "SessionMeta", "build_report", "build_view",
           "format_clock", "format_seconds", "report_from_events", "session_meta_from_record"]


@attrs.frozen
class SessionMeta:
    """Facts about the session that the scenario does not hold (from the store or the CLI)."""

    session_id: str = ""
    team: str = ""
    participants: tuple[str, ...] = ()
    facilitator: str = ""
    date: str = ""
    status: str = ""


@attrs.frozen
class DocumentControl:
    """Dokumentkontroll: what a signed document carries. `classification` is the line the user
    chooses (e.g. "Ugradert", "Begrenset, jf. sikkerhetsloven", "Unntatt offentlighet, offl. § 13");
    `status` "draft" or "approved" (or the user's own word); `date` the report's date."""

    date: str = ""
    version: str = "0.1"
    status: str = "draft"
    distribution: str = ""
    classification: str = ""
    author: str = ""
    approved_by: str = ""


@attrs.frozen
class ReportData:
    """Everything a report is made from. `plan` None means: use the draft plan."""

    scenario: Scenario
    record: ScoringInput
    result: ScoringResult
    session: SessionMeta = SessionMeta()
    plan: Plan | None = None
    facts: SessionFacts = SessionFacts()
    control: DocumentControl = DocumentControl()
    previous_plan: Plan | None = None


def build_report(scenario: Scenario, record: ScoringInput, *, session: SessionMeta | None = None,
                 plan: Plan | None = None, result: ScoringResult | None = None,
                 catalogue: Catalogue | None = None, events: Iterable[Any] | None = None,
                 control: DocumentControl | None = None, previous_plan: Plan | None = None) -> ReportData:
    """Score the record (unless a result is given) and gather the report's inputs; `events`
    (when there are any) give wall-clock times, the end of play, hotwash and feedback."""
    return ReportData(scenario=scenario, record=record,
                      result=result if result is not None else score(scenario, record, catalogue),
                      session=session or SessionMeta(), plan=plan,
                      facts=facts_from_events(events) if events is not None else SessionFacts(),
                      control=control or DocumentControl(), previous_plan=previous_plan)


def session_meta_from_record(record: ScoringInput, session_id: str = "", date: str = "",
                             status: str = "") -> SessionMeta:
    """Session facts as the engine recorded them at the start (team, participants, facilitator)."""
    return SessionMeta(session_id=session_id, team=record.team, participants=record.participants,
                       facilitator=record.facilitator, date=date, status=status)


def report_from_events(scenario: Scenario, events: Iterable[Any], *, session: SessionMeta | None = None,
                       plan: Plan | None = None, control: DocumentControl | None = None) -> ReportData:
    """A report's inputs from an engine's events (Event objects or their dicts).

    Without `session`, the team, participants and facilitator come from the events.
    """
    from krise_ovelse.scoring.adapter import scoring_input_from_events

    events = list(events)
    record = scoring_input_from_events(scenario, events)
    return build_report(scenario, record, session=session or session_meta_from_record(record), plan=plan,
                        events=events, control=control)


# --- the view --------------------------------------------------------------------------------


@attrs.frozen
class TimelineRow:
    minutes: float
    seq: int
    time: str
    kind: str
    kind_key: str
    what: str
    details: tuple[str, ...] = ()


@attrs.frozen
class IndicatorView:
    id: str
    name: str
    note: str
    samples: tuple[tuple[float, float], ...]
    start: str
    min: str
    max: str
    final: str
    mean: str
    y_min: float
    y_max: float
    end: float
    phases: tuple[PhaseMark, ...]
    gaps: tuple[tuple[float, float], ...]
    guides: tuple[Guide, ...]


@attrs.frozen
class EvidenceView:
    level: str
    counted: bool
    text: str
    source: str
    ref: str

    @property
    def line(self) -> str:
        """`P Varslet ansatte tidlig (d01)`: the level, the evidence and where it comes from."""
        return f"{self.level} {self.text}" + (f" ({self.ref})" if self.ref else "")


@attrs.frozen
class RatingView:
    criterion: str
    name: str
    suggested: str
    final: str
    overridden: bool
    override: str
    explain: str
    evidence: tuple[EvidenceView, ...]
    confirmed: bool = False
    #: The review state in words (scoring's `Rating.status_text`) and whether an evaluator has
    #: reviewed it: an unreviewed rating is a suggestion, shown so (label and style).
    status: str = ""
    reviewed: bool = True

    @property
    def notes(self) -> list[str]:
        """The evidence lines, the override (if any) and the explanation, in the order a plain
        text format lists them (Markdown, Word; HTML styles each)."""
        return [e.line for e in self.evidence] + ([self.override] if self.override else []) + [self.explain]


@attrs.frozen
class ThemeView:
    id: str
    name: str
    level: str
    mean: str
    ratings: tuple[RatingView, ...]


@attrs.frozen
class FindingView:
    criterion: str
    name: str
    level: str
    label: str
    evidence: tuple[str, ...]
    description: str
    descriptor: str
    target: str
    note: str
    confirmed: bool = False
    root_cause: str = ""
    measures: tuple[str, ...] = ()  # plan item ids that answer it
    interpretation: str = ""  # the tool's own reading of the criterion, where the catalogue has one
    reviewed: bool = True  # False: a suggestion no evaluator has reviewed


def evaluator_word(finding: FindingView, m: Messages) -> str:
    """What the evaluator said of a finding, listed after its evidence: the confirmation (with
    its note), or the reason for the override; '' when neither."""
    if finding.confirmed:
        return m["confirmed"] + (f": {finding.note}" if finding.note else "")
    return f"{m['override']}: {finding.note}" if finding.note else ""


@attrs.frozen
class ThemeFindings:
    id: str
    name: str
    level: str
    mean: str
    strengths: tuple[FindingView, ...]
    improvements: tuple[FindingView, ...]


@attrs.frozen
class GoalView:
    number: int
    text: str
    verdict: str
    verdict_key: str
    criteria: tuple[tuple[str, str, str], ...]  # (id, name, final level)
    words: tuple[str, ...]


@attrs.frozen
class LearningPointView:
    id: str
    title: str
    text: str
    level: str
    mean: str
    criteria: tuple[tuple[str, str, str], ...]  # (id, name, final level)


@attrs.frozen
class PlanRow:
    id: str
    area: str
    action: str
    element: str
    owner: str
    due: str
    criterion: str
    priority: str
    status: str
    root_cause: str
    finding: str


@attrs.frozen
class FollowUpRow:
    """A measure from the previous plan and how its criterion went this time."""

    id: str
    action: str
    status: str
    criterion: str
    now: str


@attrs.frozen
class ScaleSummary:
    question: str
    answers: int
    mean: str
    spread: str  # "1: 0 · 2: 1 · 3: 2 · 4: 3 · 5: 1"
    low: str
    high: str


@attrs.frozen
class FeedbackView:
    responses: int
    scales: tuple[ScaleSummary, ...]
    comments: tuple[tuple[str, tuple[str, ...]], ...]  # (question, answers)


@attrs.frozen
class ReportView:
    lang: str
    m: Messages
    title: str
    scenario_title: str
    classification: str
    control: tuple[tuple[str, str], ...]
    summary: str
    overall: str
    key_findings: tuple[str, ...]
    ending: str
    overview: tuple[tuple[str, str], ...]
    participants: tuple[str, ...]
    roles: tuple[tuple[str, str], ...]
    goals: tuple[GoalView, ...]
    not_ended: bool
    index: str
    counts: tuple[tuple[str, int], ...]
    findings: tuple[ThemeFindings, ...]
    plan: tuple[PlanRow, ...]
    plan_is_draft: bool
    plan_uncovered: tuple[str, ...]
    follow_up: tuple[FollowUpRow, ...]
    hotwash: tuple[tuple[str, tuple[str, ...]], ...]
    feedback: FeedbackView
    exercise_eval: tuple[tuple[str, str], ...]
    exercise_notes: tuple[str, ...]
    method: tuple[tuple[str, str], ...]
    limitations: tuple[str, ...]
    legend: tuple[tuple[str, str, str], ...]
    timeline: tuple[TimelineRow, ...]
    indicators: tuple[IndicatorView, ...]
    themes: tuple[ThemeView, ...]
    learning_points: tuple[LearningPointView, ...]

    @property
    def strengths(self) -> tuple[FindingView, ...]:
        return tuple(f for theme in self.findings for f in theme.strengths)

    @property
    def improvements(self) -> tuple[FindingView, ...]:
        return tuple(f for theme in self.findings for f in theme.improvements)


# --- timeline --------------------------------------------------------------------------------


def _written_row(data: ReportData, decided: DecisionRecord, decision: Decision | None, m: Messages,
                 lang: str) -> TimelineRow:
    """Decide-first mode: the team's own words, who decided and why, and how they were mapped."""
    written = decided.written
    assert written is not None
    scenario = data.scenario
    details = [f"{m['own_words']}: «{one_line(written.text)}»" if lang == "nb"
               else f"{m['own_words']}: “{one_line(written.text)}”"]
    if written.rationale.strip():
        details.append(f"{m['rationale']}: {one_line(written.rationale)}")
    if written.decided_by.strip():
        details.append(f"{m['decided_by']}: {one_line(person(written.decided_by, scenario, lang))}")
    response = _response(data, decided.decision, decided.response_seconds, decided.response_minutes, m, lang)
    if response:
        details.append(f"{m['response_time']}: {response}")
    option = decision.option(written.mapped_option) if decision is not None and written.mapped_option else None
    if not written.mapped:
        details.append(m["awaiting_mapping"])
    elif option is None:
        levels = ", ".join(f"{criterion} {level.value}" for criterion, level in written.levels)
        details.append(m["mapped_other"] + (f"; {m['mapped_levels']}: {levels}" if levels else ""))
    else:
        late = f" ({m['mapped_after_endex']})" if not written.applied else ""
        shown = _described(data, lang, "decision_made", decision_id=decided.decision, option_id=option.id)
        details.append(f"{m['mapped_to']}: {shown.option or option.id}{late}")
    if written.mapped and written.mapped_by.strip():
        note = f": {one_line(written.note)}" if written.note.strip() else ""
        details.append(f"{m['mapped_by']}: {one_line(person(written.mapped_by, scenario, lang))}{note}")
    minutes = written.minutes if written.minutes is not None else (decided.opened_minutes or 0.0)
    shown = _described(data, lang, "decision_written", decision_id=decided.decision)
    return TimelineRow(minutes, written.seq or 0, format_clock(minutes, scenario, lang), shown.label,
                       "decision", shown.subject, tuple(details))


def _decision_title(decision: Decision, lang: str) -> str:
    return decision.title.get(lang) if decision.title else one_line(decision.prompt.get(lang))


_KIND_RANK = {"phase": 0, "inject": 1, "adhoc": 1, "skipped": 1, "decision": 2, "observation": 3, "endex": 4}


def _response(data: ReportData, decision_id: str, play_seconds: float | None, scenario_minutes: float | None,
              m: Messages, lang: str) -> str:
    """`4 min 10 s (pauser medregnet; 2 min 00 s på klokken), 1 t i scenarioet`."""
    parts = []
    wall = data.facts.wall_response.get(decision_id)
    if wall is not None:
        text = f"{format_seconds(wall, lang)} {m['real_time_incl_pauses']}"
        if play_seconds is not None and abs(play_seconds - wall) >= 1:
            text += f" ({format_seconds(play_seconds, lang)} {m['play_time']})"
        parts.append(text)
    elif play_seconds is not None:
        parts.append(f"{format_seconds(play_seconds, lang)} {m['play_time']}")
    if scenario_minutes is not None:
        parts.append(f"{format_span(scenario_minutes, lang)} {m['scenario_time']}")
    return ", ".join(parts)


def _described(data: ReportData, lang: str, kind: str, **fields: Any) -> Description:
    """A record of the run described as the event it was made from (`describe`): the timeline
    names injects, decisions, options, phases and people as every other timeline does, also
    for a report from a saved run, which has the records and not the events."""
    return describe({"kind": kind, **fields}, data.scenario, lang, parts=True)


def _timeline(data: ReportData, m: Messages, lang: str) -> list[TimelineRow]:
    scenario, record = data.scenario, data.record
    rows: list[TimelineRow] = []
    end = _end_minutes(data)
    for phase in scenario.phases:
        if phase.starts.minutes > end:
            continue
        summary = (one_line(phase.summary.get(lang)),) if phase.summary else ()
        begun = _described(data, lang, "phase_changed", phase_id=phase.id)
        rows.append(TimelineRow(phase.starts.minutes, -1, format_clock(phase.starts.minutes, scenario, lang),
                                begun.label, "phase", begun.subject, summary))
    for released in record.injects:
        minutes = released.minutes if released.minutes is not None else 0.0
        details_list = []
        if scenario.has_inject(released.inject):
            inject = scenario.inject(released.inject)
            if inject.sender:
                details_list.append(f"{m['from']}: {one_line(inject.sender)}")
            if inject.criteria:
                details_list.append(f"{m['criteria']}: {', '.join(inject.criteria)}")
        kind, key = "inject_released", "inject"
        if released.adhoc:
            kind, key = "adhoc_inject_added", "adhoc"
            if released.sender.strip():
                details_list.append(f"{m['from']}: {one_line(released.sender)}")
            if released.channel:
                details_list.append(f"{m['channel']}: {channel_label(released.channel, m)}")
            if released.body.strip():
                details_list.append(f"{m['body']}: {one_line(released.body)}")
        if released.skipped:
            kind, key = "inject_skipped", "skipped"
            if released.reason.strip():
                details_list.append(f"{m['reason']}: {skip_reason(released.reason, scenario, m, lang)}")
        shown = _described(data, lang, kind, inject_id=released.inject, title=released.title)
        rows.append(TimelineRow(minutes, released.seq or 0, format_clock(minutes, scenario, lang), shown.label, key,
                                shown.subject, tuple(details_list)))
    for decided in record.decisions:
        decision = scenario.decision(decided.decision) if scenario.has_decision(decided.decision) else None
        if decided.written is not None:
            rows.append(_written_row(data, decided, decision, m, lang))
        if not decided.choices and decided.written is None:
            minutes = decided.opened_minutes or 0.0
            opened = _described(data, lang, "decision_opened", decision_id=decided.decision)
            rows.append(TimelineRow(minutes, decided.opened_seq or 0, format_clock(minutes, scenario, lang),
                                    opened.label, "decision", opened.subject, (m["open_at_end"],)))
            continue
        for position, choice in enumerate(decided.choices):
            kind = "decision_missed" if choice.missed else "decision_revised" if position > 0 else "decision_made"
            chosen = _described(data, lang, kind, decision_id=decided.decision, option_id=choice.option,
                                decided_by=choice.decided_by)
            details: list[str] = [f"{m['chose']}: {chosen.option}"]
            option = decision.option(choice.option) if decision is not None else None
            if option is not None and option.consequence:
                details.append(f"{m['consequence']}: {one_line(option.consequence.get(lang))}")
            if choice.missed:
                details.append(m["default_applied"])
            if position > 0:
                previous = _described(data, lang, "decision_made", decision_id=decided.decision,
                                      option_id=decided.choices[position - 1].option)
                details.append(f"{m['revised_from']}: {previous.option}")
            if choice.rationale.strip():
                details.append(f"{m['rationale']}: {one_line(choice.rationale)}")
            if chosen.by:
                details.append(f"{m['decided_by']}: {chosen.by}")
            if position == 0 and not choice.missed:
                response = _response(data, decided.decision, decided.response_seconds, decided.response_minutes,
                                     m, lang)
                if response:
                    details.append(f"{m['response_time']}: {response}")
            minutes = choice.minutes if choice.minutes is not None else (decided.opened_minutes or 0.0)
            rows.append(TimelineRow(minutes, choice.seq or 0, format_clock(minutes, scenario, lang),
                                    chosen.label, "decision", chosen.subject, tuple(details)))
    for observation in record.observations:
        minutes = observation.minutes if observation.minutes is not None else 0.0
        observed = _described(data, lang, "observation_added", text=observation.text, author=observation.author)
        notes: list[str] = []
        if observed.by:
            notes.append(f"{m['author']}: {observed.by}")
        if observation.criteria:
            level = f" ({observation.level.value})" if observation.level else ""
            notes.append(f"{m['criteria']}: {', '.join(observation.criteria)}{level}")
        rows.append(TimelineRow(minutes, observation.seq or 0, format_clock(minutes, scenario, lang),
                                observed.label, "observation", observed.subject, tuple(notes)))
    if record.ended:
        details_end = [_ending(data, m, lang)]
        if data.facts.end_note.strip():
            details_end.append(f"{m['end_note']}: {one_line(data.facts.end_note)}")
        ended = _described(data, lang, "session_ended")
        rows.append(TimelineRow(end, 1 << 30, format_clock(end, scenario, lang), ended.label, "endex", ended.subject,
                                tuple(details_end)))
    # (minute, seq) is the order things happened in, whichever path built the record. Rows
    # without a seq (a hand-made record) keep phase, inject, decision, observation order.
    return sorted(rows, key=lambda r: (r.minutes, r.seq, _KIND_RANK.get(r.kind_key, 9)))


def _end_minutes(data: ReportData) -> float:
    record = data.record
    if record.end_minutes is not None:
        return record.end_minutes
    times = [s.minutes for samples in record.history.values() for s in samples]
    times += [c.minutes for d in record.decisions for c in d.choices if c.minutes is not None]
    times += [i.minutes for i in record.injects if i.minutes is not None]
    return max(times) if times else float(data.scenario.ends.minutes)


def _ending(data: ReportData, m: Messages, lang: str) -> str:
    """How play ended, in one sentence."""
    end = _end_minutes(data)
    planned = data.scenario.ends.minutes
    day, planned_day = format_day(end), format_day(planned)
    if not data.record.ended:
        return m["ending_open"].format(day=day, planned=planned_day)
    if data.facts.end_reason == "scenario_end" or end >= planned:
        return m["ending_full"].format(day=planned_day)
    return m["ending_early"].format(day=day, planned=planned_day)


def _unplayed(data: ReportData, m: Messages, lang: str) -> list[str]:
    """What the scenario held that was never played: phases not reached, injects never released,
    decision points never opened."""
    scenario, record = data.scenario, data.record
    end = _end_minutes(data)
    done = {i.inject for i in record.injects}
    opened = {d.decision for d in record.decisions}
    played = set(data.facts.phases_played) | {scenario.phase_at(int(end)).id} if data.facts.phases_played else None
    phases = [one_line(p.title.get(lang)) for p in scenario.phases
              if p.starts.minutes > end or (played is not None and p.id not in played and p is not scenario.phases[0])]
    injects = [i for i in scenario.injects if i.id not in done]
    decisions = [d for d in scenario.decisions if d.id not in opened]
    notes = []
    if phases:
        notes.append(f"{m['unplayed_phases']}: {', '.join(phases)}")
    if injects:
        titles = [one_line(i.title.get(lang)) for i in injects[:8]]
        more = f" {m['and_more'].format(count=len(injects) - 8)}" if len(injects) > 8 else ""
        notes.append(f"{m['unplayed_injects'].format(count=len(injects))}: {'; '.join(titles)}{more}")
    if decisions:
        titles = [_decision_title(d, lang) for d in decisions[:8]]
        more = f" {m['and_more'].format(count=len(decisions) - 8)}" if len(decisions) > 8 else ""
        notes.append(f"{m['unplayed_decisions'].format(count=len(decisions))}: {'; '.join(titles)}{more}")
    return notes


# --- indicators ------------------------------------------------------------------------------


def _indicators(data: ReportData, m: Messages, lang: str) -> list[IndicatorView]:
    scenario, record = data.scenario, data.record
    end = _end_minutes(data)
    phases = tuple(PhaseMark(p.starts.minutes, one_line(p.title.get(lang))) for p in scenario.phases[1:])
    gaps = tuple((float(p.ends.minutes), float(n.starts.minutes))
                 for p, n in zip(scenario.phases, scenario.phases[1:], strict=False)
                 if p.ends is not None and n.starts.minutes > p.ends.minutes)
    views = []
    for indicator in scenario.indicators:
        samples = tuple(record.history.get(indicator.id, ())) or (Sample(record.start_minutes, indicator.initial),)
        points = ordered(samples)
        values = [s.value for s in points]
        mean = measure_value(points, Measure.MEAN, end)
        notes = []
        if indicator.good is Polarity.HIGH:
            notes.append(m["good_high"])
        elif indicator.good is Polarity.LOW:
            notes.append(m["good_low"])
        if not indicator.visible:
            notes.append(m["hidden"])
        guides = []
        for rule in scenario.scoring.rules:
            if rule.indicator != indicator.id:
                continue
            op = "≤" if is_rising(rule.thresholds) else "≥"
            for level in (Level.P, Level.S, Level.M):
                limit = rule.thresholds[level]
                guides.append(Guide(limit, f"{rule.criterion} {level.value} {op} {format_number(limit, lang)}"))
        views.append(IndicatorView(
            id=indicator.id, name=one_line(indicator.name.get(lang)), note=", ".join(notes),
            samples=tuple((s.minutes, s.value) for s in points),
            start=format_number(values[0], lang), min=format_number(min(values), lang),
            max=format_number(max(values), lang), final=format_number(values[-1], lang),
            mean=format_number(mean, lang) if mean is not None else m["dash"],
            y_min=float(indicator.min), y_max=float(indicator.max), end=end, phases=phases, gaps=gaps,
            guides=tuple(guides)))
    return views


# --- ratings and findings --------------------------------------------------------------------


def _evidence_view(item: Evidence, data: ReportData, m: Messages, lang: str) -> EvidenceView:
    """An item of evidence with a reference a reader can follow: the event number in the log,
    and the indicator by name (never an internal id)."""
    refs = []
    if item.seq is not None:
        refs.append(m["event_ref"].format(seq=item.seq))
    level = item.level.value if item.counted and item.level is not None else "·"
    text = _plain(item.reason.get(lang), data.scenario)
    if not item.counted:
        text += f" ({m['context']})"
    return EvidenceView(level=level, counted=item.counted, text=text, source=m[f"source_{item.source.value}"],
                        ref=", ".join(refs))


def _explain(rating: Any, lang: str) -> str:
    """How the suggestion was reached, without the evaluator's words (they are shown once, in
    the override line)."""
    text: str = rating.explain(lang)
    for marker in (". Overstyrt", ". Overridden", ". Bekreftet av evaluator", ". Confirmed by the evaluator"):
        if marker in text:
            return text.split(marker, 1)[0]
    return text


def _root_causes(plan: Plan, record: ScoringInput) -> dict[str, str]:
    """Root cause per criterion: the plan's (agreed with the client), else the evaluators' own
    "why" on their levelled observations of the criterion."""
    causes: dict[str, str] = {}
    for item in plan.items:
        if item.criterion and item.root_cause.strip() and item.criterion not in causes:
            causes[item.criterion] = one_line(item.root_cause)
    whys: dict[str, list[str]] = {}
    for observation in record.observations:
        if observation.level is not None and observation.why.strip():
            for criterion in observation.criteria:
                whys.setdefault(criterion, []).append(one_line(observation.why))
    for criterion, texts in whys.items():
        causes.setdefault(criterion, "; ".join(dict.fromkeys(texts)))
    return causes


def _plain(text: str, scenario: Scenario) -> str:
    """Evidence wording without the scenario's internal ids: `d02 «Kundesenteret»: valgte b –
    «Pålegge flytting»` reads `«Kundesenteret»: valgte «Pålegge flytting»`."""
    decisions = "|".join(re.escape(d.id) for d in scenario.decisions)
    options = "|".join(sorted({re.escape(o.id) for d in scenario.decisions for o in d.options}, key=len,
                              reverse=True))
    if decisions:
        text = re.sub(rf"(?<![\w-])(?:{decisions}) (?=[«“])", "", text)
    if options:
        text = re.sub(rf"(?<![\w-])(?:{options}) – (?=[«“])", "", text)
    return text


def _finding_view(finding: Finding, result: ScoringResult, catalogue: Catalogue, lang: str, plan: Plan,
                  data: ReportData) -> FindingView:
    scenario = data.scenario
    label = catalogue.level_labels.get(finding.level.value, Text.of(finding.level.value)).get(lang)
    if not finding.reviewed:
        label = f"{label}; {text(lang, 'report.unreviewed')}"
    confirmed = result.has_rating(finding.criterion) and result.rating(finding.criterion).confirmed
    measures = tuple(item.id for item in plan.items if item.criterion == finding.criterion and item.id)
    try:
        reading = catalogue.criterion(finding.criterion).interpretation
    except KeyError:
        reading = None
    return FindingView(
        confirmed=confirmed, criterion=finding.criterion, name=finding.name.get(lang), level=finding.level.value,
        label=label, evidence=tuple(_plain(e.reason.get(lang), scenario) for e in finding.evidence),
        description=one_line(finding.description.get(lang)), descriptor=one_line(finding.descriptor.get(lang)),
        target=one_line(finding.target.get(lang)), note=finding.note,
        root_cause=_root_causes(plan, data.record).get(finding.criterion, ""), measures=measures,
        interpretation=one_line(reading.get(lang)) if reading else "", reviewed=finding.reviewed)


def _element_label(item: PlanItem, m: Messages) -> str:
    return m[f"element_{item.element.value}"] if item.element is not None else m["dash"]


def _key_finding(finding: Finding, catalogue: Catalogue, lang: str, scenario: Scenario) -> str:
    label = catalogue.level_labels.get(finding.level.value, Text.of(finding.level.value)).get(lang).lower()
    level = finding.level.value if finding.reviewed else f"{finding.level.value}; {text(lang, 'report.unreviewed')}"
    head = f"{finding.name.get(lang)} ({finding.criterion}): {label} ({level})."
    because = finding.note if finding.note else (
        _plain(finding.evidence[0].reason.get(lang), scenario) if finding.evidence else "")
    return head + (f" {one_line(because)}" + ("" if one_line(because).endswith(".") else ".") if because else "")


# --- feedback and hotwash --------------------------------------------------------------------


def _feedback(facts: SessionFacts, m: Messages, lang: str) -> FeedbackView:
    scales, comments = [], []
    for question in QUESTIONS:
        answers = [r.get(question.id) for r in facts.feedback if r.get(question.id)]
        if question.scale:
            numbers = [int(a) for a in answers if a.isdigit()]
            if not numbers:
                continue
            spread = " · ".join(f"{n}: {numbers.count(n)}" for n in range(1, 6))
            scales.append(ScaleSummary(question.text.get(lang), len(numbers),
                                       format_number(sum(numbers) / len(numbers), lang),
                                       spread, question.low.get(lang), question.high.get(lang)))
        elif answers:
            comments.append((question.text.get(lang), tuple(one_line(a) for a in answers)))
    return FeedbackView(len(facts.feedback), tuple(scales), tuple(comments))


def _hotwash(facts: SessionFacts, lang: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    groups = []
    for kind, heading in HOTWASH.items():
        texts = tuple(one_line(e.text) for e in facts.hotwash if e.kind == kind and e.text.strip())
        if texts:
            groups.append((heading.get(lang), texts))
    return tuple(groups)


# --- the whole view --------------------------------------------------------------------------


def _status_word(status: str, m: Messages) -> str:
    key = f"doc_status_{status.strip().lower()}"
    return m[key] if m.has(key) else status


def _report_date(data: ReportData) -> str:
    if data.control.date:
        return data.control.date
    return dt.date.today().isoformat()


def _exercise_date(data: ReportData) -> str:
    return data.session.date


def _control(data: ReportData, m: Messages) -> list[tuple[str, str]]:
    c = data.control
    rows = [(m["doc_date"], _report_date(data)), (m["doc_version"], c.version or "0.1"),
            (m["doc_status"], _status_word(c.status or "draft", m))]
    if c.author:
        rows.append((m["doc_author"], c.author))
    if c.approved_by:
        rows.append((m["doc_approved_by"], c.approved_by))
    rows.append((m["doc_distribution"], c.distribution or m["doc_distribution_none"]))
    rows.append((m["doc_classification"], c.classification or m["doc_classification_none"]))
    return rows


def _overall(data: ReportData, goals: tuple[GoalView, ...], m: Messages, lang: str) -> str:
    result = data.result
    counts = result.counts()
    rated = sum(counts[level.value] for level in (Level.P, Level.S, Level.M, Level.U))
    assessed = [g for g in goals if g.verdict_key not in ("not_observed", "not_linked")]
    reached = sum(1 for g in assessed if g.verdict_key in ("reached", "largely"))
    parts = []
    if goals and not assessed:
        parts.append(m["overall_goals_none"].format(total=len(goals)))
    elif goals:
        parts.append(m["overall_goals"].format(reached=reached, assessed=len(assessed), total=len(goals)))
    parts.append(m["overall_counts"].format(rated=rated, P=counts["P"], S=counts["S"], M=counts["M"], U=counts["U"],
                                            index=format_number(result.index, lang) if result.index is not None
                                            else m["dash"]))
    parts.append(_ending(data, m, lang))
    return " ".join(parts)


def build_view(data: ReportData, lang: str = "nb", catalogue: Catalogue | None = None) -> ReportView:
    """The report's content in `lang` ("nb" or "en"; anything else falls back to "nb")."""
    catalogue = catalogue or load_catalogue()
    m = Messages(lang, "report.")
    lang = m.lang
    scenario, result, session, facts = data.scenario, data.result, data.session, data.facts
    title = one_line(scenario.title.get(lang))
    plan = data.plan if data.plan is not None else draft_plan(result, lang, session.session_id)

    overview: list[tuple[str, str]] = [(m["scenario"], title)]
    date = _exercise_date(data)
    if date:
        overview.append((m["date"], date))
    start = format_clock(scenario.phases[0].starts.minutes, scenario, lang) if scenario.phases else ""
    end = _end_minutes(data)
    played = f"{start} – {format_clock(end, scenario, lang)}"
    if end < scenario.ends.minutes:
        played += f" ({m['planned_to']} {format_clock(scenario.ends.minutes, scenario, lang)})"
    overview.append((m["period"], played))
    wall = facts.played_seconds_wall if facts.startex_wall else None
    if wall:
        duration = format_seconds(wall, lang)
        if facts.pauses:
            duration += f" ({m['of_which_paused'].format(time=format_seconds(facts.paused_seconds, lang))})"
        overview.append((m["duration"], duration))
    if scenario.exercise_form:
        overview.append((m["exercise_form"], one_line(scenario.exercise_form.get(lang))))
    if scenario.agency is not None:
        overview.append((m["agency"], one_line(scenario.agency.name.get(lang))))
    if session.team:
        overview.append((m["team"], session.team))
    if session.facilitator:
        overview.append((m["facilitator"], bare_name(session.facilitator)))
    if session.session_id:
        overview.append((m["session"], session.session_id))

    goal_views = []
    for number, assessment in enumerate(assess_goals(scenario.goals, result), start=1):
        crit = tuple((c, criterion_info(c, scenario, catalogue).name.get(lang), level.value)
                     for c, level in assessment.levels)
        goal_views.append(GoalView(number, one_line(assessment.goal.get(lang)), m[f"goal_{assessment.verdict}"],
                                   assessment.verdict, crit, assessment.words))

    labels = catalogue.level_labels
    themes, findings = [], []
    for rollup in result.themes:
        ratings = result.by_theme(rollup.id)
        if not ratings:
            continue
        rating_views = []
        for rating in ratings:
            rating_views.append(RatingView(
                criterion=rating.criterion, name=rating.name.get(lang), suggested=rating.suggested.value,
                final=rating.final.value, overridden=rating.overridden, override=rating.override_text(lang),
                confirmed=rating.confirmed, explain=_explain(rating, lang),
                status=rating.status_text(lang), reviewed=rating.reviewed,
                evidence=tuple(_evidence_view(e, data, m, lang) for e in rating.evidence)))
        mean = format_mean(rollup.mean, lang)
        themes.append(ThemeView(rollup.id, rollup.name.get(lang), rollup.level.value, mean, tuple(rating_views)))
        findings.append(ThemeFindings(
            rollup.id, rollup.name.get(lang), rollup.level.value, mean,
            tuple(_finding_view(f, result, catalogue, lang, plan, data) for f in result.strengths
                  if f.theme == rollup.id),
            tuple(_finding_view(f, result, catalogue, lang, plan, data) for f in result.improvements
                  if f.theme == rollup.id)))

    points = []
    for rollup in result.learning_points:
        try:
            point = catalogue.learning_point(rollup.id)
            text = one_line(point.text.get(lang))
        except KeyError:
            text = ""
        crit = tuple((c, criterion_info(c, scenario, catalogue).name.get(lang), result.rating(c).final.value)
                     for c in rollup.criteria if result.has_rating(c))
        points.append(LearningPointView(rollup.id, rollup.name.get(lang), text, rollup.level.value,
                                        format_mean(rollup.mean, lang), crit))

    def finding_ref(item: PlanItem) -> str:
        if not item.criterion:
            return m["own_measure"]
        name = criterion_info(item.criterion, scenario, catalogue).name.get(lang) if item.criterion else ""
        return f"{item.criterion} {name}".strip()

    plan_rows = tuple(PlanRow(
        id=item.id, area=item.area, action=item.action, element=_element_label(item, m), owner=item.owner,
        due=item.due, criterion=item.criterion, priority=m[f"priority_{item.priority.value}"] if item.priority else
        m["dash"], status=m[f"status_{item.status.value}"], root_cause=item.root_cause, finding=finding_ref(item))
        for item in plan.items)
    follow_up: tuple[FollowUpRow, ...] = ()
    if data.previous_plan is not None:
        follow_up = tuple(FollowUpRow(
            id=item.id, action=item.action or item.area, status=m[f"status_{item.status.value}"],
            criterion=finding_ref(item),
            now=result.rating(item.criterion).final.value if item.criterion and result.has_rating(item.criterion)
            else m["dash"]) for item in data.previous_plan.items)

    counts = result.counts()
    exercise_eval, exercise_notes = _exercise_evaluation(data, m, lang)
    method, limitations = _method(data, m, lang)
    return ReportView(
        lang=lang, m=m, title=f"{m['title']}: {title}", scenario_title=title,
        classification=data.control.classification, control=tuple(_control(data, m)),
        summary=one_line(scenario.summary.get(lang)),
        overall=_overall(data, tuple(goal_views), m, lang),
        key_findings=tuple(_key_finding(f, catalogue, lang, scenario) for f in key_findings(result)),
        ending=_ending(data, m, lang),
        overview=tuple(overview),
        participants=tuple(one_line(localise_participant(p, scenario, lang))
                           for p in session.participants if p.strip()),
        roles=tuple((one_line(r.name.get(lang)), one_line(r.description.get(lang))) for r in scenario.roles),
        goals=tuple(goal_views), not_ended=not data.record.ended,
        index=format_number(result.index, lang) if result.index is not None else m["dash"],
        counts=tuple((level.value, counts[level.value]) for level in Level),
        findings=tuple(findings), plan=plan_rows, plan_is_draft=data.plan is None,
        plan_uncovered=tuple(f"{c} {criterion_info(c, scenario, catalogue).name.get(lang)}"
                             for c in uncovered(result, plan)) if data.plan is not None else (),
        follow_up=follow_up, hotwash=_hotwash(facts, lang), feedback=_feedback(facts, m, lang),
        exercise_eval=tuple(exercise_eval), exercise_notes=tuple(exercise_notes),
        method=tuple(method), limitations=tuple(limitations),
        legend=tuple((code, labels[code].get(lang), one_line(catalogue.level_descriptions[code].get(lang)))
                     for code in labels),
        timeline=tuple(_timeline(data, m, lang)), indicators=tuple(_indicators(data, m, lang)),
        themes=tuple(themes), learning_points=tuple(points),
    )


def _exercise_evaluation(data: ReportData, m: Messages, lang: str) -> tuple[list[tuple[str, str]], list[str]]:
    """How the exercise itself went: how much of the scenario was played, the pace, deadlines
    that ran out, and what the participants said about the exercise."""
    scenario, record, facts = data.scenario, data.record, data.facts
    released = sum(1 for i in record.injects if not i.skipped and not i.adhoc)
    adhoc = sum(1 for i in record.injects if i.adhoc)
    skipped = sum(1 for i in record.injects if i.skipped)
    opened = len(record.decisions)
    decided = sum(1 for d in record.decisions if d.closed and not d.missed)
    missed = sum(1 for d in record.decisions if d.missed)
    rows = [(m["eval_played"], _ending(data, m, lang)),
            (m["eval_injects"], m["eval_injects_value"].format(released=released, total=len(scenario.injects),
                                                              skipped=skipped, adhoc=adhoc)),
            (m["eval_decisions"], m["eval_decisions_value"].format(decided=decided, opened=opened,
                                                                  total=len(scenario.decisions), missed=missed))]
    waits = [data.facts.wall_response[d.decision] for d in record.decisions if d.decision in data.facts.wall_response]
    if waits:
        rows.append((m["eval_discussion"], m["eval_discussion_value"].format(
            mean=format_seconds(sum(waits) / len(waits), lang), longest=format_seconds(max(waits), lang))))
    if facts.has_events:
        rows.append((m["eval_hotwash"], str(len(facts.hotwash)) if facts.hotwash else m["none_recorded"]))
        rows.append((m["eval_feedback"], str(len(facts.feedback)) if facts.feedback else m["none_recorded"]))
    notes = _unplayed(data, m, lang)
    for response in facts.feedback:
        for question in QUESTIONS:
            if question.about_exercise and not question.scale and response.get(question.id):
                notes.append(f"{m['participant_says']}: «{one_line(response.get(question.id))}»")
    return rows, notes


def _method(data: ReportData, m: Messages, lang: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Method and data: who evaluated, what the ratings rest on, and the limits."""
    scenario, record, result = data.scenario, data.record, data.result
    evaluators: list[str] = [f"{name} ({m['lead_evaluator']})" if lead else name for name, lead in record.evaluators]
    named = {name for name, _ in record.evaluators}
    for name in [o.author for o in record.observations] + [o.by for o in record.overrides]:
        shown = bare_name(person(name, scenario, lang)) if name.strip() else ""
        if shown and shown not in evaluators and shown not in named:
            evaluators.append(shown)
    levelled = sum(1 for o in record.observations if o.level is not None)
    rated = [r for r in result.ratings if r.final is not Level.NO]
    not_observed = [r.criterion for r in result.ratings if r.final is Level.NO]
    evidence = sum(len(r.counted) for r in result.ratings)
    reviews = {status: sum(1 for r in rated if r.status.value == status) for status in result.review_counts()}
    confirmed = sum(1 for r in rated if r.reviewed)
    catalogue = load_catalogue()
    tasks_total = tasks_covered = 0
    for rating in result.ratings:
        try:
            tasks = len(catalogue.criterion(rating.criterion).critical_tasks)
        except KeyError:
            continue
        tasks_total += tasks
        if rating.final is not Level.NO:
            tasks_covered += tasks
    rows = [
        (m["method_evaluators"], ", ".join(evaluators) if evaluators else m["method_no_evaluator"]),
        (m["method_observations"], m["method_observations_value"].format(
            total=len(record.observations), levelled=levelled, context=len(record.observations) - levelled)),
        (m["method_evidence"], m["method_evidence_value"].format(evidence=evidence, rated=len(rated),
                                                                 total=len(result.ratings))),
        (m["method_confirmed"], ", ".join(f"{count} {text(lang, f'scoring.status.{status}').lower()}"
                                          for status, count in reviews.items() if count) or m["dash"]),
    ]
    if record.task_marks:
        seen = {(mark.criterion, mark.task) for mark in record.task_marks if mark.status in ("observed", "partly")}
        rows.append((m["method_checklists"], m["method_checklists_value"].format(
            marks=len(record.task_marks), seen=len(seen))))
    if record.reasoning or record.reconciliations:
        rows.append((m["method_reasoning"], m["method_reasoning_value"].format(
            reasoning=len(record.reasoning), reconciled=len(record.reconciliations))))
    if tasks_total:
        rows.append((m["method_tasks"], m["method_tasks_value"].format(covered=tasks_covered, total=tasks_total)))
    limits = [m["limit_options"], m["limit_effects"], m["limit_single"]]
    if not_observed:
        limits.append(m["limit_not_observed"].format(criteria=", ".join(not_observed)))
    if confirmed < len(rated):
        limits.append(m["limit_unconfirmed"].format(count=len(rated) - confirmed))
    if not data.facts.has_events:
        limits.append(m["limit_no_events"])
    return rows, limits
