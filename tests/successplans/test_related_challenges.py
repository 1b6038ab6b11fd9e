"""Business challenges added, edited and deleted from the plan's Related tab."""

import pytest
from django.urls import reverse

from successplans.models import BusinessChallenge
from tests.successplans.factories import BusinessChallengeFactory
from tests.successplans.factories import ChallengeCategoryFactory
from tests.successplans.factories import SuccessPlanFactory

VIEW_ONLY = ["participant", "agent", "manager"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(db):
    return SuccessPlanFactory()


@pytest.fixture
def challenge(plan):
    return BusinessChallengeFactory(plan=plan, name="Paper pick lists")


def new_url(plan) -> str:
    return reverse("successplans:plan-challenge-new", args=[plan.pk])


def test_it_adds_a_challenge_to_the_plan_in_place(client_for, plan):
    category = ChallengeCategoryFactory(name="Adoption")
    client = client_for("csm")
    form = client.get(new_url(plan), **HTMX)
    assert 'hx-target="#related-challenges"' in form.text and 'name="plan"' not in form.text
    response = client.post(
        new_url(plan),
        {"name": "Slow onboarding", "category": category.pk, "notes": "Weeks."},
        **HTMX,
    )
    challenge = BusinessChallenge.objects.get()
    assert (challenge.plan, challenge.category, challenge.notes) == (plan, category, "Weeks.")
    assert "Business Challenges (1)" in response.text and "Slow onboarding" in response.text


def test_it_adds_a_challenge_with_a_plain_post(client_for, plan):
    response = client_for("csm").post(new_url(plan), {"name": "Slow onboarding"})
    assert response["Location"] == f"/plans/{plan.pk}/?tab=related"
    assert BusinessChallenge.objects.get().plan == plan


def test_it_needs_a_name(client_for, plan):
    response = client_for("csm").post(new_url(plan), {"name": ""}, **HTMX)
    assert "This field is required." in response.text
    assert not BusinessChallenge.objects.exists()


def test_it_edits_and_deletes_in_place(client_for, challenge):
    client = client_for("csm")
    edit = reverse("successplans:plan-challenge-edit", args=[challenge.plan.pk, challenge.pk])
    response = client.post(edit, {"name": "Printed pick lists", "notes": "Still."}, **HTMX)
    assert "Printed pick lists" in response.text
    challenge.refresh_from_db()
    assert challenge.name == "Printed pick lists"

    delete = reverse("successplans:plan-challenge-delete", args=[challenge.plan.pk, challenge.pk])
    assert "Delete Printed pick lists?" in client.get(delete, **HTMX).text
    response = client.post(delete, **HTMX)
    assert not BusinessChallenge.objects.exists()
    assert "Business Challenges (0)" in response.text


def test_it_does_not_reach_a_challenge_of_another_plan(client_for, challenge):
    other = SuccessPlanFactory()
    url = reverse("successplans:plan-challenge-edit", args=[other.pk, challenge.pk])
    assert client_for("csm").post(url, {"name": "Moved"}).status_code == 404
    challenge.refresh_from_db()
    assert challenge.plan != other and challenge.name == "Paper pick lists"


@pytest.mark.parametrize("who", VIEW_ONLY)
def test_it_refuses_view_only_roles(client_for, challenge, who):
    client = client_for(who)
    plan = challenge.plan
    edit = reverse("successplans:plan-challenge-edit", args=[plan.pk, challenge.pk])
    delete = reverse("successplans:plan-challenge-delete", args=[plan.pk, challenge.pk])
    for url in (new_url(plan), edit, delete):
        assert client.get(url, **HTMX).status_code == 403
    assert client.post(new_url(plan), {"name": "New"}).status_code == 403
    assert client.post(edit, {"name": "Hacked"}).status_code == 403
    assert client.post(delete).status_code == 403
    assert list(BusinessChallenge.objects.values_list("name", flat=True)) == ["Paper pick lists"]


def test_it_refuses_a_user_without_role(client_for, plan):
    assert client_for("no_role_user").post(new_url(plan), {"name": "New"}).status_code == 403
    assert not BusinessChallenge.objects.exists()


def test_it_sends_strangers_to_login(client_for, plan):
    assert client_for(None).get(new_url(plan)).url.startswith("/login/?next=")
