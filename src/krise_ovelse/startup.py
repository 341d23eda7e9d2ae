"""Two ways the package keeps its start cheap, shared by the packages that need them.

- `lazy_attributes`: a package's public names imported from their modules on first use (PEP 562),
  so importing one light module of a package does not import all of it.
- `collection_paused`: the cyclic garbage collector off while a large tree of long-lived objects
  is built (a loaded scenario, the console's screens). Each generation-2 pass would walk all of
  them again, so with the collector on the cost grows quadratically with the size of the tree.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any


def lazy_attributes(package: str, module_of: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: `name` comes from `package.<module_of[name]>`, and is
    then set on the package so the lookup happens once."""

    def __getattr__(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__


def pause_collection() -> bool:
    """Turn the cyclic garbage collector off; True if it was on (give that to `resume_collection`).
    For a pause that does not fit one block (the console's: until its first frame)."""
    was_enabled = gc.isenabled()
    gc.disable()
    return was_enabled


def resume_collection(was_enabled: bool, *, freeze: bool = False) -> None:
    """Back on if it was on before `pause_collection`; with `freeze`, what exists now is first moved
    out of later collections (it lives as long as the program)."""
    if was_enabled:
        if freeze:
            gc.freeze()
        gc.enable()


@contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (back on after it, if it was on before)."""
    was_enabled = pause_collection()
    try:
        yield
    finally:
        resume_collection(was_enabled)
