"""Playbooks of a success plan: in place in the Related tab, and their record page."""

from datetime import date

import pytest
from django.urls import reverse

from successplans.models import Playbook
from successplans.models import PlaybookTask
from successplans.models import RecordType
from successplans.models import Status
from tests.factories import ResourceFactory
from tests.successplans.factories import PlaybookFactory
from tests.successplans.factories import PlaybookTaskFactory
from tests.successplans.factories import RecordTypeFactory
from tests.successplans.factories import SuccessPlanFactory

VIEW_ONLY = ["participant", "agent", "manager"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(db):
    return SuccessPlanFactory(name="Contoso adoption plan", account__name="Contoso Health")


@pytest.fixture
def playbook(plan):
    playbook = PlaybookFactory(plan=plan, name="Onboarding playbook")
    PlaybookTaskFactory(playbook=playbook, name="Train the leads")
    PlaybookTaskFactory(playbook=playbook, name="Train the floor")
    return playbook


def new_url(plan) -> str:
    return reverse("successplans:playbook-new", args=[plan.pk])


def data(**overrides) -> dict:
    values = {
        "name": "Renewal playbook",
        "description": "",
        "start_date": "2026-04-01",
        "end_date": "2026-06-30",
        "status": Status.NOT_STARTED,
        "resource": "",
    }
    values.update(overrides)
    return values


def test_it_creates_a_playbook_with_a_plain_post(client_for, plan):
    resource = ResourceFactory()
    response = client_for("csm").post(new_url(plan), data(resource=resource.pk))
    assert response["Location"] == f"/plans/{plan.pk}/?tab=related"
    playbook = Playbook.objects.get(plan=plan)
    assert (playbook.name, playbook.resource, playbook.end_date) == (
        "Renewal playbook",
        resource,
        date(2026, 6, 30),
    )


def test_it_creates_in_place_and_the_row_appears(client_for, plan):
    client = client_for("csm")
    form = client.get(new_url(plan), **HTMX)
    assert 'hx-target="#related-playbooks"' in form.text
    response = client.post(new_url(plan), data(), **HTMX)
    assert 'id="related-playbooks"' in response.text
    assert "Renewal playbook" in response.text and "Playbooks (1)" in response.text
    assert Playbook.objects.filter(plan=plan).count() == 1


def test_it_rejects_an_end_before_the_start(client_for, plan):
    response = client_for("csm").post(
        new_url(plan), data(start_date="2026-06-01", end_date="2026-05-01"), **HTMX
    )
    assert "The end date cannot be before the start date." in response.text
    assert not Playbook.objects.exists()


def test_it_rejects_a_psa_resource(client_for, plan):
    response = client_for("csm").post(new_url(plan), data(resource=ResourceFactory(is_psa=True).pk))
    assert "Choose an active resource that is not a PSA resource." in response.text
    assert not Playbook.objects.exists()


def test_it_saves_the_chosen_record_type(client_for, plan):
    record_type = RecordTypeFactory(object_type=RecordType.ObjectType.PLAYBOOK, field_set=[])
    client = client_for("csm")
    assert "select a record type" in client.get(new_url(plan)).text
    response = client.post(
        new_url(plan), {"record_type": record_type.pk, "name": "Lean", "status": "not_started"}
    )
    assert response.status_code == 302
    assert Playbook.objects.get(plan=plan).record_type == record_type


def test_editing_in_place_also_refreshes_the_task_list(client_for, playbook):
    url = reverse("successplans:playbook-edit", args=[playbook.pk])
    response = client_for("csm").post(url, data(name="Go-live playbook"), **HTMX)
    assert response.status_code == 200
    playbook.refresh_from_db()
    assert playbook.name == "Go-live playbook"
    # the tasks show their playbook's name: that list comes along, swapped out of band
    assert 'data-testid="related-tasks" hx-swap-oob="true"' in response.text
    assert response.text.count("Go-live playbook") >= 3


def test_the_edit_form_opens_in_the_playbook_list_only(client_for, playbook):
    url = reverse("successplans:playbook-edit", args=[playbook.pk])
    text = client_for("csm").get(url, **HTMX).text
    assert text.count('data-testid="panel"') == 1
    assert 'id="related-playbooks"' in text and 'id="related-tasks"' not in text


def test_it_asks_before_deleting_and_says_how_many_tasks_go_with_it(client_for, playbook):
    url = reverse("successplans:playbook-delete", args=[playbook.pk])
    response = client_for("csm").get(url, **HTMX)
    assert "Delete Onboarding playbook?" in response.text
    assert "This also deletes 2 playbook tasks." in response.text
    assert Playbook.objects.filter(pk=playbook.pk).exists()


def test_deleting_in_place_removes_its_tasks_from_both_lists(client_for, playbook):
    url = reverse("successplans:playbook-delete", args=[playbook.pk])
    response = client_for("csm").post(url, **HTMX)
    assert not Playbook.objects.filter(pk=playbook.pk).exists()
    assert not PlaybookTask.objects.filter(plan=playbook.plan).exists()
    assert "Playbooks (0)" in response.text
    assert "Playbook Tasks (0)" in response.text
    assert "Train the leads" not in response.text


def test_deleting_with_a_plain_post_goes_back_to_the_related_tab(client_for, playbook):
    url = reverse("successplans:playbook-delete", args=[playbook.pk])
    response = client_for("csm").post(url)
    assert response["Location"] == f"/plans/{playbook.plan.pk}/?tab=related"
    assert not Playbook.objects.filter(pk=playbook.pk).exists()


@pytest.mark.parametrize("who", VIEW_ONLY)
def test_it_refuses_view_only_roles(client_for, playbook, who):
    client = client_for(who)
    edit = reverse("successplans:playbook-edit", args=[playbook.pk])
    delete = reverse("successplans:playbook-delete", args=[playbook.pk])
    for url in (new_url(playbook.plan), edit, delete):
        assert client.get(url).status_code == 403
    assert client.post(new_url(playbook.plan), data()).status_code == 403
    assert client.post(edit, data(name="Hacked"), **HTMX).status_code == 403
    assert client.post(delete).status_code == 403
    playbook.refresh_from_db()
    assert playbook.name == "Onboarding playbook"
    assert Playbook.objects.count() == 1 and PlaybookTask.objects.count() == 2


def test_it_refuses_a_user_without_role(client_for, playbook):
    client = client_for("no_role_user")
    assert client.get(playbook.get_absolute_url()).status_code == 403
    assert client.post(new_url(playbook.plan), data()).status_code == 403
    assert Playbook.objects.count() == 1


def test_it_sends_strangers_to_login(client_for, playbook):
    response = client_for(None).get(playbook.get_absolute_url())
    assert response.url.startswith("/login/?next=")


# -- the record page ----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["csm", *VIEW_ONLY])
def test_every_role_sees_the_playbook_and_its_tasks(client_for, playbook, who):
    response = client_for(who).get(playbook.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert "Onboarding playbook" in text and "Contoso Health" in text
    assert "Playbook Tasks (2)" in text
    for task in playbook.tasks.all():
        assert task.get_absolute_url() in text
    assert playbook.plan.get_absolute_url() in text


def test_customer_success_can_add_a_task_to_the_playbook(client_for, playbook):
    text = client_for("csm").get(playbook.get_absolute_url()).text
    assert f"/plans/{playbook.plan.pk}/tasks/new/?playbook={playbook.pk}" in text
    participant_text = client_for("participant").get(playbook.get_absolute_url()).text
    assert "/tasks/new/" not in participant_text and ">Edit<" not in participant_text


@pytest.mark.parametrize("size", [1, 10])
def test_the_record_page_runs_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, size
):
    playbook = PlaybookFactory(resource=ResourceFactory())
    for _ in range(size):
        PlaybookTaskFactory(playbook=playbook, resources=[ResourceFactory(), ResourceFactory()])
    client = client_for("csm")
    with django_assert_max_num_queries(9):
        response = client.get(playbook.get_absolute_url())
    assert f"Playbook Tasks ({size})" in response.text


def test_a_new_playbook_starts_with_the_plan_s_dates(client_for, plan):
    response = client_for("csm").get(new_url(plan))
    form = response.context["panel"]["form"]
    assert form["start_date"].value() == plan.effective_date
    assert form["end_date"].value() == plan.end_date
