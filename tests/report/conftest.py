"""Fixtures for the report tests; the scenario and the run are in report_fixtures.py."""

from __future__ import annotations

import attrs
import pytest

from krise_ovelse.model.scenario import Scenario
from krise_ovelse.report import ReportData, build_report

from .report_fixtures import CONTROL, FACTS, SESSION, load, mixed_run


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return load()


@pytest.fixture
def data(scenario: Scenario) -> ReportData:
    return attrs.evolve(build_report(scenario, mixed_run(), session=SESSION, control=CONTROL), facts=FACTS)
