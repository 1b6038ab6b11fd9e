"""The accounts list of the Account 360: its filter (health colour, the 30-day drop, sorting
with unscored accounts last) and its CSV export (issue 15). The views are in
``successhub.accounts``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import islice

import django_filters
from django.db.models import F
from django.http import HttpRequest

from core.filters import YesNoFilter
from engagements import selectors as engagement_selectors
from engagements.filters import ACCOUNT_SORTS
from engagements.filters import AccountFilter
from health import selectors as health_selectors
from health.models import Colour
from health.models import HealthSettings

DROP = 10  # "dropped 10+ points in 30 days"
EXPORT_CHUNK = 500


class NullsLastOrdering(django_filters.OrderingFilter):
    """Accounts not scored yet (no stored row) sort after the scored ones either way, as
    PostgreSQL and SQLite would not agree on where NULL goes."""

    NULLABLE = {"health_score", "health_change"}

    def get_ordering_value(self, param: str):
        value = super().get_ordering_value(param)
        name = value.lstrip("-")
        if name not in self.NULLABLE:
            return value
        return F(name).desc(nulls_last=True) if value[0] == "-" else F(name).asc(nulls_last=True)


class AccountHealthFilter(AccountFilter):
    colour = django_filters.ChoiceFilter(
        method="in_colour", choices=Colour.choices, empty_label="Any colour", label="Health"
    )
    dropped = YesNoFilter(method="dropped_by", label=f"Dropped {DROP}+ points in 30 days")
    sort = NullsLastOrdering(
        fields=(
            *ACCOUNT_SORTS,
            ("health_score", "score"),
            ("health_change", "change"),
        ),
        label="Sort",
    )

    class Meta(AccountFilter.Meta):
        fields = [*AccountFilter.Meta.fields, "colour", "dropped"]

    def __init__(self, *args, thresholds: HealthSettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.thresholds = thresholds

    def in_colour(self, queryset, name, value):
        """A colour is a range of stored scores (the thresholds read now): an index range on
        ``AccountHealth.score``."""
        green, amber = self.thresholds.green_from, self.thresholds.amber_from
        ranges = {
            Colour.GREEN: {"health_score__gte": green},
            Colour.AMBER: {"health_score__gte": amber, "health_score__lt": green},
            Colour.RED: {"health_score__lt": amber},
        }
        return queryset.filter(**ranges[value]) if value else queryset

    def dropped_by(self, queryset, name, value):
        if value is None:
            return queryset
        dropped = {"health_change__lte": -DROP}
        return queryset.filter(**dropped) if value else queryset.exclude(**dropped)


def health_filter(request: HttpRequest, thresholds: HealthSettings) -> AccountHealthFilter:
    """The accounts with their stored scores (``AccountHealth``: a join, no scoring), filtered
    and sorted as the query string says."""
    rows = health_selectors.with_health(engagement_selectors.account_list())
    return AccountHealthFilter(request.GET, queryset=rows, thresholds=thresholds)


EXPORT_HEADER = [
    "Account",
    "Industry",
    "Segment",
    "Lifecycle stage",
    "Owner",
    "CSM",
    "ARR",
    "Currency",
    "Renewal date",
    "Health score",
    "Colour",
    "Change over 30 days",
]


def _text(value) -> str:
    """Keep a spreadsheet from reading a text as a formula (CSV injection), as the Review
    export does: a leading =, +, - or @ (after spaces) or a tab/CR gets a ' in front."""
    value = "" if value is None else str(value)
    if value[:1] in ("\t", "\r") or value.lstrip()[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _chunks(rows, size: int) -> Iterator[list]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def export_rows(rows, thresholds: HealthSettings) -> Iterator[str]:
    """The CSV, 500 rows at a time (an unscored account is scored live with its chunk)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADER)
    for chunk in _chunks(rows.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
        for a in health_selectors.finish_rows(chunk, thresholds):
            writer.writerow(
                [
                    _text(a.name),
                    _text(a.industry),
                    a.get_tier_display(),
                    a.get_lifecycle_stage_display(),
                    _text(a.owner.get_full_name() or a.owner.get_username() if a.owner else ""),
                    _text(str(a.csm) if a.csm_id else ""),
                    "" if a.arr is None else f"{a.arr:.2f}",
                    a.currency,
                    a.renewal_date.isoformat() if a.renewal_date else "",
                    a.health_score,
                    a.health_colour,
                    "" if a.health_change is None else a.health_change,
                ]
            )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
