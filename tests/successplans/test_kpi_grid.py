"""The Objective KPI Overview grid: /plans/<id>/?tab=kpis, saved with POST /plans/<id>/kpis/.

Every KPI of every objective of the plan in one grid: edit many cells, save
once; errors next to their cell; nothing saved if any cell is invalid.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from successplans import services
from successplans.forms.records import kpi_loaded_values
from successplans.models import KPIValue
from successplans.models import ObjectiveKPI

from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import SuccessPlanFactory


@pytest.fixture
def plan(db):
    return build_plan()


def build_plan():
    """ "Warehouse adoption": Go live (one KPI) and Adoption (three)."""
    plan = SuccessPlanFactory(name="Warehouse adoption")
    first = ObjectiveFactory(plan=plan, name="Go live", start_date=plan.effective_date)
    second = ObjectiveFactory(
        plan=plan, name="Adoption", start_date=plan.effective_date + timedelta(days=30)
    )
    ObjectiveKPIFactory(objective=first, name="Warehouses live", unit="", current=1, target=2)
    ObjectiveKPIFactory(objective=second, name="Active pickers", current=40, target=80)
    ObjectiveKPIFactory(objective=second, name="Paper lists", direction="lower", current=30)
    ObjectiveKPIFactory(objective=second, name="Tickets", current=None, target=None)
    return plan


def grid_url(plan) -> str:
    return reverse("successplans:kpi-grid", args=[plan.pk])


def page_url(plan) -> str:
    return reverse("successplans:plan-detail", args=[plan.pk]) + "?tab=kpis"


def kpis(plan) -> list[ObjectiveKPI]:
    return list(
        ObjectiveKPI.objects.filter(objective__plan=plan).order_by("objective__start_date", "name")
    )


def grid_data(plan, changes: dict[str, dict] | None = None) -> dict:
    """The grid as the browser posts it, with ``changes`` per KPI name applied."""
    rows = kpis(plan)
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows))}
    for i, kpi in enumerate(rows):
        row = {
            "id": kpi.pk,
            "loaded": kpi_loaded_values(kpi),  # the row's values as the page showed them
            "name": kpi.name,
            "unit": kpi.unit,
            "baseline": kpi.baseline if kpi.baseline is not None else "",
            "current": kpi.current if kpi.current is not None else "",
            "target": kpi.target if kpi.target is not None else "",
            "direction": kpi.direction,
            "due_date": kpi.due_date.isoformat() if kpi.due_date else "",
        }
        if kpi.external:
            row["external"] = "on"
        if kpi.blocked:
            row["blocked"] = "on"
        row.update((changes or {}).get(kpi.name, {}))
        data.update({f"form-{i}-{key}": value for key, value in row.items() if value is not None})
    return data


# -- showing the grid -----------------------------------------------------------------------
def test_it_shows_every_kpi_grouped_by_objective(client_for, plan):
    ObjectiveKPIFactory(name="Other plan's KPI")
    response = client_for("csm").get(page_url(plan))
    text = response.text
    assert "Objective KPI Overview" in text
    assert text.index("Objective: ") < text.index('value="Warehouses live"')
    go_live = text.index(">Go live<") if ">Go live<" in text else text.index("Go live")
    adoption = text.index("Adoption</")
    assert go_live < text.index('value="Warehouses live"') < adoption
    assert adoption < text.index('value="Active pickers"')
    assert "Other plan" not in text
    assert [form.instance.name for form in response.context["grid"]] == [
        "Warehouses live",
        "Active pickers",
        "Paper lists",
        "Tickets",
    ]
    for header in ["Name", "Unit", "Baseline", "Current", "Target", "Direction", "Due date"]:
        assert f'<th scope="col">{header}</th>' in text
    for header in ["External", "Blocked", "Badge", "Progress", "Delete"]:
        assert f'<th scope="col">{header}</th>' in text
    assert '<button type="submit" class="primary">Save</button>' in text


def test_the_objective_names_link_to_their_objectives(client_for, plan):
    objective = plan.objectives.get(name="Go live")
    text = client_for("csm").get(page_url(plan)).text
    href = reverse("successplans:objective-detail", args=[objective.pk])
    assert f'<a href="{href}">Go live</a>' in text


def test_each_row_shows_its_badge_in_colour_and_text(client_for, plan):
    ObjectiveKPIFactory(
        objective=plan.objectives.get(name="Go live"),
        name="Overdue one",
        current=1,
        target=5,
        due_date=timezone.localdate() - timedelta(days=1),
    )
    text = client_for("csm").get(page_url(plan)).text
    assert '<span class="badge badge-in-progress">In Progress</span>' in text
    assert '<span class="badge badge-overdue">Overdue</span>' in text
    assert '<span class="badge badge-not-available">Not Available</span>' in text  # no target


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_see_plain_values(client_for, plan, who):
    response = client_for(who).get(page_url(plan))
    text = response.text
    assert response.status_code == 200
    assert "Warehouses live" in text and "Active pickers" in text
    assert "40.00" in text and "80.00" in text
    assert "Lower is better" in text
    assert "<input" not in text.split("Objective KPI Overview")[1]
    assert ">Save</button>" not in text
    assert "grid" not in response.context


def test_a_plan_without_kpis_says_so(client_for):
    plan = SuccessPlanFactory()
    text = client_for("csm").get(page_url(plan)).text
    assert "This plan has no objectives yet" in text
    assert ">Save</button>" in text  # the grid's form, ready for the rows "Add KPI" adds


# -- saving -----------------------------------------------------------------------------------
def test_editing_two_kpis_at_once_saves_both_and_records_history(client_for, csm, plan):
    response = client_for("csm").post(
        grid_url(plan),
        grid_data(
            plan,
            {
                "Active pickers": {"current": "55", "target": "90"},
                "Warehouses live": {"current": "2", "unit": "sites", "blocked": "on"},
            },
        ),
    )
    assert response.status_code == 302
    assert response.url == page_url(plan)
    pickers = ObjectiveKPI.objects.get(name="Active pickers")
    live = ObjectiveKPI.objects.get(name="Warehouses live")
    assert (pickers.current, pickers.target) == (Decimal("55"), Decimal("90"))
    assert (live.current, live.unit, live.blocked) == (Decimal("2"), "sites", True)
    assert ObjectiveKPI.objects.get(name="Paper lists").current == Decimal("30")
    history = {(v.kpi.name, v.value, v.recorded_by) for v in KPIValue.objects.all()}
    assert history == {
        ("Active pickers", Decimal("55"), csm),
        ("Warehouses live", Decimal("2"), csm),
    }


def test_a_target_only_change_writes_no_history(client_for, plan):
    client_for("csm").post(grid_url(plan), grid_data(plan, {"Active pickers": {"target": "95"}}))
    assert ObjectiveKPI.objects.get(name="Active pickers").target == Decimal("95")
    assert not KPIValue.objects.exists()


def test_one_invalid_cell_saves_nothing_at_all(client_for, plan):
    response = client_for("csm").post(
        grid_url(plan),
        grid_data(
            plan,
            {
                "Active pickers": {"current": "55", "target": "abc"},
                "Warehouses live": {"current": "2"},
            },
        ),
    )
    assert response.status_code == 200
    grid = response.context["grid"]
    bad = next(
        form
        for form in grid
        if form.instance.pk == ObjectiveKPI.objects.get(name="Active pickers").pk
    )
    assert bad.errors == {"target": ["Enter a number."]}
    assert sum(1 for form in grid if form.errors) == 1
    text = response.text
    # The message sits in the Target cell of that row.
    cell = text.split('name="form-1-target"')[1].split("</td>")[0]
    assert '<p class="field-error">Enter a number.</p>' in cell
    assert "1 row has errors; nothing was saved." in text
    assert 'value="abc"' in text  # what was typed is kept
    assert ObjectiveKPI.objects.get(name="Active pickers").current == Decimal("40")
    assert ObjectiveKPI.objects.get(name="Warehouses live").current == Decimal("1")
    assert not KPIValue.objects.exists()


def test_errors_in_two_rows_are_counted(client_for, plan):
    response = client_for("csm").post(
        grid_url(plan),
        grid_data(
            plan,
            {"Active pickers": {"baseline": "x"}, "Paper lists": {"due_date": "someday"}},
        ),
    )
    assert "2 rows have errors; nothing was saved." in response.text
    assert "Enter a date such as Jan 30, 2027." in response.text


def test_htmx_gets_the_grid_back_in_place(client_for, plan):
    response = client_for("csm").post(
        grid_url(plan),
        grid_data(plan, {"Active pickers": {"current": "60"}}),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith("{#") is False
    assert '<section class="card" id="kpi-grid">' in response.text
    assert "<html" not in response.text
    assert "Objective KPIs saved: 1 changed." in response.text
    assert ObjectiveKPI.objects.get(name="Active pickers").current == Decimal("60")


def test_a_kpi_of_another_plan_cannot_be_edited_through_this_grid(client_for, plan):
    stranger = ObjectiveKPIFactory(name="Other plan's KPI", current=5)
    data = grid_data(plan)
    data["form-0-id"] = stranger.pk
    data["form-0-current"] = "999"
    response = client_for("csm").post(grid_url(plan), data)
    assert response.status_code == 200
    assert "This KPI is no longer part of the plan; reload the grid." in response.text
    assert "1 row has errors; nothing was saved." in response.text
    stranger.refresh_from_db()
    assert stranger.current == Decimal("5")
    assert not KPIValue.objects.exists()


def test_a_new_row_needs_its_objective(client_for, plan):
    """The grid adds KPIs (tests/successplans/test_kpi_grid_rows.py), never one without its
    objective."""
    data = grid_data(plan)
    data["form-TOTAL_FORMS"] = "5"
    data.update({"form-4-name": "Sneaked in", "form-4-direction": "higher", "form-4-current": "1"})
    response = client_for("csm").post(grid_url(plan), data)
    assert response.status_code == 200
    assert "Choose the objective this KPI is for." in response.text
    assert not ObjectiveKPI.objects.filter(name="Sneaked in").exists()
    assert ObjectiveKPI.objects.count() == 4


# -- who ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_may_not_save(client_for, plan, who):
    data = grid_data(plan, {"Active pickers": {"current": "99"}})
    assert client_for(who).post(grid_url(plan), data).status_code == 403
    assert ObjectiveKPI.objects.get(name="Active pickers").current == Decimal("40")
    assert not KPIValue.objects.exists()


def test_it_refuses_a_user_without_role(client_for, plan):
    data = grid_data(plan, {"Active pickers": {"current": "99"}})
    assert client_for("no_role_user").post(grid_url(plan), data).status_code == 403
    assert ObjectiveKPI.objects.get(name="Active pickers").current == Decimal("40")


def test_it_sends_strangers_to_login(client_for, plan):
    response = client_for(None).post(grid_url(plan), grid_data(plan))
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")


def test_it_rejects_get(client_for, plan):
    assert client_for("csm").get(grid_url(plan)).status_code == 405


def test_unknown_plan_is_404(client_for, db):
    assert client_for("csm").post("/plans/999999/kpis/", {}).status_code == 404


# -- queries ------------------------------------------------------------------------------------
def _many_kpis(plan, objectives: int) -> None:
    for _ in range(objectives):
        ObjectiveKPIFactory.create_batch(3, objective=ObjectiveFactory(plan=plan))


@pytest.mark.parametrize("objectives", [1, 10])
@pytest.mark.parametrize("who", ["csm", "participant"])
def test_query_count_of_the_grid_does_not_grow(
    client_for, django_assert_max_num_queries, plan, objectives, who
):
    _many_kpis(plan, objectives)
    client = client_for(who)
    with django_assert_max_num_queries(15):
        assert client.get(page_url(plan)).status_code == 200


@pytest.mark.parametrize("objectives", [1, 10])
def test_query_count_of_an_invalid_save_does_not_grow(
    client_for, django_assert_max_num_queries, plan, objectives
):
    _many_kpis(plan, objectives)
    data = grid_data(plan, {"Active pickers": {"target": "abc"}})
    client = client_for("csm")
    with django_assert_max_num_queries(16):
        assert client.post(grid_url(plan), data).status_code == 200


@pytest.mark.parametrize("objectives", [1, 10])
def test_query_count_of_a_save_grows_only_with_the_changed_rows(
    client_for, django_assert_max_num_queries, plan, objectives
):
    _many_kpis(plan, objectives)
    data = grid_data(plan, {"Active pickers": {"current": "41"}})
    client = client_for("csm")
    # 14: the service locks and reads the edited KPIs again (one query whatever their number),
    # the plan's objectives (for rows added), two savepoints (the grid's save inside its apply),
    # and kpi.value_changed's webhook endpoints (issue 14's event, issue 16's listener).
    with django_assert_max_num_queries(15):
        assert client.post(grid_url(plan), data).status_code == 302
    assert KPIValue.objects.get().value == Decimal("41")


def test_a_half_typed_number_is_refused_not_silently_cleared(client_for, db):
    """Value cells are text boxes: "1e" reaches the server and is refused, keeping the target."""
    from successplans.forms import ObjectiveKPIForm

    form = ObjectiveKPIForm(data={"name": "K", "direction": "higher", "target": "1e"})
    assert not form.is_valid()
    assert form.errors["target"] == ["Enter a number."]
    assert 'type="number"' not in str(form["target"])


def test_the_service_refuses_a_kpi_of_another_plan(csm, plan):
    other_kpi = ObjectiveKPIFactory(name="Elsewhere", current=1)
    with pytest.raises(DomainError):
        services.kpi_grid_save(plan=plan, changes=[(other_kpi, {"current": 99})], user=csm)
    other_kpi.refresh_from_db()
    assert other_kpi.current == 1 and not KPIValue.objects.exists()
