"""Writes of a plan's related records: objectives, playbooks, playbook tasks, business
challenges and CS activities (their KPIs and the Objective KPI Overview grid: ``kpis``).

Each takes plain values: the record (or its plan) that the view's access helper fetched, a
form's ``cleaned_data`` and the acting ``user``; each runs in one transaction and refuses
with ``DomainError`` (its message is what the user sees, next to ``field`` when set).
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from django.db import transaction
from django.db.models import Model
from django.db.models import ProtectedError
from django.db.models import RestrictedError

from core.errors import DomainError
from core.events import emit

from ..models import BusinessChallenge
from ..models import CSActivity
from ..models import Objective
from ..models import Playbook
from ..models import PlaybookTask
from ..models import RecordType
from ..models import SuccessPlan
from ..models import TemplatePickerPreference
from ..selectors import DeletedWith
from ..selectors import deleted_with

R = TypeVar("R", bound=Model)


def _write(record: R, data: dict, *, anchor_to: date | None = None) -> R:
    """Copy ``data`` (field name → value) onto ``record`` and save it, many-to-many included.

    ``anchor_to`` (a new dated child: its plan's effective date) fixes the record's offsets,
    which a later change of the plan's effective date restores.
    """
    created = record.pk is None
    links = {}
    for name, value in data.items():
        if record._meta.get_field(name).many_to_many:
            links[name] = value
        else:
            setattr(record, name, value)
    if anchor_to is not None:
        record.anchor_to(anchor_to)
    record.save()
    for name, values in links.items():
        getattr(record, name).set(values)
    _emit_record_changed(record, "added" if created else "edited")
    return record


#: The plan records whose changes the account timeline shows (``plan_record.changed``).
TRACKED = {Objective: "objective", Playbook: "playbook", PlaybookTask: "task"}


def _emit_record_changed(record: Model, change: str, user=None) -> None:
    """``plan_record.changed`` for an objective, playbook or playbook task of a plan (not a
    template's): added, edited, deleted or its new status."""
    kind = TRACKED.get(type(record))
    if kind is None or record.plan.is_template:
        return
    emit(
        "plan_record.changed",
        actor_id=getattr(user, "pk", None),
        plan_id=record.plan_id,
        record=kind,
        record_id=record.pk,
        record_name=record.name,
        change=change,
    )


@transaction.atomic
def record_delete(*, record: Model) -> DeletedWith:
    """Delete a plan (or one of its records) with everything that goes with it."""
    try:
        gone = deleted_with(record)
        _emit_record_changed(record, "deleted")
        record.delete()
    except (ProtectedError, RestrictedError) as error:
        raise DomainError(f"“{record}” is still in use and cannot be deleted.") from error
    return gone


# -- objectives and playbooks ----------------------------------------------------------------------
@transaction.atomic
def objective_create(
    *, plan: SuccessPlan, data: dict, record_type: RecordType | None = None
) -> Objective:
    return _write(
        Objective(plan=plan, record_type=record_type), data, anchor_to=plan.effective_date
    )


@transaction.atomic
def objective_update(*, objective: Objective, data: dict) -> Objective:
    return _write(objective, data)


@transaction.atomic
def playbook_create(
    *, plan: SuccessPlan, data: dict, record_type: RecordType | None = None
) -> Playbook:
    return _write(Playbook(plan=plan, record_type=record_type), data, anchor_to=plan.effective_date)


@transaction.atomic
def playbook_update(*, playbook: Playbook, data: dict) -> Playbook:
    return _write(playbook, data)


# -- playbook tasks ------------------------------------------------------------------------------
def _check_playbook(plan: SuccessPlan, data: dict) -> None:
    playbook = data.get("playbook")
    if playbook is not None and playbook.plan_id != plan.pk:
        raise DomainError("Choose a playbook of this success plan.", field="playbook")


def _emit_task_assigned(task: PlaybookTask, before: set[int], user) -> None:
    """``plan_task.assigned`` for each user whose resource was added to ``task``."""
    users = task.resources.filter(user__is_active=True).values_list("user_id", flat=True)
    for user_id in sorted(set(users) - before):
        emit(
            "plan_task.assigned",
            actor_id=getattr(user, "pk", None),
            task_id=task.pk,
            plan_id=task.plan_id,
            assignee_id=user_id,
        )


@transaction.atomic
def task_create(
    *, plan: SuccessPlan, data: dict, record_type: RecordType | None = None, user=None
) -> PlaybookTask:
    """A playbook task under one of the plan's playbooks, or directly under the plan."""
    _check_playbook(plan, data)
    task = _write(
        PlaybookTask(plan=plan, record_type=record_type), data, anchor_to=plan.effective_date
    )
    _emit_task_assigned(task, set(), user)
    return task


@transaction.atomic
def task_update(*, task: PlaybookTask, data: dict, user=None) -> PlaybookTask:
    _check_playbook(task.plan, data)
    before = set(task.resources.values_list("user_id", flat=True))
    _write(task, data)
    _emit_task_assigned(task, before, user)
    return task


@transaction.atomic
def task_status_change(*, task: PlaybookTask, status: str, user) -> PlaybookTask:
    """Start or Complete a playbook task in place (``PlaybookTask.STEPS``); refused, with
    nothing changed, when the task's status does not allow it (read again under a lock)."""
    task = PlaybookTask.objects.select_for_update().get(pk=task.pk)
    step = PlaybookTask.STEPS.get(status)
    if step is None:
        raise DomainError("Choose Start or Complete.")
    verb, sources = step
    if task.status not in sources:
        raise DomainError(
            f"“{task.name}” is {task.get_status_display()}: it cannot be "
            f"{'started' if verb == 'Start' else 'completed'} here; use Edit to change its status."
        )
    task.status = status
    task.save(update_fields=["status"])
    _emit_record_changed(task, task.get_status_display(), user)
    return task


# -- business challenges -------------------------------------------------------------------------
@transaction.atomic
def challenge_create(*, plan: SuccessPlan, data: dict) -> BusinessChallenge:
    """A business challenge of ``plan`` (it belongs to exactly one plan)."""
    fields = {name: value for name, value in data.items() if name != "plan"}
    return _write(BusinessChallenge(plan=plan), fields)


@transaction.atomic
def challenge_update(*, challenge: BusinessChallenge, data: dict) -> BusinessChallenge:
    """Edit a business challenge; its plan never changes."""
    plan = data.get("plan", challenge.plan)
    if plan != challenge.plan:
        raise DomainError(
            "A business challenge can only have one success plan: "
            f"it stays on “{challenge.plan.name}”.",
            field="plan",
        )
    return _write(challenge, {name: value for name, value in data.items() if name != "plan"})


# -- CS activities -------------------------------------------------------------------------------
@transaction.atomic
def activity_create(
    *, plan: SuccessPlan, data: dict, user, record_type: RecordType | None = None
) -> CSActivity:
    """Log a call, email or meeting; whoever logs it is its "who"."""
    activity = _write(CSActivity(plan=plan, who=user, record_type=record_type), data)
    emit("cs_activity.logged", actor_id=user.pk, plan_id=plan.pk, activity_id=activity.pk)
    return activity


@transaction.atomic
def activity_update(*, activity: CSActivity, data: dict) -> CSActivity:
    """Edit a logged activity; who logged it stays."""
    activity = _write(activity, data)
    emit("cs_activity.logged", actor_id=None, plan_id=activity.plan_id, activity_id=activity.pk)
    return activity


# -- the template picker -------------------------------------------------------------------------
def template_picker_view_set(*, user, view: str) -> None:
    """Remember the template picker view (cards or lists) the user selected."""
    if view not in TemplatePickerPreference.View.values:
        raise DomainError("Choose cards or lists.")
    TemplatePickerPreference.objects.update_or_create(user=user, defaults={"view": view})
