"""A small scenario for the balance tests: in each decision the best option is the longest and
the first, so shallow strategies do as well as the strong team (the case the analysis exists for),
and `fair_text` rewrites it so the best option is neither."""

from __future__ import annotations

import textwrap

HEADER = """\
schema_version: 1
id: balanse
title: Balansetest
phases:
  - {id: akutt, title: Akuttfasen, starts: D+0, compression: 720}
ends: D+6
indicators:
  - {id: trust, name: Tillit, initial: 60, good: high}
injects:
  - {id: i01, at: D+0 08:00, channel: news, title: Kontoret er stengt}
  - {id: i02, at: D+1 08:00, channel: union_rep, title: Kundesenteret}
  - {id: i03, at: D+3 08:00, channel: sitrep, title: Overtid}
scoring:
  criteria: [KH-2, KH-4, KH-5]
  rules:
    - {criterion: KH-4, indicator: trust, measure: mean, thresholds: {P: 65, S: 55, M: 45}}
decisions:
"""

DECISION = """\
  - id: {id}
    opens_with: {inject}
    deadline: 6h
    category: communication
    prompt: Hva gjør dere?
    options:
{options}
    default: {default}
"""

GOOD = "{{id: {id}, text: {text}, effects: {{trust: 8}}, evidence: {{{crit}: P}}}}"
POOR = "{{id: {id}, text: {text}, effects: {{trust: -8}}, evidence: {{{crit}: U}}}}"

DECISIONS = (("d01", "i01", "KH-2"), ("d02", "i02", "KH-4"), ("d03", "i03", "KH-5"))


def scenario_text(fair: bool = False) -> str:
    """Unfair: the good option is `a`, first and longest. Fair: the good option is `b`, in the
    middle, neither longest nor shortest, with no good-practice words; the default is always `c`."""
    parts = [HEADER]
    for decision_id, inject, crit in DECISIONS:
        if fair:
            options = [POOR.format(id="a", text="Informere de ansatte jevnlig via intranett og e-post", crit=crit),
                       GOOD.format(id="b", text="Ringe hver avdelingsleder i dag", crit=crit),
                       POOR.format(id="c", text="Vente en uke", crit=crit)]
        else:
            options = [GOOD.format(id="a", text="Drøfte med tillitsvalgte og informere åpent og jevnlig", crit=crit),
                       POOR.format(id="b", text="Vente litt", crit=crit),
                       POOR.format(id="c", text="Bestemme alene", crit=crit)]
        parts.append(DECISION.format(id=decision_id, inject=inject, default="c",
                                     options="\n".join("      - " + o for o in options)))
    return "".join(parts)


def strong_text(fair: bool = False) -> str:
    option = "b" if fair else "a"
    return textwrap.dedent(f"""\
        scenario: balanse
        team: Sterkt lag
        decisions:
          d01: {{option: {option}, rationale: Vi vet hva vi gjør}}
          d02: {option}
          d03: {option}
        """)
