"""Each endpoint reads a page in a fixed number of queries, whatever its number of rows."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.factories import ResourceFactory
from tests.factories import SuccessCaseFactory
from tests.successplans.factories import KPIValueFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import SuccessPlanFactory

from .conftest import api_client

#: Queries per request: the token with its user and the user's groups and permissions
#: (``core.auth.access_sql``), then the page itself (and, for a detail, one per prefetched
#: relation).
BUDGET = {
    "/api/v1/accounts/": 2,
    "/api/v1/engagements/": 2,
    "/api/v1/resources/": 2,
    "/api/v1/cases/": 2,
    "/api/v1/plans/": 2,
    "/api/v1/objectives/": 2,
    "/api/v1/kpis/": 2,
    "case": 8,  # squad, activities, meetings, their attendees, tasks, journal
    "objective": 4,
    "kpi": 3,
}


def grow(world: dict, n: int) -> dict:
    """``n`` more rows of every kind, around the world's engagement, plan and objective."""
    users = world["users"]
    from engagements.models import Engagement
    from successplans.models import Objective
    from successplans.models import ObjectiveKPI
    from successplans.models import SuccessPlan

    engagement = Engagement.objects.get(pk=world["engagement"])
    plan = SuccessPlan.objects.get(pk=world["plan"])
    objective = Objective.objects.get(pk=world["objective"])
    kpi = ObjectiveKPI.objects.get(pk=world["kpi"])
    for _ in range(n):
        account = AccountFactory(owner=users["csm"])
        EngagementFactory(account=account, owner=users["csm"])
        ResourceFactory()
        SuccessCaseFactory(engagement=engagement, user=users["agent"])
        SuccessPlanFactory(account=account)
        ObjectiveFactory(plan=plan)
        ObjectiveKPIFactory(objective=objective)
        KPIValueFactory(kpi=kpi, recorded_by=users["csm"])
    return {
        "case": f"/api/v1/cases/{world['case']}/",
        "objective": f"/api/v1/objectives/{world['objective']}/",
        "kpi": f"/api/v1/kpis/{world['kpi']}/",
    }


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def test_a_page_costs_the_same_with_2_or_40_rows(world, django_assert_max_num_queries):
    client = api_client(world, "csm")
    client.get("/api/v1/accounts/")  # the token's last use is now recorded (once a minute)
    counts: dict[str, list[int]] = {endpoint: [] for endpoint in BUDGET}
    for added in (2, 38):
        urls = grow(world, added)
        for endpoint, budget in BUDGET.items():
            url = urls.get(endpoint, endpoint)
            with django_assert_max_num_queries(budget):
                counts[endpoint].append(count(client, url))
            body = client.get(url).json()
            rows = body.get("results") or body.get("kpis") or body.get("history")
            assert len(rows or body["activities"]) >= 2, endpoint
    assert all(small == large for small, large in counts.values()), counts
