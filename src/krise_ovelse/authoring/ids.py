"""The safe form of ids: what a scenario may name its phases, injects, options, flags, … and itself.

Ids end up in terminal output, file names, report anchors and console markup, so they are held
to a small, documented pattern (docs/scenario-format.md, "Ids"): letters (ASCII and the Latin letters
U+00C0–U+024F, so æ, ø, å, é, ü), digits 0-9, `_`, `-` and `.`, starting with a letter, digit
or `_`, no `..`, at most 64 characters. That shuts out
control characters (ESC, NUL), bidi overrides (U+202E), zero-width characters, `..`, `.bashrc`,
`-rf` and ids long enough to flood a screen. A scenario's own id names files and session
records, so it is plain ASCII: letters, digits, `-` and `_`.
"""

from __future__ import annotations

import re

MAX_ID_LENGTH = 64

#: Latin letters beyond ASCII (Latin-1 Supplement and Latin Extended-A/B, without × and ÷):
#: enough for Norwegian and its neighbours, and no look-alikes from other scripts.
_LATIN = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_FIRST = f"A-Za-z0-9_{_LATIN}"
_REST = f"A-Za-z0-9_.\\-{_LATIN}"
#: The end of the text, in a form Python's `re` and JSON Schema's (ECMA 262) read alike (`$` also
#: matches before a final newline in Python).
_END = "(?![\\s\\S])"
#: The id rule as one regular expression (the JSON Schema uses the same text).
ID_PATTERN = f"^(?!.*\\.\\.)[{_FIRST}][{_REST}]{{0,{MAX_ID_LENGTH - 1}}}{_END}"
SCENARIO_ID_PATTERN = f"^[A-Za-z0-9][A-Za-z0-9_\\-]{{0,{MAX_ID_LENGTH - 1}}}{_END}"
_ID = re.compile(ID_PATTERN)
_ID_CHAR = re.compile(f"[{_REST}]")
_SCENARIO_ID = re.compile(SCENARIO_ID_PATTERN)

ID_HINT = ("ids are letters (a-z, æøå and other Latin letters), digits 0-9, _, - and ., starting with a "
           "letter, digit or _, "
           f"at most {MAX_ID_LENGTH} characters, e.g. i01 or key_person_load")
SCENARIO_ID_HINT = (f"a scenario id is ASCII letters, digits, - and _, at most {MAX_ID_LENGTH} characters, "
                    "e.g. maratonet (it names files)")


def shown(ident: str) -> str:
    """An id as a problem message shows it: escaped (repr) and cut short."""
    text = repr(ident[:40])
    return text + "…" if len(ident) > 40 else text


def id_problem(ident: str) -> str | None:
    """Why `ident` is not a safe id, or None if it is."""
    if not ident:
        return "an empty id"
    if len(ident) > MAX_ID_LENGTH:
        return f"an id of {len(ident):,} characters (at most {MAX_ID_LENGTH})"
    bad = next((ch for ch in ident if not _id_char(ch)), None)
    if bad is not None:
        return f"the id {shown(ident)} has the character {bad!r} (U+{ord(bad):04X})"
    if ident[0] in ".-":
        return f"the id {shown(ident)} starts with {ident[0]!r}"
    if ".." in ident:
        return f"the id {shown(ident)} has '..'"
    assert _ID.match(ident) is not None  # the same rule as ID_PATTERN, which the JSON Schema uses
    return None


def scenario_id_problem(ident: str) -> str | None:
    """Why `ident` is not a safe scenario id, or None if it is."""
    if not ident:
        return "an empty scenario id"
    if len(ident) > MAX_ID_LENGTH:
        return f"a scenario id of {len(ident):,} characters (at most {MAX_ID_LENGTH})"
    if _SCENARIO_ID.match(ident) is None:
        return f"bad scenario id {shown(ident)}"
    return None


def _id_char(ch: str) -> bool:
    return _ID_CHAR.fullmatch(ch) is not None
