"""Accounts (customer companies), their engagements, and resources.

An engagement is the piece of customer work that success cases are opened
for. Its states and stages follow ServiceNow CSM: states New, Define,
In progress, Closed, Canceled; stages Onboarding, Adoption, Expand, Renew,
Lost.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.dates import in_range_constraints
from core.dates import validate_in_range
from core.formatting import person
from core.links import RecordPage
from core.models import DATES_IN_ORDER
from core.models import check_dates
from core.models import optional_link
from core.text import LONG_TEXT


class Currency(models.TextChoices):
    USD = "USD", "USD"
    EUR = "EUR", "EUR"
    GBP = "GBP", "GBP"
    CAD = "CAD", "CAD"
    AUD = "AUD", "AUD"
    JPY = "JPY", "JPY"


class Lifecycle(models.TextChoices):
    """An account's lifecycle stage, and an engagement's stage (``Engagement.Stage``): the
    same words for the whole customer and for one piece of work."""

    ONBOARDING = "onboarding", "Onboarding"
    ADOPTION = "adoption", "Adoption"
    EXPAND = "expand", "Expand"
    RENEW = "renew", "Renew"
    LOST = "lost", "Lost"


def external_id_field() -> models.CharField:
    """The record's id in the CRM or HR system it was imported from: django-import-export
    matches on it, so re-importing the same file changes nothing; empty (null, so that
    several may be) when typed in."""
    return models.CharField(
        max_length=100, unique=True, null=True, blank=True, help_text="Its id in the CRM."
    )


class Account(RecordPage, models.Model):
    detail_view = "engagements:account-detail"

    class Tier(models.TextChoices):
        STRATEGIC = "strategic", "Strategic"
        ENTERPRISE = "enterprise", "Enterprise"
        COMMERCIAL = "commercial", "Commercial"
        SMB = "smb", "SMB"

    name = models.CharField(max_length=200, unique=True)
    industry = models.CharField(max_length=100, blank=True)
    tier = models.CharField(max_length=20, choices=Tier.choices, default=Tier.COMMERCIAL)
    owner = optional_link(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="owned_accounts",
        help_text="The customer success owner of this account.",
    )
    external_id = external_id_field()
    created_at = models.DateTimeField(auto_now_add=True)

    # -- the facts of the Account 360 (issue 15); Customer Success edits them on the account
    # page through services.account_facts_update, which logs each change (AccountChange).
    arr = models.DecimalField(
        "ARR",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Annual recurring revenue.",
    )
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.USD)
    renewal_date = models.DateField(null=True, blank=True, validators=[validate_in_range])
    lifecycle_stage = models.CharField(
        max_length=20, choices=Lifecycle.choices, default=Lifecycle.ONBOARDING
    )
    csm = optional_link(
        "Resource",
        on_delete=models.SET_NULL,
        related_name="csm_accounts",
        verbose_name="CSM",
        help_text="The customer success manager: an active resource, not a PSA one.",
    )

    #: The facts a user edits, in the order the page shows them (the change log names them).
    FACT_FIELDS = ("arr", "currency", "renewal_date", "tier", "lifecycle_stage", "csm")

    class Meta:
        ordering = ["name"]
        constraints = [
            *in_range_constraints("account", "renewal_date"),
            models.CheckConstraint(condition=Q(arr__gte=0), name="account_arr_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.csm_id and not Resource.objects.assignable().filter(pk=self.csm_id).exists():
            raise ValidationError({"csm": "Choose an active resource that is not a PSA resource."})


class Engagement(RecordPage, models.Model):
    detail_view = "engagements:engagement-detail"

    #: An engagement's stage: the account's lifecycle has the same words (one list of them).
    Stage = Lifecycle

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
    owner = optional_link(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="owned_engagements"
    )
    external_id = external_id_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="engagement_end_after_start",
                violation_error_message=DATES_IN_ORDER,
            ),
            *in_range_constraints("engagement", "start_date", "end_date"),
            models.UniqueConstraint(
                fields=["account", "name"], name="engagement_unique_name_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account.name}: {self.name}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def clean(self) -> None:
        super().clean()
        check_dates(self, "start_date", "end_date")


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
    external_id = external_id_field()
    is_active = models.BooleanField("active", default=True)
    is_psa = models.BooleanField(
        "PSA resource", default=False, help_text="Professional services resource."
    )

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["user__first_name", "user__last_name", "user__username"]

    def __str__(self) -> str:
        return person(self.user)


class Contact(models.Model):
    """A person at the customer, and their role in the relationship."""

    class Role(models.TextChoices):
        SPONSOR = "sponsor", "Sponsor"
        CHAMPION = "champion", "Champion"
        USER = "user", "User"
        BILLING = "billing", "Billing"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.USER)
    is_primary = models.BooleanField("primary", default=False)

    class Meta:
        ordering = ["-is_primary", "name", "pk"]
        constraints = [
            # One primary contact per account (contact_save clears the previous one).
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(is_primary=True),
                name="contact_one_primary_per_account",
                violation_error_message="An account has one primary contact.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AccountChange(models.Model):
    """The history of an account's facts and contacts: who changed what, from → to.

    Written by the services; nothing edits or deletes it.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="changes")
    actor = optional_link(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    # "ARR", "Renewal date", "Contact Jane Doe": what changed, as the user reads it.
    field = models.CharField(max_length=200)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["account", "-at", "-id"], name="account_change_timeline")]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


class AccountActivity(models.Model):
    """A call, meeting, email or note a CSM logs straight on the account's timeline."""

    class Kind(models.TextChoices):
        CALL = "call", "Call"
        MEETING = "meeting", "Meeting"
        EMAIL = "email", "Email"
        NOTE = "note", "Note"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CALL)
    date = models.DateField(validators=[validate_in_range])
    text = models.TextField(max_length=LONG_TEXT)
    contacts = models.ManyToManyField(Contact, blank=True, related_name="activities")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "account activities"
        indexes = [
            models.Index(fields=["account", "-date", "-id"], name="account_activity_timeline")
        ]
        constraints = in_range_constraints("account_activity", "date")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%Y-%m-%d}"
