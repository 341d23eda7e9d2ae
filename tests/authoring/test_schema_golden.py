"""The JSON Schema an editor gets from `krise-ovelse schema`, exactly: its keys, patterns, enum
values and the descriptions an editor shows on hover. Derived from the model, so a change to the
model shows up here as a diff to review.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/authoring/test_schema_golden.py`
and review the diff of tests/authoring/golden/scenario.schema.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from click.testing import CliRunner

from krise_ovelse.authoring.schema import as_json_data
from krise_ovelse.cli import main

GOLDEN = Path(__file__).parent / "golden" / "scenario.schema.json"


def test_the_schema_is_the_reviewed_one() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(GOLDEN.read_text(encoding="utf-8")), (
        "the schema changed: review, then UPDATE_GOLDEN=1 to accept")


def test_yaml_dates_and_non_numbers_become_the_text_an_editor_sees() -> None:
    data = {"start_date": dt.date(2020, 3, 12), "list": [dt.datetime(2020, 3, 12, 8, 0)],
            "n": float("nan"), "big": float("inf"), "small": float("-inf"), "x": 1.5}
    assert as_json_data(data) == {"start_date": "2020-03-12", "list": ["2020-03-12T08:00:00"],
                                  "n": ".nan", "big": ".inf", "small": "-.inf", "x": 1.5}
