"""The national report: one report for a national exercise, in Markdown, HTML, Word and Excel.

Structure (as the evaluation reports of national exercises are built, Øvelse Tyr 2012 and
IKT16): an overview with each organisation's index; the ratings per criterion across every
organisation (the criterion × organisation table, and the distribution of levels per
criterion as a chart); the common strengths and areas for improvement (criteria that two or
more organisations share, with which ones); what the exercise adds to the knowledge base
(the report's third purpose: a knowledge base for the state's future employer policy,
comparable across organisations because they played the same scenario under the same
criteria); then a chapter per organisation with its ratings (unreviewed ones marked as
suggestions), strengths, areas for improvement and action plan (tiltaksplan).

`build_national_view` turns the chapters (one scored `ReportData` per organisation, from
`national.gather`) into a `NationalView` of plain strings, using each organisation's
single-session `ReportView` for its ratings, findings and plan, so both reports say the same
thing. The renderers (Markdown here; `national_html`, `national_docx`, `national_xlsx`) only
lay the view out and escape it for their format. Pure: no store, no textual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from krise_ovelse.messages import Messages
from krise_ovelse.model.scenario import Level
from krise_ovelse.report import report_plan
from krise_ovelse.report.markdown import cell, md_escape, table
from krise_ovelse.report.plan import PlanItem
from krise_ovelse.report.view import FindingView, PlanRow, RatingView, ReportData, build_view
from krise_ovelse.report.wording import one_line

#: Levels in the order the tables and the chart show them.
LEVELS = (Level.P, Level.S, Level.M, Level.U, Level.NO)
LEVEL_CODES = tuple(level.value for level in LEVELS)
#: How a level that no evaluator has reviewed is marked where colour and style cannot say it.
SUGGESTION_MARK = "*"
#: Formats of the national report; the output file's extension picks one (as `report` does).
FORMATS = ("md", "html", "docx", "xlsx")
#: Most criteria named in each line of the knowledge-base section.
KB_ITEMS = 3


@attrs.frozen
class Chapter:
    """One organisation's part: its id, its name and its report data (scored)."""

    org_id: str
    name: str
    data: ReportData


@attrs.frozen
class Cell:
    """One organisation's final level on one criterion; `reviewed` False: a suggestion."""

    level: str
    reviewed: bool = True


@attrs.frozen
class CriterionRow:
    """A criterion across organisations: per level (LEVEL_CODES order) the organisations there."""

    criterion: str
    name: str
    by_level: tuple[tuple[str, tuple[str, ...]], ...]

    def count(self, level: str) -> int:
        return next((len(orgs) for code, orgs in self.by_level if code == level), 0)

    def orgs(self, level: str) -> tuple[str, ...]:
        return next((orgs for code, orgs in self.by_level if code == level), ())


@attrs.frozen
class SharedFinding:
    """A finding two or more organisations share: who, and at which level each (a strength at
    S is also an area for improvement, so the level tells the reader which it mostly is)."""

    criterion: str
    name: str
    orgs: tuple[str, ...]  # organisation names
    levels: tuple[str, ...] = ()  # each one's level, in the same order

    @property
    def shared_by(self) -> str:
        """`2: NAV (P), DSB (S)`."""
        named = [f"{org} ({level})" for org, level in zip(self.orgs, self.levels, strict=False)] or list(self.orgs)
        return f"{len(self.orgs)}: {', '.join(named)}"


@attrs.frozen
class OrgChapter:
    number: int
    org_id: str
    name: str
    title: str  # "Kapittel 1: Arbeids- og velferdsetaten"
    session_id: str
    index: str
    rated: int
    reviewed: int
    summary: str
    ratings: tuple[RatingView, ...]  # rated criteria (not N/O), catalogue order
    not_observed: tuple[str, ...]  # "KH-6 Navn"
    strengths: tuple[FindingView, ...]
    improvements: tuple[FindingView, ...]
    plan: tuple[PlanRow, ...]
    plan_is_draft: bool
    plan_items: tuple[PlanItem, ...] = ()
    index_value: float | None = None  # the same measures, as the plan holds them (for the workbook)


@attrs.frozen
class NationalView:
    lang: str
    m: Messages
    exercise: str
    title: str  # the report's title line
    heading: str  # the exercise's title (or id)
    scenario_title: str
    facts: tuple[tuple[str, str], ...]
    overview: str
    index_rows: tuple[tuple[str, str, str, str], ...]  # (organisation, index, rated, reviewed)
    criteria: tuple[CriterionRow, ...]
    matrix: tuple[tuple[str, tuple[Cell, ...]], ...]  # (organisation name, a Cell per criterion)
    common_strengths: tuple[SharedFinding, ...]
    common_improvements: tuple[SharedFinding, ...]
    knowledge: tuple[str, ...]
    chapters: tuple[OrgChapter, ...]
    legend: tuple[tuple[str, str, str], ...]
    org_count: int
    classification: str = ""  # the line printed at the top and bottom (e.g. "Unntatt offentlighet")

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(row.criterion for row in self.criteria)


def shared_findings(chapters: Sequence[Chapter], strengths: bool,
                    lang: str = "nb") -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(criterion, name, [(organisation id, level)]) for findings two or more organisations
    share, most shared first."""
    found: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for chapter in chapters:
        result = chapter.data.result
        for finding in result.strengths if strengths else result.improvements:
            found.setdefault(finding.criterion, (one_line(finding.name.get(lang)), []))[1].append(
                (chapter.org_id, finding.level.value))
    shared = [(cid, name, orgs) for cid, (name, orgs) in found.items() if len(orgs) >= 2]
    return sorted(shared, key=lambda item: (-len(item[2]), item[0]))


def _knowledge(criteria: Sequence[CriterionRow], chapters: Sequence[OrgChapter], m: Messages,
               names: dict[str, str], exercise: str) -> list[str]:
    """What this exercise adds to the knowledge base, in sentences built from the ratings."""
    total = len(chapters)
    rated = sum(c.rated for c in chapters)
    reviewed = sum(c.reviewed for c in chapters)
    lines = [m("nat_kb_basis", ratings=rated, criteria=sum(1 for r in criteria if r.count("N/O") < total),
               orgs=total, reviewed=reviewed)]

    def poor(row: CriterionRow) -> int:
        return row.count("M") + row.count("U")

    def items(rows: Sequence[CriterionRow], key: str, count: Callable[[CriterionRow], int]) -> str:
        return "; ".join(m(key, criterion=r.criterion, name=r.name, count=count(r), total=total)
                         for r in rows) or m["nat_kb_none"]

    weak = sorted((r for r in criteria if poor(r)), key=lambda r: (-poor(r), -r.count("U"), r.criterion))[:KB_ITEMS]
    strong = sorted((r for r in criteria if r.count("P")), key=lambda r: (-r.count("P"), r.criterion))[:KB_ITEMS]
    lines.append(m("nat_kb_weak", items=items(weak, "nat_weak_item", poor)))
    lines.append(m("nat_kb_strong", items=items(strong, "nat_strong_item", lambda r: r.count("P"))))
    spread = sorted((r for r in criteria if r.count("P") and poor(r)),
                    key=lambda r: (-min(r.count("P"), poor(r)), r.criterion))[:KB_ITEMS]
    if spread:
        lines.append(m("nat_kb_spread", items="; ".join(
            m("nat_spread_item", criterion=r.criterion, name=r.name,
              good=", ".join(names[o] for o in r.orgs("P")),
              poor=", ".join(names[o] for o in (*r.orgs("M"), *r.orgs("U")))) for r in spread)))
    actions = sum(len(c.plan) for c in chapters)
    lines.append(m("nat_kb_plans", actions=actions, orgs=sum(1 for c in chapters if c.plan), total=total))
    if reviewed < rated:
        lines.append(m("nat_kb_suggestions", count=rated - reviewed))
    lines.append(m("nat_kb_data", exercise=exercise))
    return lines


def _number(value: float | None, m: Messages) -> str:
    if value is None:
        return m["nat_not_rated"]
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return text.replace(".", ",") if m.lang == "nb" else text


def build_national_view(exercise: str, title: str, chapters: Sequence[Chapter], lang: str = "nb",
                        evaluators: int | None = None, classification: str = "") -> NationalView:
    """The national report's content in `lang` (nb, or en; anything else: nb)."""
    m = Messages(lang, "report.")
    lang = m.lang
    names = {c.org_id: one_line(c.name) for c in chapters}
    org_chapters: list[OrgChapter] = []
    order: dict[str, str] = {}  # criterion id -> name, in catalogue (theme) order
    reviewed_of: dict[tuple[str, str], bool] = {}
    legend: tuple[tuple[str, str, str], ...] = ()
    for number, chapter in enumerate(chapters, 1):
        view = build_view(chapter.data, lang)
        legend = legend or view.legend
        ratings = [r for theme in view.themes for r in theme.ratings]
        for rating in ratings:
            order.setdefault(rating.criterion, one_line(rating.name))
            reviewed_of[(chapter.org_id, rating.criterion)] = rating.reviewed
        rated = [r for r in ratings if r.final != Level.NO.value]
        reviewed = sum(1 for r in rated if r.reviewed)
        index = _number(chapter.data.result.index, m)
        org_chapters.append(OrgChapter(
            number=number, org_id=chapter.org_id, name=names[chapter.org_id],
            title=m("nat_chapter", number=number, name=names[chapter.org_id]),
            session_id=chapter.data.session.session_id, index=index, rated=len(rated), reviewed=reviewed,
            summary=m("nat_chapter_summary", index=index, rated=len(rated), reviewed=reviewed),
            ratings=tuple(rated),
            not_observed=tuple(f"{r.criterion} {one_line(r.name)}" for r in ratings if r.final == Level.NO.value),
            strengths=view.strengths, improvements=view.improvements, plan=view.plan,
            plan_is_draft=view.plan_is_draft, plan_items=report_plan(chapter.data, lang).items,
            index_value=chapter.data.result.index))
    matrix = []
    by_level: dict[str, dict[str, list[str]]] = {cid: {code: [] for code in LEVEL_CODES} for cid in order}
    for chapter in chapters:
        finals = {r.criterion: r.final.value for r in chapter.data.result.ratings}
        cells = []
        for cid in order:  # a criterion another organisation's scenario rated, this one did not: N/O
            level = finals.get(cid, Level.NO.value)
            by_level[cid][level].append(chapter.org_id)
            cells.append(Cell(level, reviewed_of.get((chapter.org_id, cid), True)))
        matrix.append((names[chapter.org_id], tuple(cells)))
    criteria = tuple(CriterionRow(cid, name, tuple((code, tuple(by_level[cid][code])) for code in LEVEL_CODES))
                     for cid, name in order.items())

    def shared(strengths: bool) -> tuple[SharedFinding, ...]:
        return tuple(SharedFinding(cid, name, tuple(names[o] for o, _ in orgs), tuple(level for _, level in orgs))
                     for cid, name, orgs in shared_findings(chapters, strengths, lang))

    scenario = chapters[0].data.scenario if chapters else None
    scenario_title = one_line(scenario.title.get(lang)) if scenario is not None else ""
    heading = one_line(title) or exercise
    facts = [(m["nat_exercise"], f"{heading} ({exercise})" if heading != exercise else exercise)]
    if scenario_title:
        facts.append((m["scenario"], scenario_title))
    facts.append((m["nat_orgs"], str(len(chapters))))
    if evaluators is not None:
        facts.append((m["nat_evaluators"], str(evaluators)))
    return NationalView(
        lang=lang, m=m, exercise=exercise, title=f"{m['nat_title']}: {heading}", heading=heading,
        scenario_title=scenario_title, facts=tuple(facts),
        overview=m("nat_overview_text", count=len(chapters)),
        index_rows=tuple((c.name, c.index, str(c.rated), str(c.reviewed)) for c in org_chapters),
        criteria=criteria, matrix=tuple(matrix), common_strengths=shared(True), common_improvements=shared(False),
        knowledge=tuple(_knowledge(criteria, org_chapters, m, names, exercise)), chapters=tuple(org_chapters),
        legend=legend, org_count=len(chapters), classification=one_line(classification))


# --- Markdown ------------------------------------------------------------------------------------


def _mark(value: Cell) -> str:
    return value.level if value.reviewed or value.level == Level.NO.value else f"{value.level}{SUGGESTION_MARK}"


def bar_text(row: CriterionRow) -> str:
    """The distribution as text: `P██ S█ U█` (one block per organisation)."""
    return " ".join(f"{code}{'█' * row.count(code)}" for code in LEVEL_CODES if row.count(code))


def render_markdown(view: NationalView) -> str:
    """The national report as Markdown (GitHub-flavoured)."""
    m = view.m
    top = [f"**{md_escape(view.classification)}**", ""] if view.classification else []
    out = [*top, f"# {md_escape(view.title)}", "", f"*{md_escape(m['nat_subtitle'])}*", ""]
    out += [f"- {md_escape(k)}: {md_escape(v)}" for k, v in view.facts]
    out += ["", f"## {md_escape(m['nat_overview'])}", "", md_escape(view.overview), "",
            f"### {md_escape(m['nat_index_table'])}", ""]
    out += table([m["nat_organisation"], m["index"], m["nat_rated"], m["nat_reviewed"]],
                 ([cell(name), cell(index), cell(rated), cell(reviewed)]
                  for name, index, rated, reviewed in view.index_rows), ["l", "r", "r", "r"])
    out += ["", f"*{md_escape(m['index_note'])}*"]
    out += ["", f"## {md_escape(m['nat_across'])}", "", f"### {md_escape(m['nat_distribution'])}", "",
            md_escape(m("nat_distribution_note", count=view.org_count)), ""]
    out += table([m["criterion"], m["nat_org_name"], *LEVEL_CODES, m["nat_bar"]],
                 ([cell(r.criterion), cell(r.name), *(cell(str(r.count(code))) for code in LEVEL_CODES),
                   cell(bar_text(r))] for r in view.criteria), ["l", "l", "r", "r", "r", "r", "r", "l"])
    out += ["", f"### {md_escape(m['nat_matrix'])}", "",
            md_escape(m("nat_matrix_note", mark=SUGGESTION_MARK)), ""]
    out += table([m["nat_organisation"], *view.criterion_ids],
                 ([cell(name), *(cell(_mark(c)) for c in cells)] for name, cells in view.matrix),
                 ["l", *("c" for _ in view.criterion_ids)])
    out += ["", f"## {md_escape(m['nat_common'])}", "", md_escape(m["nat_common_note"]), ""]
    for heading, shared in ((m["nat_common_strengths"], view.common_strengths),
                            (m["nat_common_improvements"], view.common_improvements)):
        out += [f"### {md_escape(heading)}", ""]
        if not shared:
            out += [md_escape(m["nat_none_shared"]), ""]
            continue
        out += table([m["criterion"], m["nat_org_name"], m["nat_shared_by"]],
                     ([cell(s.criterion), cell(s.name), cell(s.shared_by)] for s in shared))
        out.append("")
    out += [f"## {md_escape(m['nat_knowledge'])}", "", md_escape(m["nat_knowledge_intro"]), ""]
    out += [f"- {md_escape(line)}" for line in view.knowledge]
    out.append("")
    for chapter in view.chapters:
        out += [f"## {md_escape(chapter.title)}", "", md_escape(chapter.summary), ""]
        out += [f"### {md_escape(m['nat_ratings'])}", ""]
        if chapter.ratings:
            out += table([m["criterion"], m["suggested"], m["final_rating"], m["status"]],
                         ([cell(f"{r.criterion} {r.name}"), cell(r.suggested), cell(_mark(Cell(r.final, r.reviewed))),
                           cell(r.status)] for r in chapter.ratings), ["l", "c", "c", "l"])
        else:
            out.append(md_escape(m["nat_no_ratings"]))
        if chapter.not_observed:
            out += ["", f"{md_escape(m['nat_not_observed'])}: {md_escape(', '.join(chapter.not_observed))}"]
        out.append("")
        for heading, findings in ((m["strengths"], chapter.strengths), (m["improvements"], chapter.improvements)):
            out += [f"### {md_escape(heading)}", ""]
            out += [f"- {md_escape(f.criterion)} {md_escape(f.name)} ({md_escape(_mark(Cell(f.level, f.reviewed)))})"
                    for f in findings] or ["–"]
            out.append("")
        out += [f"### {md_escape(m['plan'])}", ""]
        if chapter.plan:
            if chapter.plan_is_draft:
                out += [f"*{md_escape(m['plan_note'])}*", ""]
            out += table([m["plan_id"], m["action"], m["finding"], m["owner"], m["due"], m["priority"], m["status"]],
                         ([cell(r.id), cell(r.action or r.area), cell(r.finding), cell(r.owner), cell(r.due),
                           cell(r.priority), cell(r.status)] for r in chapter.plan))
        else:
            out.append(md_escape(m["nat_no_plan"]))
        if chapter.session_id:
            out += ["", f"*{md_escape(m('nat_full_report', session=chapter.session_id))}*"]
        out.append("")
    out += [f"## {md_escape(m['legend'])}", ""]
    out += table([m["level"], m["label"], m["meaning"]], ([cell(c), cell(label), cell(text)]
                                                           for c, label, text in view.legend))
    out += ["", f"*{md_escape(m['footer'])}*"]
    if view.classification:
        out += ["", f"**{md_escape(view.classification)}**"]
    return "\n".join(out).rstrip() + "\n"


def render_national(exercise: str, title: str, chapters: Sequence[Chapter], lang: str = "nb") -> str:
    """The national report as Markdown."""
    return render_markdown(build_national_view(exercise, title, chapters, lang))


def render_national_bytes(view: NationalView, fmt: str) -> bytes:
    """The national report's file content: md, html, docx (the whole report in Word) or xlsx
    (every organisation's action plan, and the ratings across organisations, as a workbook)."""
    if fmt == "md":
        return render_markdown(view).encode("utf-8")
    if fmt == "html":
        from krise_ovelse.report.national_html import render_html

        return render_html(view).encode("utf-8")
    if fmt == "docx":
        from krise_ovelse.report.national_docx import render_docx

        return render_docx(view)
    if fmt == "xlsx":
        from krise_ovelse.report.national_xlsx import render_xlsx

        return render_xlsx(view)
    raise ValueError(f"unknown national report format {fmt!r} (use {', '.join(FORMATS)})")
