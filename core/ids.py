"""Ids no column can hold (above 2^63 - 1): "no such record", never a 500.

Django already turns an out-of-range ``=``, ``<`` or ``>`` on an integer column into "no
match" (``IntegerFieldOverflow``), but not ``IN`` nor a lookup through a relation
(``plan_id=...``): on SQLite such an id is an ``OverflowError`` when the query is bound.
(PostgreSQL compares it as numeric and finds nothing.) Two places cover every way an id
comes in:

* ``IntegerFieldIn``: every ``pk__in`` (registered on ``IntegerField`` in
  ``CoreConfig.ready``), so each multi-id form field (``ModelMultipleChoiceField``, which
  checks the posted ids with ``pk__in``), django-filter's multi-id filters and the services
  that take a list of ids; the field then says "Select a valid choice", as for any id it
  does not offer;
* ``OutOfRangeIdMiddleware``: every id in a path (``<int:pk>``), a 404 before the view.

One-id form fields and filters (``ModelChoiceField``) look up with ``=`` and were already
safe.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In
from django.http import Http404

#: The largest id any of our columns holds (a 64-bit signed integer: SQLite, BigAutoField).
LARGEST_ID = 2**63 - 1


class IntegerFieldIn(In):
    """``pk__in=[...]`` that leaves out the values the column cannot hold (they name no row)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            kept = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)


def register_lookups() -> None:
    IntegerField.register_lookup(IntegerFieldIn)


class OutOfRangeIdMiddleware:
    """An id in the path that no column can hold is a 404, like any unknown id, checked once
    here for every URL instead of in every view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        values = [*view_args, *view_kwargs.values()]
        if any(isinstance(v, int) and not -LARGEST_ID - 1 <= v <= LARGEST_ID for v in values):
            raise Http404("No such record.")
        return None
