"""What `krise-ovelse lint` tells an author, line for line: each warning's position, code,
message and hint as rendered (`file:line:col: CODE message (hint)`), that lint only ever warns,
and where each warning starts and stops applying (the edges of its rule)."""

from __future__ import annotations

import pytest

from krise_ovelse.authoring.lint import lint_scenario
from krise_ovelse.model.problems import Problem, Severity

from .minimal_scenario import FOUR_PHASES, MINIMAL, load

NO_TRADEOFF_A = ("s.yaml:59:9: W-NO-TRADEOFF option 'a' of 'd01' is at least as good as every other on every "
                 "indicator and criterion (give it a cost somewhere (an indicator, a criterion, the mission) so "
                 "the choice is a real dilemma)")



def replace(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def decision(ident: str, opens_with: str, y_level: str = "S") -> str:
    """A decision block with options x (load +1, KH-2: S) and y (load +1, KH-2: `y_level`)."""
    return (f"  - id: {ident}\n    opens_with: {opens_with}\n    deadline: 1d\n    category: communication\n"
            f"    prompt: \"Hva nå?\"\n    options:\n"
            f"      - {{id: x, text: \"X\", effects: {{load: 1}}, evidence: {{KH-2: S}}}}\n"
            f"      - {{id: y, text: \"Y\", effects: {{load: 1}}, evidence: {{KH-2: {y_level}}}}}\n    default: x\n")


def lint(text: str) -> list[Problem]:
    result = load(text)
    assert result.scenario is not None and result.document is not None, [p.render() for p in result.problems]
    return lint_scenario(result.scenario, result.document)


def lines(text: str, code: str | None = None) -> list[str]:
    """The rendered warnings (of one code, or all) in the order lint reports them."""
    return [p.render() for p in lint(text) if code is None or p.code == code]


# --- the whole output -------------------------------------------------------------------------


def test_the_minimal_scenario_gets_exactly_one_warning() -> None:
    # option a beats b on KH-2 (P over U) and nothing has a `good` direction: no dilemma
    assert lines(MINIMAL) == [NO_TRADEOFF_A]


def test_lint_only_warns_it_never_reports_errors() -> None:
    text = replace("opens_with: i01", "opens_with: i03")  # a manual decision
    text = replace('when: "load >= 75 and not daily"', 'when: "trust > 150"', text)  # never true
    text = replace("after: 2d", "after: 31d", text)  # a follow-up after the end
    text = replace("sets: [daily]", "sets: [daily, unused]", text)
    problems = lint(text)
    assert {p.code for p in problems} >= {"W-MANUAL-DECISION", "W-NEVER-TRUE", "W-UNREACHABLE", "W-UNUSED-FLAG"}
    assert all(p.severity is Severity.WARNING and not p.is_error for p in problems)


# --- injects and decisions that never come ------------------------------------------------------


def test_a_condition_that_never_holds_is_shown_inside_the_condition_with_a_hint() -> None:
    # the column is that of the comparison that cannot hold
    text = replace('"load >= 75 and not daily"', '"trust > 150"')
    assert lines(text, "W-NEVER-TRUE") == [
        "s.yaml:35:18: W-NEVER-TRUE 'i02' is never released: its condition never holds: trust > 150 cannot "
        "hold: 'trust' stays within 0–100 (fix the condition, or release the inject another way)"]


def test_a_follow_up_due_after_the_end_is_unreachable_at_its_trigger() -> None:
    assert lines(replace("after: 2d", "after: 31d"), "W-UNREACHABLE") == [
        "s.yaml:44:14: W-UNREACHABLE the follow-up 'i04' is never released: it would be due at D+31 08:00 at "
        "the earliest, after the end of play (D+30 00:00) (list it in an option of a decision that opens, "
        "or shorten `after`)"]


def test_a_decision_whose_inject_never_comes_is_reported_at_its_opens_with() -> None:
    text = replace('"load >= 75 and not daily"', '"false"')
    text = replace("opens_with: i01", "opens_with: i02", text)
    text = replace("  - id: i05\n", "  - id: i06\n    at: D+0 08:00\n    channel: news\n    title: \"Start\"\n"
                   "  - id: i05\n", text)
    assert [line for line in lines(text, "W-UNREACHABLE") if "'d01'" in line] == [
        "s.yaml:58:17: W-UNREACHABLE 'd01' never opens: its inject 'i02' is never released "
        "(see the warning on that inject)"]


def test_a_decision_opened_by_a_manual_inject_is_pointed_out() -> None:
    assert lines(replace("opens_with: i01", "opens_with: i03"), "W-MANUAL-DECISION") == [
        "s.yaml:54:17: W-MANUAL-DECISION 'd01' opens only if the facilitator releases 'i03' "
        "(fine for a contingency; otherwise schedule the inject)"]


def test_a_decision_opened_by_a_scheduled_inject_is_not_manual() -> None:
    assert lines(MINIMAL, "W-MANUAL-DECISION") == []


# --- follow-ups near the end and in jumps ------------------------------------------------------

# d01 opens at D+0 08:00 with a 2d deadline; i04 follows option a `after` the choice; play ends
# at D+30 00:00, 712 h after the opening.


def test_a_follow_up_that_a_late_choice_pushes_past_the_end() -> None:
    assert lines(replace("after: 2d", "after: 29d"), "W-FOLLOWUP-LATE") == [
        "s.yaml:64:21: W-FOLLOWUP-LATE 'i04' is due after the end of play (D+30 00:00) if 'd01' is decided "
        "after D+1 00:00 (shorten its `after` or the deadline, or open the decision earlier)"]


def test_a_follow_up_due_exactly_at_the_end_if_chosen_at_once_is_late_but_reachable() -> None:
    text = replace("after: 2d", "after: 712h")
    (line,) = lines(text, "W-FOLLOWUP-LATE")
    assert "if 'd01' is decided after D+0 08:00" in line
    assert lines(text, "W-UNREACHABLE") == []


def test_a_follow_up_of_a_decision_opened_by_hand_may_come_from_the_start() -> None:
    # i03 is manual: d01 may open at D+0 00:00, so i04 30 days later is still in play
    manual = replace("opens_with: i01", "opens_with: i03")
    assert lines(replace("after: 2d", "after: 30d", manual), "W-UNREACHABLE") == []
    assert lines(replace("after: 2d", "after: 43201m", manual), "W-UNREACHABLE") == [
        "s.yaml:44:14: W-UNREACHABLE the follow-up 'i04' is never released: it would be due at D+30 00:01 at "
        "the earliest, after the end of play (D+30 00:00) (list it in an option of a decision that opens, "
        "or shorten `after`)"]


def test_a_follow_up_due_exactly_at_the_end_at_the_deadline_is_not_late() -> None:
    assert lines(replace("after: 2d", "after: 664h"), "W-FOLLOWUP-LATE") == []
    assert len(lines(replace("after: 2d", "after: 665h"), "W-FOLLOWUP-LATE")) == 1


def test_a_follow_up_without_after_comes_with_the_choice() -> None:
    # opened at D+29 12:00 with a deadline at the very end: chosen at the last minute, i04 still comes
    text = replace("    after: 2d\n", "")
    text = replace("at: D+0 08:00", "at: D+29 12:00", text)
    text = replace("deadline: 2d", "deadline: 12h", text)
    assert lines(text, "W-FOLLOWUP-LATE") == []


def test_a_follow_up_due_inside_a_jump() -> None:
    assert lines(replace("after: 2d", "after: 5d"), "W-IN-JUMP") == [
        "s.yaml:64:21: W-IN-JUMP 'i04' would be due at D+5 08:00, inside the jump after phase 'akutt': it is "
        "released on arrival at D+14 00:00 (shorten its `after`, or accept that it comes with the next phase)"]


@pytest.mark.parametrize(("after", "in_jump"), [
    ("64h", False),  # due D+3 00:00: the last minute of akutt
    ("3841m", True),  # D+3 00:01: the first minute of the jump
    ("327h", True),  # D+13 23:00
    ("328h", False),  # D+14 00:00: play arrives in lang
])
def test_the_edges_of_a_jump_for_follow_ups(after: str, in_jump: bool) -> None:
    assert len(lines(replace("after: 2d", f"after: {after}"), "W-IN-JUMP")) == in_jump


def test_a_jump_after_a_later_phase_is_found_past_phases_without_an_end() -> None:
    text = four_phases(replace("after: 2d", "after: 9d"))
    assert [line.split(" W-IN-JUMP ")[1] for line in lines(text, "W-IN-JUMP")] == [
        "'i04' would be due at D+9 08:00, inside the jump after phase 'b': it is released on arrival at "
        "D+10 00:00 (shorten its `after`, or accept that it comes with the next phase)"]


def test_a_jump_after_the_last_phase_arrives_at_the_end_of_play() -> None:
    text = replace("    compression: 10080\n", "    compression: 10080\n    ends: D+20\n")
    (line,) = lines(replace("after: 2d", "after: 25d", text), "W-IN-JUMP")
    assert "inside the jump after phase 'lang': it is released on arrival at D+30 00:00" in line


def test_follow_ups_of_a_later_decision_are_checked_after_an_unopened_one() -> None:
    # d00 (first) never opens; d01 (second) still gets its late follow-up reported
    never = decision("d00", "i03")
    text = replace("decisions:\n", "decisions:\n" + never, replace("after: 2d", "after: 29d"))
    text = replace("trigger: manual", 'when: "false"', text)
    assert len(lines(text, "W-FOLLOWUP-LATE")) == 1


# --- options ---------------------------------------------------------------------------------


def test_options_with_the_same_effects_and_an_option_without_evidence() -> None:
    text = replace("        evidence: {KH-2: U}\n", "")
    text = replace("effects: {trust: -10}", "effects: {load: +5, trust: +10}", text)
    assert lines(text) == [
        "s.yaml:59:7: W-SAME-EFFECTS all options of 'd01' have the same effect on the indicators "
        "(the choice should change the agency's state)",
        "s.yaml:65:9: W-NO-EVIDENCE option 'b' of 'd01' gives no evidence for any criterion "
        "(add `evidence: {KH-2: S}` or similar)"]


# --- trade-offs --------------------------------------------------------------------------------

DIRECTED = replace("initial: 60\n", "initial: 60\n    good: high\n",
                   replace("initial: 40\n", "initial: 40\n    good: low\n"))


def with_options(a: str, b: str, text: str = DIRECTED) -> str:
    """d01 with options a and b given as `effects; evidence` (either may be empty)."""
    def lines_of(option: str) -> str:
        effects, evidence = (part.strip() for part in option.split(";"))
        return "\n".join(f"        {key}: {{{value}}}" for key, value in (("effects", effects), ("evidence", evidence))
                         if value)
    text = replace("        effects: {load: +5, trust: +10}\n        evidence: {KH-2: P}", lines_of(a), text)
    return replace("        effects: {trust: -10}\n        evidence: {KH-2: U}", lines_of(b), text)


def no_tradeoff(text: str) -> list[str]:
    return [line.split(" W-NO-TRADEOFF ")[1].split(" is at least")[0] for line in lines(text, "W-NO-TRADEOFF")]


def test_the_dominating_option_is_named_where_it_stands() -> None:
    text = with_options("load: +5; KH-2: S", "load: -5; KH-2: S")
    assert lines(text, "W-NO-TRADEOFF") == [
        "s.yaml:67:9: W-NO-TRADEOFF option 'b' of 'd01' is at least as good as every other on every "
        "indicator and criterion (give it a cost somewhere (an indicator, a criterion, the mission) so the "
        "choice is a real dilemma)"]


@pytest.mark.parametrize(("a", "b", "dominating"), [
    ("trust: +1; KH-2: S", "trust: 0; KH-2: S", ["a"]),  # better on trust (good: high), equal elsewhere
    ("load: 0; KH-2: S", "trust: +1; KH-2: S", ["b"]),  # a missing effect counts as 0
    ("load: -1; KH-2: S", "; KH-2: S", ["a"]),  # load is good when low
    ("load: 2; KH-2: S", "load: 2; KH-2: S", []),  # equal on everything: neither is better
    ("trust: +5; KH-2: M", "trust: 0; KH-2: S", []),  # better on an indicator, worse on evidence
    ("trust: -5; KH-2: P", "trust: 0; KH-2: S", []),  # better on evidence, worse on an indicator
    ("trust: 0; KH-2: P", "trust: 0; KH-2: S", ["a"]),  # better on evidence alone
    ("trust: 0; KH-2: P", "trust: 0; KH-5: U", []),  # evidence for different criteria is not compared
    ("trust: 3, load: 1; KH-2: S", "trust: 1, load: 1; KH-2: S", ["a"]),  # better on one, equal on the other
])
def test_which_option_dominates(a: str, b: str, dominating: list[str]) -> None:
    assert no_tradeoff(with_options(a, b)) == [f"option {name!r} of 'd01'" for name in dominating]


def test_every_decision_without_a_dilemma_is_reported() -> None:
    # two decisions, each with a dominating option
    two = decision("d02", "i05", y_level="M")
    text = replace("scoring:\n", two + "scoring:\n")
    assert no_tradeoff(text) == ["option 'a' of 'd01'", "option 'x' of 'd02'"]


# --- criteria and indicators ---------------------------------------------------------------------


def test_a_criterion_nothing_gives_evidence_for() -> None:
    assert lines(replace("criteria: [KH-2, KH-5]", "criteria: [KH-2, KH-4, KH-5]"), "W-NO-EVIDENCE") == [
        "s.yaml:71:20: W-NO-EVIDENCE nothing gives evidence for 'KH-4' (add evidence in an option or a rule)"]


def test_criteria_get_evidence_from_options_and_from_rules() -> None:
    # KH-2 only from options, KH-5 only from a rule: neither is reported
    assert lines(MINIMAL, "W-NO-EVIDENCE") == []


def test_an_indicator_nothing_changes() -> None:
    text = replace("effects: {load: +5, trust: +10}", "effects: {load: +5}")
    text = replace("effects: {trust: -10}", "effects: {load: -10}", text)
    assert lines(text, "W-STATIC-INDICATOR") == [
        "s.yaml:21:9: W-STATIC-INDICATOR nothing changes 'trust' (give options effects on it, or a drift)"]


def test_indicators_moved_by_effects_alone_or_drift_alone_are_not_static() -> None:
    # trust: effects, no drift; load: drift and effects; then load with drift only
    assert lines(MINIMAL, "W-STATIC-INDICATOR") == []
    text = replace("effects: {load: +5, trust: +10}", "effects: {trust: +10}")
    assert lines(text, "W-STATIC-INDICATOR") == []


# --- languages -------------------------------------------------------------------------------

TINY = """\
schema_version: 1
id: tiny
title: {nb: "Liten", en: "Small"}
languages: [nb, en]
phases:
  - id: p
    title: {nb: Fase, en: Phase}
    starts: D+0
    compression: 720
ends: D+2
injects:
  - id: i01
    at: D+0 08:00
    channel: news
    title: {nb: "Nedstenging", en: "Lockdown"}
    body: {nb: "Alle jobber hjemme.", en: "Everyone works from home."}
"""


def test_a_fully_translated_scenario_has_no_language_warnings() -> None:
    assert lines(TINY) == []


def test_one_missing_translation_is_listed_without_a_summary() -> None:
    assert lines(replace("{nb: Fase, en: Phase}", "Fase", TINY)) == [
        "s.yaml:7:12: W-LANG-MISSING no 'en' text here (the scenario declares languages nb, en)"]


def test_two_missing_translations_get_a_summary_at_the_languages_key() -> None:
    text = replace("{nb: Fase, en: Phase}", "Fase", TINY)
    text = replace('{nb: "Nedstenging", en: "Lockdown"}', '"Nedstenging"', text)
    assert lines(text) == [
        "s.yaml:4:1: W-LANG-MISSING 2 texts have no 'en' text (each is listed) "
        "(translate them, or remove 'en' from `languages`)",
        "s.yaml:7:12: W-LANG-MISSING no 'en' text here (the scenario declares languages nb, en)",
        "s.yaml:15:12: W-LANG-MISSING no 'en' text here (the scenario declares languages nb, en)"]


# --- phases, flags, deadlines ------------------------------------------------------------------


def test_a_phase_without_scheduled_injects() -> None:
    assert lines(replace("at: D+15 09:00", "at: D+2 09:00"), "W-EMPTY-PHASE") == [
        "s.yaml:11:9: W-EMPTY-PHASE no injects are scheduled in 'lang'"]


@pytest.mark.parametrize("at", ["D+14 00:00", "D+30 00:00"])
def test_an_inject_at_the_first_or_last_minute_of_a_phase_counts_for_it(at: str) -> None:
    assert lines(replace("at: D+15 09:00", f"at: {at}"), "W-EMPTY-PHASE") == []




def four_phases(text: str = MINIMAL) -> str:
    """`text` with phases a (no end), b (D+5 to D+8, then a jump), c (no end), d."""
    text = replace(text[text.index("phases:"):text.index("ends: D+30")], FOUR_PHASES, text)
    return replace("drift: {akutt: 3/week, lang: 2/week}", "drift: {a: 3/week}", text)


def test_a_phase_without_an_end_lasts_until_the_next_one_starts() -> None:
    # injects at D+6 (in b) and D+20 (in d): a runs to D+5 and c to D+14, both empty
    text = four_phases()
    text = replace("at: D+0 08:00", "at: D+6 08:00", text)
    text = replace("at: D+15 09:00", "at: D+20 09:00", text)
    assert [line.split("scheduled in ")[1] for line in lines(text, "W-EMPTY-PHASE")] == ["'a'", "'c'"]


def test_a_flag_no_condition_reads() -> None:
    assert lines(replace("sets: [daily]", "sets: [daily, other]"), "W-UNUSED-FLAG") == [
        "s.yaml:63:23: W-UNUSED-FLAG no condition reads the flag 'other' (use it in a `when:` or remove it)"]


def test_a_flag_read_through_flag_call_is_used() -> None:
    assert lines(replace("not daily", "not flag(daily)"), "W-UNUSED-FLAG") == []


def test_a_deadline_in_a_jump() -> None:
    assert lines(replace("deadline: 2d", "deadline: 4d"), "W-IN-JUMP") == [
        "s.yaml:55:15: W-IN-JUMP the deadline of 'd01' falls in a jump, so it passes unseen "
        "(end the deadline before the phase ends)"]


def test_a_deadline_on_the_last_minute_of_a_phase_is_met_before_the_jump() -> None:
    # opened at D+0 08:00; akutt ends at D+3 00:00, 64 hours later
    assert lines(replace("deadline: 2d", "deadline: 64h"), "W-IN-JUMP") == []
    assert len(lines(replace("deadline: 2d", "deadline: 3841m"), "W-IN-JUMP")) == 1


def test_deadlines_of_later_decisions_are_checked_after_a_conditional_opener() -> None:
    # d00 opens with the conditional i02 (no fixed time); d01 after it still gets its warning
    first = decision("d00", "i02")
    text = replace("decisions:\n", "decisions:\n" + first, replace("deadline: 2d", "deadline: 4d"))
    assert len(lines(text, "W-IN-JUMP")) == 1


# --- names ---------------------------------------------------------------------------------------


def test_names_shared_across_kinds_point_at_the_first_use() -> None:
    roles = "roles: [akutt, load, i05, d01]\n"
    text = replace("phases:\n", roles + "phases:\n")
    assert lines(text, "W-NAME-CLASH") == [
        "s.yaml:5:9: W-NAME-CLASH 'akutt' names a role and a phase (line 7) "
        "(give things of different kinds different names)",
        "s.yaml:5:16: W-NAME-CLASH 'load' names a role and an indicator (line 18) "
        "(give things of different kinds different names)",
        "s.yaml:5:22: W-NAME-CLASH 'i05' names a role and an inject (line 49) "
        "(give things of different kinds different names)",
        "s.yaml:5:27: W-NAME-CLASH 'd01' names a role and a decision (line 54) "
        "(give things of different kinds different names)"]


def test_a_flag_named_like_an_inject_is_reported_where_the_flag_is_set() -> None:
    text = replace("sets: [daily]", "sets: [i05]").replace("not daily", "not i05")
    assert lines(text, "W-NAME-CLASH") == [
        "s.yaml:63:16: W-NAME-CLASH 'i05' names a flag and an inject (line 48) "
        "(give things of different kinds different names)"]


def test_a_decision_named_like_an_indicator_is_a_name_clash() -> None:
    # not an error (conditions read them in different places: `trust > 5`, `chose(trust, a)`)
    text = replace("  - id: d01\n", "  - id: trust\n")
    assert lines(text, "W-NAME-CLASH") == [
        "s.yaml:53:9: W-NAME-CLASH 'trust' names a decision and an indicator (line 21) "
        "(give things of different kinds different names)"]


def test_a_clash_points_at_the_id_even_when_it_is_not_the_first_key() -> None:
    text = replace("  - id: akutt\n    title: Akuttfasen\n", "  - title: Akuttfasen\n    id: akutt\n")
    text = replace("  - id: load\n    name: {nb: Belastning, en: Load}\n",
                   "  - name: {nb: Belastning, en: Load}\n    id: load\n", text)
    text = replace("  - id: i05\n    at: D+15 09:00\n", "  - at: D+15 09:00\n    id: i05\n", text)
    text = replace("  - id: d01\n    opens_with: i01\n", "  - opens_with: i01\n    id: d01\n", text)
    roles = ("roles:\n  - {name: Akutt, id: akutt}\n  - {name: Last, id: load}\n  - {name: Status, id: i05}\n"
             "  - {name: Valg, id: d01}\n")
    text = replace("phases:\n", roles + "phases:\n", text)
    assert [line.split(" (give")[0] for line in lines(text, "W-NAME-CLASH")] == [
        "s.yaml:6:23: W-NAME-CLASH 'akutt' names a role and a phase (line 12)",
        "s.yaml:7:22: W-NAME-CLASH 'load' names a role and an indicator (line 23)",
        "s.yaml:8:24: W-NAME-CLASH 'i05' names a role and an inject (line 54)",
        "s.yaml:9:22: W-NAME-CLASH 'd01' names a role and a decision (line 59)"]


# --- own themes ---------------------------------------------------------------------------------


def test_a_new_theme_without_a_name_is_reported_once() -> None:
    own = ("  own_criteria:\n    - {id: SAM-1, theme: SAM, name: Samvirke}\n"
           "    - {id: SAM-2, theme: SAM, name: Samarbeid}\n")
    text = replace("criteria: [KH-2, KH-5]", "criteria: [KH-2, KH-5, SAM-1, SAM-2]")
    text = replace("  rules:\n", own + "  rules:\n", text)
    text = replace("evidence: {KH-2: P}", "evidence: {KH-2: P, SAM-1: S, SAM-2: S}", text)
    assert lines(text, "W-THEME-NAME") == [
        "s.yaml:73:26: W-THEME-NAME the new theme 'SAM' has no name (give one of its criteria `theme_name:`, "
        "or use a catalogue theme (AM, DA, KH, OE))"]


def test_a_named_new_theme_and_catalogue_themes_are_quiet() -> None:
    own = ("  own_criteria:\n    - {id: SAM-1, theme: SAM, name: Samvirke, theme_name: Samvirke}\n"
           "    - {id: SAM-2, theme: SAM, name: Samarbeid}\n    - {id: KH-90, theme: KH, name: Ekstra}\n")
    text = replace("  rules:\n", own + "  rules:\n")
    assert lines(text, "W-THEME-NAME") == []
