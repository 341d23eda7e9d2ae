"""Inject cards to print: one card per inject and per decision, as one self-contained HTML file.

For rooms that play on paper: the facilitator prints the file (A4 or A5, one card per page,
large type) and hands out each card when its inject comes. Player cards show what the team
receives — when, from whom, by which channel, the text — and a decision card its question,
options and deadline, never the evidence levels (the answers). `--facilitator` adds the notes
and expected actions for the facilitator's own copy. Every text from the scenario is escaped
(and control characters made visible): a card shows the file's text, it never runs it.
"""

from __future__ import annotations

import html

from krise_ovelse.model.scenario import Channel, Decision, Inject, Scenario
from krise_ovelse.model.timefmt import format_duration, format_time
from krise_ovelse.msel.profiles import CHANNEL_LABELS
from krise_ovelse.safetext import neutralise

SIZES = ("A4", "A5")

_WORDS = {
    "nb": {"inject": "Innspill", "decision": "Beslutning", "from": "Fra", "to": "Til", "channel": "Kanal",
           "time": "Tid", "deadline": "Frist", "options": "Alternativer", "notes": "Til øvingsleder",
           "expected": "Forventet handling", "opens": "Åpnes med innspill", "manual": "Når øvingsleder velger",
           "follow_up": "Oppfølging", "when": "Når", "cards": "Innspillskort", "after": "etter"},
    "en": {"inject": "Inject", "decision": "Decision", "from": "From", "to": "To", "channel": "Channel",
           "time": "Time", "deadline": "Deadline", "options": "Options", "notes": "For the facilitator",
           "expected": "Expected action", "opens": "Opened by inject", "manual": "When the facilitator chooses",
           "follow_up": "Follow-up", "when": "When", "cards": "Inject cards", "after": "after"},
}


def _e(text: str) -> str:
    return html.escape(neutralise(text), quote=True)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_e(part)}</p>" for part in text.split("\n\n") if part.strip()).replace("\n", "<br>")


def _css(size: str) -> str:
    width, base = ("210mm", "16pt") if size == "A4" else ("148mm", "14pt")
    return f"""@page {{ size: {size}; margin: 15mm; }}
body {{ font-family: "Helvetica Neue", Arial, sans-serif; font-size: {base}; line-height: 1.4; margin: 0; }}
.card {{ page-break-after: always; break-after: page; max-width: {width}; padding: 4mm 0; }}
.card:last-child {{ page-break-after: auto; break-after: auto; }}
.kind {{ font-size: 0.8em; text-transform: uppercase; letter-spacing: 0.08em; color: #444; }}
h1 {{ font-size: 1.8em; margin: 0.2em 0 0.4em; }}
dl {{ display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; margin: 0 0 0.8em; }}
dt {{ font-weight: bold; }} dd {{ margin: 0; }}
.text {{ border-top: 2px solid #000; padding-top: 0.5em; font-size: 1.15em; }}
ol.options li {{ margin-bottom: 0.5em; }}
.facilitator {{ border: 1px dashed #555; padding: 0.5em; margin-top: 1em; font-size: 0.9em; }}
@media screen {{ .card {{ border-bottom: 1px solid #999; margin: 0 auto 2em; }} }}
"""


def _when(inject: Inject, scenario: Scenario, words: dict[str, str]) -> str:
    parts = []
    if inject.at is not None:
        moment = format_time(inject.at.minutes)
        calendar = scenario.calendar(inject.at.minutes)
        parts.append(moment + (f" ({calendar:%d.%m.%Y %H:%M})" if calendar is not None else ""))
    if inject.trigger is not None and inject.trigger.value == "manual":
        parts.append(words["manual"])
    if inject.trigger is not None and inject.trigger.value == "follow_up":
        after = f" {words['after']} {inject.after}" if inject.after is not None else ""
        parts.append(words["follow_up"] + after)
    if inject.when is not None:
        parts.append(f"{words['when']}: {inject.when.source}")
    return ", ".join(parts)


def _inject_card(inject: Inject, scenario: Scenario, lang: str, facilitator: bool) -> str:
    words = _WORDS[lang]
    labels = CHANNEL_LABELS[lang]
    rows = [(words["time"], _when(inject, scenario, words)),
            (words["channel"], labels.get(inject.channel.value, Channel(inject.channel).value))]
    if inject.sender:
        rows.append((words["from"], inject.sender))
    if inject.to:
        rows.append((words["to"], ", ".join(inject.to)))
    out = [f'<section class="card" id="inject-{_e(inject.id)}">',
           f'<div class="kind">{words["inject"]} {_e(inject.id)}</div>',
           f"<h1>{_e(inject.title.get(lang))}</h1>",
           "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows) + "</dl>"]
    if inject.body:
        out.append(f'<div class="text">{_paragraphs(inject.body.get(lang))}</div>')
    if facilitator and (inject.facilitator_notes or inject.expected_actions):
        out.append('<div class="facilitator">')
        if inject.facilitator_notes:
            out.append(f"<strong>{words['notes']}</strong>{_paragraphs(inject.facilitator_notes.get(lang))}")
        if inject.expected_actions:
            items = "".join(f"<li>{_e(a.get(lang))}</li>" for a in inject.expected_actions)
            out.append(f"<strong>{words['expected']}</strong><ul>{items}</ul>")
        out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


def _decision_card(decision: Decision, lang: str) -> str:
    words = _WORDS[lang]
    title = decision.title.get(lang) or decision.prompt.get(lang).split("\n", 1)[0]
    rows = [(words["opens"], decision.opens_with), (words["deadline"], format_duration(decision.deadline.minutes))]
    options = "".join(f"<li><strong>{_e(o.id)}</strong> {_e(o.text.get(lang))}</li>" for o in decision.options)
    return "\n".join([
        f'<section class="card" id="decision-{_e(decision.id)}">',
        f'<div class="kind">{words["decision"]} {_e(decision.id)}</div>',
        f"<h1>{_e(title)}</h1>",
        "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows) + "</dl>",
        f'<div class="text">{_paragraphs(decision.prompt.get(lang))}</div>',
        f'<h2>{words["options"]}</h2><ol class="options">{options}</ol>',
        "</section>",
    ])


def cards_html(scenario: Scenario, *, lang: str = "nb", size: str = "A4", facilitator: bool = False) -> str:
    """The whole printable file: every inject in scenario order, each decision after its inject."""
    assert size in SIZES and lang in _WORDS
    opened_by = {d.opens_with: d for d in scenario.decisions}
    cards = []
    for inject in scenario.injects:
        cards.append(_inject_card(inject, scenario, lang, facilitator))
        if inject.id in opened_by:
            cards.append(_decision_card(opened_by[inject.id], lang))
    title = f"{_WORDS[lang]['cards']}: {scenario.title.get(lang)}"
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title>",
        f"<style>{_css(size)}</style></head><body>",
        *cards,
        "</body></html>",
    ]) + "\n"
