"""The inline SVG chart module: well-formed, escaped, axes, phases, gaps, guides; sparklines."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krise_ovelse.report.svg import (
    GUIDE_SIZE,
    LABEL_SIZE,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    Guide,
    PhaseMark,
    curve_points,
    day_label,
    day_ticks,
    decimate,
    line_chart,
    nice_step,
    resample,
    sparkline,
    text_width,
    ticks,
    value_at,
)

NS = "{http://www.w3.org/2000/svg}"
DAY = 1440
SERIES = [(0.0, 40.0), (2 * DAY, 55.0), (2 * DAY, 50.0), (10 * DAY, 70.0)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_chart_is_one_well_formed_svg_element() -> None:
    svg = line_chart(SERIES, title="Belastning", end=14 * DAY, y_min=0, y_max=100, x_label="Scenariodag",
                     y_label="Verdi")
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("viewBox") == "0 0 640 220"
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Belastning"  # type: ignore[union-attr]
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Belastning" in texts and "Scenariodag" in texts and "Verdi" in texts


def test_chart_has_no_scripts_links_or_external_references() -> None:
    svg = line_chart(SERIES, title="x", end=14 * DAY)
    lowered = svg.lower()
    for needle in ("<script", "href", "url(", "@import", "<image", "<foreignobject", "http://", "https://"):
        if needle == "http://":
            assert lowered.count(needle) == 1  # the xmlns only
        else:
            assert needle not in lowered


def test_every_text_is_escaped() -> None:
    evil = '<script>alert("x")</script> & "quotes"'
    svg = line_chart(SERIES, title=evil, end=14 * DAY, x_label=evil, y_label=evil,
                     phases=[PhaseMark(5 * DAY, evil)], guides=[Guide(60, evil)], x_format=lambda _: evil)
    assert "<script>" not in svg
    root = parse(svg)  # still well-formed
    assert root.find(f"{NS}title").text == evil  # type: ignore[union-attr]
    assert root.get("aria-label") == evil
    assert any(t.text == evil for t in root.iter(f"{NS}text"))


def test_curve_follows_the_samples_with_a_jump_and_holds_to_the_end() -> None:
    root = parse(line_chart(SERIES, end=14 * DAY, y_min=0, y_max=100))
    (polyline,) = root.iter(f"{NS}polyline")
    points = [tuple(map(float, p.split(","))) for p in polyline.get("points", "").split()]
    assert len(points) == 5  # 4 samples + held to the end
    xs = [x for x, _ in points]
    assert xs == sorted(xs)
    assert points[1][0] == points[2][0]  # the jump is vertical
    assert points[1][1] < points[2][1]  # 55 is drawn higher (smaller y) than 50
    assert points[3][1] == points[4][1]  # the last value held


def test_value_axis_ticks_and_clamping() -> None:
    root = parse(line_chart([(0, 150.0), (DAY, -20.0)], end=2 * DAY, y_min=0, y_max=100))
    labels = [t.text for t in root.iter(f"{NS}text")]
    for label in ("0", "20", "40", "60", "80", "100"):
        assert label in labels
    (polyline,) = root.iter(f"{NS}polyline")
    ys = [float(p.split(",")[1]) for p in polyline.get("points", "").split()]
    assert min(ys) >= 10 and max(ys) <= 220 - 26  # inside the plot area


def test_time_axis_is_labelled_in_scenario_days() -> None:
    root = parse(line_chart(SERIES, end=14 * DAY))
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert "D+0" in labels and "D+14" in labels


def test_phase_boundaries_gaps_and_guides() -> None:
    svg = line_chart(SERIES, end=21 * DAY, phases=[PhaseMark(14 * DAY, "Langvarig drift"), PhaseMark(0, "start")],
                     gaps=[(3 * DAY, 14 * DAY)], guides=[Guide(60, "KH-5 P ≤ 60")])
    root = parse(svg)
    dashed = [line for line in root.iter(f"{NS}line") if line.get("stroke-dasharray") == "4 3"]
    assert len(dashed) == 1  # a phase at the start of the axis draws no boundary
    assert any(t.text == "Langvarig drift" for t in root.iter(f"{NS}text"))
    rects = list(root.iter(f"{NS}rect"))
    assert len(rects) == 1 and float(rects[0].get("width", "0")) > 0
    assert any(t.text == "KH-5 P ≤ 60" for t in root.iter(f"{NS}text"))


def test_long_phase_labels_are_shortened() -> None:
    root = parse(line_chart(SERIES, end=21 * DAY, phases=[PhaseMark(5 * DAY, "x" * 200)]))
    label = next(t.text for t in root.iter(f"{NS}text") if t.text and t.text.startswith("x"))
    assert label.endswith("…") and 10 < len(label) < 200


def _label_boxes(svg: str, size: str) -> list[tuple[float, float, float, str]]:
    """(left, right, y, text) of each text of font size `size`, from its anchor and estimated width."""
    boxes = []
    for text in parse(svg).iter(f"{NS}text"):
        if text.get("font-size") != size or not text.text:
            continue
        x, y = float(text.get("x", "0")), float(text.get("y", "0"))
        width = text_width(text.text, float(size))
        left = x - width if text.get("text-anchor") == "end" else x
        boxes.append((left, left + width, y, text.text))
    return boxes


def _shipped_phases() -> list[tuple[str, list[PhaseMark], float]]:
    from krise_ovelse.authoring import load_scenario
    from krise_ovelse.paths import shipped_scenario_files

    cases = []
    for path in shipped_scenario_files():
        scenario = load_scenario(path).scenario
        assert scenario is not None
        for lang in ("nb", "en"):
            marks = [PhaseMark(p.starts.minutes, p.title.get(lang)) for p in scenario.phases[1:]]
            cases.append((f"{scenario.id}-{lang}", marks, float(scenario.ends.minutes)))
    return cases


@pytest.mark.parametrize(("name", "marks", "end"), _shipped_phases(), ids=lambda v: v if isinstance(v, str) else "")
def test_phase_labels_of_shipped_scenarios_never_overlap_or_clip(name: str, marks: list[PhaseMark],
                                                                  end: float) -> None:
    """The longest phase names shipped ("Ny drift: støtteordning og søknadsbølge", "Gjenåpning og
    tilbakeslag" next to "Ny normal") stay inside the chart and apart, at the report's width and
    with threshold guides; every label is shown, if need be shortened."""
    for guides in ((), [Guide(55, "KH-5 P ≤ 55"), Guide(58, "KH-5 S ≤ 58"), Guide(80, "KH-5 M ≤ 80")]):
        svg = line_chart(SERIES, end=end, phases=marks, guides=guides, title=name, x_label="Scenariodag")
        boxes = _label_boxes(svg, str(LABEL_SIZE))
        assert len(boxes) == len(marks), (name, [b[3] for b in boxes])
        for left, right, _, text in boxes:
            assert left >= MARGIN_LEFT and right <= 640 - MARGIN_RIGHT, (name, text, left, right)
        for i, (l1, r1, y1, t1) in enumerate(boxes):
            for l2, r2, y2, t2 in boxes[i + 1:]:
                assert y1 != y2 or r1 <= l2 or r2 <= l1, (name, t1, t2)
        guide_boxes = _label_boxes(svg, str(GUIDE_SIZE))
        ys = sorted(y for _, _, y, _ in guide_boxes)
        assert all(b - a >= GUIDE_SIZE for a, b in itertools.pairwise(ys))
        assert all(right <= 640 for _, right, _, _ in guide_boxes)


def test_charts_with_and_without_guides_have_the_same_plot_area() -> None:
    def axis(svg: str) -> tuple[str | None, str | None]:
        line = next(line for line in parse(svg).iter(f"{NS}line") if line.get("stroke") == "#888")
        return line.get("x1"), line.get("x2")

    plain = line_chart(SERIES, end=21 * DAY)
    guided = line_chart(SERIES, end=21 * DAY, guides=[Guide(60, "KH-5 P ≤ 60")])
    assert axis(plain) == axis(guided)


def test_empty_series_draws_axes_and_a_note() -> None:
    root = parse(line_chart([], title="tom", empty_text="Ingen data"))
    assert not list(root.iter(f"{NS}polyline"))
    assert any(t.text == "Ingen data" for t in root.iter(f"{NS}text"))


def test_flat_series_gets_a_value_range() -> None:
    root = parse(line_chart([(0, 50.0), (DAY, 50.0)], end=DAY))
    assert list(root.iter(f"{NS}polyline"))


# --- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("span", "step"), [(100, 20), (10, 2), (1, 0.2), (7, 2), (0, 1), (1000, 200)])
def test_nice_step(span: float, step: float) -> None:
    assert nice_step(span, 6) == pytest.approx(step)


def test_ticks() -> None:
    assert ticks(0, 100, 5) == [0, 20, 40, 60, 80, 100]
    assert ticks(-5, 5, 5) == [-4, -2, 0, 2, 4]


def test_day_ticks_choose_a_readable_step() -> None:
    assert day_ticks(0, 14 * DAY) == [float(d * DAY) for d in range(0, 15, 2)]
    assert len(day_ticks(0, 300 * DAY)) <= 9
    assert day_ticks(0, DAY / 2) == [0.0]
    assert day_label(2 * DAY + 600) == "D+2"


def test_curve_points_and_value_at() -> None:
    assert curve_points([(5, 1), (0, 0)], 10) == [(0, 0), (5, 1), (10, 1)]
    assert curve_points([], 10) == []
    assert value_at(SERIES, 0) == 40
    assert value_at(SERIES, DAY) == pytest.approx(47.5)  # halfway up the line
    assert value_at(SERIES, 2 * DAY) == 50  # after the jump
    assert value_at(SERIES, 100 * DAY) == 70  # held
    assert value_at(SERIES, -5) == 40
    assert value_at([], 3) is None


def test_resample() -> None:
    assert resample([(0, 0.0), (10, 10.0)], 0, 10, 3) == [0, 5, 10]
    assert resample([], 0, 10, 3) == []
    assert resample([(0, 1.0)], 0, 10, 1) == [1.0]


def test_sparkline() -> None:
    assert sparkline([0, 50, 100], 0, 100) == "▁▅█"
    assert sparkline([5, 5, 5]) == "▄▄▄"
    assert sparkline([]) == ""
    assert sparkline([-10, 200], 0, 100) == "▁█"  # clamped


@given(st.lists(st.tuples(st.floats(0, 1e5), st.floats(-1e3, 1e3)), max_size=30),
       st.text(max_size=30))
def test_any_input_gives_well_formed_svg(series: list[tuple[float, float]], title: str) -> None:
    title = "".join(ch for ch in title if ch.isprintable())
    root = parse(line_chart(series, title=title, end=2e5))
    assert root.tag == f"{NS}svg"
    assert len(list(root.iter(f"{NS}text"))) < 40  # a bounded number of ticks, whatever the data


@pytest.mark.parametrize("values", [(0.0, 5e-324), (1e300, 1e300 * (1 + 1e-15)), (-0.0, 0.0), (7.0, 7.0)])
def test_tiny_or_empty_value_ranges_do_not_loop(values: tuple[float, float]) -> None:
    root = parse(line_chart([(0, values[0]), (DAY, values[1])], end=2 * DAY))
    assert len(list(root.iter(f"{NS}text"))) < 30


@pytest.mark.parametrize("span", [0.0, 1e-320, float("nan"), float("inf"), -3.0])
def test_nice_step_of_degenerate_spans(span: float) -> None:
    assert nice_step(span) == 1.0


def test_ticks_are_bounded() -> None:
    assert len(ticks(0, 5e-324)) <= 7
    assert ticks(float("nan"), 1) == []
    assert ticks(5, 1) == []
    assert len(day_ticks(0, 1e12)) <= 9
    assert day_ticks(10, 0) == []


def test_long_series_are_thinned_but_keep_their_extremes() -> None:
    series = [(float(i), 50.0 + (40.0 if i == 5000 else 0.0) + (i % 7)) for i in range(20000)]
    root = parse(line_chart(series, end=20000.0, y_min=0, y_max=100))
    (polyline,) = root.iter(f"{NS}polyline")
    points = [tuple(map(float, p.split(","))) for p in polyline.get("points", "").split()]
    assert len(points) <= 4 * 600
    top = min(y for _, y in points)
    expected_top = parse(line_chart([(0.0, 0.0), (1.0, max(v for _, v in series))], end=20000.0, y_min=0, y_max=100))
    (line,) = expected_top.iter(f"{NS}polyline")
    assert top == pytest.approx(min(float(p.split(",")[1]) for p in line.get("points", "").split()))
    xs = [x for x, _ in points]
    assert xs == sorted(xs)


def test_decimate_keeps_order_and_extremes() -> None:
    points = [(0.0, 5.0), (0.1, 9.0), (0.2, 1.0), (0.3, 4.0), (0.4, 6.0), (1.0, 3.0)]
    assert decimate(points, int) == [(0.0, 5.0), (0.1, 9.0), (0.2, 1.0), (0.4, 6.0), (1.0, 3.0)]
    assert decimate([], int) == []
