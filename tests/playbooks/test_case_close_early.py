"""Close early, and the playbook's own State (issue 12, item 5).

The seed: "If after creating the success case playbook, you close or cancel the playbook,
all pending activities and lanes are automatically canceled and playbook State is set to
Canceled." Closing after every activity gives playbook Completed.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from playbooks import services
from playbooks.models import ActivityState
from playbooks.models import ClosureCode
from playbooks.models import JournalEntry
from playbooks.models import MeetingState
from playbooks.models import Phase
from playbooks.models import PlaybookState
from playbooks.models import TaskState
from playbooks.reports import figures
from playbooks.reports import review_cases

from .conftest import complete_current
from .conftest import work_until


@pytest.fixture
def code(db):
    return ClosureCode.objects.filter(active=True).first()


@pytest.fixture
def assist_case(agent, open_case):
    """In Assist at Related meeting, with a scheduled meeting and a new task."""
    work_until(open_case, agent, "Related meeting")
    start = timezone.now()
    window = {"start": start, "end": start + timedelta(hours=1)}
    services.meeting_create(
        case_pk=open_case.pk, user=agent, data={"subject": "Kickoff", **window}, schedule=True
    )
    services.task_create(case_pk=open_case.pk, user=agent, data={"short_description": "Train"})
    return open_case


def test_the_close_page_previews_what_closing_early_cancels(client_for, assist_case):
    response = client_for("agent").get(f"/cases/{assist_case.number}/close/")
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.lanes == ["Assist", "Review & Close"]
    assert [m.subject for m in preview.meetings] == ["Kickoff"]
    assert [t.number for t in preview.tasks] == ["SCTASK0001001"]
    assert "the playbook State to <strong>Canceled</strong>" in response.text
    assert 'name="closure_code"' in response.text and 'name="close_notes"' in response.text


def test_it_closes_early_from_assist(client_for, agent, assist_case, code):
    response = client_for("agent").post(
        f"/cases/{assist_case.number}/close/",
        {"closure_code": code.pk, "close_notes": "The customer reached the goal early."},
        follow=True,
    )
    assert "is closed. Progress: Completed. Playbook: Canceled (closed early)." in response.text
    case = assist_case
    case.refresh_from_db()
    assert (case.phase, case.state_label, case.progress_label) == (
        Phase.CLOSED,
        "Closed",
        "Completed",
    )
    assert case.playbook_state == PlaybookState.CANCELED and case.closed_early
    assert (case.closure_code, case.close_notes) == (code, "The customer reached the goal early.")
    states = dict(case.activities.values_list("name", "state"))
    assert states["Communicate the intended outcome"] == ActivityState.COMPLETE
    assert states["Related meeting"] == ActivityState.CANCELED
    assert states["Close record"] == ActivityState.CANCELED
    assert case.meetings.get().state == MeetingState.CANCELED
    assert case.tasks.get().state == TaskState.CANCELED
    lanes = {lane.label: lane.state for lane in case.lanes()}
    assert lanes == {"Initiate": "Complete", "Assist": "Canceled", "Review & Close": "Canceled"}
    changes = set(case.journal.filter(kind="change").values_list("field", "old_value", "new_value"))
    assert ("Playbook state", "In progress", "Canceled") in changes
    assert ("State", "Open", "Closed") in changes
    assert ("Phase", "Assist", "Closed") in changes
    assert ("Closure code", "—", code.name) in changes
    page = client_for("agent").get(case.get_absolute_url()).text
    assert 'data-testid="playbook-state">Canceled<' in page and "(closed early)" in page


def test_it_needs_a_closure_code_and_notes_and_changes_nothing(client_for, assist_case):
    before = JournalEntry.objects.count()
    response = client_for("agent").post(f"/cases/{assist_case.number}/close/", {})
    assert response.status_code == 200
    assert "Select the Closure code." in response.text
    assert "Enter the Close notes." in response.text
    response = client_for("agent").post(
        f"/cases/{assist_case.number}/close/", {"closure_code": "999999", "close_notes": "x"}
    )
    assert "Select a closure code from the list." in response.text
    assist_case.refresh_from_db()
    assert assist_case.phase == Phase.ASSIST
    assert assist_case.playbook_state == PlaybookState.IN_PROGRESS
    assert JournalEntry.objects.count() == before


def test_the_service_refuses_without_code_and_an_already_closed_case(agent, assist_case, code):
    with pytest.raises(services.DomainError, match="Select a closure code and enter close notes"):
        services.success_case_close(case_pk=assist_case.pk, user=agent)
    services.success_case_close(
        case_pk=assist_case.pk, user=agent, closure_code=code, close_notes="Done."
    )
    with pytest.raises(services.DomainError, match="is closed; it can no longer change"):
        services.success_case_close(
            case_pk=assist_case.pk, user=agent, closure_code=code, close_notes="Again."
        )


def test_closed_after_every_activity_the_playbook_is_completed(agent, closed_case):
    assert closed_case.playbook_state == PlaybookState.COMPLETED
    assert not closed_case.closed_early
    entry = closed_case.journal.get(field="Playbook state")
    assert (entry.old_value, entry.new_value) == ("In progress", "Completed")


def test_canceling_cancels_the_playbook(agent, assist_case):
    services.success_case_cancel(case_pk=assist_case.pk, user=agent, reason="Paused.")
    assist_case.refresh_from_db()
    assert assist_case.playbook_state == PlaybookState.CANCELED
    assert assist_case.journal.filter(field="Playbook state", new_value="Canceled").exists()


@pytest.fixture
def completed_case(agent, engagement):
    case = services.success_case_create(engagement=engagement, user=agent).case
    while case.activities.filter(state=ActivityState.IN_PROGRESS).exists():
        complete_current(case, agent)
    return services.success_case_close(case_pk=case.pk, user=agent)


def test_review_figures_tell_completed_from_closed_early(agent, assist_case, completed_case, code):
    services.success_case_close(
        case_pk=assist_case.pk, user=agent, closure_code=code, close_notes="Early."
    )
    result = figures(review_cases())
    assert (result.closed, result.closed_completed, result.closed_early) == (2, 1, 1)


def test_review_page_shows_both_figures(client_for, agent, assist_case, completed_case, code):
    services.success_case_close(
        case_pk=assist_case.pk, user=agent, closure_code=code, close_notes="Early."
    )
    page = client_for("manager").get("/review/").text
    assert 'data-testid="figure-closed-completed">1<' in page
    assert 'data-testid="figure-closed-early">1<' in page
