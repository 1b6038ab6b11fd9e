"""The API tokens page (``/api/tokens/``): a user creates, names and revokes their tokens.

Every signed-in user has one, like the password page: a token acts as its user, so a
user without a role gets 403 from every endpoint anyway.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.feedback import attempt

from . import selectors
from . import services
from .forms import TokenForm
from .models import ApiToken


def _own_token(request: HttpRequest, pk: int) -> ApiToken:
    """The token ``pk``: 404 when unknown, 403 when it is someone else's."""
    token = get_object_or_404(ApiToken, pk=pk)
    if token.user_id != request.user.pk:
        raise PermissionDenied("This token is not yours.")
    return token


#: The session key holding a new token's key between the POST and the page that shows it.
NEW_KEY = "api_new_token"


@login_required
@never_cache  # the page that shows a new key must not be kept by a cache
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create(user=request.user, name=form.cleaned_data["name"])
        except DomainError as error:
            form.add_error(error.field, str(error))
        else:
            # Post/redirect/get: a reload does not create a second token. The key waits in
            # the session for the next page and is taken out as it is shown (once).
            request.session[NEW_KEY] = {"name": created.token.name, "key": created.key}
            return redirect("tokens:token-list")
    created = request.session.pop(NEW_KEY, None) if request.method == "GET" else None
    return render(
        request,
        "api/token_list.html",
        {"form": form, "created": created, "tokens": selectors.tokens_of(request.user)},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = _own_token(request, pk)
    revoked = f"“{token.name}” is revoked: requests with it are refused."
    attempt(request, services.token_revoke, token=token, success=revoked)
    return redirect("tokens:token-list")
