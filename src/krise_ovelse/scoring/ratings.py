"""Ratings per criterion, roll-ups per theme and learning point, the index, and the findings.

`score(scenario, record)` is the whole of it: collect the evidence, rate each criterion, apply
the evaluators' ratings and the lead's reconciliations, roll up, derive strengths and areas for
improvement and goal achievement. A pure function of the scenario, the record and the catalogue.
The rule (docs/scoring.md, "From evidence to a rating"):

- indication: the median of the choices' option tags, the indicator rules and the deadlines,
  ties toward the worse level, any U caps it at M;
- judgement: the same over what the evaluators recorded (checklists of critical tasks, levelled
  observations, ratings of the team's reasoning); it outweighs the indication: the suggestion
  is the judgement, moved one step toward the indication when they lie two or more levels apart;
- the mission (OE-1) is read off the agency's output too: its suggestion is at most the level
  its indicator rules give, so sacrificing the output cannot come out strong;
- a suggestion nobody reviewed stays a suggestion; an evaluator's rating confirms or overrides
  it; evaluators who disagree are shown; the lead's reconciliation (with a reason) decides;
- roll-ups: the mean of P=4, S=3, M=2, U=1 over the rated criteria (N/O left out), shown as a
  number and as the nearest level (ties toward the worse);
- index: the mean of (value − 1) / 3 × 100 over the rated criteria: a summary for comparing
  runs of the same scenario, not a grade.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum

import attrs

from krise_ovelse.catalogue import Catalogue, LevelTexts, load_catalogue
from krise_ovelse.messages import text
from krise_ovelse.model.scenario import Level, Scenario
from krise_ovelse.model.text import Text
from krise_ovelse.scoring.evidence import ROLE_WORDS, Evidence, Source, collect_evidence, who
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


def theme_name(theme_id: str, catalogue: Catalogue | None = None, scenario: Scenario | None = None) -> Text:
    """The catalogue's name of a theme, else the name a scenario's own criteria give a new theme
    (`theme_name`), else its id."""
    catalogue = catalogue or load_catalogue()
    try:
        return catalogue.theme(theme_id).name
    except KeyError:
        pass
    if scenario is not None:
        named = next((c.theme_name for c in scenario.scoring.own_criteria if c.theme == theme_id and c.theme_name),
                     None)
        if named is not None:
            return named
    return Text.of(theme_id or "–")


# --- ratings ---------------------------------------------------------------------------------


class Status(str, Enum):
    """Where a criterion's rating stands in the review."""

    SUGGESTION = "suggestion"  # computed, nobody has reviewed it yet
    CONFIRMED = "confirmed"  # an evaluator rated it at the suggested level
    OVERRIDDEN = "overridden"  # an evaluator rated it at another level
    DISPUTED = "disputed"  # evaluators rated it differently and nobody has reconciled them
    RECONCILED = "reconciled"  # the lead evaluator settled it, with a reason


#: The criteria that rate the agency's mission (samfunnsoppdrag): their suggestion is capped
#: by their indicator rules (the report's learning point on mobilising staff for the mission).
MISSION_CRITERIA = frozenset({"OE-1"})
_ROLE_BY = "evaluator"


@attrs.frozen
class EvaluatorView:
    """One evaluator's part in a criterion: the level of their own judgement items (checklist,
    observations, reasoning) and their explicit rating, if any."""

    name: str
    judgement: Level | None = None
    rated: Override | None = None

    @property
    def level(self) -> Level | None:
        return self.rated.level if self.rated is not None else self.judgement


@attrs.frozen
class Rating:
    """The rating of one criterion: suggested from the evidence, final after the evaluators."""

    criterion: str
    theme: str
    name: Text
    in_scenario: bool
    evidence: tuple[Evidence, ...]
    suggested: Level
    median: Level | None  # of the indication (the choices, rules and deadlines)
    capped: bool
    override: Override | None = None  # what decided the final level (a rating or the reconciliation)
    status: Status = Status.SUGGESTION
    indication: Level | None = None
    judgement: Level | None = None
    mission_cap: Level | None = None  # the mission's indicator level, when it lowered the suggestion
    evaluators: tuple[EvaluatorView, ...] = ()
    passive: bool = False  # the team decided nothing, so the suggestion is at most M

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
    def reviewed(self) -> bool:
        """An evaluator confirmed, overrode or reconciled it (a suggestion otherwise)."""
        return self.status in (Status.CONFIRMED, Status.OVERRIDDEN, Status.RECONCILED)

    @property
    def overridden(self) -> bool:
        """The evaluator set another level than the suggested one."""
        return self.override is not None and self.override.level is not self.suggested

    @property
    def confirmed(self) -> bool:
        """The evaluator rated the criterion at the suggested level (confirmed the suggestion)."""
        return self.override is not None and self.override.level is self.suggested

    @property
    def one_click(self) -> bool:
        """The rating rests on a single choice's option tag and nothing else."""
        counted = self.counted
        return len(counted) == 1 and counted[0].source is Source.OPTION

    @property
    def disagreement(self) -> bool:
        """The evaluators' levels for this criterion differ."""
        levels = {v.level for v in self.evaluators if v.level is not None and is_rated(v.level)}
        return len(levels) > 1

    def override_text(self, lang: str = "nb") -> str:
        """The evaluator's part in one phrase, or "" without one: "Overstyrt (Eva) M → S: reason",
        "Bekreftet av evaluator (Eva): reason" or "Samordnet av hovedevaluator (Eva) til S: reason"."""
        override = self.override
        if override is None:
            return ""
        if self.status is Status.RECONCILED:
            return text(lang, "scoring.reconciled", by=override.by.strip(), level=override.level.value,
                        reason=override.reason)
        if self.confirmed:
            by = f" ({override.by.strip()})" if override.by.strip() and not _is_role_word(override.by) else ""
            reason = "" if says_only_confirmed(override.reason) else f": {override.reason}"
            return text(lang, "scoring.confirmed") + by + reason
        by = f" ({who(override.by, lang)})" if override.by.strip() else ""
        reason = f": {override.reason}" if override.reason else ""
        word = text(lang, "scoring.overridden")
        return f"{word}{by} {self.suggested.value} → {override.level.value}{reason}"

    def status_text(self, lang: str = "nb") -> str:
        """The review state in a word or two: «forslag», «bekreftet», «overstyrt», «uenige», «samordnet»."""
        return text(lang, f"scoring.status.{self.status.value}")

    def explain(self, lang: str = "nb") -> str:
        """One line: how the suggestion was reached, and the evaluators' part if any."""
        indication = [e for e in self.counted if not e.is_judgement]
        judgement = [e for e in self.counted if e.is_judgement]
        if not indication and not judgement:
            line = text(lang, "scoring.no_evidence")
        else:
            parts = []
            if indication and self.median is not None:
                levels = ", ".join(e.level.value for e in sorted(indication, key=_best_first) if e.level)
                part = text(lang, "scoring.median", levels=levels, level=self.median.value)
                if self.capped:
                    part += text(lang, "scoring.capped")
                parts.append(part)
            if judgement and self.judgement is not None:
                levels = ", ".join(e.level.value for e in sorted(judgement, key=_best_first) if e.level)
                parts.append(text(lang, "scoring.judgement", levels=levels, level=self.judgement.value))
            line = "; ".join(parts)
            line = line[:1].upper() + line[1:]
            if judgement and indication and self.indication is not None and self.judgement is not None:
                line += text(lang, "scoring.judgement_weighs", level=weigh(self.indication, self.judgement).value)
        if self.mission_cap is not None:
            line += text(lang, "scoring.mission_cap", level=self.mission_cap.value)
        if self.passive:
            line += text(lang, "scoring.passive")
        if self.one_click:
            line += text(lang, "scoring.one_click")
        if self.status is Status.DISPUTED:
            line += text(lang, "scoring.disputed", levels=", ".join(
                f"{v.name} {v.level.value}" for v in self.evaluators if v.level is not None))
        elif self.status is Status.SUGGESTION and is_rated(self.suggested):
            line += text(lang, "scoring.unreviewed")
        elif self.confirmed and self.status is not Status.RECONCILED:
            line += ". " + self.override_text(lang)
        elif self.override is not None:
            if self.status is Status.RECONCILED:
                line += ". " + self.override_text(lang)
            else:
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
    for override in _in_order(overrides):
        result[override.criterion] = override
    return result


def _in_order(overrides: Iterable[Override]) -> list[Override]:
    indexed = list(enumerate(overrides))
    return [o for _, o in sorted(indexed, key=lambda pair: (pair[1].seq if pair[1].seq is not None else -1,
                                                            pair[0]))]


def evaluator_name(by: str) -> str:
    """Who an evaluator is: a name as given; the tools' role words (and nothing) as one
    evaluator, so a session without named evaluators has exactly one."""
    by = by.strip()
    return _ROLE_BY if not by or _is_role_word(by) else by


def _step_toward(level: Level, target: Level) -> Level:
    value = VALUES[level] + (1 if VALUES[target] > VALUES[level] else -1)
    return next(lv for lv, v in VALUES.items() if v == value)


def weigh(indication: Level | None, judgement: Level) -> Level:
    """The judgement, moved one step toward the indication when they lie two or more levels
    apart (before the mission's and a passive team's caps)."""
    if indication is not None and abs(VALUES[indication] - VALUES[judgement]) >= 2:
        return _step_toward(judgement, indication)
    return judgement


def suggest(evidence: Sequence[Evidence], criterion: str = "") -> tuple[Level, Level | None, bool, Level | None,
                                                                       Level | None, Level | None]:
    """(suggested, indication median, capped, indication, judgement, mission cap) from a
    criterion's evidence: the judgement outweighs the indication (docs/scoring.md)."""
    indication_items = [e.level for e in evidence if e.counted and e.level and not e.is_judgement]
    judgement_items = [e.level for e in evidence if e.counted and e.level and e.is_judgement]
    indication, median, capped = aggregate(indication_items)
    judgement = aggregate(judgement_items)[0] if judgement_items else None
    indicated = indication if median is not None else None
    suggested = indication if judgement is None else weigh(indicated, judgement)
    cap = None
    if criterion in MISSION_CRITERIA and is_rated(suggested):
        outputs = [e.level for e in evidence if e.source is Source.RULE and e.level and is_rated(e.level)]
        if outputs:
            worst = min(outputs, key=lambda lv: VALUES[lv])
            if VALUES[worst] < VALUES[suggested]:
                suggested, cap = worst, worst
    return suggested, median, capped, indicated, judgement, cap


def rate_criterion(info: CriterionInfo, evidence: Sequence[Evidence], in_scenario: bool,
                   override: Override | None = None, *, ratings: Sequence[Override] = (),
                   reconciled: Override | None = None, evaluators: Sequence[str] = (),
                   passive: bool = False) -> Rating:
    """Rate one criterion from its evidence (all items for this criterion) and the evaluators'
    ratings (`ratings`, oldest first; `override` is the older single-rating form) and the lead's
    reconciliation."""
    suggested, median, capped, indication, judgement, cap = suggest(evidence, info.id)
    if passive and is_rated(suggested) and VALUES[suggested] > VALUES[Level.M]:
        suggested = Level.M  # the team decided nothing: whatever went well, it did not do it
    given = list(ratings) or ([override] if override is not None else [])
    latest: dict[str, Override] = {}
    for rating in given:
        latest[evaluator_name(rating.by)] = rating
    names = list(dict.fromkeys([*evaluators, *(evaluator_name(e.author or "") for e in evidence
                                               if e.is_judgement and e.counted), *latest]))
    views = []
    for name in names:
        own = [e.level for e in evidence if e.is_judgement and e.counted and e.level
               and evaluator_name(e.author or "") == name]
        views.append(EvaluatorView(name, aggregate(own)[0] if own else None, latest.get(name)))
    status, decided = Status.SUGGESTION, None
    if reconciled is not None:
        status, decided = Status.RECONCILED, reconciled
    elif latest:
        levels = {r.level for r in latest.values()}
        if len(levels) == 1:
            decided = max(latest.values(), key=lambda r: r.seq if r.seq is not None else -1)
            status = Status.CONFIRMED if decided.level is suggested else Status.OVERRIDDEN
        else:
            status = Status.DISPUTED
    return Rating(criterion=info.id, theme=info.theme, name=info.name, in_scenario=in_scenario,
                  evidence=tuple(evidence), suggested=suggested, median=median, capped=capped,
                  override=decided, status=status, indication=indication, judgement=judgement, mission_cap=cap,
                  evaluators=tuple(views), passive=passive and is_rated(suggested))


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
    #: False while the rating behind it is a suggestion nobody reviewed.
    reviewed: bool = True

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


def _findings(rating: Rating, info: CriterionInfo, doubtful: frozenset[tuple[str | None, str | None]],
              defaults: frozenset[int]) -> list[Finding]:
    """A strength for P or S, an area for improvement for S, M or U (an S is done, with room to
    do better). A strength rests on evidence at P or S that is not doubtful: a default nobody
    chose is not a strength, nor a choice whose option the author also tagged M or U somewhere
    (the report warns against it), so nothing the report warns against is held up as good."""
    final = rating.final
    counted = rating.counted
    note = rating.override.reason if rating.override is not None else ""
    if rating.confirmed and says_only_confirmed(note):
        note = ""  # a plain confirmation: nothing to add to the evidence
    found = []
    common = {"criterion": rating.criterion, "theme": rating.theme, "name": rating.name, "level": final,
              "description": info.description, "descriptor": info.level_text(final),
              "target": info.level_text(Level.P), "note": note, "reviewed": rating.reviewed}
    if final in STRENGTH_LEVELS:
        support = tuple(e for e in counted if e.level in STRENGTH_LEVELS
                        and not (e.source is Source.OPTION and ((e.decision, e.option) in doubtful
                                                                or (e.seq is not None and e.seq in defaults))))
        if support or (rating.override is not None and note):
            found.append(Finding(kind=FindingKind.STRENGTH, evidence=support, **common))  # type: ignore[arg-type]
    if final in IMPROVEMENT_LEVELS or final is Level.S:
        wanted = (Level.S, *IMPROVEMENT_LEVELS) if final is Level.S else IMPROVEMENT_LEVELS
        support = tuple(e for e in counted if e.level in wanted)
        found.append(Finding(kind=FindingKind.IMPROVEMENT, evidence=support, **common))  # type: ignore[arg-type]
    return found


def doubtful_options(scenario: Scenario) -> frozenset[tuple[str | None, str | None]]:
    """(decision, option) pairs whose author tagged them M or U for some criterion."""
    return frozenset((d.id, o.id) for d in scenario.decisions for o in d.options
                     if any(level in IMPROVEMENT_LEVELS for level in o.evidence.values()))


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
    #: The team let every deadline pass: what happened, happened without it.
    decided_nothing: bool = False

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

    def review_counts(self) -> dict[str, int]:
        """How many ratings are in each review state (suggestion, confirmed, …)."""
        counts = {status.value: 0 for status in Status}
        for rating in self.ratings:
            counts[rating.status.value] += 1
        return counts


def criteria_in_play(scenario: Scenario, evidence: Iterable[Evidence], overrides: Iterable[str],
                     catalogue: Catalogue) -> list[str]:
    """The scenario's criteria plus any with evidence or an evaluator's rating, in catalogue
    order (then the scenario's own criteria in their order, then any others sorted)."""
    wanted = set(scenario.scoring.criteria) | {e.criterion for e in evidence} | set(overrides)
    order = [c.id for c in catalogue.criteria] + [c.id for c in scenario.scoring.own_criteria]
    known = [c for c in order if c in wanted]
    return known + sorted(wanted - set(known))


#: Criterion infos per (scenario, catalogue) object, kept with both so their ids stay theirs:
#: rating thousands of runs of one scenario (the balance analysis) looks each up once.
_INFOS: dict[tuple[int, int], tuple[Scenario, Catalogue, dict[str, CriterionInfo]]] = {}


def _infos(scenario: Scenario, catalogue: Catalogue, ids: Sequence[str]) -> dict[str, CriterionInfo]:
    key = (id(scenario), id(catalogue))
    hit = _INFOS.get(key)
    if hit is None or hit[0] is not scenario or hit[1] is not catalogue:
        if len(_INFOS) >= 16:
            _INFOS.clear()
        hit = _INFOS[key] = (scenario, catalogue, {})
    known = hit[2]
    for cid in ids:
        if cid not in known:
            known[cid] = criterion_info(cid, scenario, catalogue)
    return known


def score(scenario: Scenario, record: ScoringInput, catalogue: Catalogue | None = None) -> ScoringResult:
    """Rate a run: the evidence, a rating per criterion in play, roll-ups, index and findings."""
    catalogue = catalogue or load_catalogue()
    evidence = collect_evidence(scenario, record)
    ratings_by: dict[str, list[Override]] = {}
    for override in _in_order(record.overrides):
        ratings_by.setdefault(override.criterion, []).append(override)
    reconciled = last_overrides(record.reconciliations)
    ids = criteria_in_play(scenario, evidence, set(ratings_by) | set(reconciled), catalogue)
    listed = set(scenario.scoring.criteria)
    infos = _infos(scenario, catalogue, ids)
    by_criterion: dict[str, list[Evidence]] = {cid: [] for cid in ids}
    for item in evidence:
        by_criterion[item.criterion].append(item)
    named = [name for name, _lead in record.evaluators]
    closed = [d for d in record.decisions if d.closed]
    passive = bool(closed) and all(d.missed for d in closed)
    ratings = tuple(
        rate_criterion(infos[cid], by_criterion[cid], cid in listed, ratings=ratings_by.get(cid, ()),
                       reconciled=reconciled.get(cid), evaluators=named, passive=passive)
        for cid in ids)

    theme_ids = [t.id for t in catalogue.themes]
    theme_ids += [r.theme for r in ratings if r.theme not in theme_ids]
    themes = tuple(
        roll_up(tid, theme_name(tid, catalogue, scenario), [r for r in ratings if r.theme == tid])
        for tid in dict.fromkeys(theme_ids))
    by_id = {r.criterion: r for r in ratings}
    points = tuple(
        roll_up(lp.id, lp.title, [by_id[c] for c in lp.criteria if c in by_id])
        for lp in catalogue.learning_points)

    doubtful = doubtful_options(scenario)
    defaults = frozenset(c.seq for d in record.decisions for c in d.choices if c.missed and c.seq is not None)
    findings = [f for r in ratings for f in _findings(r, infos[r.criterion], doubtful, defaults)]
    strengths = sorted((f for f in findings if f.kind is FindingKind.STRENGTH),
                       key=lambda f: -VALUES[f.level])
    improvements = sorted((f for f in findings if f.kind is FindingKind.IMPROVEMENT),
                          key=lambda f: VALUES[f.level])
    return ScoringResult(
        scenario_id=scenario.id, scenario_title=scenario.title, ratings=ratings, themes=themes,
        learning_points=points, index=index_of(r.final for r in ratings), strengths=tuple(strengths),
        improvements=tuple(improvements), decided_nothing=passive)
