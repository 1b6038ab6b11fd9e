"""Business challenges and their categories, CS activities, the template picker's memory."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.dates import in_range_constraints
from core.dates import validate_in_range
from core.links import RecordPage
from core.models import ReferenceItem
from core.models import optional_link
from core.text import LONG_TEXT

from .base import OfPlan
from .base import RecordType
from .base import record_type_field
from .plans import SuccessPlan


class ChallengeCategory(ReferenceItem):
    """Business challenge categories; admins manage the list."""

    class Meta(ReferenceItem.Meta):
        verbose_name_plural = "challenge categories"


class BusinessChallenge(RecordPage, OfPlan, models.Model):
    """A challenge the customer faces. It belongs to exactly one success plan."""

    detail_view = "successplans:challenge-detail"

    plan = models.ForeignKey(
        SuccessPlan, on_delete=models.CASCADE, related_name="business_challenges"
    )
    name = models.CharField(max_length=200)
    category = optional_link(ChallengeCategory, on_delete=models.PROTECT, related_name="challenges")
    notes = models.TextField(blank=True, max_length=LONG_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        # A plan's challenges by name (its Related list; the tab filtered by plan).
        indexes = [
            models.Index(fields=["plan", "name"], name="challenge_plan_name_idx"),
            # The Business Challenges tab's order.
            models.Index(fields=["name", "id"], name="challenge_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class CSActivity(OfPlan, models.Model):
    """A call, email or meeting logged against a success plan."""

    class Type(models.TextChoices):
        CALL = "call", "Call"
        EMAIL = "email", "Email"
        MEETING = "meeting", "Meeting"

    plan = models.ForeignKey(SuccessPlan, on_delete=models.CASCADE, related_name="cs_activities")
    type = models.CharField(max_length=10, choices=Type.choices, default=Type.CALL)
    date = models.DateField(validators=[validate_in_range])
    subject = models.CharField(max_length=200)
    notes = models.TextField(blank=True, max_length=LONG_TEXT)
    who = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cs_activities"
    )
    record_type = record_type_field(RecordType.ObjectType.CS_ACTIVITY)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "CS activity"
        verbose_name_plural = "CS activities"
        constraints = in_range_constraints("cs_activity", "date")

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.subject}"


class TemplatePickerPreference(models.Model):
    """The template picker view (Cards or Lists) a user selected last."""

    class View(models.TextChoices):
        CARDS = "cards", "Cards"
        LISTS = "lists", "Lists"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="template_picker"
    )
    view = models.CharField(max_length=10, choices=View.choices, default=View.CARDS)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_view_display()}"
