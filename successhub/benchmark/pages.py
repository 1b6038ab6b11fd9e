"""The measured pages and how each is measured, in-process with ``django.test.Client``.

Every page is requested by a demo user of the role that uses it (force_login):
one warm-up request counts the queries, then ``runs`` timed requests give the
median server time, the share of it spent rendering templates (the outermost
``Template.render`` of Django's template backend; lazy querysets evaluated by
the template count as rendering) and the SQL time (``execute_wrapper``), and
the page size. The record pages (a case, a plan, its KPI tab) and the
create-from-template post use the same demo objects in both sizes: the large
set only adds rows around them.

The Review CSV export is timed twice: to its first byte (the view returns a
``StreamingHttpResponse``; the first chunk is read) and in total (every chunk
consumed). The create-from-template post is sent as a browser would send the
Select Records grid (the form fields parsed from the page) and rolled back
after each run, so the data stays the same.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connection
from django.db import reset_queries
from django.db import transaction
from django.db.models import Count
from django.db.models import Q
from django.template.backends.django import Template as BackendTemplate
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.test.utils import override_settings
from django.urls import reverse

from playbooks.models import OPEN_PHASES
from playbooks.models import SuccessCase
from successplans.models import SuccessPlan

from .data import ACCOUNT_PREFIX
from .data import DEMO_AGENT
from .data import DEMO_CSM
from .data import DEMO_MANAGER
from .forms import form_data


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    user: str  # the demo username it is requested as
    url: Callable[[dict], str]
    kind: str = "get"  # "get", "csv" (first byte and total) or "create" (the template post)


PAGES: tuple[Page, ...] = (
    Page("home", "Home (My work), agent", DEMO_AGENT, lambda o: reverse("home")),
    Page("cases", "Success Cases", DEMO_AGENT, lambda o: reverse("playbooks:case-list")),
    Page("case", "Case page", DEMO_AGENT, lambda o: o["case"].get_absolute_url()),
    Page("plans", "Success Plans", DEMO_CSM, lambda o: reverse("successplans:plan-list")),
    Page("plan", "Plan page", DEMO_CSM, lambda o: o["plan"].get_absolute_url()),
    Page(
        "kpis", "Plan page, KPI tab", DEMO_CSM, lambda o: o["plan"].get_absolute_url() + "?tab=kpis"
    ),
    Page("tracker", "Success Tracker", DEMO_CSM, lambda o: reverse("successplans:tracker")),
    Page(
        "challenges",
        "Business Challenges",
        DEMO_CSM,
        lambda o: reverse("successplans:challenge-list"),
    ),
    Page("accounts", "Accounts", DEMO_CSM, lambda o: reverse("engagements:account-list")),
    Page(
        "account",
        "Account page",
        DEMO_CSM,
        lambda o: reverse("engagements:account-detail", args=[o["account"]]),
    ),
    Page("engagements", "Engagements", DEMO_CSM, lambda o: reverse("engagements:engagement-list")),
    Page("review", "Review", DEMO_MANAGER, lambda o: reverse("playbooks:review")),
    Page(
        "export",
        "Review CSV export",
        DEMO_MANAGER,
        lambda o: reverse("playbooks:review-export"),
        kind="csv",
    ),
    Page(
        "create",
        "Create plan from template (POST)",
        DEMO_CSM,
        lambda o: reverse("successplans:template-create", args=[o["template"].pk]),
        kind="create",
    ),
)
#: The rows of the table: the CSV export has two (first byte, total).
ROW_LABELS = [
    *(p.label for p in PAGES if p.kind != "csv"),
    "Review CSV export: first byte",
    "Review CSV export: total",
]


@dataclass
class Result:
    label: str
    queries: int
    median_ms: float
    min_ms: float
    max_ms: float
    sql_ms: float
    render_share: float | None
    kb: float
    extra: dict = field(default_factory=dict)
    #: Every timed run (ms), so that runs of several rounds can be pooled (``report.pool``).
    times_ms: list[float] = field(default_factory=list)


def demo_objects() -> dict:
    """The demo case, plan and template the record pages are measured with (same in both sizes)."""
    demo = ~Q(account__name__startswith=ACCOUNT_PREFIX)
    case = (
        SuccessCase.objects.filter(phase__in=OPEN_PHASES, assigned_to__username=DEMO_AGENT)
        .exclude(number__startswith="BEN")
        .order_by("pk")
        .first()
    )
    plan = (
        SuccessPlan.objects.filter(demo, is_template=False)
        .annotate(kpis=Count("objectives__kpis"))
        .filter(kpis__gt=0)
        .order_by("pk")
        .first()
    )
    template = (
        SuccessPlan.objects.filter(is_template=True)
        .annotate(children=Count("objectives"))
        .filter(children__gt=0)
        .order_by("pk")
        .first()
    )
    if case is None or plan is None or template is None:
        raise CommandError("The demo data is missing (run seed_demo on this database).")
    account = SuccessPlan.objects.filter(demo, is_template=False).values("account").first()
    return {"case": case, "plan": plan, "template": template, "account": account["account"]}


class _Timer:
    """Time the outermost template render and every SQL query during one request."""

    def __init__(self):
        self.render = self.sql = 0.0
        self._depth = 0

    @contextmanager
    def watching(self):
        original = BackendTemplate.render
        timer = self

        def render(template, *args, **kwargs):
            timer._depth += 1
            started = time.perf_counter()
            try:
                return original(template, *args, **kwargs)
            finally:
                timer._depth -= 1
                if timer._depth == 0:
                    timer.render += time.perf_counter() - started

        def sql(execute, sql_text, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql_text, params, many, context)
            finally:
                timer.sql += time.perf_counter() - started

        BackendTemplate.render = render
        try:
            with connection.execute_wrapper(sql):
                yield self
        finally:
            BackendTemplate.render = original


def _clients() -> dict[str, Client]:
    users = get_user_model().objects.filter(username__in={p.user for p in PAGES})
    clients = {}
    for user in users:
        client = Client()
        client.force_login(user)
        clients[user.username] = client
    missing = {p.user for p in PAGES} - set(clients)
    if missing:
        raise CommandError(f"Demo users missing: {', '.join(sorted(missing))} (run seed_demo).")
    return clients


class Measurer:
    """The pages of the current database, measured one page at a time (``page``), so that
    two databases' children can take turns page by page (``benchmark_pages``)."""

    def __init__(self):
        self.objects = demo_objects()
        self.clients = _clients()

    def page(self, key: str, runs: int) -> dict[str, Result]:
        """``runs`` timed requests of the page keyed ``key``: ``{row label: Result}``."""
        page = next(p for p in PAGES if p.key == key)
        client, url = self.clients[page.user], page.url(self.objects)
        # Whatever the deploy settings: no HTTPS redirect, a host the test client may use;
        # DEBUG off while timing so that queries are not logged. Every page is rendered: the
        # page cache (successhub/page_cache.py) is measured by the wrk table, cache off and on.
        with override_settings(
            ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, PAGE_CACHE_SECONDS=0
        ):
            if page.kind == "csv":
                return _measure_csv(client, url, runs)
            if page.kind == "create":
                return {page.label: _measure(page.label, runs, _creator(client, url, self.objects))}
            return {page.label: _measure(page.label, runs, lambda: _get(client, url))}


def keys(only: set[str] | None = None) -> list[str]:
    """The keys of the pages measured: every page, or those named in ``only``."""
    return [page.key for page in PAGES if not only or page.key in only]


def measure(runs: int, only: set[str] | None = None) -> dict[str, Result]:
    """Every page of ``PAGES`` (or those keyed in ``only``): ``{row label: Result}``."""
    measurer = Measurer()
    results = {}
    for key in keys(only):
        results.update(measurer.page(key, runs))
    return results


def _get(client: Client, url: str) -> int:
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"GET {url} answered {response.status_code}.")
    return len(response.content)


def _measure(label: str, runs: int, call: Callable[[], int]) -> Result:
    reset_queries()  # with DEBUG the log may be full (of the build's queries): none would count
    with CaptureQueriesContext(connection) as queries:
        call()  # warm-up, and its query count
    count = len(queries.captured_queries)  # now: the next request empties the log
    times, renders, sqls, size = [], [], [], 0
    with override_settings(DEBUG=False):
        for _ in range(runs):
            timer = _Timer()
            with timer.watching():
                started = time.perf_counter()
                size = call()
                elapsed = time.perf_counter() - started
            times.append(elapsed)
            renders.append(timer.render / elapsed if elapsed else 0)
            sqls.append(timer.sql)
    return Result(
        label=label,
        queries=count,
        median_ms=statistics.median(times) * 1000,
        min_ms=min(times) * 1000,
        max_ms=max(times) * 1000,
        sql_ms=statistics.median(sqls) * 1000,
        render_share=statistics.median(renders),
        kb=size / 1024,
        times_ms=[t * 1000 for t in times],
    )


def _measure_csv(client: Client, url: str, runs: int) -> dict[str, Result]:
    def export() -> tuple[float, float, int]:
        started = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200 or not response.streaming:
            raise CommandError(f"GET {url} answered {response.status_code}, not a stream.")
        chunks = iter(response.streaming_content)
        size = len(next(chunks, b""))
        first = time.perf_counter() - started
        for chunk in chunks:
            size += len(chunk)
        return first, time.perf_counter() - started, size

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        export()
    count = len(queries.captured_queries)
    firsts, totals, sqls, size = [], [], [], 0
    with override_settings(DEBUG=False):
        for _ in range(runs):
            timer = _Timer()
            with timer.watching():
                first, total, size = export()
            firsts.append(first)
            totals.append(total)
            sqls.append(timer.sql)
    common = {"queries": count, "render_share": None, "kb": size / 1024}
    return {
        label: Result(
            label=label,
            median_ms=statistics.median(values) * 1000,
            min_ms=min(values) * 1000,
            max_ms=max(values) * 1000,
            sql_ms=statistics.median(sqls) * 1000 if label.endswith("total") else 0.0,
            times_ms=[v * 1000 for v in values],
            **common,
        )
        for label, values in (
            ("Review CSV export: first byte", firsts),
            ("Review CSV export: total", totals),
        )
    }


def _creator(client: Client, url: str, objects: dict) -> Callable[[], int]:
    """The Create post of the Select Records grid, rolled back after each run."""
    opened = client.post(
        url,
        {
            "name": "Benchmark plan from template",
            "account": objects["account"],
            "effective_date": "2026-03-02",
            "owner": "",
            "next_step": "1",
        },
    )
    if opened.status_code != 200:
        raise CommandError(f"POST {url} (details) answered {opened.status_code}.")
    data = form_data(opened.content.decode())
    data["create"] = "1"

    def create() -> int:
        with transaction.atomic():
            response = client.post(url, data)
            transaction.set_rollback(True)
        if response.status_code != 302:
            raise CommandError(f"POST {url} (create) answered {response.status_code}.")
        return len(response.content)

    return create
