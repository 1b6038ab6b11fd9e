"""Whole-page caching for the pages read most, retired by any write.

A page named in ``PAGE_CACHE_VIEWS`` is rendered once per person, browser, address
and write generation, then answered from Django's cache (``CACHE_URL``; in-process
memory by default) until ``PAGE_CACHE_SECONDS`` pass or anything is written. Every
write request that succeeds (a POST, PUT, PATCH or DELETE answered below 400: pages,
htmx actions, the admin, the API) gives the ``"pages"`` generation a new token in the
database (``core.generations``), so every cached page of every app server is retired
at once: nobody sees a page older than the last write they or a colleague made
through the app.

What is not a write request (``seed_demo``, the periodic commands, a database
restore) shows within ``PAGE_CACHE_SECONDS``; so do changes that come with the
clock alone (a task becoming overdue): the key carries today's date, so nothing
outlives the day. A request with messages waiting is never answered from the cache
(the page would not show them), nor is one without a session or CSRF cookie.

What it buys, measured by ``manage.py benchmark_pages --wrk`` (docs/performance.md):
a cached page costs the middleware stack and two small queries (the session and
the generation) instead of its queries and template.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core import generations

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
#: Request headers that change what a page renders (htmx asks for a fragment).
VARYING_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_BOOSTED", "HTTP_HX_TARGET", "HTTP_HX_TRIGGER")


GENERATION = "pages"


def _key(request, generation: str) -> str | None:
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not (session and csrf and request.user.is_authenticated):
        return None
    parts = [
        str(request.user.pk),
        session,
        csrf,
        generation,
        timezone.localdate().isoformat(),
        request.get_full_path(),
        *(request.META.get(header, "") for header in VARYING_HEADERS),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and len(storage))


class PageCacheMiddleware:
    """Answers the named pages from the cache; counts every successful write request.

    Placed after the session, CSRF, authentication and messages middleware, so a
    cached answer has passed the same sign-in and access checks' preconditions, and
    the view itself (with its access check) runs whenever nothing is cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.PAGE_CACHE_SECONDS:
            return response  # off: nothing cached, so no write needs counting
        key = getattr(request, "_page_cache_key", None)
        if key and response.status_code == 200 and not (response.streaming or response.cookies):
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        if request.method in UNSAFE_METHODS and response.status_code < 400:
            generations.bump(GENERATION)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "GET" or not settings.PAGE_CACHE_SECONDS:
            return None
        match = request.resolver_match
        if match is None or match.view_name not in settings.PAGE_CACHE_VIEWS:
            return None
        if _has_messages(request):
            return None
        key = _key(request, generations.current(GENERATION))
        if key is None:
            return None
        cached = cache.get(key)
        if cached is not None:
            return cached
        request._page_cache_key = key
        return None
