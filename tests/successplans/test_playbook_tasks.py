"""Playbook tasks: under a playbook or directly under the plan, with several resources."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from successplans import services
from successplans.models import PlaybookTask
from successplans.models import Status
from tests.factories import ResourceFactory
from tests.successplans.factories import PlaybookFactory
from tests.successplans.factories import PlaybookTaskFactory
from tests.successplans.factories import SuccessPlanFactory

VIEW_ONLY = ["participant", "agent", "manager"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(db):
    return SuccessPlanFactory(name="Contoso adoption plan", account__name="Contoso Health")


@pytest.fixture
def playbook(plan):
    return PlaybookFactory(plan=plan, name="Onboarding playbook")


def new_url(plan) -> str:
    return reverse("successplans:task-new", args=[plan.pk])


def data(**overrides) -> dict:
    values = {
        "name": "Train the leads",
        "playbook": "",
        "description": "",
        "start_date": "2026-02-01",
        "end_date": "2026-02-14",
        "status": Status.NOT_STARTED,
    }
    values.update(overrides)
    return values


def test_it_saves_a_task_with_two_resources(client_for, plan, playbook):
    first, second = ResourceFactory(), ResourceFactory()
    response = client_for("csm").post(
        new_url(plan), {**data(playbook=playbook.pk), "resources": [first.pk, second.pk]}
    )
    assert response["Location"] == f"/plans/{plan.pk}/?tab=related"
    task = PlaybookTask.objects.get(plan=plan)
    assert task.playbook == playbook
    assert set(task.resources.all()) == {first, second}


def test_it_saves_a_task_directly_under_the_plan(client_for, plan):
    response = client_for("csm").post(new_url(plan), data(), **HTMX)
    task = PlaybookTask.objects.get(plan=plan)
    assert task.playbook is None
    assert "Playbook Tasks (1)" in response.text and 'id="related-tasks"' in response.text


def test_it_rejects_a_playbook_of_another_plan(client_for, plan):
    other = PlaybookFactory(name="Someone else's playbook")
    response = client_for("csm").post(new_url(plan), data(playbook=other.pk), **HTMX)
    assert response.status_code == 200
    assert "Choose a playbook of this success plan." in response.text
    assert not PlaybookTask.objects.exists()


def test_it_only_offers_the_plans_playbooks(client_for, plan, playbook):
    PlaybookFactory(name="Someone else's playbook")
    text = client_for("csm").get(new_url(plan)).text
    assert "Onboarding playbook" in text
    assert "Someone else" not in text


def test_it_preselects_the_playbook_it_was_opened_from(client_for, plan, playbook):
    text = client_for("csm").get(new_url(plan), {"playbook": playbook.pk}).text
    assert f'<option value="{playbook.pk}" selected>Onboarding playbook</option>' in text


def test_it_rejects_a_psa_or_inactive_resource(client_for, plan):
    good = ResourceFactory()
    for bad in (ResourceFactory(is_psa=True), ResourceFactory(is_active=False)):
        response = client_for("csm").post(new_url(plan), {**data(), "resources": [good.pk, bad.pk]})
        assert "Choose an active resource that is not a PSA resource." in response.text
    assert not PlaybookTask.objects.exists()


def test_it_rejects_an_end_before_the_start(client_for, plan):
    response = client_for("csm").post(
        new_url(plan), data(start_date="2026-02-10", end_date="2026-02-01")
    )
    assert "The end date cannot be before the start date." in response.text
    assert not PlaybookTask.objects.exists()


def test_it_edits_the_resources_in_place(client_for, plan, playbook):
    kept, dropped, added = ResourceFactory(), ResourceFactory(), ResourceFactory()
    task = PlaybookTaskFactory(playbook=playbook, name="Train the leads", resources=[kept, dropped])
    url = reverse("successplans:task-edit", args=[task.pk])
    client = client_for("csm")
    assert 'hx-target="#related-tasks"' in client.get(url, **HTMX).text
    response = client.post(
        url,
        {**data(name="Train all leads", playbook=playbook.pk), "resources": [kept.pk, added.pk]},
        **HTMX,
    )
    assert "Train all leads" in response.text
    task.refresh_from_db()
    assert task.name == "Train all leads"
    assert set(task.resources.all()) == {kept, added}


def test_it_moves_a_task_out_of_its_playbook(client_for, plan, playbook):
    task = PlaybookTaskFactory(playbook=playbook)
    url = reverse("successplans:task-edit", args=[task.pk])
    client_for("csm").post(url, data(playbook=""))
    task.refresh_from_db()
    assert task.playbook is None and task.plan == plan


def test_it_deletes_in_place_and_the_row_disappears(client_for, plan):
    task = PlaybookTaskFactory(plan=plan, name="Send the welcome pack")
    url = reverse("successplans:task-delete", args=[task.pk])
    client = client_for("csm")
    confirm = client.get(url, **HTMX)
    assert "Delete Send the welcome pack?" in confirm.text
    response = client.post(url, **HTMX)
    assert not PlaybookTask.objects.filter(pk=task.pk).exists()
    listed, region = response.text.split('<div id="messages"', 1)
    assert "Send the welcome pack" not in listed  # the row is gone from the list
    assert 'hx-swap-oob="true"' in region  # the message replaces the page's messages region
    assert "Playbook Task “Send the welcome pack” deleted." in region
    assert "Playbook Tasks (0)" in response.text


def test_deleting_from_the_playbook_page_goes_back_there(client_for, playbook):
    task = PlaybookTaskFactory(playbook=playbook)
    url = reverse("successplans:task-delete", args=[task.pk])
    response = client_for("csm").post(url, {"next": playbook.get_absolute_url()})
    assert response["Location"] == playbook.get_absolute_url()
    assert not PlaybookTask.objects.filter(pk=task.pk).exists()


@pytest.mark.parametrize("who", VIEW_ONLY)
def test_it_refuses_view_only_roles(client_for, plan, who):
    task = PlaybookTaskFactory(plan=plan, name="Train the leads")
    client = client_for(who)
    edit = reverse("successplans:task-edit", args=[task.pk])
    delete = reverse("successplans:task-delete", args=[task.pk])
    for url in (new_url(plan), edit, delete):
        assert client.get(url).status_code == 403
    assert client.post(new_url(plan), data(name="Other")).status_code == 403
    assert client.post(edit, data(name="Hacked")).status_code == 403
    assert client.post(delete, **HTMX).status_code == 403
    assert list(PlaybookTask.objects.values_list("name", flat=True)) == ["Train the leads"]


def test_it_refuses_a_user_without_role(client_for, plan):
    task = PlaybookTaskFactory(plan=plan)
    client = client_for("no_role_user")
    assert client.get(task.get_absolute_url()).status_code == 403
    assert client.post(new_url(plan), data()).status_code == 403
    assert PlaybookTask.objects.count() == 1


def test_it_sends_strangers_to_login(client_for, plan):
    response = client_for(None).get(new_url(plan))
    assert response.url.startswith("/login/?next=")


# -- the record page ----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["csm", *VIEW_ONLY])
def test_every_role_sees_a_task_and_its_playbook(client_for, playbook, who):
    resource = ResourceFactory(user__first_name="Rita", user__last_name="One")
    task = PlaybookTaskFactory(playbook=playbook, name="Train the leads", resources=[resource])
    response = client_for(who).get(task.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert "Train the leads" in text and "Rita One" in text and "Contoso Health" in text
    assert playbook.get_absolute_url() in text
    assert playbook.plan.get_absolute_url() in text


def test_it_says_when_a_task_is_directly_under_the_plan(client_for, plan):
    task = PlaybookTaskFactory(plan=plan)
    assert "Directly under the plan" in client_for("participant").get(task.get_absolute_url()).text


@pytest.mark.parametrize("size", [1, 10])
def test_the_record_page_runs_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, size
):
    task = PlaybookTaskFactory(
        playbook=PlaybookFactory(), resources=[ResourceFactory() for _ in range(size)]
    )
    client = client_for("csm")
    with django_assert_max_num_queries(8):
        assert client.get(task.get_absolute_url()).status_code == 200


# -- the service ----------------------------------------------------------------------------------
def test_the_service_refuses_a_playbook_of_another_plan_whoever_calls_it(plan):
    """The form offers only this plan's playbooks; the service keeps the rule on its own."""
    other = PlaybookFactory(name="Someone else's playbook")
    values = {"name": "Train the leads", "status": Status.NOT_STARTED, "playbook": other}
    with pytest.raises(DomainError) as refused:
        services.task_create(plan=plan, data=values)
    assert (str(refused.value), refused.value.field) == (
        "Choose a playbook of this success plan.",
        "playbook",
    )
    assert not PlaybookTask.objects.exists()
