"""The case journal: comments, work notes and recorded changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import optional_link
from core.text import LONG_TEXT

from .cases import SuccessCase


class JournalEntry(models.Model):
    """The case's append-only activity stream.

    Comments are visible to the customer; work notes are internal; changes
    record every phase, activity, meeting and task state change and every
    field change (who, when, from → to). Nothing edits or deletes entries.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", "Additional comment"
        WORK_NOTE = "work_note", "Work note"
        CHANGE = "change", "Change"

    case = models.ForeignKey(SuccessCase, on_delete=models.CASCADE, related_name="journal")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    body = models.TextField(blank=True, max_length=LONG_TEXT)
    #: The activity whose form posted this comment or work note (Communicate the intended
    #: outcome, Define the action plan...), so its card can show what was entered.
    activity = optional_link(
        "playbooks.CaseActivity", on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # For changes: what changed ("Phase", "SCTASK0001004 state", "Assigned to").
    field = models.CharField(max_length=100, blank=True)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["case", "kind", "field"], name="journal_case_kind_field")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="change") | ~Q(body=""),
                name="journal_text_not_empty",
                violation_error_message="A comment or work note cannot be empty.",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.CHANGE:
            return f"{self.field}: {self.old_value} → {self.new_value}"
        return f"{self.get_kind_display()} by {self.author_id}"
