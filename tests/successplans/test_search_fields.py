"""Fields whose choices grow with the data are search-as-you-type: with 60 accounts and plans
the Success Plans and Business Challenges pages, the challenge form and the plan form render
the chosen value and the first 20 matches, never every row."""

import re

import pytest
from django.urls import reverse

from .factories import AccountFactory
from .factories import PlaybookTaskFactory
from .factories import ResourceFactory
from .factories import SuccessPlanFactory

MANY = 60
MOST = 21  # the empty choice ("Any …") and the first 20 matches; the chosen one replaces one


@pytest.fixture
def many(db):
    accounts = [AccountFactory(name=f"Account {n:03d}") for n in range(MANY)]
    owners = [ResourceFactory() for _ in range(MANY)]
    plans = [
        SuccessPlanFactory(name=f"Plan {n:03d}", account=accounts[n], owner=owners[n])
        for n in range(MANY)
    ]
    return accounts, owners, plans


def options(html: str, name: str) -> list[str]:
    """The values of the ``<option>``s of the ``<select name=…>``."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={name}>"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def test_the_plan_list_filters_offer_the_first_matches_and_the_chosen_one(client_for, many):
    accounts, owners, _ = many
    last_account, last_owner = accounts[-1], owners[-1]
    html = (
        client_for("csm")
        .get(
            reverse("successplans:plan-list"), {"account": last_account.pk, "owner": last_owner.pk}
        )
        .text
    )
    for name, chosen in (("account", last_account), ("owner", last_owner)):
        values = options(html, name)
        assert len(values) <= MOST + 1
        assert str(chosen.pk) in values  # it sorts last, yet it is there (and selected)
    assert re.search(rf'<option value="{last_account.pk}" selected>', html)
    assert '<input type="search" name="q"' in html


def test_the_challenge_list_filters_offer_the_first_matches_and_the_chosen_one(client_for, many):
    accounts, _, plans = many
    html = (
        client_for("csm")
        .get(
            reverse("successplans:challenge-list"),
            {"account": accounts[-1].pk, "plan": plans[-1].pk},
        )
        .text
    )
    for name, chosen in (("account", accounts[-1]), ("plan", plans[-1])):
        values = options(html, name)
        assert len(values) <= MOST + 1
        assert str(chosen.pk) in values
    assert '<input type="search" name="q"' in html


def test_the_challenge_form_offers_the_first_plans_and_the_prefilled_one(client_for, many):
    _, _, plans = many
    html = client_for("csm").get(reverse("successplans:challenge-new"), {"plan": plans[-1].pk}).text
    values = options(html, "plan")
    assert len(values) <= MOST + 1
    assert f'<option value="{plans[-1].pk}" selected>Plan {MANY - 1:03d} (' in html


def test_typing_narrows_the_plans_without_javascript(client_for, many):
    html = client_for("csm").get(reverse("successplans:challenge-list"), {"plan_q": "Plan 05"}).text
    labels = re.findall(r"<option value=\"\d+\">(Plan \d+)", html)
    # Every word matches: "05" is in Plan 005 and Plan 050 to Plan 059.
    assert labels == [f"Plan {n:03d}" for n in (5, *range(50, 60))]


def test_the_plan_form_offers_the_first_accounts_and_owners(client_for, many):
    _, _, plans = many
    plan = plans[-1]
    html = client_for("csm").get(reverse("successplans:plan-edit", args=[plan.pk])).text
    for name, chosen in (("account", plan.account_id), ("owner", plan.owner_id)):
        values = options(html, name)
        assert len(values) <= MOST + 1
        assert str(chosen) in values


def test_the_tracker_keeps_the_chosen_accounts_as_ticked_boxes(client_for, many):
    accounts, _, _ = many
    chosen = [accounts[-1].pk, accounts[-2].pk]
    html = client_for("csm").get(reverse("successplans:tracker"), {"account": chosen}).text
    for pk in chosen:
        assert f'<input type="checkbox" name="account" value="{pk}" checked>' in html
    # The select offers more to add: the first matches, without the chosen ones.
    values = options(html, "account")
    assert len(values) <= MOST - 1
    assert not {str(pk) for pk in chosen} & set(values)


def test_a_tasks_resources_are_ticked_boxes_and_a_search_field(client_for, many):
    _, owners, plans = many
    task = PlaybookTaskFactory(plan=plans[0], resources=[owners[-1], owners[-2]])
    html = client_for("csm").get(reverse("successplans:task-edit", args=[task.pk])).text
    for resource in (owners[-1], owners[-2]):
        assert f'<input type="checkbox" name="resources" value="{resource.pk}" checked>' in html
    assert len(options(html, "resources")) <= MOST - 1
