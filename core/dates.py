"""The one range every stored or filtered date lives in (issue 18).

Decision: 1900-01-01 to 2999-12-31. It is wide enough for any real plan, and far enough
inside Python's ``date`` (years 1 to 9999) that a date shifted by a plan's effective-date
change, or a timeline bar drawn a day past its end, can never overflow. Models validate
with ``validate_in_range`` and back it with a database check constraint
(``in_range_check``); filters and forms use ``DateInRangeField``.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2999, 12, 31)
RANGE_MESSAGE = "Choose a date between 1900-01-01 and 2999-12-31."


def in_range(day: datetime.date | None) -> bool:
    """True for no date or a date inside the range."""
    return day is None or MIN_DATE <= day <= MAX_DATE


def validate_in_range(day: datetime.date | None) -> None:
    """A model/form field validator: refuses a date outside the range with one message."""
    if not in_range(day):
        raise ValidationError(RANGE_MESSAGE, code="date_out_of_range")


def in_range_check(field: str) -> Q:
    """The condition of a ``CheckConstraint`` keeping ``field`` (nullable) inside the range."""
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": MIN_DATE, f"{field}__lte": MAX_DATE}
    )


class DateInRangeField(forms.DateField):
    """A date form/filter field that refuses dates outside the range next to the field."""

    default_validators = [validate_in_range]
