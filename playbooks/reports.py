"""The Review workspace's queries and figures, computed in the database.

Managers review closed and canceled success cases. Every figure is computed
by the database over the filtered set of cases, in a fixed number of queries
whatever the number of cases:

- counts (closed, canceled, reviewed) and averages: one ``aggregate`` (on
  PostgreSQL it also gives the median and 90th percentile of the cycle time,
  ``PERCENTILE_CONT``);
- meetings and tasks of those cases: one ``count`` each;
- count per closure code: one ``values`` + ``annotate``; its share is the
  count divided by the number of closed cases;
- closed and canceled cases per week: one ``values`` + ``annotate`` on the week
  (``WeekStart``, Django's ``TruncWeek``);
- on SQLite, which has no percentile function, the median and the 90th
  percentile: one query each (see ``cycle_time_percentile``).

Time in phase and the cycle time are read from the case row itself: the
services keep there when the case left each lane (``initiate_ended_at``,
``assist_ended_at``, ``review_close_ended_at``: moving on, closing or
canceling) and its ``cycle_time`` (opening to closing), at the moment they
write the same facts to the journal as Phase changes (migration 0006 filled
older cases from those). Per case:

- Initiate lasts from ``opened_at`` until ``initiate_ended_at``;
- Assist from there until ``assist_ended_at``;
- Review & Close from there until ``review_close_ended_at``.

A phase the case never reached (a case canceled in Initiate has no Assist)
has no end, so no duration, and averages skip it. Durations are ``Elapsed``
expressions (``end - start``), native SQL on both backends. So the figures,
the list and the export read one table (plus the meeting and task counts),
never the journal: over 100,000 cases the figures no longer join 400,000
Phase changes, and the export streams in the list's index order.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DurationField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from .models import REVIEWABLE_PHASES, CaseTask, JournalEntry, Meeting, Phase, SuccessCase

#: The lanes whose durations are measured, with the annotation that holds each.
PHASE_DURATIONS = (
    (Phase.INITIATE, "initiate_time"),
    (Phase.ASSIST, "assist_time"),
    (Phase.REVIEW_CLOSE, "review_close_time"),
)


# -- portable, native expressions -------------------------------------------------------------
class Elapsed(Func):
    """``end - start`` as a duration (``Elapsed(start, end)``), computed by the database itself.

    On PostgreSQL this is timestamp subtraction (an interval), exactly what
    ``ExpressionWrapper(F(end) - F(start), output_field=DurationField())``
    writes. On SQLite Django computes that expression with a Python function
    called for every row (``django_timestamp_diff``), which over 100,000 cases
    was most of the Review page's time. There the difference is taken with the
    built-in ``julianday()`` and given, like Django's, in microseconds, rounded
    to the millisecond to remove julianday's floating-point noise (< 0.1 ms).
    NULL on either side gives NULL (a phase the case never left).
    """

    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = DurationField()

    def __init__(self, start, end, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="(CAST(ROUND((julianday(%(expressions)s)) * 86400000) AS INTEGER) * 1000)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class WeekStart(TruncWeek):
    """``TruncWeek`` (the Monday 00:00 starting the week), natively on SQLite in UTC.

    Django's SQLite version calls Python for every row to convert time zones;
    when the server runs in UTC (the default) there is nothing to convert and
    SQLite's date functions do it. Other time zones keep Django's version.
    """

    def as_sqlite(self, compiler, connection, **extra_context):
        if settings.USE_TZ and timezone.get_current_timezone_name() != "UTC":
            return super().as_sqlite(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"datetime({sql}, '-6 days', 'weekday 1', 'start of day')", params


class PercentileCont(Aggregate):
    """PostgreSQL's ``PERCENTILE_CONT(q) WITHIN GROUP (ORDER BY expression)`` (interpolated).

    ``q`` is a constant of ours (0.5, 0.9), never user input.
    """

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(quantile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, quantile: float, **extra):
        super().__init__(expression, quantile=float(quantile), **extra)


# -- per-case figures ----------------------------------------------------------------------------
def _durations() -> dict[str, Elapsed]:
    """Time in each lane, from the stored moments: from entering it to leaving it.

    Initiate is entered at ``opened_at``, each later lane when the case left
    the one before.
    """
    return {
        "initiate_time": Elapsed(F("opened_at"), F("initiate_ended_at")),
        "assist_time": Elapsed(F("initiate_ended_at"), F("assist_ended_at")),
        "review_close_time": Elapsed(F("assist_ended_at"), F("review_close_ended_at")),
    }


def _count(model: type[Meeting] | type[CaseTask]) -> Subquery:
    """How many ``model`` rows (meetings, tasks) the case has, as a subquery (no row fan-out).

    ``COUNT`` as a plain function, so that the subquery has no GROUP BY of its
    own: it always gives one row, 0 for none (no ``Coalesce`` needed).
    """
    counts = (
        model.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values(n=Func("pk", function="COUNT", output_field=IntegerField()))
    )
    return Subquery(counts, output_field=IntegerField())


def review_cases() -> QuerySet[SuccessCase]:
    """Closed and canceled cases with what the Review list shows, most recently closed first.

    The order is the one of the ``case_closed_order`` index: a page of the
    list, and the export, read the cases in that order without sorting
    (``in_list_order``).
    """
    return (
        SuccessCase.objects.filter(phase__in=REVIEWABLE_PHASES)
        .select_related("engagement__account", "assigned_to", "closure_code", "reviewed_by")
        .order_by("-closed_at", "-pk")
    )


def in_list_order(queryset: QuerySet[SuccessCase]) -> QuerySet[SuccessCase]:
    """The Review list's rows, said so that the database reads them along its index.

    ``closed_at`` is set on every closed and canceled case (the model's
    constraints), so the filter changes no row; it is what lets PostgreSQL and
    SQLite read a page of the list, and the export, along the partial
    ``case_closed_order`` index (most recently closed first) without sorting.
    """
    return queryset.filter(closed_at__isnull=False)


def with_case_figures(queryset: QuerySet[SuccessCase]) -> QuerySet[SuccessCase]:
    """Add each case's time in phase and its numbers of meetings and tasks.

    ``initiate_time``, ``assist_time`` and ``review_close_time`` are durations
    (None for a phase the case never reached); ``meeting_count`` and
    ``task_count`` are integers. ``cycle_time`` is a field of the case.
    """
    return queryset.annotate(
        **_durations(), meeting_count=_count(Meeting), task_count=_count(CaseTask)
    )


#: What ``with_case_figures`` adds to each case.
CASE_FIGURES = ("initiate_time", "assist_time", "review_close_time", "meeting_count", "task_count")


def add_case_figures(cases: list[SuccessCase]) -> list[SuccessCase]:
    """Set ``with_case_figures``'s values on a page of cases, in one query.

    The list is paginated without them, so that sorting and counting the
    filtered set never computes the counts of rows not shown.
    """
    if not cases:
        return cases
    pks = SuccessCase.objects.filter(pk__in=[case.pk for case in cases]).order_by().values("pk")
    found = {row["pk"]: row for row in with_case_figures(pks)}
    for case in cases:
        for name in CASE_FIGURES:
            setattr(case, name, found[case.pk][name])
    return cases


def timeline(case: SuccessCase) -> QuerySet[JournalEntry]:
    """Every journal entry of the case (comments, work notes, changes), oldest first."""
    return case.journal.select_related("author").order_by("created_at", "pk")


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
    # a count subquery per case (4x on PostgreSQL with 100,000 cases).
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


# -- CSV export -----------------------------------------------------------------------------------
EXPORT_HEADER = [
    "Number",
    "Account",
    "Engagement",
    "State",
    "Closure code",
    "Assigned to",
    "Opened",
    "Closed",
    "Cycle time hours",
    "Initiate hours",
    "Assist hours",
    "Review & Close hours",
    "Meetings",
    "Tasks",
    "Reviewed",
]
_EXPORT_FIELDS = (
    "number",
    "engagement__account__name",
    "engagement__name",
    "phase",
    "closure_code__name",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "opened_at",
    "closed_at",
    "cycle_time",
    "initiate_time",
    "assist_time",
    "review_close_time",
    "meeting_count",
    "task_count",
    "reviewed_at",
)
_STATE_LABELS = {Phase.CLOSED.value: "Closed", Phase.CANCELED.value: "Canceled"}


def export_rows(queryset: QuerySet[SuccessCase], *, chunk_size: int = 2000) -> Iterator[list]:
    """One row per case (``EXPORT_HEADER``), read ``chunk_size`` at a time.

    ``values_list(...).iterator()`` keeps only one chunk in memory and builds
    no model instances, so 100,000 cases stream in constant memory. The rows
    come in the list's order, which the ``case_closed_order`` index gives
    without sorting (``in_list_order``), so the first one is ready at once.

    On PostgreSQL ``iterator()`` reads through a server-side cursor. Outside a
    transaction Django declares it ``WITH HOLD``, and PostgreSQL then builds
    the whole result before the first row; so the rows are read in a (read-only)
    transaction, which also turns JIT compilation off for this query
    (``SET LOCAL jit = off``: ~1 s of compiling for a query that streams).
    """
    rows = with_case_figures(in_list_order(queryset)).values_list(*_EXPORT_FIELDS)
    zone = timezone.get_current_timezone()
    postgresql = connection.vendor == "postgresql"
    # Not on SQLite: there a transaction takes the write lock (transaction_mode IMMEDIATE).
    with transaction.atomic() if postgresql else nullcontext():
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        for (
            number,
            account,
            engagement,
            phase,
            code,
            username,
            first_name,
            last_name,
            opened_at,
            closed_at,
            cycle_time,
            initiate_time,
            assist_time,
            review_close_time,
            meetings,
            tasks,
            reviewed_at,
        ) in rows.iterator(chunk_size=chunk_size):
            full_name = f"{first_name} {last_name}".strip()
            yield [
                number,
                _text(account),
                _text(engagement),
                _STATE_LABELS.get(phase, phase),
                _text(code or ""),
                _text(full_name or username or ""),
                _moment(opened_at, zone),
                _moment(closed_at, zone),
                hours(cycle_time),
                hours(initiate_time),
                hours(assist_time),
                hours(review_close_time),
                meetings,
                tasks,
                "Yes" if reviewed_at else "No",
            ]


def csv_chunks(rows: Iterable[list], *, rows_per_chunk: int = 500) -> Iterator[str]:
    """The CSV text (header first), ``rows_per_chunk`` lines at a time, for a StreamingHttpResponse.

    Chunks rather than single lines: a WSGI server writes each chunk to the
    socket on its own.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADER)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def hours(value: timedelta | None) -> str:
    """A duration in hours with two decimals ("52.25"), or "" when there is none."""
    if value is None:
        return ""
    return f"{value.total_seconds() / 3600:.2f}"


def _moment(value: datetime | None, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""


def _text(value: str) -> str:
    """Keep a spreadsheet from reading a name as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
