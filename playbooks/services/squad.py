"""Changing who works a case after core information: its fields, its agent, its squad."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.errors import DomainError
from core.events import emit
from core.formatting import person
from core.roles import Role
from core.roles import user_roles

from ..models import ActivityKind
from ..models import ActivityState
from ..models import SuccessCase
from .activities import _update_fields
from .common import _lock_case
from .common import _lock_case_row
from .journal import _log
from .journal import _save_log
from .journal import people

#: The case fields its assignee and squad edit once core information is entered: the same
#: fields as that step.
EDITABLE_FIELDS = SuccessCase.CORE_INFORMATION_FIELDS


def is_success_agent(user) -> bool:
    return user.is_active and Role.SUCCESS_AGENT.value in user_roles(user)


def core_information_entered(case: SuccessCase) -> bool:
    """Whether Enter core information is complete (before it, its form edits the fields)."""
    return any(
        a.kind == ActivityKind.CORE_INFORMATION and a.state == ActivityState.COMPLETE
        for a in case.activities.all()
    )


@transaction.atomic
def success_case_edit(*, case_pk: int, user, data: dict) -> SuccessCase:
    """Edit an open case's fields after core information; handing it to another Success
    Agent is a change of Assigned to. Each change is journaled from -> to."""
    case = _lock_case(case_pk, user)
    if not core_information_entered(case):
        raise DomainError("Enter core information first; until then its form edits these fields.")
    assignee = data.get("assigned_to")
    if "assigned_to" in data and assignee is None:
        raise DomainError("A success case is always assigned to a Success Agent.")
    handed = assignee is not None and assignee.pk != case.assigned_to_id
    if handed and not is_success_agent(assignee):
        raise DomainError(
            f"{person(assignee)} is not a Success Agent; hand the case to a Success Agent."
        )
    start, end = data.get("planned_start"), data.get("planned_end")
    if start and end and end < start:
        raise DomainError("The planned end cannot be before the planned start.")
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    _save_log(_update_fields(case, user, EDITABLE_FIELDS, data))
    return case


def _lock_open_case(case_pk: int) -> SuccessCase:
    _lock_case_row(case_pk)
    case = SuccessCase.objects.get(pk=case_pk)
    if not case.is_open:
        raise DomainError(f"{case.number} is {case.state_label.lower()}; it can no longer change.")
    return case


@transaction.atomic
def success_case_join_squad(*, case_pk: int, user) -> SuccessCase:
    """Any Success Agent joins the squad of an open case (and may then work it)."""
    if not is_success_agent(user):
        raise PermissionDenied("Only Success Agents join a squad.")
    case = _lock_open_case(case_pk)
    old = list(case.squad.all())
    if any(member.pk == user.pk for member in old):
        raise DomainError(f"You are already in the squad of {case.number}.")
    case.squad.add(user)
    _save_log([_log(case, user, "Squad", people(old), people([*old, user]))])
    emit("case.squad_joined", actor_id=user.pk, case_id=case.pk, user_id=user.pk)
    return case


@transaction.atomic
def success_case_leave_squad(*, case_pk: int, user) -> SuccessCase:
    """A squad member leaves the squad of an open case."""
    case = _lock_open_case(case_pk)
    old = list(case.squad.all())
    if not any(member.pk == user.pk for member in old):
        raise DomainError(f"You are not in the squad of {case.number}.")
    case.squad.remove(user)
    new = [member for member in old if member.pk != user.pk]
    _save_log([_log(case, user, "Squad", people(old), people(new))])
    return case


def success_agents():
    """Active Success Agents (the Assigned to lookup)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SUCCESS_AGENT.value)
        .order_by("first_name", "last_name", "username")
    )
