"""The layers of docs/ARCHITECTURE.md hold: `lint-imports` keeps every contract in pyproject.toml
(also run by .ci/run; here so that a plain `pytest` before landing catches a crossed layer)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_import_contract_is_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=100,
                            check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_the_architecture_page_names_every_layer_and_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    contracts = config["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    table = page.split("Dependencies point downwards only.")[1].split("```")[1]
    rows = [re.split(r"\s{2,}", line.strip())[0] for line in table.strip().splitlines()]
    documented = [name.strip() for row in rows for name in re.split(r"[|,]", row) if name.strip()]
    declared = [name.strip().removeprefix("krise_ovelse.") for layer in layers for name in re.split(r"[|:]", layer)]
    assert documented == declared
    for contract in contracts:
        assert f"**{contract['id']}**" in page, contract["id"]


def test_every_part_of_the_package_has_a_layer() -> None:
    """A new package or top-level module goes into the layers (pyproject.toml and the table in
    docs/ARCHITECTURE.md), so that the contracts constrain it too."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    declared = {name.strip().removeprefix("krise_ovelse.") for layer in layers for name in re.split(r"[|:]", layer)}
    package = ROOT / "src" / "krise_ovelse"
    parts = {p.stem for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")}
    parts |= {p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name != "data"}
    assert sorted(parts - declared) == []
