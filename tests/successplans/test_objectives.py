"""Objectives: added, edited and deleted in place in the Related tab; their record page."""

from datetime import date
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import RecordType
from successplans.models import Status
from tests.factories import ResourceFactory
from tests.factories import UserFactory
from tests.successplans.factories import KPIValueFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import RecordTypeFactory
from tests.successplans.factories import SuccessPlanFactory

VIEW_ONLY = ["participant", "agent", "manager"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(db):
    return SuccessPlanFactory(name="Contoso adoption plan", account__name="Contoso Health")


@pytest.fixture
def objective(plan):
    objective = ObjectiveFactory(plan=plan, name="Raise weekly active users")
    ObjectiveKPIFactory(objective=objective, name="Weekly active users")
    return objective


def related(plan) -> str:
    return f"/plans/{plan.pk}/?tab=related"


def new_url(plan) -> str:
    return reverse("successplans:objective-new", args=[plan.pk])


def data(**overrides) -> dict:
    values = {
        "name": "Cut onboarding time",
        "description": "From 30 to 10 days.",
        "start_date": "2026-01-05",
        "end_date": "2026-03-31",
        "status": Status.IN_PROGRESS,
        "resource": "",
    }
    values.update(overrides)
    return values


# -- add ---------------------------------------------------------------------------------------
def test_it_shows_the_new_objective_form_as_a_page(client_for, plan):
    response = client_for("csm").get(new_url(plan))
    assert response.status_code == 200
    assert "New Objective" in response.text
    assert 'name="start_date"' in response.text
    assert "Contoso adoption plan" in response.text  # the plan (and its account) it goes under
    assert "Contoso Health" in response.text
    assert "hx-post" not in response.text  # the full page is a plain form


def test_it_loads_the_form_into_the_list_with_htmx(client_for, plan):
    response = client_for("csm").get(new_url(plan), **HTMX)
    assert response.status_code == 200
    assert 'id="related-objectives"' in response.text
    assert "<html" not in response.text
    assert f'hx-post="{new_url(plan)}"' in response.text
    assert 'hx-target="#related-objectives"' in response.text


def test_it_creates_an_objective_and_redirects_to_the_related_tab(client_for, plan):
    resource = ResourceFactory()
    response = client_for("csm").post(new_url(plan), data(resource=resource.pk))
    assert response.status_code == 302
    assert response["Location"] == related(plan)
    objective = Objective.objects.get(plan=plan)
    assert objective.name == "Cut onboarding time"
    assert objective.start_date == date(2026, 1, 5)
    assert objective.status == Status.IN_PROGRESS
    assert objective.resource == resource
    assert objective.account == plan.account


def test_it_creates_in_place_with_htmx_and_the_row_appears(client_for, plan):
    response = client_for("csm").post(new_url(plan), data(), **HTMX)
    assert response.status_code == 200
    assert Objective.objects.filter(plan=plan, name="Cut onboarding time").exists()
    assert 'id="related-objectives"' in response.text
    assert "Cut onboarding time" in response.text
    assert "Objectives (1)" in response.text
    assert 'name="start_date"' not in response.text  # the form is gone
    assert "created" in response.text


def test_it_rejects_an_end_before_the_start(client_for, plan):
    response = client_for("csm").post(
        new_url(plan), data(start_date="2026-03-01", end_date="2026-02-01"), **HTMX
    )
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.text
    assert not Objective.objects.exists()


@pytest.mark.parametrize("resource_kwargs", [{"is_psa": True}, {"is_active": False}])
def test_it_rejects_a_psa_or_inactive_resource(client_for, plan, resource_kwargs):
    resource = ResourceFactory(**resource_kwargs)
    response = client_for("csm").post(new_url(plan), data(resource=resource.pk))
    assert response.status_code == 200
    assert "Choose an active resource that is not a PSA resource." in response.text
    assert not Objective.objects.exists()


def test_it_only_offers_active_non_psa_resources(client_for, plan):
    ResourceFactory(user__first_name="Ada", user__last_name="Active")
    ResourceFactory(user__first_name="Pia", user__last_name="Psa", is_psa=True)
    ResourceFactory(user__first_name="Ivo", user__last_name="Inactive", is_active=False)
    text = client_for("csm").get(new_url(plan)).text
    assert "Ada Active" in text
    assert "Pia Psa" not in text
    assert "Ivo Inactive" not in text


def test_it_is_404_for_an_unknown_plan(client_for, db):
    assert client_for("csm").get("/plans/999999/objectives/new/").status_code == 404


# -- record types ---------------------------------------------------------------------------------
def test_it_asks_for_a_record_type_first_when_objectives_have_some(client_for, plan):
    RecordTypeFactory(object_type=RecordType.ObjectType.OBJECTIVE, name="Adoption objective")
    response = client_for("csm").get(new_url(plan), **HTMX)
    assert "select a record type" in response.text
    assert "Adoption objective" in response.text
    assert 'name="start_date"' not in response.text


def test_it_shows_the_record_types_field_set_and_saves_the_record_type(client_for, plan):
    record_type = RecordTypeFactory(
        object_type=RecordType.ObjectType.OBJECTIVE, name="Lean objective", field_set=["end_date"]
    )
    client = client_for("csm")
    form = client.get(new_url(plan), {"record_type": record_type.pk})
    assert 'aria-readonly="true" aria-labelledby="record-type-display-label">Lean objective<' in (
        form.text
    )
    assert 'name="end_date"' in form.text
    for hidden in ("description", "start_date", "resource"):
        assert f'name="{hidden}"' not in form.text

    response = client.post(
        new_url(plan),
        {
            "record_type": record_type.pk,
            "name": "Go live",
            "end_date": "2026-06-30",
            "status": Status.NOT_STARTED,
        },
    )
    assert response.status_code == 302
    objective = Objective.objects.get(plan=plan)
    assert objective.record_type == record_type
    assert objective.end_date == date(2026, 6, 30)
    assert objective.start_date is None


def test_it_does_not_save_without_a_record_type_when_there_are_some(client_for, plan):
    RecordTypeFactory(object_type=RecordType.ObjectType.OBJECTIVE)
    response = client_for("csm").post(new_url(plan), data())
    assert response.status_code == 200
    assert "select a record type" in response.text
    assert not Objective.objects.exists()


def test_it_uses_the_default_field_set_without_record_types(client_for, plan):
    RecordTypeFactory(object_type=RecordType.ObjectType.PLAYBOOK)  # another object's type
    text = client_for("csm").get(new_url(plan)).text
    assert "select a record type" not in text
    for name in ("description", "start_date", "end_date", "resource"):
        assert f'name="{name}"' in text


# -- edit --------------------------------------------------------------------------------------
def test_it_edits_in_place_with_htmx(client_for, objective):
    url = reverse("successplans:objective-edit", args=[objective.pk])
    client = client_for("csm")
    form = client.get(url, **HTMX)
    assert 'value="Raise weekly active users"' in form.text
    assert 'hx-target="#related-objectives"' in form.text

    response = client.post(url, data(name="Raise daily active users"), **HTMX)
    assert response.status_code == 200
    assert "Raise daily active users" in response.text
    objective.refresh_from_db()
    assert objective.name == "Raise daily active users"
    assert objective.end_date == date(2026, 3, 31)


def test_it_edits_with_a_plain_post_and_goes_back(client_for, objective):
    url = reverse("successplans:objective-edit", args=[objective.pk])
    response = client_for("csm").post(url, data(name="Renamed"))
    assert response["Location"] == related(objective.plan)
    objective.refresh_from_db()
    assert objective.name == "Renamed"


def test_it_returns_to_the_record_page_it_was_edited_from(client_for, objective):
    url = reverse("successplans:objective-edit", args=[objective.pk])
    page = objective.get_absolute_url()
    response = client_for("csm").post(url, {**data(), "next": page})
    assert response["Location"] == page


def test_it_ignores_a_next_to_another_site(client_for, objective):
    url = reverse("successplans:objective-edit", args=[objective.pk])
    response = client_for("csm").post(url, {**data(), "next": "https://evil.example/"})
    assert response["Location"] == related(objective.plan)


def test_an_invalid_edit_changes_nothing(client_for, objective):
    url = reverse("successplans:objective-edit", args=[objective.pk])
    response = client_for("csm").post(
        url, data(name="Renamed", start_date="2026-05-01", end_date="2026-04-01"), **HTMX
    )
    assert "The end date cannot be before the start date." in response.text
    objective.refresh_from_db()
    assert objective.name == "Raise weekly active users"


# -- delete ------------------------------------------------------------------------------------
def test_it_asks_before_deleting_and_says_how_many_kpis_go_with_it(client_for, objective):
    ObjectiveKPIFactory(objective=objective)
    url = reverse("successplans:objective-delete", args=[objective.pk])
    response = client_for("csm").get(url, **HTMX)
    assert response.status_code == 200
    assert "Delete Raise weekly active users?" in response.text
    assert "This also deletes 2 objective KPIs." in response.text
    assert Objective.objects.filter(pk=objective.pk).exists()


def test_it_shows_the_delete_confirmation_as_a_page(client_for, objective):
    url = reverse("successplans:objective-delete", args=[objective.pk])
    response = client_for("csm").get(url)
    assert "This also deletes 1 objective KPI." in response.text
    assert "<html" in response.text


def test_it_deletes_in_place_and_the_row_disappears(client_for, objective):
    url = reverse("successplans:objective-delete", args=[objective.pk])
    response = client_for("csm").post(url, **HTMX)
    assert response.status_code == 200
    assert not Objective.objects.filter(pk=objective.pk).exists()
    assert not ObjectiveKPI.objects.filter(objective_id=objective.pk).exists()
    assert "Objectives (0)" in response.text
    assert "deleted" in response.text


def test_it_deletes_with_a_plain_post_and_goes_back(client_for, objective):
    url = reverse("successplans:objective-delete", args=[objective.pk])
    response = client_for("csm").post(url)
    assert response["Location"] == related(objective.plan)
    assert not Objective.objects.filter(pk=objective.pk).exists()


# -- who may --------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", VIEW_ONLY)
def test_it_refuses_view_only_roles_the_forms(client_for, objective, who):
    client = client_for(who)
    for name, args in [
        ("objective-new", [objective.plan.pk]),
        ("objective-edit", [objective.pk]),
        ("objective-delete", [objective.pk]),
    ]:
        assert client.get(reverse(f"successplans:{name}", args=args)).status_code == 403


@pytest.mark.parametrize("who", VIEW_ONLY)
def test_it_refuses_view_only_roles_any_change(client_for, objective, who):
    client = client_for(who)
    plan = objective.plan
    assert client.post(new_url(plan), data(), **HTMX).status_code == 403
    edit = reverse("successplans:objective-edit", args=[objective.pk])
    assert client.post(edit, data(name="Hacked")).status_code == 403
    delete = reverse("successplans:objective-delete", args=[objective.pk])
    assert client.post(delete).status_code == 403
    objective.refresh_from_db()
    assert objective.name == "Raise weekly active users"
    assert Objective.objects.filter(plan=plan).count() == 1


def test_it_refuses_a_user_without_role(client_for, objective):
    client = client_for("no_role_user")
    assert client.get(objective.get_absolute_url()).status_code == 403
    assert client.post(new_url(objective.plan), data()).status_code == 403
    assert Objective.objects.count() == 1


def test_it_sends_strangers_to_login(client_for, objective):
    for url in (objective.get_absolute_url(), new_url(objective.plan)):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response.url.startswith("/login/?next=")


# -- the record page ----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["csm", *VIEW_ONLY])
def test_every_role_sees_the_objective(client_for, objective, who):
    response = client_for(who).get(objective.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert "Raise weekly active users" in text
    assert "Contoso Health" in text  # the account, via the plan
    assert objective.plan.get_absolute_url() in text
    assert objective.plan.account.get_absolute_url() in text
    assert "Weekly active users" in text  # its KPIs


def test_it_shows_edit_controls_only_to_customer_success(client_for, objective):
    edit = reverse("successplans:objective-edit", args=[objective.pk])
    kpi_new = reverse("successplans:kpi-new", args=[objective.pk])
    csm_text = client_for("csm").get(objective.get_absolute_url()).text
    assert edit in csm_text and kpi_new in csm_text
    participant_text = client_for("participant").get(objective.get_absolute_url()).text
    assert edit not in participant_text and kpi_new not in participant_text
    assert ">Edit<" not in participant_text and ">Delete<" not in participant_text


def test_it_charts_each_kpis_history(client_for, objective):
    kpi = objective.kpis.get()
    who = UserFactory(first_name="Grace", last_name="Hopper")
    KPIValueFactory(kpi=kpi, value="20.00", recorded_by=who)
    KPIValueFactory(kpi=kpi, value="35.50", recorded_by=who)
    text = client_for("participant").get(objective.get_absolute_url()).text
    assert "<svg" in text and "<polyline" in text
    assert "2 recorded values, from 20.00 to 35.50" in text
    assert "35.50" in text and "Grace Hopper" in text  # the values as text, with who


def test_unknown_objective_is_404(client_for, db):
    assert client_for("csm").get("/objectives/999999/").status_code == 404


@pytest.mark.parametrize("size", [1, 8])
def test_the_record_page_runs_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, size
):
    objective = ObjectiveFactory(resource=ResourceFactory())
    for _ in range(size):
        kpi = ObjectiveKPIFactory(objective=objective)
        for value in range(size):
            KPIValueFactory(kpi=kpi, value=value, recorded_by=UserFactory())
    ObjectiveKPIFactory(objective=objective, due_date=timezone.localdate() - timedelta(days=1))
    client = client_for("csm")
    with django_assert_max_num_queries(9):
        assert client.get(objective.get_absolute_url()).status_code == 200


def test_a_new_objective_starts_with_the_plan_s_dates(client_for, plan):
    """Default dates from the plan (start = effective date, end = plan end), still editable."""
    response = client_for("csm").get(new_url(plan))
    form = response.context["panel"]["form"]
    assert form["start_date"].value() == plan.effective_date
    assert form["end_date"].value() == plan.end_date
    assert f'name="start_date" value="{plan.effective_date.isoformat()}"' in response.text
    # Changed by the user, the typed dates are saved.
    client_for("csm").post(new_url(plan), data(start_date="2026-01-05", end_date="2026-03-31"))
    created = Objective.objects.get(name="Cut onboarding time")
    assert (created.start_date, created.end_date) == (date(2026, 1, 5), date(2026, 3, 31))
