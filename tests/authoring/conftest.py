"""Authoring tests: each test session builds its own structurers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from krise_ovelse.authoring.structure import structurer_for


@pytest.fixture(autouse=True, scope="session")
def _fresh_structurers() -> Iterator[None]:
    """Start every session with no cached structurer.

    mutmut runs the suite once in its main process and then forks a child per mutant: a
    structurer cached by that first run would carry its unmutated hooks into every child, so no
    test could catch a mutant of how the structurer is built (docs/testing.md, "Mutation
    testing"). Building it again once per session costs milliseconds."""
    structurer_for.cache_clear()
    yield
