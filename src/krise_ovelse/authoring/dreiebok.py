"""The dreiebok (MSEL) of a scenario as a document the facilitator reads before the exercise.

Injects in the order they can come, each with sender, text, facilitator notes, expected actions
and the decision it opens; conditional, manual and follow-up injects after the timeline, with
what releases them. Markdown, so it prints and renders anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from krise_ovelse.model.scenario import Decision, Inject, Scenario, Trigger

LABELS = {
    "nb": {
        "title": "Dreiebok", "phases": "Faser", "timeline": "Planlagte innspill",
        "others": "Innspill uten fast tidspunkt", "from": "Fra", "to": "Til", "channel": "Kanal",
        "notes": "Til øvingsleder", "expected": "Forventede handlinger", "criteria": "Kriterier",
        "decision": "Beslutningspunkt", "deadline": "Frist", "default": "Standardvalg ved fristen",
        "effects": "virkning", "evidence": "grunnlag", "when": "Utløses når", "manual": "Utløses av øvingsleder",
        "follow_up": "Følger av valg", "after": "etter", "compression": "1 minutt spill = {span}",
        "jump": "deretter tidshopp til {to}", "ends": "Øvelsen slutter {at}", "indicators": "Indikatorer",
        "hidden": "skjult for øvingsdeltakerne", "initial": "start",
    },
    "en": {
        "title": "Master scenario events list", "phases": "Phases", "timeline": "Scheduled injects",
        "others": "Injects without a fixed time", "from": "From", "to": "To", "channel": "Channel",
        "notes": "For the facilitator", "expected": "Expected actions", "criteria": "Criteria",
        "decision": "Decision point", "deadline": "Deadline", "default": "Default at the deadline",
        "effects": "effects", "evidence": "evidence", "when": "Released when", "manual": "Released by the facilitator",
        "follow_up": "Follows from choosing", "after": "after", "compression": "1 minute of play = {span}",
        "jump": "then a jump to {to}", "ends": "The exercise ends {at}", "indicators": "Indicators",
        "hidden": "hidden from the team", "initial": "initial",
    },
}


#: Channels, decision categories and time units in the handout's language (ids are for authors).
CHANNELS = {
    "nb": {"email": "e-post", "news": "nyheter", "phone": "telefon", "intranet": "intranett",
           "social_media": "sosiale medier", "meeting": "møte", "union_rep": "tillitsvalgt",
           "safety_rep": "verneombud", "letter": "brev", "sitrep": "situasjonsrapport"},
    "en": {"email": "e-mail", "news": "news", "phone": "phone", "intranet": "intranet",
           "social_media": "social media", "meeting": "meeting", "union_rep": "union rep",
           "safety_rep": "safety rep", "letter": "letter", "sitrep": "situation report"},
}
CATEGORIES = {
    "nb": {"communication": "kommunikasjon", "staff_mobility": "personalforflytning",
           "digital_meetings": "digitale møter", "work_environment": "arbeidsmiljø",
           "crisis_organisation": "kriseorganisering"},
    "en": {"communication": "communication", "staff_mobility": "staff mobility",
           "digital_meetings": "digital meetings", "work_environment": "work environment",
           "crisis_organisation": "crisis organisation"},
}
UNITS = {
    "nb": {"week": ("uke", "uker"), "day": ("døgn", "døgn"), "hour": ("time", "timer"),
           "minute": ("minutt", "minutter")},
    "en": {"week": ("week", "weeks"), "day": ("day", "days"), "hour": ("hour", "hours"),
           "minute": ("minute", "minutes")},
}


def duration_words(minutes: float, lang: str) -> str:
    """A span of scenario time in words: `6 timer`, `1 døgn 12 timer` (nb), `2 days` (en)."""
    units = UNITS.get(lang, UNITS["nb"])
    if minutes < 60 and minutes != round(minutes):
        return f"{minutes:g} {units['minute'][1]}"
    rest = round(minutes)
    parts = []
    for unit, size in (("week", 7 * 24 * 60), ("day", 24 * 60), ("hour", 60), ("minute", 1)):
        count, rest = divmod(rest, size)
        if count:
            one, many = units[unit]
            parts.append(f"{count} {one if count == 1 else many}")
    return " ".join(parts) or f"0 {units['minute'][1]}"


def _role(s: Scenario, role: str, lang: str) -> str:
    found = next((r for r in s.roles if r.id == role), None)
    return found.name.get(lang) if found is not None else role


def _indicator(s: Scenario, indicator: str, lang: str) -> str:
    found = next((i for i in s.indicators if i.id == indicator), None)
    return found.name.get(lang) if found is not None else indicator


def _md(text: str) -> str:
    """Scenario text as Markdown text, not markup."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out


def dreiebok_markdown(scenario: Scenario, language: str = "nb") -> str:
    return "\n".join(_lines(scenario, language if language in LABELS else "nb")) + "\n"


def _lines(s: Scenario, lang: str) -> Iterator[str]:
    L = LABELS[lang]
    yield f"# {L['title']}: {_md(s.title.get(lang))}"
    yield ""
    if s.summary:
        yield _md(s.summary.get(lang))
        yield ""
    yield f"## {L['phases']}"
    yield ""
    for index, phase in enumerate(s.phases):
        detail = L["compression"].format(span=duration_words(phase.compression, lang))
        if phase.ends is not None:
            nxt = s.phases[index + 1].starts if index + 1 < len(s.phases) else s.ends
            detail += ", " + L["jump"].format(to=_when(s, nxt.minutes))
        yield f"- **{_md(phase.title.get(lang))}** — {_when(s, phase.starts.minutes)} ({detail})"
        if phase.summary:  # what the facilitator reads out at the phase change
            for line in phase.summary.get(lang).strip().splitlines():
                yield f"  {_md(line)}" if line.strip() else ""
    yield f"- {L['ends'].format(at=_when(s, s.ends.minutes))}"
    yield ""
    yield f"## {L['indicators']}"
    yield ""
    for ind in s.indicators:
        hidden = f", {L['hidden']}" if not ind.visible else ""
        yield f"- {_md(ind.name.get(lang))} (`{ind.id}`, {L['initial']} {ind.initial:g}{hidden})"
    yield ""
    yield f"## {L['timeline']}"
    scheduled = sorted((i for i in s.injects if i.kind is Trigger.SCHEDULED and i.at is not None),
                       key=lambda i: (i.at.minutes if i.at else 0, i.id))
    for inj in scheduled:
        yield from _inject(s, inj, lang, _when(s, inj.at.minutes if inj.at else 0))
    others = [i for i in s.injects if i.kind is not Trigger.SCHEDULED]
    if others:
        yield ""
        yield f"## {L['others']}"
        for inj in others:
            yield from _inject(s, inj, lang, _trigger_text(s, inj, lang))


def _when(s: Scenario, minutes: int) -> str:
    from krise_ovelse.model.timefmt import format_time

    calendar = s.calendar(minutes)
    return format_time(minutes) + (f" ({calendar:%d.%m.%Y})" if calendar else "")


def _trigger_text(s: Scenario, inj: Inject, lang: str) -> str:
    L = LABELS[lang]
    if inj.kind is Trigger.CONDITIONAL and inj.when is not None:
        return f"{L['when']} `{inj.when.source}`"
    if inj.kind is Trigger.MANUAL:
        return L["manual"]
    sources = [f"{d.id}/{o.id}" for d in s.decisions for o in d.options if inj.id in o.follow_up]
    after = f" ({L['after']} {duration_words(inj.after.minutes, lang)})" if inj.after else ""
    return f"{L['follow_up']} {', '.join(sources)}{after}"


def _inject(s: Scenario, inj: Inject, lang: str, when: str) -> Iterator[str]:
    L = LABELS[lang]
    yield ""
    yield f"### {when} · {inj.id} · {_md(inj.title.get(lang))}"
    yield ""
    meta = [f"{L['channel']}: {CHANNELS[lang].get(inj.channel.value, inj.channel.value)}"]
    if inj.sender:
        meta.append(f"{L['from']}: {_md(inj.sender)}")
    if inj.to:
        meta.append(f"{L['to']}: {_md(', '.join(_role(s, role, lang) for role in inj.to))}")
    yield " · ".join(meta)
    if inj.body:
        yield ""
        for line in inj.body.get(lang).strip().splitlines():
            yield f"> {_md(line)}" if line.strip() else ">"
    if inj.facilitator_notes:
        yield ""
        yield f"**{L['notes']}:** {_md(inj.facilitator_notes.get(lang).strip())}"
    if inj.expected_actions:
        yield ""
        yield f"**{L['expected']}:**"
        for action in inj.expected_actions:
            yield f"- {_md(action.get(lang))}"
    if inj.criteria:
        yield ""
        yield f"**{L['criteria']}:** {', '.join(inj.criteria)}"
    for decision in s.decisions_opened_by(inj.id):
        yield from _decision(s, decision, lang)


def _decision(s: Scenario, d: Decision, lang: str) -> Iterator[str]:
    L = LABELS[lang]
    category = CATEGORIES[lang].get(d.category.value, d.category.value)
    deadline = duration_words(d.deadline.minutes, lang)
    yield ""
    yield f"**{L['decision']} {d.id}** ({category}, {L['deadline']} {deadline}): {_md(d.prompt.get(lang))}"
    yield ""
    for opt in d.options:
        effects = ", ".join(f"{_md(_indicator(s, k, lang))} {v:+g}" for k, v in opt.effects.items())
        evidence = ", ".join(f"{k} {v.value}" for k, v in opt.evidence.items())
        details = "; ".join(part for part in (
            f"{L['effects']}: {effects}" if effects else "", f"{L['evidence']}: {evidence}" if evidence else "",
        ) if part)
        suffix = f" — *{details}*" if details else ""
        yield f"{opt.id}. {_md(opt.text.get(lang))}{suffix}"
    yield ""
    yield f"*{L['default']}: {d.default}*"
