"""Load a scenario file: read, parse, structure, check. Returns problems, never raises on input."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
from cattrs.errors import BaseValidationError

from krise_ovelse.authoring.checks import check_scenario
from krise_ovelse.authoring.problems import Problem, has_errors
from krise_ovelse.authoring.structure import problems_from, structurer_for
from krise_ovelse.authoring.yamlio import Document, parse, read_text
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.model.text import DEFAULT_LANGUAGE, LANGUAGES


@attrs.frozen
class LoadResult:
    """The outcome of loading: a scenario if it has no errors, and every problem found."""

    scenario: Scenario | None
    problems: tuple[Problem, ...]
    document: Document | None = None
    text: str | None = None

    @property
    def ok(self) -> bool:
        return self.scenario is not None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a large tree of fresh objects.

    Loading allocates hundreds of thousands of objects that all stay alive; with the collector on,
    each generation-2 pass walks them all again and the cost grows quadratically with file size.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_scenario(path: str | Path) -> LoadResult:
    path = Path(path)
    text, problems = read_text(path)
    if text is None:
        return LoadResult(None, tuple(problems))
    return load_scenario_text(text, str(path))


def load_scenario_text(text: str, name: str = "<scenario>") -> LoadResult:
    with _collector_paused():
        doc, problems = parse(text, name)
        if doc is None:
            return LoadResult(None, tuple(problems))
        return _from_document(doc, text)


def _from_document(doc: Document, text: str) -> LoadResult:
    data = doc.data
    if not isinstance(data, dict):
        return LoadResult(None, (doc.problem((), "E-TYPE", "a scenario must be a mapping of keys to values",
                                             "start with `schema_version: 1` and `id: …`"),), doc, text)
    language = data.get("language", DEFAULT_LANGUAGE)
    if not isinstance(language, str) or language not in LANGUAGES:
        language = DEFAULT_LANGUAGE  # reported by the checks once structured
    try:
        scenario = structurer_for(language).structure(data, Scenario)
    except BaseValidationError as exc:
        return LoadResult(None, tuple(sorted(problems_from(exc, doc))), doc, text)
    problems = sorted(check_scenario(scenario, doc))
    return LoadResult(None if has_errors(problems) else scenario, tuple(problems), doc, text)
