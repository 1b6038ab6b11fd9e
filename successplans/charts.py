"""The KPI history chart: pure geometry for a small server-drawn SVG line chart."""

from __future__ import annotations

from .models import KPIValue
from .models import ObjectiveKPI


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 320, 120, 12


def kpi_chart(kpi: ObjectiveKPI, history: list[KPIValue]) -> dict | None:
    """A small line chart of the KPI's current-value history, drawn server-side as SVG.

    x is the time of each change, y the value; the target (and baseline) are
    dashed lines. None when there is no value to draw.
    """
    points = [entry for entry in history if entry.value is not None]
    if not points:
        return None
    values = [float(entry.value) for entry in points]
    references = [float(v) for v in (kpi.target, kpi.baseline) if v is not None]
    low, high = min(values + references), max(values + references)
    if high == low:
        low, high = low - 1, high + 1
    inner_w, inner_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD

    # Coordinates are formatted here, so a locale's decimal comma never reaches the SVG.
    def y(value: float) -> str:
        return f"{CHART_PAD + (high - value) / (high - low) * inner_h:.1f}"

    times = [entry.recorded_at.timestamp() for entry in points]
    start, span = times[0], times[-1] - times[0]

    def x(index: int) -> str:
        if len(points) == 1:
            share = 0.5
        elif span > 0:
            share = (times[index] - start) / span
        else:
            share = index / (len(points) - 1)
        return f"{CHART_PAD + share * inner_w:.1f}"

    dots = [
        {"x": x(i), "y": y(v), "value": entry.value, "at": entry.recorded_at}
        for i, (entry, v) in enumerate(zip(points, values, strict=True))
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "pad": CHART_PAD,
        "right": CHART_WIDTH - CHART_PAD,
        "line": " ".join(f"{dot['x']},{dot['y']}" for dot in dots),
        "dots": dots,
        "target_y": y(float(kpi.target)) if kpi.target is not None else None,
        "baseline_y": y(float(kpi.baseline)) if kpi.baseline is not None else None,
        "low": f"{low:g}",
        "high": f"{high:g}",
        "summary": (
            f"{kpi.name}: {_plural(len(points), 'recorded value')}, "
            f"from {points[0].value} to {points[-1].value}"
            + (f", target {kpi.target}" if kpi.target is not None else "")
        ),
    }
