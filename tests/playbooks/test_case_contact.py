"""Edit contact on the case page: the engagement's contact (the account's primary contact)."""

import pytest
from django.urls import reverse

from engagements.models import AccountChange
from engagements.models import Contact
from playbooks import services
from playbooks.models import JournalEntry
from tests.factories import EngagementFactory
from tests.factories import UserFactory


def url(case) -> str:
    return reverse("playbooks:case-contact", args=[case.number])


@pytest.fixture
def contact(engagement) -> Contact:
    return Contact.objects.create(
        account=engagement.account,
        name="Jordan Lee",
        title="VP Operations",
        email="jordan@example.com",
        phone="+1 555 010 0200",
        role=Contact.Role.SPONSOR,
        is_primary=True,
    )


GOOD = {"name": "Jordan Lee", "title": "COO", "email": "jlee@example.com", "phone": "+1 555 0101"}


def contact_changes(case):
    return sorted(
        JournalEntry.objects.filter(case=case, field__startswith="Contact").values_list(
            "field", "old_value", "new_value"
        )
    )


def test_the_case_shows_the_engagements_contact(client_for, open_case, contact):
    html = client_for("participant").get(open_case.get_absolute_url()).text
    assert "<dt>Contact</dt>" in html
    assert "Jordan Lee, VP Operations" in html
    assert 'href="mailto:jordan@example.com"' in html
    assert "+1 555 010 0200" in html
    assert "Edit contact" not in html  # a participant reads it only


def test_the_agent_edits_the_contact_and_the_case_journals_it(
    client_for, agent, open_case, contact
):
    client = client_for("agent")
    assert "Edit contact" in client.get(open_case.get_absolute_url()).text
    response = client.post(url(open_case), GOOD)
    assert response.status_code == 302
    assert response.url == open_case.get_absolute_url()
    contact.refresh_from_db()
    assert (contact.title, contact.email, contact.phone) == (
        "COO",
        "jlee@example.com",
        "+1 555 0101",
    )
    assert contact_changes(open_case) == [
        ("Contact Jordan Lee: Email", "jordan@example.com", "jlee@example.com"),
        ("Contact Jordan Lee: Phone", "+1 555 010 0200", "+1 555 0101"),
        ("Contact Jordan Lee: Title", "VP Operations", "COO"),
    ]
    assert AccountChange.objects.filter(account=contact.account, actor=agent).count() == 3
    page = client.get(open_case.get_absolute_url()).text
    assert "Jordan Lee, COO" in page
    assert "The contact is saved." in page


def test_a_squad_member_may_edit_it(client_for, other_agent, open_case, contact):
    open_case.squad.add(other_agent)
    response = client_for("other_agent").post(url(open_case), GOOD)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.title == "COO"


def test_customer_success_may_edit_it(client_for, csm, open_case, contact):
    client = client_for("csm")
    assert "Edit contact" in client.get(open_case.get_absolute_url()).text
    assert client.post(url(open_case), GOOD).status_code == 302
    contact.refresh_from_db()
    assert contact.email == "jlee@example.com"
    assert len(contact_changes(open_case)) == 3


def test_an_account_without_a_contact_gets_its_primary_contact(client_for, open_case):
    response = client_for("agent").post(url(open_case), GOOD)
    assert response.status_code == 302
    added = Contact.objects.get(account=open_case.engagement.account)
    assert added.is_primary and added.email == "jlee@example.com"
    assert contact_changes(open_case) == [
        ("Contact added", "—", "Jordan Lee (User, jlee@example.com)")
    ]


@pytest.mark.parametrize("who", ["other_agent", "participant", "manager", "no_role_user"])
def test_it_requires_the_right_to_edit(client_for, open_case, contact, who):
    client = client_for(who)
    assert client.get(url(open_case)).status_code == 403
    assert client.post(url(open_case), GOOD).status_code == 403
    contact.refresh_from_db()
    assert contact.title == "VP Operations"
    assert contact_changes(open_case) == []


def test_strangers_are_sent_to_login(client_for, open_case, contact):
    response = client_for(None).post(url(open_case), GOOD)
    assert response.status_code == 302
    assert response.url.startswith("/login/")
    contact.refresh_from_db()
    assert contact.title == "VP Operations"


def test_a_closed_case_is_read_only(client_for, agent, closed_case, contact):
    response = client_for("agent").post(url(closed_case), GOOD, follow=True)
    assert f"{closed_case.number} is read-only." in response.text
    contact.refresh_from_db()
    assert contact.title == "VP Operations"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "jordan@", "Enter an email address like jane@example.com."),
        ("email", "not an email", "Enter an email address like jane@example.com."),
        ("phone", "call me", "Enter a phone number in digits"),
        ("phone", "12", "Enter a phone number in digits"),
        ("phone", "+1 555 0101 2222 3333 4444", "Enter a phone number in digits"),
        ("name", "", "Give the contact&#x27;s name."),
        ("phone", "1" * 41, "Ensure this value has at most 40 characters"),
    ],
)
def test_bad_input_is_told_next_to_the_field_and_nothing_is_written(
    client_for, open_case, contact, field, value, message
):
    response = client_for("agent").post(url(open_case), {**GOOD, field: value})
    assert response.status_code == 200
    errors = response.text[response.text.index(f'id="id_{field}_error"') :]
    assert message in errors[:400]
    contact.refresh_from_db()
    assert (contact.title, contact.email) == ("VP Operations", "jordan@example.com")
    assert contact_changes(open_case) == []
    assert not AccountChange.objects.exists()


def test_the_service_refuses_a_bad_phone_and_writes_nothing(agent, open_case, contact):
    with pytest.raises(services.DomainError) as refused:
        from playbooks.services.contact import case_contact_update

        case_contact_update(case_pk=open_case.pk, user=agent, data={"phone": "ring ring"})
    assert refused.value.field == "phone"
    contact.refresh_from_db()
    assert contact.phone == "+1 555 010 0200"
    assert contact_changes(open_case) == []


@pytest.mark.parametrize("size", [1, 30])
def test_the_case_page_costs_the_same_with_many_contacts(
    client_for, open_case, contact, size, django_assert_max_num_queries
):
    Contact.objects.bulk_create(
        Contact(account=contact.account, name=f"Person {n}") for n in range(size)
    )
    other = EngagementFactory()
    for n in range(size):
        Contact.objects.create(account=other.account, name=f"Elsewhere {n}", is_primary=n == 0)
    client = client_for("agent")
    with django_assert_max_num_queries(12):  # as tests/playbooks/test_case_detail.py: no more
        html = client.get(open_case.get_absolute_url()).text
    assert "Jordan Lee, VP Operations" in html
    with django_assert_max_num_queries(12):  # the case as its page reads it, and the form
        assert client.get(url(open_case)).status_code == 200


def test_a_user_without_a_role_cannot_even_read(client_for, open_case, contact):
    UserFactory(username="nobody")
    assert client_for("no_role_user").get(open_case.get_absolute_url()).status_code == 403
