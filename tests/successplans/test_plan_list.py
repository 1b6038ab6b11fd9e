"""The Success Plans tab: /plans/."""

from datetime import date

import pytest
from django.urls import reverse

from successplans.models import Status
from tests.conftest import ROLE_FIXTURES
from tests.factories import AccountFactory
from tests.factories import ResourceFactory
from tests.factories import UserFactory

from .factories import BusinessChallengeFactory
from .factories import ObjectiveFactory
from .factories import PlaybookFactory
from .factories import SuccessPlanFactory

URL = reverse("successplans:plan-list")


def names(response) -> list[str]:
    return [plan.name for plan in response.context["page"]]


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_every_role_sees_the_success_plans(client_for, who):
    SuccessPlanFactory(name="Warehouse adoption", account=AccountFactory(name="Northwind"))
    response = client_for(who).get(URL)
    assert response.status_code == 200
    assert "<h1>Success Plans</h1>" in response.text
    assert "Warehouse adoption" in response.text
    assert "Northwind" in response.text


def test_it_refuses_a_user_without_role(client_for):
    assert client_for("no_role_user").get(URL).status_code == 403


def test_it_sends_strangers_to_login(client_for, db):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response.url == f"/login/?next={URL}"


def test_it_shows_the_columns_of_a_plan(client_for):
    owner = ResourceFactory(user=UserFactory(first_name="Ada", last_name="Lovelace"))
    plan = SuccessPlanFactory(
        name="Warehouse adoption",
        account=AccountFactory(name="Northwind"),
        owner=owner,
        effective_date=date(2026, 1, 5),
        end_date=date(2026, 6, 30),
        status=Status.ON_HOLD,
    )
    ObjectiveFactory.create_batch(2, plan=plan)
    PlaybookFactory(plan=plan)
    BusinessChallengeFactory.create_batch(3, plan=plan)
    text = client_for("participant").get(URL).text
    assert f'<a href="/plans/{plan.pk}/">Warehouse adoption</a>' in text
    assert f'<a href="/accounts/{plan.account.pk}/">Northwind</a>' in text
    assert "Ada Lovelace" in text
    assert "Jan 5, 2026" in text and "Jun 30, 2026" in text
    assert '<span class="badge badge-on-hold">On Hold</span>' in text
    assert '<td class="num">2</td>' in text  # objectives
    assert '<td class="num">1</td>' in text  # playbooks
    assert '<td class="num">3</td>' in text  # business challenges


def test_it_flags_templates(client_for):
    SuccessPlanFactory(name="Onboarding template", account=None, is_template=True)
    text = client_for("agent").get(URL, {"is_template": "yes"}).text
    assert '<span class="badge badge-template">Template</span>' in text


def test_only_customer_success_gets_new_create_and_delete(client_for):
    plan = SuccessPlanFactory()
    delete_url = reverse("successplans:plan-delete", args=[plan.pk])
    csm_text = client_for("csm").get(URL).text
    assert 'href="/plans/new/">New</a>' in csm_text  # blank plans only
    assert 'href="/plans/create/">Create Success Plan</a>' in csm_text  # blank or template
    assert f'href="{delete_url}"' in csm_text
    for who in ["participant", "agent", "manager"]:
        text = client_for(who).get(URL).text
        assert 'href="/plans/new/"' not in text
        assert 'href="/plans/create/"' not in text
        assert delete_url not in text


def test_it_filters_by_account_owner_and_status(client_for):
    northwind = AccountFactory(name="Northwind")
    ada = ResourceFactory()
    SuccessPlanFactory(name="Keep", account=northwind, owner=ada, status=Status.IN_PROGRESS)
    SuccessPlanFactory(name="Other owner", account=northwind, status=Status.IN_PROGRESS)
    SuccessPlanFactory(name="Other status", account=northwind, owner=ada, status=Status.ON_HOLD)
    SuccessPlanFactory(name="Other account", owner=ada, status=Status.IN_PROGRESS)
    response = client_for("agent").get(
        URL, {"account": northwind.pk, "owner": ada.pk, "status": Status.IN_PROGRESS}
    )
    assert names(response) == ["Keep"]


def test_templates_show_only_when_the_filter_asks(client_for):
    SuccessPlanFactory(name="Live plan")
    SuccessPlanFactory(name="A template", account=None, is_template=True)
    SuccessPlanFactory(name="An account's template", is_template=True)
    client = client_for("agent")
    assert names(client.get(URL)) == ["Live plan"]
    assert names(client.get(URL, {"is_template": ""})) == ["Live plan"]
    assert names(client.get(URL, {"is_template": "no"})) == ["Live plan"]
    assert names(client.get(URL, {"is_template": "yes"})) == ["A template", "An account's template"]


def test_the_template_filter_says_what_it_shows(client_for):
    text = client_for("agent").get(URL).text
    assert '<label for="id_is_template">Template</label>' in text
    assert '<option value="no" selected>Live plans</option>' in text
    assert '<option value="yes">Templates</option>' in text
    text = client_for("agent").get(URL, {"is_template": "yes"}).text
    assert '<option value="yes" selected>Templates</option>' in text


def test_other_filters_apply_to_templates_too(client_for):
    SuccessPlanFactory(name="Onboarding template", account=None, is_template=True)
    SuccessPlanFactory(name="Renewal template", account=None, is_template=True)
    SuccessPlanFactory(name="Onboarding live", description="")
    response = client_for("agent").get(URL, {"is_template": "yes", "q": "onboarding"})
    assert names(response) == ["Onboarding template"]


def test_a_bad_template_filter_is_explained(client_for):
    SuccessPlanFactory()
    response = client_for("agent").get(URL, {"is_template": "maybe"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert list(response.context["page"]) == []


def test_it_searches_name_description_and_account_name(client_for):
    SuccessPlanFactory(name="Warehouse adoption", description="")
    SuccessPlanFactory(name="Plan B", description="Roll out the warehouse app")
    SuccessPlanFactory(name="Plan C", description="", account=AccountFactory(name="Warehouse Co"))
    SuccessPlanFactory(name="Unrelated", description="")
    response = client_for("agent").get(URL, {"q": "warehouse"})
    assert sorted(names(response)) == ["Plan B", "Plan C", "Warehouse adoption"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpha", "Bravo", "Charlie"]),
        ("-name", ["Charlie", "Bravo", "Alpha"]),
        ("account", ["Charlie", "Alpha", "Bravo"]),
        ("effective", ["Bravo", "Charlie", "Alpha"]),
        ("-end", ["Alpha", "Charlie", "Bravo"]),
        ("status", ["Alpha", "Charlie", "Bravo"]),
        ("owner", ["Bravo", "Alpha", "Charlie"]),
    ],
)
def test_it_sorts(client_for, sort, expected):
    def owner(first):
        return ResourceFactory(user=UserFactory(first_name=first, last_name="X"))

    SuccessPlanFactory(
        name="Alpha",
        account=AccountFactory(name="B account"),
        effective_date=date(2026, 3, 1),
        end_date=date(2026, 12, 1),
        status=Status.COMPLETED,
        owner=owner("Maria"),
    )
    SuccessPlanFactory(
        name="Bravo",
        account=AccountFactory(name="C account"),
        effective_date=date(2026, 1, 1),
        end_date=date(2026, 2, 1),
        status=Status.ON_HOLD,
        owner=owner("Albert"),
    )
    SuccessPlanFactory(
        name="Charlie",
        account=AccountFactory(name="A account"),
        effective_date=date(2026, 2, 1),
        end_date=date(2026, 6, 1),
        status=Status.IN_PROGRESS,
        owner=owner("Zoe"),
    )
    # Status sorts by its stored value: completed, in_progress, on_hold.
    assert names(client_for("agent").get(URL, {"sort": sort})) == expected


def test_it_explains_a_bad_filter(client_for):
    SuccessPlanFactory()
    response = client_for("agent").get(URL, {"status": "archived", "owner": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert list(response.context["page"]) == []


def test_htmx_gets_only_the_results(client_for):
    SuccessPlanFactory(name="Warehouse adoption")
    response = client_for("agent").get(URL, {"q": "ware"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Warehouse adoption" in response.text
    assert "<h1>" not in response.text
    assert "<html" not in response.text


def test_it_paginates(client_for):
    SuccessPlanFactory.create_batch(27)
    client = client_for("agent")
    assert len(names(client.get(URL))) == 25
    assert len(names(client.get(URL, {"page": 2}))) == 2


@pytest.mark.parametrize("rows", [3, 40])
def test_query_count_does_not_grow_with_rows(client_for, django_assert_max_num_queries, rows):
    for plan in SuccessPlanFactory.create_batch(rows):
        ObjectiveFactory(plan=plan)
        BusinessChallengeFactory(plan=plan)
    client = client_for("csm")
    # session, user, 2 permission lookups, role names, plan count, the page of plans, their
    # child counts (one query, after paging), the first accounts and owners of the filters.
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200
