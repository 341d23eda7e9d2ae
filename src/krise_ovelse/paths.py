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


#: Folders beside the scenarios that hold playthrough files, not scenarios.
PLAYTHROUGH_DIR = "playthroughs"


def shipped_scenario_files(directory: Path | None = None) -> list[Path]:
    """The shipped scenario files (or those under `directory`), top-level ones first, playthrough
    folders left out."""
    root = directory or shipped_scenarios_dir()
    if not root.is_dir():
        return []
    return sorted(
        (p for p in root.rglob("*") if p.suffix in (".yaml", ".yml")
         and PLAYTHROUGH_DIR not in p.relative_to(root).parts),
        key=lambda p: (len(p.relative_to(root).parts), p.name),
    )


def resolve_scenario_arg(name: str) -> Path:
    """A scenario argument as a path: the path as given if it exists or looks like a path,
    else the shipped scenario whose file is named `name` (`maratonet`, `kort-eksempel`; a shipped
    scenario's id is its file name, a test checks)."""
    path = Path(name).expanduser()
    if path.exists() or "/" in name or name.endswith((".yaml", ".yml")):
        return path
    return next((p for p in shipped_scenario_files() if p.stem == name), path)
