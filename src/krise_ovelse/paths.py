"""Where shipped files live, both in an installed wheel and in a source checkout."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_scenarios_dir() -> Path:
    """The shipped scenarios: inside the wheel, or at the root of a source checkout."""
    inside = PACKAGE_DIR / "scenarios"
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parents[1] / "scenarios"
