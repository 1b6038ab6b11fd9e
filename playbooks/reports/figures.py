"""The Review figures over the filtered set of cases: counts, cycle times, codes, weeks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from ..models import CaseTask, Meeting, Phase, SuccessCase
from .cases import PHASE_DURATIONS, _durations
from .expressions import PercentileCont, WeekStart


# -- figures over the filtered set ---------------------------------------------------------------
@dataclass(frozen=True)
class CodeShare:
    """How many closed cases ended with one closure code, and their share of the closed ones."""

    name: str
    count: int
    share: float  # 0..1


@dataclass(frozen=True)
class PhaseTime:
    label: str
    average: timedelta | None


@dataclass(frozen=True)
class WeekCount:
    """Cases closed and canceled in the week starting on ``week`` (a Monday)."""

    week: date
    closed: int
    canceled: int


@dataclass(frozen=True)
class Figures:
    cases: int
    closed: int
    canceled: int
    reviewed: int
    cycle_median: timedelta | None
    cycle_p90: timedelta | None
    cycle_average: timedelta | None
    phases: list[PhaseTime]
    meetings: int
    tasks: int
    codes: list[CodeShare]
    weeks: list[WeekCount]

    @property
    def meetings_per_case(self) -> float | None:
        return self.meetings / self.cases if self.cases else None

    @property
    def tasks_per_case(self) -> float | None:
        return self.tasks / self.cases if self.cases else None


def figures(queryset: QuerySet[SuccessCase]) -> Figures:
    """The figures of the Review page over ``queryset`` (``review_cases()``, filtered).

    Five queries whatever the number of cases on PostgreSQL, seven on SQLite
    (its two percentile queries); none when ``queryset`` is empty by
    construction, e.g. ``.none()`` after bad filter input.
    """
    rows = queryset.order_by()
    percentiles = {}
    if connection.vendor == "postgresql":
        percentiles = {
            "cycle_median": PercentileCont("cycle_time", 0.5),
            "cycle_p90": PercentileCont("cycle_time", 0.9),
        }
    totals = rows.aggregate(
        cases=Count("pk"),
        closed=Count("pk", filter=Q(phase=Phase.CLOSED)),
        canceled=Count("pk", filter=Q(phase=Phase.CANCELED)),
        reviewed=Count("pk", filter=Q(reviewed_at__isnull=False)),
        cycle_average=Avg("cycle_time"),
        **{name: Avg(duration) for name, duration in _durations().items()},
        **percentiles,
    )
    # Totals of meetings and tasks: one semi-join count each, cheaper than summing
    # a count subquery per case.
    cases_pks = queryset.values("pk")
    cases = totals["cases"] or 0
    if not percentiles:
        totals["cycle_median"] = cycle_time_percentile(queryset, 0.5, cases)
        totals["cycle_p90"] = cycle_time_percentile(queryset, 0.9, cases)
    return Figures(
        cases=cases,
        closed=totals["closed"] or 0,
        canceled=totals["canceled"] or 0,
        reviewed=totals["reviewed"] or 0,
        cycle_median=totals["cycle_median"],
        cycle_p90=totals["cycle_p90"],
        cycle_average=totals["cycle_average"],
        phases=[PhaseTime(phase.label, totals[name]) for phase, name in PHASE_DURATIONS],
        meetings=Meeting.objects.filter(case__in=cases_pks).count(),
        tasks=CaseTask.objects.filter(case__in=cases_pks).count(),
        codes=closure_codes(queryset, totals["closed"] or 0),
        weeks=weeks(queryset),
    )


def cycle_time_percentile(
    queryset: QuerySet[SuccessCase], q: float, count: int
) -> timedelta | None:
    """The ``q`` quantile (0.5: median, 0.9: 90th percentile) of the cycle time, in one query.

    SQLite's way (PostgreSQL uses ``PERCENTILE_CONT`` in ``figures``): with
    ``count`` the number of cases (already known from the totals), the cases
    are ordered by cycle time and the one at offset ``floor(q * (n - 1))`` is
    read (``ORDER BY cycle_time LIMIT 1 OFFSET k``, along the
    ``case_cycle_order`` index, which holds the phase too). That is a
    value that occurs in the data (the lower one of the two middle values for
    an even number of cases); PostgreSQL interpolates between the two, so its
    median of an even number of cases and its 90th percentile may lie between
    two cases' cycle times.
    """
    if count <= 0:
        return None
    offset = math.floor(q * (count - 1))
    # Every closed or canceled case has a cycle time; saying so uses case_cycle_order.
    ordered = (
        queryset.filter(cycle_time__isnull=False)
        .order_by("cycle_time", "pk")
        .values_list("cycle_time", flat=True)
    )
    found = list(ordered[offset : offset + 1])
    return found[0] if found else None


def closure_codes(queryset: QuerySet[SuccessCase], closed: int) -> list[CodeShare]:
    """Closed cases per closure code, most frequent first, with their share of ``closed``."""
    rows = (
        queryset.filter(phase=Phase.CLOSED, closure_code__isnull=False)
        .order_by()
        .values("closure_code__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "closure_code__name")
    )
    return [
        CodeShare(row["closure_code__name"], row["count"], row["count"] / closed if closed else 0)
        for row in rows
    ]


def weeks(queryset: QuerySet[SuccessCase]) -> list[WeekCount]:
    """Closed and canceled cases per week of closing, every week from the first to the last."""
    rows = (
        queryset.order_by()
        .annotate(week=WeekStart("closed_at"))
        .values("week")
        .annotate(
            closed=Count("pk", filter=Q(phase=Phase.CLOSED)),
            canceled=Count("pk", filter=Q(phase=Phase.CANCELED)),
        )
        .order_by("week")
    )
    found = {_day(row["week"]): (row["closed"], row["canceled"]) for row in rows}
    if not found:
        return []
    result, week, last = [], min(found), max(found)
    while week <= last:
        closed, canceled = found.get(week, (0, 0))
        result.append(WeekCount(week, closed, canceled))
        week += timedelta(weeks=1)
    return result


def _day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
