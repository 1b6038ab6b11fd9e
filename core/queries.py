"""Query expressions every app's selectors use."""

from django.db.models import Count
from django.db.models import IntegerField
from django.db.models import QuerySet
from django.db.models import Subquery
from django.db.models import Value
from django.db.models.functions import Coalesce


def subquery_count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) subquery (0 when there are none): counts of several relations
    side by side without joins multiplying the rows, and, on a paged list, computed for the
    page's rows only instead of grouping the whole table first."""
    rows = queryset.order_by().values(group=Value(1)).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)
