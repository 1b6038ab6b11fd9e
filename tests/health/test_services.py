"""Manual measures and overrides: bad input is refused and nothing is saved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from health import services
from health.models import ManualValue
from health.models import Measure
from health.models import Override
from tests.factories import AccountFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.mark.parametrize(
    ("score", "reason", "expires_on", "field"),
    [
        (40, "", TOMORROW, "reason"),
        (40, "   ", TOMORROW, "reason"),
        (40, "Sponsor left", timezone.localdate() - timedelta(days=1), "expires_on"),
        (140, "Sponsor left", TOMORROW, "score"),
    ],
)
def test_a_bad_override_is_refused(score, reason, expires_on, field):
    with pytest.raises(DomainError) as refused:
        services.override_set(
            account=AccountFactory(),
            score=score,
            reason=reason,
            expires_on=expires_on,
            user=UserFactory(),
        )
    assert refused.value.field == field
    assert not Override.objects.exists()


def test_a_manual_value_needs_a_note_and_a_manual_measure():
    account, user = AccountFactory(), UserFactory()
    sentiment = Measure.objects.get(name="Sentiment")
    kpis = Measure.objects.get(name="KPIs at risk")
    with pytest.raises(DomainError, match="a note is required"):
        services.manual_value_set(
            account=account, measure_id=sentiment.pk, value="red", note="", user=user
        )
    with pytest.raises(DomainError, match="manual measure"):
        services.manual_value_set(
            account=account, measure_id=kpis.pk, value="red", note="Bad", user=user
        )
    assert not ManualValue.objects.exists()
