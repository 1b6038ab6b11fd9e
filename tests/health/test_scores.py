"""Scores, colours, overrides and the admin's weights and thresholds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from engagements.models import Account
from health.models import HealthSettings
from health.models import ManualValue
from health.models import Measure
from health.models import Override
from health.models import Rule
from health.models import Snapshot
from health.scoring import Board
from health.scoring import scored
from tests.factories import AccountFactory
from tests.factories import UserFactory

from .helpers import only
from .helpers import row

pytestmark = pytest.mark.django_db


def _sentiment(account, value, user, note="Steering call went badly"):
    measure = Measure.objects.get(name="Sentiment")
    return ManualValue.objects.create(
        account=account, measure=measure, value=value, note=note, set_by=user
    )


def test_a_quiet_new_account_scores_100_green():
    account = row(AccountFactory())
    assert (account.health_score, account.health_colour, account.health_change) == (
        100,
        "green",
        None,
    )


@pytest.mark.parametrize(
    ("value", "score", "colour"),
    [("green", 100, "green"), ("amber", 92, "green"), ("red", 85, "green")],
)
def test_a_manual_measure_takes_off_its_part(value, score, colour):
    account = AccountFactory()
    _sentiment(account, value, UserFactory())
    assert (row(account).health_score, row(account).health_colour) == (score, colour)


def test_the_newest_manual_value_counts():
    account, user = AccountFactory(), UserFactory()
    _sentiment(account, "red", user)
    _sentiment(account, "green", user, note="Recovered after the workshop")
    assert row(account).health_score == 100


def test_changing_a_weight_changes_the_score_without_code():
    account = AccountFactory()
    _sentiment(account, "red", UserFactory())
    assert row(account).health_score == 85
    Measure.objects.filter(name="Sentiment").update(weight=70)
    assert (row(account).health_score, row(account).health_colour) == (30, "red")
    Measure.objects.filter(name="Sentiment").update(active=False)
    assert row(account).health_score == 100


def test_thresholds_set_the_colour():
    account = AccountFactory()
    measure = only(Rule.MANUAL, weight=50)
    ManualValue.objects.create(
        account=account, measure=measure, value="red", note="Escalation", set_by=UserFactory()
    )
    assert (row(account).health_score, row(account).health_colour) == (50, "amber")
    HealthSettings.objects.update(green_from=90, amber_from=60)
    assert row(account).health_colour == "red"


def test_an_override_wins_until_it_expires():
    account, user = AccountFactory(), UserFactory()
    _sentiment(account, "red", user)
    today = timezone.localdate()
    Override.objects.create(
        account=account, score=30, reason="Exec sponsor left", expires_on=today, set_by=user
    )
    scored_row = row(account)
    assert (scored_row.health_score, scored_row.health_computed, scored_row.health_colour) == (
        30,
        85,
        "red",
    )
    Override.objects.update(expires_on=today - timedelta(days=1))
    assert row(account).health_score == 85


def test_the_change_over_30_days_compares_with_the_snapshot_30_days_ago():
    account = AccountFactory()
    today = timezone.localdate()
    for days, score in [(45, 40), (30, 95), (10, 60)]:
        Snapshot.objects.create(
            account=account,
            day=today - timedelta(days=days),
            score=score,
            computed=score,
            colour="green",
        )
    assert row(account).health_change == 100 - 95


def test_thresholds_out_of_order_are_refused_in_the_admin(admin_client):
    settings = HealthSettings.objects.get()
    url = f"/admin/health/healthsettings/{settings.pk}/change/"
    response = admin_client.post(url, {"green_from": "40", "amber_from": "70"})
    assert response.status_code == 200
    assert "Amber must start below green" in response.text
    settings.refresh_from_db()
    assert (settings.green_from, settings.amber_from) == (70, 40)


def test_a_weight_that_is_not_a_number_is_refused_in_the_admin(admin_client):
    measure = Measure.objects.get(name="Sentiment")
    url = f"/admin/health/measure/{measure.pk}/change/"
    data = {"name": "Sentiment", "rule": "manual", "weight": "a lot", "order": "0", "active": "on"}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Enter a whole number" in response.text
    measure.refresh_from_db()
    assert measure.weight == 15


def test_admins_change_a_weight_in_the_admin(admin_client):
    account = AccountFactory()
    _sentiment(account, "red", UserFactory())
    measure = Measure.objects.get(name="Sentiment")
    url = f"/admin/health/measure/{measure.pk}/change/"
    data = {"name": "Sentiment", "rule": "manual", "weight": "40", "order": "6", "active": "on"}
    assert admin_client.post(url, data).status_code == 302
    assert row(account).health_score == 60


@pytest.mark.parametrize("who", ["csm", "agent", "manager", "participant"])
def test_only_admins_define_measures(client_for, who):
    response = client_for(who).post(
        "/admin/health/measure/add/", {"name": "X", "rule": "manual", "weight": "5"}
    )
    assert response.status_code == 302  # the admin's sign-in page: none of them is staff
    assert "/admin/login/" in response.url
    assert not Measure.objects.filter(name="X").exists()


@pytest.mark.parametrize("accounts", [3, 30])
def test_a_page_of_scores_is_one_query_at_any_size(django_assert_num_queries, accounts):
    AccountFactory.create_batch(accounts)
    board = Board.load()
    with django_assert_num_queries(1):
        rows = list(scored(Account.objects.order_by("name"), board)[:25])
    assert len(rows) == min(accounts, 25)


def test_admin_lists_measures(admin_client):
    assert "Sentiment" in admin_client.get("/admin/health/measure/").text


def test_explain_reads_only_each_manual_measures_newest_reading(
    django_assert_num_queries, monkeypatch
):
    from health.selectors import explain

    account, user = AccountFactory(), UserFactory()
    champion = Measure.objects.create(name="Champion", rule=Rule.MANUAL, weight=5, active=True)
    for n in range(6):
        _sentiment(account, "red" if n < 5 else "amber", user, note=f"Sentiment {n}")
        ManualValue.objects.create(
            account=account, measure=champion, value="green", note=f"Champion {n}", set_by=user
        )
    other = AccountFactory()
    _sentiment(other, "green", user, note="Someone else's")
    board = Board.load()
    account_row = row(account)

    read = []
    from_db = ManualValue.from_db.__func__
    monkeypatch.setattr(
        ManualValue, "from_db", classmethod(lambda cls, *a: read.append(1) or from_db(cls, *a))
    )
    with django_assert_num_queries(1):  # the newest readings (no override in force)
        explained = explain(account, board, row=account_row)

    assert len(read) == 2  # of the account's 12 readings

    notes = {measure.name: value.note for measure, value in explained.manual if value}
    assert notes == {"Sentiment": "Sentiment 5", "Champion": "Champion 5"}
