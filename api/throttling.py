"""Requests per user (a token acts as its user), from ``API_THROTTLE_RATE``."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class ApiUserRateThrottle(UserRateThrottle):
    """DRF's per-user throttle, reading the rate from settings on every request.

    DRF copies its rates into the class when it is imported; reading ``API_THROTTLE_RATE``
    here lets a deployment (and a test) change it. Empty means no limit. The counts live
    in the default cache: with several gunicorn workers and the local-memory cache each
    worker counts on its own, so the effective limit is up to the number of workers times
    the rate; configure a shared cache to make it exact.
    """

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATE or None
