"""Charts as inline SVG shapes: no script, no network, drawn by any browser.

A chart is a list of primitive shapes (rect, line, polyline, circle, text) with coordinates;
`templates/charts.html.j2` turns them into SVG, escaping every label.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

CHAR_WIDTH = 13  # px per CJK character at the label size: enough room for the longest label
FONT = 12
Series = tuple[str, Sequence[float], str]  # name, one value per category, colour


@dataclass
class Chart:
    name: str
    title: str
    width: int
    height: int
    shapes: list[dict] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)


def bar_chart(
    name: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = True,
    horizontal: bool = False,
    length: int = 520,
    step: int | None = None,
    marker: float | None = None,
    marker_label: str = "",
) -> Chart:
    """Bars per category, one colour per series, stacked or side by side; `length` px along the
    value axis, `step` px per category. `marker` draws a dashed line at that position along the
    category axis (in category units)."""
    step = step or (22 if horizontal else 40)
    side_by_side = 1 if stacked else max(1, len(series))
    thickness = max(2, int(step * (0.7 if stacked else 0.8) / side_by_side))
    label_room = _label_room(categories) if horizontal else 34
    band = step * len(categories)
    top = _maximum(series, stacked)
    chart = _frame(name, title, horizontal, label_room, band, length, series)
    axis = _Axis(horizontal, label_room, band, length, top)
    for i, category in enumerate(categories):
        base = 0.0
        for j, (series_name, values, colour) in enumerate(series):
            value = float(values[i] or 0)
            offset = i * step + (step - thickness * (1 if stacked else len(series))) / 2
            offset += 0 if stacked else j * thickness
            if value > 0:
                chart.shapes.append(
                    axis.bar(offset, thickness, base, value, colour, category, series_name)
                )
            base = base + value if stacked else 0.0
        chart.shapes.append(axis.category_label(i * step + step / 2, category))
    chart.shapes.extend(axis.ticks())
    if marker is not None:
        chart.shapes.extend(axis.marker(marker * step, marker_label))
    return chart


def heatmap(
    name: str,
    title: str,
    rows: Sequence[str],
    cols: Sequence[str],
    values: Sequence[Sequence[float | None]],
    colour: str = "#3b6fb6",
) -> Chart:
    """A grid of shares (0–1): darker is larger, each cell printed as a percentage."""
    cell_w, cell_h = 64, 26
    left, head = _label_room(rows), 20 + int(0.6 * _label_room(cols))
    width = left + cell_w * len(cols) + _label_room(cols[-1:])
    chart = Chart(name, title, width, head + cell_h * len(rows) + 10)
    top = max((v for row in values for v in row if v is not None), default=0) or 1
    for j, col in enumerate(cols):
        x = left + j * cell_w + cell_w / 2
        chart.shapes.append(_text(x, head - 8, col, "start", rotate=-35))
    for i, row in enumerate(rows):
        y = head + i * cell_h
        chart.shapes.append(_text(left - 6, y + cell_h / 2 + 4, row, "end"))
        for j, value in enumerate(values[i]):
            x = left + j * cell_w
            strength = 0.0 if value is None else value / top
            tip = f"{row} · {cols[j]}: " + ("—" if value is None else f"{value:.1%}")
            chart.shapes.append(
                {
                    "kind": "rect",
                    "x": x + 1,
                    "y": y + 1,
                    "w": cell_w - 2,
                    "h": cell_h - 2,
                    "fill": colour,
                    "opacity": round(0.08 + 0.92 * strength, 3),
                    "tip": tip,
                }
            )
            shown = "—" if value is None else f"{value:.0%}"
            ink = "#fff" if strength > 0.55 else "#222"
            chart.shapes.append(_text(x + cell_w / 2, y + cell_h / 2 + 4, shown, "middle", ink))
    return chart


def sparkline(
    name: str,
    title: str,
    years: Sequence[int],
    values: Sequence[float | None],
    anomalies: Sequence[bool],
    colour: str = "#3b6fb6",
    alarm: str = "#c8504b",
) -> Chart:
    """A small line of one agency's values by year; anomalous years as larger red dots."""
    width, height, pad = 190, 54, 8
    chart = Chart(name, title, width, height)
    known = [(y, v, a) for y, v, a in zip(years, values, anomalies, strict=True) if v is not None]
    if not known:
        chart.shapes.append(_text(width / 2, height / 2, "—", "middle"))
        return chart
    first, last = min(years), max(years)
    top = max(v for _, v, _ in known) or 1

    def point(year: int, value: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * ((year - first) / (last - first) if last > first else 0.5)
        return round(x, 1), round(height - 14 - (height - 24) * value / top, 1)

    points = [point(y, v) for y, v, _ in known]
    chart.shapes.append({"kind": "polyline", "points": points, "stroke": colour})
    for (x, y), (year, value, anomaly) in zip(points, known, strict=True):
        tip = f"{year}: {value:g}" + (" (异常)" if anomaly else "")
        chart.shapes.append(
            {
                "kind": "circle",
                "cx": x,
                "cy": y,
                "r": 4.5 if anomaly else 2.5,
                "fill": alarm if anomaly else colour,
                "tip": tip,
            }
        )
    chart.shapes.append(_text(pad, height - 2, str(first), "start", size=10))
    chart.shapes.append(_text(width - pad, height - 2, str(last), "end", size=10))
    return chart


class _Axis:
    """Maps (category offset, value) to pixels for vertical or horizontal bars."""

    def __init__(self, horizontal: bool, label_room: int, band: float, length: int, top: float):
        self.horizontal, self.room, self.band, self.length = horizontal, label_room, band, length
        self.step = max(1.0, _nice(top / 4))  # the bars count things: whole-number ticks
        self.top = self.step * max(1, math.ceil(top / self.step))

    def scale(self, value: float) -> float:
        return self.length * value / self.top if self.top else 0.0

    def bar(self, offset, thickness, base, value, colour, category, series_name) -> dict:
        tip = f"{category} · {series_name}: {value:g}" if series_name else f"{category}: {value:g}"
        start, size = self.scale(base), max(self.scale(value), 1.0)
        if self.horizontal:
            return {
                "kind": "rect",
                "x": self.room + start,
                "y": 30 + offset,
                "w": size,
                "h": thickness,
                "fill": colour,
                "tip": tip,
            }
        return {
            "kind": "rect",
            "x": 44 + offset,
            "y": 30 + self.length - start - size,
            "w": thickness,
            "h": size,
            "fill": colour,
            "tip": tip,
        }

    def category_label(self, centre: float, text: str) -> dict:
        if self.horizontal:
            return _text(self.room - 6, 30 + centre + 4, text, "end")
        return _text(44 + centre, 30 + self.length + 16, text, "middle")

    def ticks(self) -> list[dict]:
        shapes = []
        for k in range(round(self.top / self.step) + 1):
            value = self.step * k
            at = self.scale(value)
            label = f"{value:g}"
            if self.horizontal:
                x = self.room + at
                shapes.append(_line(x, 26, x, 30 + self.band, "#ddd"))
                shapes.append(_text(x, 22, label, "middle", size=10))
            else:
                y = 30 + self.length - at
                shapes.append(_line(44, y, 44 + self.band, y, "#ddd"))
                shapes.append(_text(40, y + 4, label, "end", size=10))
        return shapes

    def marker(self, at: float, label: str) -> list[dict]:
        if self.horizontal:
            y = 30 + at
            return [
                _line(self.room, y, self.room + self.length, y, "#c8504b", dash=True),
                _text(self.room + self.length, y - 4, label, "end", "#c8504b"),
            ]
        x = 44 + at
        return [
            _line(x, 24, x, 30 + self.length, "#c8504b", dash=True),
            _text(x + 4, 22, label, "start", "#c8504b"),
        ]


def _frame(name, title, horizontal, label_room, band, length, series) -> Chart:
    legend = [(n, c) for n, _, c in series if n]
    if horizontal:
        return Chart(name, title, label_room + length + 30, int(30 + band + 20), legend=legend)
    return Chart(name, title, int(44 + band + 20), 30 + length + 30, legend=legend)


def _maximum(series: Sequence[Series], stacked: bool) -> float:
    columns = list(zip(*(values for _, values, _ in series), strict=True)) if series else []
    if stacked:
        return max((sum(float(v or 0) for v in column) for column in columns), default=0.0)
    return max((float(v or 0) for column in columns for v in column), default=0.0)


def _nice(top: float) -> float:
    """The axis end: the next 1, 2, 2.5 or 5 × 10^k at or above `top`."""
    if top <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(top))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= top:
            return factor * magnitude
    return 10 * magnitude


def _label_room(labels: Sequence[str]) -> int:
    longest = max((len(str(label)) for label in labels), default=4)
    return min(260, 16 + CHAR_WIDTH * longest)


def _text(x, y, text, anchor, fill="#222", size=FONT, rotate=None) -> dict:
    return {
        "kind": "text",
        "x": round(x, 1),
        "y": round(y, 1),
        "text": str(text),
        "anchor": anchor,
        "fill": fill,
        "size": size,
        "rotate": rotate,
    }


def _line(x1, y1, x2, y2, stroke, dash=False) -> dict:
    return {
        "kind": "line",
        "x1": round(x1, 1),
        "y1": round(y1, 1),
        "x2": round(x2, 1),
        "y2": round(y2, 1),
        "stroke": stroke,
        "dash": dash,
    }
