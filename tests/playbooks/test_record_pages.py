"""A meeting's and a task's own page: its State and the transitions its machine allows,
beside Save; after a transition the user is back on the case, its gate read again
(issue 12, item 6)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from playbooks import services
from playbooks.models import JournalEntry
from playbooks.models import MeetingState
from playbooks.models import TaskState

from .conftest import work_until


def buttons(html: str) -> list[str]:
    """The labels of the transition buttons of the page's State card."""
    card = html.split('class="card record-state"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<button type="submit"[^>]*>([^<]+)</button>', card)


@pytest.fixture
def meeting_case(agent, open_case):
    """At Related meeting, with one scheduled meeting (the gate waits for it)."""
    work_until(open_case, agent, "Related meeting")
    start = timezone.now() - timedelta(days=1)
    meeting = services.meeting_create(
        case_pk=open_case.pk,
        user=agent,
        data={"subject": "Kickoff", "start": start, "end": start + timedelta(hours=1)},
        schedule=True,
    )
    return open_case, meeting


@pytest.fixture
def task_case(agent, open_case):
    work_until(open_case, agent, "Related work")
    task = services.task_create(
        case_pk=open_case.pk, user=agent, data={"short_description": "Train the leads"}
    )
    return open_case, task


def test_the_meeting_page_offers_what_its_machine_allows(client_for, agent, meeting_case):
    case, meeting = meeting_case
    client = client_for("agent")
    url = f"/cases/{case.number}/meetings/{meeting.pk}/"
    page = client.get(url).text
    assert 'data-testid="record-state">Scheduled<' in page
    assert buttons(page) == ["Complete", "Cancel meeting"]
    assert ">Save</button>" in page
    draft = services.meeting_create(
        case_pk=case.pk,
        user=agent,
        data={"subject": "Draft", "start": meeting.start, "end": meeting.end},
    )
    assert buttons(client.get(f"/cases/{case.number}/meetings/{draft.pk}/").text) == [
        "Schedule",
        "Complete",
        "Cancel meeting",
    ]


def test_the_task_page_offers_what_its_machine_allows(client_for, agent, task_case):
    case, task = task_case
    client = client_for("agent")
    url = f"/cases/{case.number}/tasks/{task.number}/"
    assert buttons(client.get(url).text) == ["Start work", "Complete", "Cancel task"]
    services.record_transition(case_pk=case.pk, user=agent, record=task, name="start")
    assert buttons(client.get(url).text) == ["Pause", "Complete", "Cancel task"]
    services.record_transition(case_pk=case.pk, user=agent, record=task, name="pause")
    assert buttons(client.get(url).text) == ["Resume", "Complete", "Cancel task"]
    services.record_transition(case_pk=case.pk, user=agent, record=task, name="resume")
    assert buttons(client.get(url).text) == ["Pause", "Complete", "Cancel task"]
    services.record_transition(case_pk=case.pk, user=agent, record=task, name="complete")
    page = client.get(url).text
    assert buttons(page) == [] and "Complete is final" in page


def test_completing_the_meeting_from_its_page_opens_the_gate(client_for, meeting_case):
    case, meeting = meeting_case
    client = client_for("agent")
    assert 'data-testid="gate"' in client.get(case.get_absolute_url()).text
    response = client.post(f"/cases/{case.number}/meetings/{meeting.pk}/complete/", follow=True)
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    assert "Meeting Kickoff is complete." in response.text
    assert 'data-testid="gate"' not in response.text
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.COMPLETE
    entry = JournalEntry.objects.filter(case=case, field="Meeting Kickoff state").latest("pk")
    assert (entry.old_value, entry.new_value) == ("Scheduled", "Complete")


def test_completing_the_task_from_its_page_returns_to_the_case(client_for, task_case):
    case, task = task_case
    response = client_for("agent").post(
        f"/cases/{case.number}/tasks/{task.number}/complete/", follow=True
    )
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    assert f"{task.number} is complete." in response.text
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETE


def test_a_transition_the_machine_does_not_allow_changes_nothing(client_for, task_case):
    case, task = task_case
    before = JournalEntry.objects.count()
    response = client_for("agent").post(
        f"/cases/{case.number}/tasks/{task.number}/pause/", follow=True
    )
    assert f"{task.number} is new; that is no longer possible." in response.text
    response = client_for("agent").post(
        f"/cases/{case.number}/tasks/{task.number}/delete/", follow=True
    )
    assert "Unknown action." in response.text
    task.refresh_from_db()
    assert task.state == TaskState.NEW
    assert JournalEntry.objects.count() == before


@pytest.mark.parametrize("who", ["other_agent", "csm", "participant", "manager"])
def test_others_may_not_move_a_task(client_for, task_case, who):
    case, task = task_case
    client = client_for(who)
    assert client.get(f"/cases/{case.number}/tasks/{task.number}/").status_code == 403
    url = f"/cases/{case.number}/tasks/{task.number}/complete/"
    assert client.post(url).status_code == 403
    task.refresh_from_db()
    assert task.state == TaskState.NEW
