"""Shallow strategies: teams that choose by the look of an option, not by thinking.

Each strategy picks one option per decision from what any reader sees without understanding
the situation: its position, its length, how many good-practice words it has, the default the
author set. A scenario whose ratings such a team can match rewards form over judgement, which
is what `krise-ovelse balance` measures (docs/scoring.md, "Balance analysis").
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping

from krise_ovelse.model.scenario import Decision, Option, Scenario

#: Word stems a team that "says the right things" would look for (Norwegian and English),
#: taken from the report's vocabulary of good practice: involvement, openness, planning,
#: care for staff, learning. Matched as the start of a word, case-insensitively.
GOOD_PRACTICE_STEMS: tuple[str, ...] = (
    # Norwegian
    "tillitsvalg", "verneomb", "drøft", "involver", "medvirk", "samarbeid", "dialog", "forankr",
    "åpen", "ærlig", "tydelig", "informer", "kommunik", "jevnlig", "daglig", "plan", "vurder",
    "risikovurder", "kartlegg", "evaluer", "lær", "rotasjon", "stedfortred", "avlast", "ivareta",
    "arbeidsmiljø", "helse", "omsorg", "trygg", "fleksib", "prioriter", "delegér", "deleger",
    "mandat", "beredskap", "samfunnsoppdrag", "tjeneste", "brukere", "likebehandl", "rettferdig",
    "forutsigbar", "oppfølg", "hjemmekontor", "digital", "kompetanse", "tiltak", "helhet",
    # English
    "union", "safety rep", "consult", "involv", "cooperat", "dialog", "open", "honest", "clear",
    "inform", "communicat", "regular", "daily", "plan", "assess", "risk", "evaluat", "learn",
    "rotat", "deput", "relief", "wellbeing", "well-being", "health", "care", "safe", "flexib",
    "priorit", "delegat", "mandate", "preparedness", "mission", "service", "users", "fair",
    "predictab", "follow-up", "follow up", "remote", "competence", "measure",
)

_WORD = re.compile(r"\w[\w-]*", re.UNICODE)


def good_practice_words(text: str) -> int:
    """How many words of `text` start with a good-practice stem."""
    words = [w.casefold() for w in _WORD.findall(text)]
    return sum(1 for word in words if word.startswith(GOOD_PRACTICE_STEMS))


def option_text(option: Option, language: str) -> str:
    return option.text.get(language)


#: A strategy: (scenario, decision) → the option to choose, or None to let the deadline pass.
Pick = Callable[[Scenario, Decision], "str | None"]


def _longest(scenario: Scenario, decision: Decision) -> str:
    lang = scenario.language
    return max(decision.options, key=lambda o: len(option_text(o, lang))).id  # ties: the first


def _shortest(scenario: Scenario, decision: Decision) -> str:
    lang = scenario.language
    return min(decision.options, key=lambda o: len(option_text(o, lang))).id


def _first(scenario: Scenario, decision: Decision) -> str:
    return decision.options[0].id


def _last(scenario: Scenario, decision: Decision) -> str:
    return decision.options[-1].id


def _good_words(scenario: Scenario, decision: Decision) -> str:
    lang = scenario.language
    return max(decision.options, key=lambda o: good_practice_words(option_text(o, lang))).id


def _default(scenario: Scenario, decision: Decision) -> str:
    return decision.default


def _nothing(scenario: Scenario, decision: Decision) -> None:
    return None


#: The shallow strategies by name, in the order reports list them. `defaults` chooses the
#: author's default in time; `nothing` decides nothing and lets every deadline pass.
STRATEGIES: Mapping[str, Pick] = {
    "longest": _longest,
    "shortest": _shortest,
    "first": _first,
    "last": _last,
    "good-words": _good_words,
    "defaults": _default,
    "nothing": _nothing,
}

#: What each strategy does, for people (nb, en).
DESCRIPTIONS: Mapping[str, tuple[str, str]] = {
    "longest": ("velger alltid alternativet med lengst tekst", "always picks the option with the longest text"),
    "shortest": ("velger alltid alternativet med kortest tekst", "always picks the option with the shortest text"),
    "first": ("velger alltid det første alternativet", "always picks the first option"),
    "last": ("velger alltid det siste alternativet", "always picks the last option"),
    "good-words": ("velger alternativet med flest «gode» ord (tillitsvalgte, dialog, plan …)",
                   "picks the option with the most good-practice words (union, dialogue, plan …)"),
    "defaults": ("velger alltid standardvalget, i tide", "always picks the default option, in time"),
    "nothing": ("beslutter ingenting og lar alle frister gå ut", "decides nothing and lets every deadline pass"),
    "random": ("velger tilfeldig", "picks at random"),
}


def choices_for(scenario: Scenario, pick: Pick) -> dict[str, str]:
    """The option a strategy takes at every decision (decisions it lets pass are left out)."""
    found = {}
    for decision in scenario.decisions:
        option = pick(scenario, decision)
        if option is not None:
            found[decision.id] = option
    return found


def random_choices(scenario: Scenario, team: int, seed: int = 0) -> dict[str, str]:
    """Random team number `team`: one option per decision, the same for the same (team, seed)."""
    rng = random.Random(f"{seed}:{team}")  # a string seed hashes the same in every process
    return {decision.id: rng.choice(decision.options).id for decision in scenario.decisions}
