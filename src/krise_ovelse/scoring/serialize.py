"""The stable JSON form of a scoring result (for `run --json`, the session store and compare).

`result_to_dict` gives plain JSON data with a fixed key set: every key is always present
(null when it has no value), lists keep the result's order (criteria in catalogue order),
texts are `{"nb": …, "en": …}` objects. `result_from_dict` reads it back; derived fields
(`explain`, `summary`, `counts`) are written for readers that do not run our code and ignored
when reading. Bump `VERSION` when the form changes incompatibly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from krise_ovelse.model.scenario import Level
from krise_ovelse.model.text import Text
from krise_ovelse.scoring.evidence import Evidence, Source
from krise_ovelse.scoring.inputs import Override
from krise_ovelse.scoring.levels import parse_level
from krise_ovelse.scoring.ratings import EvaluatorView, Finding, FindingKind, Rating, RollUp, ScoringResult, Status

FORMAT = "krise-ovelse/ratings"
#: 2 added each rating's review `status`, `indication`, `judgement`, `mission_cap`,
#: `one_click` and `evaluators`, each finding's `reviewed`, and the result's `headline` and
#: `decided_nothing`. Version 1 results read with their status worked out from the override.
VERSION = 2
READABLE_VERSIONS = (1, 2)


class ResultFormatError(ValueError):
    """Data that is not a scoring result of a version we read."""


def number(value: float | None) -> float | int | None:
    """A number in one spelling: whole numbers as int (840, not 840.0), others as float."""
    if value is None:
        return None
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def text_to_dict(text: Text) -> dict[str, str]:
    return {lang: text.values[lang] for lang in sorted(text.values)}


def _text(value: Any) -> Text:
    if isinstance(value, str):
        return Text.of(value)
    if isinstance(value, Mapping):
        return Text({str(k): str(v) for k, v in value.items()})
    return Text()


def evidence_to_dict(item: Evidence) -> dict[str, Any]:
    return {
        "criterion": item.criterion,
        "level": item.level.value if item.level is not None else None,
        "counted": item.counted,
        "source": item.source.value,
        "reason": text_to_dict(item.reason),
        "seq": item.seq,
        "minutes": number(item.minutes),
        "decision": item.decision,
        "option": item.option,
        "indicator": item.indicator,
        "measure": item.measure,
        "value": number(item.value),
        "author": item.author,
    }


def override_to_dict(override: Override | None) -> dict[str, Any] | None:
    if override is None:
        return None
    return {"level": override.level.value, "reason": override.reason, "by": override.by,
            "seq": override.seq, "minutes": number(override.minutes)}


def rating_to_dict(rating: Rating) -> dict[str, Any]:
    return {
        "id": rating.criterion,
        "theme": rating.theme,
        "name": text_to_dict(rating.name),
        "in_scenario": rating.in_scenario,
        "suggested": rating.suggested.value,
        "final": rating.final.value,
        "median": rating.median.value if rating.median is not None else None,
        "capped": rating.capped,
        "override": override_to_dict(rating.override),
        "status": rating.status.value,
        "reviewed": rating.reviewed,
        "indication": rating.indication.value if rating.indication is not None else None,
        "judgement": rating.judgement.value if rating.judgement is not None else None,
        "mission_cap": rating.mission_cap.value if rating.mission_cap is not None else None,
        "one_click": rating.one_click,
        "passive": rating.passive,
        "disagreement": rating.disagreement,
        "evaluators": [{"name": v.name, "judgement": v.judgement.value if v.judgement is not None else None,
                        "rated": override_to_dict(v.rated)} for v in rating.evaluators],
        "explain": {"nb": rating.explain("nb"), "en": rating.explain("en")},
        "evidence": [evidence_to_dict(e) for e in rating.evidence],
    }


def rollup_to_dict(rollup: RollUp) -> dict[str, Any]:
    return {"id": rollup.id, "name": text_to_dict(rollup.name), "criteria": list(rollup.criteria),
            "rated": list(rollup.rated), "mean": number(rollup.number), "level": rollup.level.value}


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind.value,
        "criterion": finding.criterion,
        "theme": finding.theme,
        "name": text_to_dict(finding.name),
        "level": finding.level.value,
        "summary": {"nb": finding.summary("nb"), "en": finding.summary("en")},
        "description": text_to_dict(finding.description),
        "descriptor": text_to_dict(finding.descriptor),
        "target": text_to_dict(finding.target),
        "note": finding.note,
        "reviewed": finding.reviewed,
        "evidence": [evidence_to_dict(e) for e in finding.evidence],
    }


def result_to_dict(result: ScoringResult) -> dict[str, Any]:
    """The whole result as JSON-ready data (see the module docstring)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "scenario": {"id": result.scenario_id, "title": text_to_dict(result.scenario_title)},
        "index": number(result.index),
        "counts": result.counts(),
        "headline": headline(result),
        "decided_nothing": result.decided_nothing,
        "criteria": [rating_to_dict(r) for r in result.ratings],
        "themes": [rollup_to_dict(t) for t in result.themes],
        "learning_points": [rollup_to_dict(p) for p in result.learning_points],
        "strengths": [finding_to_dict(f) for f in result.strengths],
        "improvements": [finding_to_dict(f) for f in result.improvements],
    }


def headline(result: ScoringResult) -> dict[str, Any]:
    """What a reader should see first: how many criteria reached each level, how many of those
    ratings an evaluator has reviewed, and whether the team decided anything at all. The index
    is a summary for comparing runs of one scenario, not a grade."""
    counts = result.counts()
    return {"levels": {code: counts[code] for code in ("P", "S", "M", "U", "N/O")},
            "review": result.review_counts(), "decided_nothing": result.decided_nothing}


# --- reading back ----------------------------------------------------------------------------


def _opt_level(value: Any) -> Level | None:
    return None if value is None else parse_level(value)


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def evidence_from_dict(data: Mapping[str, Any]) -> Evidence:
    return Evidence(
        criterion=str(data["criterion"]), level=_opt_level(data.get("level")), source=Source(data["source"]),
        reason=_text(data.get("reason")), seq=_opt_int(data.get("seq")), minutes=_opt_float(data.get("minutes")),
        decision=_opt_str(data.get("decision")), option=_opt_str(data.get("option")),
        indicator=_opt_str(data.get("indicator")), measure=_opt_str(data.get("measure")),
        value=_opt_float(data.get("value")), author=_opt_str(data.get("author")))


def _override_from_dict(criterion: str, data: Mapping[str, Any] | None) -> Override | None:
    if data is None:
        return None
    return Override(criterion=criterion, level=parse_level(data["level"]), reason=str(data.get("reason", "")),
                    by=str(data.get("by", "")), seq=_opt_int(data.get("seq")), minutes=_opt_float(data.get("minutes")))


def _rollup_from_dict(data: Mapping[str, Any]) -> RollUp:
    return RollUp(id=str(data["id"]), name=_text(data.get("name")), criteria=tuple(data.get("criteria", ())),
                  rated=tuple(data.get("rated", ())), mean=_opt_float(data.get("mean")),
                  level=parse_level(data["level"]))


def _finding_from_dict(data: Mapping[str, Any]) -> Finding:
    return Finding(
        kind=FindingKind(data["kind"]), criterion=str(data["criterion"]), theme=str(data.get("theme", "")),
        name=_text(data.get("name")), level=parse_level(data["level"]),
        evidence=tuple(evidence_from_dict(e) for e in data.get("evidence", ())),
        description=_text(data.get("description")), descriptor=_text(data.get("descriptor")),
        target=_text(data.get("target")), note=str(data.get("note", "")),
        reviewed=bool(data.get("reviewed", True)))


def _status(data: Mapping[str, Any], suggested: Level, override: Override | None) -> Status:
    if "status" in data:
        return Status(data["status"])
    if override is None:
        return Status.SUGGESTION
    return Status.CONFIRMED if override.level is suggested else Status.OVERRIDDEN


def _rating_from_dict(c: Mapping[str, Any]) -> Rating:
    criterion = str(c["id"])
    suggested = parse_level(c["suggested"])
    override = _override_from_dict(criterion, c.get("override"))
    return Rating(criterion=criterion, theme=str(c.get("theme", "")), name=_text(c.get("name")),
                  in_scenario=bool(c.get("in_scenario")),
                  evidence=tuple(evidence_from_dict(e) for e in c.get("evidence", ())),
                  suggested=suggested, median=_opt_level(c.get("median")), capped=bool(c.get("capped")),
                  override=override, status=_status(c, suggested, override),
                  indication=_opt_level(c.get("indication")), judgement=_opt_level(c.get("judgement")),
                  mission_cap=_opt_level(c.get("mission_cap")), passive=bool(c.get("passive")),
                  evaluators=tuple(EvaluatorView(str(v["name"]), _opt_level(v.get("judgement")),
                                                 _override_from_dict(criterion, v.get("rated")))
                                   for v in c.get("evaluators", ())))


def result_from_dict(data: Mapping[str, Any]) -> ScoringResult:
    """Read `result_to_dict`'s form back; ResultFormatError if it is not one."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise ResultFormatError(f"not a {FORMAT} result")
    if data.get("version") not in READABLE_VERSIONS:
        raise ResultFormatError(f"{FORMAT} version {data.get('version')!r} is not supported "
                                f"(this reads {', '.join(map(str, READABLE_VERSIONS))})")
    try:
        ratings = tuple(_rating_from_dict(c) for c in data["criteria"])
        scenario = data.get("scenario") or {}
        return ScoringResult(
            scenario_id=str(scenario.get("id", "")), scenario_title=_text(scenario.get("title")), ratings=ratings,
            themes=tuple(_rollup_from_dict(t) for t in data.get("themes", ())),
            learning_points=tuple(_rollup_from_dict(p) for p in data.get("learning_points", ())),
            index=_opt_float(data.get("index")),
            strengths=tuple(_finding_from_dict(f) for f in data.get("strengths", ())),
            improvements=tuple(_finding_from_dict(f) for f in data.get("improvements", ())),
            decided_nothing=bool(data.get("decided_nothing")))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ResultFormatError(f"damaged {FORMAT} result: {exc!r}") from exc
