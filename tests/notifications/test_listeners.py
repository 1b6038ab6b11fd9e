"""Who is told what when a service emits its event: the in-app row, then mail per preference."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from notifications.models import Delivery
from notifications.models import Kind
from notifications.models import Notification
from notifications.models import NotificationPreference
from playbooks import services as case_services
from successplans import services as plan_services
from tests.factories import ResourceFactory
from tests.factories import work_case_until
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import SuccessPlanFactory

from .conftest import assign_task


def test_a_task_assigned_by_one_agent_tells_the_other_and_mails_them(
    agent, other_agent, case, committed
):
    with committed():
        task = assign_task(case, by=agent, to=other_agent)

    notification = Notification.objects.get(user=other_agent)
    assert notification.event == Kind.TASK_ASSIGNED
    assert task.number in notification.text and agent.get_full_name() in notification.text
    assert notification.url == f"/cases/{case.number}/"
    assert notification.read_at is None
    assert notification.mail == Notification.Mail.SENT
    [message] = mail.outbox
    assert message.to == [other_agent.email]
    assert task.number in message.subject
    assert f"http://localhost:8000/cases/{case.number}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="http://localhost:8000/cases/{case.number}/"' in html


def test_nobody_is_told_about_their_own_doing(agent, case, committed):
    with committed():
        assign_task(case, by=agent, to=agent)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_rolled_back_change_notifies_nobody(agent, other_agent, case, committed):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        assign_task(case, by=agent, to=other_agent)
        assert Notification.objects.filter(user=other_agent).exists()  # written in the change
        raise RuntimeError("the request failed after the task was assigned")

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_reassigning_a_case_tells_the_new_agent(agent, other_agent, case):
    case_services.case_update(case_pk=case.pk, user=agent, data={"assigned_to": other_agent})
    notification = Notification.objects.get(user=other_agent)
    assert notification.event == Kind.CASE_ASSIGNED
    assert case.number in notification.text


def test_joining_a_squad_is_told_to_the_new_member(agent, other_agent, case):
    work_case_until(case, agent, "Add squad")
    activity = case.activities.get(name="Add squad")
    case_services.activity_complete(
        case_pk=case.pk, activity_pk=activity.pk, user=agent, data={"squad": [agent, other_agent]}
    )
    assert list(Notification.objects.values_list("user", "event")) == [
        (other_agent.pk, Kind.SQUAD_ADDED)
    ]


def test_a_case_canceled_by_a_squad_member_tells_the_assignee_and_the_managers(
    agent, other_agent, manager, case
):
    case.squad.add(other_agent)
    case_services.success_case_cancel(case_pk=case.pk, user=other_agent, reason="Customer left")
    told = dict(Notification.objects.values_list("user", "event"))
    assert told == {agent.pk: Kind.CASE_ENDED, manager.pk: Kind.REVIEW_WAITING}
    review = Notification.objects.get(user=manager)
    assert review.url == f"/review/{case.number}/"
    assert "canceled" in review.text


def test_a_kpi_turned_blocked_tells_the_plans_owner(csm, committed):
    owner = ResourceFactory()
    plan = SuccessPlanFactory(owner=owner)
    kpi = ObjectiveKPIFactory(objective=ObjectiveFactory(plan=plan), name="Weekly users")
    with committed():
        plan_services.kpi_grid_save(plan=plan, changes=[(kpi, {"blocked": True})], user=csm)
        # Saving again the same day tells nothing new (one alert per KPI, badge and day).
        plan_services.kpi_grid_save(plan=plan, changes=[(kpi, {"blocked": False})], user=csm)
        plan_services.kpi_grid_save(plan=plan, changes=[(kpi, {"blocked": True})], user=csm)
    notification = Notification.objects.get()
    assert notification.user == owner.user
    assert notification.text == f"The KPI “Weekly users” of {plan.name} turned Blocked"
    assert len(mail.outbox) == 1


def test_a_plan_task_assignment_tells_each_new_resource(csm):
    plan = SuccessPlanFactory()
    first, second = ResourceFactory(), ResourceFactory()
    task = plan_services.task_create(
        plan=plan, data={"name": "Kick-off", "resources": [first]}, user=csm
    )
    plan_services.task_update(task=task, data={"resources": [first, second]}, user=csm)
    assert sorted(Notification.objects.values_list("user", flat=True)) == sorted(
        [first.user_id, second.user_id]
    )
    url = reverse("successplans:task-detail", args=[task.pk])
    assert set(Notification.objects.values_list("url", "event")) == {(url, Kind.TASK_ASSIGNED)}


@pytest.mark.parametrize(
    ("delivery", "mail_state", "mailed"),
    [
        (Delivery.IMMEDIATELY, Notification.Mail.SENT, 1),
        (Delivery.DIGEST, Notification.Mail.DIGEST, 0),
        (Delivery.OFF, Notification.Mail.NONE, 0),
    ],
)
def test_the_preference_decides_the_mail_never_the_in_app_row(
    agent, other_agent, case, committed, delivery, mail_state, mailed
):
    NotificationPreference.objects.create(
        user=other_agent, event=Kind.TASK_ASSIGNED, delivery=delivery
    )
    with committed():
        assign_task(case, by=agent, to=other_agent)
    notification = Notification.objects.get(user=other_agent)
    assert notification.mail == mail_state
    assert len(mail.outbox) == mailed


def test_a_plan_made_with_tasks_tells_each_resource_once_how_many_are_theirs(csm):
    from core.events import emit
    from tests.successplans.factories import PlaybookTaskFactory

    first, second = ResourceFactory(), ResourceFactory()
    mine = ResourceFactory(user=csm)
    plan = SuccessPlanFactory(name="Adoption plan")
    PlaybookTaskFactory(plan=plan, resources=[first, second, mine])
    PlaybookTaskFactory(plan=plan, resources=[first])
    emit("plan.created", actor_id=csm.pk, plan_id=plan.pk)
    told = dict(Notification.objects.values_list("user", "text"))
    who = csm.get_full_name()
    assert told == {
        first.user_id: f"{who} assigned you 2 playbook tasks of Adoption plan",
        second.user_id: f"{who} assigned you a playbook task of Adoption plan",
    }
