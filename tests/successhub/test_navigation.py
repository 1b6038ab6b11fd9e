import pytest

from successhub import navigation
from successhub.navigation import NavEntry, nav_for
from tests.conftest import ROLE_FIXTURES
from tests.factories import UserFactory

EVERY_ROLE = [
    "Success Cases",
    "Success Plans",
    "Success Tracker",
    "Business Challenges",
    "Accounts",
    "Engagements",
]


def labels(user) -> list[str]:
    return [item["label"] for item in nav_for(user)]


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_each_role_sees_the_pages_it_may_open(db, request, who):
    # Every role reads cases, plans and accounts; Review is for Success Managers only.
    expected = [*EVERY_ROLE]
    if who == "manager":
        expected.append("Review")
    assert labels(request.getfixturevalue(who)) == expected


def test_a_user_without_role_sees_no_navigation(no_role_user):
    assert labels(no_role_user) == []


def test_an_entry_follows_its_permission(monkeypatch, agent, no_role_user):
    monkeypatch.setattr(
        navigation,
        "NAVIGATION",
        (NavEntry("Resources", "engagements:account-list", "engagements.view_resource"),),
    )
    assert labels(agent) == ["Resources"]
    assert labels(no_role_user) == []


def test_a_superuser_sees_every_page(db):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert labels(admin) == [*EVERY_ROLE, "Review"]


def test_an_entry_whose_page_is_not_built_is_left_out(monkeypatch, db):
    monkeypatch.setattr(
        navigation,
        "NAVIGATION",
        (
            NavEntry("Accounts", "engagements:account-list", "engagements.view_account"),
            NavEntry("Someday", "nowhere:page", "engagements.view_account"),
        ),
    )
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert labels(admin) == ["Accounts"]


def test_the_layout_shows_name_roles_and_navigation(client_for, agent):
    html = client_for("agent").get("/").text
    assert agent.get_full_name() in html
    assert '<span class="roles" data-testid="user-roles">Success Agent</span>' in html
    assert '<a href="/accounts/"' in html
