"""A case's meetings and tasks: New meeting / Create Task, a record's own page (edit it, its
state buttons) and each state change. Each view asks ``_case_to_work`` first, calls one
service and returns to the case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.feedback import attempt

from . import services
from .forms import MeetingForm
from .forms import TaskForm
from .models import CaseTask
from .models import Meeting
from .models import SuccessCase
from .views import _case_to_work
from .views import _done

# -- meetings and tasks ------------------------------------------------------------------------
#: The form of each kind of record; the URLs name a meeting by its id, a task by its number.
RECORD_FORMS = {"meeting": MeetingForm, "task": TaskForm}


def _record(case: SuccessCase, pk: int | None, task_number: str | None) -> Meeting | CaseTask:
    """The meeting (``pk``) or task (``task_number``) of the case the URL names; 404 if none."""
    if task_number is None:
        return get_object_or_404(case.meetings.all(), pk=pk)
    return get_object_or_404(case.tasks.all(), number=task_number)


def _record_form_page(
    request: HttpRequest, case: SuccessCase, *, kind: str, record=None
) -> HttpResponse:
    if not case.is_open:
        messages.error(request, f"{case.number} is {case.state_label.lower()}; it is read-only.")
        return redirect(case)
    form = RECORD_FORMS[kind](request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if record is not None:
                services.record_update(case_pk=case.pk, user=request.user, record=record, data=data)
            elif kind == "meeting":
                services.meeting_create(
                    case_pk=case.pk,
                    user=request.user,
                    data=data,
                    schedule=request.POST.get("schedule") == "on",
                )
            else:
                services.task_create(case_pk=case.pk, user=request.user, data=data)
        except DomainError as error:
            messages.error(request, str(error))
        return redirect(case)
    transitions = []
    if record is not None:
        record.case = case
        order = services.MEETING_TRANSITIONS if kind == "meeting" else services.TASK_TRANSITIONS
        available = record.get_available_user_state_transitions(request.user)
        transitions = sorted(available, key=lambda t: order.index(t.name))
    context = {"case": case, "form": form, "record": record, "transitions": transitions}
    return render(request, f"playbooks/{kind}_form.html", context)


@login_required
def record_new(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """New meeting or Create Task (``kind`` comes from the URL pattern)."""
    return _record_form_page(request, _case_to_work(request, number), kind=kind)


@login_required
def record_edit(
    request: HttpRequest, number: str, pk: int | None = None, task_number: str | None = None
) -> HttpResponse:
    case = _case_to_work(request, number)
    record = _record(case, pk, task_number)
    kind = "meeting" if isinstance(record, Meeting) else "task"
    return _record_form_page(request, case, kind=kind, record=record)


@login_required
@require_POST
def record_transition(
    request: HttpRequest,
    number: str,
    name: str,
    pk: int | None = None,
    task_number: str | None = None,
) -> HttpResponse:
    """Schedule, Start work, Complete...: a meeting or task of the case changes state."""
    case = _case_to_work(request, number)
    record = _record(case, pk, task_number)
    work = {"case_pk": case.pk, "user": request.user, "record": record, "name": name}
    # From the case page (htmx) the new state shows in place; from the record's own page
    # the user is back on the case, its gate read again.
    attempt(request, services.record_transition, success=_moved, **work)
    return _done(request, case)


def _moved(record: Meeting | CaseTask) -> str:
    name = record.number if isinstance(record, CaseTask) else f"Meeting {record.subject}"
    return f"{name} is {record.get_state_display().lower()}."
