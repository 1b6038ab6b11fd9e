"""Filters that write the Review page's figures in words a manager reads at a glance."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()

NONE = "—"


@register.filter
def duration(value: timedelta | None) -> str:
    """Days from two days on ("9.4 days"), hours below ("26.5 hours"); an em dash for none."""
    if value is None:
        return NONE
    hours = value.total_seconds() / 3600
    if hours >= 48:
        return f"{hours / 24:.1f} days"
    return f"{hours:.1f} hours"


@register.filter
def hours(value: timedelta | None) -> str:
    """A duration in hours with one decimal ("52.3"), or an em dash."""
    if value is None:
        return NONE
    return f"{value.total_seconds() / 3600:.1f}"


@register.filter
def percent(value: float | None) -> str:
    """A share (0..1) as a whole percentage: "44%"."""
    if value is None:
        return NONE
    return f"{value * 100:.0f}%"


@register.filter
def decimal1(value: float | None) -> str:
    """A number with one decimal ("1.8"), or an em dash."""
    if value is None:
        return NONE
    return f"{value:.1f}"
