"""Related meeting and Related work: creating meetings and tasks, their states, the gates."""

import pytest

from playbooks import services
from playbooks.models import CaseTask
from playbooks.models import JournalEntry
from playbooks.models import Meeting
from playbooks.models import MeetingState
from playbooks.models import TaskState
from tests.factories import UserFactory

from .conftest import current_activity
from .conftest import work_until

MEETING = {
    "subject": "Kickoff",
    "start": "2026-11-24T10:00",
    "end": "2026-11-24T11:00",
    "location": "https://meet.example.com/kickoff",
    "agenda": "Goals",
}


@pytest.fixture
def assist_case(agent, open_case):
    work_until(open_case, agent, "Related meeting")
    return open_case


def test_new_meeting_page_and_create_scheduled(client_for, agent, assist_case):
    client = client_for("agent")
    url = f"/cases/{assist_case.number}/meetings/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, MEETING | {"schedule": "on", "attendees": [agent.pk]})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.state == MeetingState.SCHEDULED
    assert list(meeting.attendees.all()) == [agent]
    assert JournalEntry.objects.filter(
        field="Meeting Kickoff state", new_value="Scheduled"
    ).exists()


def test_a_meeting_without_schedule_is_a_draft(client_for, assist_case):
    client_for("agent").post(f"/cases/{assist_case.number}/meetings/new/", MEETING)
    assert Meeting.objects.get().state == MeetingState.DRAFT


def test_a_meeting_ending_before_it_starts_is_refused(client_for, assist_case):
    response = client_for("agent").post(
        f"/cases/{assist_case.number}/meetings/new/", MEETING | {"end": "2026-11-24T09:00"}
    )
    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.text
    assert not Meeting.objects.exists()


def test_mark_complete_is_refused_while_a_meeting_is_open(client_for, assist_case):
    client = client_for("agent")
    client.post(f"/cases/{assist_case.number}/meetings/new/", MEETING | {"schedule": "on"})
    activity = current_activity(assist_case)
    response = client.post(
        f"/cases/{assist_case.number}/activities/{activity.pk}/complete/", follow=True
    )
    assert "Mark Complete is not possible yet: 1 meeting is still open: Kickoff." in response.text
    assert current_activity(assist_case).name == "Related meeting"
    meeting = Meeting.objects.get()
    client.post(f"/cases/{assist_case.number}/meetings/{meeting.pk}/complete/")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.COMPLETE
    client.post(f"/cases/{assist_case.number}/activities/{activity.pk}/complete/")
    assert current_activity(assist_case).name == "Related work"


def test_editing_a_meeting_journals_the_change(client_for, agent, assist_case):
    meeting = services.meeting_create(
        case_pk=assist_case.pk,
        user=agent,
        data={"subject": "Kickoff", "start": "2026-11-24T10:00Z", "end": "2026-11-24T11:00Z"},
    )
    response = client_for("agent").post(
        f"/cases/{assist_case.number}/meetings/{meeting.pk}/", MEETING | {"notes": "Went well"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.notes == "Went well"
    assert JournalEntry.objects.filter(
        field="Meeting Kickoff notes", new_value="Went well"
    ).exists()


def test_unknown_meeting_transition_is_refused(client_for, agent, assist_case):
    meeting = services.meeting_create(
        case_pk=assist_case.pk,
        user=agent,
        data={"subject": "Kickoff", "start": "2026-11-24T10:00Z", "end": "2026-11-24T11:00Z"},
    )
    response = client_for("agent").post(
        f"/cases/{assist_case.number}/meetings/{meeting.pk}/delete/", follow=True
    )
    assert "Unknown action." in response.text
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT


@pytest.fixture
def work_case(agent, open_case):
    work_until(open_case, agent, "Related work")
    return open_case


def test_create_task_numbers_it_and_gates_related_work(client_for, agent, work_case):
    client = client_for("agent")
    url = f"/cases/{work_case.number}/tasks/new/"
    assert "Create Task" in client.get(url).text
    for title in ("Train the leads", "Migrate data"):
        client.post(url, {"short_description": title, "priority": 3, "assigned_to": agent.pk})
    tasks = list(CaseTask.objects.order_by("number"))
    assert [t.number for t in tasks] == ["SCTASK0001001", "SCTASK0001002"]
    activity = current_activity(work_case)
    complete_url = f"/cases/{work_case.number}/activities/{activity.pk}/complete/"
    response = client.post(complete_url, follow=True)
    assert "2 tasks are still open: SCTASK0001001, SCTASK0001002" in response.text
    # The gate on the page links each blocking task to its form.
    assert (
        f'2 tasks are still open: <a href="/cases/{work_case.number}/tasks/SCTASK0001001/">'
        f'SCTASK0001001</a>, <a href="/cases/{work_case.number}/tasks/SCTASK0001002/">'
        "SCTASK0001002</a>." in response.text
    )
    task_url = f"/cases/{work_case.number}/tasks/SCTASK0001001"
    client.post(f"{task_url}/start/")
    client.post(f"{task_url}/pause/")
    client.post(f"{task_url}/resume/")
    assert CaseTask.objects.get(number="SCTASK0001001").state == TaskState.IN_PROGRESS
    client.post(f"{task_url}/complete/")
    client.post(f"/cases/{work_case.number}/tasks/SCTASK0001002/cancel/")
    assert dict(CaseTask.objects.values_list("number", "state")) == {
        "SCTASK0001001": TaskState.COMPLETE,
        "SCTASK0001002": TaskState.CANCELED,
    }
    client.post(complete_url)
    assert current_activity(work_case).name == "Communicate the final outcome"


def test_a_task_for_a_user_without_role_is_refused(client_for, work_case):
    nobody = UserFactory(username="no-role-person")
    response = client_for("agent").post(
        f"/cases/{work_case.number}/tasks/new/",
        {"short_description": "Train", "priority": 3, "assigned_to": nobody.pk},
    )
    assert response.status_code == 200
    assert "Assign the task to a user with a SuccessHub role." in response.text
    assert not CaseTask.objects.exists()


def test_a_finished_task_cannot_be_restarted(client_for, agent, work_case):
    task = services.task_create(case_pk=work_case.pk, user=agent, data={"short_description": "T"})
    client = client_for("agent")
    client.post(f"/cases/{work_case.number}/tasks/{task.number}/complete/")
    response = client.post(f"/cases/{work_case.number}/tasks/{task.number}/start/", follow=True)
    assert f"{task.number} is complete; that is no longer possible." in response.text


@pytest.mark.parametrize("who", ["csm", "participant", "manager", "no_role_user"])
def test_read_only_roles_cannot_touch_meetings_or_tasks(client_for, agent, work_case, who):
    task = services.task_create(case_pk=work_case.pk, user=agent, data={"short_description": "T"})
    client = client_for(who)
    assert client.get(f"/cases/{work_case.number}/tasks/new/").status_code == 403
    assert (
        client.post(
            f"/cases/{work_case.number}/tasks/new/", {"short_description": "X", "priority": 3}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/cases/{work_case.number}/tasks/{task.number}/complete/").status_code == 403
    )
    assert client.post(f"/cases/{work_case.number}/meetings/new/", MEETING).status_code == 403
    task.refresh_from_db()
    assert task.state == TaskState.NEW
    assert CaseTask.objects.count() == 1
    assert not Meeting.objects.exists()
