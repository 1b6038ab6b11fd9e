import pytest
from django.urls import reverse

from playbooks import services
from tests.conftest import ROLE_FIXTURES
from tests.factories import AccountFactory
from tests.factories import EngagementFactory

from .conftest import complete_current
from .conftest import work_until

URL = reverse("playbooks:case-list")


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_every_role_sees_all_success_cases(client_for, open_case, who):
    response = client_for(who).get(URL)
    assert response.status_code == 200
    assert "All Success Cases" in response.text
    assert open_case.number in response.text


def test_only_success_agents_get_the_new_button(client_for, open_case):
    assert ">New</a>" in client_for("agent").get(URL).text
    for who in ("csm", "participant", "manager"):
        assert ">New</a>" not in client_for(who).get(URL).text


def test_it_shows_the_columns_of_a_case(client_for, agent, open_case):
    complete_current(open_case, agent)  # core information: short description
    html = client_for("csm").get(URL).text
    for text in (
        open_case.number,
        "Drive adoption of the warehouse module",
        "Warehouse module adoption",
        open_case.engagement.account.name,
        "Initiate",
        "Open",
        "In progress",
        agent.get_full_name(),
    ):
        assert text in html


@pytest.fixture
def three_cases(agent, csm, engagement):
    other = EngagementFactory(name="Renewal", account=AccountFactory(name="Contoso"))
    mine = services.success_case_create(engagement=engagement, user=agent).case
    complete_current(mine, agent, short_description="Mine")
    work_until(mine, agent, "Communicate the final outcome")  # in Review & Close
    from core.roles import Role
    from tests.factories import UserFactory

    agent2 = UserFactory(username="t-agent2", roles=[Role.SUCCESS_AGENT])
    theirs = services.success_case_create(engagement=other, user=agent2).case
    complete_current(theirs, agent2, short_description="Theirs")
    complete_current(theirs, agent2, squad=[agent2, agent])  # agent in the squad; Assist
    canceled = services.success_case_create(engagement=other, user=agent2).case
    services.success_case_cancel(case_pk=canceled.pk, user=agent2, reason="Duplicate")
    return mine, theirs, canceled


def numbers(response) -> list[str]:
    return [case.number for case in response.context["page"]]


def test_it_filters_by_state_phase_account_and_engagement(client_for, three_cases):
    mine, theirs, canceled = three_cases
    client = client_for("agent")
    assert numbers(client.get(URL, {"state": "canceled"})) == [canceled.number]
    assert sorted(numbers(client.get(URL, {"state": "open"}))) == sorted(
        [mine.number, theirs.number]
    )
    assert numbers(client.get(URL, {"phase": "assist"})) == [theirs.number]
    assert numbers(client.get(URL, {"phase": "review_close"})) == [mine.number]
    assert sorted(numbers(client.get(URL, {"account": theirs.engagement.account_id}))) == sorted(
        [theirs.number, canceled.number]
    )
    assert numbers(client.get(URL, {"engagement": mine.engagement_id})) == [mine.number]


def test_it_filters_assigned_to_me_and_my_squads(client_for, three_cases):
    mine, theirs, canceled = three_cases
    client = client_for("agent")
    assert numbers(client.get(URL, {"mine": "true"})) == [mine.number]
    # agent put themself in their own case's squad, and agent2 added them to theirs.
    assert sorted(numbers(client.get(URL, {"in_squad": "true"}))) == [mine.number, theirs.number]
    assert numbers(client.get(URL, {"in_squad": "false"})) == [canceled.number]


def test_it_searches_number_and_text(client_for, three_cases):
    mine, theirs, _canceled = three_cases
    client = client_for("participant")
    assert numbers(client.get(URL, {"q": "theirs"})) == [theirs.number]
    assert numbers(client.get(URL, {"q": mine.number.lower()})) == [mine.number]


def test_it_sorts_by_number_both_ways(client_for, three_cases):
    client = client_for("manager")
    ascending = numbers(client.get(URL, {"sort": "number"}))
    assert ascending == sorted(ascending)
    assert numbers(client.get(URL, {"sort": "-number"})) == list(reversed(ascending))


def test_a_bad_filter_is_explained(client_for, open_case):
    response = client_for("agent").get(URL, {"state": "archived", "engagement": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert list(response.context["page"]) == []


def test_htmx_gets_only_the_results(client_for, open_case):
    response = client_for("agent").get(URL, headers={"HX-Request": "true"})
    assert open_case.number in response.text
    assert "<html" not in response.text


@pytest.mark.parametrize("cases", [2, 30])
def test_query_count_does_not_grow(client_for, agent, django_assert_max_num_queries, cases):
    for _ in range(cases):
        engagement = EngagementFactory()
        services.success_case_create(engagement=engagement, user=agent)
    client = client_for("agent")
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"sort": "account"})
    assert len(response.context["page"]) == min(cases, 25)
