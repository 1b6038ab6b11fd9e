from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from engagements import selectors as engagement_selectors
from playbooks import selectors as case_selectors

from .roles import has_any_role


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


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", {"no_role": not has_any_role(request.user)}, status=403)
