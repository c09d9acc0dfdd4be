"""Server-side SVG charts: no JavaScript, nothing fetched, the same on every browser.

Each chart is an `<svg role="img">` named by its `<title>` and `<desc>` (the desc says
what the chart shows in one sentence, with the largest value), carries its values as
text labels, and tells series apart by pattern as well as colour (solid bars and
hatched bars, a legend with both). The page puts the chart's data table beside it.
Colours and fonts come from classes in static/css/dashboard.css (the CSP forbids style
attributes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 720
HEIGHT = 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 40, 48


@dataclass
class Series:
    label: str
    values: Sequence[float | None]
    css: str  # "series-a" (solid) or "series-b" (hatched)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _number(value: float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}".replace(",", "\u202f")
    return text


def _frame(chart_id: str, title: str, desc: str, body: list[str]) -> Markup:
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    head = (
        f'<svg class="chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(desc)}</desc>'
    )
    # Every text and attribute value above went through escape(); numbers are formatted.
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704


def _defs(chart_id: str) -> str:
    return (
        f'<defs><pattern id="{chart_id}-hatch" patternUnits="userSpaceOnUse" width="6" '
        'height="6" patternTransform="rotate(45)">'
        '<rect class="hatch-bg" width="6" height="6"/>'
        '<line class="hatch-line" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>'
    )


def _y_axis(top_value: float, unit: str, percent: bool = False) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    out = []
    for i in range(5):
        value = top_value * i / 4
        y = TOP + plot_h - plot_h * i / 4
        label = f"{_number(value)}{' %' if percent else ''}"
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis-label" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
    out.append(f'<text class="axis-title" x="{LEFT - 48}" y="{TOP - 16}">{escape(unit)}</text>')
    return out


def _legend(chart_id: str, series: Sequence[Series]) -> list[str]:
    out, x = [], LEFT
    for s in series:
        fill = f'fill="url(#{chart_id}-hatch)"' if s.css == "series-b" else ""
        out.append(
            f'<rect class="bar {s.css}" {fill} x="{x}" y="8" width="16" height="16"/>'
            f'<text class="legend" x="{x + 22}" y="21">{escape(s.label)}</text>'
        )
        x += 30 + 8 * len(s.label)
    return out


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str,
) -> Markup:
    """Grouped bars, one group per category, a value label on each bar that has room."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = _nice_max(max((v or 0 for s in series for v in s.values), default=0))
    body = [_defs(chart_id), *_y_axis(top_value, unit), *_legend(chart_id, series)]
    n = max(len(categories), 1)
    group_w = plot_w / n
    bar_w = max(2.0, min(28.0, group_w * 0.8 / max(len(series), 1)))
    show_values = bar_w >= 14
    for i, category in enumerate(categories):
        gx = LEFT + group_w * i + (group_w - bar_w * len(series)) / 2
        for j, s in enumerate(series):
            value = s.values[i] or 0
            h = plot_h * value / top_value
            x, y = gx + bar_w * j, TOP + plot_h - h
            fill = f' fill="url(#{chart_id}-hatch)"' if s.css == "series-b" else ""
            body.append(
                f'<rect class="bar {s.css}"{fill} x="{x:.1f}" y="{y:.1f}" '
                f'width="{bar_w - 1:.1f}" height="{h:.1f}"/>'
            )
            if show_values and value:
                body.append(
                    f'<text class="value-label" x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" '
                    f'text-anchor="middle">{escape(_number(value))}</text>'
                )
        body.append(
            f'<text class="axis-label" x="{LEFT + group_w * (i + 0.5):.1f}" '
            f'y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{escape(category)}</text>'
        )
    body.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
        f'y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>'
    )
    return _frame(chart_id, title, desc, body)


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    values: Sequence[float | None],
    unit: str,
) -> Markup:
    """A line of per-cent values (0–100) with a marked, labelled point per category;
    gaps where a category has no value."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    body = [*_y_axis(100, unit, percent=True)]
    n = max(len(categories), 1)
    step = plot_w / n
    points: list[tuple[float, float, float]] = []
    segments: list[list[tuple[float, float]]] = [[]]
    for i, value in enumerate(values):
        x = LEFT + step * (i + 0.5)
        if value is None:
            segments.append([])
            continue
        y = TOP + plot_h - plot_h * max(0.0, min(value, 100.0)) / 100
        segments[-1].append((x, y))
        points.append((x, y, value))
    for seg in segments:
        if len(seg) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in seg)
            body.append(f'<polyline class="line" points="{path}"/>')
    for x, y, value in points:
        body.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4.5"/>'
            f'<text class="value-label" x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle">'
            f"{escape(_number(value, 0))} %</text>"
        )
    for i, category in enumerate(categories):
        body.append(
            f'<text class="axis-label" x="{LEFT + step * (i + 0.5):.1f}" '
            f'y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{escape(category)}</text>'
        )
    body.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
        f'y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>'
    )
    return _frame(chart_id, title, desc, body)
