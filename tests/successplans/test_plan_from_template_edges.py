"""Create Success Plan from a template, at its edges: who may, bad input (nothing is
created), the template deleted meanwhile or without children, and a fixed number of queries
whatever the template's size. The steps themselves: test_plan_from_template.py.
"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from successplans import services
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import PlaybookTask
from successplans.models import SuccessPlan
from tests.factories import AccountFactory
from tests.factories import ResourceFactory

from .factories_templates import TemplateFactory
from .factories_templates import build_template
from .template_flow import END_BEFORE_START
from .template_flow import GONE
from .template_flow import RESOURCE_ERROR
from .template_flow import counts
from .template_flow import create_url
from .template_flow import details
from .template_flow import grid_data
from .template_flow import make_world
from .template_flow import open_grid


@pytest.fixture
def world(db):
    return make_world()


# -- who ----------------------------------------------------------------------------------------
def test_customer_success_gets_the_details_step(client_for, world):
    response = client_for("csm").get(world.url, {"account": world.account.pk})
    assert response.status_code == 200
    assert "<h1>Create Success Plan from a template</h1>" in response.text
    form = response.context["details"]
    # Never the template's own name: the account's name before it.
    assert form["name"].value() == "Northwind: Onboarding — 90 days"
    assert form["account"].value() == world.account.pk
    assert form["effective_date"].value() == timezone.localdate()
    assert form["owner"].value() == world.ada.pk
    assert f'<option value="{world.account.pk}" selected>Northwind</option>' in response.text
    assert ">Next</button>" in response.text


@pytest.mark.parametrize("who", ["participant", "agent", "manager", "no_role_user"])
def test_other_roles_may_not_open_it(client_for, world, who):
    assert client_for(who).get(world.url).status_code == 403


@pytest.mark.parametrize("who", ["participant", "agent", "manager", "no_role_user"])
def test_other_roles_may_not_create(client_for, world, who):
    before = counts()
    csm_page = open_grid(client_for("csm"), world)
    data = {**grid_data(csm_page), "create": "1"}
    assert client_for(who).post(world.url, data).status_code == 403
    assert client_for(who).post(world.url, details(world)).status_code == 403
    assert counts() == before


def test_it_sends_strangers_to_login(client_for, world):
    response = client_for(None).get(world.url)
    assert response.status_code == 302
    assert response.url == f"/login/?next={world.url}"
    assert client_for(None).post(world.url, details(world)).status_code == 302
    assert SuccessPlan.objects.filter(is_template=False).count() == 0


# -- bad input: nothing is created ---------------------------------------------------------------
def test_bad_rows_are_shown_with_their_errors_and_nothing_is_created(client_for, world):
    client = client_for("csm")
    data = {**grid_data(open_grid(client, world)), "create": "1"}
    data[f"o{world.golive.pk}-end_date"] = "2026-01-01"  # before its start
    data[f"p{world.kickoff.pk}-resource"] = str(world.psa.pk)
    data[f"t{world.welcome.pk}-resources"] = [str(world.grace.pk), str(world.psa.pk)]
    data[f"o{world.adoption.pk}-kpis-0-current"] = "abc"
    before = counts()

    response = client.post(world.url, data)

    assert response.status_code == 200
    assert counts() == before
    grid = response.context["grid"]
    assert grid.objectives[0].form.errors == {"end_date": [END_BEFORE_START]}
    assert grid.playbooks[0].form.errors == {"resource": [RESOURCE_ERROR]}
    assert grid.loose_tasks[0].form.errors == {"resources": [RESOURCE_ERROR]}
    assert grid.objectives[1].kpis.forms[0].errors == {"current": ["Enter a number."]}
    text = response.text
    assert "4 rows have errors; nothing was created." in text
    assert text.count(f'<p class="field-error">{RESOURCE_ERROR}</p>') == 2
    assert f'<p class="field-error">{END_BEFORE_START}</p>' in text
    assert '<p class="field-error">Enter a number.</p>' in text
    assert 'value="abc"' in text  # what was typed stays in its cell
    assert 'value="2026-01-01"' in text


def test_an_inactive_resource_is_refused(client_for, world):
    gone = ResourceFactory(is_active=False)
    client = client_for("csm")
    data = {**grid_data(open_grid(client, world)), "create": "1"}
    data[f"o{world.golive.pk}-resource"] = str(gone.pk)
    before = counts()
    response = client.post(world.url, data)
    assert response.context["grid"].objectives[0].form.errors == {"resource": [RESOURCE_ERROR]}
    assert counts() == before


def test_a_template_resource_no_longer_assignable_is_not_offered(client_for, world):
    world.ada.is_psa = True
    world.ada.save()
    response = open_grid(client_for("csm"), world)
    golive = response.context["grid"].objectives[0]
    assert golive.form["resource"].value() is None
    assert golive.dropped == [world.ada]
    assert "Not offered (inactive or PSA): Ada Byron" in response.text


# -- the template deleted meanwhile, or without children -------------------------------------------
def test_a_template_deleted_before_opening_says_so(client_for, world):
    world.template.delete()
    response = client_for("csm").get(world.url, {"account": world.account.pk})
    assert response.status_code == 404
    assert GONE in response.text
    picker = reverse("successplans:template-picker")
    assert f'href="{picker}?account={world.account.pk}"' in response.text


def test_a_template_deleted_while_in_the_grid_creates_nothing(client_for, world):
    client = client_for("csm")
    data = {**grid_data(open_grid(client, world)), "create": "1"}
    world.template.delete()
    before = counts()
    response = client.post(world.url, data)
    assert response.status_code == 404
    assert GONE in response.text
    assert counts() == before


def test_a_template_deleted_while_creating_creates_nothing(client_for, world, monkeypatch):
    """The template goes between the grid's read and the service: DomainError, nothing created."""
    client = client_for("csm")
    data = {**grid_data(open_grid(client, world)), "create": "1"}
    real = services.plan_create_from_template

    def deleted_meanwhile(**kwargs):
        SuccessPlan.objects.filter(pk=kwargs["template_pk"]).delete()
        return real(**kwargs)

    monkeypatch.setattr(services, "plan_create_from_template", deleted_meanwhile)
    response = client.post(world.url, data)
    assert response.status_code == 404
    assert GONE in response.text
    assert f'href="{reverse("successplans:template-picker")}"' in response.text
    assert SuccessPlan.objects.count() == 0
    assert Objective.objects.count() == 0


def test_a_plan_that_is_no_longer_a_template_cannot_be_used(client_for, world):
    SuccessPlan.objects.filter(pk=world.template.pk).update(
        is_template=False, account=AccountFactory()
    )
    response = client_for("csm").post(world.url, details(world))
    assert response.status_code == 404
    assert GONE in response.text
    assert SuccessPlan.objects.count() == 1
    assert Objective.objects.count() == 2


def test_a_template_without_children_skips_the_grid(client_for, db):
    template = TemplateFactory(name="Renewal readiness", description="Ready to renew.")
    account = AccountFactory(name="Contoso")
    url = create_url(template)
    client = client_for("csm")
    page = client.get(url, {"account": account.pk})
    assert "This template has no child records." in page.text
    assert 'id="select-records"' not in page.text
    assert ">Create</button>" in page.text
    assert ">Next</button>" not in page.text

    response = client.post(
        f"{url}?account={account.pk}",
        {
            "name": "Contoso renewal",
            "account": account.pk,
            "effective_date": "2026-07-01",
            "owner": "",
            "create": "1",
        },
    )
    plan = SuccessPlan.objects.get(is_template=False)
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    assert (plan.name, plan.account, plan.description) == (
        "Contoso renewal",
        account,
        "Ready to renew.",
    )
    assert (plan.effective_date, plan.end_date) == (date(2026, 7, 1), date(2026, 9, 28))
    assert plan.owner is None
    assert not plan.objectives.exists()


def test_a_template_without_children_still_checks_the_details(client_for, db):
    template = TemplateFactory()
    response = client_for("csm").post(
        create_url(template), {"name": "", "account": "", "effective_date": "", "create": "1"}
    )
    assert response.status_code == 200
    assert "A success plan needs an account." in response.text
    assert SuccessPlan.objects.filter(is_template=False).count() == 0


# -- queries: a fixed number whatever the template's size -----------------------------------------
SMALL = {"objectives": 1, "kpis": 1, "playbooks": 1, "tasks": 1, "loose_tasks": 1}
BIG = {"objectives": 20, "kpis": 5, "playbooks": 10, "tasks": 10, "loose_tasks": 5}
GRID_BUDGET = 13
# 22, the new plan's notifications (its tasks' resources, the plan, who, their preferences,
# one insert: issue 14) and the webhooks' endpoints of plan.created
CREATE_BUDGET = 28


@pytest.fixture
def account(db, settings):
    # The big grid posts about 1,700 fields; Django refuses more than 1,000 by default
    # (DATA_UPLOAD_MAX_NUMBER_FIELDS), so the settings must allow it (see the report).
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
    return AccountFactory(name="Fabrikam")


def _open(client, template, account):
    return client.post(
        create_url(template),
        {
            "name": "Fabrikam",
            "account": account.pk,
            "effective_date": "2026-03-02",
            "owner": "",
            "next_step": "1",
        },
    )


@pytest.mark.parametrize("size", [SMALL, BIG], ids=["one-of-each", "big"])
def test_the_grid_reads_a_fixed_number_of_queries(
    client_for, account, django_assert_max_num_queries, size
):
    template = build_template(**size)
    client = client_for("csm")
    with django_assert_max_num_queries(GRID_BUDGET):
        response = _open(client, template, account)
    assert len(response.context["grid"].objectives) == size["objectives"]


@pytest.mark.parametrize("size", [SMALL, BIG], ids=["one-of-each", "big"])
def test_creating_takes_a_fixed_number_of_queries(
    client_for, account, django_assert_max_num_queries, size
):
    template = build_template(**size)
    client = client_for("csm")
    data = {**grid_data(_open(client, template, account)), "create": "1"}
    with django_assert_max_num_queries(CREATE_BUDGET):
        response = client.post(create_url(template), data)
    assert response.status_code == 302
    plan = SuccessPlan.objects.get(is_template=False)
    assert plan.objectives.count() == size["objectives"]
    assert ObjectiveKPI.objects.filter(objective__plan=plan).count() == (
        size["objectives"] * size["kpis"]
    )
    assert plan.playbooks.count() == size["playbooks"]
    tasks = size["playbooks"] * size["tasks"] + size["loose_tasks"]
    assert plan.playbook_tasks.count() == tasks
    assert PlaybookTask.resources.through.objects.filter(playbooktask__plan=plan).count() == (
        tasks * 2
    )


def test_an_invalid_big_grid_is_refused_in_a_fixed_number_of_queries(
    client_for, account, django_assert_max_num_queries
):
    template = build_template(**BIG)
    client = client_for("csm")
    data = {**grid_data(_open(client, template, account)), "create": "1"}
    first = template.objectives.first()
    data[f"o{first.pk}-kpis-0-target"] = "abc"
    before = counts()
    with django_assert_max_num_queries(GRID_BUDGET):
        response = client.post(create_url(template), data)
    assert response.status_code == 200
    assert counts() == before
