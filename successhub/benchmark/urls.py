"""The app's URLs plus a bare view: what a request costs before any page does anything.

Used only by ``successhub.benchmark.settings`` (gunicorn under wrk).
"""

from django.http import HttpRequest
from django.http import HttpResponse
from django.urls import include
from django.urls import path


def bare(request: HttpRequest) -> HttpResponse:
    """The whole middleware stack, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("_benchmark/bare/", bare, name="benchmark-bare"),
    path("", include("successhub.urls")),
]
