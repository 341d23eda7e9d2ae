"""The balance report as text (for authors at a terminal) and as JSON (for CI)."""

from __future__ import annotations

from typing import Any

from krise_ovelse.balance.analysis import BalanceReport, Outcome
from krise_ovelse.balance.strategies import DESCRIPTIONS

FORMAT = "krise-ovelse/balance"
VERSION = 1


def _number(value: float | None, lang: str, decimals: int = 1) -> str:
    if value is None:
        return "–"
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang == "nb" else text


def _outcome_dict(outcome: Outcome) -> dict[str, Any]:
    return {"name": outcome.name, "index": outcome.index, "gap": outcome.gap, "levels": dict(outcome.levels),
            "choices": dict(outcome.choices)}


def report_to_dict(report: BalanceReport) -> dict[str, Any]:
    """The stable JSON form (`format: krise-ovelse/balance`, `version: 1`)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "scenario": {"id": report.scenario_id, "title": report.scenario_title},
        "margin": report.margin,
        "strong": None if report.strong is None else _outcome_dict(report.strong) | {"file": report.strong_file},
        "strategies": [_outcome_dict(o) | {"too_close": o in report.too_close} for o in report.strategies],
        "random": None if report.random is None else {
            "teams": report.random.teams, "seed": report.random.seed, "min": report.random.minimum,
            "p10": report.random.p10, "median": report.random.median, "p90": report.random.p90,
            "max": report.random.maximum, "within_margin": report.random.within_margin},
        "decisions": [
            {"decision": d.decision, "strong": d.strong, "best": d.best.option if d.best else None,
             "margin": d.margin, "dominant": d.dominant,
             "options": [{"option": o.option, "position": o.position, "length_rank": o.length_rank,
                          "good_words": o.good_words, "teams": o.teams, "mean_index": o.mean_index}
                         for o in d.options]}
            for d in report.decisions],
        "predictors": [{"name": p.name, "correlation": p.correlation, "predicts": p.predicts,
                        "best_is_extreme": p.best_is_extreme, "decisions": p.decisions}
                       for p in report.predictors],
        "warnings": warnings(report, "en"),
    }


def warnings(report: BalanceReport, lang: str = "nb") -> list[str]:
    """One line per shallow strategy that comes too close to the strong playthrough."""
    found = []
    strong = report.strong.index if report.strong is not None else None
    for outcome in report.too_close:
        if lang == "nb":
            found.append(f"strategien «{outcome.name}» ({DESCRIPTIONS[outcome.name][0]}) får indeks "
                         f"{_number(outcome.index, lang)}, bare {_number(outcome.gap, lang)} under det sterke "
                         f"gjennomspillet ({_number(strong, lang)}); ønsket er minst {_number(report.margin, lang)}")
        else:
            found.append(f"strategy '{outcome.name}' ({DESCRIPTIONS[outcome.name][1]}) is rated "
                         f"{_number(outcome.index, lang)}, only {_number(outcome.gap, lang)} below the strong "
                         f"playthrough ({_number(strong, lang)}); wanted at least {_number(report.margin, lang)}")
    return found


def format_report(report: BalanceReport, lang: str = "nb") -> str:
    nb = lang == "nb"
    lines = [f"{'Balanseanalyse' if nb else 'Balance analysis'}: {report.scenario_title} ({report.scenario_id})", ""]
    if report.strong is not None:
        label = "Sterkt gjennomspill uten evaluatorinnspill" if nb else "Strong playthrough without evaluator input"
        lines.append(f"{label}: {_number(report.strong.index, lang)}  ({report.strong_file})")
    else:
        lines.append("Fant ikke noe sterkt gjennomspill: bare strategiene vises." if nb
                     else "No strong playthrough found: the strategies only.")
    lines.append("")
    head = ("Strategi", "Indeks", "Avstand", "") if nb else ("Strategy", "Index", "Gap", "")
    lines.append(f"  {head[0]:<12} {head[1]:>7} {head[2]:>8}")
    for outcome in report.strategies:
        flag = ""
        if outcome in report.too_close:
            flag = "  ⚠ for nær det sterke" if nb else "  ⚠ too close to strong"
        description = DESCRIPTIONS[outcome.name][0 if nb else 1]
        lines.append(f"  {outcome.name:<12} {_number(outcome.index, lang):>7} {_number(outcome.gap, lang):>8}"
                     f"  {description}{flag}")
    if report.random is not None:
        r = report.random
        lines.append("")
        if nb:
            line = (f"{r.teams} tilfeldige ledergrupper (frø {r.seed}): min {_number(r.minimum, lang)}, "
                    f"p10 {_number(r.p10, lang)}, median {_number(r.median, lang)}, p90 {_number(r.p90, lang)}, "
                    f"maks {_number(r.maximum, lang)}")
            if report.strong is not None:
                line += f"; {r.within_margin} nærmere det sterke enn {_number(report.margin, lang)}"
        else:
            line = (f"{r.teams} random teams (seed {r.seed}): min {_number(r.minimum, lang)}, "
                    f"p10 {_number(r.p10, lang)}, median {_number(r.median, lang)}, p90 {_number(r.p90, lang)}, "
                    f"max {_number(r.maximum, lang)}")
            if report.strong is not None:
                line += f"; {r.within_margin} within {_number(report.margin, lang)} of strong"
        lines.append(line)
    if report.decisions:
        lines.append("")
        lines.append("Per beslutning (gjennomsnittlig indeks for ledergruppene som endte med hvert alternativ):" if nb
                     else "Per decision (mean index of the teams that ended with each option):")
        for stat in report.decisions:
            cells = []
            for o in stat.options:
                marks = ("*" if stat.strong == o.option else "") + ("L" if o.length_rank == 1 else "")
                cells.append(f"{o.option}{marks}={_number(o.mean_index, lang)}")
            best = stat.best
            note = ""
            if best is not None and stat.dominant:
                note = (f"  dominerer: {best.option} (+{_number(stat.margin, lang)})" if nb
                        else f"  dominant: {best.option} (+{_number(stat.margin, lang)})")
            lines.append(f"  {stat.decision:<8} " + "  ".join(cells) + note)
        lines.append("  (* = det sterke gjennomspillets valg, L = lengst tekst)" if nb
                     else "  (* = the strong playthrough's choice, L = longest text)")
    if report.predictors:
        lines.append("")
        lines.append("Forutsier formen vurderingen? (korrelasjon med indeksen over de tilfeldige ledergruppene)" if nb
                     else "Does form predict the rating? (correlation with the index over the random teams)")
        names = {"position": ("plassering (0 først … 1 sist)", "position (0 first … 1 last)"),
                 "length": ("lengde (0 lengst … 1 kortest)", "length (0 longest … 1 shortest)"),
                 "good-words": ("antall «gode» ord", "good-practice words")}
        extremes = {"position": ("beste alternativ står først", "best option is first"),
                    "length": ("beste alternativ er lengst", "best option is longest"),
                    "good-words": ("beste alternativ har flest «gode» ord", "best option has most good words")}
        for p in report.predictors:
            verdict = ("forutsier" if nb else "predicts") if p.predicts else ("forutsier ikke" if nb else "no")
            lines.append(f"  {names[p.name][0 if nb else 1]:<34} r = {_number(p.correlation, lang, 2):>5}"
                         f"  {verdict:<14} {extremes[p.name][0 if nb else 1]}: {p.best_is_extreme}/{p.decisions}")
    found = warnings(report, lang)
    if found:
        lines.append("")
        lines.extend(("Advarsel: " if nb else "Warning: ") + w for w in found)
    return "\n".join(lines) + "\n"
