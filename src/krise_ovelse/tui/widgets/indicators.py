"""State indicators as labelled bars with a trend arrow and a sparkline of their history."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from krise_ovelse.model.scenario import Polarity
from krise_ovelse.model.timefmt import MINUTES_PER_DAY
from krise_ovelse.tui.i18n import format_number, t
from krise_ovelse.tui.text import day_label
from krise_ovelse.tui.view import IndicatorView

SPARK = "▁▂▃▄▅▆▇█"


def resample(values: Sequence[float], width: int) -> list[float]:
    """`width` points from `values` (the last value of each bucket; short series unchanged)."""
    if width <= 0 or not values:
        return []
    if len(values) <= width:
        return list(values)
    step = len(values) / width
    return [values[min(len(values) - 1, int((i + 1) * step) - 1)] for i in range(width)]


def sparkline(values: Sequence[float], width: int, low: float, high: float) -> str:
    points = resample(values, width)
    span = high - low
    if not points:
        return ""
    if span <= 0:
        return SPARK[0] * len(points)
    out = []
    for value in points:
        level = round((max(low, min(high, value)) - low) / span * (len(SPARK) - 1))
        out.append(SPARK[level])
    return "".join(out)


def badness(indicator: IndicatorView) -> float | None:
    """0 good … 1 bad, if the indicator says which end is good."""
    if indicator.good is Polarity.LOW:
        return indicator.fraction
    if indicator.good is Polarity.HIGH:
        return 1 - indicator.fraction
    return None


def bar_style(indicator: IndicatorView) -> str:
    bad = badness(indicator)
    if bad is None:
        return "cyan"
    if bad >= 0.7:
        return "red"
    if bad >= 0.45:
        return "yellow"
    return "green"


def trend_mark(indicator: IndicatorView) -> tuple[str, str]:
    delta = indicator.trend
    if abs(delta) < 0.05:
        return "→", "dim"
    mark = "▲" if delta > 0 else "▼"
    worse = (delta > 0) == (indicator.good is Polarity.LOW) if indicator.good else None
    return mark, ("red" if worse else "green") if worse is not None else ""


HIDDEN_MARK = "◌ "


def indicator_line(indicator: IndicatorView, width: int, spark_width: int = 8) -> Text:
    name_width = max(10, min(32, width // 2 - 4))
    value_text = format_number(indicator.value)
    bar_width = max(4, width - name_width - spark_width - max(3, len(value_text)) - 5)
    name = indicator.name if indicator.visible else HIDDEN_MARK + indicator.name
    if len(name) > name_width:
        name = name[: name_width - 1] + "…"
    text = Text(f"{name:<{name_width}} ", style="" if indicator.visible else "italic")
    filled = round(indicator.fraction * bar_width)
    text.append("█" * filled, style=bar_style(indicator))
    text.append("░" * (bar_width - filled), style="dim")
    text.append(f" {value_text:>3}", style="bold")
    mark, style = trend_mark(indicator)
    text.append(f" {mark} ", style=style)
    text.append(sparkline(indicator.history, spark_width, indicator.minimum, indicator.maximum), style="cyan")
    return text


class IndicatorPanel(Widget):
    """One line per indicator; hidden indicators only in the facilitator view."""

    DEFAULT_CSS = """
    IndicatorPanel { height: auto; min-height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self._indicators: tuple[IndicatorView, ...] = ()

    def show(self, indicators: Sequence[IndicatorView]) -> None:
        new = tuple(indicators)
        if new != self._indicators:
            height_changed = len(new) != len(self._indicators)
            self._indicators = new
            self.refresh(layout=height_changed)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return max(1, len(self._indicators))

    def render(self) -> Text:
        width = max(20, self.size.width)
        if not self._indicators:
            return Text(t("indicator.none"), style="italic dim")
        lines = [indicator_line(i, width) for i in self._indicators]
        return Text("\n").join(lines)


EIGHTHS = " ▁▂▃▄▅▆▇█"


def axis_line(width: int, end_minutes: float, start_minutes: float = 0.0) -> Text:
    """A time axis under a chart of `width` columns spanning [start, end] in scenario time:
    `┬D+n` at whole days, as many as fit, and the end (`D+14┬`) at the right."""
    line = [" "] * width
    span = end_minutes - start_minutes
    if span <= 0 or width < 6:
        return Text("".join(line), style="dim")

    def place(label: str, at: int) -> None:
        at = max(0, min(width - len(label), at))
        if all(c == " " for c in line[max(0, at - 1):at + len(label) + 1]):
            line[at:at + len(label)] = list(label)

    end_label = day_label(end_minutes) + "┬"
    place(end_label, width - len(end_label))
    days = span / MINUTES_PER_DAY
    step = max(1, math.ceil(days / max(1, width // 12)))
    day = math.ceil(start_minutes / MINUTES_PER_DAY)
    while day * MINUTES_PER_DAY < end_minutes:
        place("┬" + day_label(day * MINUTES_PER_DAY),
              round((width - 1) * (day * MINUTES_PER_DAY - start_minutes) / span))
        day += step
    return Text("".join(line), style="dim")


class IndicatorChart(Widget):
    """An indicator over time as a block chart, scaled to the indicator's own range (min–max)
    rather than to the data, so a flat line reads as flat and 60 of 100 looks like 60 %. The
    last row is the time axis (scenario days from D+0 to `end_minutes`)."""

    DEFAULT_CSS = """
    IndicatorChart { height: 5; width: 1fr; }
    """

    def __init__(self, indicator: IndicatorView, *, end_minutes: float = 0.0, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.indicator = indicator
        self.end_minutes = end_minutes

    def render(self) -> Text:
        ind = self.indicator
        width = max(1, self.size.width)
        rows = max(1, self.size.height - 1)
        points = resample(ind.history, width)
        if len(points) < width and points:
            # stretch a short series over the width (each sample keeps its share of time)
            points = [points[min(len(points) - 1, i * len(points) // width)] for i in range(width)]
        span = ind.maximum - ind.minimum
        lines = []
        for row in range(rows - 1, -1, -1):
            line = Text()
            for value in points:
                fraction = 0.0 if span <= 0 else max(0.0, min(1.0, (value - ind.minimum) / span))
                eighths = round(fraction * rows * 8) - row * 8
                view = IndicatorView(ind.id, ind.name, value, ind.minimum, ind.maximum, ind.good, ind.visible, ())
                line.append(EIGHTHS[max(0, min(8, eighths))], style=bar_style(view))
            lines.append(line)
        lines.append(axis_line(width, self.end_minutes))
        return Text("\n").join(lines)
