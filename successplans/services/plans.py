"""Writes of success plans: the Create/Edit Success Plan window (with its business challenges),
delete, and Change effective date."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta

from django.db import transaction
from django.db.models import DateField
from django.db.models import Q
from django.db.models import Value

from core.dates import MAX_DATE
from core.dates import MIN_DATE
from core.dates import out_of_range_message
from core.errors import DomainError
from core.events import emit

from ..dates import AddDays
from ..models import BusinessChallenge
from ..models import ObjectiveKPI
from ..models import RecordType
from ..models import SuccessPlan
from ..selectors import CHILD_MODELS
from ..selectors import DeletedWith
from ..selectors import ShiftPreview
from ..selectors import effective_date_preview
from ..selectors import offset_from
from .records import _write
from .records import challenge_create
from .records import challenge_update
from .records import record_delete


@dataclass(frozen=True)
class ChallengeChange:
    """A business challenge row of the plan window: new (no ``challenge``), edited or deleted."""

    data: dict = field(default_factory=dict)
    challenge: BusinessChallenge | None = None
    delete: bool = False


def _challenges_apply(plan: SuccessPlan, changes: list[ChallengeChange]) -> None:
    for change in changes:
        if change.challenge is None:
            if not change.delete:  # a row added and deleted again before saving
                challenge_create(plan=plan, data=change.data)
        elif change.challenge.plan_id != plan.pk:
            raise DomainError("A business challenge can only have one success plan.")
        elif change.delete:
            record_delete(record=change.challenge)
        else:
            challenge_update(challenge=change.challenge, data=change.data)


def _check_account(data: dict, plan: SuccessPlan | None = None) -> None:
    is_template = data.get("is_template", plan.is_template if plan else False)
    account = data.get("account", plan.account if plan else None)
    if not is_template and account is None:
        raise DomainError("A success plan needs an account.", field="account")


@transaction.atomic
def plan_create(
    *,
    data: dict,
    record_type: RecordType | None = None,
    challenges: list[ChallengeChange] = (),
) -> SuccessPlan:
    """Create Success Plan (blank): the plan and the business challenges added in the window."""
    _check_account(data)
    plan = _write(SuccessPlan(record_type=record_type), data)
    _challenges_apply(plan, challenges)
    emit("plan.created", actor_id=None, plan_id=plan.pk)
    return plan


@transaction.atomic
def plan_update(
    *, plan: SuccessPlan, data: dict, challenges: list[ChallengeChange] = ()
) -> SuccessPlan:
    """Edit Success Plan: the plan and its business challenges (added, edited, deleted).

    The effective date is not changed here: it moves the children too
    (``plan_change_effective_date``).
    """
    _check_account(data, plan)
    data = {name: value for name, value in data.items() if name != "effective_date"}
    _write(plan, data)
    _challenges_apply(plan, challenges)
    return plan


def plan_delete(*, plan: SuccessPlan) -> DeletedWith:
    """Delete a plan with every child record; returns what went with it."""
    return record_delete(record=plan)


# -- Change effective date -----------------------------------------------------------------------
def record_label(model, name: str) -> str:
    """``Objective KPI “Weekly users”``: the kind of record and its name."""
    kind = str(model._meta.verbose_name)
    return f"{kind[:1].upper()}{kind[1:]} “{name}”"


def _moved_out_of_range(plan: SuccessPlan, old: date, new_date: date) -> list[str]:
    """What ``plan_change_effective_date`` would move outside the date range, as labels
    ("Objective “Adoption” end date"), the plan's own end date first.

    A child's date becomes new effective date + its offset, so it leaves the range exactly
    when the offset (the very expression the UPDATE uses) is below ``MIN_DATE - new_date``
    or above ``MAX_DATE - new_date`` in days: compared as integers, in the database, so no
    date is ever computed outside the range. One query per kind of child.
    """
    low, high = (MIN_DATE - new_date).days, (MAX_DATE - new_date).days
    labels = []
    if plan.end_date is not None:
        moved_end = plan.end_date + timedelta(days=(new_date - old).days)
        if not MIN_DATE <= moved_end <= MAX_DATE:
            labels.append(f"{record_label(SuccessPlan, plan.name)} end date")

    def outside(name: str) -> Q:
        return Q(**{f"{name}__lt": low}) | Q(**{f"{name}__gt": high})

    for model in CHILD_MODELS:
        rows = (
            model.objects.filter(plan=plan)
            .annotate(
                start_moved=offset_from("start_date", "start_offset", old),
                end_moved=offset_from("end_date", "end_offset", old),
            )
            .filter(outside("start_moved") | outside("end_moved"))
            .order_by("name", "pk")
            .values_list("name", "start_moved", "end_moved")
        )
        for name, start, end in rows:
            which = [
                what
                for what, offset in (("start date", start), ("end date", end))
                if offset is not None and not low <= offset <= high
            ]
            labels.append(f"{record_label(model, name)} {' and '.join(which)}")
    kpis = (
        ObjectiveKPI.objects.filter(objective__plan=plan)
        .annotate(due_moved=offset_from("due_date", "due_offset", old))
        .filter(outside("due_moved"))
        .order_by("name", "pk")
        .values_list("name", flat=True)
    )
    labels.extend(f"{record_label(ObjectiveKPI, name)} due date" for name in kpis)
    return labels


@transaction.atomic
def plan_change_effective_date(*, plan: SuccessPlan, new_date: date) -> ShiftPreview:
    """Move the plan to ``new_date`` and set every child's dates from it.

    Each child's start and end become new effective date + its offset (fixed
    when the child was created), so dates changed by hand on children are
    overwritten, as the seed says; children that were not edited move by the
    same number of days as the plan. The plan's end date moves by that many days
    too, keeping its length. One UPDATE per kind of child: a fixed number of
    queries whatever the plan's size.

    Refused, with nothing written, when a child would end before it starts or when the
    plan's end date or any child's date would leave the date range (``core.dates``): the
    message says how many records and which.
    """
    plan = SuccessPlan.objects.select_for_update().get(pk=plan.pk)
    old = plan.effective_date
    preview = effective_date_preview(plan=plan, new_date=new_date)
    if preview.reversed:
        raise DomainError(
            "Some child records would end before they start with this date; "
            "fix their dates first. Nothing was changed.",
            field="effective_date",
        )
    outside = _moved_out_of_range(plan, old, new_date)
    if outside:
        raise DomainError(
            f"{out_of_range_message(outside)} Nothing was changed.", field="effective_date"
        )
    base = Value(new_date, output_field=DateField())
    for model in CHILD_MODELS:
        start = offset_from("start_date", "start_offset", old)
        end = offset_from("end_date", "end_offset", old)
        model.objects.filter(plan=plan).update(
            start_offset=start,
            end_offset=end,
            start_date=AddDays(base, start),
            end_date=AddDays(base, end),
        )
    due = offset_from("due_date", "due_offset", old)
    ObjectiveKPI.objects.filter(objective__plan=plan).update(
        due_offset=due, due_date=AddDays(base, due)
    )
    plan.effective_date = new_date
    if plan.end_date is not None:
        plan.end_date += timedelta(days=preview.days)
    plan.save(update_fields=["effective_date", "end_date", "updated_at"])
    emit(
        "plan.effective_date_changed",
        actor_id=None,
        plan_id=plan.pk,
        previous=old.isoformat(),
        effective_date=new_date.isoformat(),
    )
    return preview
