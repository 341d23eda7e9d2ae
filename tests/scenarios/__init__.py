"""Tests of scenarios (a package, so mypy can tell the folders' conftest modules apart)."""
