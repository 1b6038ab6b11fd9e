"""Changing who and what after core information: edit the case (and hand it to another
Success Agent), join or leave its squad. Each view checks access, calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.feedback import attempt
from engagements.forms import PrimaryContactForm

from . import services
from .forms import CaseEditForm
from .services.contact import can_edit_case_contact
from .services.contact import case_contact
from .services.contact import case_contact_update
from .views import _case
from .views import _case_to_work
from .views import view_cases


@login_required
def case_edit(request: HttpRequest, number: str) -> HttpResponse:
    """Edit: the case's fields and Assigned to, each change journaled from -> to."""
    case = _case_to_work(request, number)
    if not case.is_open or not services.core_information_entered(case):
        why = "read-only" if not case.is_open else "edited in Enter core information for now"
        messages.error(request, f"{case.number} is {why}.")
        return redirect(case)
    form = CaseEditForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        try:
            services.success_case_edit(case_pk=case.pk, user=request.user, data=data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{case.number} is saved.")
            return redirect(case)
    return render(request, "playbooks/case_edit.html", {"case": case, "form": form})


@login_required
@view_cases
def case_contact_edit(request: HttpRequest, number: str) -> HttpResponse:
    """Edit contact: the engagement's contact (its account's primary contact) from the case."""
    case = _case(request, number)
    if not can_edit_case_contact(case, request.user):
        if case.is_open:
            raise PermissionDenied("Only the case's agent, its squad or Customer Success may.")
        messages.error(request, f"{case.number} is read-only.")
        return redirect(case)
    contact = case_contact(case)
    form = PrimaryContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            changes = case_contact_update(
                case_pk=case.pk, user=request.user, data=form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            done = "The contact is saved." if changes else "Nothing changed."
            messages.success(request, done)
            return redirect(case)
    context = {"case": case, "form": form, "contact": contact}
    return render(request, "playbooks/case_contact.html", context)


#: Join squad (any Success Agent, on an open case) and Leave squad: the service, the message.
SQUAD_MOVES = {
    "join": (services.success_case_join_squad, "You joined the squad of {}."),
    "leave": (services.success_case_leave_squad, "You left the squad of {}."),
}


@login_required
@view_cases
@require_POST
def squad_move(request: HttpRequest, number: str, move: str) -> HttpResponse:
    """Join or leave the case's squad (``move``, from the URL)."""
    case = _case(request, number)
    service, done = SQUAD_MOVES[move]
    attempt(request, service, case_pk=case.pk, user=request.user, success=done.format(case.number))
    return redirect(case)
