"""Ratings as plain text for the terminal (`run --play …`, `report --format text`)."""

from __future__ import annotations

from krise_ovelse import messages
from krise_ovelse.catalogue import load_catalogue
from krise_ovelse.model.scenario import Level
from krise_ovelse.scoring.evidence import format_number, who
from krise_ovelse.scoring.ratings import Rating, ScoringResult

_HEAD = {
    "nb": ("Vurdering mot suksesskriteriene", "Indeks", "kan bare sammenlignes med kjøringer av samme scenario",
           "Styrker", "Forbedringspunkter", "Overstyrt"),
    "en": ("Ratings against the success criteria", "Index", "comparable with runs of the same scenario only",
           "Strengths", "Areas for improvement", "Overridden"),
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
    return f"  {rating.criterion:<6} {name:<{width}} {level:>5}"


def format_ratings(result: ScoringResult, lang: str = "nb", evidence: bool = True, width: int = 56) -> str:
    """A ratings table per theme, each criterion with its evidence lines, then the index.

    Levels shown are final; an override shows as suggested→final (e.g. `M→S`).
    """
    lang = lang if lang in _HEAD else "nb"
    title, index_word, same, strengths, improvements, overridden = _HEAD[lang]
    labels = load_catalogue().level_labels
    lines = [title, "=" * len(title)]
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
            if rating.confirmed:
                lines.append(f"         {rating.override_text(lang)}")
            elif rating.override is not None:
                reason = f": {rating.override.reason}" if rating.override.reason else ""
                by = f" ({who(rating.override.by, lang)})" if rating.override.by.strip() else ""
                lines.append(f"         {overridden}{by} → {rating.override.level.value}{reason}")
    lines.append("")
    counts = result.counts()
    lines.append("  ".join(f"{code}: {counts[code]}" for code in (lv.value for lv in Level)))
    index = "–" if result.index is None else format_number(result.index, lang)
    lines.append(f"{index_word}: {index} / 100 ({same})")
    if result.strengths or result.improvements:
        lines.append("")
    for heading, findings in ((strengths, result.strengths), (improvements, result.improvements)):
        if findings:
            lines.append(f"{heading}:")
            for finding in findings:
                label = labels[finding.level.value].get(lang).lower()
                lines.append(f"  {finding.level.value} {finding.criterion} {finding.name.get(lang)} ({label})")
    return "\n".join(lines)
