"""The one range every stored or filtered date lives in (issue 18).

Decision: 1900-01-01 to 2999-12-31. It is wide enough for any real plan, and far enough
inside Python's ``date`` (years 1 to 9999) that a date shifted by a plan's effective-date
change, or a timeline bar drawn a day past its end, can never overflow. Models validate
with ``validate_in_range`` and back it with a database check constraint
(``in_range_check``, or ``in_range_constraints`` for several fields); filters and forms use
``DateInRangeField`` (``MomentInRangeField`` for moments; a model form that skips model
validation, as the success case forms do, names them in ``Meta.field_classes``). Moments a
user types (a meeting's start and end) are bounded by the
same days in UTC: from 1900-01-01 00:00 UTC up to, not including, 3000-01-01 00:00 UTC.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2999, 12, 31)
RANGE_TEXT = f"{MIN_DATE.isoformat()}\N{EN DASH}{MAX_DATE.isoformat()}"
RANGE_MESSAGE = "Choose a date between 1900-01-01 and 2999-12-31."

#: The same range for moments (``DateTimeField``): its first instant and the instant after it.
MIN_MOMENT = datetime.datetime.combine(MIN_DATE, datetime.time.min, tzinfo=datetime.UTC)
AFTER_MOMENT = datetime.datetime.combine(
    MAX_DATE + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
)


def in_range(day: datetime.date | None) -> bool:
    """True for no date or a date inside the range."""
    return day is None or MIN_DATE <= day <= MAX_DATE


def moment_in_range(moment: datetime.datetime | None) -> bool:
    """True for no moment or one inside the range (a naive moment is read as UTC)."""
    if moment is None:
        return True
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return MIN_MOMENT <= moment < AFTER_MOMENT


def validate_in_range(day: datetime.date | None) -> None:
    """A model/form field validator: refuses a date outside the range with one message."""
    if not in_range(day):
        raise ValidationError(RANGE_MESSAGE, code="date_out_of_range")


def validate_moment_in_range(moment: datetime.datetime | None) -> None:
    """``validate_in_range`` for a ``DateTimeField``."""
    if not moment_in_range(moment):
        raise ValidationError(RANGE_MESSAGE, code="date_out_of_range")


def in_range_check(field: str, *, moment: bool = False) -> Q:
    """The condition of a ``CheckConstraint`` keeping ``field`` (nullable) inside the range.

    ``moment=True`` for a ``DateTimeField`` (compared with aware UTC bounds).
    """
    if moment:
        inside = {f"{field}__gte": MIN_MOMENT, f"{field}__lt": AFTER_MOMENT}
    else:
        inside = {f"{field}__gte": MIN_DATE, f"{field}__lte": MAX_DATE}
    return Q(**{f"{field}__isnull": True}) | Q(**inside)


class InRangeConstraint(models.CheckConstraint):
    """The database check ``in_range_check(field)``, validated in Python by model forms.

    Django validates a ``CheckConstraint`` in ``full_clean()`` with a query of its own
    (``SELECT 1 WHERE …`` in a savepoint: three queries per constraint per form), so a
    grid of many rows would cost queries per row. The field's validator already says the
    same next to the field; this checks the one value in Python and asks the database
    nothing. The condition stays in migrations as written, so a change of the range is a
    migration.
    """

    def __init__(self, *, field: str, moment: bool = False, condition: Q | None = None, **kwargs):
        self.field, self.moment = field, moment
        kwargs.setdefault("violation_error_message", RANGE_MESSAGE)
        kwargs.setdefault("violation_error_code", "date_out_of_range")
        super().__init__(condition=condition or in_range_check(field, moment=moment), **kwargs)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        if self.moment:
            kwargs["moment"] = True
        return path, args, kwargs

    def __eq__(self, other):
        if isinstance(other, InRangeConstraint):
            return (self.field, self.moment) == (other.field, other.moment) and super().__eq__(
                other
            )
        return super().__eq__(other)

    def validate(self, model, instance, exclude=None, using=None):
        if exclude and self.field in exclude:
            return
        value = getattr(instance, self.field)
        if not (moment_in_range(value) if self.moment else in_range(value)):
            raise ValidationError(
                self.get_violation_error_message(), code=self.violation_error_code
            )


def in_range_constraints(
    prefix: str, *fields: str, moment: bool = False
) -> list[InRangeConstraint]:
    """One check constraint per field, named ``<prefix>_<field>_in_range``."""
    return [
        InRangeConstraint(field=field, moment=moment, name=f"{prefix}_{field}_in_range")
        for field in fields
    ]


def out_of_range_message(records: list[str], *, lead: str = "This shift would move") -> str:
    """The refusal of a move that would take ``records`` (their labels) out of the range.

    "This shift would move 2 records outside 1900-01-01 (en dash) 2999-12-31: Objective “X”
    end date, Objective KPI “Y” due date." Long lists name the first ten and count the rest.
    """
    shown, more = records[:10], len(records) - 10
    what = "record" if len(records) == 1 else "records"
    listed = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    return f"{lead} {len(records)} {what} outside {RANGE_TEXT}: {listed}."


class DateInRangeField(forms.DateField):
    """A date form/filter field that refuses dates outside the range next to the field."""

    default_validators = [validate_in_range]


class MomentInRangeField(forms.DateTimeField):
    """``DateInRangeField`` for moments (a meeting's start and end)."""

    default_validators = [validate_moment_in_range]
