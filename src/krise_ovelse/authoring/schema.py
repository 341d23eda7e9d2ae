"""JSON Schema (draft 2020-12) of the scenario format, derived from the model classes.

Derived, not hand-written, so the schema cannot drift from what the loader accepts. Editors with
a YAML language server use it to complete and check scenario files.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Mapping
from enum import Enum
from typing import Any

import attrs

from krise_ovelse.authoring.structure import _SHORTHANDS, _TEXT_SHORTHANDS, RENAMES
from krise_ovelse.model.conditions import Condition
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.model.text import LANGUAGES, Text
from krise_ovelse.model.timefmt import Duration, Rate, ScenarioTime

SCHEMA_ID = "https://krise-ovelse.invalid/schema/scenario-1.json"

_LEAVES: Mapping[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    dt.date: {"type": "string", "format": "date"},
    ScenarioTime: {"type": "string", "pattern": r"^\s*D\s*\+\s*\d+(\s+\d{1,2}:\d{2})?\s*$",
                   "description": "Scenario time: D+n or D+n HH:MM"},
    Duration: {"type": "string", "pattern": r"^(\s*\d+(\.\d+)?\s*(min|m|h|d|w))+\s*$",
               "description": "Duration: 30m, 4h, 2d, 1w or combined (1d 12h)"},
    Rate: {"type": "string", "pattern": r"^\s*[+-]?\d+(\.\d+)?\s*/\s*(day|week|month)\s*$",
           "description": "Drift rate: change per day, week or month, e.g. 3/week"},
    Condition: {"type": "string", "description": "A condition, e.g. key_person_load >= 75 and not daily_status"},
}


def scenario_schema() -> dict[str, Any]:
    builder = _Builder()
    root = builder.ref(Scenario)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "krise-øvelse scenario",
        **root,
        "$defs": builder.defs,
    }


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {
            "Text": {
                "description": "A text: a plain string in the scenario's language, or a map of languages",
                "anyOf": [
                    {"type": "string"},
                    {"type": "object", "additionalProperties": False,
                     "properties": {lang: {"type": "string"} for lang in LANGUAGES}},
                ],
            }
        }

    def ref(self, cl: type) -> dict[str, Any]:
        name = cl.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder against recursion
            self.defs[name] = self.class_schema(cl)
        return {"$ref": f"#/$defs/{name}"}

    def class_schema(self, cl: type) -> dict[str, Any]:
        renames = RENAMES.get(cl, {})
        hints = typing.get_type_hints(cl)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cl):
            key = renames.get(field.name, field.name)
            properties[key] = self.of(hints[field.name])
            if field.default is attrs.NOTHING:
                required.append(key)
        schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            schema["required"] = required
        if cl.__doc__:
            schema["description"] = " ".join(cl.__doc__.split())
        if cl in _TEXT_SHORTHANDS:
            return {"anyOf": [{"$ref": "#/$defs/Text"}, schema]}
        if cl in _SHORTHANDS:
            return {"anyOf": [{"type": "string"}, schema]}
        return schema

    def of(self, tp: Any) -> dict[str, Any]:
        if tp is Text:
            return {"$ref": "#/$defs/Text"}
        if tp in _LEAVES:
            return dict(_LEAVES[tp])
        if isinstance(tp, type) and issubclass(tp, Enum):
            return {"enum": [m.value for m in tp]}
        if isinstance(tp, type) and attrs.has(tp):
            return self.ref(tp)
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            options = [self.of(a) for a in args if a is not type(None)]
            if type(None) in args:
                options.append({"type": "null"})
            return options[0] if len(options) == 1 else {"anyOf": options}
        if origin is tuple:
            array = {"type": "array", "items": self.of(args[0])}
            if args[0] in (str, Text):
                return {"anyOf": [array, self.of(args[0])]}
            return array
        if origin in (Mapping, dict, typing.Mapping):
            schema: dict[str, Any] = {"type": "object", "additionalProperties": self.of(args[1])}
            if isinstance(args[0], type) and issubclass(args[0], Enum):
                schema["propertyNames"] = {"enum": [m.value for m in args[0]]}
            return schema
        raise TypeError(f"no JSON Schema for {tp!r}")
