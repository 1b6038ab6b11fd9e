"""The few rows every app shares (named generations of cached content) and what the apps'
models are built from: the base of the lists an administrator keeps, the optional link, the
one rule for two dates in order."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models import Q

#: What a user is told when an end date comes before its start date.
DATES_IN_ORDER = "The end date cannot be before the start date."


class Generation(models.Model):
    """A named token that changes whenever what some cached content shows changes.

    Read and replaced through ``core.generations`` only. Content cached under a key that
    holds the token (whole pages, Review's figures) is stale the moment a write gives
    the name a new token, in every app server at once: the token lives in the database
    they share, not in the cache (which may be per process). Tokens are random, not
    counters, so a row made again (a test's flushed database, a restored backup) never
    repeats an old key; rows are made on first use, not by a migration, for that reason.
    """

    name = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "cache generation"

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"


class ReferenceItem(models.Model):
    """An entry of a list an administrator keeps in the admin (closure codes, challenge
    categories): named once, shown in its ``order``, retired by clearing ``active`` rather
    than deleted (records that chose it keep it)."""

    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


def optional_link(to, *, on_delete, related_name: str, **options) -> models.ForeignKey:
    """A foreign key a record may be without: null in the database and blank in its forms
    (the one without the other is either refused by the database or required by the form).
    ``on_delete`` and ``related_name`` are always said."""
    return models.ForeignKey(
        to, on_delete=on_delete, null=True, blank=True, related_name=related_name, **options
    )


def dates_in_order(
    start: str, end: str, name: str, *, message: str = DATES_IN_ORDER
) -> models.CheckConstraint:
    """The check constraint ``name``: ``end`` is not before ``start`` (either may be empty)."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message=message,
    )


def check_dates(instance: models.Model, start: str, end: str) -> None:
    """``clean()``'s side of ``dates_in_order``: the refusal stands next to ``end``."""
    start_value, end_value = getattr(instance, start), getattr(instance, end)
    if start_value and end_value and end_value < start_value:
        raise ValidationError({end: DATES_IN_ORDER})
