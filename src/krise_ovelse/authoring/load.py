"""Load a scenario file: read, parse, structure, check. Returns problems, never raises on input."""

from __future__ import annotations

from pathlib import Path

import attrs
from cattrs.errors import BaseValidationError

from krise_ovelse.authoring.checks import check_scenario
from krise_ovelse.authoring.structure import problems_from, structurer_for
from krise_ovelse.authoring.yamlio import Document, decode_text, parse, read_text
from krise_ovelse.model.problems import Problem, has_errors
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.model.text import DEFAULT_LANGUAGE, LANGUAGES
from krise_ovelse.startup import collection_paused


@attrs.frozen
class LoadResult:
    """The outcome of loading: a scenario if it has no errors, and every problem found."""

    scenario: Scenario | None
    problems: tuple[Problem, ...]
    document: Document | None = None
    text: str | None = None
    #: The scenario as structured even when checks of meaning found errors (None if its form is
    #: wrong): for tools that only read injects, such as `msel export` of a half-made import.
    structured: Scenario | None = None

    @property
    def ok(self) -> bool:
        return self.scenario is not None


def load_scenario(path: str | Path) -> LoadResult:
    path = Path(path)
    text, problems = read_text(path)
    if text is None:
        return LoadResult(None, tuple(problems))
    return load_scenario_text(text, str(path))


def load_scenario_bytes(raw: bytes, name: str) -> LoadResult:
    """Load a scenario from a file's bytes already read (the load cache reads them to hash them)."""
    text, problems = decode_text(raw, name)
    if text is None:
        return LoadResult(None, tuple(problems))
    return load_scenario_text(text, name)


def load_scenario_text(text: str, name: str = "<scenario>") -> LoadResult:
    with collection_paused():
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
    return LoadResult(None if has_errors(problems) else scenario, tuple(problems), doc, text, scenario)
