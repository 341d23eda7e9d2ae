"""Export a session to a JSON Lines file and import it back, refusing anything tampered with.

The file is meant to travel: mailed from the venue laptop to the evaluator, archived with the
after-action report, imported on another machine to compare teams. Format (version 1):

    line 1   {"format": "krise-ovelse-session", "version": 1, "session": {...},
              "scenario_text": "...", "scenario_sha256": "...", "events_sha256": "...",
              "session_sha256": "...", "event_count": N}
    line 2.. one event per line, canonical JSON (sorted keys, no spaces), seq 1, 2, 3, ...

`scenario_sha256` is the sha256 of the scenario text (UTF-8); `events_sha256` the sha256 of
the event lines, each in canonical JSON and followed by "\\n"; `session_sha256` the sha256 of
the canonical JSON of `session`. Hashes are over the canonical form, so re-indenting a line
does not matter, but changing any value does. The hashes make accidental and casual edits
visible; they are not a signature against someone who recomputes them.

`export --sign` adds `"signature": {"algorithm": "ed25519", "key_id", "public_key", "signer",
"value"}` to the header: an Ed25519 signature (`krise_ovelse.signing`) over `signed_message`,
the canonical JSON of the header without the signature. Readers that do not know the key
ignore it. Importing is `krise_ovelse.store.importing`, which trusts nothing it can recompute.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from typing import IO, Any

import attrs

from krise_ovelse.fileio import ReadError, WriteError, read_limited, write_bytes
from krise_ovelse.safetext import json_escape_controls
from krise_ovelse.store.backend import Store
from krise_ovelse.store.codec import EventDict, canonical_json, event_to_row, events_sha256, sha256_text
from krise_ovelse.store.errors import EXIT_PROBLEMS, EXIT_USAGE, ExportFileError, StoreError
from krise_ovelse.store.session_rows import SessionInfo

_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,63}")
FORMAT = "krise-ovelse-session"
#: Larger files are refused before parsing (a long national exercise exports a few MiB).
MAX_EXPORT_BYTES = 64 * 1024 * 1024
VERSION = 1

#: Session fields written to the header and read back on import.
SESSION_FIELDS = ("id", "scenario_id", "title", "seed", "team", "participants", "facilitator",
                  "started", "ended", "status", "mode", "parent_id", "branch_decision",
                  "branch_seq", "score_index", "summary")


@attrs.frozen
class ExportData:
    """A parsed, verified export file."""

    header: dict[str, Any]
    session: dict[str, Any]
    scenario_text: str
    events: list[EventDict]


def session_header(store: Store, info: SessionInfo, scenario_text: str,
                   events: list[EventDict]) -> dict[str, Any]:
    session = {key: getattr(info, key) for key in SESSION_FIELDS if hasattr(info, key)}
    session["participants"] = list(info.participants)
    session["summary"] = store.summary(info.id)
    return {  # in reading order: what the file is first, the long scenario text last
        "format": FORMAT,
        "version": VERSION,
        "session": session,
        "event_count": len(events),
        "events_sha256": events_sha256(events),
        "session_sha256": sha256_text(canonical_json(session)),
        "scenario_sha256": sha256_text(scenario_text),
        "scenario_text": scenario_text,
    }


def signed_message(header: Mapping[str, Any]) -> bytes:
    """What a signature covers: the header (the three hashes, the session details, the scenario
    text) in canonical JSON, without the signature itself."""
    return canonical_json({k: v for k, v in header.items() if k != "signature"}).encode("utf-8")


def export_lines(store: Store, session_id: str, sign_with: str | None = None) -> Iterator[str]:
    """The export file's lines (without newlines). The events are read in one statement, so a
    session being played in another window exports as a consistent prefix of itself.

    C1 controls, bidi formatting and line separators inside strings are written as `\\uXXXX`
    escapes (`safetext.json_escape_controls`): the same data, but the file is safe to show on a
    terminal (`export -o -`, `cat`, `less`). With `sign_with` (a key name) the header is signed."""
    info = store.get(session_id)
    scenario_text = store.scenario_text(session_id)
    events = store.events(session_id)
    header = session_header(store, info, scenario_text, events)
    if sign_with is not None:
        from krise_ovelse.signing import SigningKeyError, sign

        try:
            header["signature"] = sign(signed_message(header), sign_with)
        except SigningKeyError as exc:
            raise StoreError(exc.message, exc.exit_code, exc.hint) from None
    yield json_escape_controls(json.dumps(header, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
    for event in events:
        yield json_escape_controls(canonical_json(event))


def export_session(store: Store, session_id: str, out: IO[str], sign_with: str | None = None) -> int:
    """Write the export to an open text stream; return the number of events."""
    count = -1
    for line in export_lines(store, session_id, sign_with):
        out.write(line + "\n")
        count += 1
    return count


def export_to_path(store: Store, session_id: str, path: str | os.PathLike[str],
                   sign_with: str | None = None) -> int:
    """Write the export to `path` with the safe writer (`fileio.write_bytes`): atomically over
    a regular file, never through a symbolic link, never over a FIFO or device; so a failed or
    interrupted export never leaves a half-written file where a complete one is expected."""
    lines = list(export_lines(store, session_id, sign_with))  # read fully before touching the disk
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    try:
        write_bytes(path, data)
    except WriteError as exc:
        raise StoreError(exc.render(), EXIT_USAGE) from None
    return len(lines) - 1


def _require(header: Mapping[str, Any], key: str, kind: type | tuple[type, ...], file: str) -> Any:
    value = header.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ExportFileError(file, 1, f"the header needs {key!r} ({_type_name(kind)})",
                              "the file is not a complete krise-øvelse session export")
    return value


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", int: "a whole number", dict: "an object", list: "a list"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def read_export(path: str | os.PathLike[str]) -> ExportData:
    """Parse and verify an export file. Raises ExportFileError (`FILE:LINE: message`, exit 1)
    for anything wrong inside it, StoreError (exit 2) when it cannot be read at all."""
    file = str(path)
    try:
        content = read_limited(path, MAX_EXPORT_BYTES, what="export file")
    except ReadError as exc:
        raise StoreError(f"cannot read {file}: {exc.code} {exc.message}", EXIT_USAGE, exc.hint) from None
    header: dict[str, Any] | None = None
    events: list[EventDict] = []
    blank_at = 0
    lineno = 0
    try:
        for lineno, raw in enumerate(content.splitlines(), start=1):
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8").strip()
            if not line:
                blank_at = blank_at or lineno
                continue
            if blank_at:
                raise ExportFileError(file, blank_at, "empty line in the middle of the events")
            try:
                value = _loads(line)
            except ValueError as exc:
                if header is None:
                    raise _not_an_export(file, lineno, f"not valid JSON: {exc}") from None
                raise ExportFileError(file, lineno, f"not valid JSON: {exc}") from None
            if not isinstance(value, dict):
                if header is None:
                    raise _not_an_export(file, lineno, "expected a JSON object {...}")
                raise ExportFileError(file, lineno, "expected a JSON object {...}")
            if header is None:
                header = _check_header(value, file)
                continue
            expected = len(events) + 1
            try:
                event_to_row(value)
            except ValueError as exc:
                raise ExportFileError(file, lineno, f"not an event: {exc}") from None
            if value["seq"] != expected:
                raise ExportFileError(file, lineno, f"expected event seq {expected}, found "
                                      f"{value['seq']}", "events must be numbered 1, 2, 3, … "
                                      "without gaps or repeats")
            events.append(value)
    except UnicodeDecodeError as exc:
        if header is None:
            raise _not_an_export(file, lineno, f"not UTF-8 text ({exc.reason})") from None
        raise ExportFileError(file, lineno, f"not UTF-8 text ({exc.reason})") from None
    if header is None:
        raise ExportFileError(file, 0, "the file is empty", "export a session with "
                              "`krise-ovelse export SESSION -o FILE.jsonl`")
    count = header["event_count"]
    if count != len(events):
        raise ExportFileError(file, 0, f"the header says {count} events but the file has "
                              f"{len(events)}", "the file is incomplete or was edited; export it again")
    if events_sha256(events) != header["events_sha256"]:
        raise ExportFileError(file, 0, "the events do not match events_sha256: the file was "
                              "changed after it was exported", "use the file as exported")
    return ExportData(header, header["session"], header["scenario_text"], events)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _loads(line: str) -> Any:
    """One JSON value, refusing what a krise-øvelse export never holds: NaN and Infinity,
    numbers too large for a float, nesting deeper than Python's recursion allows, and lone
    surrogates (which no UTF-8 store can keep)."""
    try:
        value = json.loads(line, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    try:
        canonical_json(value).encode("utf-8")
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except ValueError as exc:  # inf from 1e999, or a lone surrogate (UnicodeEncodeError)
        raise ValueError("a number out of range or a lone surrogate in a string"
                         if not isinstance(exc, UnicodeEncodeError) else "a lone surrogate in a string") from None
    return value


def _not_an_export(file: str, line: int, message: str) -> ExportFileError:
    """A file that is not a session export at all (a scenario, a report, …): input the command
    cannot read, so exit 2 like any unreadable input; a damaged export stays exit 1."""
    error = ExportFileError(file, line, f"{message}: not a krise-øvelse session export (JSON Lines)",
                            "give a file written by `krise-ovelse export SESSION -o FILE.jsonl`")
    error.exit_code = EXIT_USAGE
    return error


def _check_header(value: dict[str, Any], file: str) -> dict[str, Any]:
    if value.get("format") != FORMAT:
        raise ExportFileError(file, 1, f"not a krise-øvelse session export (format is "
                              f"{value.get('format')!r}, expected {FORMAT!r})")
    version = value.get("version")
    if version != VERSION:
        raise ExportFileError(file, 1, f"export format version {version!r} is not supported "
                              f"(this krise-øvelse reads version {VERSION})",
                              "upgrade krise-ovelse to import files from a newer version")
    session = _require(value, "session", dict, file)
    text = _require(value, "scenario_text", str, file)
    _require(value, "scenario_sha256", str, file)
    _require(value, "events_sha256", str, file)
    _require(value, "session_sha256", str, file)
    _require(value, "event_count", int, file)
    if sha256_text(text) != value["scenario_sha256"]:
        raise ExportFileError(file, 1, "the scenario text does not match scenario_sha256: the "
                              "file was changed after it was exported", "use the file as exported")
    if sha256_text(canonical_json(session)) != value["session_sha256"]:
        raise ExportFileError(file, 1, "the session details do not match session_sha256: the "
                              "file was changed after it was exported", "use the file as exported")
    for key, kind in (("id", str), ("scenario_id", str), ("started", str)):
        if not isinstance(session.get(key), kind):
            raise ExportFileError(file, 1, f"the session needs {key!r} ({_type_name(kind)})")
    if not _ID.fullmatch(session["id"]):
        raise ExportFileError(file, 1, f"the session id {session['id']!r} is not a valid id",
                              "ids are letters, digits, '-' and '_', at most 64 characters")
    participants = session.get("participants", [])
    if not isinstance(participants, list):
        raise ExportFileError(file, 1, "the session's participants must be a list")
    return value


__all__ = ["EXIT_PROBLEMS", "FORMAT", "VERSION", "ExportData", "export_lines", "export_session",
           "export_to_path", "read_export", "signed_message"]
