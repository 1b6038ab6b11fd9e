"""Gates you can see (issue 12, item 7): a blocked Mark Complete is shown disabled with
its reason and links beside it (one message); overdue tasks and past-due meetings are
flagged in red with how many days."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from playbooks import services

from .conftest import work_until


def mark_complete(html: str) -> str:
    return re.search(r"<button[^>]*>Mark Complete</button>", html).group(0)


@pytest.fixture
def meeting_case(agent, open_case):
    work_until(open_case, agent, "Related meeting")
    ended = timezone.now() - timedelta(days=2)
    meeting = services.meeting_create(
        case_pk=open_case.pk,
        user=agent,
        data={"subject": "Kickoff", "start": ended - timedelta(hours=1), "end": ended},
        schedule=True,
    )
    return open_case, meeting


def test_a_blocked_gate_shows_the_button_disabled_with_its_reason(client_for, meeting_case):
    case, meeting = meeting_case
    page = client_for("agent").get(case.get_absolute_url()).text
    button = mark_complete(page)
    assert "disabled" in button and 'aria-describedby="gate-reason"' in button
    link = f'<a href="/cases/{case.number}/meetings/{meeting.pk}/">Kickoff</a>'
    assert (
        f'id="gate-reason" data-testid="gate">Mark Complete is not possible yet: '
        f"1 meeting is still open: {link}.</p>"
    ) in page
    assert page.count("is not possible yet") == 1  # one message, not two


def test_an_open_gate_shows_the_button_enabled(client_for, agent, meeting_case):
    case, meeting = meeting_case
    services.record_transition(case_pk=case.pk, user=agent, record=meeting, name="complete")
    page = client_for("agent").get(case.get_absolute_url()).text
    assert "disabled" not in mark_complete(page)
    assert 'data-testid="gate"' not in page


def test_a_past_due_meeting_is_flagged_with_its_days(client_for, agent, meeting_case):
    case, meeting = meeting_case
    page = client_for("agent").get(case.get_absolute_url()).text
    assert '<span class="badge badge-overdue" data-testid="past-due">Past due 2 days</span>' in page
    services.record_transition(case_pk=case.pk, user=agent, record=meeting, name="complete")
    page = client_for("agent").get(case.get_absolute_url()).text
    assert 'data-testid="past-due"' not in page


def test_overdue_tasks_are_flagged_with_their_days(client_for, agent, open_case):
    work_until(open_case, agent, "Related work")
    today = timezone.localdate()
    for days, text in ((3, "Late"), (0, "Due today"), (-2, "Later")):
        services.task_create(
            case_pk=open_case.pk,
            user=agent,
            data={"short_description": text, "due_date": today - timedelta(days=days)},
        )
    page = client_for("agent").get(open_case.get_absolute_url()).text
    flags = re.findall(r'data-testid="overdue">([^<]+)<', page)
    assert flags == ["3 days overdue"]
    late = open_case.tasks.get(short_description="Late")
    services.record_transition(case_pk=open_case.pk, user=agent, record=late, name="complete")
    assert 'data-testid="overdue"' not in client_for("agent").get(open_case.get_absolute_url()).text
