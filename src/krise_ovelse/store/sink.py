"""The engine's sink for a stored session, for any backend.

`sink(events)` converts the engine's event objects to their stable dicts and appends them in one
transaction; if they cannot be stored it raises StoreError, so the engine never applies a
command whose events are not stored. The conversion is passed in (`lifecycle.engine_sink` gives
the engine's), so the store itself never imports the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol


class Appender(Protocol):
    def append(self, session_id: str, events: Sequence[Mapping[str, Any]]) -> int: ...


class StoreSink:
    """`sink(events)`: dicts as they are, other events through `to_dict`, one append per batch."""

    def __init__(self, store: Appender, session_id: str,
                 to_dict: Callable[[Any], Mapping[str, Any]] | None = None) -> None:
        self.store = store
        self.session_id = session_id
        self._to_dict = to_dict

    def __call__(self, events: Sequence[Any]) -> None:
        self.store.append(self.session_id, [self._convert(e) for e in events])

    def _convert(self, event: Any) -> Mapping[str, Any]:
        if isinstance(event, Mapping):
            return event
        if self._to_dict is None:
            raise TypeError(f"{type(event).__name__} is not an event dict; give the sink a to_dict "
                            "(krise_ovelse.store.lifecycle.engine_sink does)")
        return self._to_dict(event)
