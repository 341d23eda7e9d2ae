"""Importing a session export: nothing in the file is trusted that can be recomputed.

An export travels by e-mail; whoever has it can edit it and recompute its hashes. So an import
(`read_export` has checked the format and the hashes) goes on to:

1. load the scenario text in the file with this version's loader, and refuse it if it does not
   load (not at replay time, later);
2. read every event with the engine's reader, refusing unknown kinds, and fold them over that
   scenario, refusing what does not fold;
3. derive every value the store shows from the events and the scenario — team, participants,
   facilitator, seed, end, status, title, the key facts, the ratings and the index — and ignore
   the copies in the header (a forged index of 100 imports as what the events earn). The one
   exception is when the session really started: a headless run's events carry a fixed clock
   (runs are deterministic), so a valid time in the header is kept; it decides only the order
   of the session list, never a rating;
4. check the signature when there is one (`export --sign`), and require one from a trusted key
   with `verify` (`import --verify`): the hashes only show accidental damage, a signature shows
   who made the file;
5. refuse ids a prefix lookup could confuse: shorter than `MIN_PREFIX`, or a prefix of a
   stored session's id (or the other way round).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import attrs

from krise_ovelse.store.backend import Store
from krise_ovelse.store.errors import EXIT_PROBLEMS, ExportFileError, StoreError
from krise_ovelse.store.exchange import ExportData, read_export, signed_message
from krise_ovelse.store.session_rows import MIN_PREFIX, SessionInfo

#: Session statuses an imported session may keep from its file when its events did not end.
_OPEN_STATUSES = ("paused", "interrupted")


@attrs.frozen
class Imported:
    """An imported session, and what its signature showed (`signer` None: unsigned)."""

    info: SessionInfo
    signer: str | None = None
    trusted: bool = False
    key_id: str = ""



def _real_start(given: object, first_event_wall: str) -> str:
    """When the session really started: the exported row's time if it is a valid time with a
    zone (a headless run's events carry a fixed clock for determinism, its row the real time),
    else the first event's."""
    if isinstance(given, str):
        try:
            moment = dt.datetime.fromisoformat(given)
        except ValueError:
            return first_event_wall
        if moment.utcoffset() is not None:
            return moment.isoformat(timespec="seconds")
    return first_event_wall

def check_signature(data: ExportData, file: str, *, required: bool) -> tuple[str | None, bool, str]:
    """(signer, trusted, key id) of a valid signature; ExportFileError for a bad one, or for
    none (or an untrusted one) when `required`."""
    from krise_ovelse.signing import BadSignature, SigningKeyError, verify

    record = data.header.get("signature")
    if record is None:
        if required:
            raise ExportFileError(file, 1, "the export is not signed, and --verify asks for a signature",
                                  "ask the sender for an export made with `krise-ovelse export --sign`")
        return None, False, ""
    try:
        checked = verify(signed_message(data.header), record)
    except BadSignature as exc:
        raise ExportFileError(file, 1, str(exc), "use the file as it was signed") from None
    except SigningKeyError as exc:
        raise StoreError(exc.message, exc.exit_code, exc.hint) from None
    if required and checked.trusted_as is None:
        raise ExportFileError(file, 1, f"the export is signed by a key you do not trust ({checked.key.name!r}, "
                              f"fingerprint {checked.key.key_id})",
                              "if the sender confirms this fingerprint, trust their public key with "
                              "`krise-ovelse keys trust FILE.pub`")
    return checked.trusted_as or checked.key.name, checked.trusted_as is not None, checked.key.key_id


def check_references(scenario: Any, events: list[dict[str, Any]], criteria: frozenset[str], file: str) -> None:
    """Every id an event names exists in the scenario, and every value is a finite number.

    The fold applies events as they are (the engine checked them when they were made), so an
    option, inject or indicator a forger invents would otherwise be stored and shown."""
    import math

    from krise_ovelse.engine.values import OTHER_OPTION

    phases = {p.id for p in scenario.phases}
    injects = {i.id for i in scenario.injects}
    options = {d.id: {o.id for o in d.options} for d in scenario.decisions}
    indicators = {i.id for i in scenario.indicators}

    def refuse(event: dict[str, Any], what: str) -> ExportFileError:
        return ExportFileError(file, int(event["seq"]) + 1, f"event {event['seq']} ({event['kind']}) names {what}, "
                               "which the scenario in the export does not have", "nothing was imported")

    for event in events:
        if event["kind"] == "adhoc_inject_added" and isinstance(event.get("inject_id"), str):
            injects.add(event["inject_id"])
        for key in ("phase_id", "previous_phase_id"):
            value = event.get(key)
            if value not in (None, "") and value not in phases:
                raise refuse(event, f"phase {value!r}")
        inject = event.get("inject_id")
        if inject is not None and inject not in injects:
            raise refuse(event, f"inject {inject!r}")
        decision = event.get("decision_id")
        if decision is not None:
            if decision not in options:
                raise refuse(event, f"decision {decision!r}")
            option = event.get("option_id")
            other = event["kind"] == "decision_mapped" and option == OTHER_OPTION  # decide-first: none fitted
            if option is not None and option not in options[decision] and not other:
                raise refuse(event, f"option {option!r} of decision {decision!r}")
        named = [event["criterion_id"]] if isinstance(event.get("criterion_id"), str) else []
        named += [c for c in event.get("criteria") or () if isinstance(c, str)]
        levels = event.get("levels") if event["kind"] == "decision_mapped" else None
        named += [c for c in levels if isinstance(c, str)] if isinstance(levels, dict) else []
        for criterion in named:
            if criterion not in criteria:
                raise refuse(event, f"criterion {criterion!r}")
        values = event.get("values")
        if isinstance(values, dict):
            for key, value in values.items():
                if key not in indicators:
                    raise refuse(event, f"indicator {key!r}")
                if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
                    raise ExportFileError(file, int(event["seq"]) + 1, f"event {event['seq']}: indicator {key!r} "
                                          f"has the value {value!r}, not a finite number")


def _check_id(store: Store, session_id: str, file: str) -> None:
    if len(session_id) < MIN_PREFIX:
        raise ExportFileError(file, 1, f"the session id {session_id!r} is shorter than {MIN_PREFIX} characters, "
                              "so it would be taken for a shortened id", "import it with --new-id")
    for other in store.list_sessions():
        if other.id == session_id:
            raise ExportFileError(file, 1, f"session {session_id} is already in the database",
                                  "importing it again would make two copies; use --new-id for a copy")
        if other.id.startswith(session_id) or session_id.startswith(other.id):
            raise ExportFileError(file, 1, f"the session id {session_id!r} and the stored session "
                                  f"{other.id!r} begin alike, so a shortened id could name either",
                                  "import it with --new-id")


def import_verified(store: Store, path: str | os.PathLike[str], *, new_id: bool = False,
                    verify: bool = False) -> Imported:
    """Check an export file (see the module docstring) and store it as a session, all or
    nothing (one transaction). The session keeps its id unless `new_id`."""
    from krise_ovelse.authoring import load_scenario_text
    from krise_ovelse.engine.events import SessionEnded, SessionStarted
    from krise_ovelse.store.lifecycle import criteria_ids, engine_events, fold_session, index_of, session_summary

    file = str(path)
    data = read_export(path)
    signer, trusted, key_id = check_signature(data, file, required=verify)
    header_session = data.session

    loaded = load_scenario_text(data.scenario_text, f"{file}:scenario_text")
    if loaded.scenario is None:
        first = next((p.render() for p in loaded.problems if p.is_error), "")
        raise ExportFileError(file, 1, f"the scenario in the export does not load with this version of "
                              f"krise-øvelse: {first}", "the file cannot be replayed here; nothing was imported")
    scenario = loaded.scenario
    if header_session.get("scenario_id") != scenario.id:
        raise ExportFileError(file, 1, f"the session says scenario {header_session.get('scenario_id')!r}, "
                              f"its scenario text is {scenario.id!r}")
    check_references(scenario, data.events, criteria_ids(scenario), file)
    try:
        events = engine_events(data.events, file)
        state = fold_session(scenario, events, file)
    except StoreError as exc:
        raise ExportFileError(file, 0, exc.message.removeprefix(f"session {file}: "),
                              "the events are not ones this krise-øvelse can replay; nothing was imported") from None
    if not events or not isinstance(events[0], SessionStarted):
        raise ExportFileError(file, 2, "the export holds no session_started event")
    started = events[0]
    summary = session_summary(scenario, state, events)
    ended_event = next((e for e in reversed(events) if isinstance(e, SessionEnded)), None)
    if state.ended:
        status = "ended"
    else:
        given = header_session.get("status")
        status = given if given in _OPEN_STATUSES else "interrupted"

    session_id = None if new_id else str(header_session["id"])
    if session_id is not None:
        _check_id(store, session_id, file)
    parent = header_session.get("parent_id")
    if isinstance(parent, str):
        try:
            store.get(parent)
        except StoreError:
            parent = None  # the parent lives in another database; keep the branch point only
    else:
        parent = None
    branch_seq = header_session.get("branch_seq")
    branch_decision = header_session.get("branch_decision")
    people = [f"{p.name} ({p.role})" if p.role else p.name for p in started.participants]
    info = store.create_session(
        scenario_text=data.scenario_text,
        scenario_id=scenario.id,
        title=scenario.title.get(),
        seed=started.seed,
        team=started.team,
        participants=people,
        facilitator=started.facilitator,
        mode=str(header_session.get("mode")) if header_session.get("mode") in ("live", "headless") else "live",
        started=_real_start(header_session.get("started"), started.wall),
        ended=ended_event.wall if ended_event is not None else None,
        session_id=session_id,
        events=data.events,
        parent_id=parent,
        branch_decision=branch_decision if parent and isinstance(branch_decision, str) else None,
        branch_seq=branch_seq if parent and isinstance(branch_seq, int) and 0 <= branch_seq <= len(events)
        else None,
        status=status,
        claim=False,
        summary=summary,
        score_index=index_of(summary),
    )
    return Imported(info, signer, trusted, key_id)


__all__ = ["EXIT_PROBLEMS", "Imported", "check_signature", "import_verified"]
