"""Create Success Plan: /plans/create/ offers a blank plan or one from a template.

The seed: the Create Success Plan action (an Account page) and the Success
Tracker's Add Success Plan "enable you to create either blank success plans or
success plans from a template"; the Success Plans tab's New "enables you to
create blank success plans only". Templates are offered only in the template
picker and the Success Plans list filter, never as live plans.
"""

from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse

from successplans.models import RecordType
from successplans.models import SuccessPlan
from tests.factories import AccountFactory

from .factories import RecordTypeFactory
from .factories import SuccessPlanFactory
from .factories_templates import build_template

URL = reverse("successplans:plan-create")
NEW = reverse("successplans:plan-new")
PICKER = reverse("successplans:template-picker")


@pytest.fixture
def account(db):
    return AccountFactory(name="Northwind")


# -- the one window ----------------------------------------------------------------------------
def test_customer_success_chooses_blank_or_a_template_in_one_window(client_for, account):
    template = build_template(name="Onboarding — 90 days")
    response = client_for("csm").get(URL, {"account": account.pk})
    assert response.status_code == 200
    assert "<h1>Create Success Plan</h1>" in response.text
    form = response.context["form"]
    assert form.fields["start"].choices == [
        ("blank", "Blank success plan"),
        (str(template.pk), "Onboarding — 90 days"),
    ]
    assert form["start"].value() == "blank"
    assert form["account"].value() == account.pk  # from ?account=
    assert f'action="{URL}?account={account.pk}"' in response.text
    assert "The Account field is filled in with <strong>Northwind</strong>." in response.text
    assert f'<a href="/accounts/{account.pk}/">Cancel</a>' in response.text


def test_it_keeps_where_to_return(client_for, account):
    back = "/tracker/?start=2026-01-01"
    response = client_for("csm").get(URL, {"next": back, "account": account.pk})
    query = f"?account={account.pk}&amp;next={quote(back, safe='')}"
    assert f'action="{URL}{query}"' in response.text
    assert f'<a href="{back}">Cancel</a>' in response.text


def test_a_foreign_next_or_a_bad_account_is_dropped(client_for):
    response = client_for("csm").get(URL, {"next": "https://evil.example/", "account": "x"})
    assert f'action="{URL}"' in response.text
    assert "evil.example" not in response.text
    assert response.context["form"]["account"].value() is None


def test_a_blank_plan_is_created_from_the_window(client_for, account):
    response = client_for("csm").post(
        URL + f"?account={account.pk}",
        {
            "start": "blank",
            "account": account.pk,
            "name": "Northwind expansion",
            "effective_date": "2026-03-02",
        },
    )
    plan = SuccessPlan.objects.get(name="Northwind expansion")
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    assert (plan.account, plan.effective_date, plan.is_template) == (
        account,
        date(2026, 3, 2),
        False,
    )


def test_a_blank_plan_needs_a_name_and_an_account(client_for, account):
    response = client_for("csm").post(
        URL, {"start": "blank", "account": "", "name": "", "effective_date": "2026-02-30"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["A blank plan needs a name."]
    assert errors["account"] == ["A success plan needs an account."]
    assert errors["effective_date"]
    assert "A blank plan needs a name." in response.text
    assert SuccessPlan.objects.count() == 0


def test_a_template_goes_on_to_its_select_records_grid(client_for, account):
    template = build_template(name="Onboarding — 90 days")
    response = client_for("csm").post(
        URL + f"?account={account.pk}",
        {"start": template.pk, "account": account.pk, "name": "", "effective_date": "2026-03-02"},
    )
    assert response.status_code == 200
    assert response.context["step"] == "records"
    # The name left empty is made up; the grid posts to the template's own window.
    assert response.context["details"].cleaned_data["name"] == "Northwind: Onboarding — 90 days"
    action = reverse("successplans:template-create", args=[template.pk])
    assert f'action="{action}?account={account.pk}"' in response.text
    assert SuccessPlan.objects.filter(is_template=False).count() == 0


def test_a_template_s_own_name_is_refused(client_for, account):
    template = build_template(name="Onboarding — 90 days")
    response = client_for("csm").post(
        URL,
        {
            "start": template.pk,
            "account": account.pk,
            "name": "onboarding — 90 days",
            "effective_date": "2026-03-02",
        },
    )
    assert response.context["form"].errors["name"] == [
        "Give the new plan its own name: “Onboarding — 90 days” is the template's."
    ]
    assert SuccessPlan.objects.filter(is_template=False).count() == 0


def test_a_template_gone_or_a_live_plan_is_not_a_choice(client_for, account):
    live = SuccessPlanFactory(account=account)
    response = client_for("csm").post(
        URL, {"start": live.pk, "account": account.pk, "name": "X", "effective_date": "2026-03-02"}
    )
    assert response.context["form"].errors["start"] == [
        "That template is no longer offered: choose another one."
    ]
    assert SuccessPlan.objects.count() == 1


# -- who --------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_may_not_create(client_for, who, account):
    assert client_for(who).get(URL).status_code == 403
    assert client_for(who).get(URL, {"account": account.pk}).status_code == 403
    post = {"start": "blank", "account": account.pk, "name": "N", "effective_date": "2026-03-02"}
    assert client_for(who).post(URL, post).status_code == 403
    assert SuccessPlan.objects.count() == 0


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
    # Measured 11: session, user, 2 for permissions, the account, the templates with their
    # counts (one query), the record types (are there any, the first, the radios), the
    # account field's first matches, the owner field's, the roles in the top bar.
    with django_assert_max_num_queries(11):
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


def test_the_record_type_is_chosen_in_the_window(client_for, account):
    """The record types sit in the window, the first chosen (issue 13, item 11)."""
    lite = RecordTypeFactory(
        name="Lightweight plan", object_type=RecordType.ObjectType.SUCCESS_PLAN
    )
    standard = RecordTypeFactory(
        name="Standard plan", object_type=RecordType.ObjectType.SUCCESS_PLAN
    )
    client = client_for("csm")
    response = client.get(URL, {"account": account.pk})
    assert response.context["form"]["record_type"].value() == lite.pk
    client.post(
        URL,
        {
            "start": "blank",
            "record_type": standard.pk,
            "account": account.pk,
            "name": "Northwind standard",
            "effective_date": "2026-03-02",
        },
    )
    assert SuccessPlan.objects.get(name="Northwind standard").record_type == standard


def test_a_blank_plan_needs_a_record_type_when_there_are_some(client_for, account):
    RecordTypeFactory(object_type=RecordType.ObjectType.SUCCESS_PLAN)
    response = client_for("csm").post(
        URL,
        {"start": "blank", "account": account.pk, "name": "N", "effective_date": "2026-03-02"},
    )
    assert response.context["form"].errors["record_type"] == ["Select a record type."]
    assert SuccessPlan.objects.count() == 0


def test_without_record_types_there_is_nothing_to_choose(client_for, account):
    response = client_for("csm").get(URL, {"account": account.pk})
    assert "record_type" not in response.context["form"].fields
