"""playbooks.services: the success case playbook, in the seed's words.

Every case here is opened and worked through the services, as the workspace
does: New → Continue, Mark Complete / Send and continue, Close success case,
Cancel.
"""

from __future__ import annotations

import threading
from datetime import date
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.utils import timezone

from core.formatting import person
from core.roles import Role
from engagements.models import Engagement
from playbooks import services
from playbooks.defaults import SEED_PLAYBOOK
from playbooks.defaults import load_default_playbook
from playbooks.models import ActivityDefinition
from playbooks.models import ActivityState
from playbooks.models import CaseActivity
from playbooks.models import CaseTask
from playbooks.models import ClosureCode
from playbooks.models import JournalEntry
from playbooks.models import Meeting
from playbooks.models import MeetingState
from playbooks.models import Phase
from playbooks.models import SuccessCase
from playbooks.models import TaskState
from playbooks.services import DomainError
from tests.factories import EngagementFactory
from tests.factories import SuccessCaseFactory
from tests.factories import UserFactory
from tests.factories import activity_data
from tests.factories import complete_activity
from tests.factories import open_activity
from tests.factories import work_case_until

PLAYBOOK = [name for _phase, _order, name, _kind, _text in SEED_PLAYBOOK]


@pytest.fixture
def case(agent) -> SuccessCase:
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


def journal(case, **filters):
    return JournalEntry.objects.filter(case=case, **filters)


def changes(case, field: str) -> list[tuple[str, str]]:
    rows = journal(case, kind=JournalEntry.Kind.CHANGE, field=field).order_by("created_at", "pk")
    return [(row.old_value, row.new_value) for row in rows]


def states(case) -> dict[str, str]:
    return dict(case.activities.order_by("position").values_list("name", "state"))


def snapshot(case) -> tuple:
    """Everything a refused operation must leave as it was."""
    fresh = SuccessCase.objects.get(pk=case.pk)
    return (
        fresh.phase,
        fresh.short_description,
        fresh.priority,
        fresh.assigned_to_id,
        fresh.closure_code_id,
        fresh.close_notes,
        fresh.cancel_reason,
        fresh.closed_at,
        sorted(fresh.squad.values_list("pk", flat=True)),
        list(fresh.activities.order_by("position").values_list("state", flat=True)),
        list(fresh.meetings.order_by("pk").values_list("state", flat=True)),
        list(fresh.tasks.order_by("pk").values_list("state", flat=True)),
        JournalEntry.objects.filter(case=case).count(),
    )


def add_meeting(case, user, subject="Kickoff", schedule=False) -> Meeting:
    start = timezone.now() + timedelta(days=2)
    return services.meeting_create(
        case_pk=case.pk,
        user=user,
        data={"subject": subject, "start": start, "end": start + timedelta(hours=1)},
        schedule=schedule,
    )


def add_task(case, user, text="Train the warehouse leads") -> CaseTask:
    return services.task_create(
        case_pk=case.pk, user=user, data={"short_description": text, "assigned_to": user}
    )


def move(case, user, record, name: str) -> None:
    services.record_transition(case_pk=case.pk, user=user, record=record, name=name)


def mark_complete(case, user, activity_name: str, data=None):
    activity = case.activities.get(name=activity_name)
    return services.activity_complete(
        case_pk=case.pk,
        activity_pk=activity.pk,
        user=user,
        data=activity_data(activity, user) if data is None else data,
    )


# -- New → Continue ------------------------------------------------------------------------


def test_it_numbers_cases_scs0001001_then_scs0001002_and_never_reuses_a_number(agent):
    first = SuccessCaseFactory(user=agent)
    second = SuccessCaseFactory(user=agent)
    assert (first.number, second.number) == ("SCS0001001", "SCS0001002")
    # Even when the latest case is gone, its number is not handed out again.
    second.delete()
    assert SuccessCaseFactory(user=agent).number == "SCS0001003"
    assert services.number_peek("SCS") == "SCS0001004"


def test_it_assigns_the_creator_and_starts_in_initiate(agent, case):
    assert case.assigned_to == agent
    assert case.opened_by == agent
    assert case.opened_at is not None and case.closed_at is None
    assert case.phase == Phase.INITIATE
    assert (case.state_label, case.progress_label) == ("Open", "In progress")
    assert changes(case, "State") == [("—", "Open")]
    assert changes(case, "Phase") == [("—", "Initiate")]


def test_it_copies_the_playbook_in_order_with_select_engagement_complete(agent, case):
    activities = list(case.activities.order_by("position"))
    assert [a.name for a in activities] == PLAYBOOK
    assert [a.position for a in activities] == list(range(1, len(PLAYBOOK) + 1))
    assert [a.phase for a in activities] == [p for p, *_ in SEED_PLAYBOOK]
    assert states(case) == {
        "Select engagement": ActivityState.COMPLETE,
        "Enter core information": ActivityState.IN_PROGRESS,
        **{name: ActivityState.PENDING for name in PLAYBOOK[2:]},
    }
    select = activities[0]
    assert select.completed_by == agent and select.completed_at is not None
    assert select.action_label == "Continue"
    assert activities[1].action_label == "Mark Complete"
    assert changes(case, "Activity: Select engagement") == [("Pending", "Complete")]
    assert changes(case, "Activity: Enter core information") == [("Pending", "In progress")]


def test_it_copies_the_playbook_as_the_admin_left_it(agent):
    ActivityDefinition.objects.filter(name="Related meeting").update(active=False)
    ActivityDefinition.objects.create(
        version=services.playbook_version_current(),
        phase=Phase.INITIATE,
        order=4,
        name="Confirm the sponsor",
        kind="comment",
    )
    case = SuccessCaseFactory(user=agent)
    names = list(case.activities.order_by("position").values_list("name", flat=True))
    assert names[:4] == [*PLAYBOOK[:3], "Confirm the sponsor"]
    assert "Related meeting" not in names
    # Later edits of the definition do not rewrite the case's copy.
    ActivityDefinition.objects.filter(name="Add squad").update(name="Pick the squad")
    assert case.activities.filter(name="Add squad").exists()


def test_it_refuses_an_empty_playbook(agent):
    ActivityDefinition.objects.update(active=False)
    with pytest.raises(DomainError, match="no activities"):
        SuccessCaseFactory(user=agent)
    assert not SuccessCase.objects.exists()


def test_number_replaced_says_when_the_shown_number_was_taken(agent, agent2):
    engagement = EngagementFactory()
    shown = services.number_peek(services.CASE_PREFIX)
    assert shown == "SCS0001001"
    # Someone else presses Continue first.
    services.success_case_create(engagement=engagement, user=agent2)
    created = services.success_case_create(engagement=engagement, user=agent, shown_number=shown)
    assert created.number_replaced is True
    assert created.case.number == "SCS0001002"
    shown = services.number_peek(services.CASE_PREFIX)
    created = services.success_case_create(engagement=engagement, user=agent, shown_number=shown)
    assert created.number_replaced is False
    assert created.case.number == shown == "SCS0001003"


@pytest.mark.parametrize("state", [Engagement.State.CLOSED, Engagement.State.CANCELED])
def test_it_refuses_a_closed_engagement_and_takes_no_number(agent, state):
    engagement = EngagementFactory(state=state)
    with pytest.raises(DomainError, match="choose an open one"):
        services.success_case_create(engagement=engagement, user=agent)
    assert not SuccessCase.objects.exists()
    assert services.number_peek(services.CASE_PREFIX) == "SCS0001001"


@pytest.mark.parametrize("who", ["csm", "participant", "manager", "no_role_user"])
def test_only_success_agents_open_cases(request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.success_case_create(engagement=EngagementFactory(), user=user)
    assert not SuccessCase.objects.exists()


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


OPERATIONS = {
    "complete an activity": lambda case, user: mark_complete(case, user, "Close record"),
    "edit core information": lambda case, user: services.case_update(
        case_pk=case.pk, user=user, data={"short_description": "Changed"}
    ),
    "add a meeting": lambda case, user: add_meeting(case, user),
    "add a task": lambda case, user: add_task(case, user),
    "close": lambda case, user: services.success_case_close(case_pk=case.pk, user=user),
    "cancel": lambda case, user: services.success_case_cancel(
        case_pk=case.pk, user=user, reason="Again."
    ),
}


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


# -- who may work a case ---------------------------------------------------------------------


def test_an_agent_outside_the_case_cannot_work_it_and_nothing_changes(agent, outsider, case):
    before = snapshot(case)
    activity = open_activity(case)
    with pytest.raises(PermissionDenied):
        services.activity_complete(
            case_pk=case.pk,
            activity_pk=activity.pk,
            user=outsider,
            data=activity_data(activity, outsider),
        )
    for operation in OPERATIONS.values():
        with pytest.raises(PermissionDenied):
            operation(case, outsider)
    assert snapshot(case) == before


def test_the_squad_works_the_case_with_the_assignee(agent, agent2, csm, case):
    work_case_until(case, agent, "Add squad")
    complete_activity(case, agent, {"squad": [agent2, csm]})
    done = complete_activity(case, agent2, {"text": "Fewer paper pick lists."})
    assert done.completed_by == agent2
    assert journal(case, kind=JournalEntry.Kind.COMMENT).get().author == agent2
    task = add_task(case, agent2)
    move(case, agent2, task, "start")
    # Customer Success in the squad follows the case but does not work it.
    with pytest.raises(PermissionDenied):
        move(case, csm, task, "complete")
    with pytest.raises(PermissionDenied):
        complete_activity(case, csm, {"text": "Plan."})
    assert CaseTask.objects.get(pk=task.pk).state == TaskState.IN_PROGRESS


def test_a_failure_half_way_leaves_nothing_half_written(agent, case, monkeypatch):
    """Everything an operation writes is one transaction: fields, activity and journal."""
    before = snapshot(case)

    def broken(case, user):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_advance", broken)
    with pytest.raises(RuntimeError):
        complete_activity(case, agent)
    assert snapshot(case) == before
    assert open_activity(case).name == "Enter core information"


def test_edits_outside_the_activities_are_journaled(agent, agent2, case):
    services.case_update(case_pk=case.pk, user=agent, data={"priority": 1})
    services.case_update(case_pk=case.pk, user=agent, data={"priority": 1})
    assert changes(case, "Priority") == [("3 - Moderate", "1 - Critical")]
    meeting = add_meeting(case, agent, "Kickoff")
    services.record_update(
        case_pk=case.pk,
        user=agent,
        record=meeting,
        data={"location": "Room 4", "attendees": [agent, agent2]},
    )
    assert changes(case, "Meeting Kickoff location") == [("—", "Room 4")]
    names = ", ".join(sorted([agent.get_full_name(), agent2.get_full_name()]))
    assert changes(case, "Meeting Kickoff attendees") == [("—", names)]


# -- two agents at the same moment (PostgreSQL) ------------------------------------------------


@pytest.fixture
def default_playbook(transactional_db):
    """Transactional tests flush the playbook and closure codes the data migration made."""
    from django.apps import apps

    load_default_playbook(apps)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_agents_completing_the_same_activity_at_once_complete_it_once(
    role_groups, default_playbook
):
    alex = UserFactory(first_name="Alex", last_name="Agent", roles=[Role.SUCCESS_AGENT])
    sam = UserFactory(first_name="Sam", last_name="Rivera", roles=[Role.SUCCESS_AGENT])
    case = SuccessCaseFactory(user=alex)
    work_case_until(case, alex, "Add squad")
    complete_activity(case, alex, {"squad": [alex, sam]})
    activity = open_activity(case)
    assert activity.name == "Communicate the intended outcome"

    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def press_send(user) -> None:
        try:
            barrier.wait(timeout=10)
            services.activity_complete(
                case_pk=case.pk,
                activity_pk=activity.pk,
                user=user,
                data={"text": f"Outcome written by {user.first_name}."},
            )
            results[user.first_name] = "ok"
        except Exception as error:  # reported below, with its type
            results[user.first_name] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press_send, args=(user,)) for user in (alex, sam)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["Alex", "Sam"]
    winners = [name for name, result in results.items() if result == "ok"]
    losers = [result for result in results.values() if result != "ok"]
    assert len(winners) == 1, results
    assert len(losers) == 1 and isinstance(losers[0], DomainError), results
    winner = alex if winners == ["Alex"] else sam
    assert str(losers[0]) == (
        f"Communicate the intended outcome is already complete by {winner.get_full_name()}."
    )
    completions = JournalEntry.objects.filter(
        case=case, field="Activity: Communicate the intended outcome", new_value="Complete"
    )
    assert completions.count() == 1
    assert completions.get().author == winner
    comments = JournalEntry.objects.filter(case=case, kind=JournalEntry.Kind.COMMENT)
    assert [c.body for c in comments] == [f"Outcome written by {winner.first_name}."]
    assert CaseActivity.objects.get(pk=activity.pk).completed_by == winner
    assert open_activity(case).name == "Define the action plan"
