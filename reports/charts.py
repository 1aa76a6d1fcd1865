"""Charts as inline SVG: no script, no network, and they print as sharply as the text.

Each function returns ``markupsafe.Markup`` ready to drop into an autoescaped template; every label
is escaped here, since category names and handlers come from the workbook.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

# Colour-blind-safe palette (Okabe-Ito), in the order series use it.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#999999", "#000000")
GRID = "#d9dde3"
INK = "#334"
FONT = "font-family:inherit;font-size:12px"


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top`` (0, 20, 40 ... rather than 0, 17, 34 ...)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < top - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    head = (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
            f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet" '
            f'style="{FONT}"><title>{escape(title)}</title>')
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, text: object, anchor: str = "start", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{INK}" {extra}>'
            f"{escape(str(text))}</text>")


def _axis_label(x: float, y: float, text: str) -> str:
    """A centred label under the axis; a line break starts a second line."""
    lines = str(text).split("\n")
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 14}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" fill="{INK}">{spans}</text>'


def _clip(text: str, limit: int) -> str:
    """Shorten long labels; the full text stays in the tooltip."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _legend(names: Sequence[str], x: float, y: float) -> list[str]:
    parts, cursor = [], x
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{cursor:.1f}" y="{y - 9:.1f}" width="10" height="10" '
                     f'fill="{colour}"/>')
        parts.append(_text(cursor + 14, y, name))
        cursor += 28 + 6.2 * _width(name)
    return parts


def _width(text: str) -> float:
    """Rough text width in units of a Latin letter: CJK characters are about twice as wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str,
              fmt: Callable[[float], str] = lambda v: f"{v:,.0f}", width: int = 470,
              empty: str = "–") -> Markup:
    """Horizontal bars, one per label, with the value at the end of each bar.

    With nothing to show (no labels, or every value 0) the chart says ``empty`` instead.
    """
    label_w = min(200, 16 + 7.5 * max((_width(str(label)) for label in labels), default=4))
    row, top = 24, 8
    height = top + row * max(len(labels), 1) + 8
    peak = max((v for v in values if v is not None), default=0) or 1
    span = width - label_w - 60
    if not any(values):
        return _svg(width, 48, title, [_text(8, 28, empty, extra='font-style="italic"')])
    body = []
    for i, (name, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row
        bar = span * (value or 0) / peak
        body.append(_text(label_w - 8, y + 16, _clip(str(name), 28), "end"))
        body.append(f'<rect x="{label_w:.1f}" y="{y + 4}" width="{bar:.1f}" height="{row - 8}" '
                    f'fill="{PALETTE[0]}"><title>{escape(str(name))}: '
                    f"{escape(fmt(value or 0))}</title></rect>")
        body.append(_text(label_w + bar + 6, y + 16, fmt(value or 0)))
    return _svg(width, height, title, body)


def column_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
                 title: str, stacked: bool = False, width: int = 960) -> Markup:
    """Vertical columns per category (x), grouped or stacked by series, with a legend.

    A category label may hold a line break ("Jan\n2026") to put the year under the month.
    """
    height, left, right, top, bottom = 280, 48, 12, 28, 44
    inner_w, inner_h = width - left - right, height - top - bottom
    totals = ([sum(s[1][i] or 0 for s in series) for i in range(len(categories))] if stacked
              else [max((s[1][i] or 0 for s in series), default=0)
                    for i in range(len(categories))])
    ticks = nice_ticks(max(totals, default=0))
    scale = inner_h / ticks[-1]
    body = _axes(ticks, scale, left, top, inner_w, inner_h)
    slot = inner_w / max(len(categories), 1)
    bar_w = slot * 0.7 / (1 if stacked else max(len(series), 1))
    for i, category in enumerate(categories):
        x0, base = left + i * slot + slot * 0.15, top + inner_h
        for j, (name, values) in enumerate(series):
            value = values[i] or 0
            h = value * scale
            x = x0 if stacked else x0 + j * bar_w
            y = base - h if stacked else top + inner_h - h
            if h > 0:
                body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                            f'height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}"><title>'
                            f"{escape(category)} · {escape(name)}: {value:,.0f}</title></rect>")
            if stacked:
                base -= h
        body.append(_axis_label(left + i * slot + slot / 2, top + inner_h + 16, category))
    body += _legend([name for name, _ in series], left, 14)
    return _svg(width, height, title, body)


def line_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
               title: str, percent: bool = True, width: int = 470) -> Markup:
    """Lines over the categories (months); a gap where a value is missing."""
    height, left, right, top, bottom = 240, 44, 12, 28, 44
    inner_w, inner_h = width - left - right, height - top - bottom
    peak = max((v for _, vs in series for v in vs if v is not None), default=0)
    ticks = [0, 0.25, 0.5, 0.75, 1.0] if percent else nice_ticks(peak)
    scale = inner_h / ticks[-1]
    label = (lambda v: f"{v * 100:.0f}%") if percent else (lambda v: f"{v:g}")
    body = _axes(ticks, scale, left, top, inner_w, inner_h, label)
    slot = inner_w / max(len(categories), 1)
    for i, category in enumerate(categories):
        body.append(_axis_label(left + i * slot + slot / 2, top + inner_h + 16, category))
    for j, (name, values) in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        points = [(left + i * slot + slot / 2, top + inner_h - v * scale, v)
                  for i, v in enumerate(values) if v is not None and not math.isnan(v)]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                        f'stroke-width="2"/>')
        for x, y, v in points:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>'
                        f"{escape(name)}: {escape(label(v))}</title></circle>")
    body += _legend([name for name, _ in series], left, 14)
    return _svg(width, height, title, body)


def _axes(ticks: list[float], scale: float, left: float, top: float, inner_w: float,
          inner_h: float, label: Callable[[float], str] = lambda v: f"{v:,g}") -> list[str]:
    parts = []
    for tick in ticks:
        y = top + inner_h - tick * scale
        parts.append(f'<line x1="{left}" x2="{left + inner_w}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}"/>')
        parts.append(_text(left - 6, y + 4, label(tick), "end"))
    return parts
