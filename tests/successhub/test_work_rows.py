"""My Work's panels read as values (playbooks.work_rows, engagements.rows): each cell prints
what the record's own methods and Django's filters print, in any time zone."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

import pytest
from django.template.defaultfilters import date as django_date
from django.utils import timezone

from core.formatting import badge_class
from core.formatting import person
from core.roles import Role
from engagements import selectors as engagement_selectors
from engagements.models import Account
from engagements.models import Engagement
from engagements.rows import account_rows
from engagements.rows import engagement_rows
from playbooks import selectors
from playbooks import services
from playbooks.models import CaseTask
from playbooks.models import SuccessCase
from playbooks.work_rows import work_case_rows
from playbooks.work_rows import work_task_rows
from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.factories import UserFactory

ZONES = ["Pacific/Kiritimati", "Pacific/Pago_Pago"]


@pytest.fixture
def work(agent):
    """Three open cases of the agent (one without a description, one whose activities are all
    resolved, one opened 40 hours ago), the agent in another's squad, four open tasks."""
    other = UserFactory(
        username="t-other", first_name="Ada", last_name="Lovelace", roles=[Role.SUCCESS_AGENT]
    )
    cases = [
        services.success_case_create(engagement=EngagementFactory(), user=agent).case
        for _ in range(3)
    ]
    squad_case = services.success_case_create(engagement=EngagementFactory(), user=other).case
    squad_case.squad.add(agent)
    SuccessCase.objects.filter(pk=cases[0].pk).update(short_description="")
    SuccessCase.objects.filter(pk=cases[1].pk).update(
        opened_at=timezone.now() - timedelta(hours=40)
    )
    cases[2].activities.update(state="complete")
    today = timezone.localdate()
    for days in (-3, 2, 12, None):
        task = services.task_create(
            case_pk=cases[0].pk,
            user=agent,
            data={"short_description": f"due {days}", "assigned_to": agent},
        )
        due = None if days is None else today + timedelta(days=days)
        CaseTask.objects.filter(pk=task.pk).update(due_date=due, state="in_progress")
    return agent


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("squad", [False, True])
def test_each_case_row_prints_what_its_case_prints(work, zone, squad):
    read = selectors.my_squad_cases if squad else selectors.my_open_cases
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        today = timezone.localdate()
        rows = work_case_rows(read(work), today=today)
        cases = list(read(work).select_related("engagement__account", "assigned_to"))
    assert len(rows) == (1 if squad else 3)
    for row, case in zip(rows, cases, strict=True):
        assert (row.number, row.url) == (case.number, case.get_absolute_url())
        assert row.short_description == (case.short_description or "—")
        assert (row.account_name, row.account_url) == (
            case.engagement.account.name,
            case.engagement.account.get_absolute_url(),
        )
        assert row.assigned_to == person(case.assigned_to)
        assert row.phase == case.get_phase_display()
        assert row.current_activity == (case.current_activity or "—")
        local = timezone.localtime(case.opened_at, zoneinfo.ZoneInfo(zone))
        assert row.opened == django_date(local, "M j, Y")
        assert row.age_days == (today - local.date()).days
    if not squad:
        assert {row.current_activity for row in rows} >= {"—", "Enter core information"}
        assert "—" in {row.short_description for row in rows}
    else:
        assert rows[0].assigned_to == "Ada Lovelace"


@pytest.mark.parametrize("zone", ZONES)
def test_each_task_row_prints_what_its_task_prints(work, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        today = timezone.localdate()
        rows = work_task_rows(selectors.my_open_tasks(work), today=today, week_days=7)
    tasks = list(selectors.my_open_tasks(work))
    assert [row.short_description for row in rows] == ["due -3", "due 2", "due 12", "due None"]
    for row, task in zip(rows, tasks, strict=True):
        assert (row.number, row.url) == (task.number, task.get_absolute_url())
        assert (row.case_number, row.case_url) == (task.case.number, task.case.get_absolute_url())
        assert (row.state_label, row.state_class) == (
            task.get_state_display(),
            badge_class(task.state),
        )
        due = task.due_date
        assert row.due == (django_date(due, "M j, Y") if due else "—")
        assert row.days_overdue == ((today - due).days if due and due < today else 0)
        assert row.due_this_week == (due is not None and 0 <= (due - today).days <= 7)
    assert rows[0].days_overdue >= 2 and rows[1].due_this_week and not rows[2].due_this_week


def test_each_engagement_and_account_row_prints_what_its_record_prints(agent):
    account = AccountFactory(owner=agent, tier=Account.Tier.ENTERPRISE)
    EngagementFactory(account=account, owner=agent, state=Engagement.State.IN_PROGRESS)
    EngagementFactory(account=account, owner=agent, end_date=None)
    owned = engagement_selectors.owned_by(agent)
    rows = engagement_rows(owned["engagements"])
    engagements = list(owned["engagements"])
    assert len(rows) == 2
    for row, engagement in zip(rows, engagements, strict=True):
        assert (row.name, row.url) == (engagement.name, engagement.get_absolute_url())
        assert (row.account_name, row.account_url) == (
            engagement.account.name,
            engagement.account.get_absolute_url(),
        )
        assert row.stage == engagement.get_stage_display()
        assert (row.state_label, row.state_class) == (
            engagement.get_state_display(),
            badge_class(engagement.state),
        )
        end = engagement.end_date
        assert row.end == (django_date(end, "M j, Y") if end else "—")
    assert "—" in {row.end for row in rows}
    [shown] = account_rows(owned["accounts"])
    assert (shown.name, shown.url, shown.tier, shown.engagement_count) == (
        account.name,
        account.get_absolute_url(),
        account.get_tier_display(),
        2,
    )
