from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from engagements import selectors as engagement_selectors

from .roles import has_any_role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own work.

    A user without any SuccessHub role gets a 403 page that says so, rather
    than an empty workspace that looks broken.
    """
    if not has_any_role(request.user):
        return render(request, "403.html", {"no_role": True}, status=403)
    return render(request, "successhub/home.html", engagement_selectors.owned_by(request.user))


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", {"no_role": not has_any_role(request.user)}, status=403)
