"""Completing a case's activities: each kind's form data, then the next activity or phase."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import can_proceed
from django_fsm import has_transition_perm

from core.errors import DomainError
from core.events import emit
from core.formatting import person

from ..models import ActivityKind
from ..models import ActivityState
from ..models import CaseActivity
from ..models import JournalEntry
from ..models import SuccessCase
from .common import _lock_case
from .journal import _log
from .journal import _save_log
from .journal import people


# -- working activities ----------------------------------------------------------------
def _apply_core_information(case: SuccessCase, user, data: dict) -> list[JournalEntry]:
    fields = SuccessCase.CORE_INFORMATION_FIELDS
    return _update_fields(case, user, fields, data)


def _shown(case: SuccessCase, name: str, value: object) -> object:
    """A field's value as the journal writes it: a priority's label, a person's label."""
    if name == "priority":
        return case.get_priority_display()
    if name == "assigned_to":
        return person(value) if value is not None else ""
    return value


def _update_fields(case: SuccessCase, user, fields: list[str], data: dict) -> list[JournalEntry]:
    journal = []
    changed = []
    old_assignee = case.assigned_to if "assigned_to" in fields else None
    for name in fields:
        if name not in data:
            continue
        old, new = getattr(case, name), data[name]
        if old != new:
            label = SuccessCase._meta.get_field(name).verbose_name.capitalize()
            old_text = _shown(case, name, old)
            setattr(case, name, new)
            new_text = _shown(case, name, new)
            journal.append(_log(case, user, label, old_text, new_text))
            changed.append(name)
    if changed:
        case.save(update_fields=[*changed, "updated_at"])
    if "assigned_to" in changed:
        emit(
            "case.assigned",
            actor_id=user.pk,
            case_id=case.pk,
            assignee_id=case.assigned_to_id,
            previous_id=getattr(old_assignee, "pk", None),
        )
    return journal


def _apply_squad(case: SuccessCase, user, data: dict) -> list[JournalEntry]:
    old = list(case.squad.all())
    new = list(data.get("squad") or [])
    if not new:
        raise DomainError("Select one or more squad members.")
    if {u.pk for u in old} == {u.pk for u in new}:
        return []
    case.squad.set(new)
    for member in new:
        if member.pk not in {u.pk for u in old}:
            emit("case.squad_joined", actor_id=user.pk, case_id=case.pk, user_id=member.pk)
    return [_log(case, user, "Squad", people(old), people(new))]


def _apply_text(kind: str):
    def apply(case: SuccessCase, user, data: dict) -> list[JournalEntry]:
        if not (data.get("text") or "").strip():
            raise DomainError("A comment or work note cannot be empty.")
        return [JournalEntry(case=case, author=user, kind=kind, body=data["text"])]

    return apply


def _apply_close_record(case: SuccessCase, user, data: dict) -> list[JournalEntry]:
    # Close success case needs both (closed_case_has_closure); without them the
    # case could never be closed once Close record is complete.
    if not data.get("closure_code") or not (data.get("close_notes") or "").strip():
        raise DomainError("Select a closure code and enter close notes.")
    return _update_fields(case, user, ["closure_code", "close_notes"], data)


def _apply_nothing(case: SuccessCase, user, data: dict) -> list[JournalEntry]:
    return []


ACTIVITY_HANDLERS = {
    ActivityKind.SELECT_ENGAGEMENT: _apply_nothing,
    ActivityKind.CORE_INFORMATION: _apply_core_information,
    ActivityKind.ADD_SQUAD: _apply_squad,
    ActivityKind.COMMENT: _apply_text(JournalEntry.Kind.COMMENT),
    ActivityKind.WORK_NOTE: _apply_text(JournalEntry.Kind.WORK_NOTE),
    ActivityKind.RELATED_MEETING: _apply_nothing,
    ActivityKind.RELATED_WORK: _apply_nothing,
    ActivityKind.CLOSE_RECORD: _apply_close_record,
}


@transaction.atomic
def activity_complete(
    *, case_pk: int, activity_pk: int, user, data: dict | None = None
) -> CaseActivity:
    """Mark Complete / Send and continue: save the activity's form data and complete it.

    Refused (``DomainError``, nothing saved) when the activity is not the open
    one any more or when its gate finds open meetings or tasks.
    """
    case = _lock_case(case_pk, user)
    activity = CaseActivity.objects.select_related("completed_by").get(pk=activity_pk, case=case)
    if activity.state == ActivityState.PENDING:
        raise DomainError(f"{activity.name} is not open yet.")
    if activity.state != ActivityState.IN_PROGRESS:
        who = activity.completed_by
        by = f" by {person(who)}" if who else ""
        raise DomainError(f"{activity.name} is already {activity.get_state_display().lower()}{by}.")
    activity.case = case
    if not can_proceed(activity.complete):
        raise DomainError(
            f"{activity.action_label} is not possible yet: {activity.blocker_message()}."
        )
    if not has_transition_perm(activity.complete, user):
        raise PermissionDenied("Only the assigned agent or the squad can work this case.")
    journal = ACTIVITY_HANDLERS[activity.kind](case, user, data or {})
    for entry in journal:
        if entry.kind != JournalEntry.Kind.CHANGE:  # its text: shown on the activity's card
            entry.activity = activity
    activity.complete(by=user)
    activity.save()
    journal.append(_log(case, user, f"Activity: {activity.name}", "In progress", "Complete"))
    _save_log(journal)
    # Through the package, so that a replaced ``playbooks.services._advance`` is the one run.
    from playbooks import services

    services._advance(case, user)
    return activity


@transaction.atomic
def case_update(*, case_pk: int, user, data: dict) -> SuccessCase:
    """Edit the core information of an open case outside its activity."""
    case = _lock_case(case_pk, user)
    _save_log(_apply_core_information(case, user, data))
    return case
