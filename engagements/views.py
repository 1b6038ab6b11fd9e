from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from playbooks import selectors as case_selectors
from successhub.pagination import paginate
from successplans import selectors as plan_selectors

from . import selectors
from .filters import AccountFilter, EngagementFilter


def _list_response(request: HttpRequest, name: str, filterset) -> HttpResponse:
    """The full list page, or only its results when htmx asks (live filtering).

    ``name`` is the template's base name: ``engagements/<name>.html`` is the
    page and ``engagements/partials/<name>_results.html`` the fragment it includes.
    """
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    context = {"filter": filterset, "page": paginate(request, rows)}
    if request.htmx and not request.htmx.boosted:
        return render(request, f"engagements/partials/{name}_results.html", context)
    return render(request, f"engagements/{name}.html", context)


@login_required
@permission_required("engagements.view_account", raise_exception=True)
def account_list(request: HttpRequest) -> HttpResponse:
    filterset = AccountFilter(request.GET, queryset=selectors.account_list())
    return _list_response(request, "account_list", filterset)


@login_required
@permission_required("engagements.view_account", raise_exception=True)
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(selectors.account_list(), pk=pk)
    context = {"account": account, "engagements": selectors.account_engagements(account)}
    if request.user.has_perm("playbooks.view_successcase"):
        context["cases"] = case_selectors.cases_of(engagement__account=account)
    if request.user.has_perm("successplans.view_successplan"):
        context["plans"] = plan_selectors.plan_list().filter(account=account, is_template=False)
    return render(request, "engagements/account_detail.html", context)


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
def engagement_list(request: HttpRequest) -> HttpResponse:
    filterset = EngagementFilter(request.GET, queryset=selectors.engagement_list())
    return _list_response(request, "engagement_list", filterset)


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(selectors.engagement_list(), pk=pk)
    context = {"engagement": engagement}
    if request.user.has_perm("playbooks.view_successcase"):
        context["cases"] = case_selectors.cases_of(engagement=engagement)
    return render(request, "engagements/engagement_detail.html", context)
