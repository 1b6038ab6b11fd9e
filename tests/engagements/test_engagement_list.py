import pytest
from django.urls import reverse

from engagements.models import Engagement
from tests.conftest import ROLE_FIXTURES
from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.factories import UserFactory

URL = reverse("engagements:engagement-list")


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_every_role_sees_the_engagements(client_for, who):
    EngagementFactory(name="Platform onboarding", account=AccountFactory(name="Northwind"))
    response = client_for(who).get(URL)
    assert response.status_code == 200
    assert "Platform onboarding" in response.text
    assert "Northwind" in response.text


def test_it_filters_by_account_stage_and_state(client_for):
    northwind = AccountFactory(name="Northwind")
    EngagementFactory(account=northwind, name="Keep", stage="renew", state="define")
    EngagementFactory(account=northwind, name="Other stage", stage="expand", state="define")
    EngagementFactory(account=northwind, name="Other state", stage="renew", state="closed")
    EngagementFactory(name="Other account", stage="renew", state="define")
    page = (
        client_for("agent")
        .get(URL, {"account": northwind.pk, "stage": "renew", "state": "define"})
        .context["page"]
    )
    assert [e.name for e in page] == ["Keep"]


def test_it_searches_engagement_and_account_names(client_for):
    EngagementFactory(name="Warehouse adoption", account=AccountFactory(name="Alpha"))
    EngagementFactory(name="Renewal", account=AccountFactory(name="Warehouse Co"))
    EngagementFactory(name="Unrelated", account=AccountFactory(name="Beta"))
    page = client_for("agent").get(URL, {"q": "warehouse"}).context["page"]
    assert sorted(e.name for e in page) == ["Renewal", "Warehouse adoption"]


def test_it_sorts_by_start_date_descending(client_for):
    from datetime import date

    EngagementFactory(name="Old", start_date=date(2025, 1, 1), end_date=None)
    EngagementFactory(name="New", start_date=date(2026, 6, 1), end_date=None)
    page = client_for("agent").get(URL, {"sort": "-start"}).context["page"]
    assert [e.name for e in page] == ["New", "Old"]


def test_it_explains_a_bad_filter(client_for):
    response = client_for("agent").get(URL, {"state": "archived"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


@pytest.mark.parametrize("rows", [3, 40])
def test_query_count_does_not_grow_with_rows(client_for, django_assert_max_num_queries, rows):
    EngagementFactory.create_batch(rows, owner=UserFactory(), state=Engagement.State.NEW)
    client = client_for("manager")
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200
