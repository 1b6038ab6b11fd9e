"""Helpers for the playbooks.services tests: the journal read back, a case's state
snapshot, and the writes the tests repeat (meetings, tasks, transitions, completions).

Every case is opened and worked through the services, as the workspace does:
New → Continue, Mark Complete / Send and continue, Close success case, Cancel.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from playbooks import services
from playbooks.defaults import SEED_PLAYBOOK
from playbooks.models import CaseTask
from playbooks.models import JournalEntry
from playbooks.models import Meeting
from playbooks.models import SuccessCase
from tests.factories import activity_data

PLAYBOOK = [name for _phase, _order, name, _kind, _text in SEED_PLAYBOOK]


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
