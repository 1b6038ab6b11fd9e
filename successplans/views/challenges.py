"""The Business Challenges tab: every challenge in the organisation, and its record pages.

A business challenge belongs to exactly one success plan. It is created here
(or from the Success Tracker with ``?plan=<id>&next=/tracker/``), viewed,
edited and deleted; its plan is chosen once and never changed afterwards. The form and the
services are the same as in the plan's Related list and the plan window.

Every page that changes something asks for the model permission on GET and POST
(``_challenge_to``), so roles that only view get 403 and nothing changes. ``?next=`` (a local
path) sends the user back where they came from, e.g. the Success Tracker.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse

from core.feedback import attempt
from core.htmx import is_fragment
from core.htmx import with_messages
from core.lists import list_view
from core.routes import record_routes

from .. import selectors
from .. import services
from ..filters import ChallengeFilter
from ..forms import BusinessChallengeForm
from ..models import BusinessChallenge
from ..selectors.challenge_rows import challenge_list_rows
from .access import login_required
from .access import record_to
from .access import require_perm
from .access import safe_next
from .access import view_plans
from .related import save_valid


def _challenge_to(request: HttpRequest, action: str, pk: int) -> BusinessChallenge:
    """The challenge to change or delete: 403 unless the user may, else 404."""
    return record_to(request, action, selectors.challenge_list(), pk=pk)


# -- list and record page ------------------------------------------------------------------------
challenge_list = login_required(
    view_plans(
        list_view(
            ChallengeFilter,
            selectors.challenge_list,
            template="successplans/challenge_list.html",
            fragment="successplans/partials/challenge_list_results.html",
            complete=challenge_list_rows,
        )
    )
)


@login_required
@view_plans
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = get_object_or_404(selectors.challenge_list(), pk=pk)
    return render(request, "successplans/challenge_detail.html", {"challenge": challenge})


# -- new / edit ------------------------------------------------------------------------------
def _form_page(request: HttpRequest, form, challenge: BusinessChallenge | None, save):
    """Save with one service call when the post is valid; else show the form (again)."""
    next_url = safe_next(request)
    if (saved := save_valid(request, form, save)) is not None:
        where = f" to {saved.plan.name}" if challenge is None else ""
        verb = "added" if challenge is None else "saved"
        messages.success(request, f"Business challenge “{saved.name}” {verb}{where}.")
        return redirect(next_url or saved.get_absolute_url())
    context = {"form": form, "challenge": challenge, "next_url": next_url}
    return render(request, "successplans/challenge_form.html", context)


@login_required
@view_plans
def challenge_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "add", "businesschallenge")
    plan_id = request.GET.get("plan", "")
    initial = {"plan": plan_id} if plan_id.isdigit() else None
    form = BusinessChallengeForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        None,
        lambda data: services.challenge_create(plan=data["plan"], data=data),
    )


@login_required
@view_plans
def challenge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _challenge_to(request, "change", pk)
    form = BusinessChallengeForm(request.POST or None, instance=challenge)
    return _form_page(
        request,
        form,
        challenge,
        lambda data: services.challenge_update(challenge=challenge, data=data),
    )


# -- delete ----------------------------------------------------------------------------------
@login_required
@view_plans
def challenge_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes. htmx posts (from the list) get the row swapped out
    for nothing, and the message."""
    challenge = _challenge_to(request, "delete", pk)
    next_url = safe_next(request)
    if request.method != "POST":
        context = {"challenge": challenge, "next_url": next_url}
        return render(request, "successplans/challenge_delete.html", context)
    name, plan_name = challenge.name, challenge.plan.name
    deleted = f"Business challenge “{name}” deleted from {plan_name}."
    attempt(request, services.record_delete, record=challenge, success=deleted)
    if is_fragment(request):
        return with_messages(request, HttpResponse(""))
    return redirect(next_url or reverse("successplans:challenge-list"))


urlpatterns = [
    record_routes(
        "business-challenges/",
        "challenge",
        list=challenge_list,
        new=challenge_new,
        detail=challenge_detail,
        edit=challenge_edit,
        delete=challenge_delete,
    ),
]
