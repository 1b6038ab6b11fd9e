"""Issue 12: a message shows once, after the action that caused it (defect 3)."""

import re

from django.urls import reverse

from playbooks.models import SuccessCase

from .conftest import current_activity

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
