"""Record numbers and the case lock every operation starts with."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F

from core.errors import DomainError

from ..models import NumberSequence
from ..models import SuccessCase
from ..models import can_work_case

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
def _lock_case_row(case_pk: int) -> None:
    """Lock the case row, and nothing else, until the transaction ends.

    Read the case (and what it joins) only after this returns. A row locked
    together with ``select_related`` is re-read by PostgreSQL once the lock is
    granted, but its joined rows are not: after waiting for another transaction
    the join would still show what it saw before (a ``reviewed_by`` of None when
    the other manager has just set it; issue 18).
    """
    SuccessCase.objects.select_for_update().only("pk").get(pk=case_pk)


def _lock_case(case_pk: int, user) -> SuccessCase:
    _lock_case_row(case_pk)
    case = SuccessCase.objects.select_related("engagement__account").get(pk=case_pk)
    if not case.is_open:
        raise DomainError(f"{case.number} is {case.state_label.lower()}; it can no longer change.")
    if not can_work_case(case, user):
        raise PermissionDenied("Only the assigned agent or the squad can work this case.")
    return case
