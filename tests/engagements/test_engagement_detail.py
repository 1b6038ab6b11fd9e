import pytest

from tests.conftest import ROLE_FIXTURES
from tests.factories import AccountFactory
from tests.factories import EngagementFactory


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


def test_query_budget(client_for, engagement, django_assert_max_num_queries):
    client = client_for("agent")
    with django_assert_max_num_queries(7):
        assert client.get(engagement.get_absolute_url()).status_code == 200
