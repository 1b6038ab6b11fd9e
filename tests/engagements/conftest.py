"""What the account page's modules share: an account with one plan whose objective has two
KPIs (one blocked), and the account's URLs. ``test_account_detail.py`` declares its own
``account`` (with engagements instead of a plan)."""

import pytest
from django.urls import reverse

from engagements.models import Account
from tests.factories import AccountFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import SuccessPlanFactory


@pytest.fixture
def account(db):
    account = AccountFactory(name="Contoso Health")
    plan = SuccessPlanFactory(account=account, name="Clinical adoption")
    objective = ObjectiveFactory(plan=plan)
    ObjectiveKPIFactory(objective=objective, name="Active clinicians", blocked=True)
    ObjectiveKPIFactory(objective=objective, name="Logins per week")
    return account


def account_url(name: str, account: Account, *args) -> str:
    return reverse(f"engagements:{name}", args=[account.pk, *args])
