"""``manage.py send_reminders``: due tomorrow, overdue, Overdue KPIs, the digest and pruning,
once a day whatever the number of runs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Delivery
from notifications.models import Kind
from notifications.models import Notification
from notifications.models import NotificationPreference
from notifications.models import Reminder
from notifications.reminders import send_reminders
from tests.factories import ResourceFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import PlaybookTaskFactory
from tests.successplans.factories import SuccessPlanFactory

from .conftest import assign_task


def run(committed) -> str:
    out = StringIO()
    with committed():
        call_command("send_reminders", stdout=out)
    return out.getvalue()


@pytest.fixture
def today(db):
    return timezone.localdate()


def due_task(case, agent, other_agent, day):
    task = assign_task(case, by=agent, to=other_agent, title="Send the renewal quote")
    task.due_date = day
    task.save(update_fields=["due_date"])
    Notification.objects.all().delete()  # the assignment's notification
    return task


def test_a_task_due_tomorrow_is_told_once_however_often_it_runs(
    agent, other_agent, case, committed, today
):
    task = due_task(case, agent, other_agent, today + timedelta(days=1))
    NotificationPreference.objects.create(
        user=other_agent, event=Kind.TASK_DUE, delivery=Delivery.IMMEDIATELY
    )
    first = run(committed)
    second = run(committed)

    notification = Notification.objects.get()
    assert notification.user == other_agent and notification.event == Kind.TASK_DUE
    assert f"The task {task.number} Send the renewal quote is due tomorrow" in notification.text
    assert len(mail.outbox) == 1
    assert "Due tomorrow: 1" in first
    assert "Due tomorrow: 0" in second and "already done: 1" in second


def test_an_overdue_task_is_told_once_and_announced(agent, other_agent, case, committed, today):
    due_task(case, agent, other_agent, today - timedelta(days=2))
    run(committed)
    run(committed)
    assert list(Notification.objects.values_list("user", "event")) == [
        (other_agent.pk, Kind.TASK_OVERDUE)
    ]


def test_a_task_overdue_for_longer_than_a_week_is_old_news(
    agent, other_agent, case, committed, today
):
    due_task(case, agent, other_agent, today - timedelta(days=8))
    run(committed)
    assert not Notification.objects.exists()


def test_a_playbook_task_due_tomorrow_tells_each_resource(committed, today):
    first, second = ResourceFactory(), ResourceFactory()
    plan = SuccessPlanFactory(effective_date=today - timedelta(days=10))
    PlaybookTaskFactory(
        plan=plan,
        start_date=today - timedelta(days=5),
        end_date=today + timedelta(days=1),
        resources=[first, second],
    )
    run(committed)
    run(committed)
    assert sorted(Notification.objects.values_list("user", flat=True)) == sorted(
        [first.user_id, second.user_id]
    )


def test_a_kpi_whose_due_date_passed_tells_the_owner_once(committed, today):
    owner = ResourceFactory()
    plan = SuccessPlanFactory(owner=owner, effective_date=today - timedelta(days=60))
    ObjectiveKPIFactory(
        objective=ObjectiveFactory(plan=plan),
        name="Weekly users",
        current=Decimal("40"),
        target=Decimal("80"),
        due_date=today - timedelta(days=1),
    )
    ObjectiveKPIFactory(  # reached its target: Completed, not Overdue
        objective=ObjectiveFactory(plan=plan),
        current=Decimal("90"),
        target=Decimal("80"),
        due_date=today - timedelta(days=1),
    )
    run(committed)
    run(committed)
    notification = Notification.objects.get()
    assert notification.user == owner.user
    assert notification.text == f"The KPI “Weekly users” of {plan.name} turned Overdue"


def test_the_daily_digest_is_one_mail_once_a_day(agent, other_agent, case, committed):
    NotificationPreference.objects.create(
        user=other_agent, event=Kind.TASK_ASSIGNED, delivery=Delivery.DIGEST
    )
    with committed():
        assign_task(case, by=agent, to=other_agent, title="First")
        assign_task(case, by=agent, to=other_agent, title="Second")
    assert mail.outbox == []

    run(committed)
    run(committed)

    [digest] = mail.outbox
    assert digest.to == [other_agent.email]
    assert "daily digest (2)" in digest.subject
    assert "First" in digest.body and "Second" in digest.body
    assert set(Notification.objects.values_list("mail", flat=True)) == {Notification.Mail.SENT}
    assert Reminder.objects.filter(user=other_agent, key="digest").count() == 1


def test_notifications_older_than_90_days_are_pruned(agent, committed):
    old = Notification.objects.create(user=agent, event=Kind.TASK_DUE, text="Old")
    Notification.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=91))
    recent = Notification.objects.create(user=agent, event=Kind.TASK_DUE, text="Recent")
    out = run(committed)
    assert list(Notification.objects.all()) == [recent]
    assert "pruned: 1" in out


def test_a_second_run_at_the_same_time_inserts_nothing(agent, other_agent, case, today):
    """The unique constraint, not a check: a reminder row already there stops the notify."""
    task = due_task(case, agent, other_agent, today + timedelta(days=1))
    Reminder.objects.create(user=other_agent, key=f"due:case_task:{task.pk}", day=task.due_date)
    summary = send_reminders(today=today)
    assert summary.due == 0 and summary.skipped == 1
    assert not Notification.objects.exists()


def test_a_bad_date_is_a_clear_error(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", today="tomorrow")
