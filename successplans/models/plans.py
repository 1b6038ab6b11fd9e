"""Success plans and their objectives (with objective KPIs), playbooks and playbook tasks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.dates import in_range_constraints
from core.dates import validate_in_range
from core.links import RecordPage
from core.models import check_dates
from core.models import dates_in_order
from core.models import optional_link
from core.text import LONG_TEXT

from .base import STARTING_STATUS
from .base import OfPlan
from .base import RecordType
from .base import Status
from .base import check_resource
from .base import child_date_constraints
from .base import days_from
from .base import record_type_field


class SuccessPlan(RecordPage, models.Model):
    detail_view = "successplans:plan-detail"

    account = optional_link(
        "engagements.Account",
        on_delete=models.PROTECT,
        related_name="success_plans",
        help_text="Required, except on templates.",
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=LONG_TEXT)
    effective_date = models.DateField(validators=[validate_in_range])
    end_date = models.DateField(null=True, blank=True, validators=[validate_in_range])
    status = models.CharField(max_length=20, choices=Status.choices, default=STARTING_STATUS)
    owner = optional_link(
        "engagements.Resource",
        on_delete=models.PROTECT,
        related_name="owned_success_plans",
        help_text="The resource allocated to the plan is also its owner.",
    )
    record_type = record_type_field(RecordType.ObjectType.SUCCESS_PLAN)
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
            # Every plan, templates too, by name: the Success plan search field's first
            # matches (Business Challenges' filter) read 20 rows, not a sort of every plan.
            models.Index(fields=["name", "id"], name="plan_name_idx"),
        ]
        constraints = [
            dates_in_order("effective_date", "end_date", "plan_end_after_effective"),
            *in_range_constraints("plan", "effective_date", "end_date"),
            models.CheckConstraint(
                condition=Q(is_template=True) | Q(account__isnull=False),
                name="plan_has_account_unless_template",
                violation_error_message="A success plan needs an account.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        check_dates(self, "effective_date", "end_date")
        check_resource(self.owner, "owner")
        if not self.is_template and self.account_id is None:
            raise ValidationError({"account": "A success plan needs an account."})


def plan_link(related_name: str) -> models.ForeignKey:
    """A child's plan: deleting the plan deletes its children."""
    return models.ForeignKey(SuccessPlan, on_delete=models.CASCADE, related_name=related_name)


def resource_link(related_name: str) -> models.ForeignKey:
    """The resource working on a child (``Resource.objects.assignable()`` when chosen)."""
    return optional_link(
        "engagements.Resource", on_delete=models.PROTECT, related_name=related_name
    )


class PlanChild(RecordPage, OfPlan, models.Model):
    """What objectives, playbooks and playbook tasks share: dates, status, record type."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=LONG_TEXT)
    start_date = models.DateField(null=True, blank=True, validators=[validate_in_range])
    end_date = models.DateField(null=True, blank=True, validators=[validate_in_range])
    status = models.CharField(max_length=20, choices=Status.choices, default=STARTING_STATUS)
    # Days from the plan's effective date, fixed when the record is created (or
    # copied from a template). Changing the plan's effective date sets the dates
    # back to effective date + offset: dates edited by hand later are lost, as
    # the seed says. Editing a child's dates does not move its offsets.
    start_offset = models.IntegerField(null=True, blank=True, editable=False)
    end_offset = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["start_date", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def anchor_to(self, effective_date: date) -> None:
        """Fix the offsets of the current dates from ``effective_date`` (on creation)."""
        self.start_offset = days_from(self.start_date, effective_date)
        self.end_offset = days_from(self.end_date, effective_date)

    def clean(self) -> None:
        super().clean()
        check_dates(self, "start_date", "end_date")


class AssignedChild(PlanChild):
    """Objectives and playbooks: under their plan, with one resource working on them.

    Their constraints are named after the class (``objective_end_after_start``): Django
    fills in "%(class)s" for each.
    """

    # Each names its own ``plan`` and ``resource`` (``plan_link``, ``resource_link``): the
    # reverse names differ, and "%(class)s" names would need a migration to say the same
    # (a field keeps the related_name as written, unlike a constraint's name).

    class Meta(PlanChild.Meta):
        abstract = True
        constraints = child_date_constraints("%(class)s")

    def clean(self) -> None:
        super().clean()
        check_resource(self.resource, "resource")


class Objective(AssignedChild):
    plan = plan_link("objectives")
    resource = resource_link("objectives")
    record_type = record_type_field(RecordType.ObjectType.OBJECTIVE)
    detail_view = "successplans:objective-detail"


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

    #: What its forms (the KPI form, the admin, the template grid) let a user type.
    EDITABLE_FIELDS = (
        "name",
        "unit",
        "baseline",
        "current",
        "target",
        "direction",
        "due_date",
        "external",
        "blocked",
    )

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=30, blank=True, help_text="%, users, days, tickets…")
    baseline = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    current = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    due_date = models.DateField(null=True, blank=True, validators=[validate_in_range])
    external = models.BooleanField(default=False, help_text="May be shown to the customer.")
    blocked = models.BooleanField(default=False, help_text="Set by hand when progress is blocked.")
    # Like the children's offsets: the due date's distance from the plan's effective date.
    due_offset = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["objective", "name", "pk"]
        verbose_name = "objective KPI"
        verbose_name_plural = "objective KPIs"
        constraints = in_range_constraints("objective_kpi", "due_date")

    def __str__(self) -> str:
        return self.name

    @property
    def account(self):
        return self.objective.plan.account

    def anchor_to(self, effective_date: date) -> None:
        self.due_offset = days_from(self.due_date, effective_date)

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


class Playbook(AssignedChild):
    plan = plan_link("playbooks")
    resource = resource_link("playbooks")
    record_type = record_type_field(RecordType.ObjectType.PLAYBOOK)
    detail_view = "successplans:playbook-detail"


class PlaybookTask(PlanChild):
    plan = plan_link("playbook_tasks")
    playbook = optional_link(
        Playbook,
        on_delete=models.CASCADE,
        related_name="tasks",
        help_text="Leave empty for a task directly under the plan.",
    )
    resources = models.ManyToManyField(
        "engagements.Resource", blank=True, related_name="playbook_tasks"
    )
    record_type = record_type_field(RecordType.ObjectType.PLAYBOOK_TASK)
    detail_view = "successplans:task-detail"

    #: The status changes a list offers in place (Related tab): the new status → the button's
    #: verb and the statuses it may leave. Every other change goes through Edit.
    STEPS = {
        Status.IN_PROGRESS: ("Start", (Status.NOT_STARTED, Status.ON_HOLD)),
        Status.COMPLETED: ("Complete", (Status.NOT_STARTED, Status.IN_PROGRESS, Status.ON_HOLD)),
    }

    class Meta(PlanChild.Meta):
        constraints = child_date_constraints("playbook_task")

    def clean(self) -> None:
        super().clean()
        if self.playbook_id is not None and self.playbook.plan_id != self.plan_id:
            raise ValidationError({"playbook": "Choose a playbook of the same success plan."})

    def steps(self) -> list[tuple[str, str]]:
        """(new status, verb) of each in-place change this task's status allows."""
        return [(to, verb) for to, (verb, sources) in self.STEPS.items() if self.status in sources]
