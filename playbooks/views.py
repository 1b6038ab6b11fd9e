"""Success case pages. Views fetch, check access, call a service, and render.

Every view that changes something asks ``_case_to_work`` first (404 for an
unknown case, 403 for a user who may not work it, a message for a closed
one), and the services check again under the case's row lock. htmx requests
get the case body fragment back; plain form posts are redirected (PRG).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.feedback import attempt
from core.htmx import render_page
from core.lists import list_page

from . import selectors
from . import services
from .case_rows import case_list_rows
from .filters import SuccessCaseFilter
from .forms import CancelForm
from .forms import CloseForm
from .forms import NewCaseForm
from .forms import StreamForm
from .forms import activity_form
from .models import ActivityKind
from .models import ActivityState
from .models import JournalEntry
from .models import Phase
from .models import SuccessCase
from .models import can_work_case
from .services.contact import can_edit_case_contact
from .services.contact import case_contact

view_cases = permission_required("playbooks.view_successcase", raise_exception=True)


def _case(request: HttpRequest, number: str) -> SuccessCase:
    """The case with everything its page shows; 404 when unknown."""
    return get_object_or_404(selectors.case_detail(), number=number)


def _case_to_work(request: HttpRequest, number: str) -> SuccessCase:
    case = _case(request, number)
    if not can_work_case(case, request.user):
        raise PermissionDenied("Only the assigned agent or the squad can work this case.")
    return case


def _case_page(
    request: HttpRequest,
    case: SuccessCase,
    *,
    form=None,
    stream_form: StreamForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page, or only its body for htmx. ``form`` is a bound activity form with errors,
    ``stream_form`` the compose box's."""
    activities = list(case.activities.all())
    outcomes = _entered(case, activities)
    current = next((a for a in activities if a.state == ActivityState.IN_PROGRESS), None)
    can_work = case.is_open and can_work_case(case, request.user)
    if current is not None and form is None and can_work:
        form = activity_form(current, case)
    context = {
        "case": case,
        "lanes": case.lanes(),
        "current": current,
        "form": form,
        "can_work": can_work,
        "can_close": can_work,
        # After every activity the case closes at once; earlier, the Close page says what
        # closing early cancels first.
        "closes_at_once": can_work and case.all_activities_complete(),
        **_records(case, current),
        **_stream(request, case),
        "outcomes": outcomes,
        "stream_form": stream_form or (StreamForm() if can_work else None),
        "can_edit": can_work and services.core_information_entered(case),
        "squad_action": _squad_action(request, case),
        "contact": case_contact(case),
        "can_edit_contact": can_edit_case_contact(case, request.user),
    }
    return render_page(
        request,
        "playbooks/case_detail.html",
        "playbooks/partials/case_body.html",
        context,
        status=status,
    )


def _squad_action(request: HttpRequest, case: SuccessCase) -> str | None:
    """ "leave" for a squad member, "join" for another Success Agent; None when closed."""
    if not case.is_open:
        return None
    if any(member.pk == request.user.pk for member in case.squad.all()):
        return "leave"
    if case.assigned_to_id != request.user.pk and services.is_success_agent(request.user):
        return "join"
    return None


def _records(case: SuccessCase, current) -> dict:
    """The case's meetings and tasks for its page, each listed once.

    At Related meeting (Related work) the open activity's card lists the open meetings
    (tasks) with their buttons; the Related meetings (Success case tasks) card then lists
    only the others, so no record appears, with its buttons, twice.
    """
    meetings, tasks = list(case.meetings.all()), list(case.tasks.all())
    open_meetings = [m for m in meetings if m.is_open]
    open_tasks = [t for t in tasks if t.is_open]
    kind = current.kind if current is not None else None
    meetings_above = kind == ActivityKind.RELATED_MEETING
    tasks_above = kind == ActivityKind.RELATED_WORK
    return {
        "open_meetings": open_meetings,
        "open_tasks": open_tasks,
        "meetings_above": meetings_above,
        "tasks_above": tasks_above,
        "related_meetings": [m for m in meetings if not m.is_open] if meetings_above else meetings,
        "related_tasks": [t for t in tasks if not t.is_open] if tasks_above else tasks,
    }


#: The Details card's names for the texts of the seed's text activities: (phase, kind) -> label.
OUTCOME_LABELS = {
    (Phase.ASSIST, ActivityKind.COMMENT): "Intended outcome",
    (Phase.ASSIST, ActivityKind.WORK_NOTE): "Action plan",
    (Phase.REVIEW_CLOSE, ActivityKind.COMMENT): "Final outcome",
}


def _entered(case: SuccessCase, activities: list) -> list[tuple[str, JournalEntry | None]]:
    """Give each activity the comment or work note its form posted (``activity.entry``, for its
    read-only card), and return the Details card's outcomes: (label, entry or None) for the
    intended outcome, action plan and final outcome. From the prefetched journal: no query."""
    texts = {e.activity_id: e for e in case.journal.all() if e.activity_id is not None}
    outcomes = []
    for activity in activities:
        activity.entry = texts.get(activity.pk)
        label = OUTCOME_LABELS.get((activity.phase, activity.kind))
        if label is not None:
            outcomes.append((label, activity.entry))
    return outcomes


#: The activity stream's filter (``?stream=``): its value -> (label, the kinds it shows).
STREAM_FILTERS = {
    "": ("All", None),
    "comment": ("Comments", JournalEntry.Kind.COMMENT),
    "work_note": ("Work notes", JournalEntry.Kind.WORK_NOTE),
    "change": ("Changes", JournalEntry.Kind.CHANGE),
}


def _stream(request: HttpRequest, case: SuccessCase) -> dict:
    """The activity stream, filtered to one kind by ``?stream=`` (unknown values show all).

    Filtered from the prefetched journal, so the page's queries stay the same.
    """
    chosen = request.GET.get("stream", "")
    if chosen not in STREAM_FILTERS:
        chosen = ""
    kind = STREAM_FILTERS[chosen][1]
    entries = [e for e in case.journal.all() if kind is None or e.kind == kind]
    filters = [(value, label) for value, (label, _) in STREAM_FILTERS.items()]
    return {"stream_entries": entries, "stream_filter": chosen, "stream_filters": filters}


def _done(request: HttpRequest, case: SuccessCase) -> HttpResponse:
    """After a change: the fresh case body for htmx, a redirect for a plain post."""
    if request.htmx:
        return _case_page(request, _case(request, case.number))
    return redirect(case)


# -- All Success Cases ------------------------------------------------------------------
@login_required
@view_cases
def case_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        SuccessCaseFilter(request.GET, queryset=selectors.case_list(), request=request),
        template="playbooks/case_list.html",
        fragment="playbooks/partials/case_list_results.html",
        complete=case_list_rows,
    )


# -- New -> Select engagement -> Continue ----------------------------------------------------
@login_required
@permission_required("playbooks.add_successcase", raise_exception=True)
def case_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = NewCaseForm(request.POST)
        if form.is_valid():
            try:
                created = services.success_case_create(
                    engagement=form.cleaned_data["engagement"],
                    user=request.user,
                    shown_number=form.cleaned_data["number"],
                    playbook=form.cleaned_data["playbook"],
                )
            except DomainError as error:
                form.add_error(error.field or "engagement", str(error))
            else:
                if created.number_replaced:
                    messages.warning(
                        request,
                        f"{form.cleaned_data['number']} was taken meanwhile; "
                        f"your success case is {created.case.number}.",
                    )
                else:
                    messages.success(request, f"Success case {created.case.number} created.")
                return redirect(created.case)
    else:
        initial = {
            "number": services.number_peek(services.CASE_PREFIX),
            "playbook": selectors.default_playbook_id(),
        }
        if request.GET.get("engagement", "").isdigit():
            initial["engagement"] = request.GET["engagement"]
        form = NewCaseForm(initial=initial)
        _prefill_account(form, request.GET.get("account", ""))
    number = form["number"].value() or services.number_peek(services.CASE_PREFIX)
    return render(request, "playbooks/case_new.html", {"form": form, "number": number})


def _prefill_account(form: NewCaseForm, account_id: str) -> None:
    """New from an account's page (``?account=<id>``): its one open engagement chosen, or,
    when it has several, the search box holding its name with their matches listed. An
    unknown or malformed id leaves the form as it was."""
    if not account_id.isdigit() or len(account_id) > 18 or form.initial.get("engagement"):
        return
    field = form.fields["engagement"]
    engagements = list(field.queryset.filter(account_id=int(account_id))[:2])
    if len(engagements) == 1:
        form.initial["engagement"] = engagements[0].pk
    elif engagements:
        field.widget.term = engagements[0].account.name


# -- the case page --------------------------------------------------------------------------
@login_required
@view_cases
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _case_page(request, _case(request, number))


@login_required
@require_POST
def activity_complete(request: HttpRequest, number: str, activity_pk: int) -> HttpResponse:
    """Mark Complete / Send and continue on the open activity."""
    case = _case_to_work(request, number)
    activity = get_object_or_404(case.activities.all(), pk=activity_pk)
    form = activity_form(activity, case, data=request.POST)
    if not form.is_valid():
        return _case_page(request, case, form=form)
    try:
        services.activity_complete(
            case_pk=case.pk, activity_pk=activity.pk, user=request.user, data=form.cleaned_data
        )
    except DomainError as error:
        messages.error(request, str(error))
    return _done(request, case)


@login_required
@require_POST
def journal_post(request: HttpRequest, number: str) -> HttpResponse:
    """The stream's compose box: a comment or a work note, at any time while the case is open."""
    case = _case_to_work(request, number)
    form = StreamForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, stream_form=form)
    posted = services.STREAM_KINDS.get(form.cleaned_data["kind"], "Entry")
    work = {"case_pk": case.pk, "user": request.user, **form.cleaned_data}
    attempt(request, services.journal_post, success=f"{posted} posted.", **work)
    return _done(request, case)


@login_required
def case_close(request: HttpRequest, number: str) -> HttpResponse:
    """Close success case, at any phase. After every activity the case page posts here at
    once (Close record saved the closure code and notes); earlier, this page first shows
    what closing early cancels, then asks for the closure code and close notes."""
    case = _case_to_work(request, number)
    if not case.is_open:
        state = case.state_label.lower()
        messages.error(request, f"{case.number} is {state}; it can no longer change.")
        return redirect(case)
    form = CloseForm(request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST" and form.is_valid():
        work = {"case_pk": case.pk, "user": request.user, **form.cleaned_data}
        attempt(request, services.success_case_close, success=_closed_message, **work)
        return _done(request, case)
    context = {"case": case, "preview": services.cancel_preview(case), "form": form}
    return render(request, "playbooks/case_close.html", context)


def _closed_message(case: SuccessCase) -> str:
    playbook = "Completed" if not case.closed_early else "Canceled (closed early)"
    return f"{case.number} is closed. Progress: Completed. Playbook: {playbook}."


@login_required
def case_cancel(request: HttpRequest, number: str) -> HttpResponse:
    """Cancel: first show exactly what will be canceled, then confirm with a reason."""
    case = _case_to_work(request, number)
    if not case.is_open:
        messages.error(request, f"{case.number} is {case.state_label.lower()} already.")
        return redirect(case)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        work = {"case_pk": case.pk, "user": request.user, **form.cleaned_data}
        attempt(
            request, services.success_case_cancel, success=f"{case.number} is canceled.", **work
        )
        return redirect(case)
    preview = services.cancel_preview(case)
    return render(
        request, "playbooks/case_cancel.html", {"case": case, "preview": preview, "form": form}
    )
