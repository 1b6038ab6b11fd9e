"""Filters that write the Review page's figures in words a manager reads at a glance.

``duration`` and ``hours`` are the workspace's own (``core.formatting``), built in everywhere.
"""

from __future__ import annotations

from django import template

register = template.Library()

NONE = "—"


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
