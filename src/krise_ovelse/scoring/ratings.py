"""Ratings per criterion, roll-ups per theme and learning point, the index, and the findings.

`score(scenario, record)` is the whole of it: collect the evidence, aggregate per criterion,
apply the evaluators' overrides, roll up, derive strengths and areas for improvement. It is a
pure function of the scenario, the record and the catalogue. The rules are in docs/scoring.md:

- rating: the median of the counted evidence levels, ties toward the worse level; any U caps
  the rating at M; no counted evidence: N/O;
- override: an evaluator's `rate_criterion` sets the final rating (the last one per criterion
  wins); the suggestion is kept beside it;
- roll-ups: the mean of P=4, S=3, M=2, U=1 over the rated criteria (N/O left out), shown as a
  number and as the nearest level (ties toward the worse);
- index: the mean of (value − 1) / 3 × 100 over the rated criteria, for comparing runs of the
  same scenario only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import Enum

import attrs

from krise_ovelse.catalogue import Catalogue, LevelTexts, load_catalogue
from krise_ovelse.messages import text
from krise_ovelse.model.scenario import Level, Scenario
from krise_ovelse.model.text import Text
from krise_ovelse.scoring.evidence import ROLE_WORDS, Evidence, collect_evidence, who
from krise_ovelse.scoring.inputs import Override, ScoringInput
from krise_ovelse.scoring.levels import (
    VALUES,
    index_of,
    is_rated,
    level_from_mean,
    mean_value,
    median_level,
)

STRENGTH_LEVELS = (Level.P, Level.S)
IMPROVEMENT_LEVELS = (Level.M, Level.U)

#: Reasons that only say "confirmed" (the console's default reason for `c`, in nb and en): a
#: confirmation with one of these needs no reason shown after it.
CONFIRM_REASONS = frozenset({"bekreftet av evaluator", "confirmed by the evaluator", "bekreftet", "confirmed"})


def _is_role_word(by: str) -> bool:
    return by.strip().casefold() in ROLE_WORDS


def says_only_confirmed(reason: str) -> bool:
    """Whether a reason adds nothing to "confirmed" (it is empty or a stock confirmation)."""
    return reason.strip().rstrip(".").casefold() in CONFIRM_REASONS | {""}


# --- criteria: catalogue plus the scenario's own ---------------------------------------------


@attrs.frozen
class CriterionInfo:
    """What the report needs to know about a criterion, wherever it is defined."""

    id: str
    theme: str
    name: Text
    description: Text = Text()
    levels: LevelTexts | None = None

    def level_text(self, level: Level) -> Text:
        if self.levels is None or not is_rated(level):
            return Text()
        return self.levels.get(level.value)


def criterion_info(criterion_id: str, scenario: Scenario | None = None,
                   catalogue: Catalogue | None = None) -> CriterionInfo:
    """The catalogue's criterion, else the scenario's own, else a bare id (theme "")."""
    catalogue = catalogue or load_catalogue()
    c = next((c for c in catalogue.criteria if c.id == criterion_id), None)
    if c is not None:
        return CriterionInfo(c.id, c.theme, c.name, c.description, c.levels)
    if scenario is not None:
        for own in scenario.scoring.own_criteria:
            if own.id == criterion_id:
                return CriterionInfo(own.id, own.theme, own.name, own.description)
    return CriterionInfo(criterion_id, "", Text.of(criterion_id))


def theme_name(theme_id: str, catalogue: Catalogue | None = None) -> Text:
    catalogue = catalogue or load_catalogue()
    try:
        return catalogue.theme(theme_id).name
    except KeyError:
        return Text.of(theme_id or "–")


# --- ratings ---------------------------------------------------------------------------------


@attrs.frozen
class Rating:
    """The rating of one criterion: suggested from the evidence, final after any override."""

    criterion: str
    theme: str
    name: Text
    in_scenario: bool
    evidence: tuple[Evidence, ...]
    suggested: Level
    median: Level | None
    capped: bool
    override: Override | None = None

    @property
    def final(self) -> Level:
        return self.override.level if self.override is not None else self.suggested

    @property
    def counted(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.counted)

    @property
    def context(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if not e.counted)

    @property
    def overridden(self) -> bool:
        """The evaluator set another level than the suggested one."""
        return self.override is not None and self.override.level is not self.suggested

    @property
    def confirmed(self) -> bool:
        """The evaluator rated the criterion at the suggested level (confirmed the suggestion)."""
        return self.override is not None and self.override.level is self.suggested

    def override_text(self, lang: str = "nb") -> str:
        """The evaluator's part in one phrase, or "" without an override:
        "Overstyrt (Eva) M → S: reason" or "Bekreftet av evaluator (Eva): reason"."""
        override = self.override
        if override is None:
            return ""
        if self.confirmed:
            by = f" ({override.by.strip()})" if override.by.strip() and not _is_role_word(override.by) else ""
            reason = "" if says_only_confirmed(override.reason) else f": {override.reason}"
            return text(lang, "scoring.confirmed") + by + reason
        by = f" ({who(override.by, lang)})" if override.by.strip() else ""
        reason = f": {override.reason}" if override.reason else ""
        word = text(lang, "scoring.overridden")
        return f"{word}{by} {self.suggested.value} → {override.level.value}{reason}"

    def explain(self, lang: str = "nb") -> str:
        """One line: how the suggestion was reached, and the override if any."""
        levels = ", ".join(e.level.value for e in sorted(self.counted, key=_best_first) if e.level)
        if self.median is None:
            line = text(lang, "scoring.no_evidence")
        else:
            line = text(lang, "scoring.median", levels=levels, level=self.median.value)
            if self.capped:
                line += text(lang, "scoring.capped")
        if self.confirmed:
            line += ". " + self.override_text(lang)
        elif self.override is not None:
            by = f" ({who(self.override.by, lang)})" if self.override.by.strip() else ""
            reason = f": {self.override.reason}" if self.override.reason else ""
            line += text(lang, "scoring.overridden_to", by=by, level=self.override.level.value, reason=reason)
        return line


def _best_first(evidence: Evidence) -> int:
    return -VALUES[evidence.level] if evidence.level is not None and evidence.level in VALUES else 0


def aggregate(levels: Iterable[Level]) -> tuple[Level, Level | None, bool]:
    """(suggested, median, capped) for a criterion's counted evidence levels.

    The median rounds toward the worse level on ties; any U caps the result at M (a median of
    P or S becomes M, a median of U stays U); with nothing counted the result is N/O.
    """
    rated = [level for level in levels if is_rated(level)]
    median = median_level(rated)
    if median is None:
        return Level.NO, None, False
    if Level.U in rated and VALUES[median] > VALUES[Level.M]:
        return Level.M, median, True
    return median, median, False


def last_overrides(overrides: Iterable[Override]) -> dict[str, Override]:
    """The override in force per criterion: the last one (by seq, then by order)."""
    result: dict[str, Override] = {}
    indexed = list(enumerate(overrides))
    for _, override in sorted(indexed, key=lambda pair: (pair[1].seq if pair[1].seq is not None else -1, pair[0])):
        result[override.criterion] = override
    return result


def rate_criterion(info: CriterionInfo, evidence: Sequence[Evidence], in_scenario: bool,
                   override: Override | None = None) -> Rating:
    """Rate one criterion from its evidence (all items for this criterion)."""
    suggested, median, capped = aggregate(e.level for e in evidence if e.counted and e.level)
    return Rating(criterion=info.id, theme=info.theme, name=info.name, in_scenario=in_scenario,
                  evidence=tuple(evidence), suggested=suggested, median=median, capped=capped,
                  override=override)


# --- roll-ups --------------------------------------------------------------------------------


@attrs.frozen
class RollUp:
    """A theme or learning point summed up over its criteria in play."""

    id: str
    name: Text
    criteria: tuple[str, ...]
    rated: tuple[str, ...]
    mean: float | None
    level: Level

    @property
    def number(self) -> float | None:
        return None if self.mean is None else round(self.mean, 2)


def roll_up(group_id: str, name: Text, ratings: Sequence[Rating]) -> RollUp:
    finals = [r.final for r in ratings]
    mean = mean_value(finals)
    return RollUp(
        id=group_id, name=name, criteria=tuple(r.criterion for r in ratings),
        rated=tuple(r.criterion for r in ratings if is_rated(r.final)), mean=mean,
        level=Level.NO if mean is None else level_from_mean(mean))


# --- findings --------------------------------------------------------------------------------


class FindingKind(str, Enum):
    STRENGTH = "strength"
    IMPROVEMENT = "improvement"


@attrs.frozen
class Finding:
    """A strength (styrke) or an area for improvement (forbedringspunkt).

    `evidence` holds the items that bear it out (P/S items for a strength, M/U items for an
    area for improvement); `descriptor` is the criterion's text for the level reached, `target`
    its text for P (what good looks like), `note` the evaluator's reason if overridden (or if
    confirmed with a reason of its own).
    """

    kind: FindingKind
    criterion: str
    theme: str
    name: Text
    level: Level
    evidence: tuple[Evidence, ...]
    description: Text = Text()
    descriptor: Text = Text()
    target: Text = Text()
    note: str = ""

    def summary(self, lang: str = "nb") -> str:
        """One paragraph: the criterion, the level, and what bears it out."""
        label = load_catalogue().level_labels.get(self.level.value, Text.of(self.level.value)).get(lang)
        head = f"{self.criterion} {self.name.get(lang)}: {self.level.value} ({label.lower()})."
        reasons = [e.reason.get(lang) for e in self.evidence]
        if self.note:
            reasons.append(f"evaluator: {self.note}")
        if reasons:
            word = text(lang, "scoring.evidence")
            head += f" {word}: " + "; ".join(reasons) + "."
        return head


def _finding(rating: Rating, info: CriterionInfo) -> Finding | None:
    final = rating.final
    if final in STRENGTH_LEVELS:
        kind, wanted = FindingKind.STRENGTH, STRENGTH_LEVELS
    elif final in IMPROVEMENT_LEVELS:
        kind, wanted = FindingKind.IMPROVEMENT, IMPROVEMENT_LEVELS
    else:
        return None
    support = tuple(e for e in rating.counted if e.level in wanted)
    note = rating.override.reason if rating.override is not None else ""
    if rating.confirmed and says_only_confirmed(note):
        note = ""  # a plain confirmation: nothing to add to the evidence
    if not support and rating.override is None:
        return None
    return Finding(kind=kind, criterion=rating.criterion, theme=rating.theme, name=rating.name, level=final,
                   evidence=support, description=info.description, descriptor=info.level_text(final),
                   target=info.level_text(Level.P), note=note)


# --- the result ------------------------------------------------------------------------------


@attrs.frozen
class ScoringResult:
    """Everything scoring concludes about one run."""

    scenario_id: str
    scenario_title: Text
    ratings: tuple[Rating, ...]
    themes: tuple[RollUp, ...]
    learning_points: tuple[RollUp, ...]
    index: float | None
    strengths: tuple[Finding, ...]
    improvements: tuple[Finding, ...]

    def rating(self, criterion_id: str) -> Rating:
        for rating in self.ratings:
            if rating.criterion == criterion_id:
                return rating
        raise KeyError(criterion_id)

    def has_rating(self, criterion_id: str) -> bool:
        return any(r.criterion == criterion_id for r in self.ratings)

    def counts(self) -> dict[str, int]:
        """How many criteria got each final level (all five codes present)."""
        counts = {level.value: 0 for level in Level}
        for rating in self.ratings:
            counts[rating.final.value] += 1
        return counts

    def by_theme(self, theme_id: str) -> tuple[Rating, ...]:
        return tuple(r for r in self.ratings if r.theme == theme_id)


def criteria_in_play(scenario: Scenario, evidence: Iterable[Evidence], overrides: Mapping[str, Override],
                     catalogue: Catalogue) -> list[str]:
    """The scenario's criteria plus any with evidence or an override, in catalogue order
    (then the scenario's own criteria in their order, then any others sorted)."""
    wanted = set(scenario.scoring.criteria) | {e.criterion for e in evidence} | set(overrides)
    order = [c.id for c in catalogue.criteria] + [c.id for c in scenario.scoring.own_criteria]
    known = [c for c in order if c in wanted]
    return known + sorted(wanted - set(known))


def score(scenario: Scenario, record: ScoringInput, catalogue: Catalogue | None = None) -> ScoringResult:
    """Rate a run: the evidence, a rating per criterion in play, roll-ups, index and findings."""
    catalogue = catalogue or load_catalogue()
    evidence = collect_evidence(scenario, record)
    overrides = last_overrides(record.overrides)
    ids = criteria_in_play(scenario, evidence, overrides, catalogue)
    listed = set(scenario.scoring.criteria)
    infos = {cid: criterion_info(cid, scenario, catalogue) for cid in ids}
    by_criterion: dict[str, list[Evidence]] = {cid: [] for cid in ids}
    for item in evidence:
        by_criterion[item.criterion].append(item)
    ratings = tuple(rate_criterion(infos[cid], by_criterion[cid], cid in listed, overrides.get(cid)) for cid in ids)

    theme_ids = [t.id for t in catalogue.themes]
    theme_ids += [r.theme for r in ratings if r.theme not in theme_ids]
    themes = tuple(
        roll_up(tid, theme_name(tid, catalogue), [r for r in ratings if r.theme == tid])
        for tid in dict.fromkeys(theme_ids))
    by_id = {r.criterion: r for r in ratings}
    points = tuple(
        roll_up(lp.id, lp.title, [by_id[c] for c in lp.criteria if c in by_id])
        for lp in catalogue.learning_points)

    findings = [f for r in ratings if (f := _finding(r, infos[r.criterion])) is not None]
    strengths = sorted((f for f in findings if f.kind is FindingKind.STRENGTH),
                       key=lambda f: -VALUES[f.level])
    improvements = sorted((f for f in findings if f.kind is FindingKind.IMPROVEMENT),
                          key=lambda f: VALUES[f.level])
    return ScoringResult(
        scenario_id=scenario.id, scenario_title=scenario.title, ratings=ratings, themes=themes,
        learning_points=points, index=index_of(r.final for r in ratings), strengths=tuple(strengths),
        improvements=tuple(improvements))
