"""The action plan (tiltaksplan, "veien videre"): draft, edit, load, save, follow up.

Workflow: `draft_plan(result)` drafts one measure per area for improvement; `save_plan` writes
it as YAML (JSON for `.json`, a spreadsheet for `.xlsx`, see `plan_xlsx`) for the facilitator to
edit with the client; `load_plan` reads any of them back, checked. The plan file is the source:
every report format is rebuilt from it, and `krise-ovelse plan status` updates a measure later.
Plans are immutable: `with_item`, `add_item`, `remove_item` return new plans.

Each item: `id` (T1, T2 …: stable, for status updates), `criterion` (the finding it answers;
empty for a measure the facilitator added), `area` (the area for improvement), `action` (the
measure), `element` (POETE: plan, organisation, equipment, training, exercise), `owner`, `due`
(a date YYYY-MM-DD or free text such as "Q2 2025"), `priority` (high, medium, low), `status`
(open, in_progress, done, dropped), `root_cause` (why it went as it did, from the evaluators),
`updated` (when the status last changed).

File versions: 1 (no id, priority, status, root cause) is read and upgraded; 2 is written.
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
from krise_ovelse.report.measures import Element, draft_measure, element_for
from krise_ovelse.scoring.ratings import ScoringResult

FORMAT = "krise-ovelse/plan"
VERSION = 2
READS = (1, 2)
MAX_PLAN_BYTES = 1 << 20
MAX_ITEMS = 1000
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Priority(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Status(str, Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def is_open(self) -> bool:
        return self in (Status.OPEN, Status.IN_PROGRESS)


#: Other spellings accepted in a plan file (Norwegian, US English, without æøå).
ELEMENT_ALIASES: dict[str, Element] = {
    "planning": Element.PLAN, "planverk": Element.PLAN, "planer": Element.PLAN,
    "organisasjon": Element.ORGANISATION, "organization": Element.ORGANISATION,
    "utstyr": Element.EQUIPMENT,
    "opplæring": Element.TRAINING, "opplaering": Element.TRAINING, "kompetanse": Element.TRAINING,
    "øving": Element.EXERCISE, "oving": Element.EXERCISE, "øvelse": Element.EXERCISE, "ovelse": Element.EXERCISE,
    "exercises": Element.EXERCISE,
}
PRIORITY_ALIASES: dict[str, Priority] = {"høy": Priority.HIGH, "hoy": Priority.HIGH, "middels": Priority.MEDIUM,
                                         "lav": Priority.LOW}
STATUS_ALIASES: dict[str, Status] = {
    "åpen": Status.OPEN, "apen": Status.OPEN, "ikke startet": Status.OPEN,
    "pågår": Status.IN_PROGRESS, "pagar": Status.IN_PROGRESS, "in progress": Status.IN_PROGRESS,
    "fullført": Status.DONE, "fullfort": Status.DONE, "ferdig": Status.DONE, "utført": Status.DONE,
    "forkastet": Status.DROPPED, "droppet": Status.DROPPED,
}

#: The words a plan file may use, by field: the English value, then its Norwegian name.
NAMES_NB: dict[str, str] = {
    "plan": "planverk", "organisation": "organisasjon", "equipment": "utstyr", "training": "opplæring",
    "exercise": "øving", "high": "høy", "medium": "middels", "low": "lav", "open": "åpen",
    "in_progress": "pågår", "done": "fullført", "dropped": "forkastet",
}


def _parse_enum(value: object, enum: type[Any], aliases: Mapping[str, Any], field: str) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, enum):
        return value
    allowed = ", ".join(e.value for e in enum)
    if not isinstance(value, str):
        raise ValueError(f"{field} must be one of {allowed}, not {value!r:.40}")
    key = " ".join(value.strip().lower().replace("-", " ").split())
    for candidate in (key, key.replace(" ", "_")):
        try:
            return enum(candidate)
        except ValueError:
            pass
    if key in aliases:
        return aliases[key]
    raise ValueError(f"{field} must be one of {allowed}, not {value!r:.40}")


def parse_element(value: object) -> Element | None:
    """An Element from its id or an accepted alias; None for empty; ValueError otherwise."""
    result: Element | None = _parse_enum(value, Element, ELEMENT_ALIASES, "element")
    return result


def parse_priority(value: object) -> Priority | None:
    result: Priority | None = _parse_enum(value, Priority, PRIORITY_ALIASES, "priority")
    return result


def parse_status(value: object) -> Status:
    result: Status | None = _parse_enum(value, Status, STATUS_ALIASES, "status")
    return result or Status.OPEN


@attrs.frozen
class PlanItem:
    area: str
    action: str = ""
    element: Element | None = attrs.field(default=None, converter=parse_element)
    owner: str = ""
    due: str = ""
    criterion: str = ""
    priority: Priority | None = attrs.field(default=None, converter=parse_priority)
    status: Status = attrs.field(default=Status.OPEN, converter=parse_status)
    root_cause: str = ""
    updated: str = ""
    id: str = ""


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
        """A copy with `item` added (at the end by default); an item without id gets the next free one."""
        if not item.id:
            item = attrs.evolve(item, id=self.next_id())
        items = list(self.items)
        items.insert(len(items) if index is None else index, item)
        return attrs.evolve(self, items=tuple(items))

    def remove_item(self, index: int) -> Plan:
        items = list(self.items)
        del items[index]
        return attrs.evolve(self, items=tuple(items))

    def criteria(self) -> frozenset[str]:
        return frozenset(item.criterion for item in self.items if item.criterion)

    def next_id(self) -> str:
        numbers = [int(i.id[1:]) for i in self.items if i.id[:1] == "T" and i.id[1:].isdigit()]
        return f"T{max(numbers, default=0) + 1}"

    def index_of(self, item_id: str) -> int:
        """The position of the item with id `item_id` (case-insensitive); KeyError if none."""
        wanted = item_id.strip().upper()
        for index, item in enumerate(self.items):
            if item.id.upper() == wanted:
                return index
        raise KeyError(item_id)

    def open_items(self) -> tuple[PlanItem, ...]:
        return tuple(item for item in self.items if item.status.is_open)


class PlanError(ValueError):
    """A plan file that cannot be read; the message names the file and the item."""


# --- drafting --------------------------------------------------------------------------------

_PRIORITY_BY_LEVEL = {"U": Priority.HIGH, "M": Priority.MEDIUM, "S": Priority.LOW}


def draft_plan(result: ScoringResult, lang: str = "nb", session: str = "",
               carried: tuple[PlanItem, ...] = ()) -> Plan:
    """One measure per area for improvement, worst first: a concrete draft measure for the
    criterion, its POETE element, a priority from the level reached; owner, due date and root
    cause left for the facilitator (the report shows the evaluators' "why" until one is agreed).
    `carried` (open items of an earlier plan) come first, keeping their ids, and a finding they
    already answer gets no second draft."""
    labels = load_catalogue().level_labels
    items = list(carried)
    covered = {item.criterion for item in carried if item.criterion}
    for finding in result.improvements:
        if finding.criterion in covered:
            continue
        label = labels.get(finding.level.value, Text.of(finding.level.value)).get(lang).lower()
        name = finding.name.get(lang)
        area = f"{finding.criterion} {name} ({finding.level.value}: {label})"
        items.append(PlanItem(area=area, action=draft_measure(finding.criterion, name, lang),
                              element=element_for(finding.criterion), criterion=finding.criterion,
                              priority=_PRIORITY_BY_LEVEL.get(finding.level.value, Priority.MEDIUM)))
    plan = Plan(scenario=result.scenario_id, session=session, language=lang)
    for item in items:
        plan = plan.add_item(item)
    return plan


def carry_over(previous: Plan) -> tuple[PlanItem, ...]:
    """The measures of an earlier plan that are still open, to start the next plan from."""
    return previous.open_items()


# --- files -----------------------------------------------------------------------------------

ITEM_KEYS = ("id", "criterion", "area", "action", "element", "owner", "due", "priority", "status",
             "root_cause", "updated")


def item_to_dict(item: PlanItem) -> dict[str, str]:
    return {"id": item.id, "criterion": item.criterion, "area": item.area, "action": item.action,
            "element": item.element.value if item.element else "", "owner": item.owner, "due": item.due,
            "priority": item.priority.value if item.priority else "", "status": item.status.value,
            "root_cause": item.root_cause, "updated": item.updated}


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "scenario": plan.scenario, "session": plan.session,
            "language": plan.language, "items": [item_to_dict(item) for item in plan.items]}


_HEADER = {
    "nb": """\
# Tiltaksplan (veien videre) fra krise-øvelse. Rediger fritt, og bruk planen i rapporten:
#   krise-ovelse report … --plan {name}
# Oppdater status senere med: krise-ovelse plan status {name} T1 fullført
# For hvert tiltak:
#   id:         T1, T2 … (brukes når status oppdateres; nye tiltak kan stå uten id)
#   criterion:  kriteriet (funnet) tiltaket svarer på; tomt for tiltak dere legger til selv
#   area:       forbedringspunktet
#   action:     tiltaket – hva som skal gjøres
#   element:    plan | organisation | equipment | training | exercise
#               (planverk, organisasjon, utstyr, opplæring, øving godtas også)
#   owner:      ansvarlig (person eller enhet)
#   due:        frist, helst ÅÅÅÅ-MM-DD
#   priority:   high | medium | low (høy, middels, lav)
#   status:     open | in_progress | done | dropped (åpen, pågår, fullført, forkastet)
#   root_cause: årsaken bak forbedringspunktet, fra evaluatorene
#   updated:    datoen status sist ble endret
# Slett et tiltak ved å fjerne hele punktet.
""",
    "en": """\
# Action plan (improvement plan) from krise-øvelse. Edit freely, then make the report with
#   krise-ovelse report … --plan {name}
# Update a status later with: krise-ovelse plan status {name} T1 done
# For each item:
#   id:         T1, T2 … (used for status updates; new items may have none)
#   criterion:  the criterion (finding) the measure answers; empty for items you add yourself
#   area:       the area for improvement
#   action:     the measure – what is to be done
#   element:    plan | organisation | equipment | training | exercise
#   owner:      who is responsible (a person or a unit)
#   due:        due date, preferably YYYY-MM-DD
#   priority:   high | medium | low
#   status:     open | in_progress | done | dropped
#   root_cause: the root cause behind the area for improvement, from the evaluators
#   updated:    the date the status last changed
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


def plan_bytes(plan: Plan, path: str | Path) -> bytes:
    """The file content for `path`, by its extension: .xlsx, .json, else YAML."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        from krise_ovelse.report.plan_xlsx import plan_to_xlsx

        return plan_to_xlsx(plan)
    return dump_plan(plan, target.name, as_json=suffix == ".json").encode("utf-8")


def save_plan(plan: Plan, path: str | Path) -> None:
    """Write a plan (format by extension) through the one safe writer (fileio): never through a
    link, never over a FIFO or device. Raises `fileio.WriteError`."""
    from krise_ovelse.fileio import write_bytes

    write_bytes(path, plan_bytes(plan, path))


def _string(value: Any, where: str, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PlanError(f"{where}: `{key}` must be text, not {type(value).__name__}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def plan_from_dict(data: Any, source: str = "<plan>") -> Plan:
    """Check and structure plan data (see the module docstring); PlanError on any problem."""
    if not isinstance(data, Mapping):
        raise PlanError(f"{source}: a plan is a mapping with `items`, not {type(data).__name__}")
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise PlanError(f"{source}: not a plan file (format {fmt!r:.60}, expected {FORMAT!r})")
    version = data.get("version", VERSION)
    if version not in READS:
        raise PlanError(f"{source}: plan version {version!r:.20} is not supported (this reads "
                        f"{', '.join(map(str, READS))})")
    raw_items = data.get("items") or []
    if not isinstance(raw_items, list):
        raise PlanError(f"{source}: `items` must be a list")
    if len(raw_items) > MAX_ITEMS:
        raise PlanError(f"{source}: more than {MAX_ITEMS} items")
    language = _string(data.get("language"), source, "language") or "nb"
    plan = Plan(scenario=_string(data.get("scenario"), source, "scenario"),
                session=_string(data.get("session"), source, "session"),
                language=language if language in ("nb", "en") else "nb")
    seen: set[str] = set()
    for number, raw in enumerate(raw_items, start=1):
        where = f"{source}: item {number}"
        item = item_from_dict(raw, where)
        if item.id:
            if item.id.upper() in seen:
                raise PlanError(f"{where}: id {item.id} is used twice (ids name a measure for status updates)")
            seen.add(item.id.upper())
        plan = plan.add_item(item) if not item.id else attrs.evolve(plan, items=(*plan.items, item))
    return plan


def item_from_dict(raw: Any, where: str) -> PlanItem:
    """One plan item, checked; PlanError naming `where` on a problem."""
    if not isinstance(raw, Mapping):
        raise PlanError(f"{where}: expected a mapping with area, action, element, owner, due")
    unknown = sorted(str(k) for k in raw if k not in ITEM_KEYS)
    if unknown:
        raise PlanError(f"{where}: unknown key(s) {', '.join(unknown)[:200]} (known: {', '.join(ITEM_KEYS)})")
    try:
        element = parse_element(raw.get("element"))
        priority = parse_priority(raw.get("priority"))
        status = parse_status(raw.get("status"))
    except ValueError as exc:
        raise PlanError(f"{where}: {exc}") from None
    texts = {key: _string(raw.get(key), where, key) for key in
             ("id", "criterion", "area", "action", "owner", "due", "root_cause", "updated")}
    if not texts["area"] and not texts["action"]:
        raise PlanError(f"{where}: give at least an `area` or an `action`")
    if texts["id"] and (len(texts["id"]) > 20 or any(ch.isspace() for ch in texts["id"])):
        raise PlanError(f"{where}: id {texts['id'][:30]!r} is not a short word such as T3")
    return PlanItem(area=texts["area"], action=texts["action"], element=element, owner=texts["owner"],
                    due=texts["due"], criterion=texts["criterion"], priority=priority, status=status,
                    root_cause=texts["root_cause"], updated=texts["updated"], id=texts["id"])


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
    """Read and check a plan file (YAML, JSON or .xlsx); PlanError with a readable message."""
    from krise_ovelse.fileio import ReadError, read_limited, read_text_limited

    target = Path(path)
    try:  # regular files only, at most a limit: a FIFO or /dev/zero is refused
        if target.suffix.lower() == ".xlsx":
            from krise_ovelse.report.plan_xlsx import plan_from_xlsx

            return plan_from_xlsx(read_limited(target, MAX_PLAN_BYTES * 8, what="plan workbook"), str(target))
        text = read_text_limited(target, MAX_PLAN_BYTES, what="plan file")
    except ReadError as exc:
        raise PlanError(exc.render()) from None
    return parse_plan(text, str(target))


def uncovered(result: ScoringResult, plan: Plan) -> tuple[str, ...]:
    """The areas for improvement (criterion ids) that no plan item refers to."""
    covered = plan.criteria()
    return tuple(f.criterion for f in result.improvements if f.criterion not in covered)


def set_status(plan: Plan, item_id: str, status: str, today: str, owner: str | None = None,
               due: str | None = None) -> Plan:
    """The plan with item `item_id`'s status (and optionally owner, due date) changed and
    `updated` set to `today`; KeyError for an unknown id, ValueError for a bad status."""
    index = plan.index_of(item_id)
    changes: dict[str, Any] = {"status": parse_status(status), "updated": today}
    if not isinstance(status, str) or not status.strip():
        raise ValueError("give a status: open, in_progress, done or dropped")
    if owner is not None:
        changes["owner"] = owner
    if due is not None:
        changes["due"] = due
    return plan.with_item(index, **changes)
