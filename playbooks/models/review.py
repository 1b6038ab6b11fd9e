"""The generation of what the Review page shows, for its cache of figures."""

from __future__ import annotations

from uuid import uuid4

from django.db import models


class ReviewGeneration(models.Model):
    """One row whose ``token`` changes whenever what the Review page shows changes.

    The Review figures are cached per filter and per token
    (``playbooks.reports.cached_figures``); the services that change the set of
    reviewed cases (close, cancel, mark Reviewed) call ``bump()`` in their own
    transaction, so the new token and the change become visible together, to
    every worker process at once (the cache itself may be per process). The
    token is random rather than a counter: a row made again (each test's
    rolled-back or flushed database, a restored backup) never repeats an old key.
    The row is made on first use rather than by a migration for that reason.
    """

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "Review generation"

    def __str__(self) -> str:
        return self.token

    @classmethod
    def current(cls) -> str:
        """The current token (one query); the row is made on first use."""
        token = cls.objects.filter(pk=1).values_list("token", flat=True).first()
        if token is None:
            token = cls.objects.get_or_create(pk=1, defaults={"token": uuid4().hex})[0].token
        return token

    @classmethod
    def bump(cls) -> None:
        """Give the row a new token: every cached figure becomes stale."""
        cls.objects.update_or_create(pk=1, defaults={"token": uuid4().hex})
