"""docs/sessions.md stays true: every session command and option is documented, and the export
header it shows has the keys the code writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from krise_ovelse.cli import main
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.exchange import SESSION_FIELDS, export_lines

DOC = Path(__file__).resolve().parents[2] / "docs" / "sessions.md"
COMMANDS = ("sessions", "resume", "replay", "branch", "compare", "rescore", "export", "import")


def test_every_command_and_option_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert isinstance(main, click.Group)
    for name in COMMANDS:
        assert f"### `krise-ovelse {name}" in text, name
        command = main.commands[name]
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in ("--help",):
                    assert opt in text, f"{name} {opt}"
    for phrase in ("--db PATH", "KRISE_OVELSE_DB", "KRISE_OVELSE_DB_TIMEOUT_MS", "synchronous=FULL"):
        assert phrase in text


def test_the_documented_header_has_the_real_keys(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"\*\*Line 1, the header:\*\*\s+```json\n(.*?)```", text, re.S)
    assert block is not None
    documented = set(re.findall(r'"([a-z_0-9]+)":', block.group(1)))
    with SessionStore(tmp_path / "s.db") as store:
        sid = store.create_session(scenario_text="x", scenario_id="x").id
        header = json.loads(next(export_lines(store, sid)))
    assert set(header) | set(SESSION_FIELDS) == documented
