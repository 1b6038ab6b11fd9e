"""Each built-in rule, with its edge cases: what a measure takes off, computed in SQL."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from engagements.models import Account
from health.models import HealthSettings
from health.models import Rule
from playbooks import services as case_services
from playbooks.models import ClosureCode
from playbooks.models import JournalEntry
from playbooks.models import SuccessCase
from successplans.models import Status
from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.factories import SuccessCaseFactory
from tests.successplans.factories import CSActivityFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import PlaybookTaskFactory
from tests.successplans.factories import SuccessPlanFactory

from .helpers import days_ago
from .helpers import only
from .helpers import points
from .helpers import row

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _kpi(account, plan_status=Status.IN_PROGRESS, **kwargs):
    plan = SuccessPlanFactory(account=account, status=plan_status)
    return ObjectiveKPIFactory(objective=ObjectiveFactory(plan=plan), **kwargs)


# -- KPIs at risk ----------------------------------------------------------------------------
def test_an_account_without_kpis_loses_nothing():
    measure = only(Rule.KPIS_AT_RISK, weight=20)
    assert points(AccountFactory(), measure) == 0


def test_it_takes_off_the_share_of_kpis_overdue_or_blocked():
    measure = only(Rule.KPIS_AT_RISK, weight=20)
    account = AccountFactory()
    _kpi(account, blocked=True)
    _kpi(account, due_date=TODAY() - timedelta(days=1))  # Overdue: 40 of 80, past due
    _kpi(account)  # In Progress
    _kpi(account, current=Decimal("90"), due_date=TODAY() - timedelta(days=1))  # Completed
    assert (row(account).hx_kpis_at_risk, row(account).hx_kpis) == (2, 4)
    assert points(account, measure) == 10


def test_kpis_of_completed_plans_and_templates_do_not_count():
    measure = only(Rule.KPIS_AT_RISK, weight=20)
    account = AccountFactory()
    _kpi(account, plan_status=Status.COMPLETED, blocked=True)
    _kpi(account, plan_status=Status.CANCELED, blocked=True)
    assert points(account, measure) == 0


def test_a_lower_is_better_kpi_below_target_is_not_overdue():
    measure = only(Rule.KPIS_AT_RISK, weight=20)
    account = AccountFactory()
    _kpi(
        account,
        direction="lower",
        current=Decimal("5"),
        target=Decimal("8"),
        due_date=TODAY() - timedelta(days=3),
    )
    assert points(account, measure) == 0


# -- overdue tasks ---------------------------------------------------------------------------
def test_no_tasks_no_points():
    assert points(AccountFactory(), only(Rule.OVERDUE_TASKS, target=4)) == 0


def test_overdue_case_and_playbook_tasks_count_up_to_the_target(agent):
    measure = only(Rule.OVERDUE_TASKS, weight=20, target=4)
    account = AccountFactory()
    case = SuccessCaseFactory(engagement=EngagementFactory(account=account), user=agent)
    case_services.task_create(
        case_pk=case.pk,
        user=agent,
        data={"short_description": "Send the recap", "due_date": TODAY() - timedelta(days=2)},
    )
    plan = SuccessPlanFactory(account=account, effective_date=TODAY() - timedelta(days=60))
    PlaybookTaskFactory(plan=plan, end_date=TODAY() - timedelta(days=1))
    PlaybookTaskFactory(plan=plan, end_date=TODAY() - timedelta(days=1), status=Status.COMPLETED)
    assert points(account, measure) == 10  # 2 of 4
    PlaybookTaskFactory.create_batch(5, plan=plan, end_date=TODAY() - timedelta(days=1))
    assert points(account, measure) == 20  # capped at the weight


# -- oldest open case ------------------------------------------------------------------------
@pytest.mark.parametrize(("age", "lost"), [(None, 0), (10, 0), (40, 10), (70, 20)])
def test_the_oldest_open_case_against_the_target(agent, age, lost):
    measure = only(Rule.OLDEST_CASE, weight=20, target=30)
    account = AccountFactory()
    if age is not None:
        case = SuccessCaseFactory(engagement=EngagementFactory(account=account), user=agent)
        SuccessCase.objects.filter(pk=case.pk).update(opened_at=days_ago(age))
    assert points(account, measure) == lost


# -- days since the last activity ------------------------------------------------------------
def test_a_new_account_is_not_inactive():
    assert points(AccountFactory(), only(Rule.INACTIVITY, target=14)) == 0


@pytest.mark.parametrize(("days", "lost"), [(3, 0), (20, 10), (40, 20)])
def test_days_since_the_last_cs_activity(days, lost):
    measure = only(Rule.INACTIVITY, weight=20, target=14)
    account = AccountFactory()
    Account.objects.filter(pk=account.pk).update(created_at=days_ago(400))
    plan = SuccessPlanFactory(account=account)
    CSActivityFactory(plan=plan, date=TODAY() - timedelta(days=days))
    assert points(account, measure) == lost


def test_an_old_account_without_any_activity_loses_the_whole_weight():
    measure = only(Rule.INACTIVITY, weight=20, target=14)
    account = AccountFactory()
    Account.objects.filter(pk=account.pk).update(created_at=days_ago(100))
    assert points(account, measure) == 20
    assert "No activity yet" in _why(account, measure)


def test_a_work_note_counts_as_activity(agent):
    measure = only(Rule.INACTIVITY, weight=20, target=14)
    account = AccountFactory()
    Account.objects.filter(pk=account.pk).update(created_at=days_ago(100))
    case = SuccessCaseFactory(engagement=EngagementFactory(account=account), user=agent)
    SuccessCase.objects.filter(pk=case.pk).update(opened_at=days_ago(100))
    case.journal.update(created_at=days_ago(100))
    JournalEntry.objects.create(case=case, kind="work_note", author=agent, body="Called IT")
    assert points(account, measure) == 0


# -- unsuccessful closures -------------------------------------------------------------------
def _closed(account, agent, code_name: str, days: int = 10):
    case = SuccessCaseFactory(engagement=EngagementFactory(account=account), user=agent)
    SuccessCase.objects.filter(pk=case.pk).update(
        phase="closed",
        playbook_state="completed",
        closure_code=ClosureCode.objects.get(name=code_name),
        close_notes="Done",
        closed_at=days_ago(days),
        closed_by=agent,
    )


def test_no_closed_cases_no_points():
    assert points(AccountFactory(), only(Rule.UNSUCCESSFUL_CLOSURES)) == 0


def test_the_share_of_unsuccessful_closures_in_90_days(agent):
    measure = only(Rule.UNSUCCESSFUL_CLOSURES, weight=20)
    account = AccountFactory()
    _closed(account, agent, "Outcome achieved")
    _closed(account, agent, "Outcome not achieved")
    _closed(account, agent, "Outcome not achieved", days=120)  # too long ago
    assert points(account, measure) == 10
    # Admins decide which codes count: without any, nothing is unsuccessful.
    HealthSettings.objects.get().unsuccessful_codes.clear()
    assert points(account, measure) == 0


# -- renewal with Blocked KPIs ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("renewal_in", "blocked", "lost"),
    [(30, True, 20), (0, True, 20), (30, False, 0), (120, True, 0), (-1, True, 0), (None, True, 0)],
)
def test_renewal_near_with_blocked_kpis(renewal_in, blocked, lost):
    measure = only(Rule.RENEWAL_BLOCKED, weight=20, target=90)
    renewal = None if renewal_in is None else TODAY() + timedelta(days=renewal_in)
    account = AccountFactory(renewal_date=renewal)
    _kpi(account, blocked=blocked)
    assert points(account, measure) == lost


def test_a_passed_renewal_says_so():
    measure = only(Rule.RENEWAL_BLOCKED, weight=20, target=90)
    account = AccountFactory(renewal_date=TODAY() - timedelta(days=5))
    assert _why(account, measure) == "Renewal date passed 5 days ago"


def _why(account, measure) -> str:
    from health.selectors import explain

    return next(line.why for line in explain(account).lines if line.measure == measure)
