"""Admin writes of accounts, engagements and resources outside the Django admin (the API's).

The Django admin saves its own forms; the API's admin endpoints call these with a model
form's cleaned data (the form checked the fields, uniqueness and the model's ``clean()``).
"""

from __future__ import annotations

from typing import TypeVar

from django.db import transaction
from django.db.models import ProtectedError
from django.db.models import RestrictedError

from core.errors import DomainError

from .models import Account
from .models import Engagement
from .models import Resource

R = TypeVar("R", Account, Engagement, Resource)


@transaction.atomic
def record_save(*, record: R, data: dict) -> R:
    """Create (an unsaved ``record``) or change an account, engagement or resource."""
    for name, value in data.items():
        setattr(record, name, value)
    record.save()
    return record


@transaction.atomic
def record_delete(*, record: Account | Engagement | Resource) -> None:
    """Delete an account, engagement or resource nothing else still needs."""
    try:
        record.delete()
    except (ProtectedError, RestrictedError) as error:
        raise DomainError(f"“{record}” is still in use and cannot be deleted.") from error
