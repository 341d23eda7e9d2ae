"""Where a scenario's strong playthrough is: `playthroughs/<scenario file stem>/sterkt.yaml`
beside the scenario or one folder up (the shipped layout keeps examples/ beside playthroughs/),
or `strong.yaml` for English-language authors."""

from __future__ import annotations

from pathlib import Path

STRONG_NAMES = ("sterkt.yaml", "sterkt.yml", "strong.yaml", "strong.yml")


def strong_playthrough_path(scenario_file: str | Path) -> Path | None:
    """The strong playthrough of the scenario in `scenario_file`, or None if there is none."""
    path = Path(scenario_file)
    for base in (path.parent, path.parent.parent):
        folder = base / "playthroughs" / path.stem
        for name in STRONG_NAMES:
            candidate = folder / name
            if candidate.is_file() and not candidate.is_symlink():
                return candidate
    return None
