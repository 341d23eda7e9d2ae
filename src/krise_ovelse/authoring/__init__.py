"""Authoring: YAML scenario files → model, with every problem positioned (no textual here)."""

from krise_ovelse.authoring.load import LoadResult, load_scenario, load_scenario_text
from krise_ovelse.authoring.problems import Problem, Severity

__all__ = ["LoadResult", "Problem", "Severity", "load_scenario", "load_scenario_text"]
