"""Issue 18, minor: free texts hold at most 5,000 characters (``core.text.LONG_TEXT``).

A megabyte typed into a comment, a work note, a case's description or a plan's description
is refused next to the field, and nothing is stored.
"""

import pytest
from django.urls import reverse

from core.text import LONG_TEXT
from playbooks.models import JournalEntry
from successplans.models import Objective
from successplans.models import Status
from tests.successplans.factories import SuccessPlanFactory

from .conftest import current_activity
from .conftest import work_until

TOO_LONG = "x" * (LONG_TEXT + 1)
MESSAGE = f"Ensure this value has at most {LONG_TEXT} characters (it has {LONG_TEXT + 1})."


def post_activity(client, case, data):
    activity = current_activity(case)
    prefixed = {f"a{activity.pk}-{key}": value for key, value in data.items()}
    return client.post(f"/cases/{case.number}/activities/{activity.pk}/complete/", prefixed)


@pytest.mark.parametrize("activity", ["Communicate the intended outcome", "Define the action plan"])
def test_a_comment_or_work_note_too_long_is_refused(client_for, agent, open_case, activity):
    work_until(open_case, agent, activity)
    response = post_activity(client_for("agent"), open_case, {"text": TOO_LONG})
    assert response.status_code == 200
    assert f'<p class="field-error">{MESSAGE}</p>' in response.text
    assert current_activity(open_case).name == activity
    assert not JournalEntry.objects.filter(case=open_case, body=TOO_LONG).exists()


def test_a_case_description_too_long_is_refused(client_for, agent, open_case):
    response = post_activity(
        client_for("agent"),
        open_case,
        {"short_description": "Adoption", "priority": 2, "description": TOO_LONG},
    )
    assert f'<p class="field-error">{MESSAGE}</p>' in response.text
    open_case.refresh_from_db()
    assert open_case.description == ""


def test_a_case_cancel_reason_too_long_is_refused(client_for, agent, open_case):
    response = client_for("agent").post(
        reverse("playbooks:case-cancel", args=[open_case.number]), {"reason": TOO_LONG}
    )
    assert f'<p class="field-error">{MESSAGE}</p>' in response.text
    open_case.refresh_from_db()
    assert open_case.cancel_reason == ""


def test_an_objective_description_too_long_is_refused(client_for, db):
    plan = SuccessPlanFactory()
    data = {
        "name": "Adoption",
        "description": TOO_LONG,
        "start_date": "2026-01-05",
        "end_date": "2026-03-31",
        "status": Status.IN_PROGRESS,
        "resource": "",
    }
    response = client_for("csm").post(reverse("successplans:objective-new", args=[plan.pk]), data)
    assert f'<p class="field-error">{MESSAGE}</p>' in response.text
    assert not Objective.objects.filter(plan=plan).exists()
    assert f'maxlength="{LONG_TEXT}"' in response.text
