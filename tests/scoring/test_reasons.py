"""The reasons evidence gives, word for word in both languages: a checklist, a rating of the
team's reasoning, an observation, a choice (long titles and options cut at a word), and
`shorten` itself. Issue #12, item 6: mutation testing showed these texts untested, and found
two faults, fixed here: a checklist item was traced to its highest-numbered task rather than
its latest mark, and a reasoning rating without a name showed empty brackets."""

from __future__ import annotations

import pytest

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.model.scenario import Level, Scenario
from krise_ovelse.scoring.evidence import (
    observation_evidence,
    option_evidence,
    reasoning_evidence,
    shorten,
    task_evidence,
)
from krise_ovelse.scoring.inputs import Choice, DecisionRecord, Observation, ReasoningRating, ScoringInput, TaskMark

from .test_ratings import SCENARIO

P, S, M, U = Level.P, Level.S, Level.M, Level.U


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    untitled = SCENARIO.replace(
        '    title: "Overtid"\n    prompt: "Hva gjør dere med overtiden?"',
        '    prompt: "Hva gjør dere med overtiden som har bygget seg opp i kundesenteret siden mars?"').replace(
        '{id: b, text: "Holde ut"',
        '{id: b, text: "Holde ut, for dette går nok over av seg selv når smittetallene faller igjen om noen uker"')
    assert untitled != SCENARIO
    loaded = load_scenario_text(untitled, "ratingprove.yaml")
    assert loaded.scenario is not None, loaded.problems
    return loaded.scenario


def test_a_checklist_lists_each_tasks_last_mark() -> None:
    record = ScoringInput(task_marks=(
        TaskMark("KH-2", 2, "partly", "Eva", "halvveis", seq=9, minutes=600.0),
        TaskMark("KH-2", 1, "observed", "Eva", seq=5, minutes=500.0),
        TaskMark("KH-2", 2, "not_observed", "Eva", seq=3, minutes=400.0),  # replaced by seq 9
        TaskMark("KH-2", 3, "not_applicable", "evaluator", seq=4, minutes=450.0),
        TaskMark("KH-2", 4, "not_observed", "Eva", "lang merknad om " * 5, seq=None, minutes=100.0)))
    eva, role = task_evidence(record)
    assert (eva.criterion, eva.level, eva.author) == ("KH-2", M, "Eva")  # 1 + ½ + 0 of 3
    assert eva.reason.values == {
        "nb": "Sjekkliste (Eva): KH-2.1 observert; KH-2.2 delvis (halvveis); KH-2.4 ikke observert "
              "(lang merknad om lang merknad om lang merknad om lang…)",
        "en": "Checklist (Eva): KH-2.1 observed; KH-2.2 partly (halvveis); KH-2.4 not observed "
              "(lang merknad om lang merknad om lang merknad om lang…)"}
    assert (eva.seq, eva.minutes) == (9, 600.0)  # traced to the latest mark
    assert role.level is None  # nothing applicable: nothing to judge by
    assert role.reason.values == {"nb": "Sjekkliste (evaluator): KH-2.3 ikke aktuelt",
                                  "en": "Checklist (evaluator): KH-2.3 not applicable"}
    assert (role.seq, role.minutes, role.author) == (4, 450.0, "evaluator")


def test_a_reasoning_rating_names_the_decision_and_who(scenario: Scenario) -> None:
    record = ScoringInput(reasoning=(
        ReasoningRating("d01", "M", "Eva", "tynt", seq=7, minutes=700.0),
        ReasoningRating("d01", "S", "Eva", "bedre", seq=8, minutes=710.0),  # Eva's last word on d01
        ReasoningRating("d02", "P", "", "", ("KH-9",), seq=None, minutes=720.0),
        ReasoningRating("d77", "U", "Ola", "", ("KH-1",), seq=6, minutes=730.0),
        ReasoningRating("d88", "U", "Ola", "", (), seq=10, minutes=740.0)))  # unknown, names nothing
    items = [(e.criterion, e.level, e.reason.values["nb"], e.reason.values["en"], e.seq, e.minutes, e.decision,
              e.author) for e in reasoning_evidence(scenario, record)]
    assert items == [
        ("KH-9", P, "Begrunnelsen for d02 «Kundesenteret»", "The reasoning at d02 “Kundesenteret”", None, 720.0,
         "d02", None),
        ("KH-1", U, "Begrunnelsen for d77 (Ola)", "The reasoning at d77 (Ola)", 6, 730.0, "d77", "Ola"),
        ("KH-2", S, "Begrunnelsen for d01 «Første beskjed» (Eva): bedre",
         "The reasoning at d01 “Første beskjed” (Eva): bedre", 8, 710.0, "d01", "Eva"),
        ("DA-4", S, "Begrunnelsen for d01 «Første beskjed» (Eva): bedre",
         "The reasoning at d01 “Første beskjed” (Eva): bedre", 8, 710.0, "d01", "Eva")]


def test_an_observation_quotes_what_was_seen_and_why() -> None:
    record = ScoringInput(observations=(
        Observation("Godt " * 40, ("KH-2", "KH-2", "KH-4"), "S", "Eva", seq=1, minutes=10.0, why="fordi " * 30),
        Observation("Kontekst", ("KH-5",), None, "facilitator", seq=2, why="bare kontekst: ikke vist"),
        Observation("Anonym", ("KH-5",), "M", "  ")))
    items = observation_evidence(record)
    assert [e.criterion for e in items] == ["KH-2", "KH-4", "KH-5", "KH-5"]  # a criterion named twice counts once
    godt = "Godt " * 26 + "Godt…"
    fordi = "fordi " * 15 + "fordi…"
    assert items[0].reason.values == {"nb": f"Observasjon (Eva): «{godt} – {fordi}»",
                                      "en": f"Observation (Eva): “{godt} – {fordi}”"}
    assert items[2].reason.values == {"nb": "Observasjon (øvingsleder): «Kontekst»",
                                      "en": "Observation (facilitator): “Kontekst”"}
    assert items[3].reason.values == {"nb": "Observasjon: «Anonym»", "en": "Observation: “Anonym”"}


def test_a_choice_without_a_title_is_named_by_its_prompt(scenario: Scenario) -> None:
    record = ScoringInput(decisions=(DecisionRecord("d03", choices=(Choice("b", 9, 800.0, missed=True),)),))
    reasons = {e.reason.values["en"] for e in option_evidence(scenario, record)}
    assert reasons == {"d03 “Hva gjør dere med overtiden som har bygget seg…”: the deadline passed, the default b – "
                       "“Holde ut, for dette går nok over av seg selv når smittetallene…” was applied"}


def test_a_revised_choice_says_so(scenario: Scenario) -> None:
    record = ScoringInput(decisions=(DecisionRecord("d01", choices=(Choice("a", 3, 500.0), Choice("b", 4, 600.0))),))
    items = [(e.criterion, e.reason.values["nb"], e.reason.values["en"]) for e in option_evidence(scenario, record)]
    assert items == [
        ("KH-2", "d01 «Første beskjed»: valgte a – «Daglig status og spørrekanal» (endret senere)",
         "d01 “Første beskjed”: chose a – “Daglig status og spørrekanal” (revised later)"),
        ("DA-4", "d01 «Første beskjed»: valgte a – «Daglig status og spørrekanal» (endret senere)",
         "d01 “Første beskjed”: chose a – “Daglig status og spørrekanal” (revised later)"),
        ("KH-2", "d01 «Første beskjed»: endret til b – «Vente til vi vet mer»",
         "d01 “Første beskjed”: revised to b – “Vente til vi vet mer”")]


@pytest.mark.parametrize(("text", "limit", "shown"), [
    ("x" * 90, 90, "x" * 90),  # at the limit: whole
    ("x" * 91, 90, "x" * 89 + "…"),  # one word, cut inside it
    ("aaaa bbbb cccc", 11, "aaaa bbbb…"),
    ("aaaa bbbb cccc", 10, "aaaa…"),
    ("aaaa, bbbb cccc", 10, "aaaa…"),  # no comma before the ellipsis
    ("-aaaa bbbb cccc", 10, "-aaaa…"),
    ("  a \n\t b  ", 90, "a b"),  # one line
])
def test_shorten(text: str, limit: int, shown: str) -> None:
    assert shorten(text, limit) == shown


def test_shorten_keeps_ninety_characters_by_default() -> None:
    assert shorten("x" * 90) == "x" * 90
    assert shorten("x" * 91) == "x" * 89 + "…"
