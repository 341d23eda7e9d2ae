"""The after-action report as one self-contained HTML file.

No network: no external stylesheets, fonts, scripts or images; the charts are inline SVG from
`report.svg`. There is no script at all. Every piece of scenario, session and plan text passes
through `html.escape`, so markup in a title or a rationale shows as typed. A print stylesheet
(`@media print`) drops the table of contents, keeps tables and charts from splitting across
pages, and starts the main sections on a new page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from krise_ovelse.report.svg import line_chart
from krise_ovelse.report.view import FindingView, ReportView

CSS = """
:root { --ink: #1d1d1f; --muted: #5a5a5f; --line: #d6d6db; --soft: #f4f5f7;
        --P: #1e7b3c; --S: #5f8f1f; --M: #b7791f; --U: #b3261e; --NO: #6b6b70; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); line-height: 1.45; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
.subtitle { color: var(--muted); margin-top: 0; }
.note { color: var(--muted); font-size: .92rem; }
.warning { border-left: 4px solid var(--M); background: #fff8e6; padding: .5rem .8rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.time { white-space: nowrap; }
.level { display: inline-block; min-width: 2.2em; text-align: center; font-weight: bold; color: #fff;
         border-radius: 3px; padding: 0 .3em; }
.level-P { background: var(--P); } .level-S { background: var(--S); } .level-M { background: var(--M); }
.level-U { background: var(--U); } .level-NO { background: var(--NO); }
ul.evidence { margin: 0; padding-left: 1.1rem; }
ul.evidence li.context { color: var(--muted); }
.ref { color: var(--muted); font-size: .85em; white-space: nowrap; }
.explain { color: var(--muted); font-size: .85em; }
.override { font-style: italic; }
.chart { max-width: 100%; height: auto; display: block; margin: .3rem 0 1rem; }
.finding { border: 1px solid var(--line); border-radius: 4px; padding: .2rem .9rem .6rem; margin: .7rem 0; }
nav.toc ol { columns: 2; }
.kv th { width: 14rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav.toc { display: none; }
  h2 { break-before: page; }
  h2.first { break-before: auto; }
  table, .chart, .finding, figure { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .level { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def level_badge(code: str) -> str:
    css = "NO" if code == "N/O" else code if code in ("P", "S", "M", "U") else "NO"
    return f'<span class="level level-{css}">{esc(code)}</span>'


def _rows(rows: Iterable[Iterable[str]]) -> str:
    return "\n".join("<tr>" + "".join(row) + "</tr>" for row in rows)


def _td(text: object, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f"<td{cls}>{esc(text)}</td>"


def _lines(parts: Iterable[str]) -> str:
    return "<br>".join(esc(p) for p in parts)


def _finding(finding: FindingView, view: ReportView, strength: bool) -> str:
    m = view.m
    out = ['<div class="finding">',
           f"<h3>{level_badge(finding.level)} {esc(finding.criterion)} {esc(finding.name)} "
           f'<span class="note">({esc(finding.label.lower())})</span></h3>']
    if finding.description:
        out.append(f'<p class="note">{esc(finding.description)}</p>')
    items = [f"<li>{esc(e)}</li>" for e in finding.evidence]
    if finding.confirmed:
        note = f": {finding.note}" if finding.note else ""
        items.append(f'<li class="override">{esc(m["confirmed"] + note)}</li>')
    elif finding.note:
        items.append(f'<li class="override">{esc(m["override"])}: {esc(finding.note)}</li>')
    if items:
        out.append('<ul class="evidence">' + "".join(items) + "</ul>")
    if finding.descriptor:
        out.append(f"<p><strong>{esc(m['level_reached'])}:</strong> {esc(finding.descriptor)}</p>")
    if not strength and finding.target and finding.level != "P":
        out.append(f"<p><strong>{esc(m['target'])}:</strong> {esc(finding.target)}</p>")
    out.append("</div>")
    return "\n".join(out)


def render_html(view: ReportView) -> str:
    """The whole report as one HTML document (UTF-8, self-contained)."""
    m = view.m
    sections = [("overview", m["overview"]), ("glance", m["at_a_glance"]), ("timeline", m["timeline"]),
                ("indicators", m["indicators"]), ("ratings", m["ratings"]), ("strengths", m["strengths"]),
                ("improvements", m["improvements"]), ("learning", m["learning_points"]), ("plan", m["plan"]),
                ("method", m["method"])]
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(view.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{esc(view.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{esc(view.title)}</h1>",
        f'<p class="subtitle">{esc(m["subtitle"])}</p>',
    ]
    if view.summary:
        out.append(f"<p>{esc(view.summary)}</p>")
    if view.not_ended:
        out.append(f'<p class="warning">{esc(m["not_ended"])}</p>')
    out.append("</header>")
    out.append(f'<nav class="toc"><strong>{esc(m["contents"])}</strong><ol>'
               + "".join(f'<li><a href="#{key}">{esc(label)}</a></li>' for key, label in sections)
               + "</ol></nav>")
    out.append("<main>")

    # overview
    out.append(f'<section id="overview"><h2 class="first">{esc(m["overview"])}</h2>')
    out.append('<table class="kv">' + _rows((f"<th>{esc(k)}</th>", _td(v)) for k, v in view.overview) + "</table>")
    if view.participants:
        out.append(f"<h3>{esc(m['participants'])}</h3><ul>"
                   + "".join(f"<li>{esc(p)}</li>" for p in view.participants) + "</ul>")
    if view.roles:
        out.append(f"<h3>{esc(m['roles'])}</h3><ul>" + "".join(
            f"<li><strong>{esc(name)}</strong>" + (f" – {esc(desc)}" if desc else "") + "</li>"
            for name, desc in view.roles) + "</ul>")
    if view.goals:
        out.append(f"<h3>{esc(m['goals'])}</h3><ol>" + "".join(f"<li>{esc(g)}</li>" for g in view.goals) + "</ol>")
    out.append("</section>")

    # at a glance
    out.append(f'<section id="glance"><h2>{esc(m["at_a_glance"])}</h2>')
    out.append(f"<p><strong>{esc(m['index'])}: {esc(view.index)} / 100.</strong> "
               f'<span class="note">{esc(m["index_note"])}</span></p>')
    out.append("<table><thead><tr>" + "".join(f"<th>{level_badge(code)}</th>" for code, _ in view.counts)
               + "</tr></thead><tbody><tr>" + "".join(f'<td class="num">{n}</td>' for _, n in view.counts)
               + "</tr></tbody></table>")
    out.append(f"<table><thead><tr><th>{esc(m['theme'])}</th><th>{esc(m['rating'])}</th>"
               f'<th class="num">{esc(m["mean"].split(" (")[0])}</th></tr></thead><tbody>'
               + _rows((_td(f"{t.id} {t.name}"), f"<td>{level_badge(t.level)}</td>", _td(t.mean, "num"))
                       for t in view.themes) + "</tbody></table>")
    out.append("</section>")

    # timeline
    out.append(f'<section id="timeline"><h2>{esc(m["timeline"])}</h2>')
    out.append(f"<table><thead><tr><th>{esc(m['time'])}</th><th>{esc(m['kind'])}</th><th>{esc(m['what'])}</th>"
               f"<th>{esc(m['details'])}</th></tr></thead><tbody>"
               + _rows((_td(r.time, "time"), _td(r.kind), _td(r.what), f"<td>{_lines(r.details)}</td>")
                       for r in view.timeline) + "</tbody></table>")
    out.append("</section>")

    # indicators
    out.append(f'<section id="indicators"><h2>{esc(m["indicators"])}</h2>')
    out.append(f'<p class="note">{esc(m["indicators_note"])}</p>')
    for ind in view.indicators:
        title = f"{ind.name} ({ind.note})" if ind.note else ind.name
        out.append("<figure>")
        out.append(line_chart(ind.samples, title=title, end=ind.end, y_min=ind.y_min, y_max=ind.y_max,
                              x_label=m["scenario_days"], phases=ind.phases, gaps=ind.gaps, guides=ind.guides))
        out.append(f'<figcaption class="note">{esc(m["start"])} {esc(ind.start)} · {esc(m["min"])} {esc(ind.min)}'
                   f" · {esc(m['max'])} {esc(ind.max)} · {esc(m['final'])} {esc(ind.final)}"
                   f" · {esc(m['mean'])} {esc(ind.mean)}</figcaption>")
        out.append("</figure>")
    out.append("</section>")

    # ratings
    out.append(f'<section id="ratings"><h2>{esc(m["ratings"])}</h2><p class="note">{esc(m["ratings_note"])}</p>')
    for theme in view.themes:
        out.append(f"<h3>{esc(theme.id)} {esc(theme.name)}: {level_badge(theme.level)} "
                   f'<span class="note">({esc(theme.mean)})</span></h3>')
        rows = []
        for rating in theme.ratings:
            items = []
            for e in rating.evidence:
                ref = f' <span class="ref">{esc(e.ref)}</span>' if e.ref else ""
                css = "" if e.counted else ' class="context"'
                items.append(f"<li{css}><strong>{esc(e.level)}</strong> {esc(e.text)}{ref}</li>")
            if rating.override:
                items.append(f'<li class="override">{esc(rating.override)}</li>')
            evidence = ('<ul class="evidence">' + "".join(items) + "</ul>") if items else esc(m["no_evidence"])
            rows.append((_td(f"{rating.criterion} {rating.name}"), f"<td>{level_badge(rating.suggested)}</td>",
                         f"<td>{level_badge(rating.final)}</td>",
                         f'<td>{evidence}<div class="explain">{esc(rating.explain)}</div></td>'))
        out.append(f"<table><thead><tr><th>{esc(m['criterion'])}</th><th>{esc(m['suggested'])}</th>"
                   f"<th>{esc(m['final_rating'])}</th><th>{esc(m['evidence'])}</th></tr></thead><tbody>"
                   + _rows(rows) + "</tbody></table>")
    out.append("</section>")

    # findings
    for key, heading, findings, strength in (("strengths", m["strengths"], view.strengths, True),
                                             ("improvements", m["improvements"], view.improvements, False)):
        out.append(f'<section id="{key}"><h2>{esc(heading)}</h2>')
        if not findings:
            out.append(f"<p>{esc(m['none_found'])}</p>")
        out.extend(_finding(f, view, strength) for f in findings)
        out.append("</section>")

    # learning points
    out.append(f'<section id="learning"><h2>{esc(m["learning_points"])}</h2>')
    out.append(f"<table><thead><tr><th>{esc(m['learning_point'])}</th><th>{esc(m['rating'])}</th>"
               f'<th class="num">{esc(m["mean"].split(" (")[0])}</th><th>{esc(m["drawn_on"])}</th></tr></thead><tbody>'
               + _rows((f"<td><strong>{esc(p.id)} {esc(p.title)}</strong>"
                        + (f'<div class="note">{esc(p.text)}</div>' if p.text else "") + "</td>",
                        f"<td>{level_badge(p.level)}</td>", _td(p.mean, "num"),
                        "<td>" + (", ".join(f"{esc(c)} {level_badge(level)}" for c, _, level in p.criteria)
                                  or esc(m["dash"])) + "</td>")
                       for p in view.learning_points) + "</tbody></table>")
    out.append("</section>")

    # plan
    out.append(f'<section id="plan"><h2>{esc(m["plan"])}</h2>')
    if view.plan_is_draft:
        out.append(f'<p class="note">{esc(m["plan_note"])}</p>')
    if view.plan:
        out.append(f'<table><thead><tr><th class="num">{esc(m["number"])}</th><th>{esc(m["area"])}</th>'
                   f"<th>{esc(m['action'])}</th><th>{esc(m['element'])}</th><th>{esc(m['owner'])}</th><th>{esc(m['due'])}</th></tr></thead><tbody>"
                   + _rows((_td(i, "num"), _td(r.area), _td(r.action), _td(r.element), _td(r.owner or m["dash"]),
                            _td(r.due or m["dash"], "time")) for i, r in enumerate(view.plan, 1))
                   + "</tbody></table>")
    else:
        out.append(f"<p>{esc(m['no_plan_items'])}</p>")
    if view.plan_uncovered:
        out.append(f"<p><strong>{esc(m['plan_uncovered'])}:</strong> {esc(', '.join(view.plan_uncovered))}</p>")
    out.append("</section>")

    # method
    out.append(f'<section id="method"><h2>{esc(m["method"])}</h2><p>{esc(m["method_text"])}</p>')
    out.append(f"<h3>{esc(m['legend'])}</h3>")
    out.append(f"<table><thead><tr><th>{esc(m['level'])}</th><th>{esc(m['label'])}</th><th>{esc(m['meaning'])}</th>"
               "</tr></thead><tbody>"
               + _rows((f"<td>{level_badge(code)}</td>", _td(label), _td(text)) for code, label, text in view.legend)
               + "</tbody></table></section>")
    out.append("</main>")
    out.append(f"<footer>{esc(m['footer'])}</footer>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)
