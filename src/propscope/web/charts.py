"""Charts drawn as inline SVG on the server: no chart library, nothing for the browser to fetch.

Every label is escaped here (the result is Markup, inserted as is by the templates).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Colours of the compared series (outlets, languages, techniques over time), colour-blind safe
#: in their first eight.
PALETTE = (
    "#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5",
    "#9c6b4e", "#9498a0",
)  # fmt: skip


@dataclass
class Series:
    name: str
    values: list[float]
    # optional (low, high) around each value, drawn as whiskers
    intervals: list[tuple[float, float]] | None = None


def _ticks(high: float, most: int = 5) -> list[float]:
    """Round axis ticks from 0 to at least ``high``: steps of 1, 2 or 5 times a power of ten."""
    if high <= 0:
        return [0.0, 0.5, 1.0]
    rough = high / most
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if rough <= m * power)
    count = math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:g}"


def _open(width: float, height: float, title: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="11" '
        f'font-family="system-ui, sans-serif"><title>{escape(title)}</title>'
    )


def _legend(series: list[Series], x: float, y: float, width: float) -> tuple[list[str], float]:
    """Legend items laid out in rows; returns the SVG parts and the height used."""
    parts, cx, cy = [], x, y
    for index, item in enumerate(series):
        label = item.name if len(item.name) <= 28 else item.name[:27] + "…"
        size = 18 + 6.5 * len(label) + 14
        if cx + size > x + width and cx > x:
            cx, cy = x, cy + 18
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{cx:.1f}" y="{cy - 9:.1f}" width="11" height="11" rx="2" fill="{colour}"/>'
            f'<text x="{cx + 16:.1f}" y="{cy:.1f}">{escape(label)}</text>'
        )
        cx += size
    return parts, cy - y + 18


def empty_chart(message: str, width: int = 640) -> Markup:
    """A small image that says why there is no chart."""
    return Markup(
        f"{_open(width, 40, message)}"
        f'<text x="0" y="24" fill="#6b6b70">{escape(message)}</text></svg>'
    )


def bar_chart(
    categories: list[str],
    series: list[Series],
    unit: str,
    title: str = "",
    width: int = 640,
) -> Markup:
    """Horizontal bars: one row per category, one bar per series within it."""
    if not categories or not series:
        return empty_chart("Nothing to chart for these filters.", width)
    longest = max(len(c) for c in categories)
    label_width, right = min(230, 24 + 6 * min(longest, 34)), 20
    bar, gap = 9 if len(series) > 2 else 12, 10
    row = bar * len(series) + gap
    legend_parts, legend_height = _legend(series, label_width, 14, width - label_width - right)
    top = legend_height + 12
    plot = width - label_width - right
    height = top + row * len(categories) + 28
    high = max(
        [v for s in series for v in s.values]
        + [hi for s in series for _, hi in (s.intervals or [])]
        + [0.0]
    )
    ticks = _ticks(high)
    scale_max = ticks[-1]
    parts = [_open(width, height, title), *legend_parts]
    for value in ticks:
        x = label_width + plot * value / scale_max
        parts.append(
            f'<line class="grid" x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 24}"/>'
            f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle">{_fmt(value)}</text>'
        )
    for r, category in enumerate(categories):
        y0 = top + r * row
        label = category if len(category) <= 34 else category[:33] + "…"
        parts.append(
            f'<text class="label" x="{label_width - 8}" y="{y0 + (row - gap) / 2 + 4:.1f}" '
            f'text-anchor="end">{escape(label)}<title>{escape(category)}</title></text>'
        )
        for s_index, item in enumerate(series):
            value = item.values[r]
            y = y0 + s_index * bar
            length = plot * value / scale_max
            colour = PALETTE[s_index % len(PALETTE)]
            parts.append(
                f'<rect class="value" x="{label_width}" y="{y:.1f}" width="{max(length, 0.5):.1f}" '
                f'height="{bar - 1}" fill="{colour}"><title>{escape(item.name)}, '
                f"{escape(category)}: {value:.1f} {escape(unit)}</title></rect>"
            )
            if item.intervals:
                low, high_value = item.intervals[r]
                x1 = label_width + plot * low / scale_max
                x2 = label_width + plot * high_value / scale_max
                mid = y + (bar - 1) / 2
                parts.append(
                    f'<path class="whisker" d="M{x1:.1f} {mid:.1f}H{x2:.1f}M{x1:.1f} {mid - 3:.1f}'
                    f'V{mid + 3:.1f}M{x2:.1f} {mid - 3:.1f}V{mid + 3:.1f}" stroke="#333" '
                    f'stroke-width="1" fill="none"/>'
                )
    parts.append(
        f'<line class="axis" x1="{label_width}" y1="{top - 4}" x2="{label_width}" '
        f'y2="{height - 24}"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(
    periods: list[str], series: list[Series], unit: str, title: str = "", width: int = 640
) -> Markup:
    """One line per series over ``periods`` (months, in order)."""
    if not periods or not series:
        return empty_chart("Nothing to chart for these filters.", width)
    left, right, bottom = 44, 28, 30
    legend_parts, legend_height = _legend(series, left, 14, width - left - right)
    top = legend_height + 14
    height = top + 220 + bottom
    plot_w, plot_h = width - left - right, 220
    high = max([v for s in series for v in s.values] + [0.0])
    ticks = _ticks(high)
    scale_max = ticks[-1]

    def x_of(i: int) -> float:
        return left + (plot_w * i / (len(periods) - 1) if len(periods) > 1 else plot_w / 2)

    def y_of(v: float) -> float:
        return top + plot_h * (1 - v / scale_max)

    parts = [_open(width, height, title), *legend_parts]
    for value in ticks:
        y = y_of(value)
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(value)}</text>'
        )
    step = max(1, math.ceil(len(periods) / 10))
    for i, period in enumerate(periods):
        if i % step == 0 or i == len(periods) - 1:
            anchor = "middle"
            if len(periods) > 1 and i in (0, len(periods) - 1):
                anchor = "start" if i == 0 else "end"
            parts.append(
                f'<text x="{x_of(i):.1f}" y="{top + plot_h + 18}" text-anchor="{anchor}">'
                f"{escape(period)}</text>"
            )
    for s_index, item in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(item.values))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        for i, value in enumerate(item.values):
            parts.append(
                f'<circle cx="{x_of(i):.1f}" cy="{y_of(value):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(item.name)}, {escape(periods[i])}: {value:.1f} {escape(unit)}"
                f"</title></circle>"
            )
    parts.append(
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
        f'y2="{top + plot_h}"/></svg>'
    )
    return Markup("".join(parts))
