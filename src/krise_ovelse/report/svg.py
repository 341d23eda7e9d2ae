"""Inline SVG line charts for the HTML report: no scripts, no fonts to fetch, all text escaped.

`line_chart` draws one indicator over scenario time as scoring reads its history (straight
lines between samples, a vertical step where two samples share a minute, the last value held to
the end), with axis ticks and labels, dashed lines at phase
boundaries, grey bands over time the scenario skipped, and optional horizontal guide lines
(e.g. a rule's thresholds). The output is a single `<svg>` element with a `<title>` and
`role="img"`, sized by its viewBox so it scales with the page and prints cleanly.
"""

from __future__ import annotations

import bisect
import html
import math
from collections.abc import Callable, Sequence

import attrs

MINUTES_PER_DAY = 24 * 60


@attrs.frozen
class PhaseMark:
    """A phase boundary: the phase starts at `minutes` and is labelled `label`."""

    minutes: float
    label: str


@attrs.frozen
class Guide:
    """A horizontal reference line at `value`, labelled at the right edge."""

    value: float
    label: str


def escape(text: str) -> str:
    """Text for SVG/HTML content or a quoted attribute."""
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_step(span: float, max_ticks: int = 6) -> float:
    """A step of 1, 2, 2.5 or 5 × 10^k giving at most `max_ticks` intervals over `span`
    (1 for a span that is empty, not finite or too small to divide)."""
    if not math.isfinite(span) or span <= 1e-9:
        return 1.0
    raw = span / max_ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - factor 10 always reaches raw


def ticks(low: float, high: float, max_ticks: int = 6) -> list[float]:
    """Tick values at a nice step covering [low, high] (never more than max_ticks + 1)."""
    if not (math.isfinite(low) and math.isfinite(high)) or high < low:
        return []
    step = nice_step(high - low, max_ticks)
    first = math.ceil(low / step - 1e-9) * step
    values: list[float] = []
    value = first
    while value <= high + 1e-9 and len(values) <= max_ticks:
        values.append(round(value, 10))
        value += step
    return values


_DAY_STEPS = (1, 2, 7, 14, 30, 60, 90, 180, 365)


def day_ticks(start: float, end: float, max_ticks: int = 8) -> list[float]:
    """Tick positions (in minutes) at whole days: every 1, 2, 7, 14, 30 … days."""
    if not (math.isfinite(start) and math.isfinite(end)) or end < start:
        return []
    days = max((end - start) / MINUTES_PER_DAY, 1e-9)
    step = next((s for s in _DAY_STEPS if days / s <= max_ticks), math.ceil(days / max_ticks))
    first = math.ceil(start / MINUTES_PER_DAY / step - 1e-9) * step
    result: list[float] = []
    day = first
    while day * MINUTES_PER_DAY <= end + 1e-9 and len(result) <= max_ticks:
        result.append(float(day * MINUTES_PER_DAY))
        day += step
    return result


def day_label(minutes: float) -> str:
    return f"D+{math.floor(minutes / MINUTES_PER_DAY + 1e-9)}"


#: Estimated advance of one character at font size 1 (generous for sans-serif, æøå included),
#: so a label's estimated box is never smaller than what a browser or a PDF viewer draws.
CHAR_WIDTH = 0.62
LABEL_SIZE = 10
GUIDE_SIZE = 9
#: Every chart has the same margins, so the plot areas (and time axes) of charts on a page line up.
MARGIN_LEFT, MARGIN_RIGHT = 52, 76


@attrs.frozen
class Placed:
    """A label placed on the chart: its text, anchor point, text-anchor and estimated box."""

    text: str
    x: float
    y: float
    anchor: str
    left: float
    right: float


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def fit(text: str, space: float, size: float) -> str:
    """`text`, shortened with … to fit `space` pixels ("" if not even two characters fit)."""
    if text_width(text, size) <= space:
        return text
    chars = int(space // (size * CHAR_WIDTH))
    return text[: chars - 1].rstrip() + "…" if chars >= 3 else ""


def place_phase_labels(xs: Sequence[float], labels: Sequence[str], left: float, right: float, top: float,
                       size: float = LABEL_SIZE, rows: int = 2) -> list[Placed]:
    """Phase labels beside their boundary lines, none overlapping another or the chart's edges.

    Each label goes right of its line in the first row with room, else left of it; it is
    shortened with … to the room there is; a label with no room in any row is left out (the
    dashed line still marks the boundary)."""
    gap = 4.0
    ends = [left] * rows
    placed: list[Placed] = []
    for x, label in sorted(zip(xs, labels, strict=True)):
        for row in range(rows):
            y = top + 10 + row * (size + 1)
            start = x + 3
            if start >= ends[row] + gap:
                text = fit(label, right - start, size)
                if text and (text == label or right - start >= text_width(label, size) / 2):
                    width = text_width(text, size)
                    placed.append(Placed(text, start, y, "start", start, start + width))
                    ends[row] = start + width
                    break
            end = x - 3
            room = end - max(ends[row] + gap, left)
            text = fit(label, room, size)
            if text:
                width = text_width(text, size)
                placed.append(Placed(text, end, y, "end", end - width, end))
                ends[row] = end
                break
            # no room in this row: try the next
    return placed


def place_guide_labels(ys: Sequence[float], labels: Sequence[str], x: float, right: float, top: float,
                       bottom: float, size: float = GUIDE_SIZE) -> list[Placed]:
    """Guide labels at the right edge, moved apart vertically so they never overlap."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed: dict[int, Placed] = {}
    last = -math.inf
    for i in order:
        y = max(ys[i] + size * 0.4, last + size + 1)
        y = min(y, bottom)
        text = fit(labels[i], right - x, size)
        placed[i] = Placed(text, x, y, "start", x, x + text_width(text, size))
        last = y
    return [placed[i] for i in range(len(ys))]


def curve_points(series: Sequence[tuple[float, float]], end: float | None) -> list[tuple[float, float]]:
    """The corners of the curve through `series` in time order (points at the same minute keep
    their order: a jump), with the last value held until `end`."""
    points = sorted(series, key=lambda p: p[0])
    if points and end is not None and end > points[-1][0]:
        points.append((end, points[-1][1]))
    return points


def decimate(points: Sequence[tuple[float, float]], column: Callable[[float], int]) -> list[tuple[float, float]]:
    """Fewer points, same picture: per pixel column keep the first, lowest, highest and last
    point, in time order (a long real-time session records thousands of drift steps)."""
    result: list[tuple[float, float]] = []
    bucket: list[tuple[float, float]] = []
    current: int | None = None

    def flush() -> None:
        if len(bucket) <= 4:
            result.extend(bucket)
            return
        low = min(range(len(bucket)), key=lambda i: bucket[i][1])
        high = max(range(len(bucket)), key=lambda i: bucket[i][1])
        keep = sorted({0, low, high, len(bucket) - 1})
        result.extend(bucket[i] for i in keep)

    for point in points:
        col = column(point[0])
        if col != current and bucket:
            flush()
            bucket = []
        current = col
        bucket.append(point)
    if bucket:
        flush()
    return result


def line_chart(
    series: Sequence[tuple[float, float]],
    *,
    title: str = "",
    end: float | None = None,
    start: float = 0.0,
    y_min: float | None = None,
    y_max: float | None = None,
    x_label: str = "",
    y_label: str = "",
    phases: Sequence[PhaseMark] = (),
    gaps: Sequence[tuple[float, float]] = (),
    guides: Sequence[Guide] = (),
    width: int = 640,
    height: int = 220,
    x_format: Callable[[float], str] = day_label,
    empty_text: str = "–",
) -> str:
    """One indicator over scenario time as an inline SVG (see the module docstring).

    `series` holds (scenario minutes, value) samples; `end` is where the last value is held to;
    `y_min`/`y_max` fix the value axis (default: the data range with a margin).
    """
    left, right, top, bottom = MARGIN_LEFT, MARGIN_RIGHT, 26 if title else 10, 40 if x_label else 26
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = [p[0] for p in series]
    ys = [p[1] for p in series]
    x0 = min([start, *xs]) if xs else start
    x1 = max([x0 + 1, *(xs or [x0]), end if end is not None else x0 + 1])
    lo = y_min if y_min is not None else (min(ys + [g.value for g in guides]) if ys else 0.0)
    hi = y_max if y_max is not None else (max(ys + [g.value for g in guides]) if ys else 1.0)
    if hi - lo <= 1e-9 * max(1.0, abs(hi), abs(lo)):  # flat (or nearly): give it a visible range
        lo, hi = lo - 1, hi + 1
    elif y_min is None and y_max is None:
        pad = (hi - lo) * 0.08
        lo, hi = lo - pad, hi + pad

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * plot_w

    def sy(y: float) -> float:
        return top + (hi - min(max(y, lo), hi)) / (hi - lo) * plot_h

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    if title:
        out.append(f'<text x="{left}" y="16" font-size="12" font-weight="bold" fill="#222">{escape(title)}</text>')
    for gap_start, gap_end in gaps:
        a, b = max(gap_start, x0), min(gap_end, x1)
        if b > a:
            out.append(f'<rect x="{sx(a):.1f}" y="{top}" width="{sx(b) - sx(a):.1f}" height="{plot_h}" '
                       f'fill="#e6e6e6"/>')
    # value axis: grid lines and labels
    for value in ticks(lo, hi, 5):
        y = sy(value)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#444">{escape(_num(value))}</text>')
    # time axis
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#888"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#888"/>')
    for tick in day_ticks(x0, x1):
        x = sx(tick)
        out.append(f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 4}" stroke="#888"/>')
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 15}" text-anchor="middle" fill="#444">'
                   f"{escape(x_format(tick))}</text>")
    if x_label:
        out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" fill="#444">'
                   f"{escape(x_label)}</text>")
    if y_label:
        out.append(f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" fill="#444" '
                   f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">{escape(y_label)}</text>')
    # phase boundaries
    shown = [mark for mark in phases if x0 < mark.minutes <= x1]
    for mark in shown:
        x = sx(mark.minutes)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#666" '
                   f'stroke-dasharray="4 3"/>')
    for label in place_phase_labels([sx(mark.minutes) for mark in shown], [mark.label for mark in shown],
                                    left, left + plot_w, top):
        out.append(f'<text x="{label.x:.1f}" y="{label.y:.1f}" text-anchor="{label.anchor}" fill="#555" '
                   f'font-size="{LABEL_SIZE}">{escape(label.text)}</text>')
    # guides
    for guide in guides:
        y = sy(guide.value)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#b55" '
                   f'stroke-dasharray="2 3"/>')
    for label in place_guide_labels([sy(g.value) for g in guides], [g.label for g in guides], left + plot_w + 4,
                                    width - 2, top, top + plot_h + 4):
        out.append(f'<text x="{label.x:.1f}" y="{label.y:.1f}" fill="#b55" font-size="{GUIDE_SIZE}">'
                   f"{escape(label.text)}</text>")
    # the curve
    points = curve_points(series, x1 if end is None else end)
    if len(points) > 2 * plot_w:
        points = decimate(points, lambda x: int(sx(x)))
    if points:
        coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
        out.append(f'<polyline points="{coords}" fill="none" stroke="#1f5fa8" stroke-width="2" '
                   f'stroke-linejoin="round"/>')
        last_x, last_y = points[-1]
        out.append(f'<circle cx="{sx(last_x):.1f}" cy="{sy(last_y):.1f}" r="3" fill="#1f5fa8"/>')
    else:
        out.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
                   f'fill="#888">{escape(empty_text)}</text>')
    out.append("</svg>")
    return "\n".join(out)


SPARK = "▁▂▃▄▅▆▇█"


def _value_in(points: Sequence[tuple[float, float]], times: Sequence[float], t: float) -> float:
    """`value_at` on points sorted by time, with `times` their x values."""
    if t < times[0]:
        return points[0][1]
    after = bisect.bisect_right(times, t)  # the first point later than t
    if after >= len(points):
        return points[-1][1]
    x_a, y_a = points[after - 1]  # the last point at or before t (after a jump: its new value)
    x_b, y_b = points[after]
    return y_a + (y_b - y_a) * (t - x_a) / (x_b - x_a)


def value_at(series: Sequence[tuple[float, float]], t: float) -> float | None:
    """The curve's value at time `t`: linear between samples, after a jump at `t` its new value,
    the first value before the first sample and the last after the last."""
    points = sorted(series, key=lambda p: p[0])
    if not points:
        return None
    return _value_in(points, [p[0] for p in points], t)


def resample(series: Sequence[tuple[float, float]], start: float, end: float, count: int) -> list[float]:
    """The curve's value at `count` evenly spaced times from start to end."""
    points = sorted(series, key=lambda p: p[0])
    if not points or count <= 0:
        return []
    times = [p[0] for p in points]
    at = [start if count == 1 else start + (end - start) * i / (count - 1) for i in range(count)]
    return [_value_in(points, times, t) for t in at]


def sparkline(values: Sequence[float], low: float | None = None, high: float | None = None) -> str:
    """A unicode sparkline (▁…█) of the values, scaled to [low, high] (default: their range)."""
    if not values:
        return ""
    lo = min(values) if low is None else low
    hi = max(values) if high is None else high
    if hi <= lo:
        return SPARK[len(SPARK) // 2 - 1] * len(values)
    top = len(SPARK) - 1
    return "".join(SPARK[round((min(max(v, lo), hi) - lo) / (hi - lo) * top)] for v in values)


#: The level colours every format uses (the HTML report's CSS variables --P … --NO).
LEVEL_COLOURS = {"P": "#1e7b3c", "S": "#5f8f1f", "M": "#b7791f", "U": "#b3261e", "N/O": "#6b6b70"}


@attrs.frozen
class BarRow:
    """One bar of a stacked bar chart: its label and, per segment, (key, count, tooltip)."""

    label: str
    segments: tuple[tuple[str, int, str], ...]


def stacked_bars(rows: Sequence[BarRow], *, title: str = "", legend: Sequence[tuple[str, str]] = (),
                 colours: dict[str, str] | None = None, width: int = 640, label_width: int = 230,
                 row_height: int = 22, empty_text: str = "–") -> str:
    """Horizontal stacked bars as an inline SVG: one bar per row, every bar the same total
    length (the segments are shares of the row's total), a segment's count inside it when it
    fits, and a tooltip (<title>) per segment. `legend` is (key, label) in segment order."""
    colours = colours or LEVEL_COLOURS
    # the legend first: its entries wrap onto as many lines as they need
    placed: list[tuple[str, str, float, int]] = []  # (key, text, x, line)
    x, line = 4.0, 0
    for key, label in legend:
        text = fit(f"{key} {label}" if label else key, width - 30, LABEL_SIZE)
        advance = 13 + text_width(text, LABEL_SIZE) + 12
        if x > 4 and x + advance > width:
            x, line = 4.0, line + 1
        placed.append((key, text, x, line))
        x += advance
    lines = placed[-1][3] + 1 if placed else 0
    top = (22 if title else 6) + lines * 16 + (6 if lines else 0)
    bar_left, bar_right = label_width, width - 40
    plot_w = bar_right - bar_left
    height = top + max(1, len(rows)) * row_height + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{escape(title)}" class="chart" font-family="sans-serif" font-size="11">',
           f"<title>{escape(title)}</title>"]
    if title:
        out.append(f'<text x="4" y="15" font-size="12" font-weight="bold" fill="#222">{escape(title)}</text>')
    for key, text, x, line in placed:
        y = (22 if title else 6) + line * 16 + 10
        out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colours.get(key, "#888")}"/>')
        out.append(f'<text x="{x + 13:.1f}" y="{y:.1f}" font-size="{LABEL_SIZE}" fill="#333">{escape(text)}</text>')
    if not rows:
        out.append(f'<text x="{width / 2:.1f}" y="{top + 14}" text-anchor="middle" fill="#888">'
                   f"{escape(empty_text)}</text>")
    for index, row in enumerate(rows):
        y = top + index * row_height
        out.append(f'<text x="{bar_left - 6}" y="{y + row_height / 2 + 4:.1f}" text-anchor="end" fill="#222">'
                   f"{escape(fit(row.label, bar_left - 10, 11))}</text>")
        total = sum(count for _, count, _ in row.segments)
        x = float(bar_left)
        for key, count, tip in row.segments:
            if count <= 0 or total <= 0:
                continue
            seg = plot_w * count / total
            out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{seg:.1f}" height="{row_height - 6}" '
                       f'fill="{colours.get(key, "#888")}"><title>{escape(tip)}</title></rect>')
            if seg >= text_width(str(count), 11) + 4:
                out.append(f'<text x="{x + seg / 2:.1f}" y="{y + row_height / 2 + 4:.1f}" text-anchor="middle" '
                           f'fill="#fff">{count}</text>')
            x += seg
        out.append(f'<text x="{bar_right + 6}" y="{y + row_height / 2 + 4:.1f}" fill="#444">{total}</text>')
    out.append("</svg>")
    return "\n".join(out)
