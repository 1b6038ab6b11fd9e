"""``POST /api/v1/plans/<id>/activities/``: log a touchpoint on a success plan (a CS
activity), through the plan page's form and service."""

from __future__ import annotations

import json

import pytest

from successplans.models import CSActivity
from tests.test_access_matrix import row_counts

from .conftest import api_client


def log(world, body, *, who: str = "csm", plan=None):
    url = f"/api/v1/plans/{plan or world['plan']}/activities/"
    data = body if isinstance(body, str) else json.dumps(body)
    return api_client(world, who).post(url, data, content_type="application/json")


def test_customer_success_logs_a_call_from_their_mail_tool(world):
    body = {"type": "email", "date": "2026-03-02", "subject": "Renewal terms", "notes": "Sent."}

    response = log(world, body)

    assert response.status_code == 201, response.content
    activity = CSActivity.objects.get(pk=response.json()["id"])
    assert (activity.plan_id, activity.type, activity.subject) == (
        world["plan"],
        "email",
        "Renewal terms",
    )
    assert activity.who == world["users"]["csm"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "call", "subject": "No date"}, "date"),
        ({"type": "fax", "date": "2026-03-02", "subject": "X"}, "type"),
        ({"type": "call", "date": "3000-01-01", "subject": "X"}, "date"),
        ({"type": "call", "date": "2026-03-02", "subject": ["X"]}, "subject"),
        ({"type": "call", "date": "2026-03-02", "subject": "X", "who": 1}, "who"),
    ],
)
def test_bad_input_is_400_next_to_the_field_and_writes_nothing(world, body, field):
    before = row_counts()
    response = log(world, body)
    assert response.status_code == 400
    assert field in response.json()
    assert row_counts() == before


@pytest.mark.parametrize("who", ["agent", "participant", "manager", "no_role_user"])
def test_roles_that_may_not_add_activities_get_403(world, who):
    before = row_counts()
    response = log(world, {"type": "call", "date": "2026-03-02", "subject": "X"}, who=who)
    assert response.status_code == 403
    assert row_counts() == before


def test_an_unknown_plan_is_404(world):
    body = {"type": "call", "date": "2026-03-02", "subject": "X"}
    assert log(world, body, plan=999999).status_code == 404
    assert log(world, body, plan="abc").status_code == 404


def test_a_nul_character_is_a_json_400_under_api(world):
    """core.middleware refuses NUL before any view; under /api/ in the API's shape."""
    response = api_client(world, "csm").get("/api/v1/plans/?q=a%00b")
    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]
