"""The stored current score (``AccountHealth``) the accounts list reads: written by the
services, the daily snapshot, the task the domain events schedule, and an admin's change."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.events import emit
from health.models import AccountHealth
from health.models import Measure
from health.services import health_refresh
from health.services import manual_value_set
from health.services import override_set
from health.services import snapshot_health
from tests.factories import AccountFactory
from tests.factories import UserFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import SuccessPlanFactory

pytestmark = pytest.mark.django_db
LIST = reverse("engagements:account-list")


def _stored(account) -> int | None:
    row = AccountHealth.objects.filter(account=account).first()
    return row.score if row else None


def _listed(client, account) -> int:
    page = client.get(LIST, {"q": account.name}).context["page"]
    return next(a.health_score for a in page if a.pk == account.pk)


def test_setting_sentiment_red_stores_the_score_the_page_shows(client_for):
    account = AccountFactory(name="Contoso Health")
    client = client_for("csm")
    data = {"measure": Measure.objects.get(name="Sentiment").pk, "value": "red", "note": "Sad"}
    url = reverse("engagements:account-health-manual", args=[account.pk])
    assert client.post(url, data).status_code == 302
    page = client.get(account.get_absolute_url()).context["health"]
    assert page.score == 85 == _stored(account) == _listed(client, account)


def test_an_override_is_stored_as_overridden():
    account, user = AccountFactory(), UserFactory()
    until = timezone.localdate() + timedelta(days=3)
    override_set(account=account, score=30, reason="Sponsor left", expires_on=until, user=user)
    row = AccountHealth.objects.get(account=account)
    assert (row.score, row.computed, row.overridden) == (30, 100, True)


def test_a_refused_manual_value_stores_nothing():
    account = AccountFactory()
    with pytest.raises(Exception, match="note is required"):
        manual_value_set(
            account=account,
            measure_id=Measure.objects.get(name="Sentiment").pk,
            value="red",
            note=" ",
            user=UserFactory(),
        )
    assert not AccountHealth.objects.exists()


def test_a_kpi_event_refreshes_its_account_after_the_commit(
    client_for, django_capture_on_commit_callbacks
):
    account = AccountFactory(name="Tailspin Toys")
    health_refresh(account_ids=[account.pk])
    plan = SuccessPlanFactory(account=account)
    kpi = ObjectiveKPIFactory(objective=ObjectiveFactory(plan=plan), blocked=True)
    assert _stored(account) == 100  # stale: the KPI was written without a service
    with django_capture_on_commit_callbacks(execute=True):
        emit(
            "kpi.badge_changed",
            actor_id=None,
            kpi_id=kpi.pk,
            plan_id=plan.pk,
            previous=None,
            badge="Blocked",
        )
    client = client_for("manager")
    page = client.get(account.get_absolute_url()).context["health"]
    assert page.score == 75 == _stored(account) == _listed(client, account)


def test_an_event_whose_change_rolls_back_refreshes_nothing(django_capture_on_commit_callbacks):
    account = AccountFactory()
    plan = SuccessPlanFactory(account=account)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        emit("plan.created", actor_id=None, plan_id=plan.pk)
    assert len(callbacks) == 1  # scheduled for the commit, nothing read or written now
    assert not AccountHealth.objects.exists()


def test_one_request_schedules_one_refresh_per_record(django_capture_on_commit_callbacks):
    """In a request's event scope a plan's value and badge changes (two events, here twice)
    schedule its account's refresh once; outside a scope each event schedules one."""
    from core import events

    plan = SuccessPlanFactory(account=AccountFactory())
    with django_capture_on_commit_callbacks(execute=False) as callbacks, events.scope():
        for name in ("kpi.value_changed", "kpi.badge_changed") * 2:
            emit(name, actor_id=None, kpi_id=1, plan_id=plan.pk, previous=None, value=1, badge="")
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        emit("plan.created", actor_id=None, plan_id=plan.pk)
        emit("plan.created", actor_id=None, plan_id=plan.pk)
    assert len(callbacks) == 2


def test_the_snapshot_stores_every_accounts_current_score():
    accounts = AccountFactory.create_batch(3)
    snapshot_health()
    assert sorted(AccountHealth.objects.values_list("account_id", "score")) == sorted(
        (a.pk, 100) for a in accounts
    )


def test_an_admins_weight_change_rescores_every_account(
    admin_client, django_capture_on_commit_callbacks
):
    account = AccountFactory()
    manual_value_set(
        account=account,
        measure_id=Measure.objects.get(name="Sentiment").pk,
        value="red",
        note="Escalation",
        user=UserFactory(),
    )
    assert _stored(account) == 85
    measure = Measure.objects.get(name="Sentiment")
    url = f"/admin/health/measure/{measure.pk}/change/"
    data = {"name": "Sentiment", "rule": "manual", "weight": "40", "order": "6", "active": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302
    assert _stored(account) == 60


def _post_comment(world):
    from playbooks.services import journal_post

    journal_post(case_pk=world["case"].pk, user=world["agent"], kind="comment", text="Called")


def _add_task(world):
    from playbooks.services import task_create

    task_create(case_pk=world["case"].pk, user=world["agent"], data={"short_description": "Do"})


def _log_cs_activity(world):
    from successplans.services import activity_create

    data = {"date": timezone.localdate(), "subject": "Call with the sponsor"}
    activity_create(plan=world["plan"], data=data, user=world["csm"])


def _change_facts(world):
    from engagements.services import account_facts_update

    renewal = {"renewal_date": timezone.localdate() + timedelta(days=200)}
    account_facts_update(account=world["account"], data=renewal, user=world["csm"])


def _log_account_activity(world):
    from engagements.services import account_activity_log

    account_activity_log(
        account=world["account"],
        kind="call",
        date=timezone.localdate(),
        text="Quarterly call",
        user=world["csm"],
    )


@pytest.mark.parametrize(
    "write", [_post_comment, _add_task, _log_cs_activity, _change_facts, _log_account_activity]
)
def test_every_write_a_measure_reads_refreshes_the_stored_score(
    write, agent, csm, client_for, django_capture_on_commit_callbacks
):
    """Comments, case tasks, CS activities, account facts and timeline activities schedule the
    account's refresh too: a stale stored score (a KPI blocked without a service) is
    replaced by the live one once the write commits."""
    from playbooks.services import success_case_create
    from tests.factories import EngagementFactory

    account = AccountFactory(name="Tailspin Toys")
    with django_capture_on_commit_callbacks(execute=True):
        case = success_case_create(engagement=EngagementFactory(account=account), user=agent).case
    plan = SuccessPlanFactory(account=account)
    ObjectiveKPIFactory(objective=ObjectiveFactory(plan=plan), blocked=True)
    stale = _stored(account)
    world = {"account": account, "case": case, "plan": plan, "agent": agent, "csm": csm}
    with django_capture_on_commit_callbacks(execute=True):
        write(world)
    live = client_for("manager").get(account.get_absolute_url()).context["health"].score
    assert live != stale
    assert _stored(account) == live
