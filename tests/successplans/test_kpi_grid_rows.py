"""The Objective KPI Overview grid adds and deletes KPIs (issue 13, item 8; defects 2 and 5).

"Add KPI" adds a blank row whose objective the user chooses; ticking "Delete" removes a KPI;
one Save writes the edits, the new rows and the deletions together, or nothing. Each row
shows its progress from baseline to target, and due dates read "Jan 30, 2027".
"""

from datetime import date
from decimal import Decimal

import pytest

from core.errors import DomainError
from successplans import services
from successplans.models import KPIValue
from successplans.models import ObjectiveKPI

from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import SuccessPlanFactory
from .test_kpi_grid import _many_kpis
from .test_kpi_grid import build_plan
from .test_kpi_grid import grid_data
from .test_kpi_grid import grid_url
from .test_kpi_grid import kpis
from .test_kpi_grid import page_url


@pytest.fixture
def plan(db):
    """The plan of tests/successplans/test_kpi_grid.py: two objectives, four KPIs."""
    return build_plan()


def with_new_rows(plan, data: dict, *rows: dict, delete: tuple[str, ...] = ()) -> dict:
    """``data`` with new rows after the plan's KPIs and "Delete" ticked on ``delete``."""
    data = dict(data)
    existing = int(data["form-TOTAL_FORMS"])
    for index, kpi in enumerate(kpis(plan)):
        if kpi.name in delete:
            data[f"form-{index}-DELETE"] = "on"
    for offset, row in enumerate(rows):
        values = {"direction": "higher", **row}
        data.update({f"form-{existing + offset}-{key}": value for key, value in values.items()})
    data["form-TOTAL_FORMS"] = str(existing + len(rows))
    return data


def objective(plan, name):
    return plan.objectives.get(name=name)


def state() -> list[tuple]:
    return sorted(ObjectiveKPI.objects.values_list("name", "objective_id", "current", "target"))


# -- adding and deleting in one save --------------------------------------------------------------
def test_it_adds_two_kpis_and_deletes_one_in_one_save(client_for, csm, plan):
    golive, adoption = objective(plan, "Go live"), objective(plan, "Adoption")
    data = with_new_rows(
        plan,
        grid_data(plan, {"Active pickers": {"current": "45"}}),
        {"objective": golive.pk, "name": "Sites on the new scanner", "current": "2", "target": "5"},
        {"objective": adoption.pk, "name": "Weekly logins", "unit": "users", "target": "300"},
        delete=("Tickets",),
    )
    client = client_for("csm")
    response = client.post(grid_url(plan), data)
    assert response.status_code == 302
    assert response.url == page_url(plan)
    scanner = ObjectiveKPI.objects.get(name="Sites on the new scanner")
    assert (scanner.objective, scanner.current, scanner.target) == (golive, 2, 5)
    logins = ObjectiveKPI.objects.get(name="Weekly logins")
    assert (logins.objective, logins.unit, logins.current) == (adoption, "users", None)
    assert not ObjectiveKPI.objects.filter(name="Tickets").exists()
    assert ObjectiveKPI.objects.get(name="Active pickers").current == Decimal("45")
    # The new KPI's first current value starts its history, as on its objective's page.
    assert sorted(KPIValue.objects.values_list("kpi__name", "value")) == [
        ("Active pickers", Decimal("45")),
        ("Sites on the new scanner", Decimal("2")),
    ]
    assert scanner.due_offset is None
    page = client.get(page_url(plan))
    assert "Objective KPIs saved: 2 added, 1 changed, 1 deleted." in page.text


def test_a_new_row_gets_its_due_date_offset_from_the_plan(client_for, plan):
    due = plan.effective_date.replace(day=1) if plan.effective_date.day > 1 else plan.effective_date
    data = with_new_rows(
        plan,
        grid_data(plan),
        {
            "objective": objective(plan, "Go live").pk,
            "name": "Go-live",
            "due_date": due.isoformat(),
        },
    )
    assert client_for("csm").post(grid_url(plan), data).status_code == 302
    kpi = ObjectiveKPI.objects.get(name="Go-live")
    assert kpi.due_offset == (due - plan.effective_date).days


def test_a_blank_new_row_is_ignored(client_for, plan):
    before = state()
    data = with_new_rows(plan, grid_data(plan), {"objective": "", "name": ""})
    assert client_for("csm").post(grid_url(plan), data).status_code == 302
    assert state() == before


def test_a_new_row_without_an_objective_saves_nothing(client_for, plan):
    before = state()
    data = with_new_rows(
        plan,
        grid_data(plan, {"Active pickers": {"current": "45"}}),
        {"objective": "", "name": "Orphan KPI", "target": "10"},
        delete=("Tickets",),
    )
    response = client_for("csm").post(grid_url(plan), data)
    assert response.status_code == 200
    assert "Choose the objective this KPI is for." in response.text
    assert "1 row has errors; nothing was saved." in response.text
    assert state() == before
    assert not KPIValue.objects.exists()


def test_a_target_that_is_not_a_number_is_refused_in_its_cell(client_for, plan):
    before = state()
    data = with_new_rows(
        plan,
        grid_data(plan),
        {"objective": objective(plan, "Go live").pk, "name": "Bad", "target": "lots"},
    )
    response = client_for("csm").post(grid_url(plan), data)
    assert response.status_code == 200
    assert '<p class="field-error">Enter a number.</p>' in response.text
    assert state() == before


def test_an_objective_of_another_plan_is_refused(client_for, plan):
    before = state()
    other = ObjectiveFactory(name="Someone else's")
    data = with_new_rows(plan, grid_data(plan), {"objective": other.pk, "name": "Sneaked in"})
    response = client_for("csm").post(grid_url(plan), data)
    assert response.status_code == 200
    assert "Choose an objective of this success plan." in response.text
    assert state() == before


def test_the_service_refuses_an_objective_of_another_plan(csm, plan):
    before = state()
    with pytest.raises(DomainError, match="objective of this success plan"):
        services.kpi_grid_apply(
            plan=plan,
            user=csm,
            deleted=[ObjectiveKPI.objects.get(name="Tickets")],
            added=[services.KPIAdded(objective=ObjectiveFactory(), data={"name": "X"})],
        )
    assert state() == before


def test_a_conflict_adds_and_deletes_nothing(client_for, plan):
    before_data = grid_data(plan, {"Active pickers": {"current": "45"}})
    ObjectiveKPI.objects.filter(name="Active pickers").update(current=Decimal("50"))
    before = state()
    data = with_new_rows(
        plan,
        before_data,
        {"objective": objective(plan, "Go live").pk, "name": "Kept as typed"},
        delete=("Tickets",),
    )
    response = client_for("csm").post(grid_url(plan), data)
    assert response.status_code == 200
    assert "now 50, you entered 45" in response.text
    assert state() == before
    # The grid comes back with the new row and the ticked Delete as the user left them.
    assert 'value="Kept as typed"' in response.text
    grid = response.context["grid"]
    assert [form.instance.name for form in grid.initial_forms if form["DELETE"].value()] == [
        "Tickets"
    ]


# -- Add KPI ----------------------------------------------------------------------------------
def test_add_kpi_adds_a_blank_row_and_keeps_the_typing(client_for, plan):
    before = state()
    data = grid_data(plan, {"Active pickers": {"target": "not yet"}})
    data["add_row"] = "1"
    response = client_for("csm").post(grid_url(plan), data)
    assert response.status_code == 200
    assert 'name="form-TOTAL_FORMS" value="5"' in response.text
    assert 'name="form-4-objective"' in response.text
    assert "— choose the objective —" in response.text
    assert 'value="not yet"' in response.text
    assert 'class="field-error"' not in response.text  # not judged yet
    assert state() == before


def test_a_plan_with_one_objective_chooses_it_for_new_rows(client_for, db):
    only = ObjectiveFactory(name="Only objective")
    ObjectiveKPIFactory(objective=only, name="Logins")
    data = grid_data(only.plan)
    data["add_row"] = "1"
    response = client_for("csm").post(grid_url(only.plan), data)
    assert f'<option value="{only.pk}" selected>Only objective</option>' in response.text


# -- defect 2: an empty tab is not a dead end ---------------------------------------------------
def test_objectives_without_kpis_offer_add_kpi(client_for, db):
    only = ObjectiveFactory(name="Go live")
    text = client_for("csm").get(page_url(only.plan)).text
    assert "This plan's objectives have no KPIs yet: press “Add KPI”" in text
    assert '<button type="submit" name="add_row" value="1">Add KPI</button>' in text


def test_a_plan_without_objectives_offers_new_objective(client_for, db):
    plan = SuccessPlanFactory()
    text = client_for("csm").get(page_url(plan)).text
    assert "This plan has no objectives yet: a KPI belongs to an objective." in text
    assert f'href="/plans/{plan.pk}/objectives/new/?next=' in text
    assert "Add KPI</button>" not in text


# -- Progress % and dates as every page shows them ----------------------------------------------
def test_each_row_shows_its_progress_respecting_the_direction(client_for, plan):
    ObjectiveKPI.objects.filter(name="Paper lists").update(
        baseline=Decimal("50"), current=Decimal("30"), target=Decimal("10")
    )
    response = client_for("csm").get(page_url(plan))
    shown = {
        form.instance.name: form.instance.progress_percent
        for form in response.context["grid"].initial_forms
    }
    assert shown["Paper lists"] == 50  # lower is better: 50 → 30 of the way to 10
    assert shown["Active pickers"] == 42  # 10 → 40 of the way to 80
    assert shown["Tickets"] is None
    assert '<td class="num" data-testid="kpi-progress">50%</td>' in response.text
    assert '<td class="num" data-testid="kpi-progress">—</td>' in response.text


def test_due_dates_read_as_on_every_other_page(client_for, plan):
    ObjectiveKPI.objects.filter(name="Active pickers").update(due_date=date(2027, 1, 30))
    response = client_for("csm").get(page_url(plan))
    assert 'value="Jan 30, 2027"' in response.text
    data = grid_data(plan, {"Active pickers": {"due_date": "Feb 3, 2027"}})
    assert client_for("csm").post(grid_url(plan), data).status_code == 302
    assert ObjectiveKPI.objects.get(name="Active pickers").due_date == date(2027, 2, 3)


def test_a_due_date_that_is_not_a_date_is_explained(client_for, plan):
    data = grid_data(plan, {"Active pickers": {"due_date": "someday"}})
    response = client_for("csm").post(grid_url(plan), data)
    assert "Enter a date such as Jan 30, 2027." in response.text


# -- who ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["participant", "agent", "manager", "no_role_user"])
def test_other_roles_may_not_add_or_delete(client_for, plan, who):
    before = state()
    data = with_new_rows(
        plan,
        grid_data(plan),
        {"objective": objective(plan, "Go live").pk, "name": "Not mine to add"},
        delete=("Tickets",),
    )
    assert client_for(who).post(grid_url(plan), data).status_code == 403
    assert client_for(who).post(grid_url(plan), {**data, "add_row": "1"}).status_code == 403
    assert state() == before


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_other_roles_see_neither_add_kpi_nor_delete(client_for, plan, who):
    text = client_for(who).get(page_url(plan)).text
    assert "Add KPI</button>" not in text
    assert "-DELETE" not in text


# -- queries ------------------------------------------------------------------------------------
@pytest.mark.parametrize("objectives", [1, 10])
def test_query_count_of_adding_and_deleting_does_not_grow(
    client_for, django_assert_max_num_queries, plan, objectives
):
    _many_kpis(plan, objectives)
    data = with_new_rows(
        plan,
        grid_data(plan, {"Active pickers": {"current": "41"}}),
        {"objective": objective(plan, "Go live").pk, "name": "New one", "current": "1"},
        {"objective": objective(plan, "Adoption").pk, "name": "New two"},
        delete=("Tickets",),
    )
    client = client_for("csm")
    # The same at both sizes (deleting reads the KPIs' history to cascade, whatever its size).
    with django_assert_max_num_queries(25):
        assert client.post(grid_url(plan), data).status_code == 302
    assert ObjectiveKPI.objects.filter(name__startswith="New ").count() == 2
