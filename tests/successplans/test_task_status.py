"""Start and Complete a plan's playbook task in place, from the Related tab (issue 13, item 10).

POST /plan-tasks/<id>/status/ with ``status`` (in_progress: Start; completed: Complete) goes
through ``services.task_status_change``; a change the task's status does not allow is refused
with a message and nothing changes; roles that may not change tasks get 403.
"""

import pytest
from django.urls import reverse

from core.errors import DomainError
from successplans import services
from successplans.models import PlaybookTask
from successplans.models import Status

from .factories import PlaybookTaskFactory
from .factories import SuccessPlanFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def task(db):
    plan = SuccessPlanFactory(name="Warehouse adoption")
    return PlaybookTaskFactory(plan=plan, name="Train the leads", status=Status.NOT_STARTED)


def url(task) -> str:
    return reverse("successplans:task-status", args=[task.pk])


def related(task) -> str:
    return f"/plans/{task.plan_id}/?tab=related"


def status_of(task) -> str:
    return PlaybookTask.objects.get(pk=task.pk).status


def test_the_related_list_offers_start_and_complete(client_for, task):
    text = client_for("csm").get(related(task)).text
    assert 'aria-label="Start Train the leads">Start</button>' in text
    assert 'aria-label="Complete Train the leads">Complete</button>' in text


def test_it_starts_a_task(client_for, task):
    client = client_for("csm")
    response = client.post(url(task), {"status": "in_progress"})
    assert response.status_code == 302
    assert response.url == related(task)
    assert status_of(task) == Status.IN_PROGRESS
    text = client.get(related(task)).text
    assert "Playbook task “Train the leads” is In Progress." in text
    assert 'aria-label="Start Train the leads"' not in text  # started already
    assert 'aria-label="Complete Train the leads"' in text


def test_it_completes_a_task_in_place_with_htmx(client_for, task):
    response = client_for("csm").post(url(task), {"status": "completed"}, **HTMX)
    assert response.status_code == 200
    assert 'id="related-tasks"' in response.text
    assert "Completed" in response.text
    assert "Playbook task “Train the leads” is Completed." in response.text
    assert status_of(task) == Status.COMPLETED


@pytest.mark.parametrize("done", [Status.COMPLETED, Status.CANCELED])
def test_a_change_the_status_does_not_allow_is_refused(client_for, task, done):
    PlaybookTask.objects.filter(pk=task.pk).update(status=done)
    response = client_for("csm").post(url(task), {"status": "in_progress"}, **HTMX)
    assert response.status_code == 200
    label = "Completed" if done == Status.COMPLETED else "Canceled"
    assert f"“Train the leads” is {label}: it cannot be started here; use Edit" in response.text
    assert status_of(task) == done


def test_an_unknown_status_is_refused(client_for, task):
    response = client_for("csm").post(url(task), {"status": "on_hold"}, **HTMX)
    assert "Choose Start or Complete." in response.text
    assert status_of(task) == Status.NOT_STARTED


def test_the_service_refuses_what_the_status_does_not_allow(task, csm):
    PlaybookTask.objects.filter(pk=task.pk).update(status=Status.COMPLETED)
    with pytest.raises(DomainError, match="cannot be completed"):
        services.task_status_change(task=task, status=Status.COMPLETED, user=csm)


@pytest.mark.parametrize("who", ["participant", "agent", "manager", "no_role_user"])
def test_other_roles_may_not_change_the_status(client_for, task, who):
    assert client_for(who).post(url(task), {"status": "completed"}).status_code == 403
    assert status_of(task) == Status.NOT_STARTED


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_other_roles_are_not_offered_the_buttons(client_for, task, who):
    text = client_for(who).get(related(task)).text
    assert "Start Train the leads" not in text


def test_it_rejects_get(client_for, task):
    assert client_for("csm").get(url(task)).status_code == 405


@pytest.mark.parametrize("tasks", [1, 12])
def test_the_related_list_with_buttons_costs_the_same(
    client_for, django_assert_max_num_queries, task, tasks
):
    PlaybookTaskFactory.create_batch(tasks, plan=task.plan)
    client = client_for("csm")
    with django_assert_max_num_queries(22):
        assert client.get(related(task)).status_code == 200


def test_the_tracker_offers_start_and_returns_there(client_for, task):
    client = client_for("csm")
    tracker = client.get("/tracker/").text
    assert 'aria-label="Start Train the leads">Start</button>' in tracker
    response = client.post(url(task), {"status": "in_progress", "next": "/tracker/"})
    assert response.status_code == 302
    assert response.url == "/tracker/"
    assert status_of(task) == Status.IN_PROGRESS
    assert 'aria-label="Complete Train the leads">Complete</button>' in client.get("/tracker/").text
