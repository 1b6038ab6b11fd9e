"""Accounts (customer companies), their engagements, and resources.

An engagement is the piece of customer work that success cases are opened
for. Its states and stages follow ServiceNow CSM: states New, Define,
In progress, Closed, Canceled; stages Onboarding, Adoption, Expand, Renew,
Lost.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.dates import in_range_constraints
from core.dates import validate_in_range


class Account(models.Model):
    class Tier(models.TextChoices):
        STRATEGIC = "strategic", "Strategic"
        ENTERPRISE = "enterprise", "Enterprise"
        COMMERCIAL = "commercial", "Commercial"
        SMB = "smb", "SMB"

    name = models.CharField(max_length=200, unique=True)
    industry = models.CharField(max_length=100, blank=True)
    tier = models.CharField(max_length=20, choices=Tier.choices, default=Tier.COMMERCIAL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_accounts",
        help_text="The customer success owner of this account.",
    )
    # The record's id in the CRM or HR system it was imported from (django-import-export
    # matches on it, so re-importing the same file changes nothing); blank when typed in.
    external_id = models.CharField(
        max_length=100, unique=True, null=True, blank=True, help_text="Its id in the CRM."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("engagements:account-detail", args=[self.pk])


class Engagement(models.Model):
    class Stage(models.TextChoices):
        ONBOARDING = "onboarding", "Onboarding"
        ADOPTION = "adoption", "Adoption"
        EXPAND = "expand", "Expand"
        RENEW = "renew", "Renew"
        LOST = "lost", "Lost"

    class State(models.TextChoices):
        NEW = "new", "New"
        DEFINE = "define", "Define"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"
        CANCELED = "canceled", "Canceled"

    #: States in which success cases may still be opened for the engagement.
    OPEN_STATES = (State.NEW, State.DEFINE, State.IN_PROGRESS)

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="engagements")
    name = models.CharField(max_length=200)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.ONBOARDING)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    start_date = models.DateField(validators=[validate_in_range])
    end_date = models.DateField(null=True, blank=True, validators=[validate_in_range])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_engagements",
    )
    # The record's id in the CRM or HR system it was imported from (django-import-export
    # matches on it, so re-importing the same file changes nothing); blank when typed in.
    external_id = models.CharField(
        max_length=100, unique=True, null=True, blank=True, help_text="Its id in the CRM."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="engagement_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            *in_range_constraints("engagement", "start_date", "end_date"),
            models.UniqueConstraint(
                fields=["account", "name"], name="engagement_unique_name_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account.name}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("engagements:engagement-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date cannot be before the start date."})


class ResourceQuerySet(models.QuerySet):
    def assignable(self) -> ResourceQuerySet:
        """Resources that may be given success work: active and not PSA resources."""
        return self.filter(is_active=True, is_psa=False, user__is_active=True)


class Resource(models.Model):
    """A user who can be assigned to success work.

    PSA resources belong to professional services (Certinia PSA) and are not
    offered for customer success assignments.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource"
    )
    title = models.CharField(max_length=100, blank=True)
    # The record's id in the CRM or HR system it was imported from (django-import-export
    # matches on it, so re-importing the same file changes nothing); blank when typed in.
    external_id = models.CharField(
        max_length=100, unique=True, null=True, blank=True, help_text="Its id in the CRM."
    )
    is_active = models.BooleanField("active", default=True)
    is_psa = models.BooleanField(
        "PSA resource", default=False, help_text="Professional services resource."
    )

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["user__first_name", "user__last_name", "user__username"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()
