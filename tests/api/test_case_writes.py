"""Working a success case through the API: the page's forms, access rule, services and
gates; a refusal is a 4xx with its message and writes nothing."""

from __future__ import annotations

import json
from datetime import date
from datetime import timedelta

import pytest
from django.utils import timezone

from playbooks.models import ActivityState
from playbooks.models import CaseTask
from playbooks.models import ClosureCode
from playbooks.models import JournalEntry
from playbooks.models import Phase
from playbooks.models import SuccessCase
from tests.factories import activity_data
from tests.factories import open_activity
from tests.test_access_matrix import row_counts

from .conftest import api_client


def post(world, url: str, body=None, *, who: str = "agent"):
    data = "" if body is None else (body if isinstance(body, str) else json.dumps(body))
    return api_client(world, who).post(url, data, content_type="application/json")


def case_url(world, rest: str = "") -> str:
    return f"/api/v1/cases/{world['case']}/{rest}"


def the_case(world) -> SuccessCase:
    return SuccessCase.objects.get(number=world["case"])


def as_json(data: dict) -> dict:
    """Factory input as an API client sends it: ids, ISO dates."""
    out = {}
    for name, value in data.items():
        if isinstance(value, list):
            value = [item.pk for item in value]
        elif hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, date):
            value = value.isoformat()
        out[name] = value
    return out


def test_an_agent_opens_a_case_and_is_assigned(world):
    response = post(world, "/api/v1/cases/", {"engagement": world["engagement"]})

    assert response.status_code == 201, response.content
    body = response.json()
    case = SuccessCase.objects.get(number=body["number"])
    assert case.assigned_to == world["users"]["agent"]
    assert body["phase"] == Phase.INITIATE
    assert body["activities"][0]["state"] == ActivityState.COMPLETE


@pytest.mark.parametrize("who", ["csm", "participant", "manager", "no_role_user"])
def test_roles_that_do_not_open_cases_get_403(world, who):
    before = row_counts()
    response = post(world, "/api/v1/cases/", {"engagement": world["engagement"]}, who=who)
    assert response.status_code == 403
    assert row_counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "engagement"),
        ({"engagement": 999999}, "engagement"),
        ({"engagement": [1]}, "engagement"),
        ({"engagement": 1, "account": 2}, "account"),
    ],
)
def test_a_bad_new_case_is_400_next_to_the_field(world, body, field):
    before = row_counts()
    response = post(world, "/api/v1/cases/", body)
    assert response.status_code == 400
    assert field in response.json()
    assert row_counts() == before


def test_the_assignee_works_the_case_to_the_end_and_closes_it(world):
    agent = world["users"]["agent"]
    case = the_case(world)
    # the world's meeting and task would block Related meeting and Related work
    assert post(world, case_url(world, f"meetings/{world['meeting']}/cancel/")).status_code == 200
    task_url = case_url(world, f"tasks/{world['case_task']}/")
    assert post(world, task_url + "start/").status_code == 200
    assert post(world, task_url + "complete/").status_code == 200
    while (activity := open_activity(case)) is not None:
        url = case_url(world, f"activities/{activity.pk}/complete/")
        response = post(world, url, as_json(activity_data(activity, agent)))
        assert response.status_code == 200, (activity.name, response.content)

    response = post(world, case_url(world, "close/"))

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "Closed"
    case.refresh_from_db()
    assert case.phase == Phase.CLOSED
    assert case.closure_code == ClosureCode.objects.get(name="Outcome achieved")


def test_a_comment_activity_goes_to_the_journal(world):
    agent = world["users"]["agent"]
    case = the_case(world)
    while open_activity(case).kind != "comment":
        activity = open_activity(case)
        post(
            world,
            case_url(world, f"activities/{activity.pk}/complete/"),
            as_json(activity_data(activity, agent)),
        )
    activity = open_activity(case)

    response = post(
        world, case_url(world, f"activities/{activity.pk}/complete/"), {"text": "Kickoff booked."}
    )

    assert response.status_code == 200, response.content
    entry = JournalEntry.objects.get(case=case, kind=JournalEntry.Kind.COMMENT)
    assert (entry.body, entry.author) == ("Kickoff booked.", agent)


def test_an_activity_without_its_required_data_is_400_and_writes_nothing(world):
    activity = open_activity(the_case(world))  # Enter core information
    before = row_counts()

    response = post(world, case_url(world, f"activities/{activity.pk}/complete/"), {})

    assert response.status_code == 400
    assert "short_description" in response.json()
    assert row_counts() == before
    activity.refresh_from_db()
    assert activity.state == ActivityState.IN_PROGRESS


def test_close_without_a_closure_code_is_400_next_to_the_field(world):
    before = row_counts()

    response = post(world, case_url(world, "close/"), {"close_notes": "Done."})

    assert response.status_code == 400
    assert response.json() == {"closure_code": ["Select the Closure code."]}
    assert row_counts() == before
    assert the_case(world).is_open


def test_closing_early_cancels_what_is_pending(world):
    code = ClosureCode.objects.get(name="Outcome achieved")
    body = {"closure_code": code.pk, "close_notes": "Reached early."}

    response = post(world, case_url(world, "close/"), body)

    assert response.status_code == 200, response.content
    case = the_case(world)
    assert (case.phase, case.closure_code, case.close_notes) == (
        Phase.CLOSED,
        code,
        "Reached early.",
    )
    assert not case.activities.filter(state=ActivityState.IN_PROGRESS).exists()
    again = post(world, case_url(world, "close/"), body)
    assert again.status_code == 409
    assert "can no longer change" in again.json()["detail"]


def test_a_meeting_left_open_blocks_related_meeting_with_its_name(world):
    agent = world["users"]["agent"]
    case = the_case(world)
    start = timezone.now() + timedelta(days=2)
    body = {
        "subject": "Kickoff",
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
    }
    body["subject"] = "Quarterly review"
    post(world, case_url(world, f"meetings/{world['meeting']}/cancel/"))  # the world's Kickoff
    post(world, case_url(world, f"tasks/{world['case_task']}/cancel/"))
    created = post(world, case_url(world, "meetings/"), {**body, "schedule": True})
    assert created.status_code == 201, created.content
    assert created.json()["state"] == "scheduled"
    while open_activity(case).kind != "related_meeting":
        activity = open_activity(case)
        post(
            world,
            case_url(world, f"activities/{activity.pk}/complete/"),
            as_json(activity_data(activity, agent)),
        )
    activity = open_activity(case)

    refused = post(world, case_url(world, f"activities/{activity.pk}/complete/"), {})
    assert refused.status_code == 409
    assert "1 meeting is still open: Quarterly review" in refused.json()["detail"]

    meeting = created.json()["id"]
    done = post(world, case_url(world, f"meetings/{meeting}/complete/"))
    assert done.status_code == 200 and done.json()["state"] == "complete"
    accepted = post(world, case_url(world, f"activities/{activity.pk}/complete/"), {})
    assert accepted.status_code == 200, accepted.content


def test_a_task_is_created_and_started(world):
    created = post(
        world, case_url(world, "tasks/"), {"short_description": "Send the agenda", "priority": 2}
    )
    assert created.status_code == 201, created.content
    number = created.json()["number"]

    started = post(world, case_url(world, f"tasks/{number}/start/"))

    assert started.status_code == 200
    assert CaseTask.objects.get(number=number).state == "in_progress"
    again = post(world, case_url(world, f"tasks/{number}/start/"))
    assert again.status_code == 409
    assert "no longer possible" in again.json()["detail"]


def test_a_meeting_ending_before_it_starts_is_400_on_end(world):
    start = timezone.now() + timedelta(days=2)
    before = row_counts()
    body = {"subject": "Kickoff", "start": start.isoformat(), "end": start.isoformat()}
    response = post(world, case_url(world, "meetings/"), body)
    assert response.status_code == 400
    assert response.json() == {"end": ["The meeting must end after it starts."]}
    assert row_counts() == before


def test_cancel_needs_a_reason_then_cancels(world):
    refused = post(world, case_url(world, "cancel/"), {"reason": " "})
    assert refused.status_code == 400 and "reason" in refused.json()
    assert the_case(world).is_open

    response = post(world, case_url(world, "cancel/"), {"reason": "The customer left."})

    assert response.status_code == 200
    case = the_case(world)
    assert (case.phase, case.cancel_reason) == (Phase.CANCELED, "The customer left.")
    again = post(world, case_url(world, "cancel/"), {"reason": "Again."})
    assert again.status_code == 409


@pytest.mark.parametrize("who", ["other_agent", "csm", "participant", "manager", "no_role_user"])
@pytest.mark.parametrize(
    ("rest", "body"),
    [
        ("close/", {"closure_code": 1, "close_notes": "x"}),
        ("cancel/", {"reason": "No."}),
        ("tasks/", {"short_description": "X"}),
        ("meetings/", {"subject": "X", "start": "2030-01-01T10:00Z", "end": "2030-01-01T11:00Z"}),
    ],
)
def test_only_the_assignee_and_squad_work_the_case(world, who, rest, body):
    before = row_counts()
    response = post(world, case_url(world, rest), body, who=who)
    assert response.status_code == 403
    assert row_counts() == before


@pytest.mark.parametrize(
    ("rest", "body", "field"),
    [
        ("cancel/", {"reason": ["a"]}, "reason"),
        ("cancel/", {"reason": "ok", "why": "x"}, "why"),
        ("close/", {"force": True}, "force"),
        ("tasks/", {"short_description": "X", "due_date": "3000-01-01"}, "due_date"),
        ("tasks/", {"short_description": "X", "priority": 9}, "priority"),
        ("cancel/", "[1, 2]", "non_field_errors"),
    ],
)
def test_wrong_types_and_unknown_fields_are_400(world, rest, body, field):
    before = row_counts()
    response = post(world, case_url(world, rest), body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert row_counts() == before


def test_unknown_cases_meetings_tasks_and_transitions_are_404(world):
    assert post(world, "/api/v1/cases/SCS9999999/close/").status_code == 404
    assert post(world, case_url(world, "meetings/999999/complete/")).status_code == 404
    assert post(world, case_url(world, "tasks/SCTASK9999999/start/")).status_code == 404
    assert post(world, case_url(world, "tasks/SCTASK0000001/explode/")).status_code == 404
