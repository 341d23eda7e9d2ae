"""The participants file, the exercise's streams, and the database roles that guard them.

A participants file (YAML) names the exercise, its organisations and its evaluators:

    exercise: ovelse-digital-2026        # id: a-z, 0-9 and '-', at most 24 characters
    title: Øvelse Digital 2026
    organisations:
      - id: nav
        name: Arbeids- og velferdsetaten
      - id: dsb
        name: Direktoratet for samfunnssikkerhet og beredskap
    evaluators:
      - id: eva-nav-1
        organisation: nav
        lead: true                       # the lead evaluator reconciles (at most one per organisation)

`create_exercise` records the exercise and one stream per writer (control, each organisation,
each evaluator). `create_roles` makes one login role per writer with a fresh password, grants
what each may do, and ties every stream to its writer; row-level security in the schema does
the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import attrs

from krise_ovelse.model.problems import Problem
from krise_ovelse.store.errors import EXIT_PROBLEMS, EXIT_USAGE, StoreError

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,23}$")
CONTROL = "control"


@attrs.frozen
class Organisation:
    id: str
    name: str


@attrs.frozen
class Evaluator:
    id: str
    organisation: str
    #: The organisation's lead evaluator (at most one): only the lead reconciles ratings.
    lead: bool = False


@attrs.frozen
class Setup:
    """What a participants file says."""

    exercise: str
    title: str
    organisations: tuple[Organisation, ...]
    evaluators: tuple[Evaluator, ...]

    def organisation(self, org_id: str) -> Organisation:
        for org in self.organisations:
            if org.id == org_id:
                return org
        raise StoreError(f"exercise {self.exercise} has no organisation {org_id!r}", EXIT_USAGE,
                         "organisations: " + ", ".join(o.id for o in self.organisations))

    def evaluator(self, evaluator_id: str) -> Evaluator:
        for evaluator in self.evaluators:
            if evaluator.id == evaluator_id:
                return evaluator
        raise StoreError(f"exercise {self.exercise} has no evaluator {evaluator_id!r}", EXIT_USAGE,
                         "evaluators: " + (", ".join(e.id for e in self.evaluators) or "none"))

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Setup:
        return cls(str(data["exercise"]), str(data.get("title", "")),
                   tuple(Organisation(str(o["id"]), str(o["name"])) for o in data.get("organisations", ())),
                   tuple(Evaluator(str(e["id"]), str(e["organisation"]), bool(e.get("lead", False)))
                         for e in data.get("evaluators", ())))


def stream_id(exercise: str, stream: str) -> str:
    """The session id of a stream: `EXERCISE_control`, `EXERCISE_org_nav`, `EXERCISE_eval_eva-1`
    (ids that export and import keep)."""
    return f"{exercise}_{stream.replace('.', '_')}"


def org_stream(org_id: str) -> str:
    return f"org.{org_id}"


def eval_stream(evaluator_id: str) -> str:
    return f"eval.{evaluator_id}"


def role_name(exercise: str, writer: str) -> str:
    """A writer's database role: `kx_EXERCISE_WRITER` (ids keep it under 63 characters)."""
    return f"kx_{exercise}_{writer}".replace("-", "_").replace(".", "_")


def staff_role(exercise: str) -> str:
    """The group of the control cell and the evaluators: they may read evaluator streams."""
    return f"kx_{exercise}_staff".replace("-", "_")


def read_setup(path: Path) -> tuple[Setup | None, list[Problem]]:
    """Read and check a participants file; problems as file:line:col: CODE message (hint)."""
    from krise_ovelse.authoring.yamlio import load_file

    doc, problems = load_file(path)
    if doc is None or problems:
        return None, problems
    data = doc.data
    if not isinstance(data, dict):
        return None, [doc.problem((), "E-PART-SHAPE", "a participants file is a mapping",
                                  "exercise:, organisations:, evaluators:")]
    found: list[Problem] = []
    for key in data:
        if key not in ("exercise", "title", "organisations", "evaluators"):
            found.append(doc.problem((key,), "E-PART-KEY", f"unknown key {key!r}",
                                     "exercise, title, organisations, evaluators", key=True))

    def ident(value: Any, where: tuple[Any, ...], what: str) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            found.append(doc.problem(where, "E-PART-ID", f"{what} must be an id of a-z, 0-9 and '-' "
                                     "(at most 24 characters, starting with a letter or digit)"))
            return ""
        return value

    exercise = ident(data.get("exercise"), ("exercise",), "exercise")
    title = data.get("title", "")
    if not isinstance(title, str):
        found.append(doc.problem(("title",), "E-PART-TYPE", "title must be text"))
        title = ""
    orgs: list[Organisation] = []
    raw_orgs = data.get("organisations")
    if not isinstance(raw_orgs, list) or not raw_orgs:
        found.append(doc.problem(("organisations",), "E-PART-ORGS", "name at least one organisation",
                                 "organisations: [{id: nav, name: NAV}]"))
        raw_orgs = []
    for index, item in enumerate(raw_orgs):
        if not isinstance(item, dict) or set(item) - {"id", "name"}:
            found.append(doc.problem(("organisations", index), "E-PART-SHAPE",
                                     "an organisation is {id: ..., name: ...}"))
            continue
        org_id = ident(item.get("id"), ("organisations", index, "id"), "an organisation's id")
        name = item.get("name", org_id)
        if not isinstance(name, str) or not name.strip():
            found.append(doc.problem(("organisations", index, "name"), "E-PART-TYPE", "name must be text"))
            name = org_id
        if org_id and any(o.id == org_id for o in orgs):
            found.append(doc.problem(("organisations", index, "id"), "E-PART-DUP", f"organisation {org_id!r} twice"))
        orgs.append(Organisation(org_id, name.strip()))
    evaluators: list[Evaluator] = []
    raw_evals = data.get("evaluators", [])
    if not isinstance(raw_evals, list):
        found.append(doc.problem(("evaluators",), "E-PART-SHAPE", "evaluators is a list"))
        raw_evals = []
    known = {o.id for o in orgs}
    for index, item in enumerate(raw_evals):
        if not isinstance(item, dict) or set(item) - {"id", "organisation", "lead"}:
            found.append(doc.problem(("evaluators", index), "E-PART-SHAPE",
                                     "an evaluator is {id: ..., organisation: ..., lead: true|false}"))
            continue
        lead = item.get("lead", False)
        if not isinstance(lead, bool):
            found.append(doc.problem(("evaluators", index, "lead"), "E-PART-TYPE", "lead is true or false"))
            lead = False
        eval_id = ident(item.get("id"), ("evaluators", index, "id"), "an evaluator's id")
        org = item.get("organisation")
        if org not in known:
            found.append(doc.problem(("evaluators", index, "organisation"), "E-PART-REF",
                                     f"no organisation {org!r} in this file", ", ".join(sorted(known))))
            continue
        if eval_id and (any(e.id == eval_id for e in evaluators) or eval_id in known or eval_id == CONTROL):
            found.append(doc.problem(("evaluators", index, "id"), "E-PART-DUP", f"id {eval_id!r} is taken"))
        if lead and any(e.lead and e.organisation == org for e in evaluators):
            found.append(doc.problem(("evaluators", index, "lead"), "E-PART-LEAD",
                                     f"{org!r} has a lead evaluator already", "one lead evaluator per organisation"))
        evaluators.append(Evaluator(eval_id, str(org), lead))
    if CONTROL in known:
        found.append(doc.problem(("organisations",), "E-PART-DUP", "'control' is the control cell's id"))
    if found:
        return None, found
    return Setup(exercise, title.strip(), tuple(orgs), tuple(evaluators)), []


def create_exercise(store: Any, setup: Setup, scenario: Any, scenario_text: str, *,
                    now: dt.datetime | None = None) -> None:
    """Record the exercise and its streams (control, organisations, evaluators) in one go.

    Streams are sessions tied to the exercise; an organisation's stream is an ordinary session
    that its client starts, so replay, branch, compare, rescore and report work on it as on any
    session. Refused if the exercise exists."""
    from krise_ovelse.store.codec import sha256_text

    moment = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    sha = sha256_text(scenario_text)
    ex = setup.exercise

    def streams(conn: Any) -> None:
        conn.execute("INSERT INTO scenario_texts (sha256, text) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                     (sha, scenario_text))
        if conn.execute("SELECT 1 FROM exercises WHERE id = %s", (ex,)).fetchone():
            raise StoreError(f"the exercise {ex} exists already in {store.location}", EXIT_PROBLEMS,
                             "choose another exercise id in the participants file")
        conn.execute("INSERT INTO exercises (id, title, scenario_sha256, created, setup) VALUES (%s, %s, %s, %s, %s)",
                     (ex, setup.title, sha, moment, json.dumps(setup.to_dict(), ensure_ascii=False)))

    store._write(streams, "create an exercise in")
    title = scenario.title.get()
    common = {"scenario_text": scenario_text, "scenario_id": scenario.id, "title": title, "started": moment,
              "status": "paused", "claim": False, "exercise_id": ex}
    store.create_session(session_id=stream_id(ex, CONTROL), team="øvingsledelse", mode="control",
                         stream=CONTROL, **common)
    for org in setup.organisations:
        store.create_session(session_id=stream_id(ex, org_stream(org.id)), team=org.name, mode="live",
                             stream=org_stream(org.id), **common)
    for ev in setup.evaluators:
        store.create_session(session_id=stream_id(ex, eval_stream(ev.id)), team=ev.organisation, mode="evaluator",
                             stream=eval_stream(ev.id), **common)


def load_setup(store: Any, exercise: str) -> Setup:
    rows = store.execute("SELECT setup FROM exercises WHERE id = %s", (exercise,))
    if not rows:
        raise StoreError(f"there is no exercise {exercise!r} in {store.location}", EXIT_USAGE,
                         "set it up with `krise-ovelse national setup`")
    return Setup.from_dict(json.loads(rows[0][0]))


@attrs.frozen
class Credential:
    writer: str  # control, org.ID, eval.ID
    role: str
    url: str


def create_roles(store: Any, setup: Setup, *, base_url: str) -> list[Credential]:
    """One login role per writer, with a fresh password; grants; each stream tied to its writer.

    Run by the database owner (it needs CREATEROLE). Running it again gives every role a new
    password (the old credentials stop working), so a leaked file can be replaced."""
    from krise_ovelse.store.pg_roles import Writer, set_up_roles

    ex = setup.exercise
    staff = staff_role(ex)
    names = [CONTROL] + [org_stream(o.id) for o in setup.organisations] + \
        [eval_stream(e.id) for e in setup.evaluators]
    writers = [Writer(stream=name, role=role_name(ex, name),
                      staff=name == CONTROL or name.startswith("eval."),
                      readers=staff if name.startswith("eval.") else None) for name in names]
    passwords = set_up_roles(store, ex, writers, staff)
    return [Credential(w.stream, w.role, with_user(base_url, w.role, passwords[w.role])) for w in writers]


def with_user(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"))


def write_credentials(path: Path, creds: Sequence[Credential]) -> None:
    """The connection URLs, one per writer, in a new file only its owner can read (never over
    an existing file or through a symbolic link)."""
    lines = "".join(f"{c.writer}\t{c.url}\n" for c in creds)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise StoreError(f"{path} exists; the credentials are written to a new file only", EXIT_USAGE,
                         "choose another --credentials file (and delete the old one safely)") from None
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror}", EXIT_USAGE) from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(lines)
