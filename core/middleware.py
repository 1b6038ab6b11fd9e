"""Requests SuccessHub refuses before any view sees them."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.http import JsonResponse

from . import events

NUL = "\x00"
NUL_REFUSED = (
    "The request contained a NUL character (\\0), which no field of SuccessHub accepts; "
    "remove it and send again."
)


class RefuseNulMiddleware:
    """A NUL character in the path, the query string or a form field gets a 400.

    No text SuccessHub stores or searches may hold one: PostgreSQL's text columns refuse
    it (a DataError, i.e. a 500, wherever a filter, a search or a lookup passed it on),
    while SQLite would store it. Django's form fields already refuse it next to the
    field; this one check also covers the values that reach a query without a form
    (path segments, search-as-you-type, sort keys). JSON bodies are the API's: DRF's
    fields refuse NUL themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or _carries_nul(request.GET) or _form_carries_nul(request):
            if request.path.startswith("/api/"):  # the API answers in JSON, as documented
                return JsonResponse({"detail": NUL_REFUSED}, status=400)
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _carries_nul(query) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


def _form_carries_nul(request) -> bool:
    if request.method != "POST" or request.content_type not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return False
    return _carries_nul(request.POST)


class EventScopeMiddleware:
    """Each request is one event scope (``core.events.scope``): the listeners of all
    the events its write emits share their lookups, and know the signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with events.scope(user=getattr(request, "user", None)):
            return self.get_response(request)
