"""Ratings as plain text for the terminal (`run --play …`, `report --format text`)."""

from __future__ import annotations

from krise_ovelse import messages
from krise_ovelse.catalogue import load_catalogue
from krise_ovelse.scoring.evidence import format_number, who
from krise_ovelse.scoring.levels import is_rated
from krise_ovelse.scoring.ratings import Rating, ScoringResult, Status

_HEAD = {
    "nb": ("Vurdering mot suksesskriteriene", "Indeks (oppsummering, ikke karakter)",
           "kan bare sammenlignes med gjennomføringer av samme scenario", "Styrker", "Forbedringspunkter", "Overstyrt"),
    "en": ("Ratings against the success criteria", "Index (a summary, not a grade)",
           "comparable with runs of the same scenario only", "Strengths", "Areas for improvement", "Overridden"),
}
_WORDS = {
    "nb": {"levels": "Nivåfordeling", "review": "Gjennomgått av evaluator: {reviewed} av {rated}; {suggestions} er "
           "forslag", "nothing": "Ledergruppen tok ingen beslutninger selv: alle frister gikk ut.",
           "disputed": "{n} er omstridt mellom evaluatorene", "suggestion": "forslag", "evaluators": "Evaluatorer"},
    "en": {"levels": "Levels", "review": "Reviewed by an evaluator: {reviewed} of {rated}; {suggestions} are "
           "suggestions", "nothing": "The team took no decision itself: every deadline passed.",
           "disputed": "{n} disputed between the evaluators", "suggestion": "suggestion", "evaluators": "Evaluators"},
}


def format_mean(value: float | None, lang: str = "nb") -> str:
    """A roll-up mean with two decimals (decimal comma in Norwegian); – when nothing is rated."""
    if value is None:
        return "–"
    return messages.format_number(value, 2, lang)


def _rating_line(rating: Rating, lang: str, width: int) -> str:
    name = rating.name.get(lang)
    if len(name) > width:
        name = name[: width - 1] + "…"
    level = rating.final.value
    if rating.overridden:
        level = f"{rating.suggested.value}→{rating.final.value}"
    state = ""
    if is_rated(rating.final) or rating.reviewed:
        state = f"  ({rating.status_text(lang)})" if rating.status is not Status.CONFIRMED else ""
    return f"  {rating.criterion:<6} {name:<{width}} {level:>5}{state}"


def headline(result: ScoringResult, lang: str = "nb") -> list[str]:
    """What to read first: the level distribution, how much of it an evaluator has reviewed,
    and whether the team decided anything at all (docs/scoring.md, "The headline")."""
    words = _WORDS[lang if lang in _WORDS else "nb"]
    counts = result.counts()
    lines = [f"{words['levels']}: " + "  ".join(f"{code} {counts[code]}" for code in ("P", "S", "M", "U", "N/O"))]
    review = result.review_counts()
    rated = sum(1 for r in result.ratings if is_rated(r.final))
    reviewed = sum(1 for r in result.ratings if r.reviewed)
    suggestions = sum(1 for r in result.ratings if r.status is Status.SUGGESTION and is_rated(r.final))
    line = words["review"].format(reviewed=reviewed, rated=rated, suggestions=suggestions)
    if review[Status.DISPUTED.value]:
        line += "; " + words["disputed"].format(n=review[Status.DISPUTED.value])
    lines.append(line)
    if result.decided_nothing:
        lines.append(words["nothing"])
    return lines


def format_ratings(result: ScoringResult, lang: str = "nb", evidence: bool = True, width: int = 56) -> str:
    """A ratings table per theme, each criterion with its evidence lines, then the index.

    Levels shown are final; an override shows as suggested→final (e.g. `M→S`).
    """
    lang = lang if lang in _HEAD else "nb"
    title, index_word, same, strengths, improvements, overridden = _HEAD[lang]
    labels = load_catalogue().level_labels
    lines = [title, "=" * len(title), *headline(result, lang)]
    for theme in result.themes:
        ratings = result.by_theme(theme.id)
        if not ratings:
            continue
        lines.append("")
        lines.append(f"{theme.id} {theme.name.get(lang)}: {theme.level.value} ({format_mean(theme.mean, lang)})")
        for rating in ratings:
            lines.append(_rating_line(rating, lang, width))
            if not evidence:
                continue
            for item in rating.evidence:
                mark = item.level.value if item.counted and item.level else "·"
                lines.append(f"         {mark:<3} {item.reason.get(lang)}")
            if rating.disagreement or rating.status is Status.RECONCILED:
                views = ", ".join(f"{v.name} {v.level.value}" for v in rating.evaluators if v.level is not None)
                lines.append(f"         {_WORDS[lang]['evaluators']}: {views}")
            if rating.confirmed or rating.status is Status.RECONCILED:
                lines.append(f"         {rating.override_text(lang)}")
            elif rating.override is not None:
                reason = f": {rating.override.reason}" if rating.override.reason else ""
                by = f" ({who(rating.override.by, lang)})" if rating.override.by.strip() else ""
                lines.append(f"         {overridden}{by} → {rating.override.level.value}{reason}")
    lines.append("")
    index = "–" if result.index is None else format_number(result.index, lang)
    lines.append(f"{index_word}: {index} / 100 ({same})")
    if result.strengths or result.improvements:
        lines.append("")
    for heading, findings in ((strengths, result.strengths), (improvements, result.improvements)):
        if findings:
            lines.append(f"{heading}:")
            for finding in findings:
                label = labels[finding.level.value].get(lang).lower()
                state = "" if finding.reviewed else f", {_WORDS[lang]['suggestion']}"
                lines.append(f"  {finding.level.value} {finding.criterion} {finding.name.get(lang)} ({label}{state})")
    return "\n".join(lines)
