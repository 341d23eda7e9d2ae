from __future__ import annotations

import textwrap

from krise_ovelse.authoring import LoadResult, load_scenario_text
from krise_ovelse.authoring.lint import lint_scenario
from krise_ovelse.model.problems import Problem

MINIMAL = textwrap.dedent(
    """\
    schema_version: 1
    id: mini
    title: {nb: "Mini", en: "Mini"}
    start_date: 2020-03-12
    phases:
      - id: akutt
        title: Akuttfasen
        starts: D+0
        compression: 720
        ends: D+3
      - id: lang
        title: Maratonet
        starts: D+14
        compression: 10080
    ends: D+30
    indicators:
      - id: load
        name: {nb: Belastning, en: Load}
        initial: 40
        drift: {akutt: 3/week, lang: 2/week}
      - id: trust
        name: Tillit
        initial: 60
        visible: false
    injects:
      - id: i01
        at: D+0 08:00
        channel: news
        from: NRK
        to: [alle]
        title: "Regjeringen stenger ned"
        body: "Alle som kan, skal jobbe hjemmefra."
        criteria: [KH-1]
      - id: i02
        when: "load >= 75 and not daily"
        channel: phone
        title: "Nøkkelperson sykmeldt"
      - id: i03
        trigger: manual
        channel: union_rep
        from: Hovedtillitsvalgt
        title: "Vi ble ikke drøftet"
      - id: i04
        trigger: follow_up
        after: 2d
        channel: intranet
        title: "Oppfølging"
      - id: i05
        at: D+15 09:00
        channel: email
        title: "Status"
    decisions:
      - id: d01
        opens_with: i01
        deadline: 2d
        category: communication
        prompt: "Hvordan informerer dere?"
        options:
          - id: a
            text: "Daglig status"
            effects: {load: +5, trust: +10}
            evidence: {KH-2: P}
            sets: [daily]
            follow_up: [i04]
          - id: b
            text: "Vent"
            effects: {trust: -10}
            evidence: {KH-2: U}
        default: b
    scoring:
      criteria: [KH-2, KH-5]
      rules:
        - criterion: KH-5
          indicator: load
          measure: max
          thresholds: {P: 60, S: 75, M: 90}
    """
)


def load(text: str) -> LoadResult:
    return load_scenario_text(text, "s.yaml")


def codes(result: LoadResult) -> list[str]:
    return [p.code for p in result.problems]


def replace(old: str, new: str, text: str = MINIMAL) -> str:
    """`text` with the first `old` replaced (which must be there)."""
    assert old in text, old
    return text.replace(old, new, 1)


def lint(text: str) -> list[Problem]:
    """The lint warnings of a scenario that loads without errors."""
    result = load(text)
    assert result.scenario is not None and result.document is not None, [p.render() for p in result.problems]
    return lint_scenario(result.scenario, result.document)


#: Four phases, one of them ending before the next starts (the days each is played).
FOUR_PHASES = """\
phases:
  - {id: a, title: A, starts: D+0, compression: 720}
  - {id: b, title: B, starts: D+5, compression: 720, ends: D+8}
  - {id: c, title: C, starts: D+10, compression: 720}
  - {id: d, title: D, starts: D+14, compression: 10080}
"""
