"""playbooks.services: Close success case and Cancel.

Also what the Review figures read, kept on the case as it leaves each lane.
"""

from __future__ import annotations

import pytest

from playbooks import services
from playbooks.models import ActivityState
from playbooks.models import CaseTask
from playbooks.models import ClosureCode
from playbooks.models import JournalEntry
from playbooks.models import Meeting
from playbooks.models import MeetingState
from playbooks.models import Phase
from playbooks.models import TaskState
from playbooks.services import DomainError
from tests.factories import complete_activity
from tests.factories import work_case_until
from tests.playbooks.casework import OPERATIONS
from tests.playbooks.casework import PLAYBOOK
from tests.playbooks.casework import add_meeting
from tests.playbooks.casework import add_task
from tests.playbooks.casework import changes
from tests.playbooks.casework import journal
from tests.playbooks.casework import move
from tests.playbooks.casework import snapshot
from tests.playbooks.casework import states

# -- Close success case ----------------------------------------------------------------------


def test_closing_early_without_a_closure_code_is_refused(agent, case):
    work_case_until(case, agent, "Close record")
    before = snapshot(case)
    with pytest.raises(DomainError, match="Select a closure code and enter close notes"):
        services.success_case_close(case_pk=case.pk, user=agent)
    assert snapshot(case) == before


def test_close_record_needs_a_closure_code_and_close_notes(agent, case):
    work_case_until(case, agent, "Close record")
    code = ClosureCode.objects.get(name="Outcome achieved")
    before = snapshot(case)
    for data in [{}, {"closure_code": code, "close_notes": " "}, {"close_notes": "Done."}]:
        with pytest.raises(DomainError, match="closure code"):
            complete_activity(case, agent, data)
    assert snapshot(case) == before


def test_close_sets_state_closed_and_progress_completed(agent, case):
    work_case_until(case, agent)
    closed = services.success_case_close(case_pk=case.pk, user=agent)
    case.refresh_from_db()
    assert closed.phase == case.phase == Phase.CLOSED
    assert (case.state_label, case.progress_label) == ("Closed", "Completed")
    assert case.closed_by == agent and case.closed_at is not None
    assert case.closure_code.name == "Outcome achieved"
    assert case.close_notes == "Adoption reached 84%."
    assert changes(case, "Closure code") == [("—", "Outcome achieved")]
    assert changes(case, "Phase")[-1] == ("Review & Close", "Closed")
    assert changes(case, "State")[-1] == ("Open", "Closed")
    assert changes(case, "Progress") == [("In progress", "Completed")]


def closed(case, user):
    work_case_until(case, user)
    services.success_case_close(case_pk=case.pk, user=user)


def canceled(case, user):
    services.success_case_cancel(case_pk=case.pk, user=user, reason="Opened by mistake.")


@pytest.mark.parametrize("end", [closed, canceled], ids=["closed", "canceled"])
@pytest.mark.parametrize("operation", OPERATIONS.values(), ids=OPERATIONS.keys())
def test_a_closed_or_canceled_case_refuses_any_further_change(agent, case, end, operation):
    end(case, agent)
    before = snapshot(case)
    with pytest.raises(DomainError, match=r"^SCS0001001 is (closed|canceled); it can no longer"):
        operation(case, agent)
    assert snapshot(case) == before


def test_a_meeting_or_task_of_a_closed_case_cannot_move(agent, case):
    work_case_until(case, agent, "Related meeting")
    meeting = add_meeting(case, agent)
    move(case, agent, meeting, "complete")
    task = add_task(case, agent)
    move(case, agent, task, "complete")
    work_case_until(case, agent)
    services.success_case_close(case_pk=case.pk, user=agent)
    for record, name in [(meeting, "cancel"), (task, "cancel")]:
        with pytest.raises(DomainError, match="is closed"):
            move(case, agent, record, name)


# -- Cancel ----------------------------------------------------------------------------------


def test_cancel_from_assist_cancels_what_is_pending_and_keeps_what_is_complete(agent, case):
    work_case_until(case, agent, "Related meeting")
    kickoff = add_meeting(case, agent, "Kickoff", schedule=True)
    move(case, agent, kickoff, "complete")
    add_meeting(case, agent, "Executive review", schedule=True)
    add_meeting(case, agent, "Follow-up")
    done = add_task(case, agent, "Import the item master")
    move(case, agent, done, "complete")
    busy = add_task(case, agent, "Train the leads")
    move(case, agent, busy, "start")
    waiting = add_task(case, agent, "Publish the picking guide")
    completed_before = [n for n, s in states(case).items() if s == ActivityState.COMPLETE]

    preview = services.success_case_cancel(
        case_pk=case.pk, user=agent, reason="  The customer paused the project.  "
    )

    case.refresh_from_db()
    assert case.phase == Phase.CANCELED
    assert (case.state_label, case.progress_label) == ("Canceled", "Canceled")
    assert case.cancel_reason == "The customer paused the project."
    assert case.closed_by == agent and case.closed_at is not None
    assert case.closure_code is None
    after = states(case)
    assert [n for n, s in after.items() if s == ActivityState.COMPLETE] == completed_before
    assert [n for n, s in after.items() if s == ActivityState.CANCELED] == PLAYBOOK[5:]
    assert {m.subject: m.state for m in Meeting.objects.filter(case=case)} == {
        "Kickoff": MeetingState.COMPLETE,
        "Executive review": MeetingState.CANCELED,
        "Follow-up": MeetingState.CANCELED,
    }
    assert {t.pk: t.state for t in CaseTask.objects.filter(case=case)} == {
        done.pk: TaskState.COMPLETE,
        busy.pk: TaskState.CANCELED,
        waiting.pk: TaskState.CANCELED,
    }
    assert [a.name for a in preview.activities] == PLAYBOOK[5:]
    assert preview.lanes == ["Assist", "Review & Close"]
    assert {m.subject for m in preview.meetings} == {"Executive review", "Follow-up"}
    assert changes(case, "Activity: Related meeting")[-1] == ("In progress", "Canceled")
    assert changes(case, "Activity: Close record") == [("Pending", "Canceled")]
    assert changes(case, "Meeting Executive review state")[-1] == ("Scheduled", "Canceled")
    assert changes(case, f"{busy.number} state")[-1] == ("In progress", "Canceled")
    assert changes(case, "Phase")[-1] == ("Assist", "Canceled")
    assert changes(case, "State")[-1] == ("Open", "Canceled")


def test_cancel_from_initiate_cancels_every_lane(agent, case):
    preview = services.success_case_cancel(case_pk=case.pk, user=agent, reason="Duplicate.")
    assert preview.lanes == ["Initiate", "Assist", "Review & Close"]
    assert list(states(case).values()) == [
        ActivityState.COMPLETE,
        *[ActivityState.CANCELED] * (len(PLAYBOOK) - 1),
    ]


# -- what the Review figures read, kept on the case ---------------------------------------------


def phase_changes(case) -> dict[str, object]:
    """When the journal says the case left each lane: {lane left: moment}."""
    rows = journal(case, kind=JournalEntry.Kind.CHANGE, field="Phase").exclude(old_value="—")
    return {row.old_value: row.created_at for row in rows}


def test_moving_on_keeps_when_the_case_left_each_lane(agent, case):
    work_case_until(case, agent, "Related meeting")  # in Assist
    case.refresh_from_db()
    left = phase_changes(case)
    assert case.initiate_ended_at == left["Initiate"]
    assert (case.assist_ended_at, case.review_close_ended_at, case.cycle_time) == (None,) * 3
    work_case_until(case, agent)  # in Review & Close, every activity complete
    case.refresh_from_db()
    assert case.assist_ended_at == phase_changes(case)["Assist"]
    assert case.initiate_ended_at <= case.assist_ended_at


def test_closing_keeps_the_end_of_review_and_close_and_the_cycle_time(agent, case):
    work_case_until(case, agent)
    services.success_case_close(case_pk=case.pk, user=agent)
    case.refresh_from_db()
    assert case.review_close_ended_at == case.closed_at == phase_changes(case)["Review & Close"]
    assert case.cycle_time == case.closed_at - case.opened_at


@pytest.mark.parametrize(
    ("stop", "lane", "field"),
    [
        (None, "Initiate", "initiate_ended_at"),
        ("Related meeting", "Assist", "assist_ended_at"),
    ],
    ids=["in Initiate", "in Assist"],
)
def test_canceling_ends_the_lane_the_case_was_in(agent, case, stop, lane, field):
    if stop:
        work_case_until(case, agent, stop)
    services.success_case_cancel(case_pk=case.pk, user=agent, reason="Duplicate.")
    case.refresh_from_db()
    assert getattr(case, field) == case.closed_at == phase_changes(case)[lane]
    assert case.review_close_ended_at is None  # never reached
    assert case.cycle_time == case.closed_at - case.opened_at


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancel_needs_a_reason(agent, case, reason):
    before = snapshot(case)
    with pytest.raises(DomainError, match="Give a reason"):
        services.success_case_cancel(case_pk=case.pk, user=agent, reason=reason)
    assert snapshot(case) == before
