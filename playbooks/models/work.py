"""A case's activities, meetings and tasks, each with its state machine."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin
from django_fsm import FSMField
from django_fsm import transition

from core.dates import in_range_constraints
from core.dates import validate_in_range
from core.dates import validate_moment_in_range
from core.links import record_url
from core.models import optional_link
from core.text import LONG_TEXT

from .cases import SuccessCase
from .cases import can_work_case
from .reference import ACTION_LABELS
from .reference import DEFAULT_ACTION_LABEL
from .reference import LANES
from .reference import OPEN_MEETING_STATES
from .reference import OPEN_TASK_STATES
from .reference import RESOLVED_ACTIVITY_STATES
from .reference import ActivityDefinition
from .reference import ActivityKind
from .reference import ActivityState
from .reference import MeetingState
from .reference import Priority
from .reference import TaskState


def _case_can_be_worked(record: CaseActivity | Meeting | CaseTask, user) -> bool:
    """The ``permission=`` of activity, meeting and task transitions: their case's."""
    return can_work_case(record.case, user)


def _worked_transitions(field, *steps: tuple) -> list:
    """Meeting and task transitions from a table of (method name, source, target, button
    label): each allowed to whoever may work the record's case. The methods only move the
    state; the service saves and journals the record."""
    methods = []
    for name, source, target, label in steps:

        def method(self) -> None:
            pass

        method.__name__ = method.__qualname__ = name
        methods.append(
            transition(
                field=field,
                source=source,
                target=target,
                permission=_case_can_be_worked,
                custom={"label": label},
            )(method)
        )
    return methods


class CaseActivity(ConcurrentTransitionMixin, models.Model):
    """One activity of one case, copied from its definition when the case opened."""

    case = models.ForeignKey(SuccessCase, on_delete=models.CASCADE, related_name="activities")
    definition = optional_link(ActivityDefinition, on_delete=models.SET_NULL, related_name="+")
    # Copied so that later edits of the definition do not rewrite history.
    phase = models.CharField(max_length=20, choices=[(p.value, p.label) for p in LANES])
    position = models.PositiveSmallIntegerField(help_text="Order across the whole playbook.")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    instructions = models.TextField(blank=True, max_length=LONG_TEXT)

    state = FSMField(default=ActivityState.PENDING, choices=ActivityState.choices, protected=True)
    completed_by = optional_link(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "position"]
        verbose_name_plural = "case activities"
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="case_activity_position"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_resolved(self) -> bool:
        return self.state in RESOLVED_ACTIVITY_STATES

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.kind, DEFAULT_ACTION_LABEL)

    # -- gate ------------------------------------------------------------------
    def blockers(self) -> list:
        """The meetings or tasks that keep this activity from completing.

        Related meeting waits for every Draft or Scheduled meeting; Related work
        waits for every New, In progress or Paused task.
        """
        if self.kind == ActivityKind.RELATED_MEETING:
            return [m for m in self.case.meetings.all() if m.is_open]
        if self.kind == ActivityKind.RELATED_WORK:
            return [t for t in self.case.tasks.all() if t.is_open]
        return []

    def _still_open(self, count: int) -> str:
        noun = "meeting" if self.kind == ActivityKind.RELATED_MEETING else "task"
        verb = "is" if count == 1 else "are"
        return f"{count} {noun}{'s' if count != 1 else ''} {verb} still open"

    def blocker_count_message(self) -> str:
        """'2 tasks are still open', or '' (the page follows it with links to each)."""
        count = len(self.blockers())
        return self._still_open(count) if count else ""

    def blocker_message(self) -> str:
        """'2 tasks are still open: SCTASK0001004, SCTASK0001007', or ''."""
        blockers = self.blockers()
        if not blockers:
            return ""
        return f"{self._still_open(len(blockers))}: {', '.join(str(b) for b in blockers)}"

    def nothing_blocks(self) -> bool:
        return not self.blockers()

    # -- state machine ---------------------------------------------------------
    @transition(
        field=state,
        source=ActivityState.PENDING,
        target=ActivityState.IN_PROGRESS,
        permission=_case_can_be_worked,
    )
    def start(self) -> None:
        pass

    @transition(
        field=state,
        source=ActivityState.IN_PROGRESS,
        target=ActivityState.COMPLETE,
        conditions=[nothing_blocks],
        permission=_case_can_be_worked,
    )
    def complete(self, *, by) -> None:
        self.completed_by = by
        self.completed_at = timezone.now()

    @transition(
        field=state,
        source=[ActivityState.PENDING, ActivityState.IN_PROGRESS],
        target=ActivityState.CANCELED,
    )
    def cancel(self) -> None:
        pass


class Meeting(ConcurrentTransitionMixin, models.Model):
    case = models.ForeignKey(SuccessCase, on_delete=models.CASCADE, related_name="meetings")
    subject = models.CharField(max_length=160)
    start = models.DateTimeField(validators=[validate_moment_in_range])
    end = models.DateTimeField(validators=[validate_moment_in_range])
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="success_case_meetings"
    )
    external_attendees = models.CharField(
        max_length=500, blank=True, help_text="Customer attendees, comma-separated."
    )
    location = models.CharField(max_length=300, blank=True, help_text="A room or a meeting link.")
    agenda = models.TextField(blank=True, max_length=LONG_TEXT)
    notes = models.TextField(blank=True, max_length=LONG_TEXT)
    state = FSMField(default=MeetingState.DRAFT, choices=MeetingState.choices, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="meeting_ends_after_start",
                violation_error_message="The meeting must end after it starts.",
            ),
            *in_range_constraints("meeting", "start", "end", moment=True),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return record_url("playbooks:meeting-edit", self.case.number, self.pk)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_MEETING_STATES

    @property
    def is_past_due(self) -> bool:
        """Still Draft or Scheduled after its end: it should be completed or canceled."""
        return self.is_open and self.end < timezone.now()

    @property
    def days_past_due(self) -> int:
        """Whole days since the day it ended, for a past-due meeting (0: it ended today)."""
        if not self.is_past_due:
            return 0
        return (timezone.localdate() - timezone.localtime(self.end).date()).days

    schedule, complete, cancel = _worked_transitions(
        state,
        ("schedule", MeetingState.DRAFT, MeetingState.SCHEDULED, "Schedule"),
        ("complete", list(OPEN_MEETING_STATES), MeetingState.COMPLETE, "Complete"),
        ("cancel", list(OPEN_MEETING_STATES), MeetingState.CANCELED, "Cancel meeting"),
    )


class CaseTask(ConcurrentTransitionMixin, models.Model):
    """A success case task (SCTASK0001001)."""

    number = models.CharField(max_length=20, unique=True, editable=False)
    case = models.ForeignKey(SuccessCase, on_delete=models.CASCADE, related_name="tasks")
    short_description = models.CharField(max_length=160)
    description = models.TextField(blank=True, max_length=LONG_TEXT)
    assigned_to = optional_link(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="success_case_tasks"
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MODERATE)
    due_date = models.DateField(null=True, blank=True, validators=[validate_in_range])
    state = FSMField(default=TaskState.NEW, choices=TaskState.choices, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "success case task"
        constraints = in_range_constraints("case_task", "due_date")
        # The home page's open tasks of one user, soonest due first (NULLS LAST reads the
        # index twice on SQLite, no sort; PostgreSQL's ascending order has NULLs last).
        indexes = [
            models.Index(
                fields=["assigned_to", "due_date", "number"],
                name="task_open_assignee",
                condition=Q(state__in=OPEN_TASK_STATES),
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return self.url_for(self.case.number, self.number)

    @staticmethod
    def url_for(case_number: str, number: str) -> str:
        """The page's address from the key alone: list rows read as values link with it too."""
        return record_url("playbooks:task-edit", case_number, number)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_TASK_STATES

    @property
    def days_late(self) -> int:
        """Days past its due date while still open; 0 when not overdue."""
        if not self.is_open or self.due_date is None:
            return 0
        return max((timezone.localdate() - self.due_date).days, 0)

    start, pause, resume, complete, cancel = _worked_transitions(
        state,
        ("start", TaskState.NEW, TaskState.IN_PROGRESS, "Start work"),
        ("pause", TaskState.IN_PROGRESS, TaskState.PAUSED, "Pause"),
        ("resume", TaskState.PAUSED, TaskState.IN_PROGRESS, "Resume"),
        ("complete", list(OPEN_TASK_STATES), TaskState.COMPLETE, "Complete"),
        ("cancel", list(OPEN_TASK_STATES), TaskState.CANCELED, "Cancel task"),
    )
