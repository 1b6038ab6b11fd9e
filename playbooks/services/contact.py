"""The engagement's contact, edited from the case page (issue 12 item 10).

The contact is the engagement's account's primary contact (``engagements``): one person,
shown by every case of the account, so it is written where contacts live
(``engagements.services.primary_contact_save``, logged on the account's timeline) and the
same changes are journaled on the case, from → to, so its activity stream tells who
changed what while working it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.errors import DomainError
from engagements.models import Contact
from engagements.services import primary_contact_save

from ..models import SuccessCase
from ..models import can_work_case
from .common import _lock_case_row
from .journal import _log
from .journal import _save_log


def can_edit_case_contact(case: SuccessCase, user) -> bool:
    """The case's assignee and squad (as for editing the case) and Customer Success, who
    edit an account's contacts anyway, while the case is open."""
    return case.is_open and (
        can_work_case(case, user) or user.has_perm("engagements.change_contact")
    )


def case_contact(case: SuccessCase) -> Contact | None:
    """The contact the case shows, of a case read by ``selectors.case_detail``, which joins
    it (Django leaves the attribute unset when the account has no primary contact)."""
    return getattr(case, "primary_contact", None)


@transaction.atomic
def case_contact_update(*, case_pk: int, user, data: dict) -> list:
    """Change the engagement's contact (name, title, email, phone) from the case; the case
    row is locked, every change is journaled on the case and logged on the account."""
    _lock_case_row(case_pk)
    case = SuccessCase.objects.select_related("engagement__account").get(pk=case_pk)
    if not case.is_open:
        raise DomainError(f"{case.number} is {case.state_label.lower()}; it can no longer change.")
    if not can_edit_case_contact(case, user):
        raise PermissionDenied("Only the case's agent, its squad or Customer Success may.")
    changes = primary_contact_save(account=case.engagement.account, data=data, user=user)
    _save_log(_log(case, user, c.field[:100], c.old_value, c.new_value) for c in changes)
    return changes
