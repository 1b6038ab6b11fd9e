"""The Business Challenges tab: every challenge in the organisation, and its record pages.

A business challenge belongs to exactly one success plan. It is created here
(or from the Success Tracker with ``?plan=<id>&next=/tracker/``), viewed,
edited and deleted; its plan is chosen once and never changed afterwards.

Every page that changes something asks ``require_perm`` on GET and POST, so
roles that only view get 403 and nothing changes. ``?next=`` (a local path)
sends the user back where they came from, e.g. the Success Tracker.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from core.htmx import is_fragment
from core.pagination import paginate

from .. import selectors
from ..filters import ChallengeFilter
from ..forms import BusinessChallengeForm
from ..models import BusinessChallenge
from .access import login_required, require_perm, safe_next, view_plans


# -- list ----------------------------------------------------------------------------------
@login_required
@view_plans
def challenge_list(request: HttpRequest) -> HttpResponse:
    filterset = ChallengeFilter(request.GET, queryset=selectors.challenge_list())
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    context = {"filter": filterset, "page": paginate(request, rows)}
    if is_fragment(request):
        return render(request, "successplans/partials/challenge_list_results.html", context)
    return render(request, "successplans/challenge_list.html", context)


# -- record page -----------------------------------------------------------------------------
def _challenge(pk: int) -> BusinessChallenge:
    return get_object_or_404(selectors.challenge_list(), pk=pk)


@login_required
@view_plans
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "successplans/challenge_detail.html", {"challenge": _challenge(pk)})


# -- new / edit ------------------------------------------------------------------------------
def _form_page(
    request: HttpRequest, form, challenge: BusinessChallenge | None, next_url: str | None
) -> HttpResponse:
    context = {"form": form, "challenge": challenge, "next_url": next_url}
    return render(request, "successplans/challenge_form.html", context)


@login_required
@view_plans
def challenge_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "add", "businesschallenge")
    next_url = safe_next(request)
    if request.method == "POST":
        form = BusinessChallengeForm(request.POST)
        if form.is_valid():
            challenge = form.save()
            messages.success(
                request,
                f"Business challenge “{challenge.name}” added to {challenge.plan.name}.",
            )
            return redirect(next_url or challenge.get_absolute_url())
    else:
        plan_id = request.GET.get("plan", "")
        form = BusinessChallengeForm(initial={"plan": plan_id} if plan_id.isdigit() else None)
    return _form_page(request, form, None, next_url)


@login_required
@view_plans
def challenge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "change", "businesschallenge")
    challenge = _challenge(pk)
    next_url = safe_next(request)
    if request.method == "POST":
        form = BusinessChallengeForm(request.POST, instance=challenge)
        if form.is_valid():
            form.save()
            messages.success(request, f"Business challenge “{challenge.name}” saved.")
            return redirect(next_url or challenge.get_absolute_url())
    else:
        form = BusinessChallengeForm(instance=challenge)
    return _form_page(request, form, challenge, next_url)


# -- delete ----------------------------------------------------------------------------------
@login_required
@view_plans
def challenge_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes. htmx posts (from the list) get an empty row back."""
    require_perm(request, "delete", "businesschallenge")
    challenge = _challenge(pk)
    next_url = safe_next(request)
    if request.method == "POST":
        name, plan_name = challenge.name, challenge.plan.name
        challenge.delete()
        if request.htmx:
            # The list swaps the row out for this empty response.
            return HttpResponse("")
        messages.success(request, f"Business challenge “{name}” deleted from {plan_name}.")
        return redirect(next_url or reverse("successplans:challenge-list"))
    return render(
        request,
        "successplans/challenge_delete.html",
        {"challenge": challenge, "next_url": next_url},
    )


urlpatterns = [
    path("business-challenges/", challenge_list, name="challenge-list"),
    path("business-challenges/new/", challenge_new, name="challenge-new"),
    path("business-challenges/<int:pk>/", challenge_detail, name="challenge-detail"),
    path("business-challenges/<int:pk>/edit/", challenge_edit, name="challenge-edit"),
    path("business-challenges/<int:pk>/delete/", challenge_delete, name="challenge-delete"),
]
