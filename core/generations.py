"""Generations: when to forget cached content, decided by the writes that change it.

``current(name)`` is the token to put in a cache key (one query); ``bump(name)`` gives
the name a new token, inside the writing transaction, so the change and the retired
cache become visible together. The names in use:

- ``"pages"``: any successful write request (``successhub.page_cache``);
- ``"review"``: closing, canceling or marking a case Reviewed (``playbooks.reports.cache``).
"""

from __future__ import annotations

from functools import cache
from uuid import uuid4

from django.db import IntegrityError
from django.db import connection
from django.db import transaction

from .models import Generation


def current(name: str) -> str:
    """The name's token; the row is made on first use.

    One primary-key lookup in plain SQL: a page answered from the page cache asks it on
    every request, and building the queryset cost more than running it
    (docs/performance.md, session 25).
    """
    with connection.cursor() as cursor:
        cursor.execute(_current_sql(connection.vendor), [name])
        row = cursor.fetchone()
    return row[0] if row is not None else _create(name)


@cache
def _current_sql(vendor: str) -> str:
    """Built once per database vendor: the quoting is the vendor's."""
    q, meta = connection.ops.quote_name, Generation._meta
    token, name = (q(meta.get_field(field).column) for field in ("token", "name"))
    return f"SELECT {token} FROM {q(meta.db_table)} WHERE {name} = %s"


def bump(name: str) -> None:
    """A new token for ``name``: everything cached under the old one is stale."""
    if not Generation.objects.filter(name=name).update(token=uuid4().hex):
        _create(name)


def _create(name: str) -> str:
    token = uuid4().hex
    try:
        with transaction.atomic():
            Generation.objects.create(name=name, token=token)
    except IntegrityError:  # made meanwhile by another request: retire it all the same
        Generation.objects.filter(name=name).update(token=token)
    return token
