"""Fixtures for the success case tests: cases opened and worked through the services."""

from __future__ import annotations

import pytest

from core.roles import Role
from playbooks import services
from playbooks.models import ActivityKind
from playbooks.models import ActivityState
from playbooks.models import ClosureCode
from playbooks.models import PlaybookState
from playbooks.models import SuccessCase
from tests.factories import EngagementFactory
from tests.factories import SuccessCaseFactory
from tests.factories import UserFactory

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
def case(agent) -> SuccessCase:
    """A case opened by ``agent`` through the factory (the services' New → Continue)."""
    return SuccessCaseFactory(user=agent)


@pytest.fixture
def agent2(db):
    return UserFactory(
        username="t-agent2", first_name="Sam", last_name="Rivera", roles=[Role.SUCCESS_AGENT]
    )


@pytest.fixture
def outsider(db):
    """A Success Agent who is neither assigned to the case nor in its squad."""
    return UserFactory(username="t-outsider", roles=[Role.SUCCESS_AGENT])


@pytest.fixture
def closed_case(agent, open_case) -> SuccessCase:
    while open_case.activities.filter(state=ActivityState.IN_PROGRESS).exists():
        complete_current(open_case, agent)
    return services.success_case_close(case_pk=open_case.pk, user=agent)


# -- the Review workspace: closed and canceled cases built by hand -------------------------------
# Rows are written directly (not through the services) so that every moment is
# exact: the expected medians, percentiles and times in phase follow from the
# hours below.

LANE_LABELS = ["Initiate", "Assist", "Review & Close"]


def make_reviewable_case(
    number: str,
    *,
    engagement,
    agent,
    closed_at,
    hours: tuple[float, ...],
    code: str | None = "Outcome achieved",
    meetings: int = 0,
    tasks: int = 0,
    squad=(),
    short_description: str = "",
) -> SuccessCase:
    """A case that spent ``hours`` in Initiate, Assist and Review & Close, then closed.

    With fewer than three numbers it was canceled in the last phase given, and
    ``code`` is ignored. Its journal holds the Phase changes the services write.
    """
    from datetime import timedelta

    from playbooks.models import CaseTask
    from playbooks.models import JournalEntry
    from playbooks.models import Meeting
    from playbooks.models import Phase

    closed = len(hours) == 3
    opened_at = closed_at - timedelta(hours=sum(hours))
    moments = [opened_at]
    for spent in hours:
        moments.append(moments[-1] + timedelta(hours=spent))
    # What the services keep on the row as the case leaves each lane (the Review reads it).
    ended = ("initiate_ended_at", "assist_ended_at", "review_close_ended_at")
    case = SuccessCase.objects.create(
        **dict(zip(ended, moments[1:], strict=False)),
        cycle_time=closed_at - opened_at,
        number=number,
        engagement=engagement,
        short_description=short_description or f"Case {number}",
        assigned_to=agent,
        opened_by=agent,
        opened_at=opened_at,
        closed_by=agent,
        closed_at=closed_at,
        phase=Phase.CLOSED if closed else Phase.CANCELED,
        playbook_state=PlaybookState.COMPLETED if closed else PlaybookState.CANCELED,
        closure_code=ClosureCode.objects.get(name=code) if closed and code else None,
        close_notes="Adoption reached 84%." if closed else "",
        cancel_reason="" if closed else "The customer paused the project.",
    )
    case.squad.set(squad or [agent])
    end = "Closed" if closed else "Canceled"
    rows = [("Phase", "—", "Initiate", opened_at), ("State", "—", "Open", opened_at)]
    for lane, spent_until in enumerate(moments[1:]):
        new = LANE_LABELS[lane + 1] if lane + 1 < len(hours) else end
        rows.append(("Phase", LANE_LABELS[lane], new, spent_until))
    rows.append(("State", "Open", end, closed_at))
    JournalEntry.objects.bulk_create(
        JournalEntry(
            case=case,
            author=agent,
            kind=JournalEntry.Kind.CHANGE,
            field=field,
            old_value=old,
            new_value=new,
            created_at=at,
        )
        for field, old, new, at in rows
    )
    for i in range(meetings):
        start = opened_at + timedelta(hours=1)
        Meeting.objects.create(
            case=case,
            subject=f"Meeting {i}",
            start=start,
            end=start + timedelta(hours=1),
            created_by=agent,
        )
    for i in range(tasks):
        CaseTask.objects.create(
            case=case, number=f"T{number}-{i}", short_description="Task", created_by=agent
        )
    return case


# Monday March 2, 2026 is the first week of the set (the tests run in UTC).
def _at(day: int, hour: int = 12):
    from datetime import UTC
    from datetime import datetime

    return datetime(2026, 3, day, hour, tzinfo=UTC)


#: number: (closed or canceled at, hours in Initiate, Assist, Review & Close, closure code,
#: meetings, tasks). Cycle times: 10, 20, 30, 40, 100 hours closed; 7 and 18 canceled.
REVIEW_SET = {
    "SCS0000001": (_at(3), (2, 5, 3), "Outcome achieved", 2, 0),
    "SCS0000002": (_at(10), (4, 10, 6), "Outcome achieved", 1, 0),
    "SCS0000003": (_at(12), (6, 12, 12), "Outcome achieved", 0, 3),
    "SCS0000004": (_at(24), (8, 20, 12), "Outcome partially achieved", 0, 0),
    "SCS0000005": (_at(25), (10, 60, 30), "Outcome not achieved", 0, 0),
    "SCS0000006": (_at(11), (7,), None, 0, 0),  # canceled in Initiate
    "SCS0000007": (_at(26), (5, 13), None, 0, 1),  # canceled in Assist
}


@pytest.fixture
def review_set(agent, engagement) -> dict[str, SuccessCase]:
    """Five closed and two canceled cases with exact timelines (REVIEW_SET), by number."""
    return {
        number: make_reviewable_case(
            number,
            engagement=engagement,
            agent=agent,
            closed_at=closed_at,
            hours=hours,
            code=code,
            meetings=meetings,
            tasks=tasks,
        )
        for number, (closed_at, hours, code, meetings, tasks) in REVIEW_SET.items()
    }
