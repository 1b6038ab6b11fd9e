"""Query expressions every app's selectors use."""

from django.db import connections
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


def count_each(querysets: list[QuerySet], *, using: str) -> list[int]:
    """Each queryset's number of rows, all in one query (a scalar subquery each)."""
    if not querysets:
        return []
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        query = queryset.order_by().values("pk").query
        sql, more = query.get_compiler(using).as_sql()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) fast_{number})")
        params.extend(more)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())
