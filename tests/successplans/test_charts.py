from datetime import UTC
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

from successplans.charts import CHART_HEIGHT
from successplans.charts import CHART_PAD
from successplans.charts import CHART_WIDTH
from successplans.charts import kpi_chart


def point(value, day):
    return SimpleNamespace(value=Decimal(value), recorded_at=datetime(2026, 1, day, tzinfo=UTC))


def test_no_values_no_chart():
    kpi = SimpleNamespace(name="NPS", target=Decimal(40), baseline=None)
    assert kpi_chart(kpi, []) is None


def test_points_span_the_width_and_the_value_range():
    kpi = SimpleNamespace(name="Active users", target=Decimal(100), baseline=Decimal(0))
    chart = kpi_chart(kpi, [point(0, 1), point(50, 2), point(100, 3)])
    xs = [float(dot["x"]) for dot in chart["dots"]]
    ys = [float(dot["y"]) for dot in chart["dots"]]
    assert xs == [CHART_PAD, CHART_WIDTH / 2, CHART_WIDTH - CHART_PAD]
    # Higher values are drawn higher (smaller y); the target sits on the top edge.
    assert ys == [CHART_HEIGHT - CHART_PAD, CHART_HEIGHT / 2, CHART_PAD]
    assert float(chart["target_y"]) == CHART_PAD
    assert chart["summary"] == "Active users: 3 recorded values, from 0 to 100, target 100"


def test_a_single_value_sits_in_the_middle():
    kpi = SimpleNamespace(name="K", target=None, baseline=None)
    chart = kpi_chart(kpi, [point(7, 1)])
    assert float(chart["dots"][0]["x"]) == CHART_WIDTH / 2
    assert chart["target_y"] is None
