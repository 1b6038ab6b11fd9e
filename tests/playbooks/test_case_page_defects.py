"""Issue 12, defects 1 and 2: the lane badges of a canceled case, and open records listed once."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from playbooks import services

from .conftest import complete_current
from .conftest import work_until

LANE_BADGE = re.compile(r'data-testid="lane-\d">\s*<h2>([^<]+?) <span[^>]*>([^<]+)</span>')


def _lane_badges(html: str) -> dict[str, str]:
    return {unescape(label): badge for label, badge in LANE_BADGE.findall(html)}


def _meeting(case, user, subject: str, *, schedule: bool = True):
    start = timezone.now()
    return services.meeting_create(
        case_pk=case.pk,
        user=user,
        data={"subject": subject, "start": start, "end": start + timedelta(hours=1)},
        schedule=schedule,
    )


@pytest.fixture
def at_related_meeting(agent, open_case):
    """A case at Assist · Related meeting with a scheduled meeting and a completed one."""
    work_until(open_case, agent, "Related meeting")
    _meeting(open_case, agent, "Kickoff")
    done = _meeting(open_case, agent, "Retro", schedule=False)
    services.record_transition(case_pk=open_case.pk, user=agent, record=done, name="complete")
    return open_case


# -- defect 1 ---------------------------------------------------------------------------------
def test_a_lane_with_pending_work_when_the_case_is_canceled_ends_canceled(
    client_for, at_related_meeting
):
    case = at_related_meeting
    client = client_for("agent")
    preview = client.get(f"/cases/{case.number}/cancel/").context["preview"]
    assert preview.lanes == ["Assist", "Review & Close"]

    client.post(f"/cases/{case.number}/cancel/", {"reason": "The customer paused."})

    badges = _lane_badges(client.get(case.get_absolute_url()).text)
    assert badges == {"Initiate": "Complete", "Assist": "Canceled", "Review & Close": "Canceled"}


def test_a_lane_complete_before_the_cancel_stays_complete(client_for, agent, open_case):
    work_until(open_case, agent, "Communicate the final outcome")
    client = client_for("agent")
    client.post(f"/cases/{open_case.number}/cancel/", {"reason": "The customer paused."})

    badges = _lane_badges(client.get(open_case.get_absolute_url()).text)
    assert badges == {"Initiate": "Complete", "Assist": "Complete", "Review & Close": "Canceled"}


def test_the_lanes_of_an_open_and_of_a_closed_case(client_for, agent, open_case):
    client = client_for("agent")
    work_until(open_case, agent, "Related meeting")
    badges = _lane_badges(client.get(open_case.get_absolute_url()).text)
    assert badges == {"Initiate": "Complete", "Assist": "In progress", "Review & Close": "Pending"}

    while open_case.activities.filter(state="in_progress").exists():
        complete_current(open_case, agent)
    services.success_case_close(case_pk=open_case.pk, user=agent)
    badges = _lane_badges(client.get(open_case.get_absolute_url()).text)
    assert badges == {"Initiate": "Complete", "Assist": "Complete", "Review & Close": "Complete"}


# -- defect 2 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["agent", "csm"], ids=["can-work", "read-only"])
def test_each_meeting_is_listed_once_at_related_meeting(client_for, at_related_meeting, who):
    html = client_for(who).get(at_related_meeting.get_absolute_url()).text
    for subject in ("Kickoff", "Retro"):
        rows = re.findall(rf"<td>(?:<a [^>]*>)?{subject}(?:</a>)?</td>", html)
        assert len(rows) == 1, f"{subject} is listed {len(rows)} times"
    assert html.count('aria-label="Complete Kickoff"') == (1 if who == "agent" else 0)


@pytest.mark.parametrize("who", ["agent", "csm"], ids=["can-work", "read-only"])
def test_each_task_is_listed_once_at_related_work(client_for, agent, at_related_meeting, who):
    case = at_related_meeting
    services.record_transition(
        case_pk=case.pk, user=agent, record=case.meetings.get(subject="Kickoff"), name="complete"
    )
    complete_current(case, agent)
    task = services.task_create(case_pk=case.pk, user=agent, data={"short_description": "Train"})
    html = client_for(who).get(case.get_absolute_url()).text
    rows = re.findall(rf"<td>(?:<a [^>]*>)?{task.number}(?:</a>)?</td>", html)
    assert len(rows) == 1, f"{task.number} is listed {len(rows)} times"
    assert html.count(f'aria-label="Start work {task.number}"') == (1 if who == "agent" else 0)
