"""JSON Schema (draft 2020-12) of the scenario format, derived from the model classes.

Derived, not hand-written, so the schema cannot drift from what the loader accepts. Editors with
a YAML language server use it to complete and check scenario files. Where the schema can say
what the validator checks — types, keys, enum values, the form of times, durations, rates, ids
and dates, the range of numbers — it says exactly that (a property test holds the two together in
both directions); what it cannot say (references, time ranges, whole minutes) only `validate`
checks.

YAML 1.1 (PyYAML, and so the validator) reads an unquoted `2023-08-06` as a date, JSON has no
dates: `as_json_data` turns such values into their ISO text, as a YAML 1.2 editor reads them,
before a JSON Schema validator sees them.
"""

from __future__ import annotations

import datetime as dt
import math
import types
import typing
from collections.abc import Mapping
from enum import Enum
from typing import Any

import attrs

from krise_ovelse.authoring.ids import ID_PATTERN, SCENARIO_ID_PATTERN
from krise_ovelse.authoring.structure import _SHORTHANDS, _TEXT_SHORTHANDS, MAX_NUMBER, RENAMES
from krise_ovelse.model.conditions import Condition
from krise_ovelse.model.scenario import Inject, Option, Scenario, Trigger
from krise_ovelse.model.text import LANGUAGES, Text
from krise_ovelse.model.timefmt import Duration, Rate, ScenarioTime

#: A URN: the schema's identity, not a place to fetch it from (`krise-ovelse schema` prints it).
SCHEMA_ID = "urn:krise-ovelse:schema:scenario:1"

# Regular expressions that Python's `re` and JSON Schema's ECMA 262 read alike: white space as
# the parsers take it (ASCII), and the end of the text without `$` (which in Python also
# matches before a final newline).
_WS = "[ \\t\\n\\r\\f\\v]"
_END = "(?![\\s\\S])"
_DAYS = "(?=[0-9]{1,9}(?![0-9]))0*(?:[0-9]{1,3}|[0-2][0-9]{3}|3[0-5][0-9]{2}|36[0-4][0-9]|3650)(?![0-9])"
_CLOCK = "(?:[01]?[0-9]|2[0-3]):[0-5][0-9]"
_UNIT = "(?:[mM][iI][nN]|[mMhHdDwW])"
_NUMBER = "[0-9]{1,9}(?:\\.[0-9]{1,9})?"

_LEAVES: Mapping[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER},
    float: {"type": "number", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER},
    bool: {"type": "boolean"},
    dt.date: {"type": "string", "format": "date",
              "pattern": f"^(?:19|2[0-9])[0-9]{{2}}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]){_END}",
              "description": "A calendar date, YYYY-MM-DD, from 1900 to 2999"},
    ScenarioTime: {"type": "string", "pattern": f"^{_WS}*D{_WS}*\\+{_WS}*{_DAYS}(?:{_WS}+{_CLOCK})?{_WS}*{_END}",
                   "description": "Scenario time: D+n or D+n HH:MM (n at most 3650, HH:MM from 00:00 to 23:59)"},
    Duration: {"type": "string",
               "pattern": f"^(?=[^1-9]*[1-9])(?:{_WS}*{_NUMBER}{_WS}*{_UNIT}(?![A-Za-z0-9_]))+{_WS}*{_END}",
               "description": "Duration: 30m, 4h, 2d, 1w or combined (1d 12h); longer than zero, whole minutes"},
    Rate: {"type": "string", "pattern": f"^{_WS}*[+-]?{_NUMBER}{_WS}*/{_WS}*(?:day|week|month){_WS}*{_END}",
           "description": "Drift rate: change per day, week or month, e.g. 3/week"},
    Condition: {"type": "string", "description": "A condition, e.g. key_person_load >= 75 and not daily_status"},
}

#: What an id field holds: the id rule (authoring.ids), or a whole number read as its text.
_ID = {"anyOf": [{"type": "string", "pattern": ID_PATTERN}, {"type": "integer", "minimum": 0, "maximum": MAX_NUMBER}]}
_SCENARIO_ID = {"type": "string", "pattern": SCENARIO_ID_PATTERN}
#: Triggers an author writes (`scheduled` and `conditional` follow from `at` and `when`).
_WRITTEN_TRIGGERS = [Trigger.MANUAL.value, Trigger.FOLLOW_UP.value]


def as_json_data(value: Any) -> Any:
    """YAML-loaded data as JSON types: dates (and date-times) become their ISO text, and the
    non-finite numbers JSON cannot hold (`.nan`, `.inf`) their YAML text, so a validator sees
    them as what they are to JSON: not numbers."""
    if isinstance(value, dict):
        return {key: as_json_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json_data(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    return value


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
            if field.name == "id" and hints[field.name] is str:
                properties[key] = dict(_SCENARIO_ID if cl is Scenario else _ID)
            elif cl is Option and field.name in ("sets", "clears"):
                properties[key] = {"anyOf": [{"type": "array", "items": _ID}, _ID]}
            elif cl is Inject and field.name == "trigger":
                properties[key] = {"anyOf": [{"enum": _WRITTEN_TRIGGERS}, {"type": "null"}]}
            else:
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
