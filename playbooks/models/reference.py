"""Playbook reference data: phases, kinds, priorities and states, and the admin-managed lists."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import ReferenceItem
from core.text import LONG_TEXT


class Phase(models.TextChoices):
    INITIATE = "initiate", "Initiate"
    ASSIST = "assist", "Assist"
    REVIEW_CLOSE = "review_close", "Review & Close"
    CLOSED = "closed", "Closed"
    CANCELED = "canceled", "Canceled"


#: The lanes of the playbook, in order.
LANES = (Phase.INITIATE, Phase.ASSIST, Phase.REVIEW_CLOSE)
OPEN_PHASES = LANES
#: Closed and canceled cases are the ones Success Managers review.
REVIEWABLE_PHASES = (Phase.CLOSED, Phase.CANCELED)
#: A case's state and progress as pages, lists and the export print them (open otherwise:
#: "Open", "In progress").
STATE_LABELS = {Phase.CLOSED.value: "Closed", Phase.CANCELED.value: "Canceled"}
PROGRESS_LABELS = {Phase.CLOSED.value: "Completed", Phase.CANCELED.value: "Canceled"}


class ActivityKind(models.TextChoices):
    """What an activity asks for, and so which form and gate it uses."""

    SELECT_ENGAGEMENT = "select_engagement", "Select engagement"
    CORE_INFORMATION = "core_information", "Enter core information"
    ADD_SQUAD = "add_squad", "Add squad"
    COMMENT = "comment", "Comment (visible to the customer)"
    WORK_NOTE = "work_note", "Work note (internal)"
    RELATED_MEETING = "related_meeting", "Related meeting"
    RELATED_WORK = "related_work", "Related work"
    CLOSE_RECORD = "close_record", "Close record"


#: The button that completes an activity of each kind, in the seed's words.
ACTION_LABELS = {
    ActivityKind.SELECT_ENGAGEMENT: "Continue",
    ActivityKind.COMMENT: "Send and continue",
    ActivityKind.WORK_NOTE: "Send and continue",
}
DEFAULT_ACTION_LABEL = "Mark Complete"


class PlaybookDefinition(models.Model):
    """A playbook an agent may choose at New (the seed's, an onboarding play, a renewal play).

    Its activities belong to its versions: a new case takes the latest version and keeps it
    (``SuccessCase.playbook_version``) whatever an administrator changes later.
    """

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True, max_length=LONG_TEXT)
    is_default = models.BooleanField(
        "default", default=False, help_text="Preselected at New. Exactly one playbook is."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # At most one default here; the services and the admin keep at least one.
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_playbook"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlaybookVersion(models.Model):
    """A numbered set of a playbook's activities. Versions used by a case never change."""

    definition = models.ForeignKey(
        PlaybookDefinition, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["definition__name", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "number"], name="playbook_version_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.definition.name}, version {self.number}"


class ActivityDefinition(models.Model):
    """One activity of a playbook version: what a new case following it gets."""

    version = models.ForeignKey(
        PlaybookVersion, on_delete=models.CASCADE, related_name="activities"
    )
    phase = models.CharField(max_length=20, choices=[(p.value, p.label) for p in LANES])
    order = models.PositiveSmallIntegerField(help_text="Position inside its phase's lane.")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    instructions = models.TextField(blank=True, max_length=LONG_TEXT)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["version", "phase", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "phase", "order"], name="activity_definition_version_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.order}: {self.name}"


class ClosureCode(ReferenceItem):
    """How a success case ended. Admins manage the list."""


class NumberSequence(models.Model):
    """Gap-tolerant counters for human-readable numbers (SCS0001001, SCTASK0001001).

    A number is taken inside the creating transaction with a row lock, so it is
    unique and, once committed, never handed out again.
    """

    prefix = models.CharField(max_length=10, primary_key=True)
    next_value = models.PositiveIntegerField(default=1001)

    def __str__(self) -> str:
        return f"{self.prefix}{self.next_value:07d}"


class Priority(models.IntegerChoices):
    CRITICAL = 1, "1 - Critical"
    HIGH = 2, "2 - High"
    MODERATE = 3, "3 - Moderate"
    LOW = 4, "4 - Low"


class PlaybookState(models.TextChoices):
    """The case's playbook, apart from the case's State and Progress (the seed's "playbook
    State"): Completed when the case closed after every activity was complete, Canceled
    when the case was canceled or closed early (its pending activities then canceled)."""

    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELED = "canceled", "Canceled"


class ActivityState(models.TextChoices):
    PENDING = "pending", "Pending"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    CANCELED = "canceled", "Canceled"


RESOLVED_ACTIVITY_STATES = (ActivityState.COMPLETE, ActivityState.CANCELED)


class MeetingState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETE = "complete", "Complete"
    CANCELED = "canceled", "Canceled"


OPEN_MEETING_STATES = (MeetingState.DRAFT, MeetingState.SCHEDULED)


class TaskState(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    PAUSED = "paused", "Paused"
    COMPLETE = "complete", "Complete"
    CANCELED = "canceled", "Canceled"


OPEN_TASK_STATES = (TaskState.NEW, TaskState.IN_PROGRESS, TaskState.PAUSED)
