"""The criteria catalogue: structure, bilingual completeness, and quotes traced to the report."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.resources import files
from typing import Any

import cattrs
import pytest
import yaml

from krise_ovelse.catalogue import (
    LEVEL_CODES,
    RATING_LEVELS,
    Catalogue,
    CatalogueError,
    Criterion,
    load_catalogue,
    normalise_whitespace,
    parse_catalogue,
    quote_in_report,
    report_text,
)
from krise_ovelse.model.text import Text

THEME_IDS = ("KH", "OE", "DA", "AM")
EXPECTED_IDS = frozenset(
    [f"KH-{n}" for n in range(1, 7)]
    + [f"OE-{n}" for n in range(1, 6)]
    + [f"DA-{n}" for n in range(1, 6)]
    + [f"AM-{n}" for n in range(1, 7)]
)
LANGUAGES = ("nb", "en")

# Criteria that no learning point draws on, each with the reason. Keep it empty if possible: every
# criterion should lead back to one of the report's seven learning points.
NOT_IN_ANY_LEARNING_POINT: dict[str, str] = {}

CATALOGUE = load_catalogue()
CRITERION_IDS = sorted(CATALOGUE.ids())
LEARNING_POINT_IDS = [point.id for point in CATALOGUE.learning_points]


def _raw_catalogue() -> dict[str, Any]:
    source = files("krise_ovelse.data").joinpath("criteria.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(source)
    assert isinstance(raw, dict)
    return raw


def _assert_bilingual(text: Text, what: str) -> None:
    for language in LANGUAGES:
        assert text.has(language), f"{what}: no {language} text"


# --- the catalogue as a whole -------------------------------------------------------------------


def test_catalogue_loads_and_is_cached() -> None:
    assert isinstance(CATALOGUE, Catalogue)
    assert load_catalogue() is CATALOGUE


def test_four_themes() -> None:
    assert tuple(theme.id for theme in CATALOGUE.themes) == THEME_IDS
    assert CATALOGUE.theme("KH").name.get("nb") == "Krisehåndtering"
    assert CATALOGUE.theme("AM").name.get("en") == "Working environment and HSE"
    for theme in CATALOGUE.themes:
        _assert_bilingual(theme.name, theme.id)
        _assert_bilingual(theme.description, theme.id)


def test_twenty_two_criteria_with_unique_ids_and_valid_themes() -> None:
    ids = [criterion.id for criterion in CATALOGUE.criteria]
    assert len(ids) == 22
    assert len(set(ids)) == len(ids)
    assert CATALOGUE.ids() == EXPECTED_IDS
    for criterion in CATALOGUE.criteria:
        assert criterion.theme in THEME_IDS
        assert criterion.id.startswith(criterion.theme + "-")


def test_lookup_by_id_and_theme() -> None:
    assert CATALOGUE.criterion("OE-2").theme == "OE"
    with pytest.raises(KeyError):
        CATALOGUE.criterion("XX-9")
    assert [c.id for c in CATALOGUE.by_theme("AM")] == [f"AM-{n}" for n in range(1, 7)]
    assert sum(len(CATALOGUE.by_theme(theme_id)) for theme_id in THEME_IDS) == 22
    with pytest.raises(KeyError):
        CATALOGUE.by_theme("XX")


def test_generic_level_descriptions() -> None:
    assert RATING_LEVELS == ("P", "S", "M", "U")
    assert set(CATALOGUE.level_descriptions) == set(LEVEL_CODES) == {"P", "S", "M", "U", "N/O"}
    assert set(CATALOGUE.level_labels) == set(LEVEL_CODES)
    for code in LEVEL_CODES:
        _assert_bilingual(CATALOGUE.level_descriptions[code], f"levels.{code}")
        _assert_bilingual(CATALOGUE.level_labels[code], f"level_labels.{code}")


def test_norwegian_texts_use_norwegian_letters() -> None:
    """Guards against bokmål that lost its æ, ø and å somewhere on the way."""
    nb = " ".join(
        text.get("nb")
        for criterion in CATALOGUE.criteria
        for text in (criterion.name, criterion.description, *criterion.critical_tasks)
    )
    for letter in "æøå":
        assert letter in nb


# --- each criterion -----------------------------------------------------------------------------


@pytest.fixture(params=CRITERION_IDS)
def criterion(request: pytest.FixtureRequest) -> Criterion:
    return CATALOGUE.criterion(request.param)


def test_criterion_has_bilingual_name_and_description(criterion: Criterion) -> None:
    _assert_bilingual(criterion.name, f"{criterion.id} name")
    _assert_bilingual(criterion.description, f"{criterion.id} description")
    assert criterion.name.get("nb") != criterion.name.get("en")
    assert criterion.description.get("nb") != criterion.description.get("en")


def test_criterion_has_all_levels_in_both_languages(criterion: Criterion) -> None:
    texts = [criterion.levels.get(level) for level in RATING_LEVELS]
    for level, text in zip(RATING_LEVELS, texts, strict=True):
        _assert_bilingual(text, f"{criterion.id} level {level}")
    for language in LANGUAGES:
        descriptors = [text.get(language) for text in texts]
        assert len(set(descriptors)) == 4, f"{criterion.id}: two levels share a {language} text"


def test_criterion_has_critical_tasks(criterion: Criterion) -> None:
    assert 2 <= len(criterion.critical_tasks) <= 4
    for number, task in enumerate(criterion.critical_tasks, start=1):
        _assert_bilingual(task, f"{criterion.id} critical task {number}")


def test_criterion_quotes_are_in_the_report(criterion: Criterion) -> None:
    assert 1 <= len(criterion.quotes) <= 3
    for quote in criterion.quotes:
        assert quote_in_report(quote), f"{criterion.id}: quote not found in the report: {quote!r}"


def test_criterion_is_drawn_on_by_a_learning_point(criterion: Criterion) -> None:
    points = CATALOGUE.learning_points_for(criterion.id)
    if criterion.id in NOT_IN_ANY_LEARNING_POINT:
        assert not points, f"{criterion.id} is allowlisted but LP {points[0].id} draws on it"
    else:
        assert points, f"{criterion.id}: no learning point draws on it (allowlist it with a reason)"


def test_allowlist_names_real_criteria_with_reasons() -> None:
    for criterion_id, reason in NOT_IN_ANY_LEARNING_POINT.items():
        assert criterion_id in CATALOGUE.ids()
        assert reason.strip()


# --- learning points ----------------------------------------------------------------------------


def test_seven_learning_points() -> None:
    ids = [point.id for point in CATALOGUE.learning_points]
    assert ids == [f"LP-{n}" for n in range(1, 8)]


@pytest.mark.parametrize("point_id", LEARNING_POINT_IDS)
def test_learning_point(point_id: str) -> None:
    point = CATALOGUE.learning_point(point_id)
    _assert_bilingual(point.title, f"{point_id} title")
    _assert_bilingual(point.text, f"{point_id} text")
    assert quote_in_report(point.quote), f"{point_id}: quote not found in the report: {point.quote!r}"
    assert point.criteria, f"{point_id} draws on no criteria"
    assert len(set(point.criteria)) == len(point.criteria)
    unknown = set(point.criteria) - CATALOGUE.ids()
    assert not unknown, f"{point_id} refers to unknown criteria {sorted(unknown)}"


# --- the report and the quote check -------------------------------------------------------------


def test_packaged_report_is_present() -> None:
    report = report_text()
    assert report.strip()
    assert "læringspunkter" in report
    assert "SENTRALE LÆRINGSPUNKTER" in report


def test_quote_check_normalises_whitespace() -> None:
    sentence = "Eksisterende beredskapsplaner var lite egnet til denne spesifikke krisen."
    assert sentence not in report_text()  # the report breaks the line inside the sentence
    assert quote_in_report(sentence)
    assert quote_in_report("Eksisterende   beredskapsplaner\nvar lite\tegnet")
    assert normalise_whitespace("a \n\n b\t c") == "a b c"


def test_quote_check_can_fail() -> None:
    assert not quote_in_report("Alle virksomhetene hadde beredskapsplaner som passet perfekt til krisen.")
    # One letter changed in a real sentence.
    assert not quote_in_report("Eksisterende beredskapsplaner var lite egnet til denne spesifike krisen.")
    assert not quote_in_report("")
    assert not quote_in_report("   \n")
    assert quote_in_report("Rask beslutning", report="Rask\n beslutning er bra")
    assert not quote_in_report("Rask beslutning", report="Treg beslutning")


# --- loading rules ------------------------------------------------------------------------------


def test_unknown_keys_are_rejected() -> None:
    raw = _raw_catalogue()
    raw["criteria"][0]["extra"] = "not in the schema"
    with pytest.raises((cattrs.ClassValidationError, cattrs.ForbiddenExtraKeysError)):
        parse_catalogue(yaml.safe_dump(raw, allow_unicode=True))


def test_texts_may_be_plain_strings() -> None:
    raw = _raw_catalogue()
    raw["criteria"][0]["name"] = "Bare bokmål"
    catalogue = parse_catalogue(yaml.safe_dump(raw, allow_unicode=True))
    name = catalogue.criteria[0].name
    assert name == Text({"nb": "Bare bokmål"})
    assert name.get("en") == "Bare bokmål"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda raw: raw["criteria"][1].update(id=raw["criteria"][0]["id"]), "duplicate criterion id"),
        (lambda raw: raw["criteria"][0].update(theme="XX"), "unknown theme"),
        (lambda raw: raw["learning_points"][0]["criteria"].append("XX-1"), "unknown criterion"),
        (lambda raw: raw["levels"].pop("N/O"), "levels must have"),
    ],
    ids=["duplicate-id", "unknown-theme", "unknown-criterion", "missing-level"],
)
def test_inconsistent_catalogue_is_rejected(mutate: Any, message: str) -> None:
    raw = _raw_catalogue()
    mutate(raw)
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(yaml.safe_dump(raw, allow_unicode=True))


def test_catalogue_does_not_import_textual() -> None:
    code = (
        "import sys, krise_ovelse.catalogue as c\n"
        "c.load_catalogue()\n"
        "print('textual' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
