"""The Review figures over the filtered set of cases: counts, cycle times, codes, weeks."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

from django.db import connection
from django.db.models import Count
from django.db.models import QuerySet
from django.db.models import Sum
from django.utils import timezone

from ..models import CaseTask
from ..models import Meeting
from ..models import Phase
from ..models import PlaybookState
from ..models import SuccessCase
from .cases import PHASE_DURATIONS
from .cases import _durations
from .cases import count_of
from .expressions import PercentileCont
from .expressions import WeekStart


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


#: The weekly chart shows the selection's last weeks: a page must not grow with the years an
#: install has run (two years of cases drew 100 columns and a 100-row table). Earlier weeks
#: count in every other figure; narrowing the Closed dates shows them.
WEEKS_SHOWN = 26


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
    #: Of ``closed``: closed before every activity was complete (their playbook Canceled).
    closed_early: int
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
    #: Weeks with cases before the first one shown (``WEEKS_SHOWN``).
    earlier_weeks: int = 0

    @property
    def closed_completed(self) -> int:
        """Closed with the playbook Completed (every activity complete)."""
        return self.closed - self.closed_early

    @property
    def meetings_per_case(self) -> float | None:
        return self.meetings / self.cases if self.cases else None

    @property
    def tasks_per_case(self) -> float | None:
        return self.tasks / self.cases if self.cases else None


def figures(queryset: QuerySet[SuccessCase]) -> Figures:
    """The figures of the Review page over ``queryset`` (``review_cases()``, filtered).

    Two queries whatever the number of cases: one grouped query gives every count,
    sum and per-week and per-code figure (see ``_groups``), then the median and
    90th percentile of the cycle time (``cycle_time_percentiles``). None when
    ``queryset`` is empty by construction, e.g. ``.none()`` after bad filter input.
    """
    groups = _groups(queryset)
    weeks, earlier_weeks = _weeks(groups)
    cases = sum(g["cases"] for g in groups)
    closed = sum(g["cases"] for g in groups if g["phase"] == Phase.CLOSED)
    median, p90 = cycle_time_percentiles(queryset, cases)
    return Figures(
        cases=cases,
        closed=closed,
        closed_early=sum(
            g["cases"]
            for g in groups
            if g["phase"] == Phase.CLOSED and g["playbook_state"] == PlaybookState.CANCELED
        ),
        canceled=sum(g["cases"] for g in groups if g["phase"] == Phase.CANCELED),
        reviewed=sum(g["reviewed"] for g in groups),
        cycle_median=median,
        cycle_p90=p90,
        cycle_average=_average(groups, "cycle"),
        phases=[PhaseTime(phase.label, _average(groups, name)) for phase, name in PHASE_DURATIONS],
        meetings=sum(g["meetings"] or 0 for g in groups),
        tasks=sum(g["tasks"] or 0 for g in groups),
        codes=_codes(groups, closed),
        weeks=weeks,
        earlier_weeks=earlier_weeks,
    )


def _groups(queryset: QuerySet[SuccessCase]) -> list[dict]:
    """The filtered cases grouped by week of closing, state, playbook state and closure code,
    in one query.

    Every figure but the percentiles is a sum over these groups (a few hundred
    rows: weeks x codes): the counts, the per-week and per-code counts, and the
    averages as a sum and a count of the durations that exist (a phase the case
    never reached does not count). The meetings and tasks of each case are counted
    by a subquery on their case index, summed per group.
    """
    sums = {"cycle_sum": Sum("cycle_time"), "cycle_n": Count("cycle_time")}
    for name, duration in _durations().items():
        sums[f"{name}_sum"] = Sum(duration)
        sums[f"{name}_n"] = Count(duration)
    return list(
        queryset.order_by()
        .annotate(week=WeekStart("closed_at"))
        .values("week", "phase", "playbook_state", "closure_code__name")
        .annotate(
            cases=Count("pk"),
            reviewed=Count("reviewed_at"),
            meetings=Sum(count_of(Meeting)),
            tasks=Sum(count_of(CaseTask)),
            **sums,
        )
        .order_by()
    )


def _average(groups: list[dict], name: str) -> timedelta | None:
    """The mean of the durations ``<name>_sum`` / ``<name>_n`` over every group."""
    count = sum(g[f"{name}_n"] for g in groups)
    if not count:
        return None
    return sum((g[f"{name}_sum"] for g in groups if g[f"{name}_n"]), timedelta()) / count


def _codes(groups: list[dict], closed: int) -> list[CodeShare]:
    """Closed cases per closure code, most frequent first, with their share of ``closed``."""
    counts: dict[str, int] = defaultdict(int)
    for g in groups:
        if g["phase"] == Phase.CLOSED and g["closure_code__name"] is not None:
            counts[g["closure_code__name"]] += g["cases"]
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [CodeShare(name, n, n / closed if closed else 0) for name, n in ordered]


def _weeks(groups: list[dict]) -> tuple[list[WeekCount], int]:
    """Closed and canceled cases per week of closing, every week from the first to the last,
    at most the last ``WEEKS_SHOWN``; and how many weeks with cases come before those."""
    found: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for g in groups:
        if g["week"] is not None:
            found[_day(g["week"])][g["phase"] == Phase.CANCELED] += g["cases"]
    if not found:
        return [], 0
    last = max(found)
    week = max(min(found), last - timedelta(weeks=WEEKS_SHOWN - 1))
    earlier = sum(1 for day in found if day < week)
    result = []
    while week <= last:
        closed, canceled = found.get(week, (0, 0))
        result.append(WeekCount(week, closed, canceled))
        week += timedelta(weeks=1)
    return result, earlier


def cycle_time_percentiles(
    queryset: QuerySet[SuccessCase], count: int
) -> tuple[timedelta | None, timedelta | None]:
    """The median and 90th percentile of the cycle time of ``count`` cases, in one query.

    PostgreSQL: ``PERCENTILE_CONT`` (interpolated). SQLite has no percentile
    function: the values at the offsets of ``cycle_time_percentile``, both read
    in one ``UNION ALL`` of two one-row lookups.
    """
    if count <= 0:
        return None, None
    if connection.vendor == "postgresql":
        found = queryset.order_by().aggregate(
            median=PercentileCont("cycle_time", 0.5), p90=PercentileCont("cycle_time", 0.9)
        )
        return found["median"], found["p90"]
    offsets = [math.floor(q * (count - 1)) for q in (0.5, 0.9)]
    ordered = _by_cycle_time(queryset).values("pk")
    median, p90 = (
        SuccessCase.objects.filter(pk__in=ordered[offset : offset + 1])
        .order_by()
        .values_list("cycle_time", flat=True)
        for offset in offsets
    )
    # The 90th percentile's offset is never below the median's: in order, low to high.
    values = sorted(median.union(p90, all=True))
    if len(values) != 2:  # the set changed between the two queries
        return None, None
    return values[0], values[1]


def _by_cycle_time(queryset: QuerySet[SuccessCase]) -> QuerySet[SuccessCase]:
    # Every closed or canceled case has a cycle time; saying so uses case_cycle_order.
    return queryset.filter(cycle_time__isnull=False).order_by("cycle_time", "pk")


def cycle_time_percentile(
    queryset: QuerySet[SuccessCase], q: float, count: int
) -> timedelta | None:
    """The ``q`` quantile (0.5: median, 0.9: 90th percentile) of the cycle time, in one query.

    SQLite's way (PostgreSQL uses ``PERCENTILE_CONT``): with ``count`` the
    number of cases (already known from the totals), the cases are ordered by
    cycle time and the one at offset ``floor(q * (n - 1))`` is read
    (``ORDER BY cycle_time LIMIT 1 OFFSET k``, along the ``case_cycle_order``
    index, which holds the phase too). That is a value that occurs in the data
    (the lower one of the two middle values for an even number of cases);
    PostgreSQL interpolates between the two, so its median of an even number of
    cases and its 90th percentile may lie between two cases' cycle times.
    """
    if count <= 0:
        return None
    offset = math.floor(q * (count - 1))
    ordered = _by_cycle_time(queryset).values_list("cycle_time", flat=True)
    found = list(ordered[offset : offset + 1])
    return found[0] if found else None


def _day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
