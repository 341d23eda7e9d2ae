"""The national report: one report for a national exercise, as Markdown.

Structure (as the evaluation reports of national exercises are built): an overview; the ratings
per criterion across every organisation (a table of how many organisations reached each level,
and a text bar chart); the common strengths and areas for improvement (criteria that two or
more organisations share, with which ones); then a chapter per organisation with its index, its
strengths and areas for improvement and its action plan (tiltaksplan). It is the start of the
report's third purpose: a knowledge base for the state's future employer policy, comparable
across organisations because they played the same scenario under the same criteria.

Pure: it renders `ReportData` records the caller built (one per organisation); all text from
files is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from krise_ovelse.model.scenario import Level
from krise_ovelse.report.markdown import cell, md_escape, table
from krise_ovelse.report.plan import draft_plan
from krise_ovelse.report.view import ReportData

LEVELS = (Level.P, Level.S, Level.M, Level.U, Level.NO)

_TEXT = {
    "nb": {
        "title": "Nasjonal evalueringsrapport", "exercise": "Øvelse", "scenario": "Scenario",
        "orgs": "Virksomheter", "overview": "Oversikt",
        "overview_text": "{n} virksomheter øvde på samme scenario og ble vurdert etter de samme kriteriene. "
                         "Rapporten viser først vurderingene på tvers av virksomhetene og det de har felles, "
                         "deretter ett kapittel per virksomhet med dens tiltaksplan.",
        "across": "Vurdering per kriterium på tvers av virksomhetene", "criterion": "Kriterium",
        "name": "Navn", "chart": "Fordeling", "common": "Felles funn",
        "common_strengths": "Felles styrker", "common_improvements": "Felles forbedringsområder",
        "shared_by": "Delt av", "none": "Ingen funn er felles for to eller flere virksomheter.",
        "chapter": "Kapittel {n}: {name}", "index": "Indeks", "no_index": "ikke vurdert",
        "strengths": "Styrker", "improvements": "Forbedringsområder", "plan": "Tiltaksplan",
        "area": "Område", "action": "Tiltak", "owner": "Ansvarlig", "due": "Frist", "priority": "Prioritet",
        "no_plan": "Ingen tiltak: ingen forbedringsområder ble funnet.", "table_index": "Indeks per virksomhet",
        "organisation": "Virksomhet", "chart_legend": "P = lykkes, S = delvis, M = store utfordringer, "
                                                      "U = ikke gjennomført, N/O = ikke observert",
    },
    "en": {
        "title": "National evaluation report", "exercise": "Exercise", "scenario": "Scenario",
        "orgs": "Organisations", "overview": "Overview",
        "overview_text": "{n} organisations played the same scenario and were rated under the same criteria. "
                         "The report first shows the ratings across organisations and what they share, then "
                         "a chapter per organisation with its action plan.",
        "across": "Ratings per criterion across organisations", "criterion": "Criterion",
        "name": "Name", "chart": "Distribution", "common": "Common findings",
        "common_strengths": "Common strengths", "common_improvements": "Common areas for improvement",
        "shared_by": "Shared by", "none": "No finding is shared by two or more organisations.",
        "chapter": "Chapter {n}: {name}", "index": "Index", "no_index": "not rated",
        "strengths": "Strengths", "improvements": "Areas for improvement", "plan": "Action plan",
        "area": "Area", "action": "Action", "owner": "Owner", "due": "Due", "priority": "Priority",
        "no_plan": "No actions: no area for improvement was found.", "table_index": "Index per organisation",
        "organisation": "Organisation", "chart_legend": "P = performed, S = some challenges, M = major "
                                                        "challenges, U = unable to perform, N/O = not observed",
    },
}


@attrs.frozen
class Chapter:
    """One organisation's part: its id, its name and its report data (scored)."""

    org_id: str
    name: str
    data: ReportData


def _number(value: float | None, lang: str) -> str:
    if value is None:
        return _TEXT[lang]["no_index"]
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return text.replace(".", ",") if lang == "nb" else text


def level_counts(chapters: Sequence[Chapter]) -> dict[str, dict[Level, list[str]]]:
    """Criterion id -> level -> the organisations that reached it (final level)."""
    counts: dict[str, dict[Level, list[str]]] = {}
    for chapter in chapters:
        for rating in chapter.data.result.ratings:
            counts.setdefault(rating.criterion, {level: [] for level in LEVELS})[rating.final].append(chapter.org_id)
    return counts


def shared_findings(chapters: Sequence[Chapter], strengths: bool, lang: str = "nb") -> list[tuple[str, str, list[str]]]:
    """(criterion, name, organisations) for findings two or more organisations share, most shared first."""
    found: dict[str, tuple[str, list[str]]] = {}
    for chapter in chapters:
        result = chapter.data.result
        for finding in result.strengths if strengths else result.improvements:
            found.setdefault(finding.criterion, (finding.name.get(lang), []))[1].append(chapter.org_id)
    shared = [(cid, name, orgs) for cid, (name, orgs) in found.items() if len(orgs) >= 2]
    return sorted(shared, key=lambda item: (-len(item[2]), item[0]))


def render_national(exercise: str, title: str, chapters: Sequence[Chapter], lang: str = "nb") -> str:
    """The national report as Markdown."""
    text = _TEXT["en" if lang == "en" else "nb"]
    lang = "en" if lang == "en" else "nb"
    scenario = chapters[0].data.scenario if chapters else None
    out = [f"# {md_escape(text['title'])}: {md_escape(title or exercise)}", ""]
    out += [f"- {text['exercise']}: {md_escape(exercise)}"]
    if scenario is not None:
        out += [f"- {text['scenario']}: {md_escape(scenario.title.get(lang))}"]
    out += [f"- {text['orgs']}: {len(chapters)}", "", f"## {text['overview']}", "",
            md_escape(text["overview_text"].format(n=len(chapters))), ""]
    out += [f"### {text['table_index']}", ""]
    out += table([text["organisation"], text["index"]],
                 ([cell(f"{c.name} ({c.org_id})"), cell(_number(c.data.result.index, lang))] for c in chapters),
                 ["l", "r"])
    out += ["", f"## {text['across']}", "", md_escape(text["chart_legend"]), ""]
    counts = level_counts(chapters)
    names = {r.criterion: r.name.get(lang) for c in chapters for r in c.data.result.ratings}
    rows = []
    for criterion in sorted(counts):
        by_level = counts[criterion]
        bar = " ".join(f"{level.value}{'█' * len(by_level[level])}" for level in LEVELS if by_level[level])
        rows.append([cell(criterion), cell(names.get(criterion, "")),
                     *(cell(str(len(by_level[level]))) for level in LEVELS), cell(bar)])
    out += table([text["criterion"], text["name"], *(level.value for level in LEVELS), text["chart"]], rows,
                 ["l", "l", "r", "r", "r", "r", "r", "l"])
    out += ["", f"## {text['common']}", ""]
    for strengths, heading in ((True, "common_strengths"), (False, "common_improvements")):
        out += [f"### {text[heading]}", ""]
        shared = shared_findings(chapters, strengths, lang)
        if not shared:
            out += [md_escape(text["none"]), ""]
            continue
        out += table([text["criterion"], text["name"], text["shared_by"]],
                     ([cell(cid), cell(name), cell(f"{len(orgs)}: {', '.join(orgs)}")] for cid, name, orgs in shared))
        out.append("")
    for number, chapter in enumerate(chapters, 1):
        result = chapter.data.result
        out += [f"## {md_escape(text['chapter'].format(n=number, name=chapter.name))}", "",
                f"{text['index']}: {_number(result.index, lang)}", ""]
        for heading, findings in ((text["strengths"], result.strengths), (text["improvements"], result.improvements)):
            out += [f"### {heading}", ""]
            out += [f"- {md_escape(f.criterion)} {md_escape(f.name.get(lang))} ({f.level.value})" for f in findings] \
                or ["–"]
            out.append("")
        plan = chapter.data.plan if chapter.data.plan is not None else draft_plan(result, lang)
        out += [f"### {text['plan']}", ""]
        if not plan.items:
            out += [md_escape(text["no_plan"]), ""]
            continue
        out += table([text["area"], text["action"], text["owner"], text["due"], text["priority"]],
                     ([cell(i.area), cell(i.action), cell(i.owner), cell(i.due),
                       cell(i.priority.value if i.priority is not None else "")] for i in plan.items))
        out.append("")
    return "\n".join(out).rstrip() + "\n"
