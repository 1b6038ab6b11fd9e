"""Objective KPIs: added, edited and deleted in place on the objective's record page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from successplans.models import KPIValue
from successplans.models import ObjectiveKPI
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory

VIEW_ONLY = ["participant", "agent", "manager"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def objective(db):
    return ObjectiveFactory(name="Raise weekly active users", plan__account__name="Contoso Health")


@pytest.fixture
def kpi(objective):
    return ObjectiveKPIFactory(
        objective=objective, name="Weekly active users", baseline=10, current=40, target=80
    )


def new_url(objective) -> str:
    return reverse("successplans:kpi-new", args=[objective.pk])


def data(**overrides) -> dict:
    values = {
        "name": "Onboarding days",
        "unit": "days",
        "baseline": "30",
        "current": "21.5",
        "target": "10",
        "direction": ObjectiveKPI.Direction.LOWER,
        "due_date": "2026-06-30",
    }
    values.update(overrides)
    return values


def test_it_shows_the_kpi_form_as_a_page(client_for, objective):
    response = client_for("csm").get(new_url(objective))
    assert response.status_code == 200
    assert "New Objective KPI" in response.text
    assert objective.get_absolute_url() in response.text
    assert "Contoso Health" in response.text


def test_it_creates_a_kpi_and_records_its_first_value(client_for, csm, objective):
    response = client_for("csm").post(new_url(objective), data())
    assert response["Location"] == objective.get_absolute_url()
    kpi = ObjectiveKPI.objects.get(objective=objective)
    assert (kpi.name, kpi.current, kpi.direction) == ("Onboarding days", Decimal("21.5"), "lower")
    assert list(kpi.history.values_list("value", "recorded_by")) == [(Decimal("21.5"), csm.pk)]


def test_it_creates_in_place_and_the_row_appears(client_for, objective):
    client = client_for("csm")
    form = client.get(new_url(objective), **HTMX)
    assert 'id="objective-kpis"' in form.text and 'hx-target="#objective-kpis"' in form.text
    response = client.post(new_url(objective), data(), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Objective KPIs (1)" in response.text and "Onboarding days" in response.text
    assert ObjectiveKPI.objects.filter(objective=objective).count() == 1


def test_it_rejects_a_value_that_is_not_a_number(client_for, objective):
    response = client_for("csm").post(new_url(objective), data(target="abc"), **HTMX)
    assert response.status_code == 200
    assert "Enter a number." in response.text
    assert not ObjectiveKPI.objects.exists()
    assert not KPIValue.objects.exists()


def test_a_new_current_value_goes_to_the_history_with_who_set_it(client_for, csm, kpi):
    url = reverse("successplans:kpi-edit", args=[kpi.pk])
    response = client_for("csm").post(
        url, data(name="Weekly active users", current="55", direction="higher"), **HTMX
    )
    assert response.status_code == 200
    kpi.refresh_from_db()
    assert kpi.current == Decimal("55")
    entry = kpi.history.get()
    assert (entry.value, entry.recorded_by) == (Decimal("55"), csm)
    assert "55" in response.text and csm.get_full_name() in response.text  # the history table


def test_an_unchanged_current_value_adds_no_history(client_for, kpi):
    url = reverse("successplans:kpi-edit", args=[kpi.pk])
    client_for("csm").post(
        url,
        data(name="WAU", baseline="10", current="40", target="80", direction="higher"),
    )
    kpi.refresh_from_db()
    assert kpi.name == "WAU"
    assert not kpi.history.exists()


def test_an_invalid_edit_changes_nothing(client_for, kpi):
    url = reverse("successplans:kpi-edit", args=[kpi.pk])
    response = client_for("csm").post(url, data(current="lots"))
    assert "Enter a number." in response.text
    kpi.refresh_from_db()
    assert kpi.current == Decimal("40") and kpi.name == "Weekly active users"
    assert not kpi.history.exists()


def test_it_asks_before_deleting_a_kpi_and_its_history(client_for, csm, kpi):
    url = reverse("successplans:kpi-delete", args=[kpi.pk])
    client = client_for("csm")
    response = client.get(url, **HTMX)
    assert "Delete Weekly active users?" in response.text
    assert "This also deletes" not in response.text  # no history yet
    KPIValue.objects.create(kpi=kpi, value=40, recorded_by=csm)
    KPIValue.objects.create(kpi=kpi, value=45, recorded_by=csm)
    assert "This also deletes 2 KPI values." in client.get(url, **HTMX).text
    assert ObjectiveKPI.objects.filter(pk=kpi.pk).count() == 1
    assert KPIValue.objects.filter(kpi=kpi).count() == 2


def test_it_deletes_in_place_and_the_row_disappears(client_for, kpi):
    url = reverse("successplans:kpi-delete", args=[kpi.pk])
    response = client_for("csm").post(url, **HTMX)
    assert not ObjectiveKPI.objects.filter(pk=kpi.pk).exists()
    assert "Objective KPIs (0)" in response.text


def test_deleting_with_a_plain_post_goes_back_to_the_objective(client_for, kpi):
    url = reverse("successplans:kpi-delete", args=[kpi.pk])
    response = client_for("csm").post(url)
    assert response["Location"] == kpi.objective.get_absolute_url()
    assert not ObjectiveKPI.objects.filter(pk=kpi.pk).exists()


def test_cancel_gives_the_kpi_list_back(client_for, kpi):
    url = reverse("successplans:objective-kpis", args=[kpi.objective.pk])
    client = client_for("participant")
    assert "Weekly active users" in client.get(url, **HTMX).text
    assert client.get(url)["Location"] == kpi.objective.get_absolute_url()


@pytest.mark.parametrize("who", VIEW_ONLY)
def test_it_refuses_view_only_roles(client_for, kpi, who):
    client = client_for(who)
    edit = reverse("successplans:kpi-edit", args=[kpi.pk])
    delete = reverse("successplans:kpi-delete", args=[kpi.pk])
    for url in (new_url(kpi.objective), edit, delete):
        assert client.get(url).status_code == 403
    assert client.post(new_url(kpi.objective), data()).status_code == 403
    assert client.post(edit, data(current="99"), **HTMX).status_code == 403
    assert client.post(delete).status_code == 403
    kpi.refresh_from_db()
    assert kpi.current == Decimal("40")
    assert ObjectiveKPI.objects.count() == 1 and not KPIValue.objects.exists()


def test_it_refuses_a_user_without_role(client_for, kpi):
    assert client_for("no_role_user").post(new_url(kpi.objective), data()).status_code == 403
    assert ObjectiveKPI.objects.count() == 1


def test_it_sends_strangers_to_login(client_for, kpi):
    response = client_for(None).get(reverse("successplans:kpi-edit", args=[kpi.pk]))
    assert response.url.startswith("/login/?next=")


def test_a_new_kpi_and_objective_keep_their_offsets_from_the_plan(client_for, db):
    """Created children remember their distance from the effective date (for later shifts)."""
    from datetime import date

    from successplans.models import Objective
    from successplans.models import ObjectiveKPI
    from tests.successplans.factories import SuccessPlanFactory

    plan = SuccessPlanFactory(effective_date=date(2026, 1, 1), end_date=None)
    client = client_for("csm")
    client.post(
        f"/plans/{plan.pk}/objectives/new/",
        {"name": "Adoption", "status": "not_started", "start_date": "2026-01-11"},
    )
    objective = Objective.objects.get(plan=plan)
    assert (objective.start_offset, objective.end_offset) == (10, None)
    client.post(
        f"/objectives/{objective.pk}/kpis/new/",
        {"name": "WAU", "direction": "higher", "due_date": "2026-03-02"},
    )
    assert ObjectiveKPI.objects.get(objective=objective).due_offset == 60
