"""The success case playbook's browser tests share these: the demo engagement, a case
brought to Assist through the services, and the case page's cards, found by their headings.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page
from playwright.sync_api import expect

from engagements.models import Engagement
from playbooks import services
from playbooks.models import ActivityState
from playbooks.models import CaseActivity
from playbooks.models import Phase
from playbooks.models import Priority
from playbooks.models import SuccessCase

ENGAGEMENT = "Clinical rollout adoption"


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _in_progress(case: SuccessCase) -> CaseActivity:
    return case.activities.get(state=ActivityState.IN_PROGRESS)


def _case_in_assist(*, with_meeting_and_task: bool = False, squad=("agent",)) -> SuccessCase:
    """A case of ``agent`` whose Initiate lane is done, made through the services."""
    agent = _user("agent")
    engagement = Engagement.objects.get(name=ENGAGEMENT)
    case = services.success_case_create(engagement=engagement, user=agent).case
    services.activity_complete(
        case_pk=case.pk,
        activity_pk=_in_progress(case).pk,
        user=agent,
        data={"short_description": "Ward rollout", "priority": Priority.HIGH},
    )
    services.activity_complete(
        case_pk=case.pk,
        activity_pk=_in_progress(case).pk,
        user=agent,
        data={"squad": [_user(name) for name in squad]},
    )
    if with_meeting_and_task:
        start = timezone.now() + timedelta(days=3)
        services.meeting_create(
            case_pk=case.pk,
            user=agent,
            data={"subject": "Ward leads sync", "start": start, "end": start + timedelta(hours=1)},
            schedule=True,
        )
        services.task_create(
            case_pk=case.pk, user=agent, data={"short_description": "Book the training rooms"}
        )
    case.refresh_from_db()
    assert case.phase == Phase.ASSIST
    return case


def _current(page: Page, title: str):
    """The open activity's card, named by its heading ("Assist · Related meeting")."""
    region = page.get_by_role("region", name=title)
    expect(region).to_be_visible()
    return region


def _card(page: Page, heading: str):
    """A card of the case page, by its heading ("Success case tasks")."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def _activity(page: Page, lane: int, name: str):
    return page.get_by_test_id(f"lane-{lane}").get_by_role("listitem").filter(has_text=name)
