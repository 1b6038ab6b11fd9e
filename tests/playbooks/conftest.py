"""Fixtures for the success case tests: cases opened and worked through the services."""

from __future__ import annotations

import pytest

from playbooks import services
from playbooks.models import ActivityKind, ActivityState, ClosureCode, SuccessCase
from tests.factories import EngagementFactory

DEFAULT_DATA = {
    ActivityKind.CORE_INFORMATION: lambda case, user: {
        "short_description": "Drive adoption of the warehouse module",
        "description": "",
        "priority": 2,
        "assigned_to": user,
        "planned_start": None,
        "planned_end": None,
    },
    ActivityKind.ADD_SQUAD: lambda case, user: {"squad": [user]},
    ActivityKind.COMMENT: lambda case, user: {"text": "We expect 80% weekly active users."},
    ActivityKind.WORK_NOTE: lambda case, user: {"text": "Train the leads, then the floor."},
    ActivityKind.CLOSE_RECORD: lambda case, user: {
        "closure_code": ClosureCode.objects.first(),
        "close_notes": "Adoption reached 84%.",
    },
}


def current_activity(case: SuccessCase):
    return case.activities.get(state=ActivityState.IN_PROGRESS)


def complete_current(case: SuccessCase, user, **data):
    """Complete the case's open activity with sensible default input."""
    activity = current_activity(case)
    payload = DEFAULT_DATA.get(activity.kind, lambda c, u: {})(case, user) | data
    return services.activity_complete(
        case_pk=case.pk, activity_pk=activity.pk, user=user, data=payload
    )


def work_until(case: SuccessCase, user, activity_name: str) -> None:
    """Complete activities until ``activity_name`` is the open one."""
    while current_activity(case).name != activity_name:
        complete_current(case, user)


@pytest.fixture
def engagement(db):
    return EngagementFactory(name="Warehouse module adoption")


@pytest.fixture
def open_case(agent, engagement) -> SuccessCase:
    """A case just created by ``agent`` (assigned to them), in Initiate."""
    return services.success_case_create(engagement=engagement, user=agent).case


@pytest.fixture
def closed_case(agent, open_case) -> SuccessCase:
    while open_case.activities.filter(state=ActivityState.IN_PROGRESS).exists():
        complete_current(open_case, agent)
    return services.success_case_close(case_pk=open_case.pk, user=agent)
