"""The Review workspace's filters (django-filter, from the query string) and its review form.

Bad filter input never fails: a malformed date, dates in the wrong order or
an unknown closure code make the filter form invalid, and the page shows the
message next to the field (``templates/successhub/partials/filter_form.html``).
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from core.dates import DateInRangeField
from core.filters import SearchFilter
from core.filters import StableOrdering
from core.filters import YesNoFilter
from core.forms import long_text
from engagements.filters import account_filter
from engagements.filters import engagement_filter
from engagements.filters import person_filter

from .models import ClosureCode
from .models import Phase
from .models import SuccessCase


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the server's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


class ReviewFilterForm(forms.Form):
    """Checks what one field cannot: the closed-between dates in order."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("closed_from"), cleaned.get("closed_to")
        if start and end and start > end:
            self.add_error(
                "closed_to",
                f"Closed to ({date_format(end, 'M j, Y')}) is before "
                f"Closed from ({date_format(start, 'M j, Y')}).",
            )
        return cleaned


class _DateInput(forms.DateInput):
    input_type = "date"


class _DateInRangeFilter(django_filters.DateFilter):
    """A date filter refusing days outside ``core.dates``' range next to the field (the day
    after 9999-12-31 would not exist: the closed-to bound could not be computed)."""

    field_class = DateInRangeField


class ReviewFilter(django_filters.FilterSet):
    q = SearchFilter(method="search")
    closed_from = _DateInRangeFilter(
        method="filter_closed_from", label="Closed from", widget=_DateInput
    )
    closed_to = _DateInRangeFilter(method="filter_closed_to", label="Closed to", widget=_DateInput)
    state = django_filters.ChoiceFilter(
        field_name="phase",
        choices=[(Phase.CLOSED.value, "Closed"), (Phase.CANCELED.value, "Canceled")],
        empty_label="Closed or Canceled",
        label="State",
    )
    closure_code = django_filters.ModelChoiceFilter(
        queryset=ClosureCode.objects.order_by("order", "name"),
        empty_label="Any closure code",
        label="Closure code",
    )
    # Accounts, engagements and people grow with the data: search-as-you-type fields.
    engagement = engagement_filter()
    account = account_filter("engagement__account")
    assigned_to = person_filter("Assigned to")
    squad = person_filter("Squad member")
    reviewed = YesNoFilter(method="filter_reviewed", label="Reviewed")
    sort = StableOrdering(
        fields=(
            ("number", "number"),
            ("engagement__account__name", "account"),
            ("engagement__name", "engagement"),
            ("phase", "state"),
            ("closure_code__name", "closure_code"),
            ("assigned_to__username", "assigned_to"),
            ("opened_at", "opened"),
            ("closed_at", "closed"),
            ("cycle_time", "cycle_time"),
            ("reviewed_at", "reviewed"),
        ),
        label="Sort",
    )

    class Meta:
        model = SuccessCase
        form = ReviewFilterForm
        fields = [
            "q",
            "closed_from",
            "closed_to",
            "closure_code",
            "state",
            "engagement",
            "account",
            "assigned_to",
            "squad",
            "reviewed",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(short_description__icontains=value)
            | Q(close_notes__icontains=value)
            | Q(engagement__name__icontains=value)
            | Q(engagement__account__name__icontains=value)
        )

    # Compare with the day's bounds in the server's time zone rather than
    # ``closed_at__date``, so the database can use the index on closed_at.
    def filter_closed_from(self, queryset, name, value):
        return queryset.filter(closed_at__gte=_start_of(value))

    def filter_closed_to(self, queryset, name, value):
        return queryset.filter(closed_at__lt=_start_of(value + timedelta(days=1)))

    def filter_reviewed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(reviewed_at__isnull=not value)


class MarkReviewedForm(forms.Form):
    review_note = long_text(
        "Review note",
        required="Enter a review note.",
        help_text="What went well, what to change next time. Kept in the timeline.",
    )
