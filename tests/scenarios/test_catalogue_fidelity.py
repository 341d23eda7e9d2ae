"""The catalogue stays true to the report: hedges kept, the tool's own readings marked, wording
that fits every shipped scenario, descriptors an evaluator can observe, and a version.

tests/scoring/test_catalogue.py checks the structure and that every quote is in the report; this
file checks what the criteria say about the report.
"""

from __future__ import annotations

import re

import pytest

from krise_ovelse.catalogue import RATING_LEVELS, load_catalogue, quote_in_report

CATALOGUE = load_catalogue()
HEDGE = "ser ut til å ha lykkes"
#: Words that tie a criterion to one kind of crisis. The catalogue's critical tasks and level
#: descriptors are shared by the pandemic, cyber and energy scenarios.
PANDEMIC_WORDS = re.compile(r"smitte|pandemi|vaksin|korona|covid", re.IGNORECASE)
#: Simulated outcomes nobody at a table can see; descriptors say what the team does instead.
UNOBSERVABLE = ("motivasjonen holder seg", "tilliten holder seg", "fellesskapet holder seg",
                "risikoen for langtidsfravær holdes lav", "informasjonsusikkerheten faller")


def test_the_catalogue_has_a_version_above_the_first() -> None:
    assert CATALOGUE.version >= 2


def test_the_hedge_of_the_report_is_kept() -> None:
    assert quote_in_report(f"Virksomhetene som klarte å kommunisere sitt samfunnsoppdrag tydelig {HEDGE}")
    assert HEDGE in CATALOGUE.criterion("OE-2").description.get("nb")
    assert HEDGE in CATALOGUE.learning_point("LP-7").text.get("nb")
    for text in (CATALOGUE.criterion("OE-2").description, CATALOGUE.learning_point("LP-7").text):
        assert "lyktes i å mobilisere" not in text.get("nb") and "klarte å mobilisere" not in text.get("nb")


def test_lp2_says_only_what_the_report_says_and_marks_its_links() -> None:
    point = CATALOGUE.learning_point("LP-2")
    assert "sier ikke hvilke" in point.text.get("nb")
    assert point.interpretation is not None and point.interpretation.get("en")


def test_am3_marks_its_reading_of_the_positive_finding() -> None:
    criterion = CATALOGUE.criterion("AM-3")
    assert "positiv utvikling" in criterion.description.get("nb")
    assert criterion.interpretation is not None
    assert "verktøyets tolkning" in criterion.interpretation.get("nb")


def test_kh4_is_open_to_different_ways_of_cooperating() -> None:
    criterion = CATALOGUE.criterion("KH-4")
    assert "på ulike måter" in criterion.description.get("nb")
    assert "ikke nivået" in criterion.levels.get("P").get("nb")


def test_a_criterion_carries_the_learning_into_a_new_normal() -> None:
    criterion = CATALOGUE.criterion("KH-6")
    assert any("videreføre til en ny normalsituasjon" in quote for quote in criterion.quotes)
    assert all(quote_in_report(quote) for quote in criterion.quotes)
    assert CATALOGUE.learning_points_for("KH-6")


@pytest.mark.parametrize("criterion_id", sorted(CATALOGUE.ids()))
def test_shared_wording_is_scenario_neutral(criterion_id: str) -> None:
    criterion = CATALOGUE.criterion(criterion_id)
    texts = [task.get("nb") for task in criterion.critical_tasks]
    texts += [criterion.levels.get(level).get("nb") for level in RATING_LEVELS]
    assert not [t for t in texts if PANDEMIC_WORDS.search(t)]


@pytest.mark.parametrize("criterion_id", sorted(CATALOGUE.ids()))
def test_descriptors_are_observable(criterion_id: str) -> None:
    criterion = CATALOGUE.criterion(criterion_id)
    for level in RATING_LEVELS:
        for language in ("nb", "en"):
            text = criterion.levels.get(level).get(language).lower()
            assert not [phrase for phrase in UNOBSERVABLE if phrase in text], (criterion_id, level)
    assert "laget" not in criterion.description.get("nb").split()


def test_interpretations_are_bilingual() -> None:
    marked = [c.interpretation for c in CATALOGUE.criteria if c.interpretation is not None]
    marked += [p.interpretation for p in CATALOGUE.learning_points if p.interpretation is not None]
    assert len(marked) >= 8
    for text in marked:
        assert text.get("nb") != text.get("en")


def test_shipped_scenarios_cite_no_paths_outside_the_project() -> None:
    from krise_ovelse.paths import shipped_scenarios_dir

    outside = re.compile(r"(?<![\w.])/(?:work|home|tmp|Users|mnt|opt|srv)/")
    for path in sorted(shipped_scenarios_dir().rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert not outside.search(line), f"{path.name}:{number}: {line.strip()}"
