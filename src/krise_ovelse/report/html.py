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
from krise_ovelse.report.view import FindingView, ReportView, evaluator_word

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
td.suggestion .level { opacity: .6; outline: 2px dashed var(--muted); outline-offset: 1px; }
td.suggestion .status { color: var(--muted); font-style: italic; font-size: .85em; }
.chart { max-width: 100%; height: auto; display: block; margin: .3rem 0 1rem; }
.finding { border: 1px solid var(--line); border-radius: 4px; padding: .2rem .9rem .6rem; margin: .7rem 0; }
nav.toc ol { columns: 2; }
.kv th { width: 14rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
.classification { text-align: center; font-weight: bold; letter-spacing: .05em; margin: .3rem 0; }
.keyfindings li { margin-bottom: .3rem; }
.kv td, .kv th { padding: .2rem .5rem; }
h4 { margin: .8rem 0 .2rem; font-size: .98rem; }
@page { size: A4; margin: 18mm 16mm 18mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav.toc { display: none; }
  h1, h2, h3, h4 { break-after: avoid-page; page-break-after: avoid; }
  .keep { break-inside: avoid-page; page-break-inside: avoid; }
  h2.appendix { break-before: page; page-break-before: always; }
  h2.appendix ~ h2.appendix { break-before: page; }
  tr, .chart, .finding, figure, li { break-inside: avoid-page; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .level { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""



def document_start(lang: str, title: str, css: str) -> list[str]:
    """The opening of a self-contained report page up to <body>: one place for the policy that
    forbids scripts and outside resources, shared by the session and the national report."""
    return [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{esc(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
    ]


def classification_line(classification: str) -> str:
    """The document's classification (dokumentkontroll), shown above the title and below the
    footer; '' when none is given."""
    return f'<p class="classification">{esc(classification)}</p>' if classification else ""


def contents(heading: str, sections: Iterable[tuple[str, str]]) -> str:
    """The table of contents: a link to each (section id, title)."""
    return (f'<nav class="toc"><strong>{esc(heading)}</strong><ol>'
            + "".join(f'<li><a href="#{esc(key)}">{esc(label)}</a></li>' for key, label in sections)
            + "</ol></nav>")


def document_end(footer: str, classification: str) -> str:
    """The close of a report page after its </main>: the footer, the classification again, and
    the end of the document (the counterpart of `document_start`)."""
    return "\n".join(part for part in (f"<footer>{esc(footer)}</footer>", classification_line(classification),
                                        "</body>\n</html>\n") if part)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def level_badge(code: str) -> str:
    css = "NO" if code == "N/O" else code if code in ("P", "S", "M", "U") else "NO"
    return f'<span class="level level-{css}">{esc(code)}</span>'


def _rows(rows: Iterable[Iterable[str]]) -> str:
    return "\n".join("<tr>" + "".join(row) + "</tr>" for row in rows)


def _bullets(texts: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(text)}</li>" for text in texts) + "</ul>"


def _headed_bullets(level: int, heading: str, texts: Iterable[str]) -> str:
    """A heading and its list, kept together on one page."""
    return f'<div class="keep"><h{level}>{esc(heading)}</h{level}>{_bullets(texts)}</div>'


def _td(text: object, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f"<td{cls}>{esc(text)}</td>"


def _lines(parts: Iterable[str]) -> str:
    return "<br>".join(esc(p) for p in parts)


def _finding(finding: FindingView, view: ReportView, strength: bool) -> str:
    m = view.m
    out = ['<div class="finding">',
           f"<p><strong>{level_badge(finding.level)} {esc(finding.criterion)} {esc(finding.name)}</strong> "
           f'<span class="note">({esc(finding.label.lower())})</span></p>']
    items = [f"<li>{esc(e)}</li>" for e in finding.evidence]
    word = evaluator_word(finding, m)
    if word:
        items.append(f'<li class="override">{esc(word)}</li>')
    if items:
        out.append('<ul class="evidence">' + "".join(items) + "</ul>")
    if finding.interpretation:
        out.append(f'<p class="note"><strong>{esc(m["interpretation"])}:</strong> {esc(finding.interpretation)}</p>')
    if not strength:
        if finding.root_cause:
            out.append(f"<p><strong>{esc(m['root_cause'])}:</strong> {esc(finding.root_cause)}</p>")
        if finding.target and finding.level != "P":
            out.append(f"<p><strong>{esc(m['target'])}:</strong> {esc(finding.target)}</p>")
        if finding.measures:
            out.append(f"<p><strong>{esc(m['measures'])}:</strong> {esc(', '.join(finding.measures))}</p>")
    out.append("</div>")
    return "\n".join(out)


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], num: Iterable[int] = ()) -> str:
    numeric = set(num)
    num_class = ' class="num"'
    head = "".join(f"<th{num_class if i in numeric else ''}>{esc(h)}</th>" for i, h in enumerate(headers))
    return f"<table><thead><tr>{head}</tr></thead><tbody>" + _rows(rows) + "</tbody></table>"


def _kv(rows: Iterable[tuple[str, str]]) -> str:
    return '<table class="kv">' + _rows((f"<th>{esc(k)}</th>", _td(v)) for k, v in rows) + "</table>"


def render_html(view: ReportView) -> str:
    """The whole report as one HTML document (UTF-8, self-contained)."""
    m = view.m
    sections = [("summary", m["summary"]), ("overview", m["about_exercise"]), ("goals", m["goal_achievement"]),
                ("findings", m["findings"]), ("plan", m["plan"]), ("hotwash", m["hotwash"]),
                ("feedback", m["feedback"]), ("exercise", m["exercise_evaluation"]), ("method", m["method_and_data"]),
                ("timeline", m["appendix_timeline"]), ("indicators", m["appendix_indicators"]),
                ("ratings", m["appendix_ratings"]), ("learning", m["appendix_learning"])]
    out: list[str] = [
        *document_start(view.lang, view.title, CSS),
        "<header>",
    ]
    if view.classification:
        out.append(classification_line(view.classification))
    out += [f"<h1>{esc(view.title)}</h1>", f'<p class="subtitle">{esc(m["subtitle"])}</p>',
            f'<section class="keep"><h3>{esc(m["document_control"])}</h3>{_kv(view.control)}</section>',
            "</header>"]
    out.append(contents(m["contents"], sections))
    out.append("<main>")

    out.append(f'<section id="summary"><h2>{esc(m["summary"])}</h2>')
    if view.summary:
        out.append(f"<p>{esc(view.summary)}</p>")
    out.append(f"<p><strong>{esc(m['overall_picture'])}.</strong> {esc(view.overall)}</p>")
    if view.key_findings:
        out.append(f'<div class="keep"><h3>{esc(m["key_findings"])}</h3><ol class="keyfindings">'
                   + "".join(f"<li>{esc(k)}</li>" for k in view.key_findings) + "</ol></div>")
    out.append("</section>")

    out.append(f'<section id="overview"><h2>{esc(m["about_exercise"])}</h2>{_kv(view.overview)}')
    if view.participants:
        out.append(f"<p><strong>{esc(m['participants'])}:</strong> {esc('; '.join(view.participants))}</p>")
    if view.roles:
        out.append(f"<p><strong>{esc(m['roles'])}:</strong> {esc('; '.join(n for n, _ in view.roles))}</p>")
    out.append("</section>")

    out.append(f'<section id="goals"><h2>{esc(m["goal_achievement"])}</h2><p class="note">{esc(m["goal_note"])}</p>')
    if view.goals:
        out.append(_table([m["number"], m["goal"], m["assessment"], m["criteria"], m["evaluator_words"]], (
            (_td(g.number, "num"), _td(g.text), f"<td><strong>{esc(g.verdict)}</strong></td>",
             "<td>" + (", ".join(f"{esc(c)} {level_badge(level)}" for c, _, level in g.criteria) or esc(m["dash"]))
             + "</td>", f"<td>{_lines(g.words) or esc(m['dash'])}</td>") for g in view.goals), num=[0]))
    out.append("</section>")

    out.append(f'<section id="findings"><h2>{esc(m["findings"])}</h2>')
    for theme in view.findings:
        parts = [f"<h3>{esc(theme.id)} {esc(theme.name)}: {level_badge(theme.level)} "
                 f'<span class="note">({esc(theme.mean)})</span></h3>']
        for heading, items, strength in ((m["strengths"], theme.strengths, True),
                                         (m["improvements"], theme.improvements, False)):
            if items:
                parts.append(f'<div class="keep"><h4>{esc(heading)}</h4>{_finding(items[0], view, strength)}</div>')
                parts.extend(_finding(f, view, strength) for f in items[1:])
        if len(parts) == 1:
            parts = [f'<div class="keep">{parts[0]}<p class="note">{esc(m["not_in_play"])}</p></div>']
        out.append("\n".join(parts))
    out.append("</section>")

    out.append(f'<section id="plan"><h2>{esc(m["plan"])}</h2>')
    if view.plan_is_draft:
        out.append(f'<p class="note">{esc(m["plan_note"])}</p>')
    if view.plan:
        out.append(_table([m["plan_id"], m["action"], m["finding"], m["element"], m["owner"], m["due"],
                           m["priority"], m["status"]],
                          ((_td(r.id), _td(r.action or r.area), _td(r.finding), _td(r.element),
                            _td(r.owner or m["dash"]), _td(r.due or m["dash"], "time"), _td(r.priority),
                            _td(r.status)) for r in view.plan)))
    else:
        out.append(f"<p>{esc(m['no_plan_items'])}</p>")
    if view.plan_uncovered:
        out.append(f"<p><strong>{esc(m['plan_uncovered'])}:</strong> {esc('; '.join(view.plan_uncovered))}</p>")
    if view.follow_up:
        out.append(f'<div class="keep"><h3>{esc(m["follow_up"])}</h3>' + _table(
            [m["plan_id"], m["action"], m["finding"], m["status"], m["follow_up_now"]],
            ((_td(r.id), _td(r.action), _td(r.criterion), _td(r.status), f"<td>{level_badge(r.now)}</td>")
             for r in view.follow_up)) + "</div>")
    out.append("</section>")

    out.append(f'<section id="hotwash"><h2>{esc(m["hotwash"])}</h2>')
    if view.hotwash:
        out.append(f'<p class="note">{esc(m["hotwash_note"])}</p>')
        for heading, texts in view.hotwash:
            out.append(_headed_bullets(4, heading, texts))
    else:
        out.append(f"<p>{esc(m['none_recorded'])}.</p>")
    out.append("</section>")

    out.append(f'<section id="feedback"><h2>{esc(m["feedback"])}</h2>')
    feedback = view.feedback
    if feedback.responses:
        out.append(f"<p>{esc(m['feedback_note'].format(count=feedback.responses))}</p>")
        if feedback.scales:
            out.append(_table([m["feedback_question"], m["feedback_answers"], m["feedback_mean"],
                               m["feedback_spread"]],
                              ((f'<td>{esc(s.question)}<div class="note">1 = {esc(s.low)}, 5 = {esc(s.high)}</div>'
                                "</td>", _td(s.answers, "num"), _td(s.mean, "num"), _td(s.spread))
                               for s in feedback.scales), num=[1, 2]))
        for question, answers in feedback.comments:
            out.append(_headed_bullets(4, question, answers))
    else:
        out.append(f"<p>{esc(m['none_recorded'])}.</p>")
    out.append("</section>")

    out.append(f'<section id="exercise"><h2>{esc(m["exercise_evaluation"])}</h2>{_kv(view.exercise_eval)}')
    if view.exercise_notes:
        out.append(_bullets(view.exercise_notes))
    out.append("</section>")

    out.append(f'<section id="method"><h2>{esc(m["method_and_data"])}</h2><p>{esc(m["method_text"])}</p>'
               + _kv(view.method))
    out.append(_headed_bullets(3, m["limitations"], view.limitations))
    out.append(f'<div class="keep"><h3>{esc(m["legend"])}</h3>'
               + _table([m["level"], m["label"], m["meaning"]],
                        ((f"<td>{level_badge(code)}</td>", _td(label), _td(text)) for code, label, text in view.legend))
               + "</div></section>")

    # appendices
    out.append(f'<section id="timeline"><h2 class="appendix">{esc(m["appendix_timeline"])}</h2>')
    out.append(_table([m["time"], m["kind"], m["what"], m["details"]],
                      ((_td(r.time, "time"), _td(r.kind), _td(r.what), f"<td>{_lines(r.details)}</td>")
                       for r in view.timeline)))
    out.append("</section>")

    out.append(f'<section id="indicators"><h2 class="appendix">{esc(m["appendix_indicators"])}</h2>')
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

    out.append(f'<section id="ratings"><h2 class="appendix">{esc(m["appendix_ratings"])}</h2>'
               f'<p class="note">{esc(m["ratings_note"])}</p>')
    for rated in view.themes:
        rows = []
        for rating in rated.ratings:
            lines = []
            for e in rating.evidence:
                ref = f' <span class="ref">({esc(e.ref)})</span>' if e.ref else ""
                css = "" if e.counted else ' class="context"'
                lines.append(f"<li{css}><strong>{esc(e.level)}</strong> {esc(e.text)}{ref}</li>")
            if rating.override:
                lines.append(f'<li class="override">{esc(rating.override)}</li>')
            evidence = ('<ul class="evidence">' + "".join(lines) + "</ul>") if lines else esc(m["no_evidence"])
            rows.append((_td(f"{rating.criterion} {rating.name}"), f"<td>{level_badge(rating.suggested)}</td>",
                         f"<td>{level_badge(rating.final)}</td>" if rating.reviewed else
                         f'<td class="suggestion">{level_badge(rating.final)} '
                         f'<span class="status">{esc(rating.status)}</span></td>',
                         f'<td>{evidence}<div class="explain">{esc(rating.explain)}</div></td>'))
        out.append(f"<h3>{esc(rated.id)} {esc(rated.name)}: {level_badge(rated.level)} "
                   f'<span class="note">({esc(rated.mean)})</span></h3>'
                   + _table([m["criterion"], m["suggested"], m["final_rating"], m["evidence"]], rows))
    out.append("</section>")

    out.append(f'<section id="learning"><h2 class="appendix">{esc(m["appendix_learning"])}</h2>')
    out.append(_table([m["learning_point"], m["rating"], m["points_mean"], m["drawn_on"]], (
        (f"<td><strong>{esc(p.id)} {esc(p.title)}</strong>"
         + (f'<div class="note">{esc(p.text)}</div>' if p.text else "") + "</td>",
         f"<td>{level_badge(p.level)}</td>", _td(p.mean, "num"),
         "<td>" + (", ".join(f"{esc(c)} {level_badge(level)}" for c, _, level in p.criteria) or esc(m["dash"]))
         + "</td>") for p in view.learning_points), num=[2]))
    out.append("</section>")
    out.append("</main>")
    out.append(document_end(m["footer"], view.classification))
    return "\n".join(out)
