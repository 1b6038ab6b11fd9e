import pytest

from tests.conftest import ROLE_FIXTURES
from tests.factories import AccountFactory, EngagementFactory


@pytest.fixture
def engagement(db):
    return EngagementFactory(
        name="Plant analytics onboarding", account=AccountFactory(name="Fabrikam")
    )


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_it_shows_the_engagement_with_its_account(client_for, engagement, who):
    response = client_for(who).get(engagement.get_absolute_url())
    assert response.status_code == 200
    assert "Plant analytics onboarding" in response.text
    assert engagement.account.get_absolute_url() in response.text
    assert "In progress" in response.text


def test_it_refuses_a_user_without_role(client_for, engagement):
    assert client_for("no_role_user").get(engagement.get_absolute_url()).status_code == 403


def test_it_sends_strangers_to_login(client_for, engagement):
    assert client_for(None).get(engagement.get_absolute_url()).status_code == 302


def test_unknown_engagement_is_404(client_for, db):
    assert client_for("agent").get("/engagements/424242/").status_code == 404


def test_query_budget(client_for, engagement, django_assert_max_num_queries):
    client = client_for("agent")
    with django_assert_max_num_queries(7):
        assert client.get(engagement.get_absolute_url()).status_code == 200
