"""Balance analysis: shallow strategies and random teams played against a scenario's strong
playthrough, so authors see whether the ratings reward judgement or form (docs/scoring.md).

It joins the engine (scripted headless runs) and scoring; neither of them imports it. Entry
points: `analyse(scenario, strong, random_teams=N)` → `BalanceReport`, `shallow_gaps(scenario,
strong)` → {strategy: gap in index points}, `format_report` / `report_to_dict`, and
`strong_playthrough_path(scenario_file)` for the shipped layout.
"""

from __future__ import annotations

from krise_ovelse.balance.analysis import DEFAULT_MARGIN, BalanceReport, Outcome, analyse, shallow_gaps
from krise_ovelse.balance.locate import strong_playthrough_path
from krise_ovelse.balance.output import format_report, report_to_dict, warnings
from krise_ovelse.balance.strategies import STRATEGIES

__all__ = [
    "DEFAULT_MARGIN",
    "STRATEGIES",
    "BalanceReport",
    "Outcome",
    "analyse",
    "format_report",
    "report_to_dict",
    "shallow_gaps",
    "strong_playthrough_path",
    "warnings",
]
