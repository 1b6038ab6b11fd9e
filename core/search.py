"""Search-as-you-type lookups: one registry, one endpoint, one widget (``core.widgets``).

A list filter or a form never renders a ``<select>`` whose options grow with the
data. It renders the chosen value plus the first ``LIMIT`` matches of what the user
typed; the endpoint ``/search/<lookup>/?q=`` returns more as they type. Apps register
their lookups in ``AppConfig.ready()`` so this bottom layer imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Model
from django.db.models import Q
from django.db.models import QuerySet

LIMIT = 20


@dataclass(frozen=True)
class Lookup:
    """What can be searched: the rows (``queryset()``), the text fields, a label per row."""

    name: str
    permission: str
    queryset: Callable[[], QuerySet]
    fields: tuple[str, ...]
    label: Callable[[Model], str] = str
    #: What one row and several are called in messages ("1 open engagement matches …").
    singular: str = "match"
    plural: str = "matches"

    def search(self, rows: QuerySet, term: str) -> QuerySet:
        """``rows`` whose text fields contain every word of ``term`` (case-insensitive)."""
        for word in term.split()[:5]:
            rows = rows.filter(reduce(or_, (Q(**{f"{f}__icontains": word}) for f in self.fields)))
        return rows

    def options(
        self, rows: QuerySet, term: str, selected: Iterable[object] = (), limit: int = LIMIT
    ) -> list[tuple[str, str]]:
        """``(value, label)`` pairs: the selected rows first, then up to ``limit`` matches."""
        keys = [str(v) for v in selected if str(v).isdigit()]
        picked = list(rows.filter(pk__in=keys)) if keys else []
        seen = {obj.pk for obj in picked}
        matches = [
            obj for obj in self.search(rows, term)[: limit + len(seen)] if obj.pk not in seen
        ]
        return [(str(obj.pk), self.label(obj)) for obj in [*picked, *matches[:limit]]]


_REGISTRY: dict[str, Lookup] = {}


def register(lookup: Lookup) -> Lookup:
    _REGISTRY[lookup.name] = lookup
    return lookup


def get(name: str) -> Lookup | None:
    return _REGISTRY.get(name)
