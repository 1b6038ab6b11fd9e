"""Adding, moving and editing a case's meetings and tasks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import can_proceed
from django_fsm import has_transition_perm

from core.errors import DomainError
from core.events import emit

from ..models import CaseTask
from ..models import Meeting
from .common import TASK_PREFIX
from .common import _lock_case
from .common import number_take
from .journal import _log
from .journal import _save_log
from .journal import people
from .journal import record_label


# -- meetings and tasks -----------------------------------------------------------------------
@transaction.atomic
def meeting_create(*, case_pk: int, user, data: dict, schedule: bool = False) -> Meeting:
    case = _lock_case(case_pk, user)
    data = dict(data)
    attendees = data.pop("attendees", [])
    meeting = Meeting.objects.create(case=case, created_by=user, **data)
    meeting.attendees.set(attendees)
    journal = [_log(case, user, "Meeting added", "", meeting.subject)]
    if schedule:
        meeting.schedule()
        meeting.save()
        journal.append(_log(case, user, f"{record_label(meeting)} state", "Draft", "Scheduled"))
    _save_log(journal)
    return meeting


@transaction.atomic
def task_create(*, case_pk: int, user, data: dict) -> CaseTask:
    case = _lock_case(case_pk, user)
    task = CaseTask.objects.create(
        case=case, created_by=user, number=number_take(TASK_PREFIX), **data
    )
    _save_log([_log(case, user, "Task added", "", f"{task.number} {task.short_description}")])
    if task.assigned_to_id is not None:
        _tell_assigned(task, user=user)
    _tell_changed(task, user=user)
    return task


def _tell_assigned(task: CaseTask, *, user) -> None:
    """The event of a case task given to someone (created so, or reassigned)."""
    emit(
        "case_task.assigned",
        actor_id=user.pk,
        task_id=task.pk,
        case_id=task.case_id,
        assignee_id=task.assigned_to_id,
    )


def _tell_changed(record: Meeting | CaseTask, *, user) -> None:
    """A meeting's or task's state or fields changed (an overdue task may no longer be)."""
    emit(
        "case_record.changed",
        actor_id=user.pk,
        case_id=record.case_id,
        record="meeting" if isinstance(record, Meeting) else "task",
        record_id=record.pk,
    )


TASK_TRANSITIONS = ("start", "pause", "resume", "complete", "cancel")
MEETING_TRANSITIONS = ("schedule", "complete", "cancel")


@transaction.atomic
def record_transition(
    *, case_pk: int, user, record: Meeting | CaseTask, name: str
) -> Meeting | CaseTask:
    """Move a meeting or task to another state (Schedule, Start work, Complete...)."""
    case = _lock_case(case_pk, user)
    model = type(record)
    allowed = MEETING_TRANSITIONS if model is Meeting else TASK_TRANSITIONS
    if name not in allowed:
        raise DomainError("Unknown action.")
    record = model.objects.get(pk=record.pk, case=case)  # re-read under the case lock
    record.case = case
    method = getattr(record, name)
    if not can_proceed(method):
        raise DomainError(
            f"{record} is {record.get_state_display().lower()}; that is no longer possible."
        )
    if not has_transition_perm(method, user):
        raise PermissionDenied
    old = record.get_state_display()
    method()
    record.save()
    _save_log([_log(case, user, f"{record_label(record)} state", old, record.get_state_display())])
    _tell_changed(record, user=user)
    return record


@transaction.atomic
def record_update(*, case_pk: int, user, record: Meeting | CaseTask, data: dict) -> None:
    """Edit a meeting's or task's fields; each change goes to the journal."""
    case = _lock_case(case_pk, user)
    model = type(record)
    record = model.objects.get(pk=record.pk, case=case)
    journal, changed = [], []
    data = dict(data)
    attendees = data.pop("attendees", None)
    for name, new in data.items():
        old = getattr(record, name)
        if old != new:
            label = model._meta.get_field(name).verbose_name.capitalize()
            journal.append(_log(case, user, f"{record_label(record)} {label.lower()}", old, new))
            setattr(record, name, new)
            changed.append(name)
    if changed:
        record.save(update_fields=changed)
        _tell_changed(record, user=user)
    if "assigned_to" in changed and getattr(record, "assigned_to_id", None) is not None:
        _tell_assigned(record, user=user)
    if attendees is not None and isinstance(record, Meeting):
        old_people = list(record.attendees.all())
        if {u.pk for u in old_people} != {u.pk for u in attendees}:
            record.attendees.set(attendees)
            journal.append(
                _log(
                    case,
                    user,
                    f"{record_label(record)} attendees",
                    people(old_people),
                    people(attendees),
                )
            )
    _save_log(journal)
