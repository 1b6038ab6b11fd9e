"""Pages that compose several apps: the home page and the engagement page (the account pages
are in ``successhub.accounts``)."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render

from core.pagination import PANEL_SIZE
from core.pagination import window
from core.roles import has_any_role
from engagements import selectors as engagement_selectors
from playbooks import selectors as case_selectors

from . import workspace


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My Work: the signed-in user's panels, by role (``successhub.workspace``).

    A user without any SuccessHub role gets a 403 page that says so, rather
    than an empty workspace that looks broken.
    """
    if not has_any_role(request.user):
        return render(request, "403.html", {"no_role": True}, status=403)
    sections = workspace.my_work(request)
    context = {"sections": sections}
    context.update((panel.key, panel.rows) for section in sections for panel in section.panels)
    return render(request, "successhub/home.html", context)


def _panel(request: HttpRequest, rows, name: str):
    """One list of a page that shows several: PANEL_SIZE rows, paged by ``?<name>_page=``."""
    return window(request, rows, PANEL_SIZE, param=f"{name}_page")


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(engagement_selectors.engagement_list(), pk=pk)
    context = {"engagement": engagement}
    if request.user.has_perm("playbooks.view_successcase"):
        cases = case_selectors.cases_of(engagement=engagement)
        context["cases"] = _panel(request, cases, "cases")
    return render(request, "successhub/engagement_detail.html", context)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", {"no_role": not has_any_role(request.user)}, status=403)
