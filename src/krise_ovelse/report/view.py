"""The report's content in one language, as plain strings: what the renderers lay out.

`build_view(data, lang)` turns a `ReportData` (scenario, run record, scoring result, session
facts, plan) into a `ReportView`. Every string in the view is plain, unescaped text; the
Markdown and HTML renderers escape it for their format. Keeping the content here means both
formats say the same thing and tests can check the content without parsing markup.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import attrs

from krise_ovelse.catalogue import Catalogue, load_catalogue
from krise_ovelse.messages import Messages
from krise_ovelse.model.scenario import Decision, Level, Measure, Polarity, Scenario
from krise_ovelse.model.text import Text
from krise_ovelse.model.timefmt import format_duration, format_time
from krise_ovelse.report.plan import Plan, PlanItem, draft_plan, uncovered
from krise_ovelse.report.svg import Guide, PhaseMark
from krise_ovelse.scoring.adapter import localise_participant
from krise_ovelse.scoring.evidence import Evidence, format_number, is_rising, measure_value, ordered, who
from krise_ovelse.scoring.inputs import Sample, ScoringInput
from krise_ovelse.scoring.ratings import Finding, ScoringResult, criterion_info, score
from krise_ovelse.scoring.text import format_mean


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
class ReportData:
    """Everything a report is made from. `plan` None means: use the draft plan."""

    scenario: Scenario
    record: ScoringInput
    result: ScoringResult
    session: SessionMeta = SessionMeta()
    plan: Plan | None = None


def build_report(scenario: Scenario, record: ScoringInput, *, session: SessionMeta | None = None,
                 plan: Plan | None = None, result: ScoringResult | None = None,
                 catalogue: Catalogue | None = None) -> ReportData:
    """Score the record (unless a result is given) and gather the report's inputs."""
    return ReportData(scenario=scenario, record=record,
                      result=result if result is not None else score(scenario, record, catalogue),
                      session=session or SessionMeta(), plan=plan)


def session_meta_from_record(record: ScoringInput, session_id: str = "", date: str = "",
                             status: str = "") -> SessionMeta:
    """Session facts as the engine recorded them at the start (team, participants, facilitator)."""
    return SessionMeta(session_id=session_id, team=record.team, participants=record.participants,
                       facilitator=record.facilitator, date=date, status=status)


def report_from_events(scenario: Scenario, events: Iterable[Any], *, session: SessionMeta | None = None,
                       plan: Plan | None = None) -> ReportData:
    """A report's inputs from an engine's events (Event objects or their dicts).

    Without `session`, the team, participants and facilitator come from the events.
    """
    from krise_ovelse.scoring.adapter import scoring_input_from_events

    record = scoring_input_from_events(scenario, events)
    return build_report(scenario, record, session=session or session_meta_from_record(record), plan=plan)


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
    area: str
    action: str
    element: str
    owner: str
    due: str
    criterion: str


@attrs.frozen
class ReportView:
    lang: str
    m: Messages
    title: str
    scenario_title: str
    summary: str
    overview: tuple[tuple[str, str], ...]
    participants: tuple[str, ...]
    roles: tuple[tuple[str, str], ...]
    goals: tuple[str, ...]
    not_ended: bool
    index: str
    counts: tuple[tuple[str, int], ...]
    timeline: tuple[TimelineRow, ...]
    indicators: tuple[IndicatorView, ...]
    themes: tuple[ThemeView, ...]
    strengths: tuple[FindingView, ...]
    improvements: tuple[FindingView, ...]
    learning_points: tuple[LearningPointView, ...]
    plan: tuple[PlanRow, ...]
    plan_is_draft: bool
    plan_uncovered: tuple[str, ...]
    legend: tuple[tuple[str, str, str], ...]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_clock(minutes: float, scenario: Scenario, lang: str) -> str:
    """`D+3 08:00`, with the calendar date if the scenario has a start date."""
    whole = math.floor(minutes + 1e-9)
    text = format_time(whole)
    moment = scenario.calendar(whole)
    if moment is not None:
        date = f"{moment.day}.{moment.month}.{moment.year}" if lang == "nb" else moment.date().isoformat()
        text += f" ({date})"
    return text


def format_seconds(seconds: float, lang: str) -> str:
    """Play time: `45 s`, `3 min 05 s`, `1 t 02 min` (nb) / `1 h 02 min` (en)."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    mins, secs = divmod(rest, 60)
    hour = "t" if lang == "nb" else "h"
    if hours:
        return f"{hours} {hour} {mins:02d} min"
    if mins:
        return f"{mins} min {secs:02d} s"
    return f"{secs} s"


def _decision_title(decision: Decision, lang: str) -> str:
    return decision.title.get(lang) if decision.title else _one_line(decision.prompt.get(lang))


def _option_text(decision: Decision | None, option_id: str, lang: str) -> str:
    option = decision.option(option_id) if decision is not None else None
    return f"{option_id} – {_one_line(option.text.get(lang))}" if option is not None else option_id


def person(by: str, scenario: Scenario, lang: str) -> str:
    """Who did something, as a reader says it: a role id of the scenario (`hr`) as the role's
    name, a role word the tools record (`facilitator`) in the report's language, else as given."""
    role = next((r for r in scenario.roles if r.id == by.strip()), None)
    return role.name.get(lang) if role is not None else who(by, lang)


def channel_label(channel: str, m: Messages) -> str:
    """A channel (`phone`) in the report's language (`telefon`); an unknown one as given."""
    return m[f"channel_{channel}"] if m.has(f"channel_{channel}") else channel


_KIND_RANK = {"phase": 0, "inject": 1, "adhoc": 1, "skipped": 1, "decision": 2, "observation": 3}


def _timeline(data: ReportData, m: Messages, lang: str) -> list[TimelineRow]:
    scenario, record = data.scenario, data.record
    rows: list[TimelineRow] = []
    end = _end_minutes(data)
    for phase in scenario.phases:
        if phase.starts.minutes > end:
            continue
        summary = (_one_line(phase.summary.get(lang)),) if phase.summary else ()
        rows.append(TimelineRow(phase.starts.minutes, -1, format_clock(phase.starts.minutes, scenario, lang),
                                m["kind_phase"], "phase", _one_line(phase.title.get(lang)), summary))
    for released in record.injects:
        minutes = released.minutes if released.minutes is not None else 0.0
        details_list = []
        if scenario.has_inject(released.inject):
            inject = scenario.inject(released.inject)
            what = f"{inject.id} {_one_line(inject.title.get(lang))}"
            if inject.sender:
                details_list.append(f"{m['from']}: {_one_line(inject.sender)}")
            if inject.criteria:
                details_list.append(f"{m['criteria']}: {', '.join(inject.criteria)}")
        else:
            what = f"{released.inject} {_one_line(released.title)}".strip()
        kind, key = m["kind_inject"], "inject"
        if released.adhoc:
            kind, key = m["kind_adhoc"], "adhoc"
            if released.sender.strip():
                details_list.append(f"{m['from']}: {_one_line(released.sender)}")
            if released.channel:
                details_list.append(f"{m['channel']}: {channel_label(released.channel, m)}")
            if released.body.strip():
                details_list.append(f"{m['body']}: {_one_line(released.body)}")
        if released.skipped:
            kind, key = m["kind_skipped"], "skipped"
            if released.reason.strip():
                details_list.append(f"{m['reason']}: {_one_line(released.reason)}")
        rows.append(TimelineRow(minutes, released.seq or 0, format_clock(minutes, scenario, lang), kind, key, what,
                                tuple(details_list)))
    for decided in record.decisions:
        decision = scenario.decision(decided.decision) if scenario.has_decision(decided.decision) else None
        what = f"{decided.decision} {_decision_title(decision, lang)}" if decision else decided.decision
        if not decided.choices:
            minutes = decided.opened_minutes or 0.0
            rows.append(TimelineRow(minutes, decided.opened_seq or 0, format_clock(minutes, scenario, lang),
                                    m["kind_decision"], "decision", what, (m["open_at_end"],)))
            continue
        for position, choice in enumerate(decided.choices):
            details: list[str] = [f"{m['chose']}: {_option_text(decision, choice.option, lang)}"]
            option = decision.option(choice.option) if decision is not None else None
            if option is not None and option.consequence:
                details.append(f"{m['consequence']}: {_one_line(option.consequence.get(lang))}")
            if choice.missed:
                details.append(m["default_applied"])
            if position > 0:
                previous = decided.choices[position - 1]
                details.append(f"{m['revised_from']}: {_option_text(decision, previous.option, lang)}")
            if choice.rationale.strip():
                details.append(f"{m['rationale']}: {_one_line(choice.rationale)}")
            if choice.decided_by.strip():
                details.append(f"{m['decided_by']}: {_one_line(person(choice.decided_by, scenario, lang))}")
            if position == 0 and not choice.missed:
                parts = []
                if decided.response_seconds is not None:
                    parts.append(f"{format_seconds(decided.response_seconds, lang)} {m['play_time']}")
                if decided.response_minutes is not None:
                    parts.append(f"{format_duration(round(decided.response_minutes))} {m['scenario_time']}")
                if parts:
                    details.append(f"{m['response_time']}: {', '.join(parts)}")
            minutes = choice.minutes if choice.minutes is not None else (decided.opened_minutes or 0.0)
            rows.append(TimelineRow(minutes, choice.seq or 0, format_clock(minutes, scenario, lang),
                                    m["kind_decision"], "decision", what, tuple(details)))
    for observation in record.observations:
        minutes = observation.minutes if observation.minutes is not None else 0.0
        notes: list[str] = []
        if observation.author.strip():
            notes.append(f"{m['author']}: {_one_line(person(observation.author, scenario, lang))}")
        if observation.criteria:
            level = f" ({observation.level.value})" if observation.level else ""
            notes.append(f"{m['criteria']}: {', '.join(observation.criteria)}{level}")
        rows.append(TimelineRow(minutes, observation.seq or 0, format_clock(minutes, scenario, lang),
                                m["kind_observation"], "observation", _one_line(observation.text), tuple(notes)))
    # (minute, seq) is the order things happened in, whichever path built the record (the
    # console's export and `krise-ovelse report` list the same events in the same order). Rows
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


def _indicators(data: ReportData, m: Messages, lang: str) -> list[IndicatorView]:
    scenario, record = data.scenario, data.record
    end = _end_minutes(data)
    phases = tuple(PhaseMark(p.starts.minutes, _one_line(p.title.get(lang))) for p in scenario.phases[1:])
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
            id=indicator.id, name=_one_line(indicator.name.get(lang)), note=", ".join(notes),
            samples=tuple((s.minutes, s.value) for s in points),
            start=format_number(values[0], lang), min=format_number(min(values), lang),
            max=format_number(max(values), lang), final=format_number(values[-1], lang),
            mean=format_number(mean, lang) if mean is not None else m["dash"],
            y_min=float(indicator.min), y_max=float(indicator.max), end=end, phases=phases, gaps=gaps,
            guides=tuple(guides)))
    return views


def _evidence_view(item: Evidence, m: Messages, lang: str) -> EvidenceView:
    refs = []
    if item.seq is not None:
        refs.append(f"#{item.seq}")
    if item.decision and item.option:
        refs.append(f"{item.decision}={item.option}")
    elif item.indicator:
        refs.append(f"{item.indicator} ({item.measure})")
    level = item.level.value if item.counted and item.level is not None else "·"
    text = item.reason.get(lang)
    if not item.counted:
        text += f" ({m['context']})"
    return EvidenceView(level=level, counted=item.counted, text=text, source=m[f"source_{item.source.value}"],
                        ref=" ".join(refs))


def _finding_view(finding: Finding, result: ScoringResult, catalogue: Catalogue, lang: str) -> FindingView:
    label = catalogue.level_labels.get(finding.level.value, Text.of(finding.level.value)).get(lang)
    confirmed = result.has_rating(finding.criterion) and result.rating(finding.criterion).confirmed
    return FindingView(confirmed=confirmed,
        criterion=finding.criterion, name=finding.name.get(lang), level=finding.level.value, label=label,
        evidence=tuple(e.reason.get(lang) for e in finding.evidence),
        description=_one_line(finding.description.get(lang)), descriptor=_one_line(finding.descriptor.get(lang)),
        target=_one_line(finding.target.get(lang)), note=finding.note)


def _element_label(item: PlanItem, m: Messages) -> str:
    return m[f"element_{item.element.value}"] if item.element is not None else m["dash"]


def build_view(data: ReportData, lang: str = "nb", catalogue: Catalogue | None = None) -> ReportView:
    """The report's content in `lang` ("nb" or "en"; anything else falls back to "nb")."""
    catalogue = catalogue or load_catalogue()
    m = Messages(lang, "report.")
    lang = m.lang
    scenario, result, session = data.scenario, data.result, data.session
    title = _one_line(scenario.title.get(lang))

    overview: list[tuple[str, str]] = [(m["scenario"], title), (m["scenario_id"], scenario.id)]
    if session.date:
        overview.append((m["date"], session.date))
    start = format_clock(scenario.phases[0].starts.minutes, scenario, lang) if scenario.phases else ""
    overview.append((m["period"], f"{start} – {format_clock(scenario.ends.minutes, scenario, lang)}"))
    if scenario.exercise_form:
        overview.append((m["exercise_form"], _one_line(scenario.exercise_form.get(lang))))
    if scenario.agency is not None:
        overview.append((m["agency"], _one_line(scenario.agency.name.get(lang))))
    if session.team:
        overview.append((m["team"], session.team))
    if session.facilitator:
        overview.append((m["facilitator"], session.facilitator))
    if session.session_id:
        overview.append((m["session"], session.session_id))

    labels = catalogue.level_labels
    themes = []
    for rollup in result.themes:
        ratings = result.by_theme(rollup.id)
        if not ratings:
            continue
        rating_views = []
        for rating in ratings:
            rating_views.append(RatingView(
                criterion=rating.criterion, name=rating.name.get(lang), suggested=rating.suggested.value,
                final=rating.final.value, overridden=rating.overridden, override=rating.override_text(lang),
                confirmed=rating.confirmed,
                explain=rating.explain(lang),
                evidence=tuple(_evidence_view(e, m, lang) for e in rating.evidence)))
        themes.append(ThemeView(rollup.id, rollup.name.get(lang), rollup.level.value,
                                format_mean(rollup.mean, lang), tuple(rating_views)))

    points = []
    for rollup in result.learning_points:
        try:
            point = catalogue.learning_point(rollup.id)
            text = _one_line(point.text.get(lang))
        except KeyError:
            text = ""
        crit = tuple((c, criterion_info(c, scenario, catalogue).name.get(lang), result.rating(c).final.value)
                     for c in rollup.criteria if result.has_rating(c))
        points.append(LearningPointView(rollup.id, rollup.name.get(lang), text, rollup.level.value,
                                        format_mean(rollup.mean, lang), crit))

    plan = data.plan if data.plan is not None else draft_plan(result, lang, session.session_id)
    plan_rows = tuple(PlanRow(item.area, item.action, _element_label(item, m), item.owner, item.due, item.criterion)
                      for item in plan.items)
    counts = result.counts()
    return ReportView(
        lang=lang, m=m, title=f"{m['title']}: {title}", scenario_title=title,
        summary=_one_line(scenario.summary.get(lang)), overview=tuple(overview),
        participants=tuple(_one_line(localise_participant(p, scenario, lang))
                           for p in session.participants if p.strip()),
        roles=tuple((_one_line(r.name.get(lang)), _one_line(r.description.get(lang))) for r in scenario.roles),
        goals=tuple(_one_line(g.get(lang)) for g in scenario.goals),
        not_ended=not data.record.ended,
        index=format_number(result.index, lang) if result.index is not None else m["dash"],
        counts=tuple((level.value, counts[level.value]) for level in Level),
        timeline=tuple(_timeline(data, m, lang)), indicators=tuple(_indicators(data, m, lang)),
        themes=tuple(themes),
        strengths=tuple(_finding_view(f, result, catalogue, lang) for f in result.strengths),
        improvements=tuple(_finding_view(f, result, catalogue, lang) for f in result.improvements),
        learning_points=tuple(points), plan=plan_rows, plan_is_draft=data.plan is None,
        plan_uncovered=uncovered(result, plan) if data.plan is not None else (),
        legend=tuple((code, labels[code].get(lang), _one_line(catalogue.level_descriptions[code].get(lang)))
                     for code in labels),
    )
