"""``PATCH /api/v1/kpis/<id>/``: usage data feeds a KPI's current value, through the same
service as the Objective KPI pages (a history entry under the token's user)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from core.errors import DomainError
from successplans import services as plan_services
from successplans.models import KPIValue
from successplans.models import ObjectiveKPI
from tests.test_access_matrix import row_counts

from .conftest import api_client


def kpi_url(world: dict, pk: int | None = None) -> str:
    return f"/api/v1/kpis/{pk or world['kpi']}/"


def patch(world: dict, body, *, who: str = "csm", content_type: str = "application/json", pk=None):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return api_client(world, who).patch(kpi_url(world, pk), data, content_type=content_type)


def test_it_feeds_a_value_and_records_it_in_the_history(world):
    response = patch(world, {"current_value": 72.5})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["current_value"] == 72.5
    assert body["history"][-1]["value"] == 72.5
    assert body["history"][-1]["recorded_by"]["username"] == "t-csm"
    kpi = ObjectiveKPI.objects.get(pk=world["kpi"])
    assert kpi.current == Decimal("72.50")
    entry = KPIValue.objects.get(kpi=kpi)
    assert (entry.value, entry.recorded_by) == (Decimal("72.50"), world["users"]["csm"])


def test_a_string_number_is_accepted(world):
    assert patch(world, {"current_value": "80"}).status_code == 200
    assert ObjectiveKPI.objects.get(pk=world["kpi"]).current == Decimal(80)


def test_the_same_value_again_adds_no_history(world):
    """As on the page: only a change is saved and kept."""
    current = ObjectiveKPI.objects.get(pk=world["kpi"]).current
    assert patch(world, {"current_value": str(current)}).status_code == 200
    assert not KPIValue.objects.exists()


def test_null_clears_the_value_without_a_history_entry(world):
    assert patch(world, {"current_value": None}).status_code == 200
    assert ObjectiveKPI.objects.get(pk=world["kpi"]).current is None
    assert not KPIValue.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "status", "error_field"),
    [
        ('{"current_value": 5', "application/json", 400, "detail"),  # malformed JSON
        ("not json at all", "application/json", 400, "detail"),
        ('{"current_value": NaN}', "application/json", 400, "detail"),
        ({"current_value": "lots"}, "application/json", 400, "current_value"),
        ({"current_value": [1]}, "application/json", 400, "current_value"),
        ({"current_value": {"v": 1}}, "application/json", 400, "current_value"),
        ({"current_value": True}, "application/json", 400, "current_value"),
        ({"current_value": 1.234}, "application/json", 400, "current_value"),
        ({"current_value": 10**13}, "application/json", 400, "current_value"),
        ({"current_value": "Infinity"}, "application/json", 400, "current_value"),
        ({}, "application/json", 400, "current_value"),
        ({"current_value": 5, "target": 1}, "application/json", 400, "target"),
        ({"curent_value": 5}, "application/json", 400, "curent_value"),
        ([{"current_value": 5}], "application/json", 400, "non_field_errors"),
        ("5", "application/json", 400, "non_field_errors"),
        ("null", "application/json", 400, "non_field_errors"),
        ("current_value=5", "application/x-www-form-urlencoded", 415, "detail"),
        (b'{"current_value": "\xff"}', "application/json", 400, "detail"),
    ],
)
def test_bad_input_is_a_4xx_and_writes_nothing(world, body, content_type, status, error_field):
    before = row_counts()
    response = patch(world, body, content_type=content_type)

    assert response.status_code == status, response.content
    assert error_field in response.json()
    assert row_counts() == before
    assert ObjectiveKPI.objects.get(pk=world["kpi"]).current == Decimal("40.00")


def test_a_body_over_the_upload_limit_is_413_and_writes_nothing(world, settings):
    """A 10 MB body (DATA_UPLOAD_MAX_MEMORY_SIZE is Django's 2.5 MB)."""
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 10 * 1024 * 1024
    body = json.dumps({"current_value": 5, "padding": "x" * (10 * 1024 * 1024)})
    before = row_counts()

    response = patch(world, body)

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}
    assert row_counts() == before


def test_the_limit_is_the_setting(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64
    response = patch(world, {"current_value": 5, "padding": "x" * 100})
    assert response.status_code == 413


def test_unknown_kpis_are_404(world):
    assert patch(world, {"current_value": 1}, pk=999999).status_code == 404
    response = api_client(world, "csm").patch(
        "/api/v1/kpis/abc/", "{}", content_type="application/json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["agent", "participant", "manager", "no_role_user"])
def test_roles_that_may_not_change_kpis_get_403_and_nothing_changes(world, who):
    before = row_counts()
    response = patch(world, {"current_value": 99}, who=who)
    assert response.status_code == 403
    assert row_counts() == before
    assert ObjectiveKPI.objects.get(pk=world["kpi"]).current == Decimal("40.00")


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (DomainError("The plan is locked."), 409, {"detail": "The plan is locked."}),
        (
            DomainError("Too high for this KPI.", field="current"),
            422,
            {"current_value": ["Too high for this KPI."]},
        ),
    ],
)
def test_a_refusal_of_the_service_is_409_or_422(world, monkeypatch, error, status, body):
    def refuse(**kwargs):
        raise error

    monkeypatch.setattr(plan_services, "kpi_update", refuse)
    response = patch(world, {"current_value": 99})

    assert response.status_code == status
    assert response.json() == body
    assert ObjectiveKPI.objects.get(pk=world["kpi"]).current == Decimal("40.00")
