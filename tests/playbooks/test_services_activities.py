"""playbooks.services: working the activities, Related meeting and Related work."""

from __future__ import annotations

from datetime import date

import pytest

from core.formatting import person
from playbooks.models import ActivityState
from playbooks.models import CaseTask
from playbooks.models import JournalEntry
from playbooks.models import MeetingState
from playbooks.models import Phase
from playbooks.models import SuccessCase
from playbooks.models import TaskState
from playbooks.services import DomainError
from tests.factories import SuccessCaseFactory
from tests.factories import complete_activity
from tests.factories import open_activity
from tests.factories import work_case_until
from tests.playbooks.casework import add_meeting
from tests.playbooks.casework import add_task
from tests.playbooks.casework import changes
from tests.playbooks.casework import journal
from tests.playbooks.casework import mark_complete
from tests.playbooks.casework import move
from tests.playbooks.casework import snapshot
from tests.playbooks.casework import states

# -- working the activities ---------------------------------------------------------------------


def test_completing_each_activity_in_order_walks_initiate_assist_review_and_close(agent, case):
    phases = []
    while (activity := open_activity(case)) is not None:
        phases.append((activity.name, SuccessCase.objects.get(pk=case.pk).phase))
        done = complete_activity(case, agent)
        assert done.state == ActivityState.COMPLETE
        assert done.completed_by == agent
    assert phases == [
        ("Enter core information", Phase.INITIATE),
        ("Add squad", Phase.INITIATE),
        ("Communicate the intended outcome", Phase.ASSIST),
        ("Define the action plan", Phase.ASSIST),
        ("Related meeting", Phase.ASSIST),
        ("Related work", Phase.ASSIST),
        ("Communicate the final outcome", Phase.REVIEW_CLOSE),
        ("Close record", Phase.REVIEW_CLOSE),
    ]
    case.refresh_from_db()
    # Every activity is complete, but the case waits for Close success case.
    assert case.phase == Phase.REVIEW_CLOSE
    assert set(states(case).values()) == {ActivityState.COMPLETE}
    assert changes(case, "Phase") == [
        ("—", "Initiate"),
        ("Initiate", "Assist"),
        ("Assist", "Review & Close"),
    ]
    assert changes(case, "Activity: Related work") == [
        ("Pending", "In progress"),
        ("In progress", "Complete"),
    ]


def test_core_information_is_saved_and_each_change_journaled(agent, agent2, case):
    complete_activity(
        case,
        agent,
        {
            "short_description": "Drive adoption of the warehouse module",
            "description": "",
            "priority": 2,
            "assigned_to": agent2,
            "planned_start": date(2026, 12, 1),
            "planned_end": date(2026, 12, 31),
        },
    )
    case.refresh_from_db()
    assert case.short_description == "Drive adoption of the warehouse module"
    assert case.assigned_to == agent2
    assert changes(case, "Short description") == [("—", "Drive adoption of the warehouse module")]
    assert changes(case, "Priority") == [("3 - Moderate", "2 - High")]
    assert changes(case, "Assigned to") == [(person(agent), person(agent2))]  # one label
    assert changes(case, "Planned end") == [("—", "2026-12-31")]
    assert not changes(case, "Description")  # unchanged: nothing to journal


def test_add_squad_sets_the_squad_and_journals_the_change(agent, agent2, csm, case):
    work_case_until(case, agent, "Add squad")
    complete_activity(case, agent, {"squad": [agent2, csm]})
    assert set(case.squad.all()) == {agent2, csm}
    names = ", ".join(sorted([agent2.get_full_name(), csm.get_full_name()]))
    assert changes(case, "Squad") == [("—", names)]


def test_add_squad_needs_one_or_more_members(agent, case):
    work_case_until(case, agent, "Add squad")
    before = snapshot(case)
    with pytest.raises(DomainError, match="Select one or more squad members"):
        complete_activity(case, agent, {"squad": []})
    assert snapshot(case) == before


def test_the_intended_outcome_is_a_comment_and_the_action_plan_a_work_note(agent, case):
    work_case_until(case, agent, "Communicate the intended outcome")
    assert open_activity(case).action_label == "Send and continue"
    complete_activity(case, agent, {"text": "80% weekly active users by March."})
    assert open_activity(case).action_label == "Send and continue"
    complete_activity(case, agent, {"text": "Train the leads, then the floor."})
    comment = journal(case, kind=JournalEntry.Kind.COMMENT).get()
    note = journal(case, kind=JournalEntry.Kind.WORK_NOTE).get()
    assert (comment.body, comment.author) == ("80% weekly active users by March.", agent)
    assert (note.body, note.author) == ("Train the leads, then the floor.", agent)
    assert open_activity(case).name == "Related meeting"


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_comment_is_refused(agent, case, text):
    work_case_until(case, agent, "Communicate the intended outcome")
    before = snapshot(case)
    with pytest.raises(DomainError, match="cannot be empty"):
        complete_activity(case, agent, {"text": text})
    assert snapshot(case) == before


def test_an_activity_is_completed_once(agent, case):
    with pytest.raises(DomainError, match=r"^Select engagement is already complete by "):
        mark_complete(case, agent, "Select engagement")
    with pytest.raises(DomainError, match="Close record is not open yet"):
        mark_complete(case, agent, "Close record")


# -- Related meeting and Related work -------------------------------------------------------


def test_related_meeting_waits_for_draft_and_scheduled_meetings(agent, case):
    work_case_until(case, agent, "Related meeting")
    kickoff = add_meeting(case, agent, "Kickoff")
    assert kickoff.state == MeetingState.DRAFT
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        mark_complete(case, agent, "Related meeting")
    expected = "Mark Complete is not possible yet: 1 meeting is still open: Kickoff."
    assert str(refused.value) == expected
    assert snapshot(case) == before
    move(case, agent, kickoff, "schedule")
    with pytest.raises(DomainError, match="1 meeting is still open: Kickoff"):
        mark_complete(case, agent, "Related meeting")
    add_meeting(case, agent, "Executive review", schedule=True)
    with pytest.raises(DomainError, match="2 meetings are still open: Kickoff, Executive review"):
        mark_complete(case, agent, "Related meeting")


@pytest.mark.parametrize("outcome", ["complete", "cancel"])
def test_related_meeting_completes_once_every_meeting_is_complete_or_canceled(agent, case, outcome):
    work_case_until(case, agent, "Related meeting")
    kickoff = add_meeting(case, agent, "Kickoff", schedule=True)
    review = add_meeting(case, agent, "Executive review")
    move(case, agent, kickoff, "complete")
    move(case, agent, review, outcome)
    mark_complete(case, agent, "Related meeting")
    assert open_activity(case).name == "Related work"
    assert changes(case, "Meeting added") == [("—", "Kickoff"), ("—", "Executive review")]
    assert changes(case, "Meeting Kickoff state") == [
        ("Draft", "Scheduled"),
        ("Scheduled", "Complete"),
    ]


def test_task_numbers_run_sctask0001001_sctask0001002_across_cases(agent):
    first, second = SuccessCaseFactory(user=agent), SuccessCaseFactory(user=agent)
    assert add_task(first, agent).number == "SCTASK0001001"
    assert add_task(second, agent).number == "SCTASK0001002"
    assert add_task(first, agent).number == "SCTASK0001003"
    assert changes(first, "Task added") == [
        ("—", "SCTASK0001001 Train the warehouse leads"),
        ("—", "SCTASK0001003 Train the warehouse leads"),
    ]


def test_related_work_waits_for_new_in_progress_and_paused_tasks(agent, case):
    work_case_until(case, agent, "Related work")
    first, second = add_task(case, agent), add_task(case, agent, "Publish the picking guide")
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        mark_complete(case, agent, "Related work")
    assert str(refused.value) == (
        "Mark Complete is not possible yet: 2 tasks are still open: SCTASK0001001, SCTASK0001002."
    )
    assert snapshot(case) == before
    move(case, agent, first, "start")
    move(case, agent, first, "pause")
    move(case, agent, second, "complete")
    with pytest.raises(DomainError, match="1 task is still open: SCTASK0001001"):
        mark_complete(case, agent, "Related work")
    move(case, agent, first, "resume")
    move(case, agent, first, "cancel")
    mark_complete(case, agent, "Related work")
    assert open_activity(case).name == "Communicate the final outcome"
    assert SuccessCase.objects.get(pk=case.pk).phase == Phase.REVIEW_CLOSE
    assert changes(case, "SCTASK0001001 state") == [
        ("New", "In progress"),
        ("In progress", "Paused"),
        ("Paused", "In progress"),
        ("In progress", "Canceled"),
    ]


def test_a_finished_task_cannot_move_again(agent, case):
    task = add_task(case, agent)
    move(case, agent, task, "complete")
    with pytest.raises(DomainError, match="SCTASK0001001 is complete; that is no longer possible"):
        move(case, agent, task, "start")
    with pytest.raises(DomainError, match="Unknown action"):
        move(case, agent, task, "delete")
    assert CaseTask.objects.get(pk=task.pk).state == TaskState.COMPLETE
