"""Problems found in an input file, reported like a compiler: `file:line:col: CODE message (hint)`.

Every code is documented in docs/scenario-format.md; codes starting with E are errors (the file
cannot be used), W are lint warnings (it can, but an author would want to know).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import attrs


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@attrs.frozen(order=True)
class Problem:
    file: str
    line: int  # 1-based; 0 when the problem has no position in the file
    col: int  # 1-based
    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def render(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.code} {self.message}{hint}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def has_errors(problems: list[Problem] | tuple[Problem, ...]) -> bool:
    return any(p.is_error for p in problems)
