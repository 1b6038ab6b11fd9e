"""The workspace's own rows: the write generation the page cache keys on."""

from django.db import models


class WriteGeneration(models.Model):
    """One row whose ``value`` grows by one after every write request that succeeded.

    A cached page (``successhub.page_cache``) is keyed on it, so any write anywhere
    (pages, htmx actions, the admin, the API) retires every cached page at once, in
    every app server: the number lives in the database all of them share.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="one_write_generation"),
        ]

    def __str__(self) -> str:
        return f"write generation {self.value}"
