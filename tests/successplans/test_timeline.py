"""The Success Tracker's geometry: windows, ticks and bars, as pure functions."""

from datetime import date

import pytest

from successplans import timeline
from successplans.timeline import Bar
from successplans.timeline import Span
from successplans.timeline import Zoom

DASH = "\N{EN DASH}"  # between two dates

# Monday Jan 6, 2025 to Sunday Mar 30, 2025: 12 weeks, 84 days.
WEEKS = timeline.window(Zoom.WEEKS, date(2025, 1, 8))


# -- zoom and start from the query string ----------------------------------------------------
def test_it_reads_a_zoom_and_defaults_to_months():
    assert timeline.parse_zoom("weeks") == (Zoom.WEEKS, None)
    assert timeline.parse_zoom(" Quarters ") == (Zoom.QUARTERS, None)
    assert timeline.parse_zoom(None) == (Zoom.MONTHS, None)
    assert timeline.parse_zoom("") == (Zoom.MONTHS, None)


def test_it_explains_an_unknown_zoom():
    zoom, message = timeline.parse_zoom("days")
    assert zoom == Zoom.MONTHS
    assert message == "“days” is not a zoom (weeks, months, quarters, years): showing months."


def test_it_reads_a_start_date_and_explains_a_bad_one():
    assert timeline.parse_start("2025-03-15") == (date(2025, 3, 15), None)
    assert timeline.parse_start(None) == (None, None)
    for bad in ("2025-13-01", "yesterday", "15/03/2025"):
        start, message = timeline.parse_start(bad)
        assert start is None
        assert message == f"“{bad}” is not a date (YYYY-MM-DD): showing the current window."


# -- windows -----------------------------------------------------------------------------------
def test_a_weeks_window_is_twelve_weeks_from_a_monday():
    assert (WEEKS.start, WEEKS.end, WEEKS.days) == (date(2025, 1, 6), date(2025, 3, 31), 84)
    assert WEEKS.last_day == date(2025, 3, 30)


@pytest.mark.parametrize(
    ("zoom", "start", "first", "end"),
    [
        (Zoom.MONTHS, date(2025, 3, 15), date(2025, 3, 1), date(2026, 3, 1)),
        (Zoom.QUARTERS, date(2025, 5, 10), date(2025, 4, 1), date(2027, 4, 1)),
        (Zoom.YEARS, date(2025, 5, 10), date(2025, 1, 1), date(2030, 1, 1)),
    ],
)
def test_a_window_starts_at_its_unit_and_spans_the_zooms_units(zoom, start, first, end):
    win = timeline.window(zoom, start)
    assert (win.start, win.end) == (first, end)


@pytest.mark.parametrize(
    ("zoom", "start"),
    [
        (Zoom.WEEKS, date(2025, 4, 21)),  # Monday of today's week, two weeks back
        (Zoom.MONTHS, date(2025, 3, 1)),  # two months back
        (Zoom.QUARTERS, date(2025, 1, 1)),  # one quarter back
        (Zoom.YEARS, date(2024, 1, 1)),  # one year back
    ],
)
def test_without_a_start_the_window_opens_a_little_before_today(zoom, start):
    today = date(2025, 5, 10)  # a Saturday in Q2
    win = timeline.window(zoom, None, today=today)
    assert win.start == start
    assert win.contains(today)


def test_previous_and_next_move_by_the_zooms_step():
    months = timeline.window(Zoom.MONTHS, date(2025, 3, 1))
    assert (months.previous_start, months.next_start) == (date(2024, 12, 1), date(2025, 6, 1))
    assert (WEEKS.previous_start, WEEKS.next_start) == (date(2024, 12, 9), date(2025, 2, 3))
    quarters = timeline.window(Zoom.QUARTERS, date(2025, 4, 1))
    assert (quarters.previous_start, quarters.next_start) == (date(2024, 4, 1), date(2026, 4, 1))
    years = timeline.window(Zoom.YEARS, date(2025, 1, 1))
    assert (years.previous_start, years.next_start) == (date(2024, 1, 1), date(2026, 1, 1))


def test_shift_crosses_year_ends():
    assert timeline.shift(date(2025, 11, 20), Zoom.MONTHS, 3) == date(2026, 2, 1)
    assert timeline.shift(date(2025, 1, 1), Zoom.MONTHS, -1) == date(2024, 12, 1)
    assert timeline.shift(date(2025, 2, 14), Zoom.QUARTERS, -1) == date(2024, 10, 1)


# -- ticks -------------------------------------------------------------------------------------
def test_week_ticks_are_labelled_by_their_monday_and_equally_wide():
    ticks = timeline.ticks(WEEKS)
    assert [t.label for t in ticks][:3] == ["Jan 6", "Jan 13", "Jan 20"]
    assert ticks[-1].label == "Mar 24"
    assert len(ticks) == 12
    assert [t.left for t in ticks[:3]] == [0.0, 8.33, 16.67]
    assert {t.width for t in ticks} == {8.33}


def test_month_ticks_follow_the_length_of_each_month():
    ticks = timeline.ticks(timeline.window(Zoom.MONTHS, date(2025, 1, 1)))  # 365 days
    assert [t.label for t in ticks] == [
        "Jan 2025", "Feb 2025", "Mar 2025", "Apr 2025", "May 2025", "Jun 2025",
        "Jul 2025", "Aug 2025", "Sep 2025", "Oct 2025", "Nov 2025", "Dec 2025",
    ]  # fmt: skip
    assert (ticks[0].left, ticks[0].width) == (0.0, 8.49)  # 31 / 365
    assert (ticks[1].left, ticks[1].width) == (8.49, 7.67)  # 28 / 365
    assert ticks[1].style == "left: 8.49%; width: 7.67%"


def test_quarter_and_year_ticks():
    quarters = timeline.ticks(timeline.window(Zoom.QUARTERS, date(2025, 11, 30)))
    assert [t.label for t in quarters] == [
        "Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026", "Q1 2027", "Q2 2027", "Q3 2027",
    ]  # fmt: skip
    years = timeline.ticks(timeline.window(Zoom.YEARS, date(2025, 6, 1)))
    assert [t.label for t in years] == ["2025", "2026", "2027", "2028", "2029"]
    assert [t.width for t in years] == [
        19.99,
        19.99,
        19.99,
        20.04,
        19.99,
    ]  # 365 or 366 of 1826 days


# -- bars --------------------------------------------------------------------------------------
def test_a_bar_inside_the_window_is_placed_by_its_days():
    # Jan 20 - Feb 2: 14 days, starting 14 days into the 84-day window.
    assert timeline.bar(WEEKS, date(2025, 1, 20), date(2025, 2, 2)) == Bar(
        left=16.67, width=16.67, clipped_start=False, clipped_end=False
    )


def test_a_one_day_record_is_one_day_wide():
    assert timeline.bar(WEEKS, date(2025, 1, 6), date(2025, 1, 6)) == Bar(
        left=0.0, width=1.19, clipped_start=False, clipped_end=False
    )


def test_a_bar_is_clipped_to_the_window():
    before = timeline.bar(WEEKS, date(2024, 12, 1), date(2025, 1, 12))
    assert before == Bar(left=0.0, width=8.33, clipped_start=True, clipped_end=False)
    after = timeline.bar(WEEKS, date(2025, 3, 24), date(2025, 6, 30))
    assert after == Bar(left=91.67, width=8.33, clipped_start=False, clipped_end=True)
    both = timeline.bar(WEEKS, date(2024, 1, 1), date(2026, 1, 1))
    assert both == Bar(left=0.0, width=100.0, clipped_start=True, clipped_end=True)
    assert after.style == "left: 91.67%; width: 8.33%"


def test_a_record_outside_the_window_has_no_bar():
    assert timeline.bar(WEEKS, date(2024, 11, 1), date(2025, 1, 5)) is None  # ends the day before
    assert timeline.bar(WEEKS, date(2025, 3, 31), date(2025, 4, 30)) is None  # starts the day after
    last_day = timeline.bar(WEEKS, date(2025, 3, 30), date(2025, 3, 30))
    assert (last_day.left, last_day.width) == (98.81, 1.19)


def test_an_open_ended_record_runs_past_the_window():
    assert timeline.bar(WEEKS, date(2025, 3, 3), None) == Bar(
        left=66.67, width=33.33, clipped_start=False, clipped_end=True
    )
    assert timeline.bar(WEEKS, date(2025, 4, 1), None) is None


def test_todays_line():
    assert timeline.today_marker(WEEKS, date(2025, 2, 17)) == 50.0
    assert timeline.today_marker(WEEKS, date(2025, 3, 31)) is None


# -- dates of records without their own -------------------------------------------------------
def test_a_record_keeps_its_own_dates():
    span = timeline.resolve_span(date(2025, 2, 1), date(2025, 2, 9), date(2025, 1, 1), None)
    assert span == Span(date(2025, 2, 1), date(2025, 2, 9), inherited=False)


def test_a_record_without_dates_uses_its_plans():
    span = timeline.resolve_span(None, None, date(2025, 1, 1), date(2025, 6, 30))
    assert span == Span(date(2025, 1, 1), date(2025, 6, 30), inherited=True)
    open_ended = timeline.resolve_span(date(2025, 2, 1), None, date(2025, 1, 1), None)
    assert open_ended == Span(date(2025, 2, 1), None, inherited=False)


def test_a_record_due_before_its_plan_starts_shows_its_one_day():
    span = timeline.resolve_span(None, date(2024, 12, 1), date(2025, 1, 1), date(2025, 6, 30))
    assert (span.start, span.end) == (date(2024, 12, 1), date(2024, 12, 1))


def test_a_record_with_no_dates_at_all_is_listed_as_no_dates():
    assert timeline.resolve_span(None, None, None, None) is None
    assert timeline.format_span(None) == "no dates"


def test_dates_are_written_out():
    assert timeline.format_span(Span(date(2025, 3, 3), date(2025, 6, 1))) == (
        f"Mar 3, 2025 {DASH} Jun 1, 2025"
    )
    assert timeline.format_span(Span(date(2025, 3, 3), date(2025, 3, 3))) == "Mar 3, 2025"
    assert timeline.format_span(Span(date(2025, 3, 3), None)) == ("from Mar 3, 2025 (no end date)")


@pytest.mark.parametrize(
    "zoom, label, short, group",
    [
        (Zoom.WEEKS, "Mar 3", "3", "Mar 2025"),
        (Zoom.MONTHS, "Mar 2025", "Mar", "2025"),
        (Zoom.QUARTERS, "Q1 2025", "Q1", "2025"),
        (Zoom.YEARS, "2025", "2025", ""),
    ],
)
def test_each_zoom_writes_its_unit_in_full_short_and_grouped(zoom, label, short, group):
    day = date(2025, 3, 3)
    assert timeline.tick_label(day, zoom) == label
    assert timeline.tick_short(day, zoom) == short
    assert timeline.tick_group(day, zoom) == group
