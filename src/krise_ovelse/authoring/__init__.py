"""Authoring: YAML scenario files → model, with every problem positioned (no textual here).

The names below are imported from their modules on first use, so importing a light module of
this package (`krise_ovelse.authoring.inspect`, as the console's briefing does) does not import
the YAML parser, cattrs and the checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krise_ovelse.startup import lazy_attributes

if TYPE_CHECKING:
    from krise_ovelse.authoring.load import LoadResult, load_scenario, load_scenario_text

_MODULE_OF = {
    "LoadResult": "load",
    "load_scenario": "load",
    "load_scenario_text": "load",
}

__all__ = ["LoadResult", "load_scenario", "load_scenario_text"]


__getattr__ = lazy_attributes(__name__, _MODULE_OF)
