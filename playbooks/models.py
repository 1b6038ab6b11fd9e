"""Success cases and their playbook (ServiceNow CSM "success case playbook").

A success case is opened for an engagement and worked through three phases,
each a lane of activities: Initiate, Assist, Review & Close. The phases are a
django-fsm state machine on ``SuccessCase.phase``; a lane's completion is the
condition of the transition to the next phase. Activities, meetings and tasks
have state machines of their own. Complete and Canceled both resolve a gate.

The activities of a new case are copied from ``ActivityDefinition`` rows
(seeded with the seed document's eight), so an organisation can add or reorder
activities in the admin without touching the state machine. Each definition
has a *kind* that says which form and which gate the activity uses.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


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


class ActivityDefinition(models.Model):
    """One activity of the playbook every new success case gets."""

    phase = models.CharField(max_length=20, choices=[(p.value, p.label) for p in LANES])
    order = models.PositiveSmallIntegerField(help_text="Position inside its phase's lane.")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    instructions = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["phase", "order"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "order"], name="activity_definition_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.order}: {self.name}"


class ClosureCode(models.Model):
    """How a success case ended. Admins manage the list."""

    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


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


def can_work_case(case: SuccessCase, user) -> bool:
    """Success Agents work a case when assigned to it or in its squad.

    This is the ``permission=`` of every transition on cases, activities,
    meetings and tasks, and the check every view makes before a change.
    """
    if not user.is_authenticated or not user.has_perm("playbooks.change_successcase"):
        return False
    if case.assigned_to_id == user.pk:
        return True
    return any(member.pk == user.pk for member in case.squad.all())


class SuccessCase(ConcurrentTransitionMixin, models.Model):
    number = models.CharField(max_length=20, unique=True, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="success_cases"
    )
    short_description = models.CharField(max_length=160, blank=True)
    description = models.TextField(blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MODERATE)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_success_cases",
    )
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    squad = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="squad_success_cases"
    )

    phase = FSMField(default=Phase.INITIATE, choices=Phase.choices, protected=True)

    closure_code = models.ForeignKey(
        ClosureCode, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    close_notes = models.TextField(blank=True)
    cancel_reason = models.TextField(blank=True)

    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opened_success_cases"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_success_cases",
        help_text="Who closed or canceled the case.",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A Success Manager's review of a closed or canceled case (the Review workspace).
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_success_cases",
    )
    review_note = models.TextField(blank=True)

    # What the Review figures need, kept on the row by the services when the case
    # leaves a lane (moving on, closing or canceling) and when it closes: the
    # figures then read this one table, never the journal (whose Phase changes
    # say the same; migration 0006 filled these from it for older cases).
    initiate_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    assist_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_close_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    cycle_time = models.DurationField(
        null=True, blank=True, editable=False, help_text="From opening to closing or canceling."
    )

    class Meta:
        ordering = ["-opened_at"]
        permissions = [
            ("review_successcase", "Can review closed and canceled success cases"),
        ]
        # Each list's default order, for the rows it shows (partial where it shows a subset):
        # All Success Cases, its "Open" state, the home page's open cases of one agent,
        # Review (most recently closed first; the closed-between filter), and the cycle
        # times in order (the percentiles on SQLite). The Review's two are partial on
        # "closed_at / cycle_time is set" rather than on the phase: only the queries that
        # say so (``reports.in_list_order``, the percentiles) use them. SQLite's planner
        # would otherwise also read the whole-set aggregates of the Review figures
        # through them, a row lookup per index entry: 3 to 5 times slower than its
        # table scan.
        indexes = [
            models.Index(fields=["-opened_at", "-id"], name="case_opened"),
            models.Index(
                fields=["-opened_at", "-id"],
                name="case_open_opened",
                condition=Q(phase__in=OPEN_PHASES),
            ),
            models.Index(
                fields=["assigned_to", "planned_end"],
                name="case_open_assignee",
                condition=Q(phase__in=OPEN_PHASES),
            ),
            models.Index(
                fields=["-closed_at", "-id"],
                name="case_closed_order",
                condition=Q(closed_at__isnull=False),
            ),
            # With the phase, so that the percentile's scan needs no row.
            models.Index(
                fields=["cycle_time", "id", "phase"],
                name="case_cycle_order",
                condition=Q(cycle_time__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phase=Phase.CLOSED)
                | (
                    Q(closure_code__isnull=False)
                    & ~Q(close_notes="")
                    & Q(closed_at__isnull=False)
                    & Q(closed_by__isnull=False)
                ),
                name="closed_case_has_closure",
                violation_error_message=(
                    "A closed case needs a closure code, close notes and who closed it."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(phase=Phase.CANCELED)
                | (~Q(cancel_reason="") & Q(closed_at__isnull=False)),
                name="canceled_case_has_reason",
                violation_error_message="A canceled case needs a reason.",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="case_planned_end_after_start",
                violation_error_message="The planned end cannot be before the planned start.",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True)
                | (
                    Q(phase__in=REVIEWABLE_PHASES)
                    & Q(reviewed_by__isnull=False)
                    & ~Q(review_note="")
                ),
                name="reviewed_case_is_closed_with_note",
                violation_error_message=(
                    "Only a closed or canceled case can be reviewed, by someone, with a note."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("playbooks:case-detail", args=[self.number])

    # State and Progress, as ServiceNow shows them, follow from the phase.
    @property
    def is_open(self) -> bool:
        return self.phase in OPEN_PHASES

    @property
    def state_label(self) -> str:
        return {Phase.CLOSED: "Closed", Phase.CANCELED: "Canceled"}.get(self.phase, "Open")

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def progress_label(self) -> str:
        return {Phase.CLOSED: "Completed", Phase.CANCELED: "Canceled"}.get(
            self.phase, "In progress"
        )

    # -- gates -----------------------------------------------------------------
    def lane_blockers(self, phase: str) -> list[CaseActivity]:
        """The activities of ``phase`` that are neither complete nor canceled."""
        return [a for a in self.activities.all() if a.phase == phase and not a.is_resolved]

    def initiate_done(self) -> bool:
        return not self.lane_blockers(Phase.INITIATE)

    def assist_done(self) -> bool:
        return not self.lane_blockers(Phase.ASSIST)

    def all_activities_complete(self) -> bool:
        return all(a.state == ActivityState.COMPLETE for a in self.activities.all())

    # -- phase state machine ---------------------------------------------------
    @transition(
        field=phase,
        source=Phase.INITIATE,
        target=Phase.ASSIST,
        conditions=[initiate_done],
        permission=can_work_case,
    )
    def start_assist(self) -> None:
        """Every Initiate activity is resolved: the Assist lane opens."""

    @transition(
        field=phase,
        source=Phase.ASSIST,
        target=Phase.REVIEW_CLOSE,
        conditions=[assist_done],
        permission=can_work_case,
    )
    def start_review(self) -> None:
        """Every Assist activity is resolved: the Review & Close lane opens."""

    @transition(
        field=phase,
        source=Phase.REVIEW_CLOSE,
        target=Phase.CLOSED,
        conditions=[all_activities_complete],
        permission=can_work_case,
    )
    def close(self, *, by) -> None:
        """Close success case: State Closed, Progress Completed."""
        self.closed_by = by
        self.closed_at = timezone.now()

    @transition(
        field=phase,
        source=list(OPEN_PHASES),
        target=Phase.CANCELED,
        permission=can_work_case,
    )
    def cancel(self, *, by, reason: str) -> None:
        self.cancel_reason = reason
        self.closed_by = by
        self.closed_at = timezone.now()


class ActivityState(models.TextChoices):
    PENDING = "pending", "Pending"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    CANCELED = "canceled", "Canceled"


RESOLVED_ACTIVITY_STATES = (ActivityState.COMPLETE, ActivityState.CANCELED)


def _activity_can_be_worked(activity: CaseActivity, user) -> bool:
    return can_work_case(activity.case, user)


class CaseActivity(ConcurrentTransitionMixin, models.Model):
    """One activity of one case, copied from its definition when the case opened."""

    case = models.ForeignKey(SuccessCase, on_delete=models.CASCADE, related_name="activities")
    definition = models.ForeignKey(
        ActivityDefinition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Copied so that later edits of the definition do not rewrite history.
    phase = models.CharField(max_length=20, choices=[(p.value, p.label) for p in LANES])
    position = models.PositiveSmallIntegerField(help_text="Order across the whole playbook.")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    instructions = models.TextField(blank=True)

    state = FSMField(default=ActivityState.PENDING, choices=ActivityState.choices, protected=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
        permission=_activity_can_be_worked,
    )
    def start(self) -> None:
        pass

    @transition(
        field=state,
        source=ActivityState.IN_PROGRESS,
        target=ActivityState.COMPLETE,
        conditions=[nothing_blocks],
        permission=_activity_can_be_worked,
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


class MeetingState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETE = "complete", "Complete"
    CANCELED = "canceled", "Canceled"


OPEN_MEETING_STATES = (MeetingState.DRAFT, MeetingState.SCHEDULED)


def _meeting_can_be_worked(meeting: Meeting, user) -> bool:
    return can_work_case(meeting.case, user)


class Meeting(ConcurrentTransitionMixin, models.Model):
    case = models.ForeignKey(SuccessCase, on_delete=models.CASCADE, related_name="meetings")
    subject = models.CharField(max_length=160)
    start = models.DateTimeField()
    end = models.DateTimeField()
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="success_case_meetings"
    )
    external_attendees = models.CharField(
        max_length=500, blank=True, help_text="Customer attendees, comma-separated."
    )
    location = models.CharField(max_length=300, blank=True, help_text="A room or a meeting link.")
    agenda = models.TextField(blank=True)
    notes = models.TextField(blank=True)
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
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("playbooks:meeting-edit", args=[self.case.number, self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_MEETING_STATES

    @transition(
        field=state,
        source=MeetingState.DRAFT,
        target=MeetingState.SCHEDULED,
        permission=_meeting_can_be_worked,
        custom={"label": "Schedule"},
    )
    def schedule(self) -> None:
        pass

    @transition(
        field=state,
        source=list(OPEN_MEETING_STATES),
        target=MeetingState.COMPLETE,
        permission=_meeting_can_be_worked,
        custom={"label": "Complete"},
    )
    def complete(self) -> None:
        pass

    @transition(
        field=state,
        source=list(OPEN_MEETING_STATES),
        target=MeetingState.CANCELED,
        permission=_meeting_can_be_worked,
        custom={"label": "Cancel meeting"},
    )
    def cancel(self) -> None:
        pass


class TaskState(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    PAUSED = "paused", "Paused"
    COMPLETE = "complete", "Complete"
    CANCELED = "canceled", "Canceled"


OPEN_TASK_STATES = (TaskState.NEW, TaskState.IN_PROGRESS, TaskState.PAUSED)


def _task_can_be_worked(task: CaseTask, user) -> bool:
    return can_work_case(task.case, user)


class CaseTask(ConcurrentTransitionMixin, models.Model):
    """A success case task (SCTASK0001001)."""

    number = models.CharField(max_length=20, unique=True, editable=False)
    case = models.ForeignKey(SuccessCase, on_delete=models.CASCADE, related_name="tasks")
    short_description = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="success_case_tasks",
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MODERATE)
    due_date = models.DateField(null=True, blank=True)
    state = FSMField(default=TaskState.NEW, choices=TaskState.choices, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "success case task"

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("playbooks:task-edit", args=[self.case.number, self.number])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_TASK_STATES

    @transition(
        field=state,
        source=[TaskState.NEW, TaskState.PAUSED],
        target=TaskState.IN_PROGRESS,
        permission=_task_can_be_worked,
        custom={"label": "Start work"},
    )
    def start(self) -> None:
        pass

    @transition(
        field=state,
        source=TaskState.IN_PROGRESS,
        target=TaskState.PAUSED,
        permission=_task_can_be_worked,
        custom={"label": "Pause"},
    )
    def pause(self) -> None:
        pass

    @transition(
        field=state,
        source=list(OPEN_TASK_STATES),
        target=TaskState.COMPLETE,
        permission=_task_can_be_worked,
        custom={"label": "Complete"},
    )
    def complete(self) -> None:
        pass

    @transition(
        field=state,
        source=list(OPEN_TASK_STATES),
        target=TaskState.CANCELED,
        permission=_task_can_be_worked,
        custom={"label": "Cancel task"},
    )
    def cancel(self) -> None:
        pass


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
    body = models.TextField(blank=True)
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
