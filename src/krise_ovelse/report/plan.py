"""The improvement plan (tiltaksplan, "veien videre"): draft, edit, load, save.

Workflow: `draft_plan(result)` fills one item per area for improvement; `save_plan` writes it
as YAML (or JSON for a `.json` path) for the facilitator to edit; `load_plan` reads it back,
checked, for the report. The console edits a `Plan` in memory with `with_item`, `add_item` and
`remove_item` (plans are immutable; each returns a new plan) and saves it the same way.

Each item: `area` (the area for improvement), `action`, `element` (HSEEP's POETE capability
elements: plan, organisation, equipment, training, exercise — planverk, organisasjon, utstyr,
opplæring, øving), `owner`, `due` (a date YYYY-MM-DD or free text such as "Q2 2025"), and
`criterion`, the criterion the area comes from (empty for an item the facilitator added).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Any

import attrs
import yaml

from krise_ovelse.catalogue import load_catalogue
from krise_ovelse.model.text import Text
from krise_ovelse.scoring.ratings import ScoringResult

FORMAT = "krise-ovelse/plan"
VERSION = 1
MAX_PLAN_BYTES = 1 << 20
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Element(str, Enum):
    """The capability element an action strengthens (HSEEP POETE)."""

    PLAN = "plan"
    ORGANISATION = "organisation"
    EQUIPMENT = "equipment"
    TRAINING = "training"
    EXERCISE = "exercise"


#: Other spellings accepted in a plan file (Norwegian, US English, without æøå).
ELEMENT_ALIASES: dict[str, Element] = {
    "planning": Element.PLAN, "planverk": Element.PLAN, "planer": Element.PLAN,
    "organisasjon": Element.ORGANISATION, "organization": Element.ORGANISATION,
    "utstyr": Element.EQUIPMENT,
    "opplæring": Element.TRAINING, "opplaering": Element.TRAINING, "kompetanse": Element.TRAINING,
    "øving": Element.EXERCISE, "oving": Element.EXERCISE, "øvelse": Element.EXERCISE, "ovelse": Element.EXERCISE,
    "exercises": Element.EXERCISE,
}

#: The element a drafted item starts with, by theme (a suggestion the facilitator changes).
DRAFT_ELEMENT_BY_THEME: dict[str, Element] = {
    "KH": Element.PLAN,
    "OE": Element.ORGANISATION,
    "DA": Element.EQUIPMENT,
    "AM": Element.TRAINING,
}


def parse_element(value: object) -> Element | None:
    """An Element from its id or an accepted alias; None for empty; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Element):
        return value
    if not isinstance(value, str):
        raise ValueError(f"element must be one of {', '.join(e.value for e in Element)}, not {value!r}")
    key = value.strip().lower()
    try:
        return Element(key)
    except ValueError:
        pass
    if key in ELEMENT_ALIASES:
        return ELEMENT_ALIASES[key]
    raise ValueError(f"element must be one of {', '.join(e.value for e in Element)}, not {value!r}")


@attrs.frozen
class PlanItem:
    area: str
    action: str = ""
    element: Element | None = attrs.field(default=None, converter=parse_element)
    owner: str = ""
    due: str = ""
    criterion: str = ""


@attrs.frozen
class Plan:
    items: tuple[PlanItem, ...] = ()
    scenario: str = ""
    session: str = ""
    language: str = "nb"

    def with_item(self, index: int, **changes: Any) -> Plan:
        """A copy with item `index` changed (e.g. `owner="HR-direktør"`)."""
        items = list(self.items)
        items[index] = attrs.evolve(items[index], **changes)
        return attrs.evolve(self, items=tuple(items))

    def add_item(self, item: PlanItem, index: int | None = None) -> Plan:
        items = list(self.items)
        items.insert(len(items) if index is None else index, item)
        return attrs.evolve(self, items=tuple(items))

    def remove_item(self, index: int) -> Plan:
        items = list(self.items)
        del items[index]
        return attrs.evolve(self, items=tuple(items))

    def criteria(self) -> frozenset[str]:
        return frozenset(item.criterion for item in self.items if item.criterion)


class PlanError(ValueError):
    """A plan file that cannot be read; the message names the file and the item."""


# --- drafting --------------------------------------------------------------------------------


def draft_plan(result: ScoringResult, lang: str = "nb", session: str = "") -> Plan:
    """One item per area for improvement, worst first, with the criterion's P descriptor as the
    goal for the action; element suggested by theme; owner and due date left for the facilitator."""
    labels = load_catalogue().level_labels
    items = []
    for finding in result.improvements:
        label = labels.get(finding.level.value, Text.of(finding.level.value)).get(lang).lower()
        area = f"{finding.criterion} {finding.name.get(lang)} ({finding.level.value}: {label})"
        goal = finding.target.get(lang)
        action = (f"Mål: {goal}" if lang == "nb" else f"Goal: {goal}") if goal else ""
        items.append(PlanItem(area=area, action=action, element=DRAFT_ELEMENT_BY_THEME.get(finding.theme),
                              criterion=finding.criterion))
    return Plan(items=tuple(items), scenario=result.scenario_id, session=session, language=lang)


# --- files -----------------------------------------------------------------------------------


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "scenario": plan.scenario,
        "session": plan.session,
        "language": plan.language,
        "items": [
            {"criterion": item.criterion, "area": item.area, "action": item.action,
             "element": item.element.value if item.element else "", "owner": item.owner, "due": item.due}
            for item in plan.items
        ],
    }


_HEADER = {
    "nb": """\
# Tiltaksplan (veien videre) fra krise-øvelse. Rediger fritt, og lag rapporten med
#   krise-ovelse report … --plan {name}
# For hvert tiltak:
#   area:      forbedringspunktet (fra vurderingen, kan skrives om)
#   action:    tiltaket
#   element:   plan | organisation | equipment | training | exercise
#              (planverk, organisasjon, utstyr, opplæring, øving; norske navn godtas)
#   owner:     ansvarlig (person eller enhet)
#   due:       frist, helst ÅÅÅÅ-MM-DD
#   criterion: kriteriet punktet kommer fra (tomt for tiltak du legger til selv)
# Slett et tiltak ved å fjerne hele punktet.
""",
    "en": """\
# Improvement plan from krise-øvelse. Edit freely, then make the report with
#   krise-ovelse report … --plan {name}
# For each item:
#   area:      the area for improvement (from the ratings; rewrite as you like)
#   action:    the corrective action
#   element:   plan | organisation | equipment | training | exercise
#   owner:     who is responsible (a person or a unit)
#   due:       due date, preferably YYYY-MM-DD
#   criterion: the criterion the area comes from (empty for items you add yourself)
# Delete an item by removing it entirely.
""",
}


def dump_plan(plan: Plan, path_name: str = "plan.yaml", as_json: bool = False) -> str:
    """The text `save_plan` writes: YAML with a guiding comment, or JSON."""
    data = plan_to_dict(plan)
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    header = _HEADER.get(plan.language, _HEADER["nb"]).format(name=path_name)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    return header + body


def save_plan(plan: Plan, path: str | Path) -> None:
    """Write a plan: JSON if the path ends in .json, else YAML."""
    from krise_ovelse.fileio import write_text

    target = Path(path)
    text = dump_plan(plan, target.name, as_json=target.suffix.lower() == ".json")
    write_text(path, text)  # never through a link, never over a FIFO or device (fileio)


def _string(value: Any, where: str, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PlanError(f"{where}: `{key}` must be text, not {type(value).__name__}")
    return str(value).strip()


_ITEM_KEYS = frozenset({"criterion", "area", "action", "element", "owner", "due"})


def plan_from_dict(data: Any, source: str = "<plan>") -> Plan:
    """Check and structure plan data (see the module docstring); PlanError on any problem."""
    if not isinstance(data, Mapping):
        raise PlanError(f"{source}: a plan is a mapping with `items`, not {type(data).__name__}")
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise PlanError(f"{source}: not a plan file (format {fmt!r}, expected {FORMAT!r})")
    version = data.get("version", VERSION)
    if version != VERSION:
        raise PlanError(f"{source}: plan version {version!r} is not supported (this reads {VERSION})")
    raw_items = data.get("items") or []
    if not isinstance(raw_items, list):
        raise PlanError(f"{source}: `items` must be a list")
    items = []
    for number, raw in enumerate(raw_items, start=1):
        where = f"{source}: item {number}"
        if not isinstance(raw, Mapping):
            raise PlanError(f"{where}: expected a mapping with area, action, element, owner, due")
        unknown = sorted(str(k) for k in raw if k not in _ITEM_KEYS)
        if unknown:
            raise PlanError(f"{where}: unknown key(s) {', '.join(unknown)} "
                            f"(known: {', '.join(sorted(_ITEM_KEYS))})")
        try:
            element = parse_element(raw.get("element"))
        except ValueError as exc:
            raise PlanError(f"{where}: {exc}") from None
        area = _string(raw.get("area"), where, "area")
        action = _string(raw.get("action"), where, "action")
        if not area and not action:
            raise PlanError(f"{where}: give at least an `area` or an `action`")
        items.append(PlanItem(
            area=area, action=action, element=element, owner=_string(raw.get("owner"), where, "owner"),
            due=_string(raw.get("due"), where, "due"), criterion=_string(raw.get("criterion"), where, "criterion")))
    language = _string(data.get("language"), source, "language") or "nb"
    return Plan(items=tuple(items), scenario=_string(data.get("scenario"), source, "scenario"),
                session=_string(data.get("session"), source, "session"),
                language=language if language in ("nb", "en") else "nb")


def parse_plan(text: str, source: str = "<plan>") -> Plan:
    """A plan from YAML or JSON text (JSON is YAML); PlanError on any problem."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark is not None else source
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlanError(f"{where}: not valid YAML/JSON: {problem}") from None
    if data is None:
        raise PlanError(f"{source}: the plan file is empty")
    return plan_from_dict(data, source)


def load_plan(path: str | Path) -> Plan:
    """Read and check a plan file (YAML or JSON); PlanError with a readable message."""
    from krise_ovelse.fileio import ReadError, read_text_limited

    target = Path(path)
    try:  # regular files only, at most MAX_PLAN_BYTES: a FIFO or /dev/zero is refused
        text = read_text_limited(target, MAX_PLAN_BYTES, what="plan file")
    except ReadError as exc:
        raise PlanError(exc.render()) from None
    return parse_plan(text, str(target))


def uncovered(result: ScoringResult, plan: Plan) -> tuple[str, ...]:
    """The areas for improvement (criterion ids) that no plan item refers to."""
    covered = plan.criteria()
    return tuple(f.criterion for f in result.improvements if f.criterion not in covered)
