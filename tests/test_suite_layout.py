"""The suite's own layout: every folder of tests/ is a package, so mypy (which checks the tests)
gives each folder's conftest and helpers their own module name (docs/testing.md)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_every_test_folder_is_a_package() -> None:
    folders = {p.parent for p in TESTS.rglob("*.py") if "__snapshots__" not in p.parts}
    missing = sorted(str(f.relative_to(TESTS.parent)) for f in folders if not (f / "__init__.py").exists())
    assert not missing, f"add an __init__.py to {missing} (and import its helpers relatively: from .x import …)"
