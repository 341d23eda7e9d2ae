"""How many examples a slow hypothesis property tries.

The suite runs the number a test asks for. Under mutation testing (`.ci/mutation` sets
KRISE_OVELSE_MUTATION=1) every mutant that a property reaches reruns it through mutmut's
trampolines, so the long properties try a tenth (at least ten): a surviving mutant of the
engine core would otherwise cost minutes, and the package could not be checked to the end."""

from __future__ import annotations

import os


def examples(wanted: int) -> int:
    """`wanted`, or a tenth of it (at least 10) under mutation testing."""
    if os.environ.get("KRISE_OVELSE_MUTATION"):
        return max(10, wanted // 10)
    return wanted
