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
from krise_ovelse.report.view import FindingView, ReportView

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
    lines = [f"### {md_escape(finding.criterion)} {md_escape(finding.name)}: "
             f"{md_escape(finding.level)} ({md_escape(finding.label.lower())})", ""]
    if finding.description:
        lines += [md_escape(finding.description), ""]
    for item in finding.evidence:
        lines.append(f"- {md_escape(item)}")
    if finding.confirmed:
        note = f": {finding.note}" if finding.note else ""
        lines.append(f"- {md_escape(m['confirmed'] + note)}")
    elif finding.note:
        lines.append(f"- {md_escape(m['override'])}: {md_escape(finding.note)}")
    if finding.evidence or finding.note or finding.confirmed:
        lines.append("")
    if finding.descriptor:
        lines += [f"*{md_escape(m['level_reached'])}:* {md_escape(finding.descriptor)}", ""]
    if not strength and finding.target and finding.level != "P":
        lines += [f"*{md_escape(m['target'])}:* {md_escape(finding.target)}", ""]
    return lines


def render_markdown(view: ReportView) -> str:
    """The whole report as Markdown text (ends with one newline)."""
    m = view.m
    out: list[str] = [f"# {md_escape(view.title)}", ""]
    out += [f"*{md_escape(m['subtitle'])}*", ""]
    if view.summary:
        out += [md_escape(view.summary), ""]
    if view.not_ended:
        out += [f"> {md_escape(m['not_ended'])}", ""]

    # overview
    out += [f"## {md_escape(m['overview'])}", ""]
    out += [f"- **{md_escape(k)}:** {md_escape(v)}" for k, v in view.overview]
    out.append("")
    if view.participants:
        out += [f"**{md_escape(m['participants'])}**", ""] + [f"- {md_escape(p)}" for p in view.participants] + [""]
    if view.roles:
        out += [f"**{md_escape(m['roles'])}**", ""]
        for name, description in view.roles:
            out.append(f"- **{md_escape(name)}**" + (f" – {md_escape(description)}" if description else ""))
        out.append("")
    if view.goals:
        out += [f"**{md_escape(m['goals'])}**", ""] + [f"{i}. {md_escape(g)}" for i, g in enumerate(view.goals, 1)]
        out.append("")

    # at a glance
    out += [f"## {md_escape(m['at_a_glance'])}", ""]
    out += [f"**{md_escape(m['index'])}: {md_escape(view.index)} / 100.** {md_escape(m['index_note'])}", ""]
    out += table([code for code, _ in view.counts], [[str(n) for _, n in view.counts]], ["c"] * len(view.counts))
    out.append("")
    out += table([m["theme"], m["rating"], m["mean"].split(" (")[0]],
                 ([cell(f"{t.id} {t.name}"), cell(t.level), cell(t.mean)] for t in view.themes), ["l", "c", "r"])
    out.append("")

    # timeline
    out += [f"## {md_escape(m['timeline'])}", ""]
    out += table([m["time"], m["kind"], m["what"], m["details"]],
                 ([cell(r.time), cell(r.kind), cell(r.what), cell(r.details)] for r in view.timeline))
    out.append("")

    # indicators
    out += [f"## {md_escape(m['indicators'])}", ""]
    rows = []
    for ind in view.indicators:
        values = resample(ind.samples, ind.samples[0][0] if ind.samples else 0.0, ind.end, SPARK_POINTS)
        name = f"{ind.name} ({ind.note})" if ind.note else ind.name
        rows.append([cell(name), cell(ind.start), cell(ind.min), cell(ind.max), cell(ind.final), cell(ind.mean),
                     f"`{sparkline(values, ind.y_min, ind.y_max)}`" if values else "–"])
    out += table([m["indicator"], m["start"], m["min"], m["max"], m["final"], m["mean"], m["course"]], rows,
                 ["l", "r", "r", "r", "r", "r", "l"])
    out.append("")

    # ratings
    out += [f"## {md_escape(m['ratings'])}", "", md_escape(m["ratings_note"]), ""]
    for theme in view.themes:
        heading = f"{theme.id} {theme.name}: {theme.level} ({theme.mean})"
        out += [f"### {md_escape(heading)}", ""]
        rows = []
        for rating in theme.ratings:
            evidence = [f"{e.level} {e.text}" + (f" ({e.ref})" if e.ref else "") for e in rating.evidence]
            if rating.override:
                evidence.append(rating.override)
            evidence.append(rating.explain)
            rows.append([cell(f"{rating.criterion} {rating.name}"), cell(rating.suggested),
                         f"**{md_escape(rating.final)}**", cell(evidence)])
        out += table([m["criterion"], m["suggested"], m["final_rating"], m["evidence"]], rows, ["l", "c", "c", "l"])
        out.append("")

    # findings
    for heading, findings, strength in ((m["strengths"], view.strengths, True),
                                        (m["improvements"], view.improvements, False)):
        out += [f"## {md_escape(heading)}", ""]
        if not findings:
            out += [md_escape(m["none_found"]), ""]
        for finding in findings:
            out += _finding(finding, view, strength)

    # learning points
    out += [f"## {md_escape(m['learning_points'])}", ""]
    out += table(
        [m["learning_point"], m["rating"], m["mean"].split(" (")[0], m["drawn_on"]],
        ([cell(f"{p.id} {p.title}"), cell(p.level), cell(p.mean),
          cell(", ".join(f"{c} ({level})" for c, _, level in p.criteria) or "–")] for p in view.learning_points),
        ["l", "c", "r", "l"])
    out.append("")

    # plan
    out += [f"## {md_escape(m['plan'])}", ""]
    if view.plan_is_draft:
        out += [f"*{md_escape(m['plan_note'])}*", ""]
    if view.plan:
        out += table([m["number"], m["area"], m["action"], m["element"], m["owner"], m["due"]],
                     ([str(i), cell(r.area), cell(r.action), cell(r.element), cell(r.owner), cell(r.due)]
                      for i, r in enumerate(view.plan, 1)), ["r", "l", "l", "l", "l", "l"])
    else:
        out.append(md_escape(m["no_plan_items"]))
    out.append("")
    if view.plan_uncovered:
        out += [f"**{md_escape(m['plan_uncovered'])}:** {md_escape(', '.join(view.plan_uncovered))}", ""]

    # method
    out += [f"## {md_escape(m['method'])}", "", md_escape(m["method_text"]), ""]
    out += table([m["level"], m["label"], m["meaning"]], ([f"**{md_escape(code)}**", cell(label), cell(text)]
                                         for code, label, text in view.legend), ["c", "l", "l"])
    out += ["", f"*{md_escape(m['footer'])}*"]
    return "\n".join(out) + "\n"
