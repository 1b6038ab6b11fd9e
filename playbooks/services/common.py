"""Record numbers and the case lock every operation starts with."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F

from core.errors import DomainError

from ..models import (
    NumberSequence,
    SuccessCase,
    can_work_case,
)

CASE_PREFIX = "SCS"
TASK_PREFIX = "SCTASK"


# -- numbers -------------------------------------------------------------------
def format_number(prefix: str, value: int) -> str:
    return f"{prefix}{value:07d}"


def number_peek(prefix: str) -> str:
    """The number the next record would get, for display only (not reserved)."""
    sequence = NumberSequence.objects.filter(prefix=prefix).first()
    return format_number(prefix, sequence.next_value if sequence else 1001)


def number_take(prefix: str) -> str:
    """Take the next number for good. Call inside the creating transaction."""
    NumberSequence.objects.get_or_create(prefix=prefix)
    sequence = NumberSequence.objects.select_for_update().get(prefix=prefix)
    value = sequence.next_value
    NumberSequence.objects.filter(prefix=prefix).update(next_value=F("next_value") + 1)
    return format_number(prefix, value)


# -- locking and checks -------------------------------------------------------------
def _lock_case(case_pk: int, user) -> SuccessCase:
    case = (
        SuccessCase.objects.select_for_update(of=("self",))
        .select_related("engagement__account")
        .get(pk=case_pk)
    )
    if not case.is_open:
        raise DomainError(f"{case.number} is {case.state_label.lower()}; it can no longer change.")
    if not can_work_case(case, user):
        raise PermissionDenied("Only the assigned agent or the squad can work this case.")
    return case
