"""The after-action report as Markdown (GitHub-flavoured: headings, pipe tables).

All scenario, session and plan text is escaped: Markdown punctuation gets a backslash, so a
`<script>`, a `|` or a `**` in a title shows as typed and cannot break a table or inject HTML;
newlines inside a table cell become spaces. The only raw HTML we emit is `<br>` between our
own lines inside a table cell (rendered by GitHub, GitLab and most GFM renderers). Indicator
curves are unicode sparklines in a table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from krise_ovelse.report.svg import resample, sparkline
from krise_ovelse.report.view import FindingView, ReportView, evaluator_word

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_NUMBERED = re.compile(r"^(\d+)([.)])(?=\s|$)")
SPARK_POINTS = 24


def md_escape(text: str) -> str:
    """Inline text: Markdown punctuation backslash-escaped, whitespace collapsed to one line."""
    line = " ".join(str(text).split())
    line = _SPECIAL.sub(r"\\\1", line)
    # what would start a list or a setext heading at the start of a line
    numbered = _NUMBERED.match(line)
    if numbered:
        return f"{numbered.group(1)}\\{numbered.group(2)}{line[numbered.end():]}"
    if line[:1] in ("-", "+", "=", "#"):
        return "\\" + line
    return line


def cell(parts: str | Iterable[str]) -> str:
    """A table cell: each part escaped, parts joined with `<br>`; never empty."""
    items = [parts] if isinstance(parts, str) else list(parts)
    text = "<br>".join(md_escape(p) for p in items if p.strip())
    return text or "–"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], align: Sequence[str] | None = None) -> list[str]:
    """A GFM table; `rows` hold cells already made with `cell`."""
    align = align or ["l"] * len(headers)
    marks = {"l": "---", "c": ":---:", "r": "---:"}
    lines = ["| " + " | ".join(md_escape(h) for h in headers) + " |",
             "| " + " | ".join(marks[a] for a in align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _finding(finding: FindingView, view: ReportView, strength: bool) -> list[str]:
    m = view.m
    lines = [f"**{md_escape(finding.criterion)} {md_escape(finding.name)}: "
             f"{md_escape(finding.level)} ({md_escape(finding.label.lower())})**", ""]
    for item in finding.evidence:
        lines.append(f"- {md_escape(item)}")
    word = evaluator_word(finding, m)
    if word:
        lines.append(f"- {md_escape(word)}")
    if finding.evidence or word:
        lines.append("")
    if finding.interpretation:
        lines += [f"*{md_escape(m['interpretation'])}:* {md_escape(finding.interpretation)}", ""]
    if not strength:
        if finding.root_cause:
            lines += [f"*{md_escape(m['root_cause'])}:* {md_escape(finding.root_cause)}", ""]
        if finding.target and finding.level != "P":
            lines += [f"*{md_escape(m['target'])}:* {md_escape(finding.target)}", ""]
        if finding.measures:
            lines += [f"*{md_escape(m['measures'])}:* {md_escape(', '.join(finding.measures))}", ""]
    return lines


def render_markdown(view: ReportView) -> str:
    """The whole report as Markdown text (ends with one newline)."""
    m = view.m
    out: list[str] = [f"# {md_escape(view.title)}", ""]
    if view.classification:
        out += [f"**{md_escape(m['doc_classification'])}: {md_escape(view.classification)}**", ""]
    out += [f"*{md_escape(m['subtitle'])}*", ""]

    out += [f"## {md_escape(m['document_control'])}", ""]
    out += table(["", ""], ([f"**{md_escape(k)}**", cell(v)] for k, v in view.control))
    out.append("")

    # summary first: what a director reads
    out += [f"## {md_escape(m['summary'])}", ""]
    if view.summary:
        out += [md_escape(view.summary), ""]
    out += [f"**{md_escape(m['overall_picture'])}.** {md_escape(view.overall)}", ""]
    if view.key_findings:
        out += [f"**{md_escape(m['key_findings'])}**", ""]
        out += [f"{i}. {md_escape(text)}" for i, text in enumerate(view.key_findings, 1)]
        out.append("")

    out += [f"## {md_escape(m['about_exercise'])}", ""]
    out += [f"- **{md_escape(k)}:** {md_escape(v)}" for k, v in view.overview]
    out.append("")
    if view.participants:
        out += [f"**{md_escape(m['participants'])}:** " + md_escape("; ".join(view.participants)), ""]
    if view.roles:
        out += [f"**{md_escape(m['roles'])}:** " + md_escape("; ".join(name for name, _ in view.roles)), ""]

    # goals
    out += [f"## {md_escape(m['goal_achievement'])}", "", f"*{md_escape(m['goal_note'])}*", ""]
    if view.goals:
        out += table([m["number"], m["goal"], m["assessment"], m["criteria"], m["evaluator_words"]],
                     ([str(g.number), cell(g.text), f"**{md_escape(g.verdict)}**",
                       cell(", ".join(f"{c} ({level})" for c, _, level in g.criteria)), cell(g.words)]
                      for g in view.goals), ["r", "l", "l", "l", "l"])
    else:
        out.append(md_escape(m["none_found"]))
    out.append("")

    # findings by theme
    out += [f"## {md_escape(m['findings'])}", ""]
    for theme in view.findings:
        out += [f"### {md_escape(f'{theme.id} {theme.name}: {theme.level} ({theme.mean})')}", ""]
        for heading, items, strength in ((m["strengths"], theme.strengths, True),
                                         (m["improvements"], theme.improvements, False)):
            if not items:
                continue
            out += [f"#### {md_escape(heading)}", ""]
            for finding in items:
                out += _finding(finding, view, strength)

    # plan
    out += [f"## {md_escape(m['plan'])}", ""]
    if view.plan_is_draft:
        out += [f"*{md_escape(m['plan_note'])}*", ""]
    if view.plan:
        out += table([m["plan_id"], m["action"], m["finding"], m["element"], m["owner"], m["due"], m["priority"],
                      m["status"]],
                     ([cell(r.id), cell(r.action or r.area), cell(r.finding), cell(r.element), cell(r.owner),
                       cell(r.due), cell(r.priority), cell(r.status)] for r in view.plan))
    else:
        out.append(md_escape(m["no_plan_items"]))
    out.append("")
    if view.plan_uncovered:
        out += [f"**{md_escape(m['plan_uncovered'])}:** {md_escape('; '.join(view.plan_uncovered))}", ""]
    if view.follow_up:
        out += [f"### {md_escape(m['follow_up'])}", ""]
        out += table([m["plan_id"], m["action"], m["finding"], m["status"], m["follow_up_now"]],
                     ([cell(r.id), cell(r.action), cell(r.criterion), cell(r.status), cell(r.now)]
                      for r in view.follow_up))
        out.append("")

    # hotwash and feedback
    out += [f"## {md_escape(m['hotwash'])}", ""]
    if view.hotwash:
        out += [f"*{md_escape(m['hotwash_note'])}*", ""]
        for heading, texts in view.hotwash:
            out += [f"**{md_escape(heading)}**", ""] + [f"- {md_escape(t)}" for t in texts] + [""]
    else:
        out += [md_escape(m["none_recorded"]) + ".", ""]
    out += [f"## {md_escape(m['feedback'])}", ""]
    if view.feedback.responses:
        out += [md_escape(m["feedback_note"].format(count=view.feedback.responses)), ""]
        if view.feedback.scales:
            out += table([m["feedback_question"], m["feedback_answers"], m["feedback_mean"], m["feedback_spread"]],
                         ([cell(f"{s.question} (1 = {s.low}, 5 = {s.high})"), cell(str(s.answers)), cell(s.mean),
                           cell(s.spread)] for s in view.feedback.scales), ["l", "r", "r", "l"])
            out.append("")
        for question, answers in view.feedback.comments:
            out += [f"**{md_escape(question)}**", ""] + [f"- {md_escape(a)}" for a in answers] + [""]
    else:
        out += [md_escape(m["none_recorded"]) + ".", ""]

    out += [f"## {md_escape(m['exercise_evaluation'])}", ""]
    out += [f"- **{md_escape(k)}:** {md_escape(v)}" for k, v in view.exercise_eval]
    out += [f"- {md_escape(note)}" for note in view.exercise_notes]
    out.append("")

    out += [f"## {md_escape(m['method_and_data'])}", "", md_escape(m["method_text"]), ""]
    out += [f"- **{md_escape(k)}:** {md_escape(v)}" for k, v in view.method]
    out += ["", f"**{md_escape(m['limitations'])}**", ""] + [f"- {md_escape(t)}" for t in view.limitations]
    out += ["", f"**{md_escape(m['legend'])}**", ""]
    out += table([m["level"], m["label"], m["meaning"]], ([f"**{md_escape(code)}**", cell(label), cell(text)]
                                                            for code, label, text in view.legend), ["c", "l", "l"])
    out.append("")

    # appendices
    out += [f"## {md_escape(m['appendix_timeline'])}", ""]
    out += table([m["time"], m["kind"], m["what"], m["details"]],
                 ([cell(r.time), cell(r.kind), cell(r.what), cell(r.details)] for r in view.timeline))
    out.append("")

    out += [f"## {md_escape(m['appendix_indicators'])}", ""]
    rows = []
    for ind in view.indicators:
        values = resample(ind.samples, ind.samples[0][0] if ind.samples else 0.0, ind.end, SPARK_POINTS)
        name = f"{ind.name} ({ind.note})" if ind.note else ind.name
        rows.append([cell(name), cell(ind.start), cell(ind.min), cell(ind.max), cell(ind.final), cell(ind.mean),
                     f"`{sparkline(values, ind.y_min, ind.y_max)}`" if values else "–"])
    out += table([m["indicator"], m["start"], m["min"], m["max"], m["final"], m["mean"], m["course"]], rows,
                 ["l", "r", "r", "r", "r", "r", "l"])
    out.append("")

    out += [f"## {md_escape(m['appendix_ratings'])}", "", md_escape(m["ratings_note"]), ""]
    for rated in view.themes:
        out += [f"### {md_escape(f'{rated.id} {rated.name}: {rated.level} ({rated.mean})')}", ""]
        rows = []
        for rating in rated.ratings:
            evidence = rating.notes
            final = f"**{md_escape(rating.final)}**" if rating.reviewed else (
                f"_{md_escape(rating.final)} ({md_escape(rating.status)})_")
            rows.append([cell(f"{rating.criterion} {rating.name}"), cell(rating.suggested), final, cell(evidence)])
        out += table([m["criterion"], m["suggested"], m["final_rating"], m["evidence"]], rows, ["l", "c", "c", "l"])
        out.append("")

    out += [f"## {md_escape(m['appendix_learning'])}", ""]
    out += table(
        [m["learning_point"], m["rating"], m["points_mean"], m["drawn_on"]],
        ([cell(f"{p.id} {p.title}"), cell(p.level), cell(p.mean),
          cell(", ".join(f"{c} ({level})" for c, _, level in p.criteria) or "–")] for p in view.learning_points),
        ["l", "c", "r", "l"])
    out += ["", f"*{md_escape(m['footer'])}*"]
    if view.classification:
        out += ["", f"**{md_escape(m['doc_classification'])}: {md_escape(view.classification)}**"]
    return "\n".join(out) + "\n"
