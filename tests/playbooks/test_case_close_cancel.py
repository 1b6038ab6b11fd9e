"""Close success case and Cancel, from the case page."""

import pytest

from playbooks import services
from playbooks.models import ActivityState
from playbooks.models import JournalEntry
from playbooks.models import MeetingState
from playbooks.models import Phase
from playbooks.models import PlaybookState
from playbooks.models import TaskState

from .conftest import complete_current
from .conftest import current_activity
from .conftest import work_until


def test_close_closes_at_once_after_every_activity(client_for, agent, open_case):
    client = client_for("agent")
    work_until(open_case, agent, "Close record")
    page = client.get(open_case.get_absolute_url()).text
    # Before: a link to the Close page (it previews what closing early cancels), no button.
    assert "Close success case</button>" not in page
    assert f'href="/cases/{open_case.number}/close/"' in page
    complete_current(open_case, agent)
    assert "Close success case</button>" in client.get(open_case.get_absolute_url()).text
    client.post(f"/cases/{open_case.number}/close/")
    open_case.refresh_from_db()
    assert (open_case.state_label, open_case.progress_label) == ("Closed", "Completed")
    assert open_case.playbook_state == PlaybookState.COMPLETED
    assert open_case.closed_by == agent and open_case.closed_at is not None


def test_close_record_needs_a_closure_code_from_the_list_and_notes(client_for, agent, open_case):
    work_until(open_case, agent, "Close record")
    activity = current_activity(open_case)
    client = client_for("agent")
    url = f"/cases/{open_case.number}/activities/{activity.pk}/complete/"
    response = client.post(url, {f"a{activity.pk}-closure_code": "999999"})
    assert "Select a closure code from the list." in response.text
    assert "Enter the Close notes." in response.text
    activity.refresh_from_db()
    assert activity.state == ActivityState.IN_PROGRESS


def test_a_closed_case_refuses_every_post(client_for, closed_case):
    client = client_for("agent")
    number = closed_case.number
    before = JournalEntry.objects.count()
    response = client.post(f"/cases/{number}/close/", follow=True)
    assert f"{number} is closed; it can no longer change." in response.text
    response = client.post(f"/cases/{number}/tasks/new/", {"short_description": "x"}, follow=True)
    assert "read-only" in response.text
    assert client.get(f"/cases/{number}/cancel/", follow=True).status_code == 200
    assert JournalEntry.objects.count() == before


@pytest.fixture
def busy_assist_case(agent, open_case):
    from datetime import timedelta

    from django.utils import timezone

    work_until(open_case, agent, "Related meeting")
    start = timezone.now()
    window = {"start": start, "end": start + timedelta(hours=1)}
    services.meeting_create(
        case_pk=open_case.pk, user=agent, data={"subject": "Kickoff", **window}, schedule=True
    )
    done = services.meeting_create(
        case_pk=open_case.pk, user=agent, data={"subject": "Old", **window}
    )
    services.record_transition(case_pk=open_case.pk, user=agent, record=done, name="complete")
    services.task_create(case_pk=open_case.pk, user=agent, data={"short_description": "Train"})
    return open_case


def test_cancel_shows_exactly_what_will_be_canceled(client_for, busy_assist_case):
    response = client_for("agent").get(f"/cases/{busy_assist_case.number}/cancel/")
    assert response.status_code == 200
    preview = response.context["preview"]
    assert [a.name for a in preview.activities] == [
        "Related meeting",
        "Related work",
        "Communicate the final outcome",
        "Close record",
    ]
    assert preview.lanes == ["Assist", "Review & Close"]
    assert [m.subject for m in preview.meetings] == ["Kickoff"]
    assert [t.number for t in preview.tasks] == ["SCTASK0001001"]


def test_cancel_needs_a_reason(client_for, busy_assist_case):
    response = client_for("agent").post(f"/cases/{busy_assist_case.number}/cancel/", {"reason": ""})
    assert "Give a reason for canceling." in response.text
    busy_assist_case.refresh_from_db()
    assert busy_assist_case.phase == Phase.ASSIST


def test_cancel_cascades_in_one_go(client_for, agent, busy_assist_case):
    response = client_for("agent").post(
        f"/cases/{busy_assist_case.number}/cancel/", {"reason": "Customer paused the project"}
    )
    assert response.status_code == 302
    case = busy_assist_case
    case.refresh_from_db()
    assert (case.phase, case.state_label) == (Phase.CANCELED, "Canceled")
    assert case.playbook_state == PlaybookState.CANCELED
    assert case.cancel_reason == "Customer paused the project"
    states = dict(case.activities.values_list("name", "state"))
    assert states["Add squad"] == ActivityState.COMPLETE
    assert states["Communicate the intended outcome"] == ActivityState.COMPLETE
    assert states["Related meeting"] == ActivityState.CANCELED
    assert states["Close record"] == ActivityState.CANCELED
    assert dict(case.meetings.values_list("subject", "state")) == {
        "Kickoff": MeetingState.CANCELED,
        "Old": MeetingState.COMPLETE,
    }
    assert case.tasks.get().state == TaskState.CANCELED


CLOSE_DATA = {"closure_code": "1", "close_notes": "x"}


@pytest.mark.parametrize("who", ["csm", "participant", "manager", "no_role_user"])
def test_read_only_roles_cannot_close_or_cancel(client_for, busy_assist_case, who):
    client = client_for(who)
    number = busy_assist_case.number
    assert client.get(f"/cases/{number}/cancel/").status_code == 403
    assert client.post(f"/cases/{number}/cancel/", {"reason": "x"}).status_code == 403
    assert client.get(f"/cases/{number}/close/").status_code == 403
    assert client.post(f"/cases/{number}/close/", CLOSE_DATA).status_code == 403
    busy_assist_case.refresh_from_db()
    assert busy_assist_case.phase == Phase.ASSIST
