"""playbooks.services: who may work a case, and two agents at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections

from core.roles import Role
from playbooks import services
from playbooks.defaults import load_default_playbook
from playbooks.models import CaseActivity
from playbooks.models import CaseTask
from playbooks.models import JournalEntry
from playbooks.models import TaskState
from playbooks.services import DomainError
from tests.factories import SuccessCaseFactory
from tests.factories import UserFactory
from tests.factories import activity_data
from tests.factories import complete_activity
from tests.factories import open_activity
from tests.factories import work_case_until
from tests.playbooks.casework import OPERATIONS
from tests.playbooks.casework import add_meeting
from tests.playbooks.casework import add_task
from tests.playbooks.casework import changes
from tests.playbooks.casework import journal
from tests.playbooks.casework import move
from tests.playbooks.casework import snapshot

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
