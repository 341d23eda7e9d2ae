"""The test suite: a package, so each folder's modules have their own names (mypy checks tests too)."""
