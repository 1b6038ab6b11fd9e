"""Account facts, contacts and logged activities: what is saved, what is logged, what is refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import DomainError
from engagements import services
from engagements.models import Account
from engagements.models import AccountChange
from engagements.models import Contact
from tests.factories import AccountFactory
from tests.factories import ResourceFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_facts_are_saved_and_each_change_logged():
    account, user = AccountFactory(), UserFactory()
    csm = ResourceFactory()
    renewal = timezone.localdate() + timedelta(days=200)
    services.account_facts_update(
        account=account,
        data={"arr": Decimal("120000"), "renewal_date": renewal, "csm": csm, "currency": "USD"},
        user=user,
    )
    account.refresh_from_db()
    assert (account.arr, account.renewal_date, account.csm) == (Decimal("120000"), renewal, csm)
    logged = {c.field: (c.old_value, c.new_value) for c in AccountChange.objects.all()}
    assert logged == {
        "ARR": ("", "120000"),
        "Renewal date": ("", renewal.isoformat()),
        "CSM": ("", str(csm)),
    }  # the currency did not change, so it is not logged


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"arr": Decimal("-5")}, "arr", "greater than or equal to 0"),
        ({"csm": "psa"}, "csm", "not a PSA resource"),
        ({"csm": "inactive"}, "csm", "not a PSA resource"),
    ],
)
def test_bad_facts_are_refused_and_nothing_is_saved(data, field, message):
    account = AccountFactory()
    if data.get("csm") == "psa":
        data["csm"] = ResourceFactory(is_psa=True)
    elif data.get("csm") == "inactive":
        data["csm"] = ResourceFactory(is_active=False)
    with pytest.raises(DomainError) as refused:
        services.account_facts_update(account=account, data=data, user=UserFactory())
    assert refused.value.field == field
    assert message in str(refused.value)
    assert Account.objects.get(pk=account.pk).arr is None
    assert not AccountChange.objects.exists()


def test_a_new_primary_contact_takes_over():
    account, user = AccountFactory(), UserFactory()
    first = services.contact_save(
        account=account, data={"name": "Dana Whitfield", "is_primary": True}, user=user
    )
    second = services.contact_save(
        account=account,
        data={
            "name": "Lee Park",
            "role": "sponsor",
            "email": "lee@contoso.com",
            "is_primary": True,
        },
        user=user,
    )
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)
    assert AccountChange.objects.filter(field="Contact added").count() == 2


def test_a_malformed_email_is_refused():
    account = AccountFactory()
    with pytest.raises(DomainError) as refused:
        services.contact_save(
            account=account, data={"name": "Lee", "email": "lee@"}, user=UserFactory()
        )
    assert refused.value.field == "email"
    assert not Contact.objects.exists()


def test_a_contact_change_is_logged_from_and_to():
    account, user = AccountFactory(), UserFactory()
    contact = services.contact_save(account=account, data={"name": "Lee Park"}, user=user)
    services.contact_save(account=account, contact=contact, data={"title": "CIO"}, user=user)
    change = AccountChange.objects.get(field="Contact Lee Park: Title")
    assert (change.old_value, change.new_value) == ("", "CIO")


def test_an_activity_needs_text_and_contacts_of_the_account():
    account, user = AccountFactory(), UserFactory()
    other = Contact.objects.create(account=AccountFactory(), name="Someone else")
    today = timezone.localdate()
    with pytest.raises(DomainError, match="Write what happened"):
        services.account_activity_log(account=account, kind="call", date=today, text=" ", user=user)
    with pytest.raises(DomainError, match="contacts of this account"):
        services.account_activity_log(
            account=account, kind="call", date=today, text="QBR", user=user, contact_ids=[other.pk]
        )
    assert not account.activities.exists()


def test_an_admin_change_of_a_fact_is_logged(admin_client):
    account = AccountFactory(name="Contoso Health")
    url = f"/admin/engagements/account/{account.pk}/change/"
    data = {
        "name": "Contoso Health",
        "tier": "commercial",
        "currency": "USD",
        "lifecycle_stage": "renew",
        "arr": "",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "engagements-TOTAL_FORMS": "0",
        "engagements-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.text[:2000]
    change = AccountChange.objects.get()
    assert (change.field, change.old_value, change.new_value) == (
        "Lifecycle stage",
        "onboarding",
        "renew",
    )
