"""Geometry for the Review page's charts, drawn as inline SVG by the templates.

Pure functions from numbers to rectangles, ticks and labels in a fixed
``viewBox`` (the SVG scales to its box), so the server draws the charts
without JavaScript or anything from the internet. The templates add the
numbers as text next to each chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.formatting import duration

if TYPE_CHECKING:
    from .reports import Figures


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    #: The tooltip, e.g. "Week of Mar 2: 3 Closed".
    title: str

    @property
    def svg(self) -> str:
        """The bar as SVG markup, built here: a chart has up to a hundred bars, and six
        template lookups a bar were most of the Review page's rendering."""
        # An f-string rather than format_html, which escaped the four numbers as well: the
        # two texts are escaped, the numbers are floats.
        return mark_safe(
            f'<rect class="{escape(self.css)}" x="{self.x}" y="{self.y}" '
            f'width="{self.width}" height="{self.height}"><title>{escape(self.title)}</title>'
            "</rect>"
        )


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Series:
    name: str
    css: str
    values: Sequence[float]


@dataclass(frozen=True)
class ColumnChart:
    """Vertical (stacked) columns, one per category, with a value axis on the left."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    bars: list[Rect]
    ticks: list[Label]  # value axis: label at (x, y); the grid line runs at y
    labels: list[Label]  # category labels under the columns
    legend: list[Series]


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per row, each with its name on the left and its value text."""

    width: int
    height: int
    label_x: float
    bars: list[Rect]
    names: list[Label]
    values: list[Label]


def nice_ticks(maximum: float, count: int = 4, *, whole: bool = False) -> list[float]:
    """Round axis values from 0 up to at least ``maximum``: steps of 1, 2 or 5 times 10^k.

    ``whole``: steps of at least 1 (for counts of cases).

    >>> nice_ticks(7)
    [0, 2, 4, 6, 8]
    """
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if whole or step >= 1:
        step = max(round(step), 1)
    steps = math.ceil(maximum / step - 1e-9)
    return [_tidy(step * i) for i in range(steps + 1)]


def _tidy(value: float) -> float:
    value = round(value, 6)
    return int(value) if value == int(value) else value


def _fmt(value: float) -> str:
    return f"{value:g}"


def stacked_columns(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 960,
    height: int = 220,
    max_labels: int = 16,
) -> ColumnChart:
    """Columns for ``categories``, each stacking the values (counts) of every series bottom-up.

    Only about ``max_labels`` category labels are written so they never overlap.
    """
    left, right, top, bottom = 36.0, width - 8.0, 10.0, height - 26.0
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    ticks = nice_ticks(max(totals, default=0), whole=True)
    scale = (bottom - top) / ticks[-1]
    slot = (right - left) / max(len(categories), 1)
    bar_width = max(slot * 0.7, 1.0)
    bars, labels = [], []
    every = max(1, math.ceil(len(categories) / max_labels))
    for i, category in enumerate(categories):
        x = left + slot * i + (slot - bar_width) / 2
        base = bottom
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            h = value * scale
            base -= h
            bars.append(
                Rect(
                    round(x, 2),
                    round(base, 2),
                    round(bar_width, 2),
                    round(h, 2),
                    s.css,
                    f"{category}: {_fmt(value)} {s.name}",
                )
            )
        if i % every == 0:
            labels.append(Label(round(x + bar_width / 2, 2), height - 8.0, category))
    tick_labels = [Label(left - 6, round(bottom - t * scale, 2), _fmt(t)) for t in ticks]
    return ColumnChart(
        width, height, left, right, top, bottom, bars, tick_labels, labels, list(series)
    )


def horizontal_bars(
    rows: Sequence[tuple[str, float, str]],
    *,
    width: int = 520,
    row_height: int = 30,
    label_width: int = 180,
    value_width: int = 90,
    css: str = "bar",
) -> BarChart:
    """One bar per ``(name, value, value text)`` row, the longest filling the width."""
    height = max(len(rows), 1) * row_height + 4
    span = width - label_width - value_width
    maximum = max((value for _name, value, _text in rows), default=0) or 1
    bars, names, values = [], [], []
    for i, (name, value, text) in enumerate(rows):
        y = 2 + i * row_height
        length = max(value, 0) / maximum * span
        bars.append(
            Rect(
                float(label_width),
                y + 4.0,
                round(length, 2),
                row_height - 8.0,
                css,
                f"{name}: {text}",
            )
        )
        names.append(Label(label_width - 8.0, y + row_height / 2 + 4, name))
        values.append(Label(round(label_width + length + 6, 2), y + row_height / 2 + 4, text))
    return BarChart(width, height, label_width - 8.0, bars, names, values)


# -- the Review page's three charts ----------------------------------------------------------
def review_charts(figures: Figures) -> dict[str, ColumnChart | BarChart]:
    """Closed cases per week, closure codes and average time in phase, from ``figures``."""
    weeks = figures.weeks
    return {
        "weeks": stacked_columns(
            [f"{w.week:%b} {w.week.day}" for w in weeks],
            [
                Series("Closed", "bar-closed", [w.closed for w in weeks]),
                Series("Canceled", "bar-canceled", [w.canceled for w in weeks]),
            ],
        ),
        "codes": horizontal_bars(
            [(c.name, c.count, f"{c.count} ({c.share:.0%})") for c in figures.codes],
            css="bar-code",
        ),
        "phases": horizontal_bars(
            [(p.label, _days(p.average), duration(p.average)) for p in figures.phases],
            css="bar-phase",
        ),
    }


def _days(value: timedelta | None) -> float:
    return value.total_seconds() / 86400 if value else 0.0
