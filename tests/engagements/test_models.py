from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction

from engagements.models import Engagement
from engagements.models import Resource
from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.factories import ResourceFactory
from tests.factories import UserFactory


def test_an_engagement_cannot_end_before_it_starts_in_the_form(db):
    engagement = EngagementFactory.build(
        account=AccountFactory(), start_date=date(2026, 5, 1), end_date=date(2026, 4, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        engagement.full_clean()
    assert excinfo.value.message_dict["end_date"] == [
        "The end date cannot be before the start date."
    ]


def test_the_database_backs_up_the_date_rule(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementFactory(start_date=date(2026, 5, 1), end_date=date(2026, 4, 1))
    assert Engagement.objects.count() == 0


def test_engagement_names_are_unique_per_account(db):
    account = AccountFactory()
    EngagementFactory(account=account, name="Onboarding")
    EngagementFactory(name="Onboarding")  # another account may reuse the name
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementFactory(account=account, name="Onboarding")


def test_open_states(db):
    assert EngagementFactory(state=Engagement.State.DEFINE).is_open
    assert not EngagementFactory(state=Engagement.State.CANCELED).is_open


def test_only_active_non_psa_resources_are_assignable(db):
    ok = ResourceFactory(user=UserFactory(username="ok"))
    ResourceFactory(user=UserFactory(username="psa"), is_psa=True)
    ResourceFactory(user=UserFactory(username="inactive"), is_active=False)
    ResourceFactory(user=UserFactory(username="left", is_active=False))
    assert list(Resource.objects.assignable()) == [ok]
