"""The accounts list with health scores against the plain list, and the daily snapshot
(``manage.py benchmark_health``, issue 15).

The snapshot runs first: it stores every account's current score (``AccountHealth``), which
the scored list reads. Both lists are the same page (filter bar, 25 rows, pagination)
rendered in-process for the demo manager: the plain one is the accounts list without health
(``engagements``' own selector, as before issue 15), the scored one is
``successhub.accounts.account_list``.
Medians of ``runs`` requests after one warm-up, and the queries of one request.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.lists import list_view
from engagements import selectors
from engagements.filters import AccountFilter
from engagements.models import Account
from health.services import snapshot_health
from successhub import accounts

from .data import DEMO_MANAGER

plain_list = list_view(
    AccountFilter,
    selectors.account_list,
    template="engagements/account_list.html",
    fragment="engagements/partials/account_list_results.html",
)


@dataclass(frozen=True)
class Timing:
    median_ms: float
    queries: int


def _request(path: str, params: dict):
    request = RequestFactory().get(path, params)
    request.user = get_user_model().objects.get(username=DEMO_MANAGER)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _measure(view: Callable, params: dict, runs: int) -> Timing:
    view(_request("/accounts/", params))  # warm-up: templates, the user's permissions
    with CaptureQueriesContext(connection) as queries:
        response = view(_request("/accounts/", params))
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(runs):
        request = _request("/accounts/", params)
        started = time.perf_counter()
        view(request)  # render() gives the finished page: the template is part of the time
        times.append((time.perf_counter() - started) * 1000)
    return Timing(statistics.median(times), len(queries))


def measure(runs: int) -> dict[str, Timing]:
    return {
        "plain list": _measure(plain_list, {}, runs),
        "list with scores": _measure(accounts.account_list, {}, runs),
        "list sorted by score": _measure(accounts.account_list, {"sort": "score"}, runs),
        "list sorted by 30-day change": _measure(accounts.account_list, {"sort": "change"}, runs),
        "list, colour red": _measure(accounts.account_list, {"colour": "red"}, runs),
        "list, dropped 10+ in 30 days": _measure(accounts.account_list, {"dropped": "true"}, runs),
    }


def time_snapshot() -> tuple[float, dict]:
    started = time.perf_counter()
    counts = snapshot_health()
    return time.perf_counter() - started, counts


def accounts_count() -> int:
    return Account.objects.count()
