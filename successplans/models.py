"""Success plans (Certinia Customer Success Cloud) and their children.

A success plan belongs to an account and holds objectives (each with
objective KPIs), playbooks, playbook tasks (under a playbook or directly under
the plan), business challenges and logged CS activities. Children carry their
plan's account through the plan: it is shown on every child but never typed
again, so it cannot disagree with the plan.

Record types: admins define record types per object with a *field set*, the
optional fields its forms show. Objects without record types use the default
field set (every optional field).

A plan with ``is_template`` set is a template: it is offered in the template
picker and never shown as a live plan on the Success Tracker.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


class RecordType(models.Model):
    class ObjectType(models.TextChoices):
        SUCCESS_PLAN = "success_plan", "Success Plan"
        OBJECTIVE = "objective", "Objective"
        PLAYBOOK = "playbook", "Playbook"
        PLAYBOOK_TASK = "playbook_task", "Playbook Task"
        CS_ACTIVITY = "cs_activity", "CS Activity"

    #: The optional fields a record type may show, per object. Required fields
    #: (name, dates that anchor the record, status) are always shown.
    OPTIONAL_FIELDS: dict[str, list[str]] = {
        ObjectType.SUCCESS_PLAN: ["description", "end_date", "owner"],
        ObjectType.OBJECTIVE: ["description", "start_date", "end_date", "resource"],
        ObjectType.PLAYBOOK: ["description", "start_date", "end_date", "resource"],
        ObjectType.PLAYBOOK_TASK: ["description", "start_date", "end_date", "resources"],
        ObjectType.CS_ACTIVITY: ["notes"],
    }

    object_type = models.CharField(max_length=20, choices=ObjectType.choices)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    field_set = models.JSONField(
        default=list,
        blank=True,
        help_text="The optional fields this record type's forms show.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["object_type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["object_type", "name"], name="record_type_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        allowed = self.OPTIONAL_FIELDS.get(self.object_type, [])
        unknown = [name for name in self.field_set or [] if name not in allowed]
        if unknown:
            raise ValidationError(
                {"field_set": f"Not optional fields of this object: {', '.join(unknown)}."}
            )

    @classmethod
    def default_field_set(cls, object_type: str) -> list[str]:
        return list(cls.OPTIONAL_FIELDS[object_type])


def field_set_for(object_type: str, record_type: RecordType | None) -> list[str]:
    """The optional fields a form shows: the record type's, or the default field set."""
    if record_type is None:
        return RecordType.default_field_set(object_type)
    return [f for f in RecordType.OPTIONAL_FIELDS[object_type] if f in record_type.field_set]


class Status(models.TextChoices):
    """Status of plans, objectives, playbooks and playbook tasks."""

    NOT_STARTED = "not_started", "Not Started"
    IN_PROGRESS = "in_progress", "In Progress"
    ON_HOLD = "on_hold", "On Hold"
    COMPLETED = "completed", "Completed"
    CANCELED = "canceled", "Canceled"


#: Where every plan and child starts (and what a plan made from a template resets to).
STARTING_STATUS = Status.NOT_STARTED
DONE_STATUSES = (Status.COMPLETED, Status.CANCELED)


def _dates_in_order(start: str, end: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message="The end date cannot be before the start date.",
    )


def _check_dates(instance, start: str, end: str) -> None:
    start_value, end_value = getattr(instance, start), getattr(instance, end)
    if start_value and end_value and end_value < start_value:
        raise ValidationError({end: "The end date cannot be before the start date."})


def _days(day: date | None, effective_date: date) -> int | None:
    return None if day is None else (day - effective_date).days


def _check_resource(resource, field: str) -> None:
    if resource is not None and not (resource.is_active and not resource.is_psa):
        raise ValidationError({field: "Choose an active resource that is not a PSA resource."})


class SuccessPlan(models.Model):
    account = models.ForeignKey(
        "engagements.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="success_plans",
        help_text="Required, except on templates.",
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    effective_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=STARTING_STATUS)
    owner = models.ForeignKey(
        "engagements.Resource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_success_plans",
        help_text="The resource allocated to the plan is also its owner.",
    )
    record_type = models.ForeignKey(
        RecordType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"object_type": RecordType.ObjectType.SUCCESS_PLAN},
    )
    is_template = models.BooleanField("template", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            # The Success Plans tab (live plans by name) and the Success Tracker (live plans by
            # account, then effective date; its account filter) read these, never a table scan.
            models.Index(
                fields=["name", "id"], condition=Q(is_template=False), name="plan_live_name_idx"
            ),
            models.Index(
                fields=["account", "effective_date"],
                condition=Q(is_template=False),
                name="plan_live_account_idx",
            ),
        ]
        constraints = [
            _dates_in_order("effective_date", "end_date", "plan_end_after_effective"),
            models.CheckConstraint(
                condition=Q(is_template=True) | Q(account__isnull=False),
                name="plan_has_account_unless_template",
                violation_error_message="A success plan needs an account.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("successplans:plan-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        _check_dates(self, "effective_date", "end_date")
        _check_resource(self.owner, "owner")
        if not self.is_template and self.account_id is None:
            raise ValidationError({"account": "A success plan needs an account."})


class PlanChild(models.Model):
    """What objectives, playbooks and playbook tasks share: dates, status, record type."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=STARTING_STATUS)
    # Days from the plan's effective date, fixed when the record is created (or
    # copied from a template). Changing the plan's effective date sets the dates
    # back to effective date + offset: dates edited by hand later are lost, as
    # the seed says. Editing a child's dates does not move its offsets.
    start_offset = models.IntegerField(null=True, blank=True, editable=False)
    end_offset = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def anchor_to(self, effective_date: date) -> None:
        """Fix the offsets of the current dates from ``effective_date`` (on creation)."""
        self.start_offset = _days(self.start_date, effective_date)
        self.end_offset = _days(self.end_date, effective_date)

    @property
    def account(self):
        """Children carry their plan's account."""
        return self.plan.account

    def clean(self) -> None:
        super().clean()
        _check_dates(self, "start_date", "end_date")


class Objective(PlanChild):
    plan = models.ForeignKey(SuccessPlan, on_delete=models.CASCADE, related_name="objectives")
    resource = models.ForeignKey(
        "engagements.Resource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
    )
    record_type = models.ForeignKey(
        RecordType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"object_type": RecordType.ObjectType.OBJECTIVE},
    )

    class Meta:
        ordering = ["start_date", "name", "pk"]
        constraints = [_dates_in_order("start_date", "end_date", "objective_end_after_start")]

    def get_absolute_url(self) -> str:
        return reverse("successplans:objective-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        _check_resource(self.resource, "resource")


class ObjectiveKPI(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Badge(models.TextChoices):
        COMPLETED = "Completed"
        IN_PROGRESS = "In Progress"
        OVERDUE = "Overdue"
        NOT_AVAILABLE = "Not Available"
        BLOCKED = "Blocked"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=30, blank=True, help_text="%, users, days, tickets…")
    baseline = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    current = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    due_date = models.DateField(null=True, blank=True)
    external = models.BooleanField(default=False, help_text="May be shown to the customer.")
    blocked = models.BooleanField(default=False, help_text="Set by hand when progress is blocked.")
    # Like the children's offsets: the due date's distance from the plan's effective date.
    due_offset = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["objective", "name", "pk"]
        verbose_name = "objective KPI"
        verbose_name_plural = "objective KPIs"

    def __str__(self) -> str:
        return self.name

    @property
    def account(self):
        return self.objective.plan.account

    def anchor_to(self, effective_date: date) -> None:
        self.due_offset = _days(self.due_date, effective_date)

    def badge_on(self, today: date) -> str:
        """Completed, In Progress, Overdue, Not Available or Blocked."""
        if self.blocked:
            return self.Badge.BLOCKED
        if self.current is None or self.target is None:
            return self.Badge.NOT_AVAILABLE
        reached = (
            self.current >= self.target
            if self.direction == self.Direction.HIGHER
            else self.current <= self.target
        )
        if reached:
            return self.Badge.COMPLETED
        if self.due_date is not None and self.due_date < today:
            return self.Badge.OVERDUE
        return self.Badge.IN_PROGRESS

    @property
    def badge(self) -> str:
        return self.badge_on(timezone.localdate())

    @property
    def progress_percent(self) -> int | None:
        """How far from baseline to target the current value is, 0-100."""
        if None in (self.baseline, self.current, self.target) or self.target == self.baseline:
            return None
        share = (self.current - self.baseline) / (self.target - self.baseline)
        return int(max(Decimal(0), min(Decimal(1), share)) * 100)


class KPIValue(models.Model):
    """A change of an objective KPI's current value: the history progress is charted from."""

    kpi = models.ForeignKey(ObjectiveKPI, on_delete=models.CASCADE, related_name="history")
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kpi", "recorded_at", "pk"]
        verbose_name = "KPI value"

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value}"


class Playbook(PlanChild):
    plan = models.ForeignKey(SuccessPlan, on_delete=models.CASCADE, related_name="playbooks")
    resource = models.ForeignKey(
        "engagements.Resource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="playbooks",
    )
    record_type = models.ForeignKey(
        RecordType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"object_type": RecordType.ObjectType.PLAYBOOK},
    )

    class Meta:
        ordering = ["start_date", "name", "pk"]
        constraints = [_dates_in_order("start_date", "end_date", "playbook_end_after_start")]

    def get_absolute_url(self) -> str:
        return reverse("successplans:playbook-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        _check_resource(self.resource, "resource")


class PlaybookTask(PlanChild):
    plan = models.ForeignKey(SuccessPlan, on_delete=models.CASCADE, related_name="playbook_tasks")
    playbook = models.ForeignKey(
        Playbook,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        help_text="Leave empty for a task directly under the plan.",
    )
    resources = models.ManyToManyField(
        "engagements.Resource", blank=True, related_name="playbook_tasks"
    )
    record_type = models.ForeignKey(
        RecordType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"object_type": RecordType.ObjectType.PLAYBOOK_TASK},
    )

    class Meta:
        ordering = ["start_date", "name", "pk"]
        constraints = [_dates_in_order("start_date", "end_date", "playbook_task_end_after_start")]

    def get_absolute_url(self) -> str:
        return reverse("successplans:task-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.playbook_id is not None and self.playbook.plan_id != self.plan_id:
            raise ValidationError({"playbook": "Choose a playbook of the same success plan."})


class ChallengeCategory(models.Model):
    """Business challenge categories; admins manage the list."""

    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "challenge categories"

    def __str__(self) -> str:
        return self.name


class BusinessChallenge(models.Model):
    """A challenge the customer faces. It belongs to exactly one success plan."""

    plan = models.ForeignKey(
        SuccessPlan, on_delete=models.CASCADE, related_name="business_challenges"
    )
    name = models.CharField(max_length=200)
    category = models.ForeignKey(
        ChallengeCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        # A plan's challenges by name (its Related list; the tab filtered by plan).
        indexes = [models.Index(fields=["plan", "name"], name="challenge_plan_name_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("successplans:challenge-detail", args=[self.pk])

    @property
    def account(self):
        return self.plan.account


class CSActivity(models.Model):
    """A call, email or meeting logged against a success plan."""

    class Type(models.TextChoices):
        CALL = "call", "Call"
        EMAIL = "email", "Email"
        MEETING = "meeting", "Meeting"

    plan = models.ForeignKey(SuccessPlan, on_delete=models.CASCADE, related_name="cs_activities")
    type = models.CharField(max_length=10, choices=Type.choices, default=Type.CALL)
    date = models.DateField()
    subject = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    who = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cs_activities"
    )
    record_type = models.ForeignKey(
        RecordType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"object_type": RecordType.ObjectType.CS_ACTIVITY},
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "CS activity"
        verbose_name_plural = "CS activities"

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.subject}"

    @property
    def account(self):
        return self.plan.account


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
