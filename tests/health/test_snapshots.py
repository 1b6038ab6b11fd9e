"""manage.py snapshot_health: one snapshot per account and day, health.changed on a move."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.events import _listeners
from health.models import ManualValue
from health.models import Measure
from health.models import Snapshot
from tests.factories import AccountFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    events = []

    def listener(name, **data):
        events.append((name, data))

    _listeners["health.changed"].append(listener)
    yield events
    _listeners["health.changed"].remove(listener)


def _snapshot() -> str:
    out = StringIO()
    call_command("snapshot_health", stdout=out)
    return out.getvalue()


def test_running_it_twice_a_day_stores_one_snapshot_per_account(heard):
    first, second = AccountFactory(), AccountFactory()
    assert "2 created, 0 updated" in _snapshot()
    ManualValue.objects.create(
        account=first,
        measure=Measure.objects.get(name="Sentiment"),
        value="red",
        note="Escalation",
        set_by=UserFactory(),
    )
    assert "0 created, 2 updated" in _snapshot()
    today = timezone.localdate()
    assert Snapshot.objects.filter(day=today).count() == 2
    snap = Snapshot.objects.get(account=first, day=today)
    assert (snap.score, snap.colour) == (85, "green")
    assert Snapshot.objects.get(account=second).score == 100
    # the second run moved the first account's score: one event, with both scores
    assert heard == [
        ("health.changed", {"actor_id": None, "account_id": first.pk, "previous": 100, "score": 85})
    ]


def test_a_move_since_yesterday_is_recorded_and_announced(heard):
    account = AccountFactory()
    yesterday = timezone.localdate() - timedelta(days=1)
    Snapshot.objects.create(account=account, day=yesterday, score=60, computed=60, colour="amber")
    _snapshot()
    today = Snapshot.objects.get(account=account, day=timezone.localdate())
    assert (today.score, today.change) == (100, 40)
    assert heard[0][1]["previous"] == 60


def test_no_event_when_the_score_stays(heard):
    AccountFactory()
    _snapshot()
    _snapshot()
    assert heard == []
