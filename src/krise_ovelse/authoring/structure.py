"""Plain YAML data → frozen model classes with cattrs, every problem positioned.

cattrs collects all structuring errors of a document into one exception tree (detailed
validation); we walk that tree, follow each error's path through the YAML nodes and report
`file:line:col`. Hooks are strict: a number where text belongs, a mapping where a list belongs or
a misspelt enum value is an error, never silently converted.
"""

from __future__ import annotations

import datetime as dt
import math
import typing
from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from functools import lru_cache
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from krise_ovelse.authoring.suggest import suggestions
from krise_ovelse.authoring.yamlio import Document, PathStep, type_name
from krise_ovelse.model.conditions import Condition, parse_condition
from krise_ovelse.model.errors import FieldFormatError
from krise_ovelse.model.problems import Problem
from krise_ovelse.model.scenario import (
    Agency,
    Category,
    Channel,
    Goal,
    Inject,
    Level,
    Measure,
    Polarity,
    Role,
    Trigger,
)
from krise_ovelse.model.text import LANGUAGES, Text
from krise_ovelse.model.timefmt import Duration, Rate, ScenarioTime, parse_duration, parse_rate, parse_time

T = TypeVar("T")

ENUMS: tuple[type[Enum], ...] = (Channel, Category, Level, Measure, Trigger, Polarity)

#: YAML keys that differ from attribute names, per class.
RENAMES: Mapping[type, Mapping[str, str]] = {Inject: {"sender": "from"}}


class TypeMismatch(FieldFormatError):
    code = "E-TYPE"


class BadValue(FieldFormatError):
    code = "E-VALUE"



#: The largest number a scenario may hold (indicator values, effects, thresholds, compression,
#: staff): beyond it is a typing mistake, and bounding it keeps every later sum finite.
MAX_NUMBER = 1_000_000_000

_BOOL_HINT = ("YAML reads yes/no, on/off and true/false unquoted as true or false: "
              "quote the text, e.g. 'no'")
_NUMBER_HINT = "write a plain number without a unit, e.g. 720"


def _strict_str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise TypeMismatch(f"expected text, found {value}", hint="quote it, e.g. '.inf'")
        return str(value)  # ids such as 1 or 2.5 read naturally as text
    hint = _BOOL_HINT if isinstance(value, bool) else ""
    raise TypeMismatch(f"expected text, found {type_name(value)}", hint=hint)


def _strict_int(value: Any, _: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > MAX_NUMBER:
            raise BadValue(f"{_short(value)} is too large", hint=f"at most {MAX_NUMBER:,}")
        return value
    hint = _NUMBER_HINT if isinstance(value, str) else ""
    raise TypeMismatch(f"expected a whole number, found {type_name(value)}", hint=hint)


def _strict_float(value: Any, _: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise BadValue(f"{value} is not a usable number", hint="write a finite number, e.g. 100")
        if abs(value) > MAX_NUMBER:
            raise BadValue(f"{_short(value)} is too large", hint=f"at most {MAX_NUMBER:,}")
        return float(value)
    hint = _NUMBER_HINT if isinstance(value, str) else ""
    raise TypeMismatch(f"expected a number, found {type_name(value)}", hint=hint)


def _short(value: float) -> str:
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text if len(text) <= 20 else text[:17] + "…"


def _strict_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeMismatch(f"expected true or false, found {type_name(value)}")


#: Calendar years a `start_date` may have: the played span (at most ten years) then always
#: fits in Python's calendar, so no date arithmetic downstream can overflow.
YEARS = (1900, 2999)


def _date(value: Any, _: Any) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise BadValue(f"{value[:40]!r} is not a date", hint="write a real date as YYYY-MM-DD, e.g. 2020-03-12") \
                from None
    if isinstance(value, dt.datetime):
        raise TypeMismatch("expected a date, found a date and time", hint="write only the date, e.g. 2020-03-12")
    if isinstance(value, dt.date):
        if not YEARS[0] <= value.year <= YEARS[1]:
            raise BadValue(f"the year {value.year} is out of range", hint=f"a year from {YEARS[0]} to {YEARS[1]}")
        return value
    raise TypeMismatch(f"expected a date, found {type_name(value)}", hint="write YYYY-MM-DD, e.g. 2020-03-12")


def _parsed(parser: Callable[[str], T], what: str, hint: str) -> Callable[[Any, Any], T]:
    def hook(value: Any, _: Any) -> T:
        if not isinstance(value, str):
            raise TypeMismatch(f"expected {what}, found {type_name(value)}", hint=hint)
        return parser(value)

    return hook


def _enum_hook(cls: type[Enum]) -> Callable[[Any, Any], Enum]:
    values = [str(member.value) for member in cls]

    def hook(value: Any, _: Any) -> Enum:
        try:
            return cls(value)
        except ValueError:
            close = suggestions(str(value), values)
            hint = f"did you mean {close[0]!r}?" if close else "one of: " + ", ".join(values)
            raise BadValue(f"{value!r} is not a valid {cls.__name__.lower()}", hint=hint) from None

    return hook


class Structurer:
    """A configured cattrs converter for one scenario language (plain strings are in it)."""

    def __init__(self, language: str) -> None:
        self.language = language
        conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
        self.converter = conv
        conv.register_structure_hook(str, _strict_str)
        conv.register_structure_hook(int, _strict_int)
        conv.register_structure_hook(float, _strict_float)
        conv.register_structure_hook(bool, _strict_bool)
        conv.register_structure_hook(dt.date, _date)
        conv.register_structure_hook(Text, self._text)
        conv.register_structure_hook(
            ScenarioTime, _parsed(parse_time, "a scenario time", "write D+n or D+n HH:MM")
        )
        conv.register_structure_hook(Duration, _parsed(parse_duration, "a duration", "e.g. 2d or 12h"))
        conv.register_structure_hook(Rate, _parsed(parse_rate, "a rate", "e.g. 3/week"))
        conv.register_structure_hook(Condition, _parsed(parse_condition, "a condition", "see docs"))
        for enum_type in ENUMS:  # explicit: `str` enums would otherwise dispatch to the str hook
            conv.register_structure_hook(enum_type, _enum_hook(enum_type))
        conv.register_structure_hook_factory(_is_homogeneous_tuple, self._tuple_hook)
        conv.register_structure_hook_factory(_is_mapping, self._mapping_hook)
        conv.register_structure_hook_factory(attrs.has, self._class_hook)

    def _text(self, value: Any, _: Any) -> Text:
        if isinstance(value, str):
            return Text({self.language: value})
        if isinstance(value, dict):
            unknown = [k for k in value if k not in LANGUAGES]
            if unknown:
                raise BadValue(f"unknown language {unknown[0]!r}", hint="languages are " + ", ".join(LANGUAGES))
            bad = [k for k, v in value.items() if not isinstance(v, str)]
            if bad:
                raise TypeMismatch(f"the {bad[0]!r} text is not text")
            return Text(dict(value))
        raise TypeMismatch(f"expected text, found {type_name(value)}", hint="a string, or a map like {nb: …, en: …}")

    def _tuple_hook(self, cl: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        (item_type, _ellipsis) = typing.get_args(cl)
        structure_item = self.converter.get_structure_hook(item_type)

        def hook(value: Any, _: Any) -> tuple[Any, ...]:
            if isinstance(value, str | int | float) and item_type in (str, Text):
                value = [value]  # a single id or text where a list is allowed
            if not isinstance(value, list):
                raise TypeMismatch(f"expected a list, found {type_name(value)}")
            items, errors = [], []
            for index, item in enumerate(value):
                try:
                    items.append(structure_item(item, item_type))
                except Exception as exc:  # collected and reported with its path below
                    exc.__notes__ = [*getattr(exc, "__notes__", []), IterableValidationNote(
                        f"Structuring {cl} @ index {index}", index, item_type)]
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {cl!r}", errors, cl)
            return tuple(items)

        return hook

    def _mapping_hook(self, cl: Any) -> Callable[[Any, Any], dict[Any, Any]]:
        key_type, value_type = typing.get_args(cl)
        structure_key = self.converter.get_structure_hook(key_type)
        structure_value = self.converter.get_structure_hook(value_type)

        def hook(value: Any, _: Any) -> dict[Any, Any]:
            if not isinstance(value, dict):
                raise TypeMismatch(f"expected a mapping, found {type_name(value)}")
            result, errors = {}, []
            for key, item in value.items():
                try:
                    result[structure_key(key, key_type)] = structure_value(item, value_type)
                except Exception as exc:
                    exc.__notes__ = [*getattr(exc, "__notes__", []), AttributeValidationNote(
                        f"Structuring mapping value @ key {key!r}", key, value_type)]
                    errors.append(exc)
            if errors:
                raise ClassValidationError(f"While structuring {cl!r}", errors, cl)
            return result

        return hook

    def _class_hook(self, cl: type) -> Callable[[Any, Any], Any]:
        renames = {name: override(rename=key) for name, key in RENAMES.get(cl, {}).items()}
        structure: Callable[[Any, Any], Any] = make_dict_structure_fn(
            cl, self.converter, **renames  # type: ignore[arg-type]
        )
        shorthand = _SHORTHANDS.get(cl)
        allowed = frozenset(yaml_keys(cl))
        text_shorthand = cl in _TEXT_SHORTHANDS

        def hook(value: Any, _: Any) -> Any:
            if shorthand is not None and isinstance(value, str):
                return shorthand(self, value)
            if text_shorthand and (isinstance(value, str) or (
                    isinstance(value, dict) and value and all(k in LANGUAGES for k in value))):
                return cl(text=self._text(value, Text))
            if not isinstance(value, dict):
                raise TypeMismatch(f"expected a mapping, found {type_name(value)}")
            extra = {key for key in value if key not in allowed}
            if not extra:
                return structure(value, cl)
            # cattrs stops at unknown keys; report them and still check the known ones.
            errors: list[Exception] = [ForbiddenExtraKeysError("", cl, {str(k) for k in extra})]
            try:
                structure({k: v for k, v in value.items() if k in allowed}, cl)
            except ClassValidationError as exc:
                errors.extend(exc.exceptions)
            raise ClassValidationError(f"While structuring {cl.__name__}", errors, cl)

        return hook

    def structure(self, data: Any, cl: type[T]) -> T:
        return self.converter.structure(data, cl)


def _role_from_text(structurer: Structurer, value: str) -> Role:
    return Role(id=value, name=Text({structurer.language: value}))


def _agency_from_text(structurer: Structurer, value: str) -> Agency:
    return Agency(name=Text({structurer.language: value}))


#: Classes that may also be written as a plain string.
_SHORTHANDS: Mapping[type, Callable[[Structurer, str], Any]] = {Role: _role_from_text, Agency: _agency_from_text}
#: Classes that may also be written as just their `text` (a string or a {nb: …, en: …} map).
_TEXT_SHORTHANDS: frozenset[type] = frozenset({Goal})


def _is_homogeneous_tuple(cl: Any) -> bool:
    args = typing.get_args(cl)
    return typing.get_origin(cl) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_mapping(cl: Any) -> bool:
    return typing.get_origin(cl) in (Mapping, dict, typing.Mapping) and len(typing.get_args(cl)) == 2


@lru_cache(maxsize=8)
def structurer_for(language: str) -> Structurer:
    return Structurer(language)


def iter_errors(
    exc: BaseException, path: tuple[PathStep, ...] = ()
) -> Iterator[tuple[tuple[PathStep, ...], BaseException]]:
    """Leaf exceptions of a cattrs error tree with the YAML path to each."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            step: PathStep = note.name if isinstance(note, AttributeValidationNote) else note.index
            if isinstance(note, AttributeValidationNote):
                step = _yaml_key(exc.cl, str(note.name))
            yield from iter_errors(sub, (*path, step))
        for sub in without:
            yield from iter_errors(sub, path)
    else:
        yield path, exc


def _yaml_key(cl: Any, name: str) -> str:
    return RENAMES.get(cl, {}).get(name, name) if isinstance(cl, type) else name


def yaml_keys(cl: type) -> list[str]:
    renames = RENAMES.get(cl, {})
    return [renames.get(a.name, a.name) for a in attrs.fields(cl)]


def problems_from(exc: BaseException, doc: Document) -> list[Problem]:
    """The problems of a document that did not structure: every error of form in `exc`, and
    the problems of meaning that can be seen without a structured scenario (an empty list of
    phases, a bad or duplicate id, …: `checks.check_unstructured`). The remaining checks of
    meaning (references, times) need the structured scenario and run once the form is right."""
    from krise_ovelse.authoring.checks import check_unstructured

    problems = []
    for path, leaf in iter_errors(exc):
        problems.extend(_leaf_problems(path, leaf, doc))
    return problems + check_unstructured(doc)


#: Keys whose values are plain strings, never a map of languages (`to` is a list of them).
_PLAIN_STRINGS = {"from": "from: NRK", "to": "to: [hr, alle]", "unit": "unit: '%'"}


def _plain_string_hint(path: tuple[PathStep, ...], leaf: FieldFormatError) -> str:
    """A hint for a map of languages where a plain string belongs (`from: {nb: …, en: …}`)."""
    if not isinstance(leaf, TypeMismatch) or not leaf.message.endswith("found a mapping"):
        return ""
    key = next((step for step in reversed(path) if isinstance(step, str)), None)
    if key not in _PLAIN_STRINGS:
        return ""
    return f"`{key}` is a plain string, not translated: e.g. {_PLAIN_STRINGS[key]}"


#: Hints for a value of the wrong type that say what the field means, by YAML key.
_FIELD_HINTS = {
    "compression": "scenario minutes per minute of play, a plain number: 720 means one minute is 12 hours",
    "initial": "the indicator's value at D+0, a plain number",
}


def _field_hint(path: tuple[PathStep, ...], leaf: FieldFormatError) -> str:
    key = path[-1] if path else None
    return _FIELD_HINTS.get(key, "") if isinstance(leaf, TypeMismatch) and isinstance(key, str) else ""


def _leaf_problems(path: tuple[PathStep, ...], leaf: BaseException, doc: Document) -> list[Problem]:
    if isinstance(leaf, ForbiddenExtraKeysError):
        allowed = yaml_keys(leaf.cl)
        found = []
        for key in sorted(leaf.extra_fields):
            close = suggestions(str(key), allowed)
            hint = f"did you mean {close[0]!r}?" if close else "allowed keys: " + ", ".join(allowed)
            found.append(doc.problem((*path, key), "E-KEY-UNKNOWN", f"unknown key {key!r}", hint, key=True))
        return found
    if isinstance(leaf, KeyError):
        missing = path[-1] if path else "?"
        return [doc.problem(path[:-1], "E-KEY-MISSING", f"missing required key {missing!r}", "")]
    if isinstance(leaf, FieldFormatError):
        offset = leaf.offset if leaf.code in ("E-TIME", "E-COND", "E-COND-DEPTH") else None
        hint = _field_hint(path, leaf) or leaf.hint or _plain_string_hint(path, leaf)
        return [doc.problem(path, leaf.code, leaf.message, hint, offset=offset)]
    return [doc.problem(path, "E-TYPE", str(leaf) or type(leaf).__name__, "")]
