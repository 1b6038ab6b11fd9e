import pytest

from engagements.models import Engagement
from tests.conftest import ROLE_FIXTURES
from tests.factories import AccountFactory, EngagementFactory


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_every_role_gets_its_workspace(client_for, who):
    response = client_for(who).get("/")
    assert response.status_code == 200
    assert "My work" in response.text


def test_it_lists_my_open_engagements_and_accounts_only(client_for, agent):
    mine = AccountFactory(name="Mine Inc", owner=agent)
    EngagementFactory(account=mine, name="My open one", owner=agent)
    EngagementFactory(name="My closed one", owner=agent, state=Engagement.State.CLOSED)
    EngagementFactory(name="Not mine")
    response = client_for("agent").get("/")
    names = [e.name for e in response.context["engagements"]]
    assert names == ["My open one"]
    assert [a.name for a in response.context["accounts"]] == ["Mine Inc"]


def test_a_user_without_role_is_told_why(client_for):
    response = client_for("no_role_user").get("/")
    assert response.status_code == 403
    assert "no SuccessHub role" in response.text


@pytest.mark.parametrize("rows", [2, 30])
def test_query_count_does_not_grow(client_for, agent, django_assert_max_num_queries, rows):
    for account in AccountFactory.create_batch(rows, owner=agent):
        EngagementFactory(account=account, owner=agent)
    client = client_for("agent")
    with django_assert_max_num_queries(9):
        assert client.get("/").status_code == 200
