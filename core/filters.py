"""List-filter building blocks shared by every list (django-filter)."""

from __future__ import annotations

import django_filters


class StableOrdering(django_filters.OrderingFilter):
    """Sorting by a column that repeats (state, owner) keeps pages stable.

    Ties are broken by ``tie_breakers`` (default ``-pk``) after the chosen
    column, so a row never appears on two pages.
    """

    def __init__(self, *args, tie_breakers: tuple[str, ...] = ("-pk",), **kwargs):
        self.tie_breakers = tie_breakers
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, *self.tie_breakers)
