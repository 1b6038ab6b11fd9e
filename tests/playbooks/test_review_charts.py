"""The SVG geometry of the Review charts (pure functions)."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest

from playbooks import charts
from playbooks.reports import CodeShare
from playbooks.reports import Figures
from playbooks.reports import PhaseTime
from playbooks.reports import WeekCount


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (23, [0, 10, 20, 30]),
        (1234, [0, 500, 1000, 1500]),
        (2.7, [0, 1, 2, 3]),
        (0.3, [0, 0.1, 0.2, 0.3]),
    ],
)
def test_ticks_are_round_and_reach_the_maximum(maximum, ticks):
    assert charts.nice_ticks(maximum) == ticks


def test_whole_ticks_for_counts():
    assert charts.nice_ticks(1, whole=True) == [0, 1]
    assert charts.nice_ticks(0.3, whole=True) == [0, 1]


def test_columns_stack_the_series_from_the_axis_up():
    chart = charts.stacked_columns(
        ["Mar 2", "Mar 9"],
        [
            charts.Series("Closed", "bar-closed", [2, 1]),
            charts.Series("Canceled", "bar-canceled", [1, 0]),
        ],
        width=240,
        height=134,
    )
    # Plot from y=10 to y=108 (height - 26): 3 cases at most, ticks 0..3, 32.67 per case.
    assert [t.text for t in chart.ticks] == ["0", "1", "2", "3"]
    closed, canceled, second = chart.bars
    assert closed.y + closed.height == pytest.approx(chart.bottom)
    assert canceled.y + canceled.height == pytest.approx(closed.y)
    assert canceled.y == pytest.approx(chart.top)
    assert closed.height == pytest.approx(2 * second.height, abs=0.02)
    assert (closed.css, canceled.css) == ("bar-closed", "bar-canceled")
    assert closed.title == "Mar 2: 2 Closed"
    assert second.x > closed.x
    assert len(chart.bars) == 3  # no rectangle for zero
    assert [label.text for label in chart.labels] == ["Mar 2", "Mar 9"]


def test_many_columns_write_only_some_labels():
    chart = charts.stacked_columns(
        [f"W{i}" for i in range(52)], [charts.Series("Closed", "bar-closed", [1] * 52)]
    )
    assert len(chart.labels) == 13  # every 4th of 52
    assert all(bar.x + bar.width <= chart.right for bar in chart.bars)


def test_empty_columns():
    chart = charts.stacked_columns([], [charts.Series("Closed", "bar-closed", [])])
    assert chart.bars == [] and chart.labels == []


def test_horizontal_bars_scale_to_the_longest():
    chart = charts.horizontal_bars(
        [("Outcome achieved", 6, "6 (60%)"), ("Outcome not achieved", 3, "3 (30%)")],
        width=480,
        label_width=170,
        value_width=90,
    )
    first, second = chart.bars
    assert first.width == 220  # 480 - 170 - 90
    assert second.width == 110
    assert first.x == second.x == 170
    assert [n.text for n in chart.names] == ["Outcome achieved", "Outcome not achieved"]
    assert chart.values[0].text == "6 (60%)" and chart.values[0].x == 396
    assert chart.height == 2 * 30 + 4


def test_the_review_charts_from_figures():
    figures = Figures(
        cases=3,
        closed=2,
        closed_early=0,
        canceled=1,
        reviewed=0,
        cycle_median=timedelta(hours=20),
        cycle_p90=timedelta(hours=40),
        cycle_average=timedelta(hours=25),
        phases=[
            PhaseTime("Initiate", timedelta(hours=6)),
            PhaseTime("Assist", timedelta(days=3)),
            PhaseTime("Review & Close", None),
        ],
        meetings=1,
        tasks=2,
        codes=[CodeShare("Outcome achieved", 2, 1.0)],
        weeks=[WeekCount(date(2026, 3, 2), 2, 0), WeekCount(date(2026, 3, 9), 0, 1)],
    )
    built = charts.review_charts(figures)
    assert [label.text for label in built["weeks"].labels] == ["Mar 2", "Mar 9"]
    assert [bar.title for bar in built["codes"].bars] == ["Outcome achieved: 2 (100%)"]
    assert [v.text for v in built["phases"].values] == ["6.0 hours", "3.0 days", "—"]
    assert built["phases"].bars[2].width == 0


def test_a_bar_is_the_svg_the_template_wrote():
    from django.template import engines

    from playbooks.charts import Rect

    bar = Rect(36.0, 12.5, 17.333333, 181.5, "bar-closed", 'Week of Mar 2: 3 "Closed" <&>')
    written = engines["django"].from_string(
        '<rect class="{{ bar.css }}" x="{{ bar.x }}" y="{{ bar.y }}" width="{{ bar.width }}" '
        'height="{{ bar.height }}"><title>{{ bar.title }}</title></rect>'
    )
    assert bar.svg == written.render({"bar": bar})
    assert "&lt;&amp;&gt;" in bar.svg


@pytest.mark.parametrize(
    ("template", "chart"),
    [
        (
            "playbooks/partials/chart_columns.html",
            charts.stacked_columns(
                ["A", "B", "C"], [charts.Series("Closed", "s-closed", [1, 2, 3])], width=100
            ),
        ),
        (
            "playbooks/partials/chart_bars.html",
            charts.horizontal_bars([("Alpha", 2.5, "2.5 days"), ("Beta", 1.25, "1.25 days")]),
        ),
    ],
)
def test_the_svg_numbers_stay_numbers_in_a_decimal_comma_language(template, chart):
    """SVG reads "12.5", never "12,5": the coordinates are printed unlocalized."""
    import re

    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("de"):
        svg = render_to_string(template, {"chart": chart, "chart_id": "c", "title": "T"})
    numbers = re.findall(r'(?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', svg)
    assert numbers and any("." in n for n in numbers)
    assert not [n for n in numbers if "," in n], numbers
