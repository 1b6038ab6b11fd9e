"""The domain events (``core.events``) that move a health measure, and the refresh each
schedules: after the commit, a task scores the account again (``health.tasks``).

Registered in ``HealthConfig.ready``. ``health`` sits below the pages but above every app
whose events it hears, so the layers still point down. A listener reads nothing: the task
finds the account.

What time alone moves (a task or KPI falling overdue at midnight, an override expiring) the
daily ``snapshot_health`` catches; ``task.overdue`` (from ``send_reminders``) refreshes sooner.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

from core.events import listens
from core.events import memo

from .models import PlanRecordChange
from .tasks import refresh_account_health


def schedule(source: str, pk: int) -> None:
    """Refresh the score of ``source`` ``pk``'s account once the change is committed: once
    per request (the event scope's memo), however many of its events name the same record
    (a KPI grid save emits a value and a badge change for each KPI of one plan)."""
    first = []
    memo(("health-refresh", source, pk), lambda: first.append(True))
    if first:
        transaction.on_commit(partial(refresh_account_health.enqueue, source, pk))


@listens(
    "case.created",
    "case.phase_changed",
    "case.closed",
    "case.canceled",
    "case.journal_posted",
    "case_record.changed",
)
def case_moved(name, *, case_id, **data) -> None:
    schedule("case", case_id)


@listens("account.changed")
def account_changed(name, *, account_id, **data) -> None:
    schedule("account", account_id)


@listens(
    "kpi.value_changed",
    "kpi.badge_changed",
    "plan.created",
    "plan.effective_date_changed",
    "cs_activity.logged",
)
def plan_moved(name, *, plan_id, **data) -> None:
    schedule("plan", plan_id)


@listens("task.overdue")
def task_overdue(name, *, task_id, kind, **data) -> None:
    schedule(kind, task_id)


@listens("plan_record.changed")
def plan_record_changed(
    name, *, actor_id, plan_id, record, record_id, record_name, change, **data
) -> None:
    """Keep the change for the account timeline (one row, no read) and score again: a
    task's status or an objective's dates move the overdue tasks measure."""
    PlanRecordChange.objects.create(
        plan_id=plan_id,
        record=record,
        record_id=record_id,
        name=record_name[:255],
        change=change[:50],
        actor_id=actor_id,
    )
    schedule("plan", plan_id)
