"""How SuccessHub writes durations and people, in one place (pages, CSV and charts alike)."""

from __future__ import annotations

from datetime import timedelta

NONE = "—"


def hours(value: timedelta | None, *, places: int = 1, none: str = NONE) -> str:
    """A duration in hours ("52.3"; ``places=2`` for the CSV export), ``none`` when missing."""
    if value is None:
        return none
    return f"{value.total_seconds() / 3600:.{places}f}"


def duration(value: timedelta | None) -> str:
    """Days from two days on ("9.4 days"), hours below ("26.5 hours"); an em dash for none."""
    if value is None:
        return NONE
    in_hours = value.total_seconds() / 3600
    if in_hours >= 48:
        return f"{in_hours / 24:.1f} days"
    return f"{in_hours:.1f} hours"


def person(user) -> str:
    """A user's full name, or username; an em dash when there is nobody."""
    if user is None:
        return NONE
    return user.get_full_name() or user.get_username()
