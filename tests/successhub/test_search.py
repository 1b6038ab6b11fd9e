"""Global search: an exact number opens its record, anything else lists matches by kind,
each kind only for who may see it, in a fixed number of queries; bad input gets a message."""

import pytest

from core.roles import Role
from playbooks import services
from playbooks.models import SuccessCase
from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.successplans.factories import BusinessChallengeFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import SuccessPlanFactory


def _kinds(response) -> dict[str, list[str]]:
    return {g.kind.key: [str(r) for r in g.rows] for g in response.context["groups"]}


@pytest.fixture
def acme(agent):
    """One record of every kind with "Acme" in its name, and one without."""
    account = AccountFactory(name="Acme Corp")
    engagement = EngagementFactory(account=account, name="Acme rollout")
    case = services.success_case_create(engagement=engagement, user=agent).case
    plan = SuccessPlanFactory(account=account, name="Acme plan")
    ObjectiveFactory(plan=plan, name="Acme adoption")
    BusinessChallengeFactory(plan=plan, name="Acme churn risk")
    SuccessPlanFactory(name="Acme template", account=None, is_template=True)
    AccountFactory(name="Globex")
    return case


def test_it_groups_the_matches_by_kind(client_for, acme):
    response = client_for("participant").get("/search/", {"q": "acme"})
    assert response.status_code == 200
    assert _kinds(response) == {
        "accounts": ["Acme Corp"],
        "engagements": ["Acme Corp: Acme rollout"],
        "cases": [acme.number],
        "plans": ["Acme plan"],  # templates are not plans anyone works on
        "objectives": ["Acme adoption"],
        "challenges": ["Acme churn risk"],
    }
    assert f'href="{acme.get_absolute_url()}"' in response.text
    assert "Globex" not in response.text


def test_every_word_must_match(client_for, acme):
    response = client_for("agent").get("/search/", {"q": "acme  churn"})
    assert _kinds(response)["challenges"] == ["Acme churn risk"]
    assert _kinds(response)["accounts"] == []


def test_it_shows_only_the_kinds_the_user_may_see(client_for, acme):
    """An admin took "view success case" and "view objective" from participants in the admin:
    their search lists no case and no objective, and a case number opens nothing."""
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=Role.PARTICIPANT)
    group.permissions.remove(
        *group.permissions.filter(codename__in=["view_successcase", "view_objective"])
    )
    client = client_for("participant")
    response = client.get("/search/", {"q": "acme"})
    assert set(_kinds(response)) == {"accounts", "engagements", "plans", "challenges"}
    assert acme.number not in response.text
    assert client.get("/search/", {"q": acme.number}).status_code == 200  # no redirect


def test_a_case_number_opens_the_case(client_for, acme):
    response = client_for("manager").get("/search/", {"q": f"  {acme.number.lower()} "})
    assert response.status_code == 302
    assert response.url == acme.get_absolute_url()


def test_a_task_number_opens_the_task_for_who_may_work_it_and_its_case_for_others(
    client_for, acme, agent
):
    task = services.task_create(
        case_pk=acme.pk, user=agent, data={"short_description": "Call", "assigned_to": agent}
    )
    assert client_for("agent").get("/search/", {"q": task.number}).url == task.get_absolute_url()
    assert client_for("csm").get("/search/", {"q": task.number}).url == acme.get_absolute_url()


def test_an_unknown_number_lists_nothing(client_for, acme):
    response = client_for("agent").get("/search/", {"q": "SCS9999999"})
    assert response.status_code == 200
    assert not response.context["found"]
    assert "Nothing matches" in response.text


@pytest.mark.parametrize(
    "q, message",
    [
        ("", "Type a name, a word or a number"),
        ("   ", "Type a name, a word or a number"),
        ("x" * 10_000, "Search for at most 200 characters."),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field(client_for, acme, q, message):
    before = SuccessCase.objects.count()
    response = client_for("agent").get("/search/", {"q": q})
    assert response.status_code == 200
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert "groups" not in response.context
    assert SuccessCase.objects.count() == before


def test_it_rejects_post(client_for):
    assert client_for("agent").post("/search/", {"q": "acme"}).status_code == 405


def test_a_user_without_role_is_refused(client_for):
    assert client_for("no_role_user").get("/search/", {"q": "acme"}).status_code == 403


@pytest.mark.parametrize("n", [1, 15])
def test_search_costs_the_same_at_any_size(client_for, agent, n, django_assert_max_num_queries):
    for i in range(n):
        account = AccountFactory(name=f"Acme {i}")
        engagement = EngagementFactory(account=account, name=f"Acme rollout {i}")
        services.success_case_create(engagement=engagement, user=agent)
        plan = SuccessPlanFactory(account=account, name=f"Acme plan {i}")
        ObjectiveFactory(plan=plan, name=f"Acme objective {i}")
        BusinessChallengeFactory(plan=plan, name=f"Acme challenge {i}")
    client = client_for("agent")
    # session, user, groups, 2 permission lookups, the number lookup, one query per kind (6)
    with django_assert_max_num_queries(12):
        response = client.get("/search/", {"q": "acme"})
    groups = response.context["groups"]
    assert [len(g.rows) for g in groups] == [min(n, 10)] * 6
    assert [g.more for g in groups] == [n > 10] * 6
