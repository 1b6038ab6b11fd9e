"""A success plan's record page: /plans/<id>/ with its Details, Related and Objective KPIs tabs."""

from datetime import date

import pytest
from django.urls import reverse

from successplans.models import Status
from tests.conftest import ROLE_FIXTURES
from tests.factories import AccountFactory
from tests.factories import ResourceFactory
from tests.factories import UserFactory

from .factories import BusinessChallengeFactory
from .factories import ChallengeCategoryFactory
from .factories import CSActivityFactory
from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import PlaybookFactory
from .factories import PlaybookTaskFactory
from .factories import RecordTypeFactory
from .factories import SuccessPlanFactory


@pytest.fixture
def plan(db):
    plan = SuccessPlanFactory(
        name="Warehouse adoption",
        description="Pickers move from paper to the app.\nLeads first.",
        account=AccountFactory(name="Northwind"),
        owner=ResourceFactory(user=UserFactory(first_name="Ada", last_name="Lovelace")),
        effective_date=date(2026, 1, 5),
        end_date=date(2026, 6, 30),
        status=Status.IN_PROGRESS,
        record_type=RecordTypeFactory(name="Enterprise plan"),
    )
    BusinessChallengeFactory(
        plan=plan, name="Paper pick lists", category=ChallengeCategoryFactory(name="Adoption")
    )
    return plan


def url(plan, tab: str | None = None) -> str:
    base = reverse("successplans:plan-detail", args=[plan.pk])
    return f"{base}?tab={tab}" if tab else base


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_every_role_sees_the_record_page(client_for, plan, who):
    response = client_for(who).get(url(plan))
    assert response.status_code == 200
    text = response.text
    assert "Warehouse adoption" in text
    assert f'<a href="/accounts/{plan.account_id}/">Northwind</a>' in text
    assert '<span class="badge badge-in-progress">In Progress</span>' in text
    assert "Ada Lovelace" in text
    assert "Jan 5, 2026" in text and "Jun 30, 2026" in text
    assert "Enterprise plan" in text


def test_the_details_tab_shows_every_field_and_the_business_challenges(client_for, plan):
    response = client_for("participant").get(url(plan))
    assert response.context["tab"] == "details"
    text = response.text
    assert "Pickers move from paper to the app.<br>Leads first." in text
    assert 'Business challenges (<a href="?tab=related#related-challenges">1</a>)' in text
    assert "Paper pick lists" in text
    assert "<td>Adoption</td>" in text
    assert 'aria-current="page">Details</a>' in text


def test_it_flags_a_template(client_for):
    template = SuccessPlanFactory(account=None, is_template=True)
    text = client_for("agent").get(url(template)).text
    assert '<span class="badge badge-template">Template</span>' in text


def test_only_customer_success_gets_edit_and_nobody_gets_delete(client_for, plan):
    edit_url = reverse("successplans:plan-edit", args=[plan.pk])
    delete_url = reverse("successplans:plan-delete", args=[plan.pk])
    csm_text = client_for("csm").get(url(plan)).text
    assert f'href="{edit_url}">Edit</a>' in csm_text
    assert delete_url not in csm_text
    for who in ["participant", "agent", "manager"]:
        text = client_for(who).get(url(plan)).text
        assert edit_url not in text
        assert delete_url not in text


def test_the_related_tab_shows_the_related_lists(client_for, plan):
    ObjectiveFactory(plan=plan, name="Go live in two warehouses")
    PlaybookFactory(plan=plan, name="Floor training")
    response = client_for("csm").get(url(plan, "related"))
    assert response.status_code == 200
    assert response.context["tab"] == "related"
    assert response.context["can_edit"] is True
    assert "successplans/partials/related_lists.html" in [t.name for t in response.templates]
    assert 'aria-current="page">Related</a>' in response.text


def test_the_related_tab_knows_who_may_not_edit(client_for, plan):
    response = client_for("participant").get(url(plan, "related"))
    assert response.context["can_edit"] is False


def test_the_kpis_tab_holds_the_grid(client_for, plan):
    ObjectiveKPIFactory(objective=ObjectiveFactory(plan=plan), name="Weekly active pickers")
    response = client_for("csm").get(url(plan, "kpis"))
    assert "Objective KPI Overview" in response.text
    assert "Weekly active pickers" in response.text
    assert 'aria-current="page">Objective KPIs</a>' in response.text


def test_an_unknown_tab_shows_details(client_for, plan):
    assert client_for("agent").get(url(plan, "secret")).context["tab"] == "details"


def test_it_refuses_a_user_without_role(client_for, plan):
    assert client_for("no_role_user").get(url(plan)).status_code == 403


def test_it_sends_strangers_to_login(client_for, plan):
    response = client_for(None).get(url(plan))
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")


def test_unknown_plan_is_404(client_for, db):
    assert client_for("agent").get("/plans/999999/").status_code == 404


def _populate(plan, size: int) -> None:
    resources = ResourceFactory.create_batch(2)
    for _ in range(size):
        objective = ObjectiveFactory(plan=plan, resource=resources[0])
        ObjectiveKPIFactory.create_batch(2, objective=objective)
        playbook = PlaybookFactory(plan=plan, resource=resources[1])
        PlaybookTaskFactory(playbook=playbook, resources=resources)
        PlaybookTaskFactory(plan=plan)
        BusinessChallengeFactory(plan=plan)
        CSActivityFactory(plan=plan)


@pytest.mark.parametrize("tab", ["details", "related", "kpis"])
@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize("who", ["csm", "participant"])
def test_query_count_does_not_grow_with_children(
    client_for, django_assert_max_num_queries, plan, tab, size, who
):
    _populate(plan, size)
    client = client_for(who)
    # Measured: 14 (Details, Related; Objective KPIs read-only), 15 (the editable grid).
    with django_assert_max_num_queries(15):
        assert client.get(url(plan, tab)).status_code == 200


def test_the_details_tab_counts_link_to_their_lists(client_for, plan):
    text = client_for("participant").get(url(plan)).text
    for key in ("objectives", "playbooks", "tasks", "activities", "challenges"):
        assert f'href="?tab=related#related-{key}"' in text


def test_the_tabs_are_tabs_not_buttons(client_for, plan):
    text = client_for("participant").get(url(plan, "related")).text
    assert '<a href="?tab=related" class="tab current" aria-current="page">Related</a>' in text
    assert '<a href="?tab=details" class="tab">Details</a>' in text
