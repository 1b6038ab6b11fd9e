"""Issue 12: a message shows once, after the action that caused it (defect 3); one label
for a person everywhere, the username added only where two active users share a name (4)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.formatting import person
from core.roles import Role
from playbooks import services
from playbooks.models import SuccessCase
from tests.factories import UserFactory

from .conftest import complete_current
from .conftest import current_activity
from .conftest import make_reviewable_case

CREATED = "Success case SCS0001001 created."
HTMX = {"HTTP_HX_REQUEST": "true"}


def messages_region(html: str) -> str:
    match = re.search(r'<div id="messages".*?</div>', html, re.S)
    assert match, "no #messages region in the response"
    return match.group(0)


# -- defect 3: the "created" banner --------------------------------------------------------------
def test_the_created_message_shows_once_right_after_creation(client_for, agent, engagement):
    client = client_for("agent")
    new = reverse("playbooks:case-new")
    response = client.post(new, {"number": "SCS0001001", "engagement": engagement.pk}, follow=True)
    assert CREATED in messages_region(response.text)
    case = SuccessCase.objects.get()
    again = client.get(case.get_absolute_url())
    assert CREATED not in again.text
    assert "created." not in messages_region(again.text)


def test_a_later_step_in_place_clears_the_created_banner(client_for, agent, engagement):
    """htmx swaps only the case body: the response must also replace the messages region, or
    the banner of the creation stays on screen through every later step."""
    client = client_for("agent")
    new = reverse("playbooks:case-new")
    client.post(new, {"number": "SCS0001001", "engagement": engagement.pk}, follow=True)
    case = SuccessCase.objects.get()
    activity = current_activity(case)
    fields = {"short_description": "Adoption push", "priority": 1, "assigned_to": agent.pk}
    step = client.post(
        reverse("playbooks:activity-complete", args=[case.number, activity.pk]),
        {f"a{activity.pk}-{key}": value for key, value in fields.items()},
        **HTMX,
    )
    assert step.status_code == 200
    region = messages_region(step.text)
    assert 'hx-swap-oob="true"' in region
    assert CREATED not in region
    body = client.get(case.get_absolute_url(), **HTMX)
    region = messages_region(body.text)
    assert 'hx-swap-oob="true"' in region
    assert "created" not in region


# -- defect 4: one label for a person --------------------------------------------------------
@pytest.fixture
def namesakes(db):
    roles = [Role.SUCCESS_AGENT]
    sam1 = UserFactory(username="sam1", first_name="Sam", last_name="Rivera", roles=roles)
    sam2 = UserFactory(username="sam2", first_name="Sam", last_name="Rivera", roles=roles)
    alex = UserFactory(username="alex", first_name="Alex", last_name="Agent", roles=roles)
    return sam1, sam2, alex


def assert_no_bare_username(html: str, *usernames: str) -> None:
    for username in usernames:
        assert not re.search(rf">\s*{username}\s*<", html), f"bare {username!r} in the page"


def test_namesakes_are_told_apart_and_others_are_not(namesakes):
    sam1, sam2, alex = namesakes
    assert (person(sam1), person(sam2), person(alex)) == (
        "Sam Rivera (sam1)",
        "Sam Rivera (sam2)",
        "Alex Agent",
    )
    sam2.is_active = False
    sam2.save()
    assert person(sam1) == "Sam Rivera"


def test_the_assigned_to_filter_names_the_chosen_person(client_for, namesakes, engagement):
    sam1, _, _ = namesakes
    services.success_case_create(engagement=engagement, user=sam1)
    response = client_for("agent").get(reverse("playbooks:case-list"), {"assigned_to": sam1.pk})
    assert response.status_code == 200
    assert f'<option value="{sam1.pk}" selected>Sam Rivera (sam1)</option>' in response.text
    assert "Sam Rivera (sam1)" in response.text.split("<table", 1)[-1]
    assert_no_bare_username(response.text, "sam1", "sam2", "alex")
    assert "Alex Agent" in response.text


def test_the_review_squad_filter_names_the_chosen_person(client_for, namesakes, engagement):
    sam1, _, alex = namesakes
    make_reviewable_case(
        "SCS0009001",
        engagement=engagement,
        agent=alex,
        closed_at=timezone.now() - timedelta(days=1),
        hours=(1, 2, 3),
        squad=(sam1,),
    )
    response = client_for("manager").get(reverse("playbooks:review"), {"squad": sam1.pk})
    assert response.status_code == 200
    assert f'<option value="{sam1.pk}" selected>Sam Rivera (sam1)</option>' in response.text
    assert "SCS0009001" in response.text
    assert_no_bare_username(response.text, "sam1", "sam2", "alex")


def test_the_case_page_names_people_the_same_way(client_for, namesakes, engagement):
    sam1, _, alex = namesakes
    case = services.success_case_create(engagement=engagement, user=sam1).case
    complete_current(case, sam1, assigned_to=sam1)
    complete_current(case, sam1, squad=[sam1, alex])
    response = client_for("agent").get(case.get_absolute_url())
    assert response.status_code == 200
    assert "Sam Rivera (sam1)" in response.text
    assert "Alex Agent" in response.text
    assert_no_bare_username(response.text, "sam1", "sam2", "alex")
    assert not re.search(r"Sam Rivera(?! \(sam)", response.text)
