"""docs/report.md stays true: its plan example loads, and every option of the command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from krise_ovelse.cli import main
from krise_ovelse.report import Element, parse_plan

DOC = Path(__file__).resolve().parents[2] / "docs" / "report.md"


def test_plan_example_loads() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if b.startswith("format:"))
    plan = parse_plan(block, "report.md")
    assert [item.element for item in plan.items] == [Element.ORGANISATION, Element.EXERCISE]
    assert plan.items[0].due == "2025-03-01"
    assert plan.items[1].criterion == "" and plan.items[1].due == "Q3 2025"


def test_every_option_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    command = main.commands["report"]
    for param in command.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt not in ("--help",):
                assert f"`{opt}" in text or f"{opt}`" in text or f"`{opt} " in text, opt
