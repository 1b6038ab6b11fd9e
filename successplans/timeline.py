"""The Success Tracker's time geometry, as pure functions (no database, no request).

A *window* is a span of whole units (weeks, months, quarters or years) chosen by
the zoom; its *ticks* are those units with a label. A *bar* is a record's dates
placed in the window as CSS percentages (``left``, ``width``), clipped to the
window, or ``None`` when the record lies wholly outside it.

Dates are whole days and an end date is inclusive: a task from Mar 3 to Mar 3
takes one day of width.

Stored dates lie in ``core.dates``' range (1900-01-01 to 2999-12-31); a window starts
inside it (Previous and Next stop at its edges) and nothing here computes a day past
``date.max`` or before ``date.min``, whatever the dates it is given.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import NamedTuple

from django.utils import timezone

from core.dates import MAX_DATE
from core.dates import MIN_DATE
from core.dates import RANGE_MESSAGE
from core.dates import in_range


class Zoom(enum.StrEnum):
    WEEKS = "weeks"
    MONTHS = "months"
    QUARTERS = "quarters"
    YEARS = "years"

    @property
    def label(self) -> str:
        return self.value.capitalize()


DEFAULT_ZOOM = Zoom.MONTHS


@dataclass(frozen=True)
class ZoomSpec:
    units: int  # how many units the window shows
    step: int  # how many units Previous / Next move it
    lead: int  # how many units before today's unit the default window starts


ZOOMS: dict[Zoom, ZoomSpec] = {
    Zoom.WEEKS: ZoomSpec(units=12, step=4, lead=2),
    Zoom.MONTHS: ZoomSpec(units=12, step=3, lead=2),
    Zoom.QUARTERS: ZoomSpec(units=8, step=4, lead=1),
    Zoom.YEARS: ZoomSpec(units=5, step=1, lead=1),
}

MONTHS_PER_UNIT = {Zoom.MONTHS: 1, Zoom.QUARTERS: 3, Zoom.YEARS: 12}


def parse_zoom(value: str | None) -> tuple[Zoom, str | None]:
    """The zoom asked for, or the default and a message saying why."""
    if not value:
        return DEFAULT_ZOOM, None
    try:
        return Zoom(value.strip().lower()), None
    except ValueError:
        choices = ", ".join(z.value for z in Zoom)
        return DEFAULT_ZOOM, (f"“{value}” is not a zoom ({choices}): showing {DEFAULT_ZOOM.value}.")


def parse_start(value: str | None) -> tuple[date | None, str | None]:
    """The start date asked for (YYYY-MM-DD, inside the date range), or None and a message
    saying why."""
    if not value:
        return None, None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None, f"“{value}” is not a date (YYYY-MM-DD): showing the current window."
    if not in_range(day):
        return None, (
            f"“{value}” is outside the dates the tracker shows. {RANGE_MESSAGE} "
            "Showing the current window."
        )
    return day, None


# -- units -------------------------------------------------------------------------------
def _add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after ``day``'s month (``day`` is a first)."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def align(day: date, zoom: Zoom) -> date:
    """The first day of the unit holding ``day``: its Monday, month, quarter or year."""
    if zoom == Zoom.WEEKS:
        return day - timedelta(days=day.weekday())
    if zoom == Zoom.MONTHS:
        return day.replace(day=1)
    if zoom == Zoom.QUARTERS:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def shift(day: date, zoom: Zoom, units: int) -> date:
    """``day`` (aligned) moved by ``units`` whole units, back when negative."""
    day = align(day, zoom)
    if zoom == Zoom.WEEKS:
        return day + timedelta(weeks=units)
    return _add_months(day, units * MONTHS_PER_UNIT[zoom])


def _quarter(day: date) -> str:
    return f"Q{(day.month - 1) // 3 + 1}"


def _year(day: date) -> str:
    return str(day.year)


class TickTexts(NamedTuple):
    """How a zoom writes its unit: in full, short enough for a narrow tick, and the larger
    unit a short text belongs to."""

    label: Callable[[date], str]
    short: Callable[[date], str]
    group: Callable[[date], str]


TICK_TEXTS: dict[Zoom, TickTexts] = {
    Zoom.WEEKS: TickTexts(
        lambda d: f"{d:%b} {d.day}", lambda d: str(d.day), lambda d: f"{d:%b %Y}"
    ),
    Zoom.MONTHS: TickTexts(lambda d: f"{d:%b %Y}", lambda d: f"{d:%b}", _year),
    Zoom.QUARTERS: TickTexts(lambda d: f"{_quarter(d)} {d.year}", _quarter, _year),
    Zoom.YEARS: TickTexts(_year, _year, lambda d: ""),
}


def tick_label(day: date, zoom: Zoom) -> str:
    """The unit in full: ``Mar 3`` (week starting), ``Mar 2025``, ``Q1 2025`` or ``2025``."""
    return TICK_TEXTS[zoom].label(day)


def tick_short(day: date, zoom: Zoom) -> str:
    """What fits on a narrow tick: ``3`` (day of the week's Monday), ``Mar``, ``Q1``, ``2025``."""
    return TICK_TEXTS[zoom].short(day)


def tick_group(day: date, zoom: Zoom) -> str:
    """The larger unit a tick's short label belongs to: ``Mar 2025`` for weeks, else the year
    (none for years)."""
    return TICK_TEXTS[zoom].group(day)


# -- window and ticks --------------------------------------------------------------------
@dataclass(frozen=True)
class Tick:
    start: date
    label: str  # in full, e.g. "Mar 2025"
    left: float
    width: float
    short: str = ""  # e.g. "Mar"
    group: str = ""  # e.g. "2025", on the first tick of the window and of each group only

    @property
    def style(self) -> str:
        """Inline CSS placing the tick; written with a dot whatever the locale."""
        return f"left: {self.left:.2f}%; width: {self.width:.2f}%"


@dataclass(frozen=True)
class Window:
    zoom: Zoom
    start: date  # first day shown
    end: date  # first day NOT shown

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def previous_start(self) -> date:
        """Where Previous goes: a step back, but not before the unit holding ``MIN_DATE``."""
        if self.start <= align(MIN_DATE, self.zoom):
            return max(self.start, MIN_DATE)
        return max(shift(self.start, self.zoom, -ZOOMS[self.zoom].step), MIN_DATE)

    @property
    def next_start(self) -> date:
        """Where Next goes: a step on, but not past the unit holding ``MAX_DATE``."""
        last = align(MAX_DATE, self.zoom)
        if self.start >= last:
            return min(self.start, MAX_DATE)
        return min(shift(self.start, self.zoom, ZOOMS[self.zoom].step), last)

    def percent(self, day: date) -> float:
        """Where ``day`` begins, as a percentage of the window's width (may fall outside 0-100)."""
        return (day - self.start).days * 100 / self.days

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


def default_start(zoom: Zoom, today: date) -> date:
    """The window's start when none is asked for: a little before today's unit."""
    return shift(today, zoom, -ZOOMS[zoom].lead)


def window(zoom: Zoom, start: date | None = None, *, today: date | None = None) -> Window:
    """The window of ``zoom`` beginning at the unit holding ``start`` (default: near today).

    ``start`` is kept inside the date range, so the window's units never leave ``date``.
    """
    if start is None:
        start = default_start(zoom, today or timezone.localdate())
    first = align(min(max(start, MIN_DATE), MAX_DATE), zoom)
    return Window(zoom=zoom, start=first, end=shift(first, zoom, ZOOMS[zoom].units))


GRIDLINE = "#eceff4"


def gridlines_style(marks: list[Tick]) -> str:
    """The ticks' gridlines as one CSS custom property for the whole tracker: each row's
    lane paints it as its background (app.css ``.tracker-lane``), so the page carries the
    lines once, not a dozen elements in every row (the page stays under 100 KB)."""
    stops = ["transparent 0"]
    for tick in marks:
        at = f"{tick.left:.2f}%"
        stops += [
            f"transparent {at}",
            f"{GRIDLINE} {at}",
            f"{GRIDLINE} calc({at} + 1px)",
            f"transparent calc({at} + 1px)",
        ]
    return f"--tracker-grid: linear-gradient(to right, {', '.join(stops)})"


def ticks(win: Window) -> list[Tick]:
    """One tick per unit of the window, with its labels and its place in percent.

    A tick names its group (the month of a week, the year of a month or a
    quarter) when it is the window's first or the first of its group.
    """
    result = []
    day, previous_group = win.start, None
    while day < win.end:
        following = shift(day, win.zoom, 1)
        group = tick_group(day, win.zoom)
        result.append(
            Tick(
                start=day,
                label=tick_label(day, win.zoom),
                left=round(win.percent(day), 2),
                width=round(win.percent(following) - win.percent(day), 2),
                short=tick_short(day, win.zoom),
                group=group if group != previous_group else "",
            )
        )
        day, previous_group = following, group
    return result


# -- bars --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Span:
    """A record's dates as the tracker shows them.

    ``end`` is None for an open-ended record (neither it nor its plan has an end
    date): its bar runs on past the window. ``inherited`` says the dates (or
    one of them) came from the plan.
    """

    start: date
    end: date | None
    inherited: bool = False


def resolve_span(
    start: date | None,
    end: date | None,
    plan_start: date | None = None,
    plan_end: date | None = None,
) -> Span | None:
    """A record's own dates, falling back to its plan's; None when there are none at all."""
    own_start, own_end = start, end
    start = start or plan_start
    end = end or plan_end
    if start is None and end is None:
        return None
    if start is None:
        start = end  # only an end date: show that day
    if end is not None and end < start:
        # A plan's date filling in for a missing one may come out of order (a
        # task due before its plan's effective date): show the one day it has.
        start = end = own_start or own_end
    inherited = (own_start is None and start is not None) or (own_end is None and end is not None)
    return Span(start=start, end=end, inherited=inherited)


@dataclass(frozen=True)
class Bar:
    left: float
    width: float
    clipped_start: bool  # the record began before the window
    clipped_end: bool  # the record goes on after the window

    @property
    def style(self) -> str:
        """Inline CSS placing the bar; written with a dot whatever the locale."""
        return f"left: {self.left:.2f}%; width: {self.width:.2f}%"


def bar(win: Window, start: date, end: date | None) -> Bar | None:
    """The bar of a record from ``start`` to ``end`` (inclusive; None: open-ended).

    Clipped to the window; None when the record lies wholly before or after it. (The day
    after ``end`` is only computed inside the window, so ``date.max`` cannot overflow.)
    """
    if start >= win.end or (end is not None and end < win.start):
        return None
    clipped_end = end is None or end >= win.end
    first = max(start, win.start)
    after = win.end if clipped_end else end + timedelta(days=1)  # the first day after it
    left = round(win.percent(first), 2)
    width = round(win.percent(after) - win.percent(first), 2)
    return Bar(left=left, width=width, clipped_start=start < win.start, clipped_end=clipped_end)


def label_style(bar: Bar, today: float | None) -> str:
    """Inline CSS placing a bar's label in its lane so that it never crosses today's line.

    The label grows away from the line: from the bar's start (or from the line, when the
    line crosses the bar's first half of the window) rightwards, or back from the bar's end
    (or from the line) leftwards. Without a line, labels of bars in the window's right half
    end at the bar's end, so they stay inside the window.
    """
    end = round(bar.left + bar.width, 2)
    if today is None:
        return f"left: {bar.left:.2f}%" if bar.left < 50 else f"right: {100 - end:.2f}%"
    if today <= bar.left:  # the whole bar is after the line
        return f"left: {bar.left:.2f}%"
    if today >= end:  # the whole bar is before the line
        if end >= 30:
            return f"right: {100 - end:.2f}%"
        return f"left: {today:.2f}%"  # no room before it: after the line instead
    if today < 50:  # the line crosses the bar
        return f"left: {today:.2f}%"
    return f"right: {100 - today:.2f}%"


def today_marker(win: Window, today: date) -> float | None:
    """Where today's line goes, in percent, or None when today is outside the window."""
    if not win.contains(today):
        return None
    return round(win.percent(today), 2)


def format_span(span: Span | None) -> str:
    """A span in words: ``Mar 3, 2025 - Jun 1, 2025`` (with an en dash), ``Mar 3, 2025``,
    ``from Mar 3, 2025 (no end date)`` or ``no dates``."""
    if span is None:
        return "no dates"
    start = _long(span.start)
    if span.end is None:
        return f"from {start} (no end date)"
    if span.end == span.start:
        return start
    return f"{start} \N{EN DASH} {_long(span.end)}"


def _long(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"
