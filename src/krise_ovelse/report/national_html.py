"""The national report as one self-contained, printable HTML file.

The same page as the single-session report (its stylesheet, level badges and tables from
`report.html`): no script, no external resource, a Content-Security-Policy that allows
neither; the distribution of levels per criterion is an inline SVG (`svg.stacked_bars`)
drawn from escaped data. Every text from a file or a user (organisation names, scenario and
plan texts) passes through `html.escape`. In print every organisation's chapter starts on a
new page and tables keep their rows whole.
"""

from __future__ import annotations

from krise_ovelse.report.html import (
    CSS,
    _kv,
    _table,
    _td,
    classification_line,
    contents,
    document_end,
    document_start,
    esc,
    level_badge,
)
from krise_ovelse.report.national import LEVEL_CODES, SUGGESTION_MARK, Cell, NationalView
from krise_ovelse.report.svg import BarRow, stacked_bars
from krise_ovelse.report.view import FindingView

NATIONAL_CSS = """
table.matrix { font-size: .8rem; table-layout: auto; }
table.matrix th, table.matrix td { padding: .15rem .2rem; text-align: center; white-space: nowrap; }
table.matrix th.org, table.matrix td.org { text-align: left; white-space: normal; min-width: 10rem; }
table.matrix .level { min-width: 2.3em; font-size: .75rem; }
.mark { color: var(--muted); font-weight: bold; margin-left: .1em; }
ul.knowledge li { margin-bottom: .35rem; }
ul.findings { margin: .2rem 0 .8rem; }
@media print {
  section.chapter { break-before: page; page-break-before: always; }
  table.matrix, table.matrix .level { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _level(value: Cell) -> str:
    """A level badge; a suggestion (no evaluator reviewed it) dashed and marked."""
    if value.reviewed or value.level == "N/O":
        return f"<td>{level_badge(value.level)}</td>"
    return f'<td class="suggestion">{level_badge(value.level)}<span class="mark">{esc(SUGGESTION_MARK)}</span></td>'


def _findings(findings: tuple[FindingView, ...], dash: str) -> str:
    if not findings:
        return f"<p>{esc(dash)}</p>"
    items = []
    for f in findings:
        mark = "" if f.reviewed else f'<span class="mark">{esc(SUGGESTION_MARK)}</span>'
        items.append(f"<li>{level_badge(f.level)}{mark} {esc(f.criterion)} {esc(f.name)}</li>")
    return '<ul class="findings">' + "".join(items) + "</ul>"


def render_html(view: NationalView) -> str:
    """The whole national report as one HTML document (UTF-8, self-contained)."""
    m = view.m
    toc = [("overview", m["nat_overview"]), ("across", m["nat_across"]), ("common", m["nat_common"]),
           ("knowledge", m["nat_knowledge"])]
    toc += [(f"org-{c.org_id}", c.title) for c in view.chapters]
    toc.append(("legend", m["legend"]))
    out = [
        *document_start(view.lang, view.title, CSS + NATIONAL_CSS),
        "<header>",
        classification_line(view.classification),
        f"<h1>{esc(view.title)}</h1>",
        f'<p class="subtitle">{esc(m["nat_subtitle"])}</p>',
        _kv(view.facts),
        "</header>",
        contents(m["contents"], toc),
        "<main>",
    ]

    out.append(f'<section id="overview"><h2>{esc(m["nat_overview"])}</h2><p>{esc(view.overview)}</p>')
    out.append(f'<div class="keep"><h3>{esc(m["nat_index_table"])}</h3>'
               + _table([m["nat_organisation"], m["index"], m["nat_rated"], m["nat_reviewed"]],
                        ((_td(name), _td(index, "num"), _td(rated, "num"), _td(reviewed, "num"))
                         for name, index, rated, reviewed in view.index_rows), num=[1, 2, 3])
               + f'<p class="note">{esc(m["index_note"])}</p></div></section>')

    out.append(f'<section id="across"><h2>{esc(m["nat_across"])}</h2>')
    out.append(f'<h3>{esc(m["nat_distribution"])}</h3>'
               f'<p class="note">{esc(m("nat_distribution_note", count=view.org_count))}</p>')
    labels = {code: label for code, label, _ in view.legend}
    bars = [BarRow(f"{row.criterion} {row.name}", tuple(
        (code, row.count(code), f"{row.criterion} {code}: {row.count(code)} ({', '.join(_names(view, row.orgs(code)))})"
         ) for code in LEVEL_CODES)) for row in view.criteria]
    out.append("<figure>" + stacked_bars(bars, title=m("nat_chart_title", count=view.org_count),
                                         legend=[(code, labels.get(code, "")) for code in LEVEL_CODES])
               + "</figure>")
    out.append('<div class="keep">' + _table(
        [m["criterion"], m["nat_org_name"], *LEVEL_CODES],
        ((_td(row.criterion), _td(row.name), *(_td(row.count(code), "num") for code in LEVEL_CODES))
         for row in view.criteria), num=[2, 3, 4, 5, 6]) + "</div>")
    out.append(f'<h3>{esc(m["nat_matrix"])}</h3>'
               f'<p class="note">{esc(m("nat_matrix_note", mark=SUGGESTION_MARK))}</p>')
    head = f'<th class="org">{esc(m["nat_organisation"])}</th>' + "".join(
        f'<th title="{esc(row.name)}">{esc(row.criterion)}</th>' for row in view.criteria)
    body = "\n".join(f'<tr><td class="org">{esc(name)}</td>' + "".join(_level(c) for c in cells) + "</tr>"
                     for name, cells in view.matrix)
    out.append(f'<table class="matrix"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>')

    out.append(f'<section id="common"><h2>{esc(m["nat_common"])}</h2><p class="note">{esc(m["nat_common_note"])}</p>')
    for heading, shared in ((m["nat_common_strengths"], view.common_strengths),
                            (m["nat_common_improvements"], view.common_improvements)):
        out.append(f'<div class="keep"><h3>{esc(heading)}</h3>')
        if shared:
            out.append(_table([m["criterion"], m["nat_org_name"], m["nat_shared_by"]],
                              ((_td(s.criterion), _td(s.name), _td(s.shared_by))
                               for s in shared)))
        else:
            out.append(f"<p>{esc(m['nat_none_shared'])}</p>")
        out.append("</div>")
    out.append("</section>")

    out.append(f'<section id="knowledge"><h2>{esc(m["nat_knowledge"])}</h2><p>{esc(m["nat_knowledge_intro"])}</p>'
               '<ul class="knowledge">' + "".join(f"<li>{esc(line)}</li>" for line in view.knowledge)
               + "</ul></section>")

    for chapter in view.chapters:
        out.append(f'<section class="chapter" id="org-{esc(chapter.org_id)}"><h2>{esc(chapter.title)}</h2>'
                   f"<p>{esc(chapter.summary)}</p>")
        out.append(f"<h3>{esc(m['nat_ratings'])}</h3>")
        if chapter.ratings:
            out.append(_table([m["criterion"], m["suggested"], m["final_rating"], m["status"]], (
                (_td(f"{r.criterion} {r.name}"), f"<td>{level_badge(r.suggested)}</td>",
                 _level(Cell(r.final, r.reviewed)), _td(r.status)) for r in chapter.ratings)))
        else:
            out.append(f"<p>{esc(m['nat_no_ratings'])}</p>")
        if chapter.not_observed:
            out.append(f'<p class="note"><strong>{esc(m["nat_not_observed"])}:</strong> '
                       f"{esc(', '.join(chapter.not_observed))}</p>")
        out.append(f'<div class="keep"><h3>{esc(m["strengths"])}</h3>{_findings(chapter.strengths, m["dash"])}</div>')
        out.append(f'<div class="keep"><h3>{esc(m["improvements"])}</h3>'
                   f'{_findings(chapter.improvements, m["dash"])}</div>')
        out.append(f"<h3>{esc(m['plan'])}</h3>")
        if chapter.plan:
            if chapter.plan_is_draft:
                out.append(f'<p class="note">{esc(m["plan_note"])}</p>')
            out.append(_table([m["plan_id"], m["action"], m["finding"], m["owner"], m["due"], m["priority"],
                               m["status"]],
                              ((_td(r.id), _td(r.action or r.area), _td(r.finding), _td(r.owner or m["dash"]),
                                _td(r.due or m["dash"], "time"), _td(r.priority), _td(r.status))
                               for r in chapter.plan)))
        else:
            out.append(f"<p>{esc(m['nat_no_plan'])}</p>")
        if chapter.session_id:
            out.append(f'<p class="note">{esc(m("nat_full_report", session=chapter.session_id))}</p>')
        out.append("</section>")

    out.append(f'<section id="legend" class="keep"><h2>{esc(m["legend"])}</h2>'
               + _table([m["level"], m["label"], m["meaning"]],
                        ((f"<td>{level_badge(code)}</td>", _td(label), _td(text)) for code, label, text in view.legend))
               + "</section>")
    out.append("</main>")
    out.append(document_end(m["footer"], view.classification))
    return "\n".join(out)


def _names(view: NationalView, org_ids: tuple[str, ...]) -> list[str]:
    names = {c.org_id: c.name for c in view.chapters}
    return [names.get(o, o) for o in org_ids]
