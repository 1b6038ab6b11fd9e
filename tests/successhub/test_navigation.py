import pytest

from successhub import navigation
from successhub.navigation import NavEntry
from successhub.navigation import nav_for
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


def current(user, path: str) -> list[str]:
    return [item["label"] for item in nav_for(user, path) if item["current"]]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/cases/", ["Success Cases"]),
        ("/cases/SCS0001001/tasks/new/", ["Success Cases"]),
        ("/cases-other/", []),
        ("/", []),
        ("/plans/2/", ["Success Plans"]),
        ("/objectives/9/", ["Success Plans"]),
        ("/tracker/", ["Success Tracker"]),
        ("/business-challenges/2/edit/", ["Business Challenges"]),
        ("/accounts/4/", ["Accounts"]),
        ("/engagements/", ["Engagements"]),
        ("/review/SCS0001001/", ["Review"]),
        ("/login/", []),
    ],
)
def test_the_current_section_is_marked_by_whole_path_segments(db, path, expected):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert current(admin, path) == expected


def test_where_sections_nest_the_longest_match_is_current(monkeypatch, db):
    monkeypatch.setattr(
        navigation,
        "NAVIGATION",
        (
            NavEntry("Home", "home", "engagements.view_account"),
            NavEntry("Cases", "playbooks:case-list", "engagements.view_account"),
            NavEntry("New case", "playbooks:case-new", "engagements.view_account"),
        ),
    )
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert current(admin, "/") == ["Home"]
    assert current(admin, "/cases/new/") == ["New case"]
    assert current(admin, "/cases/SCS1/") == ["Cases"]


def test_the_layout_marks_only_the_current_section(client_for):
    html = client_for("agent").get("/cases/").text
    assert html.count('aria-current="page"') == 1
    assert '<a href="/cases/" aria-current="page">Success Cases</a>' in html
    assert 'aria-current="page"' not in client_for("agent").get("/").text
