"""Authoring tests: each test builds its own structurers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from krise_ovelse.authoring.structure import structurer_for


@pytest.fixture(autouse=True)
def _fresh_structurers() -> Iterator[None]:
    """Start every test with no cached structurer.

    mutmut learns which tests reach a function from one run of the suite and then runs only
    those tests against that function's mutants. With the structurer cached, only the first test
    that loaded a scenario would be linked to the code that builds it, and every mutant there
    would be tried against that one test; mutmut also forks its children from a process whose
    cache that first run filled (docs/testing.md, "Mutation testing"). Building it again costs
    about 11 ms a test."""
    structurer_for.cache_clear()
    yield
