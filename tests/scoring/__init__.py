"""Tests of scoring (a package, so mypy can tell the folders' conftest modules apart)."""
