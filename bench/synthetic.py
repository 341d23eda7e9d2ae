"""Large synthetic scenarios for benchmarks: valid YAML with N injects and M decisions."""

from __future__ import annotations

import argparse
import sys

CHANNELS = ["email", "news", "phone", "intranet", "social_media", "meeting", "union_rep", "safety_rep"]
CRITERIA = ["KH-1", "KH-2", "KH-3", "KH-4", "KH-5", "OE-1", "OE-3", "DA-4", "AM-1", "AM-3"]


def synthetic_scenario(injects: int = 5000, decisions: int = 1000, conditional: int = 50) -> str:
    """YAML text of a valid scenario; injects spread over 360 days in four phases with one jump."""
    days = 360
    lines = [
        "schema_version: 1",
        "id: synthetic",
        "title: {nb: Syntetisk, en: Synthetic}",
        "start_date: 2025-01-06",
        "phases:",
        "  - {id: p1, title: Fase 1, starts: D+0, compression: 720, ends: D+80}",
        "  - {id: p2, title: Fase 2, starts: D+90, compression: 10080}",
        "  - {id: p3, title: Fase 3, starts: D+180, compression: 10080}",
        "  - {id: p4, title: Fase 4, starts: D+270, compression: 10080}",
        f"ends: D+{days + 10}",
        "indicators:",
        "  - {id: load, name: Belastning, initial: 40, drift: {p1: 2/week, p2: 1/week}}",
        "  - {id: trust, name: Tillit, initial: 60, drift: {p3: -1/week}}",
        "  - {id: absence, name: Fravær, initial: 10, visible: false, drift: {p2: 0.5/week}}",
        "injects:",
    ]
    scheduled = injects - conditional
    for n in range(scheduled):
        day = n * days // scheduled
        if 79 < day < 90:
            day = 79
        minute = n % 600
        lines += [
            f"  - id: i{n}",
            f"    at: D+{day} {8 + minute // 60:02d}:{minute % 60:02d}",
            f"    channel: {CHANNELS[n % len(CHANNELS)]}",
            f"    from: Avsender {n % 17}",
            f"    title: Innspill nummer {n}",
            "    body: |",
            f"      Dette er brødteksten til innspill {n}. Den er lang nok til å ligne en ekte e-post",
            "      med to linjer tekst og litt kontekst for teamet.",
            f"    criteria: [{CRITERIA[n % len(CRITERIA)]}]",
        ]
    for n in range(conditional):
        lines += [
            f"  - id: c{n}",
            f'    when: "load >= {50 + n % 40} and not flag{n % 5}"',
            "    channel: phone",
            f"    title: Betinget innspill {n}",
        ]
    lines.append("decisions:")
    step = max(1, scheduled // decisions)
    for n in range(decisions):
        lines += [
            f"  - id: d{n}",
            f"    opens_with: i{n * step}",
            "    deadline: 1d",
            f"    category: {['communication', 'staff_mobility', 'digital_meetings'][n % 3]}",
            f"    prompt: Hva gjør dere med sak {n}?",
            "    options:",
            "      - id: a",
            "        text: Det gode valget",
            "        effects: {load: -2, trust: +3}",
            f"        evidence: {{{CRITERIA[n % len(CRITERIA)]}: P}}",
            f"        sets: [flag{n % 5}]",
            "      - id: b",
            "        text: Det dårlige valget",
            "        effects: {load: +3, trust: -2}",
            f"        evidence: {{{CRITERIA[n % len(CRITERIA)]}: U}}",
            "    default: b",
        ]
    lines += [
        "scoring:",
        f"  criteria: [{', '.join(CRITERIA)}]",
        "  rules:",
        "    - {criterion: KH-5, indicator: load, measure: max, thresholds: {P: 60, S: 75, M: 90}}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--injects", type=int, default=5000)
    parser.add_argument("--decisions", type=int, default=1000)
    parser.add_argument("--conditional", type=int, default=50)
    args = parser.parse_args()
    sys.stdout.write(synthetic_scenario(args.injects, args.decisions, args.conditional))


if __name__ == "__main__":
    main()
