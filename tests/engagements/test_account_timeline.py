"""The account's timeline: keyset paging, filters, its query cost, and the success-plan record
changes that reach it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.models import AccountActivity
from engagements.models import AccountChange
from health.models import PlanRecordChange
from tests.factories import UserFactory
from tests.successplans.factories import PlaybookTaskFactory
from tests.successplans.factories import SuccessPlanFactory

from .conftest import account_url

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _fill_timeline(account, n: int):
    user = UserFactory()
    for i in range(n):
        AccountChange.objects.create(
            account=account, actor=user, field=f"ARR {i}", new_value=str(i)
        )


def test_the_timeline_pages_by_keyset_without_repeating(client_for, account):
    _fill_timeline(account, 25)
    client = client_for("participant")
    first = client.get(account_url("account-timeline", account))
    titles = [e.title for e in first.context["timeline"].entries]
    assert len(titles) == 20 and "Older entries" in first.text
    cursor = first.context["timeline"].next_cursor
    second = client.get(account_url("account-timeline", account), {"before": cursor})
    more = [e.title for e in second.context["timeline"].entries]
    assert not set(titles) & set(more)
    assert len(titles + more) == 25 + 1  # and the plan's creation
    assert second.context["timeline"].next_cursor is None


def test_the_timeline_filters_by_kind_and_date(client_for, account):
    _fill_timeline(account, 2)
    client = client_for("agent")
    only_plans = client.get(account_url("account-timeline", account), {"kind": "plan"})
    assert [e.kind for e in only_plans.context["timeline"].entries] == ["plan"]
    future = (TODAY() + timedelta(days=5)).isoformat()
    none = client.get(account_url("account-timeline", account), {"start": future})
    assert none.context["timeline"].entries == []
    bad = client.get(account_url("account-timeline", account), {"start": future, "end": TODAY()})
    assert "cannot be before its start" in bad.text


@pytest.mark.parametrize("entries", [3, 60])
def test_the_timeline_costs_the_same_at_any_size(
    client_for, account, entries, django_assert_max_num_queries
):
    _fill_timeline(account, entries)
    client = client_for("csm")
    # session, user (with permissions and roles), account and the timeline: one UNION ALL of its
    # eleven sources
    with django_assert_max_num_queries(7):
        assert client.get(account_url("account-timeline", account)).status_code == 200


def test_the_timeline_pages_through_entries_of_one_day_and_of_moments(client_for, account):
    user = UserFactory()
    for i in range(23):
        AccountActivity.objects.create(
            account=account,
            kind="note",
            date=TODAY() - timedelta(days=i % 2),
            text=f"N{i}",
            author=user,
        )
    _fill_timeline(account, 23)
    client = client_for("csm")
    seen, cursor = [], None
    for _ in range(5):
        params = {"before": cursor} if cursor else {}
        page = client.get(account_url("account-timeline", account), params).context["timeline"]
        seen += [(e.kind, e.rank, e.pk) for e in page.entries]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 23 + 23 + 1


# -- objective, playbook and playbook task changes on the timeline ---------------------------
def _titles(client, account) -> list[str]:
    page = client.get(account_url("account-timeline", account), {"kind": "plan"})
    return [f"{e.title}: {e.text}" for e in page.context["timeline"].entries]


def test_plan_record_changes_reach_the_timeline(client_for, account):
    from successplans import services as plan_services

    plan = account.success_plans.get()
    objective = plan.objectives.get()
    plan_services.objective_update(objective=objective, data={"name": "Adoption in 3 wards"})
    task = plan_services.task_create(plan=plan, data={"name": "Train the leads"})
    client = client_for("csm")
    status = reverse("successplans:task-status", args=[task.pk])
    assert client.post(status, {"status": "completed"}).status_code == 302
    plan_services.record_delete(record=task)
    titles = _titles(client_for("participant"), account)
    assert titles[:4] == [
        "Playbook task deleted: Train the leads (Clinical adoption)",
        "Playbook task Completed: Train the leads (Clinical adoption)",
        "Playbook task added: Train the leads (Clinical adoption)",
        "Objective edited: Adoption in 3 wards (Clinical adoption)",
    ]
    completed = client.get(account_url("account-timeline", account)).context["timeline"].entries[1]
    assert completed.who and completed.url == plan.get_absolute_url()


def test_a_templates_changes_stay_off_every_timeline(client_for, account):
    from successplans import services as plan_services

    template = SuccessPlanFactory(account=account, is_template=True, name="Onboarding")
    plan_services.playbook_create(plan=template, data={"name": "Kick-off"})
    assert not [t for t in _titles(client_for("csm"), account) if "Kick-off" in t]


def test_a_refused_status_change_leaves_no_entry(client_for, account):
    task = PlaybookTaskFactory(plan=account.success_plans.get(), status="completed")
    status = reverse("successplans:task-status", args=[task.pk])
    client_for("csm").post(status, {"status": "completed"})  # done already: refused
    client_for("participant").post(status, {"status": "in_progress"})  # 403
    assert PlanRecordChange.objects.count() == 0
