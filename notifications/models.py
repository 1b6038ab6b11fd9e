"""In-app notifications, each user's mail preferences, the reminders already sent and the
private calendar feed."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

#: How long a notification is kept (``send_reminders`` prunes older ones).
KEEP_DAYS = 90


class Kind(models.TextChoices):
    """What a user is told about (issue 14's events), as the preferences page lists them."""

    CASE_ASSIGNED = "case_assigned", "Assigned a case"
    SQUAD_ADDED = "squad_added", "Added to a squad"
    TASK_ASSIGNED = "task_assigned", "Assigned a task"
    TASK_DUE = "task_due", "A task due tomorrow"
    TASK_OVERDUE = "task_overdue", "A task overdue"
    KPI_ALERT = "kpi_alert", "A KPI on my plan turned Overdue or Blocked"
    CASE_ENDED = "case_ended", "My case closed or canceled by someone else"
    REVIEW_WAITING = "review_waiting", "A case awaits my review"


class Delivery(models.TextChoices):
    """How a notification reaches the user's mailbox (the in-app row is always written)."""

    IMMEDIATELY = "immediately", "Email immediately"
    DIGEST = "digest", "In the daily digest"
    OFF = "off", "No email"


#: Without a saved preference: assignments by mail at once, the rest in the digest.
DEFAULT_DELIVERY = {
    Kind.CASE_ASSIGNED: Delivery.IMMEDIATELY,
    Kind.SQUAD_ADDED: Delivery.IMMEDIATELY,
    Kind.TASK_ASSIGNED: Delivery.IMMEDIATELY,
    Kind.TASK_DUE: Delivery.DIGEST,
    Kind.TASK_OVERDUE: Delivery.DIGEST,
    Kind.KPI_ALERT: Delivery.IMMEDIATELY,
    Kind.CASE_ENDED: Delivery.IMMEDIATELY,
    Kind.REVIEW_WAITING: Delivery.DIGEST,
}


class Notification(models.Model):
    class Mail(models.TextChoices):
        NONE = "none", "No email"
        PENDING = "pending", "To send"
        DIGEST = "digest", "Waiting for the digest"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=30, choices=Kind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    mail = models.CharField(max_length=10, choices=Mail.choices, default=Mail.NONE)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            # The list (newest first) and the pruning (by created) of one user.
            models.Index(fields=["user", "-created", "-id"], name="notification_user_list"),
            # The bell's unread count reads only unread rows.
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            # The digest: rows still waiting for it.
            models.Index(
                fields=["user", "created"], condition=Q(mail="digest"), name="notification_digest"
            ),
            models.Index(fields=["created"], name="notification_created"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one user wants one kind of notification mailed; no row: ``DEFAULT_DELIVERY``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=30, choices=Kind.choices)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_event_display()} → {self.get_delivery_display()}"


class Reminder(models.Model):
    """A time-based notification already made (``send_reminders``): the unique constraint,
    not a check before inserting, is what keeps a second run from telling anyone twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)  # "due:case_task:12", "digest", ...
    day = models.DateField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key", "day"], name="reminder_once")]
        indexes = [models.Index(fields=["day"], name="reminder_day")]

    def __str__(self) -> str:
        return f"{self.key} for {self.user} on {self.day}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's private calendar URL: whoever holds the token reads their meetings and due
    tasks, so it is a secret of its own (never the session) that the user can revoke."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
