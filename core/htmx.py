"""htmx helpers: one rule for "send only the fragment", one way to show feedback in place."""

from __future__ import annotations

from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def is_fragment(request: HttpRequest) -> bool:
    """True when htmx asks for a part of the page (a boosted link wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def render_page(
    request: HttpRequest,
    template: str,
    fragment: str,
    context: dict,
    *,
    status: int = 200,
) -> HttpResponse:
    """The full ``template`` page, or only ``fragment`` for an htmx request.

    A fragment also carries the page's messages region as an out-of-band swap,
    so feedback after an in-place change appears the same way everywhere.
    """
    if not is_fragment(request):
        return render(request, template, context, status=status)
    response = render(request, fragment, context, status=status)
    return with_messages(request, response)


def with_messages(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Append the messages region (``hx-swap-oob``) to an htmx fragment response.

    Always, even empty: a message belongs to the action that caused it, so the next
    in-place change replaces it (or clears it) instead of leaving it on screen.
    """
    if is_fragment(request):
        oob = render_to_string("core/messages.html", {"oob": True}, request=request)
        response.content += oob.encode()
    return response
