"""Text from files made harmless for terminals and documents: the one sanitiser.

A scenario, a playthrough or an export is a file someone else wrote. Its texts must never act
on the reader's terminal: ESC starts escape sequences (OSC 52 writes the clipboard, OSC 8
plants hidden links, others set the window title), U+009B is an 8-bit CSI, and bidi overrides
(U+202E) make a text read differently from what it is. `neutralise` shows every such character
as a visible symbol instead, so the text still says what the file says:

- C0 controls and DEL (except newline and tab, which mean something) become the Control
  Pictures block: ESC is shown as ␛, NUL as ␀, CR as ␍;
- C1 controls (U+0080–U+009F) and bidi formatting characters (embeddings, overrides, isolates,
  marks) become `‹U+202E›`;
- lone surrogates (from JSON `\\ud800` or undecodable file names) become U+FFFD, so encoding
  the text can never fail.

Every CLI output stream, every text output file and every text the console shows from a file
passes through it. It imports nothing from the project, so every layer may use it.
"""

from __future__ import annotations

import re

#: Bidi formatting characters: ALM, LRM, RLM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI.
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"‹U+{code:04X}›"


def neutralise(text: str) -> str:
    """`text` with terminal controls, bidi formatting and lone surrogates made visible."""
    if _UNSAFE.search(text) is None:  # the common case: no copy
        return text
    return _UNSAFE.sub(_visible, text)


def is_clean(text: str) -> bool:
    """True if `neutralise` would leave `text` unchanged."""
    return _UNSAFE.search(text) is None


#: Characters a JSON string may hold raw but a terminal or editor would act on.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{BIDI}\u2028\u2029\ud800-\udfff]")


def json_escape_controls(encoded: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with C1 controls, DEL, bidi
    formatting, line separators and lone surrogates written as `\\uXXXX` escapes.

    The value is unchanged (those characters can only occur inside JSON strings, and the escape
    decodes to the same character), so hashes over the decoded data still match; but the file
    can be shown on a terminal safely.
    """
    if _JSON_UNSAFE.search(encoded) is None:
        return encoded
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


__all__ = ["BIDI", "is_clean", "json_escape_controls", "neutralise"]
