"""The authors' guide stays true: its example loads, and every problem code is documented."""

from __future__ import annotations

import re
from pathlib import Path

from krise_ovelse.authoring import load_scenario_text

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "scenario-format.md"


def test_guide_example_loads_cleanly() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(schema_version.*?)```", text, re.S)
    assert example is not None
    result = load_scenario_text(example.group(1), "guide.yaml")
    assert result.problems == (), [p.render() for p in result.problems]


def test_every_problem_code_is_documented() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    package = ROOT / "src" / "krise_ovelse"
    # Parts below the package only: a checkout inside a folder named "authoring" must not widen it.
    source = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py")
                       if {"authoring", "model"} & set(p.relative_to(package).parts))
    codes = set(re.findall(r'"([EW]-[A-Z0-9-]+)"', source)) - {"E-FORMAT"}
    codes |= {f"E-REF-{what}" for what in ("INJECT", "DECISION", "OPTION", "INDICATOR", "PHASE", "CRITERION")}
    missing = sorted(code for code in codes if f"`{code}`" not in guide)
    assert not missing
