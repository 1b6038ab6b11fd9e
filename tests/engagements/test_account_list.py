import pytest
from django.urls import reverse

from engagements.models import Account
from health.models import AccountHealth
from health.services import health_refresh
from tests.conftest import ROLE_FIXTURES
from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.factories import UserFactory

URL = reverse("engagements:account-list")


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_every_role_sees_the_accounts(client_for, who):
    AccountFactory(name="Northwind Traders")
    response = client_for(who).get(URL)
    assert response.status_code == 200
    assert "Northwind Traders" in response.text


def test_it_refuses_a_user_without_role(client_for):
    response = client_for("no_role_user").get(URL)
    assert response.status_code == 403
    assert "no SuccessHub role" in response.text


def test_it_searches_by_name_and_industry(client_for):
    AccountFactory(name="Northwind Traders", industry="Wholesale")
    AccountFactory(name="Contoso Health", industry="Healthcare")
    client = client_for("csm")
    assert [a.name for a in client.get(URL, {"q": "north"}).context["page"]] == [
        "Northwind Traders"
    ]
    assert [a.name for a in client.get(URL, {"q": "health"}).context["page"]] == ["Contoso Health"]


def test_it_filters_by_tier_and_owner(client_for):
    owner = UserFactory(username="owner1")
    AccountFactory(name="A", tier=Account.Tier.STRATEGIC, owner=owner)
    AccountFactory(name="B", tier=Account.Tier.STRATEGIC)
    AccountFactory(name="C", tier=Account.Tier.SMB, owner=owner)
    client = client_for("csm")
    page = client.get(URL, {"tier": "strategic", "owner": owner.pk}).context["page"]
    assert [a.name for a in page] == ["A"]


def test_it_sorts_by_engagement_count_both_ways(client_for):
    busy, quiet = AccountFactory(name="Busy"), AccountFactory(name="Quiet")
    EngagementFactory.create_batch(3, account=busy)
    EngagementFactory(account=quiet)
    client = client_for("agent")
    ascending = client.get(URL, {"sort": "engagements"}).context["page"]
    descending = client.get(URL, {"sort": "-engagements"}).context["page"]
    assert [(a.name, a.engagement_count) for a in ascending] == [("Quiet", 1), ("Busy", 3)]
    assert [a.name for a in descending] == ["Busy", "Quiet"]


def test_it_explains_a_bad_filter_instead_of_failing(client_for):
    AccountFactory(name="Visible")
    response = client_for("agent").get(URL, {"tier": "platinum", "owner": "abc"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert "Some filters are not valid" in response.text
    assert list(response.context["page"]) == []


def test_it_paginates(client_for):
    AccountFactory.create_batch(30)
    client = client_for("agent")
    first, second = client.get(URL), client.get(URL, {"page": 2})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5
    assert "Page 1 of 2" in first.text
    # A page number out of range falls back to the last page instead of failing.
    assert client.get(URL, {"page": 99}).context["page"].number == 2


def test_htmx_gets_only_the_results(client_for):
    AccountFactory(name="Northwind Traders")
    response = client_for("agent").get(URL, {"q": "north"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Northwind Traders" in response.text
    assert "<html" not in response.text


def _accounts(rows: int, *, scored: bool = True) -> None:
    accounts = AccountFactory.create_batch(rows, owner=UserFactory())
    for account in accounts:
        EngagementFactory(account=account)
    if scored:
        health_refresh(account_ids=[a.pk for a in accounts])


@pytest.mark.parametrize("rows", [3, 40])
@pytest.mark.parametrize(
    "params",
    [
        {"sort": "owner"},
        {"sort": "score"},
        {"sort": "-change"},
        {"colour": "green"},
        {"dropped": "true"},
    ],
)
def test_query_count_does_not_grow_with_rows(
    client_for, django_assert_max_num_queries, rows, params
):
    _accounts(rows)
    client = client_for("agent")
    with django_assert_max_num_queries(9):  # + the thresholds; the scores are a join
        response = client.get(URL, params)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 40])
def test_unscored_accounts_are_scored_live_in_two_more_queries(
    client_for, django_assert_max_num_queries, rows
):
    _accounts(rows, scored=False)
    client = client_for("agent")
    with django_assert_max_num_queries(9 + 2):  # the measures, the page's scores
        response = client.get(URL)
    assert [a.health_score for a in response.context["page"]] == [100] * min(rows, 25)
    assert not AccountHealth.objects.exists()  # a GET writes nothing
