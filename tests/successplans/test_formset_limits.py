"""Formsets take as many rows as their page could send, not what a post claims (issue 18, 8).

A post with ``TOTAL_FORMS=2147483647`` made Django build (and the page render) up to 2,000
rows. Each formset is now bounded by its real rows plus a margin for rows added on the page,
refuses more with a message at the top of its form, and builds no more than that bound.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from core.formsets import ROW_MARGIN
from successplans.models import BusinessChallenge
from successplans.models import KPIValue
from successplans.models import ObjectiveKPI
from tests.factories import AccountFactory

from .factories import BusinessChallengeFactory
from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import SuccessPlanFactory
from .factories_templates import build_template
from .template_flow import create_url
from .template_flow import grid_data as template_grid_data
from .test_kpi_grid import grid_data
from .test_kpi_grid import grid_url
from .test_plan_edit import P
from .test_plan_edit import edit_data
from .test_plan_edit import url as edit_url


@pytest.fixture
def plan(db):
    """A plan with two KPIs on its grid and one business challenge."""
    plan = SuccessPlanFactory(
        name="Warehouse adoption", effective_date=date(2026, 1, 5), end_date=date(2026, 6, 30)
    )
    objective = ObjectiveFactory(plan=plan, name="Adoption", start_date=plan.effective_date)
    ObjectiveKPIFactory(objective=objective, name="Active pickers", current=40, target=80)
    ObjectiveKPIFactory(objective=objective, name="Paper lists", current=30)
    BusinessChallengeFactory(plan=plan, name="Paper pick lists")
    return plan


@pytest.fixture
def template(db):
    """A template whose first objective has two KPIs."""
    return build_template(objectives=2, kpis=2)


def open_template_grid(client, template):
    response = client.post(
        create_url(template),
        {
            "name": "Fabrikam",
            "account": AccountFactory(name="Fabrikam").pk,
            "effective_date": "2026-03-02",
            "owner": "",
            "next_step": "1",
        },
    )
    assert response.context["step"] == "records"
    return response


HUGE = "2147483647"


def too_many(limit: int) -> str:
    return f"This form takes at most {limit} rows; save these and add more afterwards."


# -- the Objective KPI Overview grid -------------------------------------------------------------
def test_the_kpi_grid_refuses_a_post_claiming_millions_of_rows(
    client_for, plan, django_assert_max_num_queries
):
    kpis = ObjectiveKPI.objects.filter(objective__plan=plan).count()
    data = grid_data(plan, {"Active pickers": {"current": "55"}})
    data["form-TOTAL_FORMS"] = HUGE
    client = client_for("csm")

    with django_assert_max_num_queries(16):
        response = client.post(grid_url(plan), data)

    assert response.status_code == 200
    grid = response.context["grid"]
    assert len(grid.forms) <= kpis + ROW_MARGIN
    # 13 fields a row (the KPI's cells, id, loaded, Delete; a new row's objective), and the
    # management form's four.
    assert response.text.count('name="form-') <= (kpis + ROW_MARGIN) * 13 + 4
    text = response.text
    top = text.split('<table class="list kpi-grid')[0]
    assert too_many(kpis + ROW_MARGIN) in top
    assert ObjectiveKPI.objects.get(name="Active pickers").current == 40
    assert not KPIValue.objects.exists()


def test_the_kpi_grid_bound_follows_the_plans_kpis(client_for, plan):
    objective = plan.objectives.first()
    ObjectiveKPIFactory.create_batch(3, objective=objective)
    kpis = ObjectiveKPI.objects.filter(objective__plan=plan).count()
    data = grid_data(plan)
    data["form-TOTAL_FORMS"] = str(kpis + ROW_MARGIN + 1)
    response = client_for("csm").post(grid_url(plan), data)
    assert response.status_code == 200
    assert too_many(kpis + ROW_MARGIN) in response.text
    # Up to the margin (KPIs deleted since the page was loaded) the size is not refused.
    data["form-TOTAL_FORMS"] = str(kpis + ROW_MARGIN)
    response = client_for("csm").post(grid_url(plan), data)
    assert too_many(kpis + ROW_MARGIN) not in response.text


# -- plan edit's business challenges ---------------------------------------------------------------
def test_plan_edit_refuses_a_post_claiming_millions_of_challenges(
    client_for, plan, django_assert_max_num_queries
):
    data = edit_data(plan, name="Renamed")
    data[f"{P}-TOTAL_FORMS"] = HUGE
    client = client_for("csm")

    with django_assert_max_num_queries(24):
        response = client.post(edit_url(plan), data)

    assert response.status_code == 200
    challenges = response.context["challenges"]
    assert len(challenges.forms) <= 1 + ROW_MARGIN
    text = response.text
    assert too_many(1 + ROW_MARGIN) in text.split('id="challenge-rows"')[0]
    plan.refresh_from_db()
    assert plan.name == "Warehouse adoption"
    assert BusinessChallenge.objects.filter(plan=plan).count() == 1


def test_plan_new_refuses_a_post_claiming_millions_of_challenges(client_for, plan):
    data = edit_data(plan, name="Another plan")
    data = {k: v for k, v in data.items() if not k.startswith(f"{P}-0-")}
    data.update({f"{P}-TOTAL_FORMS": HUGE, f"{P}-INITIAL_FORMS": "0"})
    response = client_for("csm").post(reverse("successplans:plan-new"), data)
    assert response.status_code == 200
    assert len(response.context["challenges"].forms) <= ROW_MARGIN
    assert too_many(ROW_MARGIN) in response.text


# -- the template grid's KPIs of one objective -----------------------------------------------------
def test_the_template_grid_refuses_a_post_claiming_millions_of_kpis(
    client_for, template, django_assert_max_num_queries
):
    client = client_for("csm")
    data = {**template_grid_data(open_template_grid(client, template)), "create": "1"}
    objective = template.objectives.first()
    prefix = f"o{objective.pk}-kpis"
    data[f"{prefix}-TOTAL_FORMS"] = HUGE
    before = ObjectiveKPI.objects.count()

    with django_assert_max_num_queries(14):
        response = client.post(create_url(template), data)

    assert response.status_code == 200
    [row] = [row for row in response.context["grid"].objectives if row.kpis.prefix == prefix]
    kpis = objective.kpis.count()
    assert len(row.kpis.forms) <= kpis + ROW_MARGIN
    assert too_many(kpis + ROW_MARGIN) in response.text
    assert ObjectiveKPI.objects.count() == before


def test_add_kpi_stops_at_the_bound(client_for, template):
    client = client_for("csm")
    data = template_grid_data(open_template_grid(client, template))
    objective = template.objectives.first()
    prefix = f"o{objective.pk}-kpis"
    kpis = objective.kpis.count()
    data.update({f"{prefix}-TOTAL_FORMS": str(kpis + ROW_MARGIN), "add_kpi": prefix})
    response = client.post(create_url(template), data)
    assert response.status_code == 200
    [row] = [row for row in response.context["grid"].objectives if row.kpis.prefix == prefix]
    assert len(row.kpis.forms) == kpis + ROW_MARGIN
