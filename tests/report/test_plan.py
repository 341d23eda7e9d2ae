"""The improvement plan: draft from the ratings, edit, save, load, and every way a file can be bad."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from krise_ovelse.report import Element, Plan, PlanError, PlanItem, draft_plan, load_plan, parse_plan, save_plan
from krise_ovelse.report.plan import dump_plan, parse_element, uncovered
from krise_ovelse.report.view import ReportData


def test_draft_has_one_item_per_area_for_improvement(data: ReportData) -> None:
    plan = draft_plan(data.result, "nb", session="s-1")
    assert [item.criterion for item in plan.items] == [f.criterion for f in data.result.improvements]
    first = plan.items[0]
    assert first.area == "KH-3 Rask omstillings- og beslutningsevne (M: utført med store utfordringer)"
    assert first.action.startswith("Avklare beslutningsfullmakter i krise")  # a measure, not the goal text
    assert first.element is Element.ORGANISATION  # per criterion, not per theme
    assert first.priority is not None
    assert (first.owner, first.due, first.id, first.status.value, first.priority.value) == (
        "", "", "T1", "open", "medium")
    assert (plan.scenario, plan.session, plan.language) == ("rapportprove", "s-1", "nb")
    english = draft_plan(data.result, "en")
    assert english.items[0].action.startswith("Clarify decision mandates")
    assert english.items[0].area.startswith("KH-3 Rapid adaptation and decision-making (M: performed with major")


def test_editing_returns_new_plans() -> None:
    plan = Plan(items=(PlanItem("A"), PlanItem("B")))
    edited = plan.with_item(1, owner="HR-direktør", due="2025-03-01", element="opplæring")
    assert edited.items[1] == PlanItem("B", owner="HR-direktør", due="2025-03-01", element=Element.TRAINING)
    assert plan.items[1].owner == ""  # the original is unchanged
    added = edited.add_item(PlanItem("C", criterion="KH-1"), index=0)
    assert [i.area for i in added.items] == ["C", "A", "B"]
    assert [i.area for i in added.remove_item(1).items] == ["C", "B"]
    assert added.criteria() == frozenset({"KH-1"})


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_save_and_load_round_trip(tmp_path: Path, data: ReportData, suffix: str) -> None:
    plan = draft_plan(data.result, "nb", "s-1").with_item(0, owner="Direktør", due="2025-01-31")
    path = tmp_path / f"tiltak{suffix}"
    save_plan(plan, path)
    assert load_plan(path) == plan
    text = path.read_text(encoding="utf-8")
    if suffix == ".json":
        assert json.loads(text)["format"] == "krise-ovelse/plan"
    else:
        assert text.startswith("# Tiltaksplan (veien videre)")
        assert f"--plan tiltak{suffix}" in text
        assert "Rask omstillings- og beslutningsevne" in text  # not escaped to \\u codes


def test_english_plan_file_has_an_english_header(tmp_path: Path, data: ReportData) -> None:
    path = tmp_path / "plan.yaml"
    save_plan(draft_plan(data.result, "en"), path)
    assert path.read_text(encoding="utf-8").startswith("# Action plan (improvement plan) from krise-øvelse.")


def test_a_hand_edited_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "items:\n"
        "  - area: Informasjon til ansatte\n"
        "    action: Lage en mal for første melding\n"
        "    element: Utstyr\n"
        "    owner: Kommunikasjon\n"
        "    due: 2025-02-01\n"
        "  - action: Øve igjen om et halvt år\n"
        "    element: øving\n"
        "    owner: 42\n",
        encoding="utf-8")
    plan = load_plan(path)
    assert plan.items[0] == PlanItem("Informasjon til ansatte", "Lage en mal for første melding", Element.EQUIPMENT,
                                     "Kommunikasjon", "2025-02-01", id="T1")  # a version 1 file gets ids
    assert plan.items[1].id == "T2"
    assert plan.items[1].element is Element.EXERCISE
    assert plan.items[1].owner == "42"
    assert plan.language == "nb"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("- a\n- b\n", "a plan is a mapping"),
        ("format: something-else\n", "not a plan file"),
        ("format: krise-ovelse/plan\nversion: 3\n", "version 3 is not supported"),
        ("items:\n  - {id: T1, area: A}\n  - {id: t1, area: B}\n", "item 2: id t1 is used twice"),
        ("items:\n  - {area: A, status: halvferdig}\n", "item 1: status must be one of open"),
        ("items:\n  - {area: A, priority: kritisk}\n", "item 1: priority must be one of high"),
        ("items: nope\n", "`items` must be a list"),
        ("items:\n  - just text\n", "item 1: expected a mapping"),
        ("items:\n  - area: A\n    ownr: B\n", "item 1: unknown key(s) ownr"),
        ("items:\n  - area: A\n    element: kaffe\n", "item 1: element must be one of plan, organisation"),
        ("items:\n  - owner: Kari\n", "item 1: give at least an `area` or an `action`"),
        ("items:\n  - area: A\n  - area: [1, 2]\n", "item 2: `area` must be text"),
        ("items:\n  - area: A\n    due: yes\n", "`due` must be text"),
        ("items: [\n", "not valid YAML/JSON"),
    ],
)
def test_bad_plans_give_a_readable_error(text: str, message: str) -> None:
    with pytest.raises(PlanError, match=None) as caught:
        parse_plan(text, "plan.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("plan.yaml")


def test_yaml_errors_point_at_the_line() -> None:
    with pytest.raises(PlanError, match=r"^plan.yaml:3:"):
        parse_plan("items:\n  - area: A\n  bad: [\n", "plan.yaml")


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="no such file"):
        load_plan(tmp_path / "missing.yaml")
    with pytest.raises(PlanError, match="is a directory"):
        load_plan(tmp_path)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("items:\n  - area: Øving\n".encode("latin-1"))
    with pytest.raises(PlanError, match="not UTF-8"):
        load_plan(latin)
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * (1 << 20) + "\n", encoding="utf-8")
    with pytest.raises(PlanError, match="larger than"):
        load_plan(big)


def test_python_tags_are_refused() -> None:
    with pytest.raises(PlanError):
        parse_plan("items: !!python/object/apply:os.system ['echo hi']\n")


def test_element_aliases() -> None:
    assert parse_element("Organization") is Element.ORGANISATION
    assert parse_element(" planverk ") is Element.PLAN
    assert parse_element("opplaering") is Element.TRAINING
    assert parse_element("") is None
    assert parse_element(None) is None
    with pytest.raises(ValueError):
        parse_element(3)


def test_uncovered_areas(data: ReportData) -> None:
    plan = draft_plan(data.result).remove_item(0)
    assert uncovered(data.result, plan) == ("KH-3",)
    assert uncovered(data.result, draft_plan(data.result)) == ()


def test_dump_plan_is_yaml_that_reads_back(data: ReportData) -> None:
    plan = draft_plan(data.result)
    loaded = yaml.safe_load(dump_plan(plan))
    assert loaded["items"][0]["criterion"] == "KH-3"
    assert parse_plan(dump_plan(plan, as_json=True)) == plan


# --- property tests: the plan file reader never crashes, and every plan round-trips ---------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from krise_ovelse.report.plan import Priority, Status, plan_bytes  # noqa: E402

_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(lambda t: " ".join(t.split()))


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=300), st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20).map(lambda data: yaml.safe_dump(data, allow_unicode=True))))
def test_any_text_is_a_plan_or_a_plan_error(text: str) -> None:
    try:
        plan = parse_plan(text, "fuzz.yaml")
    except PlanError as exc:
        assert str(exc).startswith("fuzz.yaml")
    else:
        assert all(item.area or item.action for item in plan.items)


_ITEMS = st.lists(st.builds(
    PlanItem, area=_TEXT.filter(bool), action=_TEXT, element=st.sampled_from([None, *Element]), owner=_TEXT,
    due=_TEXT, criterion=st.sampled_from(["", "KH-1", "AM-4"]), priority=st.sampled_from([None, *Priority]),
    status=st.sampled_from(list(Status)), root_cause=_TEXT), max_size=6)


@settings(max_examples=60, deadline=None)
@given(items=_ITEMS, suffix=st.sampled_from([".yaml", ".json", ".xlsx"]))
def test_every_plan_round_trips_through_every_file_format(items: list[PlanItem], suffix: str) -> None:
    from krise_ovelse.report.plan_xlsx import plan_from_xlsx

    plan = Plan(scenario="s", session="x", language="nb")
    for item in items:
        plan = plan.add_item(item)
    content = plan_bytes(plan, f"tiltak{suffix}")
    back = plan_from_xlsx(content, "t.xlsx") if suffix == ".xlsx" else parse_plan(content.decode("utf-8"), "t")
    assert back == plan


def test_control_characters_reach_a_workbook_visibly_not_as_a_crash() -> None:
    from krise_ovelse.report.plan_xlsx import plan_from_xlsx

    plan = Plan().add_item(PlanItem("Forbedring\x08", "Tiltak \x1b[31m"))
    back = plan_from_xlsx(plan_bytes(plan, "t.xlsx"), "t.xlsx")
    assert back.items[0].area == "Forbedring\u2408" and back.items[0].action == "Tiltak \u241b[31m"


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook() -> None:
    from openpyxl import load_workbook

    from krise_ovelse.report.plan_xlsx import plan_from_xlsx

    plan = Plan().add_item(PlanItem('=HYPERLINK("http://x","klikk")', "=1+1"))
    content = plan_bytes(plan, "t.xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None and sheet["C2"].data_type == "s" and sheet["D2"].data_type == "s"
    assert plan_from_xlsx(content, "t.xlsx") == plan
