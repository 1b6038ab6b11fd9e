"""New Success Plan / Create Success Plan: /plans/new/, a blank plan and its business challenges."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from successplans.models import BusinessChallenge
from successplans.models import ChallengeCategory
from successplans.models import RecordType
from successplans.models import SuccessPlan
from tests.factories import AccountFactory
from tests.factories import ResourceFactory

from .factories import RecordTypeFactory

URL = reverse("successplans:plan-new")
P = "challenges"


def plan_data(**overrides) -> dict:
    data = {
        "name": "Warehouse adoption",
        "description": "Pickers move from paper to the app.",
        "effective_date": "2026-01-05",
        "end_date": "2026-06-30",
        "status": "not_started",
        "owner": "",
        f"{P}-TOTAL_FORMS": "0",
        f"{P}-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def with_challenges(data: dict, *rows: dict) -> dict:
    data[f"{P}-TOTAL_FORMS"] = str(len(rows))
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{P}-{i}-{key}"] = value
    return data


@pytest.fixture
def account(db):
    return AccountFactory(name="Northwind")


# -- who ------------------------------------------------------------------------------------
def test_customer_success_gets_the_window(client_for):
    response = client_for("csm").get(URL)
    assert response.status_code == 200
    assert "<h1>New Success Plan</h1>" in response.text
    assert 'name="name"' in response.text
    assert "Add business challenge" in response.text
    assert response.context["form"]["effective_date"].value() == timezone.localdate()
    # No blank challenge row (with a Delete box already) until one is added.
    assert 'name="challenges-TOTAL_FORMS" value="0"' in response.text
    assert "challenges-0-DELETE" not in response.text


def test_it_creates_a_blank_plan(client_for, csm, account):
    owner = ResourceFactory()
    response = client_for("csm").post(URL, plan_data(account=account.pk, owner=owner.pk))
    plan = SuccessPlan.objects.get()
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    assert plan.name == "Warehouse adoption"
    assert plan.account == account
    assert plan.owner == owner
    assert plan.effective_date == date(2026, 1, 5)
    assert plan.end_date == date(2026, 6, 30)
    assert plan.record_type is None
    assert plan.is_template is False


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_may_not_open_the_window(client_for, who):
    assert client_for(who).get(URL).status_code == 403


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_may_not_create(client_for, who, account):
    response = client_for(who).post(URL, plan_data(account=account.pk))
    assert response.status_code == 403
    assert not SuccessPlan.objects.exists()


def test_it_refuses_a_user_without_role(client_for, account):
    assert client_for("no_role_user").get(URL).status_code == 403
    assert client_for("no_role_user").post(URL, plan_data(account=account.pk)).status_code == 403
    assert not SuccessPlan.objects.exists()


def test_it_sends_strangers_to_login(client_for, db):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response.url == f"/login/?next={URL}"


# -- the account record page's Create Success Plan --------------------------------------------
def test_it_prefills_the_account(client_for, account):
    response = client_for("csm").get(URL, {"account": account.pk})
    assert "<h1>Create Success Plan</h1>" in response.text
    assert response.context["form"]["account"].value() == account.pk
    assert f'<option value="{account.pk}" selected>Northwind</option>' in response.text


def test_an_unknown_account_is_not_prefilled(client_for, account):
    response = client_for("csm").get(URL, {"account": "999999"})
    assert response.context["form"]["account"].value() is None


def test_it_returns_to_a_safe_next_path(client_for, account):
    response = client_for("csm").post(f"{URL}?next=/tracker/", plan_data(account=account.pk))
    assert response.status_code == 302
    assert response.url == "/tracker/"
    assert SuccessPlan.objects.count() == 1


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "tracker/"])
def test_it_ignores_a_foreign_next(client_for, account, target):
    response = client_for("csm").post(URL, plan_data(account=account.pk, next=target))
    plan = SuccessPlan.objects.get()
    assert response.url == plan.get_absolute_url()


# -- business challenges in the same window ---------------------------------------------------
def test_it_creates_the_plan_with_two_business_challenges(client_for, account):
    adoption = ChallengeCategory.objects.get(name="Adoption")
    integration = ChallengeCategory.objects.get(name="Integration")
    data = with_challenges(
        plan_data(account=account.pk),
        {"name": "Paper pick lists", "category": adoption.pk, "notes": "Floor staff"},
        {"name": "No ERP link", "category": integration.pk, "notes": ""},
    )
    assert client_for("csm").post(URL, data).status_code == 302
    plan = SuccessPlan.objects.get()
    challenges = {c.name: c for c in plan.business_challenges.all()}
    assert set(challenges) == {"Paper pick lists", "No ERP link"}
    assert challenges["Paper pick lists"].category == adoption
    assert challenges["Paper pick lists"].notes == "Floor staff"
    assert challenges["No ERP link"].category == integration


def test_a_business_challenge_just_added_can_be_deleted_before_saving(client_for, account):
    data = with_challenges(
        plan_data(account=account.pk),
        {"name": "Paper pick lists", "category": "", "notes": ""},
        {"name": "Typed by mistake", "category": "", "notes": "", "DELETE": "on"},
    )
    assert client_for("csm").post(URL, data).status_code == 302
    plan = SuccessPlan.objects.get()
    assert [c.name for c in plan.business_challenges.all()] == ["Paper pick lists"]
    assert BusinessChallenge.objects.count() == 1


def test_a_blank_business_challenge_row_is_ignored(client_for, account):
    data = with_challenges(plan_data(account=account.pk), {"name": "", "category": "", "notes": ""})
    assert client_for("csm").post(URL, data).status_code == 302
    assert not BusinessChallenge.objects.exists()


def test_add_business_challenge_without_javascript_keeps_what_was_typed(client_for, account):
    data = with_challenges(
        plan_data(account=account.pk, name=""),
        {"name": "Paper pick lists", "category": "", "notes": "Floor staff"},
    )
    data["add_challenge"] = "1"
    response = client_for("csm").post(URL, data)
    assert response.status_code == 200
    assert not SuccessPlan.objects.exists()
    challenges = response.context["challenges"]
    assert challenges.total_form_count() == 2
    assert 'value="Paper pick lists"' in response.text
    assert 'name="challenges-1-name"' in response.text
    assert 'name="challenges-TOTAL_FORMS" value="2"' in response.text
    assert 'value="Pickers move from paper to the app."' not in response.text  # a textarea
    assert "Pickers move from paper to the app." in response.text
    # A half-filled window is not greeted with errors.
    assert "This field is required" not in response.text
    assert 'class="field-error"' not in response.text


def test_add_business_challenge_with_htmx_fetches_one_more_row(client_for):
    response = client_for("csm").get(
        reverse("successplans:plan-challenge-row"),
        {f"{P}-TOTAL_FORMS": "2"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'name="challenges-2-name"' in response.text
    assert 'name="challenges-2-category"' in response.text
    assert 'name="challenges-2-DELETE"' in response.text
    assert (
        '<input type="hidden" name="challenges-TOTAL_FORMS" value="3"'
        ' id="id_challenges-TOTAL_FORMS" hx-swap-oob="true">'
    ) in response.text


def test_view_only_roles_may_not_fetch_challenge_rows(client_for, db):
    url = reverse("successplans:plan-challenge-row")
    assert client_for("participant").get(url).status_code == 403


def test_an_invalid_business_challenge_saves_nothing(client_for, account):
    data = with_challenges(
        plan_data(account=account.pk),
        {"name": "", "category": "", "notes": "A note without a name"},
    )
    response = client_for("csm").post(URL, data)
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not SuccessPlan.objects.exists()
    assert not BusinessChallenge.objects.exists()


# -- bad input --------------------------------------------------------------------------------
def test_end_before_effective_date_is_refused(client_for, account):
    response = client_for("csm").post(
        URL, plan_data(account=account.pk, effective_date="2026-06-01", end_date="2026-05-01")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [
        "The end date cannot be before the start date."
    ]
    assert "The end date cannot be before the start date." in response.text
    assert not SuccessPlan.objects.exists()


@pytest.mark.parametrize("kind", ["psa", "inactive"])
def test_a_psa_or_inactive_owner_is_refused(client_for, account, kind):
    owner = ResourceFactory(is_psa=kind == "psa", is_active=kind != "inactive")
    response = client_for("csm").post(URL, plan_data(account=account.pk, owner=owner.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["owner"] == [
        "Choose an active resource that is not a PSA resource."
    ]
    assert "Choose an active resource that is not a PSA resource." in response.text
    assert not SuccessPlan.objects.exists()


def test_only_active_non_psa_resources_are_offered(client_for):
    ok = ResourceFactory()
    psa = ResourceFactory(is_psa=True)
    inactive = ResourceFactory(is_active=False)
    response = client_for("csm").get(URL)
    offered = {choice.pk for choice in response.context["form"].fields["owner"].queryset}
    assert ok.pk in offered
    assert psa.pk not in offered
    assert inactive.pk not in offered


def test_a_plan_without_account_is_refused(client_for, db):
    response = client_for("csm").post(URL, plan_data(account=""))
    assert response.status_code == 200
    # (The form and the model both check this; the message may come from either.)
    assert set(response.context["form"].errors["account"]) == {"A success plan needs an account."}
    assert "A success plan needs an account." in response.text
    assert not SuccessPlan.objects.exists()


def test_a_template_needs_no_account(client_for, db):
    response = client_for("csm").post(URL, plan_data(account="", is_template="on"))
    assert response.status_code == 302
    assert SuccessPlan.objects.get().is_template is True


def test_ticking_template_makes_a_template_listed_only_by_the_filter(client_for, account):
    client = client_for("csm")
    response = client.post(
        URL, plan_data(name="Onboarding — 90 days", account="", is_template="on")
    )
    template = SuccessPlan.objects.get()
    assert response.status_code == 302
    assert response.url == template.get_absolute_url()
    assert template.is_template is True
    assert template.account is None
    assert template.effective_date == date(2026, 1, 5)
    plans = reverse("successplans:plan-list")
    assert list(client.get(plans).context["page"]) == []
    assert list(client.get(plans, {"is_template": "no"}).context["page"]) == []
    assert [p.pk for p in client.get(plans, {"is_template": "yes"}).context["page"]] == [
        template.pk
    ]
    picker = client.get(reverse("successplans:template-picker")).text
    assert "Onboarding — 90 days" in picker
    tracker = client.get(reverse("successplans:tracker")).text
    assert "Onboarding — 90 days" not in tracker


def test_a_template_may_have_an_account(client_for, account):
    client_for("csm").post(URL, plan_data(account=account.pk, is_template="on"))
    template = SuccessPlan.objects.get()
    assert (template.is_template, template.account) == (True, account)


def test_the_window_offers_the_template_checkbox(client_for):
    text = client_for("csm").get(URL).text
    assert 'type="checkbox" name="is_template"' in text
    assert '<label for="id_is_template">Template</label>' in text


def test_a_bad_date_is_explained(client_for, account):
    response = client_for("csm").post(URL, plan_data(account=account.pk, effective_date="soon"))
    assert response.status_code == 200
    assert "Enter a valid date." in response.text
    assert not SuccessPlan.objects.exists()


# -- record types -----------------------------------------------------------------------------
def test_without_record_types_the_default_field_set_is_used(client_for):
    response = client_for("csm").get(URL)
    form = response.context["form"]
    assert {"description", "end_date", "owner"} <= set(form.fields)
    assert "Record Type" not in response.text
    assert "select a record type" not in response.text


def test_with_record_types_the_picker_comes_first(client_for, account):
    enterprise = RecordTypeFactory(name="Enterprise plan")
    RecordTypeFactory(name="Zeta plan")
    RecordTypeFactory(name="Objective type", object_type=RecordType.ObjectType.OBJECTIVE)
    response = client_for("csm").get(URL, {"account": account.pk, "next": "/tracker/"})
    assert response.status_code == 200
    assert "New Success Plan: select a record type" in response.text
    assert "Enterprise plan" in response.text
    assert "Objective type" not in response.text
    assert "form" not in response.context or response.context.get("form") is None
    # The picker keeps the pre-filled account and the way back.
    assert f'name="account" value="{account.pk}"' in response.text
    assert 'name="next" value="/tracker/"' in response.text
    # The first record type is chosen already.
    assert response.context["picker"]["record_type"].value() == enterprise.pk


def test_the_chosen_record_type_hides_fields_and_is_read_only(client_for, account):
    light = RecordTypeFactory(name="Light plan", field_set=["description"])
    response = client_for("csm").get(URL, {"record_type": light.pk})
    form = response.context["form"]
    assert "description" in form.fields
    assert "owner" not in form.fields
    assert "end_date" not in form.fields
    # Shown as text, not as a box that looks editable.
    assert 'aria-readonly="true" aria-labelledby="record-type-display-label">Light plan</span>' in (
        response.text
    )
    assert 'value="Light plan"' not in response.text
    assert f'<input type="hidden" name="record_type" value="{light.pk}">' in response.text


def test_the_record_type_is_saved_and_shown_read_only(client_for, account):
    light = RecordTypeFactory(name="Light plan", field_set=["description"])
    client = client_for("csm")
    response = client.post(
        f"{URL}?record_type={light.pk}",
        plan_data(account=account.pk, record_type=light.pk, owner=ResourceFactory().pk),
    )
    assert response.status_code == 302
    plan = SuccessPlan.objects.get()
    assert plan.record_type == light
    assert plan.owner is None  # not in the Light plan field set
    assert plan.end_date is None
    edit = client.get(reverse("successplans:plan-edit", args=[plan.pk]))
    assert ">Light plan</span>" in edit.text
    assert "owner" not in edit.context["form"].fields


def test_posting_without_a_record_type_shows_the_picker_again(client_for, account):
    RecordTypeFactory(name="Enterprise plan")
    response = client_for("csm").post(URL, plan_data(account=account.pk))
    assert response.status_code == 200
    assert "select a record type" in response.text
    assert not SuccessPlan.objects.exists()
