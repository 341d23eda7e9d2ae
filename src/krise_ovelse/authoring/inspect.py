"""Statistics of a scenario for its author: span, phases, play time, counts by kind."""

from __future__ import annotations

from collections import Counter
from typing import Any

from krise_ovelse.model.scenario import Scenario, Trigger
from krise_ovelse.model.timefmt import MINUTES_PER_DAY, format_duration


def played_minutes(scenario: Scenario) -> list[tuple[int, int]]:
    """(scenario minutes played, minutes of play) per phase, jumps excluded."""
    result = []
    for index, phase in enumerate(scenario.phases):
        nxt = scenario.phases[index + 1].starts.minutes if index + 1 < len(scenario.phases) else scenario.ends.minutes
        end = phase.ends.minutes if phase.ends is not None else nxt
        span = max(0, end - phase.starts.minutes)
        result.append((span, round(span / phase.compression) if phase.compression > 0 else 0))
    return result


def criteria_with_evidence(scenario: Scenario) -> list[str]:
    found = {c for d in scenario.decisions for o in d.options for c in o.evidence}
    found |= {r.criterion for r in scenario.scoring.rules}
    return sorted(found)


def inspect_scenario(scenario: Scenario) -> dict[str, Any]:
    spans = played_minutes(scenario)
    phases = [
        {
            "id": phase.id,
            "title": phase.title.get(scenario.language),
            "starts": str(phase.starts),
            "ends": str(phase.ends) if phase.ends else None,
            "compression": phase.compression,
            "scenario_days_played": round(span / MINUTES_PER_DAY, 2),
            "play_minutes": play,
        }
        for phase, (span, play) in zip(scenario.phases, spans, strict=True)
    ]
    start = scenario.calendar(0)
    end = scenario.calendar(scenario.ends.minutes)
    return {
        "id": scenario.id,
        "title": scenario.title.get(scenario.language),
        "languages": list(scenario.declared_languages),
        "span": {
            "ends": str(scenario.ends),
            "days": round(scenario.ends.minutes / MINUTES_PER_DAY, 2),
            "start_date": start.date().isoformat() if start else None,
            "end_date": end.date().isoformat() if end else None,
            "jumps": sum(1 for p in scenario.phases if p.ends is not None),
            "play_minutes": sum(play for _, play in spans),
        },
        "phases": phases,
        "injects": {
            "total": len(scenario.injects),
            "by_channel": dict(sorted(Counter(i.channel.value for i in scenario.injects).items())),
            "by_trigger": {t.value: sum(1 for i in scenario.injects if i.kind is t) for t in Trigger},
            "with_facilitator_notes": sum(1 for i in scenario.injects if i.facilitator_notes),
            "with_expected_actions": sum(1 for i in scenario.injects if i.expected_actions),
        },
        "decisions": {
            "total": len(scenario.decisions),
            "by_category": dict(sorted(Counter(d.category.value for d in scenario.decisions).items())),
            "options": sum(len(d.options) for d in scenario.decisions),
        },
        "criteria": {
            "with_evidence": criteria_with_evidence(scenario),
            "scored": list(scenario.scoring.criteria),
            "rules": len(scenario.scoring.rules),
        },
        "indicators": [
            {"id": i.id, "name": i.name.get(scenario.language), "initial": i.initial,
             "visible": i.visible, "drift_phases": sorted(i.drift)}
            for i in scenario.indicators
        ],
    }


def format_inspection(info: dict[str, Any]) -> str:
    lines = [f"{info['title']} ({info['id']})"]
    span = info["span"]
    dates = f", {span['start_date']} – {span['end_date']}" if span["start_date"] else ""
    lines.append(f"  span: D+0 – {span['ends']} ({span['days']:g} days{dates}), "
                 f"{span['jumps']} jump(s), about {format_duration(span['play_minutes'])} of play")
    lines.append("  phases:")
    for p in info["phases"]:
        ends = f" – {p['ends']} (then jump)" if p["ends"] else ""
        lines.append(f"    {p['id']:<16} {p['starts']}{ends}  x{p['compression']:g}  "
                     f"{p['scenario_days_played']:g} days in {format_duration(p['play_minutes'])}")
    inj = info["injects"]
    lines.append(f"  injects: {inj['total']}  by channel: "
                 + ", ".join(f"{k} {v}" for k, v in inj["by_channel"].items()))
    lines.append("           by trigger: " + ", ".join(f"{k} {v}" for k, v in inj["by_trigger"].items()))
    dec = info["decisions"]
    lines.append(f"  decisions: {dec['total']} ({dec['options']} options)  by category: "
                 + ", ".join(f"{k} {v}" for k, v in dec["by_category"].items()))
    crit = info["criteria"]
    lines.append(f"  criteria with evidence ({len(crit['with_evidence'])}): " + ", ".join(crit["with_evidence"]))
    lines.append(f"  indicators ({len(info['indicators'])}): " + ", ".join(
        i["id"] + ("" if i["visible"] else " (hidden)") for i in info["indicators"]))
    return "\n".join(lines)
