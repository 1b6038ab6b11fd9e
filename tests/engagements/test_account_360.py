"""The account page as the 360: health explained, manual measures, overrides, facts, contacts,
activities, the list and starting a case or plan from it, per role (the timeline:
test_account_timeline.py)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.models import Account
from engagements.models import AccountActivity
from engagements.models import AccountChange
from engagements.models import Contact
from health.models import ManualValue
from health.models import Measure
from health.models import Override
from health.models import Snapshot
from health.services import health_refresh
from tests.conftest import ROLE_FIXTURES
from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.factories import UserFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import PlaybookTaskFactory

from .conftest import account_url

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _sentiment() -> Measure:
    return Measure.objects.get(name="Sentiment")


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_every_role_reads_why_the_score_is_what_it_is(client_for, account, who):
    response = client_for(who).get(account.get_absolute_url())
    assert response.status_code == 200
    # KPIs at risk: 1 of 2 Blocked, half of 25 points (12.5 rounds up)
    assert "1 of 2 active KPIs Overdue or Blocked" in response.text
    assert "\N{MINUS SIGN}13" in response.text
    assert response.context["health"].score == 87


def test_csm_sets_sentiment_red_and_sees_score_and_timeline_change(client_for, account):
    client = client_for("csm")
    data = {"measure": _sentiment().pk, "value": "red", "note": "Sponsor unhappy with rollout"}
    response = client.post(account_url("account-health-manual", account), data)
    assert response.status_code == 302
    page = client.get(account.get_absolute_url())
    assert page.context["health"].score == 87 - 15
    assert "Red: Sponsor unhappy with rollout" in page.text
    assert "Sentiment set red" in page.text


def test_a_manual_value_without_note_is_refused_next_to_the_field(client_for, account):
    data = {"measure": _sentiment().pk, "value": "red", "note": ""}
    response = client_for("csm").post(account_url("account-health-manual", account), data)
    assert response.status_code == 200
    assert "Say why: a note is required." in response.text
    assert not ManualValue.objects.exists()


@pytest.mark.parametrize("who", ["agent", "participant", "manager"])
def test_only_customer_success_sets_manual_measures_and_overrides(client_for, account, who):
    client = client_for(who)
    data = {"measure": _sentiment().pk, "value": "red", "note": "No"}
    assert client.post(account_url("account-health-manual", account), data).status_code == 403
    override = {"score": 20, "reason": "No", "expires_on": TODAY().isoformat()}
    assert client.post(account_url("account-health-override", account), override).status_code == 403
    assert client.post(account_url("account-facts", account), {"arr": "1"}).status_code == 403
    assert not ManualValue.objects.exists() and not Override.objects.exists()
    assert Account.objects.get(pk=account.pk).arr is None
    page = client.get(account.get_absolute_url()).text
    assert "Override the score" not in page and "Edit facts" not in page


def test_an_override_is_shown_as_overridden_and_logged(client_for, account):
    client = client_for("csm")
    until = TODAY() + timedelta(days=14)
    data = {"score": "35", "reason": "Executive sponsor left", "expires_on": until.isoformat()}
    assert client.post(account_url("account-health-override", account), data).status_code == 302
    page = client.get(account.get_absolute_url())
    assert page.context["health"].score == 35
    assert "Overridden" in page.text
    assert "Executive sponsor left" in page.text
    assert "Health score overridden" in page.text  # on the timeline


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"score": "35", "reason": "", "days": 3}, "a reason is required"),
        ({"score": "35", "reason": "Sponsor left", "days": -1}, "cannot be in the past"),
        ({"score": "high", "reason": "Sponsor left", "days": 3}, "whole number from 0 to 100"),
    ],
)
def test_a_bad_override_saves_nothing(client_for, account, data, message):
    expires = (TODAY() + timedelta(days=data.pop("days"))).isoformat()
    response = client_for("csm").post(
        account_url("account-health-override", account), {**data, "expires_on": expires}
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Override.objects.exists()


def test_csm_edits_facts_and_the_change_is_logged(client_for, account):
    client = client_for("csm")
    renewal = TODAY() + timedelta(days=45)
    data = {
        "arr": "250000",
        "currency": "EUR",
        "renewal_date": renewal.isoformat(),
        "tier": "strategic",
        "lifecycle_stage": "renew",
        "csm": "",
    }
    assert client.post(account_url("account-facts", account), data).status_code == 302
    account.refresh_from_db()
    assert (account.currency, account.renewal_date, account.tier) == ("EUR", renewal, "strategic")
    page = client.get(account.get_absolute_url()).text
    assert "in 45 days" in page
    assert "EUR 250,000" in page
    assert AccountChange.objects.filter(account=account, field="Lifecycle stage").exists()


def test_facts_that_are_not_numbers_are_refused(client_for, account):
    data = {"arr": "lots", "currency": "USD", "tier": "smb", "lifecycle_stage": "adoption"}
    response = client_for("csm").post(account_url("account-facts", account), data)
    assert response.status_code == 200
    assert "Enter an amount, e.g. 120000." in response.text
    assert Account.objects.get(pk=account.pk).tier == "commercial"


def test_csm_adds_a_contact_and_a_malformed_email_is_refused(client_for, account):
    client = client_for("csm")
    bad = {"name": "Lee Park", "email": "lee@", "role": "sponsor"}
    response = client.post(account_url("account-contact-new", account), bad)
    assert "Enter an email address like jane@example.com." in response.text
    assert not Contact.objects.exists()
    good = {**bad, "email": "lee@contoso.com", "is_primary": "on"}
    assert client.post(account_url("account-contact-new", account), good).status_code == 302
    page = client.get(account.get_absolute_url()).text
    assert "lee@contoso.com" in page and "Primary" in page
    assert "Contact added" in page


def test_csm_logs_an_activity_on_the_timeline(client_for, account):
    client = client_for("csm")
    contact = Contact.objects.create(account=account, name="Lee Park")
    data = {
        "kind": "meeting",
        "date": TODAY().isoformat(),
        "contacts": [contact.pk],
        "text": "QBR with the clinical team",
    }
    assert client.post(account_url("account-activity-new", account), data).status_code == 302
    activity = AccountActivity.objects.get()
    assert list(activity.contacts.all()) == [contact]
    page = client.get(account.get_absolute_url()).text
    assert "QBR with the clinical team" in page


# -- the list ---------------------------------------------------------------------------------
def _scored_accounts():
    user = UserFactory()
    healthy, shaky, poor = (AccountFactory(name=n) for n in ["Healthy", "Shaky", "Poor"])
    for account, value in [(shaky, "amber"), (poor, "red")]:
        ManualValue.objects.create(
            account=account, measure=_sentiment(), value=value, note="Call", set_by=user
        )
    Override.objects.create(
        account=poor, score=20, reason="Churn risk", expires_on=TODAY(), set_by=user
    )
    Snapshot.objects.create(
        account=poor, day=TODAY() - timedelta(days=30), score=80, computed=80, colour="green"
    )
    # Written without the services: store the scores as the daily snapshot would.
    health_refresh(account_ids=[healthy.pk, shaky.pk, poor.pk])
    return healthy, shaky, poor


def test_the_list_sorts_by_score_and_filters_by_colour_and_drop(client_for):
    _scored_accounts()
    client = client_for("manager")
    url = reverse("engagements:account-list")
    by_score = client.get(url, {"sort": "score"}).context["page"]
    assert [(a.name, a.health_score) for a in by_score] == [
        ("Poor", 20),
        ("Shaky", 92),
        ("Healthy", 100),
    ]
    assert [a.name for a in client.get(url, {"colour": "red"}).context["page"]] == ["Poor"]
    assert [a.name for a in client.get(url, {"dropped": "true"}).context["page"]] == ["Poor"]


def test_the_csv_export_has_the_scores_and_neutralises_formulas(client_for):
    _scored_accounts()
    AccountFactory(name='=HYPERLINK("http://x")')
    response = client_for("participant").get(
        reverse("engagements:account-export"), {"sort": "score"}
    )
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Account" and rows[0][9] == "Health score"
    assert rows[1][:1] + rows[1][9:] == ["Poor", "20", "red", "-60"]
    assert ['\'=HYPERLINK("http://x")'] in [r[:1] for r in rows]


def test_a_user_without_role_cannot_export(client_for):
    assert client_for("no_role_user").get(reverse("engagements:account-export")).status_code == 403


# -- starting from the account page ---------------------------------------------------------
NEW_CASE = reverse("playbooks:case-new")


def test_new_success_case_from_the_account_chooses_its_one_open_engagement(client_for, account):
    engagement = EngagementFactory(account=account, name="Clinical rollout")
    client = client_for("agent")
    page = client.get(account.get_absolute_url()).text
    assert f'href="{NEW_CASE}?account={account.pk}"' in page
    form = client.get(NEW_CASE, {"account": account.pk}).context["form"]
    assert form.initial["engagement"] == engagement.pk


def test_new_success_case_lists_the_accounts_engagements_when_it_has_several(client_for, account):
    EngagementFactory(account=account, name="Clinical rollout")
    EngagementFactory(account=account, name="Billing integration")
    EngagementFactory(name="Someone else's")
    response = client_for("agent").get(NEW_CASE, {"account": account.pk})
    assert "engagement" not in response.context["form"].initial
    assert 'value="Contoso Health"' in response.text  # the search box holds the account
    assert "Clinical rollout" in response.text and "Billing integration" in response.text
    assert "Someone else" not in response.text


@pytest.mark.parametrize("value", ["abc", "99999", "9" * 30, ""])
def test_new_success_case_ignores_an_unknown_or_malformed_account(client_for, value):
    response = client_for("agent").get(NEW_CASE, {"account": value})
    assert response.status_code == 200
    assert "engagement" not in response.context["form"].initial


def test_new_success_case_from_an_account_is_refused_without_the_role(client_for, account):
    EngagementFactory(account=account)
    assert client_for("participant").get(NEW_CASE, {"account": account.pk}).status_code == 403
    assert "New success case" not in client_for("participant").get(account.get_absolute_url()).text


def test_create_success_plan_starts_with_the_account(client_for, account):
    page = client_for("csm").get(account.get_absolute_url()).text
    assert f"{reverse('successplans:plan-create')}?account={account.pk}" in page


def test_the_plans_panel_counts_kpi_badges_and_shows_progress(client_for, account):
    plan = account.success_plans.get()
    objective = plan.objectives.get()
    ObjectiveKPIFactory(
        objective=objective, name="Go-lives", due_date=TODAY() - timedelta(days=1)
    )  # Overdue: 40 of 80 and due yesterday
    for status in ["completed", "canceled", "in_progress", "not_started"]:
        PlaybookTaskFactory(plan=plan, status=status)
    PlaybookTaskFactory(status="completed")  # another plan's
    page = client_for("participant").get(account.get_absolute_url())
    shown = page.context["plans"].object_list[0]
    assert [(badge.label, n) for badge, n in shown.badge_counts] == [
        ("Overdue", 1),
        ("Blocked", 1),
        ("In Progress", 1),
    ]
    assert (shown.tasks_done, shown.task_count, shown.progress) == (2, 4, 50)
    assert "1 Overdue" in page.text and "1 Blocked" in page.text and "50%" in page.text
