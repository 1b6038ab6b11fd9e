"""Portable, native SQL expressions for the Review figures: Elapsed, WeekStart, PercentileCont."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Aggregate
from django.db.models import DurationField
from django.db.models import Func
from django.db.models.functions import TruncWeek
from django.utils import timezone


class Elapsed(Func):
    """``end - start`` as a duration (``Elapsed(start, end)``), computed by the database itself.

    On PostgreSQL this is timestamp subtraction (an interval), exactly what
    ``ExpressionWrapper(F(end) - F(start), output_field=DurationField())``
    writes. On SQLite Django computes that expression with a Python function
    called for every row (``django_timestamp_diff``), slow over many cases.
    There the difference is taken with the
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
