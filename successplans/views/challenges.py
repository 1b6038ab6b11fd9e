"""The Business Challenges tab: every challenge in the organisation, and its record pages.

A business challenge belongs to exactly one success plan. It is created here
(or from the Success Tracker with ``?plan=<id>&next=/tracker/``), viewed,
edited and deleted; its plan is chosen once and never changed afterwards.

Every page that changes something asks ``require_perm`` on GET and POST, so
roles that only view get 403 and nothing changes. ``?next=`` (a local path)
sends the user back where they came from, e.g. the Success Tracker.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from engagements.models import Account
from successhub.pagination import paginate

from .. import selectors
from ..forms import BusinessChallengeForm
from ..models import BusinessChallenge, ChallengeCategory, SuccessPlan
from .access import login_required, require_perm, view_plans

ONE_PLAN = "A business challenge can only have one success plan: it stays on “{plan}”."


def safe_next(request: HttpRequest) -> str | None:
    """The ``next`` path (posted or in the query) when it is a path on this site, else None."""
    target = request.POST.get("next") or request.GET.get("next")
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return None


# -- list ----------------------------------------------------------------------------------
class PlanChoiceField(forms.ModelChoiceField):
    """Plans named with their account: two accounts' plans may share a name."""

    def label_from_instance(self, obj: SuccessPlan) -> str:
        return f"{obj.account.name}: {obj.name}" if obj.account else f"{obj.name} (template)"


class PlanFilter(django_filters.ModelChoiceFilter):
    field_class = PlanChoiceField


class ChallengeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    account = django_filters.ModelChoiceFilter(
        field_name="plan__account",
        queryset=Account.objects.order_by("name"),
        empty_label="Any account",
        label="Account",
    )
    plan = PlanFilter(
        queryset=SuccessPlan.objects.select_related("account").order_by("account__name", "name"),
        empty_label="Any success plan",
        label="Success plan",
    )
    category = django_filters.ModelChoiceFilter(
        queryset=ChallengeCategory.objects.all(), empty_label="Any category"
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("plan__name", "plan"),
            ("plan__account__name", "account"),
            ("category__name", "category"),
        ),
        label="Sort",
    )

    class Meta:
        model = BusinessChallenge
        fields = ["q", "account", "plan", "category"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(notes__icontains=value))


@login_required
@view_plans
def challenge_list(request: HttpRequest) -> HttpResponse:
    filterset = ChallengeFilter(request.GET, queryset=selectors.challenge_list())
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    context = {"filter": filterset, "page": paginate(request, rows)}
    if request.htmx and not request.htmx.boosted:
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
class ChallengeTabForm(BusinessChallengeForm):
    """The shared form, with the seed's words for the plan field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].label = "Success Plan"


class BusinessChallengeEditForm(ChallengeTabForm):
    """Edit: the plan is shown but disabled; a crafted post naming another plan is refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].help_text = "A business challenge can only have one success plan."

    def clean(self):
        data = super().clean()
        # A disabled field ignores what is posted; say so rather than pretend it moved.
        posted = self.data.get(self.add_prefix("plan"))
        if posted not in (None, "", str(self.instance.plan_id)):
            self.add_error("plan", ONE_PLAN.format(plan=self.instance.plan.name))
        return data


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
        form = ChallengeTabForm(request.POST)
        if form.is_valid():
            challenge = form.save()
            messages.success(
                request,
                f"Business challenge “{challenge.name}” added to {challenge.plan.name}.",
            )
            return redirect(next_url or challenge.get_absolute_url())
    else:
        plan_id = request.GET.get("plan", "")
        form = ChallengeTabForm(initial={"plan": plan_id} if plan_id.isdigit() else None)
    return _form_page(request, form, None, next_url)


@login_required
@view_plans
def challenge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "change", "businesschallenge")
    challenge = _challenge(pk)
    next_url = safe_next(request)
    if request.method == "POST":
        form = BusinessChallengeEditForm(request.POST, instance=challenge)
        if form.is_valid():
            form.save()
            messages.success(request, f"Business challenge “{challenge.name}” saved.")
            return redirect(next_url or challenge.get_absolute_url())
    else:
        form = BusinessChallengeEditForm(instance=challenge)
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
