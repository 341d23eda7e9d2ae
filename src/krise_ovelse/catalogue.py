"""The criteria catalogue: themes, success criteria, learning points and rating levels.

The catalogue is package data (`krise_ovelse/data/criteria.yaml`) derived from the Norwegian
report shipped beside it (`rapport-nb.txt`). Every criterion rests on sentences quoted from that
report; `quote_in_report` is the check the tests apply to each of them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from krise_ovelse.model.text import Text

if TYPE_CHECKING:
    import cattrs

    from krise_ovelse.model.scenario import Scenario

#: HSEEP-style rating levels, best first: Performed without challenges, with Some challenges,
#: with Major challenges, Unable to be performed.
RATING_LEVELS: tuple[str, ...] = ("P", "S", "M", "U")
#: Not observed: the scenario gave no opportunity to show the criterion. Not a rating.
NOT_OBSERVED = "N/O"
#: Every code that has a generic description in the catalogue.
LEVEL_CODES: tuple[str, ...] = (*RATING_LEVELS, NOT_OBSERVED)

DATA_PACKAGE = "krise_ovelse.data"
CATALOGUE_FILE = "criteria.yaml"
REPORT_FILE = "rapport-nb.txt"
#: The catalogue file (read by path: importing `importlib.resources` costs more than reading it).
CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / CATALOGUE_FILE
#: The catalogue's kind in the load cache.
CATALOGUE_KIND = "catalogue"

_WHITESPACE = re.compile(r"\s+")


def _frozen_mapping(value: Mapping[str, Text]) -> Mapping[str, Text]:
    return MappingProxyType(dict(value))


@attrs.frozen
class LevelTexts:
    """What each rating level means for one criterion."""

    P: Text
    S: Text
    M: Text
    U: Text

    def get(self, level: str) -> Text:
        """The text for `level` ("P", "S", "M" or "U"); KeyError for anything else."""
        if level not in RATING_LEVELS:
            raise KeyError(level)
        text: Text = getattr(self, level)
        return text


@attrs.frozen
class Theme:
    id: str
    name: Text
    description: Text


@attrs.frozen
class Criterion:
    id: str
    theme: str
    name: Text
    description: Text
    quotes: tuple[str, ...]
    critical_tasks: tuple[Text, ...]
    levels: LevelTexts
    #: Where the criterion goes beyond the report: the tool's own reading, shown beside it so
    #: that nobody takes it for a finding of the report.
    interpretation: Text | None = None


@attrs.frozen
class LearningPoint:
    id: str
    title: Text
    text: Text
    quote: str
    criteria: tuple[str, ...]
    #: Where the learning point's text or links go beyond the report (see `Criterion`).
    interpretation: Text | None = None


@attrs.frozen
class Catalogue:
    themes: tuple[Theme, ...]
    criteria: tuple[Criterion, ...]
    learning_points: tuple[LearningPoint, ...]
    #: Generic meaning of P, S, M, U and N/O (YAML key `levels`).
    level_descriptions: Mapping[str, Text] = attrs.field(converter=_frozen_mapping)
    #: Short labels of P, S, M, U and N/O, e.g. "Utført med noen utfordringer".
    level_labels: Mapping[str, Text] = attrs.field(converter=_frozen_mapping, factory=dict)
    #: Raised whenever a criterion's meaning changes; stored with each session's ratings so that
    #: `rescore` can say which catalogue rated what. A file without `version` is version 1.
    version: int = 1

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def ids(self) -> frozenset[str]:
        return frozenset(criterion.id for criterion in self.criteria)

    def task_counts(self) -> dict[str, int]:
        """How many critical tasks (the evaluator's checklist) each criterion has; task n of
        criterion C is `C.n`, numbered from 1 in catalogue order."""
        return {criterion.id: len(criterion.critical_tasks) for criterion in self.criteria}

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def by_theme(self, theme_id: str) -> tuple[Criterion, ...]:
        """The criteria of one theme, in catalogue order; KeyError if the theme is unknown."""
        self.theme(theme_id)
        return tuple(criterion for criterion in self.criteria if criterion.theme == theme_id)

    def learning_point(self, learning_point_id: str) -> LearningPoint:
        for point in self.learning_points:
            if point.id == learning_point_id:
                return point
        raise KeyError(learning_point_id)

    def learning_points_for(self, criterion_id: str) -> tuple[LearningPoint, ...]:
        """The learning points that draw on a criterion."""
        return tuple(point for point in self.learning_points if criterion_id in point.criteria)


class CatalogueError(ValueError):
    """The catalogue data is inconsistent (duplicate ids, unknown references, missing levels)."""


def _structure_text(value: object, _type: object) -> Text:
    if isinstance(value, str):
        return Text.of(value)
    if isinstance(value, Mapping):
        texts: dict[str, str] = {}
        for language, text in value.items():
            if not isinstance(language, str) or not isinstance(text, str):
                raise TypeError(f"text entries must map language codes to strings, got {value!r}")
            texts[language] = text
        return Text(texts)
    raise TypeError(f"expected a string or a map of language codes to strings, got {value!r}")


@functools.cache
def _converter() -> cattrs.Converter:
    """The catalogue's converter (cattrs and its generated code only once a catalogue is parsed)."""
    import cattrs
    from cattrs.gen import make_dict_structure_fn, override

    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(Text, _structure_text)
    converter.register_structure_hook(
        Catalogue,
        make_dict_structure_fn(
            Catalogue,
            converter,
            _cattrs_forbid_extra_keys=True,
            level_descriptions=override(rename="levels"),
        ),
    )
    return converter


def _validate(catalogue: Catalogue) -> None:
    problems: list[str] = []

    def duplicates(ids: list[str]) -> set[str]:
        return {i for i in ids if ids.count(i) > 1}

    theme_ids = [theme.id for theme in catalogue.themes]
    criterion_ids = [criterion.id for criterion in catalogue.criteria]
    point_ids = [point.id for point in catalogue.learning_points]
    for kind, ids in (("theme", theme_ids), ("criterion", criterion_ids), ("learning point", point_ids)):
        for dup in sorted(duplicates(ids)):
            problems.append(f"duplicate {kind} id {dup}")
    for criterion in catalogue.criteria:
        if criterion.theme not in theme_ids:
            problems.append(f"{criterion.id}: unknown theme {criterion.theme}")
    for point in catalogue.learning_points:
        for ref in point.criteria:
            if ref not in criterion_ids:
                problems.append(f"{point.id}: unknown criterion {ref}")
    for name, mapping in (("levels", catalogue.level_descriptions), ("level_labels", catalogue.level_labels)):
        if mapping and set(mapping) != set(LEVEL_CODES):
            problems.append(f"{name} must have exactly {', '.join(LEVEL_CODES)}; got {', '.join(mapping)}")
    if not catalogue.level_descriptions:
        problems.append("levels is missing")
    if problems:
        raise CatalogueError("invalid criteria catalogue: " + "; ".join(problems))


def parse_catalogue(source: str) -> Catalogue:
    """Structure and check a catalogue from YAML text."""
    import yaml

    raw = yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(raw, Mapping):
        raise CatalogueError("the criteria catalogue must be a YAML mapping")
    catalogue = _converter().structure(raw, Catalogue)
    _validate(catalogue)
    return catalogue


@functools.lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The packaged criteria catalogue (parsed once, then cached).

    Also kept in the load cache (`krise_ovelse.cache`), keyed by the file's bytes and the code,
    so that a start of the console need not parse it (nor import the YAML parser and cattrs).
    """
    from krise_ovelse import cache

    source = CATALOGUE_PATH.read_bytes()
    cached = cache.get(CATALOGUE_KIND, source, lambda value: isinstance(value, Catalogue))
    if cached is not None:
        catalogue: Catalogue = cached
        return catalogue
    catalogue = parse_catalogue(source.decode("utf-8"))
    cache.put(CATALOGUE_KIND, source, catalogue)
    return catalogue


def known_criteria(scenario: Scenario) -> frozenset[str]:
    """The criterion ids a scenario's observations, ratings and rules may name: the catalogue's and
    the scenario's own (the one union the loader's checks, the engine's sessions and scripted runs use)."""
    return load_catalogue().ids() | {c.id for c in scenario.scoring.own_criteria}


@functools.lru_cache(maxsize=1)
def report_text() -> str:
    """The packaged text of the report the catalogue is derived from (Norwegian)."""
    from importlib.resources import files

    return files(DATA_PACKAGE).joinpath(REPORT_FILE).read_text(encoding="utf-8")


def normalise_whitespace(text: str) -> str:
    """Collapse every run of whitespace to a single space."""
    return _WHITESPACE.sub(" ", text)


def quote_in_report(quote: str, report: str | None = None) -> bool:
    """True if `quote` occurs in the report, comparing after whitespace normalisation.

    An empty or blank quote is never "found".
    """
    needle = normalise_whitespace(quote)
    if not needle.strip():
        return False
    haystack = normalise_whitespace(report_text() if report is None else report)
    return needle in haystack
