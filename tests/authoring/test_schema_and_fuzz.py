"""The JSON Schema agrees with the loader; the loader survives random and mutated input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krise_ovelse.authoring.schema import scenario_schema
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.paths import shipped_scenarios_dir

from .minimal_scenario import MINIMAL, load


def _jsonable(value: Any) -> Any:
    """YAML dates become strings, as an editor's language server sees them."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validator() -> jsonschema.Draft202012Validator:
    schema = scenario_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_accepts_the_minimal_scenario() -> None:
    validator().validate(_jsonable(yaml.safe_load(MINIMAL)))


def test_schema_rejects_unknown_keys_and_bad_times() -> None:
    data = _jsonable(yaml.safe_load(MINIMAL))
    data["injects"][0]["bodyy"] = "x"
    data["phases"][1]["starts"] = "D+x"
    errors = list(validator().iter_errors(data))
    assert len(errors) == 2


SHIPPED = sorted(shipped_scenarios_dir().rglob("*.yaml")) if shipped_scenarios_dir().is_dir() else []
SHIPPED = [p for p in SHIPPED if "playthroughs" not in p.parts]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_scenarios_validate_against_the_schema(path: Any) -> None:
    validator().validate(_jsonable(yaml.safe_load(path.read_text(encoding="utf-8"))))


def _check(text: str) -> None:
    result = load(text)
    assert (result.scenario is None) == any(p.is_error for p in result.problems)
    assert isinstance(result.scenario, Scenario | None)
    for problem in result.problems:
        assert problem.render()
        assert problem.line >= 0 and problem.col >= 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text_only_gives_problems_or_a_scenario(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_scenario_only_gives_problems_or_a_scenario(data: st.DataObject) -> None:
    text = MINIMAL
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(text)))
        kind = data.draw(st.sampled_from(["delete", "insert", "replace"]))
        chunk = data.draw(st.sampled_from([":", "-", " ", "\n", "[", "{", "'", '"', "&a", "*a", "!!str", "\t",
                                           "D+", "0", "x", "#", "null", "true", "- id: i01\n", "  "]))
        if kind == "delete":
            text = text[:pos] + text[pos + data.draw(st.integers(1, 20)):]
        elif kind == "insert":
            text = text[:pos] + chunk + text[pos:]
        else:
            text = text[:pos] + chunk + text[pos + len(chunk):]
    _check(text)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["schema_version", "id", "title", "phases", "ends", "injects",
                                        "decisions", "indicators", "scoring", "roles", "agency"]),
                       yaml_values, max_size=8))
def test_structured_junk_only_gives_problems(data: dict[str, Any]) -> None:
    _check(yaml.safe_dump(data, allow_unicode=True))
