import pytest

from engagements.models import Engagement
from tests.conftest import ROLE_FIXTURES
from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.factories import UserFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import PlaybookTaskFactory
from tests.successplans.factories import SuccessPlanFactory


@pytest.fixture
def account(db):
    account = AccountFactory(name="Contoso Health", industry="Healthcare")
    EngagementFactory(account=account, name="Clinical rollout", state=Engagement.State.DEFINE)
    EngagementFactory(account=account, name="FY27 renewal", stage=Engagement.Stage.RENEW)
    return account


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_it_shows_the_account_and_its_engagements(client_for, account, who):
    response = client_for(who).get(account.get_absolute_url())
    assert response.status_code == 200
    assert "Contoso Health" in response.text
    assert "Clinical rollout" in response.text
    assert "FY27 renewal" in response.text
    assert "Engagements (2)" in response.text


def test_it_does_not_list_other_accounts_engagements(client_for, account):
    EngagementFactory(name="Someone else's work")
    response = client_for("agent").get(account.get_absolute_url())
    assert [e.name for e in response.context["engagements"]] == ["Clinical rollout", "FY27 renewal"]
    assert "Clinical rollout" in response.text
    assert "Someone else&#x27;s work" not in response.text


def test_it_lists_the_accounts_success_plans(client_for, account):
    plan = SuccessPlanFactory(account=account, name="Clinical adoption")
    SuccessPlanFactory(name="Someone else's plan")
    response = client_for("participant").get(account.get_absolute_url())
    assert "<h2>Success plans</h2>" in response.text
    assert f'<a href="{plan.get_absolute_url()}">Clinical adoption</a>' in response.text
    assert "Someone else&#x27;s plan" not in response.text


def test_only_customer_success_gets_create_success_plan(client_for, account):
    action = f'href="/plans/create/?account={account.pk}">Create Success Plan</a>'
    assert action in client_for("csm").get(account.get_absolute_url()).text
    for who in ["participant", "agent", "manager"]:
        assert "Create Success Plan" not in client_for(who).get(account.get_absolute_url()).text


@pytest.mark.parametrize("rows", [2, 30])
def test_query_count_does_not_grow_with_engagements(
    client_for, django_assert_max_num_queries, rows
):
    account = AccountFactory(owner=UserFactory())
    EngagementFactory.create_batch(rows, account=account, owner=UserFactory())
    for plan in SuccessPlanFactory.create_batch(rows, account=account):
        ObjectiveKPIFactory(objective=ObjectiveFactory(plan=plan), blocked=True)
        PlaybookTaskFactory(plan=plan, status="completed")
    client = client_for("csm")
    # The 360: session, user (with their permissions and roles); the active measures with the
    # thresholds, the account with its score's inputs, manual values, trend, contacts, four
    # panels (the plans' KPI badges and progress counted in the plans' query) and the
    # timeline (one UNION ALL of its sources); the same at any size.
    with django_assert_max_num_queries(15):
        assert client.get(account.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("readings", [1, 12])
def test_an_account_with_manual_readings_and_an_override_stays_in_budget(
    client_for, django_assert_max_num_queries, readings
):
    """The health panel with a manual measure's readings and an override in force reads the
    same queries as without them (the override comes with the account's score inputs)."""
    from datetime import timedelta

    from django.utils import timezone

    from health import services as health_services
    from health.models import Measure
    from health.models import Rule

    account = AccountFactory(owner=UserFactory())
    csm = UserFactory()
    measure, _ = Measure.objects.get_or_create(
        name="Sentiment", defaults={"rule": Rule.MANUAL, "weight": 10, "active": True}
    )
    for n in range(readings):
        health_services.manual_value_set(
            account=account, measure_id=measure.pk, value="red", note=f"Call {n}", user=csm
        )
    health_services.override_set(
        account=account,
        score=40,
        reason="Renewal at risk",
        expires_on=timezone.localdate() + timedelta(days=30),
        user=csm,
    )
    client = client_for("csm")
    with django_assert_max_num_queries(15):
        response = client.get(account.get_absolute_url())
    assert response.status_code == 200
    assert "Renewal at risk" in response.text
