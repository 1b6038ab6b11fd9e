"""The Review figures, cached between the changes that alter them.

The figures read every filtered case (100,000 at a large organisation's size:
most of a second on SQLite), yet they only change when a case is closed,
canceled or marked Reviewed. So they are kept in Django's cache under the
normalised filter values and the current ``"review"`` generation token
(``core.generations``), which those three services replace in their own
transaction: the first request after a change computes the figures again, every
other one reads them (one query for the token). The token lives in the database, not in the cache,
because the default cache is per process and production runs several gunicorn
workers: a change made through one worker is seen by all of them at once.

What changes outside those services (an account or closure code renamed in
the admin, which a search or a chart shows) appears within
``FIGURES_TIMEOUT``.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.cache import cache
from django.db.models import Model
from django.db.models import QuerySet

from core import generations

from ..models import SuccessCase
from .figures import Figures
from .figures import figures

#: The generation the three services replace (``core.generations``).
GENERATION = "review"

#: Seconds a cached set of figures is kept at most (see the module docstring).
FIGURES_TIMEOUT = 300


def cached_figures(queryset: QuerySet[SuccessCase], filters: dict) -> Figures:
    """``figures(queryset)``, from the cache when the same ``filters`` were shown since the
    last change. ``filters`` are the filter form's cleaned values (sorting excluded)."""
    key = f"review-figures:{generations.current(GENERATION)}:{filters_key(filters)}"
    found = cache.get(key)
    if found is None:
        found = figures(queryset)
        cache.set(key, found, FIGURES_TIMEOUT)
    return found


def filters_key(filters: dict) -> str:
    """A short stable digest of filter values: records by pk, dates in ISO, empties dropped."""

    def plain(value):
        if isinstance(value, Model):
            return value.pk
        if isinstance(value, date):
            return value.isoformat()
        return value

    kept = sorted((name, repr(plain(v))) for name, v in filters.items() if v not in (None, ""))
    return hashlib.sha256(repr(kept).encode()).hexdigest()[:32]
