"""“Did you mean …?”: the one ranking of close names every problem message uses.

Ranked so the likeliest slip comes first: the same name in other letter case or with other
leading zeros (`i2` → `i02`, not `i32`), then the closest by edit similarity (difflib's ratio),
ties going to the name of the same length and then to the alphabetically first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

_NUMBER = re.compile(r"[0-9]+")


def _normal(name: str) -> str:
    return _NUMBER.sub(lambda m: str(int(m.group())), name.casefold().replace("-", "_"))


def suggestions(word: str, known: Iterable[str], n: int = 1) -> list[str]:
    """Up to `n` known names close to `word`, best first (none if nothing is close)."""
    names = sorted(set(known) - {word})
    normal = _normal(word)
    same = [name for name in names if _normal(name) == normal]
    matcher = difflib.SequenceMatcher(b=word)
    scored: list[tuple[float, int, str]] = []
    for name in names:
        if name in same:
            continue
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
            ratio = matcher.ratio()
            if ratio >= 0.6:
                scored.append((-ratio, abs(len(name) - len(word)), name))
    return (same + [name for *_, name in sorted(scored)])[:n]


def did_you_mean(word: str, known: Iterable[str], what: str = "") -> str:
    """A hint naming the closest known name, else a few of the known ones, else ''."""
    names = sorted(set(known))
    close = suggestions(word, names)
    if close:
        return f"did you mean {close[0]!r}?"
    many = _PLURALS.get(what, what + "s") if what else "values"
    if not names:
        return f"no {many} are defined" if what else ""
    listed = ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
    return f"known {many}: {listed}"


_PLURALS = {"criterion": "criteria"}
