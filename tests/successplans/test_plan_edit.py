"""Edit Success Plan: /plans/<id>/edit/ (the plan and its business challenges)."""

from datetime import date

import pytest
from django.urls import reverse

from successplans.models import BusinessChallenge
from successplans.models import ChallengeCategory
from successplans.models import Status
from tests.factories import AccountFactory
from tests.factories import ResourceFactory

from .factories import BusinessChallengeFactory
from .factories import SuccessPlanFactory

P = "challenges"


@pytest.fixture
def plan(db):
    plan = SuccessPlanFactory(
        name="Warehouse adoption",
        account=AccountFactory(name="Northwind"),
        effective_date=date(2026, 1, 5),
        end_date=date(2026, 6, 30),
        status=Status.NOT_STARTED,
    )
    BusinessChallengeFactory(plan=plan, name="Paper pick lists", notes="Floor staff")
    return plan


def url(plan) -> str:
    return reverse("successplans:plan-edit", args=[plan.pk])


def edit_data(plan, **overrides) -> dict:
    challenge = plan.business_challenges.get()
    data = {
        "account": plan.account_id,
        "name": plan.name,
        "description": plan.description,
        "end_date": plan.end_date.isoformat(),
        "status": plan.status,
        "owner": plan.owner_id or "",
        f"{P}-TOTAL_FORMS": "1",
        f"{P}-INITIAL_FORMS": "1",
        f"{P}-0-id": challenge.pk,
        f"{P}-0-plan": plan.pk,
        f"{P}-0-name": challenge.name,
        f"{P}-0-category": challenge.category_id or "",
        f"{P}-0-notes": challenge.notes,
    }
    data.update(overrides)
    return data


def test_customer_success_gets_the_window(client_for, plan):
    response = client_for("csm").get(url(plan))
    assert response.status_code == 200
    assert "<h1>Edit Success Plan</h1>" in response.text
    assert 'value="Warehouse adoption"' in response.text
    assert 'value="Paper pick lists"' in response.text


def test_it_shows_the_effective_date_read_only(client_for, plan):
    response = client_for("csm").get(url(plan))
    assert "effective_date" not in response.context["form"].fields
    # Text that says it cannot be changed here, not a box that looks editable.
    assert 'id="effective-date-display" role="textbox" aria-readonly="true"' in response.text
    assert ">Jan 5, 2026</span>" in response.text
    assert 'type="date" value="2026-01-05"' not in response.text


def test_it_saves_the_plan(client_for, plan):
    owner = ResourceFactory()
    response = client_for("csm").post(
        url(plan),
        edit_data(plan, name="Warehouse go-live", status=Status.IN_PROGRESS, owner=owner.pk),
    )
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    plan.refresh_from_db()
    assert plan.name == "Warehouse go-live"
    assert plan.status == Status.IN_PROGRESS
    assert plan.owner == owner
    assert plan.effective_date == date(2026, 1, 5)  # untouched here


def test_ticking_template_makes_the_plan_a_template(client_for, plan):
    client = client_for("csm")
    response = client.post(url(plan), edit_data(plan, is_template="on"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.is_template is True
    plans = reverse("successplans:plan-list")
    assert list(client.get(plans).context["page"]) == []
    assert [p.pk for p in client.get(plans, {"is_template": "yes"}).context["page"]] == [plan.pk]


def test_unticking_template_makes_a_live_plan(client_for, plan):
    plan.is_template = True
    plan.save()
    client_for("csm").post(url(plan), edit_data(plan))
    plan.refresh_from_db()
    assert plan.is_template is False


def test_a_template_may_drop_its_account(client_for, plan):
    client_for("csm").post(url(plan), edit_data(plan, account="", is_template="on"))
    plan.refresh_from_db()
    assert (plan.is_template, plan.account) == (True, None)


def test_a_posted_effective_date_is_ignored(client_for, plan):
    client_for("csm").post(url(plan), edit_data(plan, effective_date="2020-01-01"))
    plan.refresh_from_db()
    assert plan.effective_date == date(2026, 1, 5)


def test_it_edits_adds_and_deletes_business_challenges(client_for, plan):
    kept = plan.business_challenges.get()
    data = edit_data(plan)
    second = BusinessChallengeFactory(plan=plan, name="No ERP link")
    integration = ChallengeCategory.objects.get(name="Integration")
    data.update(
        {
            f"{P}-TOTAL_FORMS": "3",
            f"{P}-INITIAL_FORMS": "2",
            f"{P}-0-notes": "Floor staff and leads",
            f"{P}-1-id": second.pk,
            f"{P}-1-plan": plan.pk,
            f"{P}-1-name": second.name,
            f"{P}-1-category": "",
            f"{P}-1-notes": "",
            f"{P}-1-DELETE": "on",
            f"{P}-2-name": "Budget freeze",
            f"{P}-2-category": integration.pk,
            f"{P}-2-notes": "",
        }
    )
    assert client_for("csm").post(url(plan), data).status_code == 302
    assert sorted(c.name for c in plan.business_challenges.all()) == [
        "Budget freeze",
        "Paper pick lists",
    ]
    kept.refresh_from_db()
    assert kept.notes == "Floor staff and leads"
    assert not BusinessChallenge.objects.filter(pk=second.pk).exists()
    assert plan.business_challenges.get(name="Budget freeze").category == integration


def test_add_business_challenge_without_javascript_adds_a_row(client_for, plan):
    data = edit_data(plan, name="Typed but not saved")
    data["add_challenge"] = "1"
    response = client_for("csm").post(url(plan), data)
    assert response.status_code == 200
    assert 'name="challenges-1-name"' in response.text
    assert 'value="Typed but not saved"' in response.text
    plan.refresh_from_db()
    assert plan.name == "Warehouse adoption"


def test_it_returns_to_a_safe_next_path(client_for, plan):
    response = client_for("csm").post(f"{url(plan)}?next=/tracker/", edit_data(plan))
    assert response.url == "/tracker/"


def test_end_before_effective_date_is_refused(client_for, plan):
    response = client_for("csm").post(url(plan), edit_data(plan, end_date="2025-12-31"))
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.text
    plan.refresh_from_db()
    assert plan.end_date == date(2026, 6, 30)


@pytest.mark.parametrize("kind", ["psa", "inactive"])
def test_a_psa_or_inactive_owner_is_refused(client_for, plan, kind):
    owner = ResourceFactory(is_psa=kind == "psa", is_active=kind != "inactive")
    response = client_for("csm").post(url(plan), edit_data(plan, owner=owner.pk, name="Changed"))
    assert response.status_code == 200
    assert "Choose an active resource that is not a PSA resource." in response.text
    plan.refresh_from_db()
    assert plan.name == "Warehouse adoption"


def test_removing_the_account_is_refused(client_for, plan):
    response = client_for("csm").post(url(plan), edit_data(plan, account=""))
    assert response.status_code == 200
    assert "A success plan needs an account." in response.text
    plan.refresh_from_db()
    assert plan.account is not None


def test_an_invalid_challenge_saves_nothing(client_for, plan):
    response = client_for("csm").post(
        url(plan), edit_data(plan, name="Changed", **{f"{P}-0-name": ""})
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    plan.refresh_from_db()
    assert plan.name == "Warehouse adoption"
    assert plan.business_challenges.get().name == "Paper pick lists"


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_may_not_open_the_window(client_for, plan, who):
    assert client_for(who).get(url(plan)).status_code == 403


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_may_not_save(client_for, plan, who):
    data = edit_data(plan, name="Changed", **{f"{P}-0-DELETE": "on"})
    assert client_for(who).post(url(plan), data).status_code == 403
    plan.refresh_from_db()
    assert plan.name == "Warehouse adoption"
    assert plan.business_challenges.count() == 1


def test_it_refuses_a_user_without_role(client_for, plan):
    assert client_for("no_role_user").get(url(plan)).status_code == 403


def test_it_sends_strangers_to_login(client_for, plan):
    response = client_for(None).get(url(plan))
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")


def test_unknown_plan_is_404(client_for, db):
    assert client_for("csm").get("/plans/999999/edit/").status_code == 404


@pytest.mark.parametrize("rows", [1, 12])
def test_query_count_does_not_grow_with_challenges(
    client_for, django_assert_max_num_queries, plan, rows
):
    BusinessChallengeFactory.create_batch(rows, plan=plan)
    client = client_for("csm")
    # The Account and Owner fields read their chosen value and their first matches (2 each).
    with django_assert_max_num_queries(12):
        assert client.get(url(plan)).status_code == 200
