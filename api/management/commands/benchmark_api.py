"""``manage.py benchmark_api``: the API's list endpoints at 1,000 and at 100,000 success cases,
and the throughput of feeding a KPI value (``PATCH /api/v1/kpis/<id>/``).

    DEBUG=true python manage.py benchmark_api [--small 1000] [--large 100000] [--runs 15]

Everything happens inside one transaction that is rolled back at the end: the command
bulk-inserts ``--small`` cases (and a user, an account, an engagement, a plan with a KPI,
a token), measures every list, adds cases up to ``--large``, measures again, PATCHes the
KPI ``--patches`` times, and leaves the database as it found it. Requests go through
Django's test client (the whole stack from the middleware on, no network), one process.

Printed: the median time of each list at both sizes and their ratio (large ÷ small; the
issue's bar is 1.3), with a bare view (a 404 through the same stack, in the same rounds) for
scale, and PATCHes per second with their median. Run it on PostgreSQL for the
figures of record (``DATABASE_URL=postgres://...``).
"""

from __future__ import annotations

import gc
import logging
import statistics
import time
from datetime import date
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from api import services as token_services
from core.roles import Role
from engagements.models import Account
from engagements.models import Engagement
from playbooks.models import SuccessCase
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import SuccessPlan

LISTS = {
    "cases, first page": "/api/v1/cases/",
    "cases, open": "/api/v1/cases/?state=open",
    "cases, 5th page": None,  # found by following ``next``
    "accounts": "/api/v1/accounts/",
    "engagements": "/api/v1/engagements/",
    "plans": "/api/v1/plans/",
    "kpis": "/api/v1/kpis/",
    # The bare view: the whole stack (middleware, DRF) answering an unknown /api/ URL with a
    # 404 and reading nothing: what a request costs before any list's work.
    "bare view (404)": "/api/v1/no-such-list/",
}
BARE = "bare view (404)"


class Command(BaseCommand):
    help = "API lists at two sizes of success cases, and KPI PATCH throughput (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--small", type=int, default=1_000)
        parser.add_argument("--large", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--patches", type=int, default=300)

    @override_settings(API_THROTTLE_RATE="")
    def handle(self, *args, small: int, large: int, runs: int, patches: int, **options):
        # The bare view's 404s are not worth a log line each (nor the time of writing it).
        logging.getLogger("django.request").setLevel(logging.ERROR)
        with transaction.atomic():
            world = self._world()
            client = Client(HTTP_AUTHORIZATION=f"Bearer {world['key']}")
            self._add_cases(world, small)
            at_small = self._lists(client, runs)
            self._add_cases(world, large - small)
            at_large = self._lists(client, runs)
            patch = self._patches(client, world["kpi"], patches)
            transaction.set_rollback(True)
        self._report(small, large, at_small, at_large, patch, runs)

    # -- data -----------------------------------------------------------------------------
    def _world(self) -> dict:
        from django.contrib.auth.models import Group

        user = get_user_model().objects.create_user("bench-api", password=None)
        user.groups.add(
            Group.objects.get(name=Role.SUCCESS_AGENT),
            Group.objects.get(name=Role.CUSTOMER_SUCCESS),
        )
        account = Account.objects.create(name="Benchmark API account")
        engagement = Engagement.objects.create(
            account=account, name="Benchmark API", start_date=date.today(), state="active"
        )
        plan = SuccessPlan.objects.create(
            name="Benchmark API plan", account=account, effective_date=date.today()
        )
        objective = Objective.objects.create(plan=plan, name="Adoption")
        kpi = ObjectiveKPI.objects.create(objective=objective, name="Weekly active users")
        key = token_services.token_create(user=user, name="benchmark").key
        return {"user": user, "engagement": engagement, "kpi": kpi.pk, "key": key, "made": 0}

    def _add_cases(self, world: dict, count: int) -> None:
        user, engagement, start = world["user"], world["engagement"], world["made"]
        now = timezone.now()
        batch = []
        for i in range(start, start + count):
            batch.append(
                SuccessCase(
                    number=f"BAPI{i:09d}",
                    engagement=engagement,
                    assigned_to=user,
                    opened_by=user,
                    opened_at=now - timedelta(minutes=i),
                    short_description=f"Benchmark case {i}",
                )
            )
            if len(batch) == 5000:
                SuccessCase.objects.bulk_create(batch)
                batch = []
        SuccessCase.objects.bulk_create(batch)
        world["made"] = start + count
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    # -- measuring ------------------------------------------------------------------------------
    def _lists(self, client: Client, runs: int) -> dict[str, float]:
        """The median of each list, the lists taken in turn ``runs`` times (round robin), so
        a burst of load on the machine falls on all of them alike and none is measured only
        right after the bulk insert."""
        urls = dict(LISTS)
        url = "/api/v1/cases/"
        for _ in range(4):
            url = (client.get(url).json()["next"] or url).replace("http://testserver", "")
        urls["cases, 5th page"] = url
        for url in urls.values():
            client.get(url)  # warm: the token's last use, caches
        # Python's full collections walk every object of the process, and how often they run
        # depends on how many objects have lived long: few at the small size (frequent ones,
        # 20 ms inside the bare view), many after the large insert (rare). Freezing what
        # exists keeps them out of both measurements alike.
        gc.collect()
        gc.freeze()
        times: dict[str, list[float]] = {name: [] for name in urls}
        try:
            for _ in range(runs):
                for name, url in urls.items():
                    started = time.perf_counter()
                    response = client.get(url)
                    times[name].append((time.perf_counter() - started) * 1000)
                    assert response.status_code == (404 if name == BARE else 200), url
        finally:
            gc.unfreeze()
        return {name: statistics.median(values) for name, values in times.items()}

    def _patches(self, client: Client, kpi: int, count: int) -> dict[str, float]:
        url = f"/api/v1/kpis/{kpi}/"
        times = []
        started = time.perf_counter()
        for i in range(count):
            one = time.perf_counter()
            body = f'{{"current_value": {50 + i % 40}}}'
            response = client.patch(url, body, content_type="application/json")
            times.append((time.perf_counter() - one) * 1000)
            assert response.status_code == 200, response.content[:200]
        total = time.perf_counter() - started
        return {"per_second": count / total, "median_ms": statistics.median(times)}

    def _report(self, small, large, at_small, at_large, patch, runs) -> None:
        out = self.stdout.write
        out(f"API lists, median of {runs} requests, {connection.vendor}")
        out(f"| Endpoint | {small:,} cases (ms) | {large:,} cases (ms) | ratio |")
        out("| --- | ---: | ---: | ---: |")
        for name in LISTS:
            ratio = at_large[name] / at_small[name]
            out(f"| {name} | {at_small[name]:.1f} | {at_large[name]:.1f} | {ratio:.2f} |")
        out(
            f"KPI PATCH: {patch['per_second']:.0f} requests/s in one process, "
            f"median {patch['median_ms']:.1f} ms (each a history entry)"
        )
