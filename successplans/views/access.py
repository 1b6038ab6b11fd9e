"""Who may do what on success plan pages, in one place.

Reading needs ``view_successplan`` (every role). Changing needs the model's
add/change/delete permission, which only Customer Success holds. Every view
that changes something checks here on GET and POST, so a Participant's POST
is refused (403) and changes nothing, whatever the page showed.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from ..forms import RecordTypeChoiceForm
from ..forms import record_types_for
from ..models import RecordType

M = TypeVar("M", bound=Model)

view_plans = permission_required("successplans.view_successplan", raise_exception=True)

__all__ = [
    "login_required",
    "record_to",
    "record_type_step",
    "require_perm",
    "safe_next",
    "view_plans",
]


def require_perm(request: HttpRequest, action: str, model: str) -> None:
    """Raise 403 unless the user may ``action`` (add/change/delete) records of ``model``."""
    if not request.user.has_perm(f"successplans.{action}_{model}"):
        raise PermissionDenied(f"Your role may not {action} {model.replace('_', ' ')} records.")


def record_to(request: HttpRequest, action: str, queryset: QuerySet[M], **lookup) -> M:
    """The record ``action`` (add/change/delete) is about: 403 unless the user may, then 404
    unless it exists. Each view module names its own helper on top of this one
    (``_plan_to``, ``_challenge_to``, ``_to_change``), so a view's first line says what it
    works on."""
    require_perm(request, action, queryset.model._meta.model_name)
    return get_object_or_404(queryset, **lookup)


def record_type_step(
    request: HttpRequest, object_type: str
) -> tuple[RecordType | None, RecordTypeChoiceForm | None]:
    """The record type chosen for a new record, or the picker to show first.

    When the object has active record types the user picks one before the form
    (``?record_type=<id>`` or a posted ``record_type``); the form then shows
    that type's field set and the Record Type read-only. Without record types
    it returns ``(None, None)``: the default field set is used.
    """
    first = record_types_for(object_type).first()
    if first is None:
        return None, None
    chosen = request.POST.get("record_type") or request.GET.get("record_type")
    # The first one (by name) is chosen already: Next alone goes on.
    picker = RecordTypeChoiceForm(
        {"record_type": chosen} if chosen else None,
        object_type=object_type,
        initial={"record_type": first.pk},
    )
    if chosen and picker.is_valid():
        return picker.cleaned_data["record_type"], None
    return None, picker


def safe_next(request: HttpRequest) -> str | None:
    """The ``next`` path (posted or in the query) when it is a path on this site, else None.

    Pages opened from the Success Tracker or a record page return there after saving.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
