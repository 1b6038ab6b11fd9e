"""Generations: when to forget cached content, decided by the writes that change it.

``current(name)`` is the token to put in a cache key (one query); ``bump(name)`` gives
the name a new token, inside the writing transaction, so the change and the retired
cache become visible together. The names in use:

- ``"pages"``: any successful write request (``successhub.page_cache``);
- ``"review"``: closing, canceling or marking a case Reviewed (``playbooks.reports.cache``).
"""

from __future__ import annotations

from uuid import uuid4

from django.db import IntegrityError
from django.db import transaction

from .models import Generation


def current(name: str) -> str:
    """The name's token; the row is made on first use."""
    token = Generation.objects.filter(name=name).values_list("token", flat=True).first()
    if token is None:
        token = _create(name)
    return token


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
