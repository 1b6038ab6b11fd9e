"""Create Success Plan: /plans/create/ offers a blank plan or one from a template.

The seed: the Create Success Plan action (an Account page) and the Success
Tracker's Add Success Plan "enable you to create either blank success plans or
success plans from a template"; the Success Plans tab's New "enables you to
create blank success plans only". Templates are offered only in the template
picker and the Success Plans list filter, never as live plans.
"""

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.factories import AccountFactory

from .factories import SuccessPlanFactory

URL = reverse("successplans:plan-create")
NEW = reverse("successplans:plan-new")
PICKER = reverse("successplans:template-picker")


@pytest.fixture
def account(db):
    return AccountFactory(name="Northwind")


# -- the choice -------------------------------------------------------------------------------
def test_customer_success_chooses_blank_or_from_a_template(client_for):
    response = client_for("csm").get(URL)
    assert response.status_code == 200
    assert "<h1>Create Success Plan</h1>" in response.text
    assert f'<a href="{NEW}">Blank success plan</a>' in response.text
    assert f'<a href="{PICKER}">From a template</a>' in response.text
    assert '<a href="/plans/">Cancel</a>' in response.text


def test_both_choices_keep_the_account(client_for, account):
    response = client_for("csm").get(URL, {"account": account.pk})
    query = f"?account={account.pk}"
    assert f'<a href="{NEW}{query}">Blank success plan</a>' in response.text
    assert f'<a href="{PICKER}{query}">From a template</a>' in response.text
    assert "The Account field is filled in with <strong>Northwind</strong>." in response.text
    assert f'<a href="/accounts/{account.pk}/">Cancel</a>' in response.text


def test_both_choices_keep_where_to_return(client_for, account):
    back = "/tracker/?start=2026-01-01"
    response = client_for("csm").get(URL, {"next": back, "account": account.pk})
    query = f"?account={account.pk}&amp;next={quote(back, safe='')}"
    assert f'<a href="{NEW}{query}">Blank success plan</a>' in response.text
    assert f'<a href="{PICKER}{query}">From a template</a>' in response.text
    assert f'<a href="{back}">Cancel</a>' in response.text


def test_a_foreign_next_or_a_bad_account_is_dropped(client_for):
    response = client_for("csm").get(URL, {"next": "https://evil.example/", "account": "x"})
    assert f'<a href="{NEW}">Blank success plan</a>' in response.text
    assert f'<a href="{PICKER}">From a template</a>' in response.text
    assert "evil.example" not in response.text


def test_the_blank_choice_opens_the_window_with_the_account(client_for, account):
    response = client_for("csm").get(NEW, {"account": account.pk})
    assert response.status_code == 200
    assert response.context["form"]["account"].value() == account.pk


def test_the_template_choice_opens_the_picker_with_the_account(client_for, account):
    response = client_for("csm").get(PICKER, {"account": account.pk})
    assert response.status_code == 200
    assert f"account={account.pk}" in response.text


def test_it_only_shows_choices(client_for):
    assert client_for("csm").post(URL).status_code == 405


# -- who --------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_may_not_create(client_for, who, account):
    assert client_for(who).get(URL).status_code == 403
    assert client_for(who).get(URL, {"account": account.pk}).status_code == 403


def test_it_refuses_a_user_without_role(client_for):
    assert client_for("no_role_user").get(URL).status_code == 403


def test_it_sends_strangers_to_login(client_for, db):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response.url == f"/login/?next={URL}"


@pytest.mark.parametrize("size", [1, 30])
def test_it_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, size):
    SuccessPlanFactory.create_batch(size, account=None, is_template=True)
    account = AccountFactory()
    client = client_for("csm")
    # Measured 7: session, user, 2 for permissions, the account, the roles in the top bar,
    # the record types offered beside the blank choice.
    with django_assert_max_num_queries(7):
        assert client.get(URL, {"account": account.pk}).status_code == 200


# -- where Create Success Plan is offered ----------------------------------------------------------
def test_the_account_page_action_offers_both(client_for, account):
    text = client_for("csm").get(account.get_absolute_url()).text
    assert f'href="{URL}?account={account.pk}">Create Success Plan</a>' in text
    assert f'href="{NEW}?account={account.pk}"' not in text


def test_the_success_tracker_offers_both(client_for, account):
    SuccessPlanFactory(account=account)
    text = client_for("csm").get(reverse("successplans:tracker")).text
    assert f'href="{URL}?next=%2Ftracker%2F">Add Success Plan</a>' in text
    assert f'href="{NEW}?next=' not in text


def test_the_success_plans_tab_keeps_new_for_blank_plans_and_offers_both(client_for):
    text = client_for("csm").get(reverse("successplans:plan-list")).text
    assert f'href="{NEW}">New</a>' in text
    assert f'href="{URL}">Create Success Plan</a>' in text


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_are_not_offered_to_create(client_for, who, account):
    SuccessPlanFactory(account=account)
    for page in [
        account.get_absolute_url(),
        reverse("successplans:tracker"),
        reverse("successplans:plan-list"),
    ]:
        text = client_for(who).get(page).text
        assert URL not in text
        assert "Create Success Plan" not in text
        assert "Add Success Plan" not in text


# -- templates are not live plans ---------------------------------------------------------------
def test_templates_never_show_as_live_plans(client_for, account):
    SuccessPlanFactory(name="Northwind rollout", account=account)
    SuccessPlanFactory(name="Onboarding template", account=None, is_template=True)
    SuccessPlanFactory(name="Northwind template", account=account, is_template=True)
    client = client_for("csm")
    tracker = client.get(reverse("successplans:tracker")).text
    assert "Northwind rollout" in tracker
    assert "Onboarding template" not in tracker
    assert "Northwind template" not in tracker
    account_page = client.get(account.get_absolute_url()).text
    assert "Northwind rollout" in account_page
    assert "Northwind template" not in account_page
    listed = client.get(reverse("successplans:plan-list")).context["page"]
    assert [plan.name for plan in listed] == ["Northwind rollout"]
    picker = client.get(PICKER).text
    assert "Onboarding template" in picker
    assert "Northwind template" in picker
    assert "Northwind rollout" not in picker


def test_an_account_with_only_templates_says_it_has_no_plans(client_for, account):
    SuccessPlanFactory(name="Northwind template", account=account, is_template=True)
    text = client_for("csm").get(account.get_absolute_url()).text
    assert "No success plans for this account yet." in text
    assert "Northwind template" not in text


def test_the_record_type_is_chosen_beside_the_blank_choice(client_for, account):
    """One step fewer: the record types sit in the Blank card, the first chosen, and its
    button opens the window with that record type and the account (issue 13, item 11)."""
    from successplans.models import RecordType

    from .factories import RecordTypeFactory

    lite = RecordTypeFactory(
        name="Lightweight plan", object_type=RecordType.ObjectType.SUCCESS_PLAN
    )
    RecordTypeFactory(name="Standard plan", object_type=RecordType.ObjectType.SUCCESS_PLAN)
    response = client_for("csm").get(URL, {"account": account.pk})
    text = response.text
    assert f'<form method="get" action="{NEW}" novalidate>' in text
    assert f'<input type="hidden" name="account" value="{account.pk}">' in text
    assert response.context["picker"]["record_type"].value() == lite.pk
    assert ">Create a blank plan</button>" in text
    window = client_for("csm").get(NEW, {"account": account.pk, "record_type": lite.pk})
    assert window.context["form"]["account"].value() == account.pk
    assert window.context["record_type"] == lite


def test_without_record_types_there_is_nothing_to_choose(client_for, account):
    text = client_for("csm").get(URL, {"account": account.pk}).text
    assert "Create a blank plan</button>" not in text
