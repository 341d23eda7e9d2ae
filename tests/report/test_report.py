"""The after-action report: contents, both languages, escaping in HTML and Markdown, golden files.

Golden files: tests/report/golden/*.md hold the expected Markdown reports. When a change to the
report is intended, regenerate them and review the diff before committing:

    UPDATE_GOLDEN=1 pytest tests/report/test_report.py

Without UPDATE_GOLDEN the tests compare and fail on any difference.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

from krise_ovelse.messages.report import EN, NB
from krise_ovelse.report import (
    Plan,
    PlanItem,
    ReportData,
    SessionMeta,
    build_report,
    build_view,
    draft_plan,
    render_report,
)
from krise_ovelse.report.markdown import md_escape
from krise_ovelse.scoring import Choice, DecisionRecord, InjectRecord, Observation, ScoringInput

from .report_fixtures import SCENARIO_YAML, SESSION, load, mixed_run

GOLDEN = Path(__file__).parent / "golden"
EVIL = '<script>alert("x")</script>'


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs: review, then UPDATE_GOLDEN=1 to accept"


# --- golden Markdown -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_markdown_report_matches_golden(data: ReportData, lang: str) -> None:
    _golden(f"report-{lang}.md", render_report(data, "md", lang))


def test_markdown_report_with_a_plan_matches_golden(data: ReportData) -> None:
    plan = Plan(items=(
        PlanItem("Beslutninger kommer for sent", "Fast beslutningsmøte kl. 08 i krisen", "plan", "Direktør",
                 "2024-06-01", "KH-3"),
        PlanItem("Tillitsvalgte involveres for sent", "Avtale om drøfting på under en time", "organisation",
                 "HR-direktør", "2024-05-01", "KH-4"),
        PlanItem("Øve igjen", "Ny diskusjonsøvelse med rotasjon av nøkkelpersoner", "exercise", "Beredskap",
                 "Q4 2024"),
    ), scenario="rapportprove", language="nb")
    _golden("report-plan-nb.md", render_report(attrs.evolve(data, plan=plan), "md", "nb"))


# --- contents --------------------------------------------------------------------------------


def test_report_contains_every_section(data: ReportData) -> None:
    for lang, table in (("nb", NB), ("en", EN)):
        for fmt in ("md", "html"):
            text = render_report(data, fmt, lang)
            for key in ("document_control", "summary", "key_findings", "about_exercise", "goal_achievement",
                        "findings", "strengths", "improvements", "plan", "hotwash", "feedback",
                        "exercise_evaluation", "method_and_data", "limitations", "appendix_timeline",
                        "appendix_indicators", "appendix_ratings", "appendix_learning"):
                assert table[key] in text, (lang, fmt, key)


def test_overview(data: ReportData) -> None:
    view = build_view(data, "nb")
    overview = dict(view.overview)
    assert overview["Scenario"] == "Stormen – tre uker med hjemmekontor"
    assert overview["Dato"] == "2024-03-01"
    assert overview["Ledergruppe"] == "Ledergruppen DFP"
    assert overview["Øvingsleder"] == "Liv Øvingsleder"
    assert overview["Øvingsform"] == "Diskusjonsøvelse for ledergruppen"
    assert overview["Scenarioperiode"] == ("D+0 00:00 (5.2.2024) – D+16 16:00 (21.2.2024) "
                                           "(planlagt til D+21 00:00 (26.2.2024))")
    assert view.participants == ("Kari Nordmann (Direktør)", "Ola Hansen (HR-direktør)")
    assert view.roles == (("Direktør", ""), ("HR-direktør", "Eier personaltiltakene"))
    assert [g.text for g in view.goals] == ["Øve på rask informasjon", "Øve på samarbeid med tillitsvalgte",
                                            "Øve på å ta vare på de ansatte"]
    assert [g.verdict for g in view.goals] == ["Nådd", "I hovedsak nådd",
                                               "Kan ikke vurderes: målet er ikke knyttet til kriterier i scenarioet"]
    assert view.not_ended
    en = dict(build_view(data, "en").overview)
    assert en["Scenario period"] == ("D+0 00:00 (2024-02-05) – D+16 16:00 (2024-02-21) "
                                     "(planned to D+21 00:00 (2024-02-26))")
    assert en["Exercise form"] == "Discussion exercise for the leadership group"


def test_timeline(data: ReportData) -> None:
    rows = build_view(data, "nb").timeline
    kinds = [(r.kind_key, r.what.split()[0]) for r in rows]
    assert kinds == [
        ("phase", "Akuttfasen"), ("inject", "Uværet"), ("decision", "Første"), ("observation", "Direktøren"),
        ("inject", "Vi"), ("decision", "Kundesenteret"), ("decision", "Kundesenteret"), ("adhoc", "Strømbrudd"),
        ("skipped", "Verneombudet"), ("phase", "Langvarig"), ("inject", "Overtid"), ("decision", "Overtid"),
        ("observation", "Ledergruppen"), ("observation", "Fikk")]
    d01 = rows[2]
    assert d01.time == "D+0 08:00 (5.2.2024)"
    assert d01.details == (
        "Valg: Daglig status kl. 09 og spørrekanal", "Begrunnelse: Ærlig om det vi ikke vet",
        "Besluttet av: Kommunikasjonsdirektør",
        "Svartid: 12 min 30 s medregnet pauser (2 min 00 s på spilleklokka), 1 t i scenarioet")
    missed, revised = rows[5], rows[6]
    assert "Fristen gikk ut: standardvalget ble brukt" in missed.details
    assert "Endret fra: Pålegge flytting" in revised.details
    assert "Konsekvens: De tillitsvalgte kaller inn til møte i morgen." in revised.details
    assert not any(d.startswith("Konsekvens") for d in missed.details)  # b has no consequence
    assert (rows[7].kind, rows[7].what) == ("Innspill (ad hoc)", "Strømbrudd på regionkontoret")
    assert rows[7].details == ("Fra: Regiondirektør Nord", "Kanal: telefon",
                               "Tekst: Vi har ikke strøm | kan ikke logge på")
    assert rows[8].kind == "Utelatt innspill"
    assert rows[8].details == ("Grunn: Ikke nødvendig: ledergruppen tok det opp selv",)
    assert rows[11].details == ("Ikke avgjort da øvelsen sluttet",)
    assert rows[12].details == ("Notert av: Eva Evaluator", "Kriterier: OE-5 (S)")
    assert rows[13].details == ("Notert av: øvingsleder",)  # the console's "facilitator", in Norwegian
    en = build_view(data, "en").timeline
    assert en[7].details == ("From: Regiondirektør Nord", "Channel: phone",
                             "Text: Vi har ikke strøm | kan ikke logge på")
    assert en[8].details == ("Reason: Ikke nødvendig: ledergruppen tok det opp selv",)
    assert "Consequence: The unions call a meeting tomorrow." in en[6].details
    assert en[13].details == ("Noted by: facilitator",)


def test_a_confirmed_rating_is_not_an_override(data: ReportData) -> None:
    """The evaluator rated KH-5 at its suggested level (the console's `c`): a confirmation."""
    for lang, confirmed, override in (("nb", "Bekreftet av evaluator", "Overstyrt"),
                                      ("en", "Confirmed by the evaluator", "Overridden")):
        view = build_view(data, lang)
        kh5 = next(r for t in view.themes for r in t.ratings if r.criterion == "KH-5")
        assert (kh5.suggested, kh5.final, kh5.overridden, kh5.confirmed) == ("M", "M", False, True)
        assert kh5.override == confirmed  # no "M → M", no stock reason repeated, no "(facilitator)"
        assert kh5.explain in ("Median av M = M", "Median of M = M")  # the evaluator's word once, above
        finding = next(f for f in view.improvements if f.criterion == "KH-5")
        assert finding.confirmed and finding.note == ""
        for fmt in ("md", "html"):
            text = render_report(data, fmt, lang)
            assert f"{override}: bekreftet" not in text and "M → M" not in text
            assert "facilitator" not in text.replace("Facilitator", "") or lang == "en"
        md = render_report(data, "md", lang)
        section = md.split("**KH-5 ")[1].split("###")[0]
        assert f"- {confirmed}" in section and override not in section


def test_indicators(data: ReportData) -> None:
    load_view, trust_view = build_view(data, "nb").indicators
    assert (load_view.start, load_view.min, load_view.max, load_view.final) == ("40", "40", "72", "72")
    assert trust_view.note == "høyt er bra, skjult for øvingsdeltakerne under øvelsen"
    assert [g.label for g in load_view.guides] == ["KH-5 P ≤ 55", "KH-5 S ≤ 65", "KH-5 M ≤ 80"]
    assert load_view.gaps == ((3 * 1440.0, 14 * 1440.0),)
    html = render_report(data, "html", "nb")
    assert html.count("<svg") == 2
    assert "Belastning på nøkkelpersoner (lavt er bra)" in html


def test_ratings_carry_their_evidence(data: ReportData) -> None:
    view = build_view(data, "en")
    kh = view.themes[0]
    assert (kh.id, kh.level, kh.mean) == ("KH", "M", "2.50")
    kh4 = next(r for r in kh.ratings if r.criterion == "KH-4")
    assert [(e.level, e.source, e.ref) for e in kh4.evidence] == [
        ("U", "choice", "log no. 7"), ("P", "choice", "log no. 9"), ("M", "rule", "")]
    assert kh4.explain == "Median of P, M, U = M. Suggestion – not reviewed by an evaluator"
    oe3 = next(r for t in view.themes for r in t.ratings if r.criterion == "OE-3")
    assert (oe3.suggested, oe3.final, oe3.overridden) == ("M", "S", True)
    assert oe3.override == "Overridden (Eva Evaluator) M → S: Drøftingen kom i gang samme dag"
    kh2 = next(r for r in kh.ratings if r.criterion == "KH-2")
    assert kh2.evidence[1].level == "·" and "(context, not counted)" in kh2.evidence[1].text


def test_findings_and_learning_points(data: ReportData) -> None:
    view = build_view(data, "nb")
    assert [f.criterion for f in view.strengths] == ["KH-2", "OE-3", "OE-5", "DA-4"]
    # worst first; the criteria rated S follow: done, with room to do better
    assert [f.criterion for f in view.improvements] == ["KH-3", "KH-4", "KH-5", "OE-3", "OE-5", "DA-4"]
    kh5 = view.improvements[2]
    assert kh5.target.startswith("Ledergruppen finner rollene som bare én person kan fylle")
    assert kh5.evidence == ("Høyeste verdi av «Belastning på nøkkelpersoner» var 72 (P ≤ 55, S ≤ 65, M ≤ 80)",)
    lp1 = view.learning_points[0]
    assert (lp1.id, lp1.level, lp1.mean) == ("LP-1", "M", "2,50")
    assert lp1.criteria == (("OE-5", "Improvisasjonsevne og fleksibel oppgaveløsning", "S"),
                            ("KH-3", "Rask omstillings- og beslutningsevne", "M"))


def test_the_draft_plan_is_used_without_a_plan(data: ReportData) -> None:
    view = build_view(data, "nb")
    assert view.plan_is_draft
    assert [row.criterion for row in view.plan] == ["KH-3", "KH-4", "KH-5", "OE-3", "OE-5", "DA-4"]
    assert view.plan[0].element == "Organisasjon"  # KH-3's measure is about mandates: organisation
    assert [row.id for row in view.plan] == ["T1", "T2", "T3", "T4", "T5", "T6"]
    assert not view.plan[0].action.startswith("Mål:")
    assert NB["plan_note"] in render_report(data, "md", "nb")


def test_a_given_plan_replaces_the_draft_and_uncovered_areas_are_named(data: ReportData) -> None:
    plan = draft_plan(data.result).remove_item(1).with_item(0, owner="Direktør", element="training")
    view = build_view(attrs.evolve(data, plan=plan), "nb")
    assert not view.plan_is_draft
    assert [(row.criterion, row.owner, row.element) for row in view.plan][:2] == [
        ("KH-3", "Direktør", "Opplæring"), ("KH-5", "", "Organisasjon")]
    assert [row.criterion for row in view.plan][2:] == ["OE-3", "OE-5", "DA-4"]
    assert view.plan_uncovered == ("KH-4 Samarbeid mellom ledelse og tillitsvalgte",)
    md = render_report(attrs.evolve(data, plan=plan), "md", "nb")
    assert "**Forbedringspunkter uten tiltak i planen:** KH-4 Samarbeid mellom ledelse og tillitsvalgte" in md
    empty = render_report(attrs.evolve(data, plan=Plan()), "html", "en")
    assert EN["no_plan_items"] in empty


def test_a_finished_run_has_no_warning(scenario: object) -> None:
    record = attrs.evolve(mixed_run(), ended=True)
    data = build_report(load(), record)
    assert NB["not_ended"] not in render_report(data, "md", "nb")
    assert "**Ledergruppe:**" not in render_report(data, "md", "nb")  # no session facts given: not shown


def test_unknown_language_falls_back_to_norwegian(data: ReportData) -> None:
    assert render_report(data, "md", "de").startswith("# Evalueringsrapport:")
    with pytest.raises(ValueError, match="report format"):
        render_report(data, "pdf")


def test_message_tables_have_the_same_keys() -> None:
    assert set(NB) == set(EN)
    assert all(value.strip() for value in [*NB.values(), *EN.values()])


# --- escaping --------------------------------------------------------------------------------


def _evil_data() -> ReportData:
    text = SCENARIO_YAML.replace('title: {nb: "Stormen – tre uker med hjemmekontor"',
                                 f"title: {{nb: '{EVIL} | **fet** [lenke](http://x)'")
    text = text.replace('summary:\n  nb: "Et uvær', f'summary:\n  nb: "{EVIL.replace(chr(34), "")} Et uvær')
    scenario = load(text)
    record = ScoringInput(
        decisions=(DecisionRecord("d01", 2, 420, choices=(
            Choice("a", 3, 480, rationale=f"{EVIL}\nline two | cell\n# heading", decided_by=f"<b>{EVIL}</b>"),)),),
        observations=(Observation(f"obs {EVIL}", ("KH-2",), None, f"{EVIL} author", 4, 500),),
        injects=(InjectRecord("adhoc-1", 5, 600, title=f"Ad hoc {EVIL}", adhoc=True, sender=f"sender {EVIL}",
                              channel=f"<i>{EVIL}</i>", body=f"body {EVIL}\n# heading | cell"),
                 InjectRecord("i04", 6, 610, skipped=True, reason=f"reason {EVIL}")),
        end_minutes=1000)
    session = SessionMeta(session_id=EVIL, team=f"Lag {EVIL}", participants=(f"{EVIL} (rolle)",),
                          facilitator=EVIL, date=EVIL)
    plan = Plan(items=(PlanItem(f"area {EVIL}", f"action {EVIL} | x", "plan", f"owner {EVIL}", f"due {EVIL}"),))
    return build_report(scenario, record, session=session, plan=plan)


def test_html_escapes_all_scenario_and_participant_text() -> None:
    html = render_report(_evil_data(), "html", "nb")
    assert "<script" not in html.lower()
    assert "<b>" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 14
    for text in ("sender &lt;script&gt;", "body &lt;script&gt;", "reason &lt;script&gt;", "&lt;i&gt;"):
        assert text in html
    assert "[lenke](http://x)" in html  # shown as typed, not a link
    assert '<a href="http' not in html


class _Structure(HTMLParser):
    """Collects start tags and checks every element we open is closed in order."""

    VOID = frozenset({"meta", "br", "line", "rect", "circle", "polyline", "path"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            return
        self.stack.pop()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_html_is_well_nested_and_self_contained(data: ReportData, lang: str) -> None:
    html = render_report(data, "html", lang)
    parser = _Structure()
    parser.feed(html)
    parser.close()
    assert parser.problems == []
    assert parser.stack == []
    assert "script" not in parser.tags
    assert "link" not in parser.tags and "img" not in parser.tags and "iframe" not in parser.tags
    assert re.findall(r"https?://[^\s\"'<>]+", html) == ["http://www.w3.org/2000/svg"] * html.count("<svg")
    assert "@import" not in html and "url(" not in html
    assert "@media print" in html
    assert html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{lang}">' in html
    assert '<meta charset="utf-8">' in html


def test_html_of_the_evil_report_is_well_nested() -> None:
    parser = _Structure()
    parser.feed(render_report(_evil_data(), "html", "en"))
    assert parser.problems == [] and parser.stack == []


def _tables(md: str) -> list[list[str]]:
    tables: list[list[str]] = []
    current: list[str] = []
    for line in md.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def _cells(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def test_markdown_escapes_text_and_keeps_tables_intact() -> None:
    md = render_report(_evil_data(), "md", "nb")
    # every "<" is backslash-escaped, except our own <br> between lines in a cell
    assert re.search(r"(?<!\\)<(?!br>)", md) is None
    assert "\\<script\\>" in md
    assert "\\*\\*fet\\*\\*" in md and "\\[lenke\\]" in md
    for table in _tables(md):
        widths = {_cells(row) for row in table}
        assert len(widths) == 1, table
    # the rationale's newlines and pipe stay inside one cell
    row = next(line for line in md.splitlines() if "line two" in line)
    assert "line two \\| cell # heading" in row
    # no line of user text starts a heading
    assert not any(line.startswith("# heading") for line in md.splitlines())


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("a|b", "a\\|b"), ("*x*", "\\*x\\*"), ("<b>", "\\<b\\>"), ("a\nb", "a b"), ("# h", "\\# h"),
     ("- item", "\\- item"), ("1. item", "1\\. item"), ("D+0 08:00", "D+0 08:00"), ("a & b", "a \\& b"),
     ("back\\slash", "back\\\\slash"), ("`code`", "\\`code\\`"), ("~~s~~", "\\~\\~s\\~\\~"), ("æøå", "æøå")],
)
def test_md_escape(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


def test_session_meta_defaults() -> None:
    assert SESSION.team and SessionMeta().participants == ()


# --- the evaluators' work: who, checklists, reasoning, reconciliation, why (root cause) ----------


def test_the_evaluators_work_is_in_method_findings_and_summary(data: ReportData) -> None:
    from krise_ovelse.scoring import Observation, Override
    from krise_ovelse.scoring.inputs import ReasoningRating, TaskMark

    record = attrs.evolve(
        data.record,
        evaluators=(("Eva Evaluator", True), ("Per Observatør", False)),
        observations=(*data.record.observations,
                      Observation("Ingen kontakt med de tillitsvalgte", ("KH-4",), "U", "Per Observatør", 20, 3400,
                                  why="Krisestaben hadde ingen fast kanal til de tillitsvalgte")),
        task_marks=(TaskMark("KH-4", 1, "not_observed", by="Per Observatør"), TaskMark("KH-2", 1, "observed"),
                    TaskMark("KH-2", 2, "partly")),
        reasoning=(ReasoningRating("d01", "P", by="Eva Evaluator"),),
        reconciliations=(Override("KH-4", "U", "Begge evaluatorene så det samme", "Eva Evaluator", 30, 24100),))
    view = build_view(build_report(data.scenario, record, session=SESSION), "nb")
    method = dict(view.method)
    assert method["Evaluatorer"].startswith("Eva Evaluator (hovedevaluator), Per Observatør")
    assert method["Sjekklister"] == "3 markeringer; 2 kritiske oppgaver observert helt eller delvis"
    assert method["Vurdering av begrunnelser"] == ("1 vurderinger av ledergruppens begrunnelser; "
                                                   "1 samordninger av hovedevaluatoren")
    assert "samordnet" in method["Evaluatorenes gjennomgang"]
    kh4 = next(f for f in view.improvements if f.criterion == "KH-4")
    assert kh4.root_cause == "Krisestaben hadde ingen fast kanal til de tillitsvalgte"  # the evaluator's why
    assert kh4.reviewed
    unreviewed = [f for f in view.improvements if not f.reviewed]
    assert unreviewed and all("forslag, ikke gjennomgått av evaluator" in f.label for f in unreviewed)


def test_every_evidence_source_has_a_name_in_both_languages() -> None:
    from krise_ovelse.scoring.evidence import Source

    for table in (NB, EN):
        assert all(f"source_{source.value}" in table for source in Source)
