"""The one error type the model's parsers raise for a malformed field value."""

from __future__ import annotations


class FieldFormatError(ValueError):
    """A field's text does not parse.

    `offset` is the 0-based index of the offending character inside the field's string, so the
    loader can report the column inside the YAML scalar; `code` is the stable problem code.
    """

    code = "E-FORMAT"

    def __init__(self, message: str, offset: int = 0, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint
