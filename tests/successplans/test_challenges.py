"""The Business Challenges tab: every challenge in the organisation, with create, view,
edit and delete for Customer Success; the other roles only view."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from successplans import services
from successplans.forms import BusinessChallengeForm
from successplans.models import BusinessChallenge
from successplans.models import ChallengeCategory
from tests.conftest import ROLE_FIXTURES

from .factories import AccountFactory
from .factories import BusinessChallengeFactory
from .factories import SuccessPlanFactory

LIST = reverse("successplans:challenge-list")
NEW = reverse("successplans:challenge-new")
READ_ONLY_ROLES = ["agent", "participant", "manager"]


def detail(challenge):
    return reverse("successplans:challenge-detail", args=[challenge.pk])


def edit(challenge):
    return reverse("successplans:challenge-edit", args=[challenge.pk])


def delete(challenge):
    return reverse("successplans:challenge-delete", args=[challenge.pk])


@pytest.fixture
def plan(db):
    return SuccessPlanFactory(name="Warehouse rollout", account=AccountFactory(name="Northwind"))


@pytest.fixture
def challenge(plan):
    return BusinessChallengeFactory(
        plan=plan,
        name="Pickers still use paper lists",
        category=ChallengeCategory.objects.get(name="Adoption"),
        notes="Floor leads were not trained.",
    )


def integration():
    return ChallengeCategory.objects.get(name="Integration")


# -- who may do what ---------------------------------------------------------------------------
@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_every_role_sees_the_list_and_the_record_page(client_for, who, challenge):
    client = client_for(who)
    listed = client.get(LIST)
    assert listed.status_code == 200
    assert "Business Challenges" in listed.text
    assert "Pickers still use paper lists" in listed.text
    page = client.get(detail(challenge))
    assert page.status_code == 200
    assert "Floor leads were not trained." in page.text
    assert "Warehouse rollout" in page.text
    assert "Northwind" in page.text
    assert f'href="{challenge.plan.get_absolute_url()}"' in page.text
    assert f'href="{challenge.plan.account.get_absolute_url()}"' in page.text


@pytest.mark.parametrize("who", READ_ONLY_ROLES)
def test_read_only_roles_see_no_change_controls(client_for, who, challenge):
    client = client_for(who)
    listed, page = client.get(LIST).text, client.get(detail(challenge)).text
    for text in (listed, page):
        assert NEW not in text
        assert edit(challenge) not in text
        assert delete(challenge) not in text


def test_customer_success_sees_the_change_controls(client_for, challenge):
    client = client_for("csm")
    listed, page = client.get(LIST).text, client.get(detail(challenge)).text
    assert f'href="{NEW}"' in listed
    assert edit(challenge) in listed and delete(challenge) in listed
    # The same row actions as every other list: plain links, no red Delete button per row.
    assert 'class="button danger"' not in listed
    assert f'<a href="{delete(challenge)}?next=' in listed
    assert f'href="{edit(challenge)}"' in page
    assert f'href="{delete(challenge)}"' in page


@pytest.mark.parametrize("who", READ_ONLY_ROLES)
def test_it_refuses_changes_to_read_only_roles(client_for, who, challenge, plan):
    client = client_for(who)
    for url in (NEW, edit(challenge), delete(challenge)):
        assert client.get(url).status_code == 403
    data = {"plan": plan.pk, "name": "Renamed", "notes": ""}
    assert client.post(NEW, data).status_code == 403
    assert client.post(edit(challenge), data).status_code == 403
    assert client.post(delete(challenge)).status_code == 403
    assert BusinessChallenge.objects.count() == 1
    challenge.refresh_from_db()
    assert challenge.name == "Pickers still use paper lists"


def test_it_refuses_a_user_without_role(client_for, challenge, plan):
    client = client_for("no_role_user")
    for url in (LIST, detail(challenge), NEW, edit(challenge), delete(challenge)):
        assert client.get(url).status_code == 403
    assert client.post(NEW, {"plan": plan.pk, "name": "X"}).status_code == 403
    assert client.post(delete(challenge)).status_code == 403
    assert BusinessChallenge.objects.filter(pk=challenge.pk).exists()


def test_it_sends_strangers_to_login(client_for, challenge, plan):
    client = client_for(None)
    for url in (LIST, detail(challenge), NEW, edit(challenge), delete(challenge)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"/login/?next={url}"
    assert client.post(delete(challenge)).status_code == 302
    assert BusinessChallenge.objects.filter(pk=challenge.pk).exists()


def test_an_unknown_challenge_is_not_found(client_for, db):
    client = client_for("csm")
    assert client.get("/business-challenges/999/").status_code == 404
    assert client.post("/business-challenges/999/delete/").status_code == 404


# -- the list ----------------------------------------------------------------------------------
def test_it_lists_every_challenge_with_links_to_plan_and_account(client_for, challenge, plan):
    other = BusinessChallengeFactory(name="No single view of stock")
    response = client_for("participant").get(LIST)
    # By account name: "Account 0…" (the factory's) before "Northwind".
    assert [c.name for c in response.context["page"]] == [
        "No single view of stock",
        "Pickers still use paper lists",
    ]
    assert f'href="{detail(challenge)}"' in response.text
    assert f'href="{plan.get_absolute_url()}"' in response.text
    assert f'href="{plan.account.get_absolute_url()}"' in response.text
    assert f'href="{other.plan.account.get_absolute_url()}"' in response.text
    assert "Adoption" in response.text
    assert "Floor leads were not trained." in response.text


def test_it_filters_by_account_plan_and_category(client_for, challenge, plan):
    second = BusinessChallengeFactory(plan=plan, name="ERP sync fails", category=integration())
    elsewhere = BusinessChallengeFactory(name="Budget frozen")
    client = client_for("agent")

    def names(**query):
        return sorted(c.name for c in client.get(LIST, query).context["page"])

    assert names(account=plan.account_id) == ["ERP sync fails", "Pickers still use paper lists"]
    assert names(plan=elsewhere.plan_id) == ["Budget frozen"]
    assert names(category=integration().pk) == ["ERP sync fails"]
    assert names(account=plan.account_id, category=integration().pk) == [second.name]


def test_it_searches_names_and_notes(client_for, challenge):
    BusinessChallengeFactory(name="ERP sync fails", notes="Nightly job times out.")
    client = client_for("agent")
    assert [c.name for c in client.get(LIST, {"q": "paper"}).context["page"]] == [
        "Pickers still use paper lists"
    ]
    assert [c.name for c in client.get(LIST, {"q": "nightly"}).context["page"]] == [
        "ERP sync fails"
    ]


def test_it_sorts_by_name_both_ways(client_for, plan):
    for name in ("Bravo", "Alpha", "Charlie"):
        BusinessChallengeFactory(plan=plan, name=name)
    client = client_for("agent")
    assert [c.name for c in client.get(LIST, {"sort": "name"}).context["page"]] == [
        "Alpha",
        "Bravo",
        "Charlie",
    ]
    assert [c.name for c in client.get(LIST, {"sort": "-name"}).context["page"]] == [
        "Charlie",
        "Bravo",
        "Alpha",
    ]


def test_it_explains_a_bad_filter_instead_of_failing(client_for, challenge):
    response = client_for("agent").get(LIST, {"account": "abc", "sort": "nonsense"})
    assert response.status_code == 200
    assert "Some filters are not valid" in response.text
    assert list(response.context["page"]) == []


def test_htmx_gets_only_the_results(client_for, challenge):
    response = client_for("agent").get(LIST, {"q": "paper"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Pickers still use paper lists" in response.text
    assert response.templates[0].name == ("successplans/partials/challenge_list_results.html")


def test_it_paginates(client_for, plan):
    BusinessChallengeFactory.create_batch(27, plan=plan)
    client = client_for("agent")
    assert len(client.get(LIST).context["page"]) == 25
    assert len(client.get(LIST, {"page": 2}).context["page"]) == 2


@pytest.mark.parametrize("rows", [2, 30])
def test_the_list_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, rows):
    for _ in range(rows):
        BusinessChallengeFactory(plan=SuccessPlanFactory(), notes="Long notes " * 20)
    client = client_for("csm")
    client.get(LIST)  # warm the session
    # session, user, 2 permission lookups, role names (menu), count, page,
    # and the account, plan and category choices of the filters
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.status_code == 200


# -- create ------------------------------------------------------------------------------------
def test_customer_success_creates_a_challenge_on_a_plan(client_for, plan):
    response = client_for("csm").post(
        NEW,
        {
            "plan": plan.pk,
            "name": "ERP sync fails",
            "category": integration().pk,
            "notes": "Nightly job times out.",
        },
    )
    created = BusinessChallenge.objects.get()
    assert response.status_code == 302
    assert response.url == detail(created)
    assert (created.plan, created.name, created.category, created.notes) == (
        plan,
        "ERP sync fails",
        integration(),
        "Nightly job times out.",
    )


def test_new_prefills_the_plan_from_the_query(client_for, plan):
    response = client_for("csm").get(NEW, {"plan": plan.pk})
    assert '<label for="id_plan">Success Plan</label>' in response.text
    assert response.context["form"]["plan"].value() == str(plan.pk)
    assert f'<option value="{plan.pk}" selected>Warehouse rollout (Northwind)</option>' in (
        response.text
    )
    # A bad id pre-fills nothing rather than failing.
    assert client_for("csm").get(NEW, {"plan": "abc"}).status_code == 200


def test_a_challenge_without_a_plan_is_refused_next_to_the_field(client_for, db):
    response = client_for("csm").post(NEW, {"plan": "", "name": "Orphan"})
    assert response.status_code == 200
    assert response.context["form"].errors["plan"] == [
        "A business challenge belongs to a success plan: choose one."
    ]
    assert "A business challenge belongs to a success plan: choose one." in response.text
    assert not BusinessChallenge.objects.exists()


def test_a_challenge_without_a_name_is_refused(client_for, plan):
    response = client_for("csm").post(NEW, {"plan": plan.pk, "name": ""})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not BusinessChallenge.objects.exists()


def test_create_from_the_tracker_returns_there(client_for, plan):
    client = client_for("csm")
    page = client.get(NEW, {"plan": plan.pk, "next": "/tracker/?zoom=weeks"})
    assert '<input type="hidden" name="next" value="/tracker/?zoom=weeks">' in page.text
    response = client.post(
        NEW, {"plan": plan.pk, "name": "Budget frozen", "next": "/tracker/?zoom=weeks"}
    )
    assert response.status_code == 302
    assert response.url == "/tracker/?zoom=weeks"
    assert BusinessChallenge.objects.get().plan == plan


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "tracker"])
def test_it_never_returns_to_another_site(client_for, plan, target):
    response = client_for("csm").post(NEW, {"plan": plan.pk, "name": "X", "next": target})
    assert response.url == detail(BusinessChallenge.objects.get())


# -- edit --------------------------------------------------------------------------------------
def test_customer_success_edits_a_challenge(client_for, challenge, plan):
    client = client_for("csm")
    form = client.get(edit(challenge))
    assert form.context["form"].fields["plan"].disabled
    assert "A business challenge can only have one success plan." in form.text
    response = client.post(
        edit(challenge),
        {"name": "Paper lists on the floor", "category": integration().pk, "notes": "Better."},
    )
    assert response.status_code == 302
    assert response.url == detail(challenge)
    challenge.refresh_from_db()
    assert (challenge.plan, challenge.name, challenge.category, challenge.notes) == (
        plan,
        "Paper lists on the floor",
        integration(),
        "Better.",
    )


def test_a_crafted_post_cannot_move_a_challenge_to_a_second_plan(client_for, challenge, plan):
    other = SuccessPlanFactory(name="Another plan")
    response = client_for("csm").post(
        edit(challenge), {"plan": other.pk, "name": "Moved?", "notes": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["plan"] == [
        "A business challenge can only have one success plan: it stays on “Warehouse rollout”."
    ]
    challenge.refresh_from_db()
    assert challenge.plan == plan
    assert challenge.name == "Pickers still use paper lists"


def test_posting_its_own_plan_again_is_fine(client_for, challenge, plan):
    response = client_for("csm").post(edit(challenge), {"plan": plan.pk, "name": "Renamed"})
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.plan, challenge.name) == (plan, "Renamed")


def test_edit_from_the_tracker_returns_there(client_for, challenge):
    response = client_for("csm").post(
        f"{edit(challenge)}?next=/tracker/", {"name": "Renamed", "notes": ""}
    )
    assert response.status_code == 302
    assert response.url == "/tracker/"
    challenge.refresh_from_db()
    assert challenge.name == "Renamed"


# -- delete ------------------------------------------------------------------------------------
def test_delete_asks_first(client_for, challenge):
    response = client_for("csm").get(delete(challenge))
    assert response.status_code == 200
    assert "Delete the business challenge" in response.text
    assert "Warehouse rollout" in response.text
    assert BusinessChallenge.objects.filter(pk=challenge.pk).exists()


def test_customer_success_deletes_from_the_record_page(client_for, challenge, plan):
    response = client_for("csm").post(delete(challenge))
    assert response.status_code == 302
    assert response.url == LIST
    assert not BusinessChallenge.objects.filter(pk=challenge.pk).exists()
    assert plan.__class__.objects.filter(pk=plan.pk).exists()  # the plan stays


def test_delete_returns_to_next(client_for, challenge):
    response = client_for("csm").post(delete(challenge), {"next": "/tracker/"})
    assert response.url == "/tracker/"
    assert not BusinessChallenge.objects.exists()


def test_htmx_delete_from_the_list_removes_the_row(client_for, challenge):
    response = client_for("csm").post(delete(challenge), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    # The row is swapped out for nothing; only the page's messages region comes along.
    assert response.text.startswith('<div id="messages"')
    assert 'hx-swap-oob="true"' in response.text
    assert "deleted from Warehouse rollout" in response.text
    assert not BusinessChallenge.objects.exists()


# -- one form and one service for every place ----------------------------------------------------
def test_the_service_keeps_a_challenge_on_its_plan(challenge, plan):
    other = SuccessPlanFactory(name="Another plan")
    with pytest.raises(DomainError) as refused:
        services.challenge_update(challenge=challenge, data={"plan": other, "name": "Moved?"})
    assert refused.value.field == "plan"
    assert "it stays on “Warehouse rollout”" in str(refused.value)
    challenge.refresh_from_db()
    assert (challenge.plan, challenge.name) == (plan, "Pickers still use paper lists")


def test_the_related_list_and_the_plan_window_use_the_same_form(client_for, plan):
    client = client_for("csm")
    related = client.get(reverse("successplans:plan-challenge-new", args=[plan.pk]))
    window = client.get(reverse("successplans:plan-edit", args=[plan.pk]))
    assert isinstance(related.context["panel"]["form"], BusinessChallengeForm)
    assert "plan" not in related.context["panel"]["form"].fields  # the plan is the page's
    assert all(isinstance(row, BusinessChallengeForm) for row in window.context["challenges"])
    assert isinstance(client.get(NEW).context["form"], BusinessChallengeForm)
