"""Pages that compose several apps: the home page and the account and engagement pages."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from core.roles import has_any_role
from engagements import selectors as engagement_selectors
from playbooks import selectors as case_selectors
from successplans import selectors as plan_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own work.

    A user without any SuccessHub role gets a 403 page that says so, rather
    than an empty workspace that looks broken.
    """
    if not has_any_role(request.user):
        return render(request, "403.html", {"no_role": True}, status=403)
    context = engagement_selectors.owned_by(request.user)
    if request.user.has_perm("playbooks.view_successcase"):
        context["my_cases"] = case_selectors.my_open_cases(request.user)
        context["my_tasks"] = case_selectors.my_open_tasks(request.user)
    return render(request, "successhub/home.html", context)


@login_required
@permission_required("engagements.view_account", raise_exception=True)
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(engagement_selectors.account_list(), pk=pk)
    context = {
        "account": account,
        "engagements": engagement_selectors.account_engagements(account),
    }
    if request.user.has_perm("playbooks.view_successcase"):
        context["cases"] = case_selectors.cases_of(engagement__account=account)
    if request.user.has_perm("successplans.view_successplan"):
        context["plans"] = plan_selectors.plan_list().filter(account=account, is_template=False)
    return render(request, "successhub/account_detail.html", context)


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(engagement_selectors.engagement_list(), pk=pk)
    context = {"engagement": engagement}
    if request.user.has_perm("playbooks.view_successcase"):
        context["cases"] = case_selectors.cases_of(engagement=engagement)
    return render(request, "successhub/engagement_detail.html", context)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", {"no_role": not has_any_role(request.user)}, status=403)
