"""A second URL configuration (tests/core/test_fast_formats.py)."""

from django.urls import include
from django.urls import path


def _view(request, pk):  # pragma: no cover - never called
    raise AssertionError


urlpatterns = [
    path(
        "elsewhere/",
        include(([path("accounts/<int:pk>/", _view, name="account-detail")], "engagements")),
    ),
]
