"""Record types, statuses and the helpers every success plan model uses."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models

from core.dates import in_range_constraints
from core.models import dates_in_order
from core.models import optional_link


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


def child_date_constraints(prefix: str) -> list[models.CheckConstraint]:
    """A plan child's start and end dates: in order, and each inside ``core.dates``' range."""
    return [
        dates_in_order("start_date", "end_date", f"{prefix}_end_after_start"),
        *in_range_constraints(prefix, "start_date", "end_date"),
    ]


class OfPlan:
    """A record of one success plan (``plan``): it carries the plan's account, shown on the
    record but never typed again, so it cannot disagree with the plan."""

    @property
    def account(self):
        return self.plan.account


def days_from(day: date | None, effective_date: date) -> int | None:
    return None if day is None else (day - effective_date).days


def check_resource(resource, field: str) -> None:
    if resource is not None and not (resource.is_active and not resource.is_psa):
        raise ValidationError({field: "Choose an active resource that is not a PSA resource."})


def record_type_field(object_type: str) -> models.ForeignKey:
    """A record's Record Type: one of its object's (``RecordType.ObjectType``), or none."""
    return optional_link(
        RecordType,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"object_type": object_type},
    )
