"""The time-based notifications, made once a day by ``manage.py send_reminders``.

Each reminder is a ``Reminder(user, key, day)`` row inserted before the notification is
written, in the same transaction; the unique constraint is what makes a second run (or two
runs at once) tell nobody twice: ``get_or_create`` on it, never a check and then an insert.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.events import emit
from playbooks.models import OPEN_TASK_STATES
from playbooks.models import CaseTask
from successplans.models import DONE_STATUSES
from successplans.models import ObjectiveKPI
from successplans.models import PlaybookTask

from .models import KEEP_DAYS
from .models import Kind
from .models import Notification
from .models import Reminder
from .services import notify

#: A task whose due date passed longer ago than this is not reported any more: after a
#: stopped timer or on the first run, nobody gets a flood of old news.
OVERDUE_WINDOW = timedelta(days=7)


@dataclass
class Summary:
    due: int = 0
    overdue: int = 0
    kpis: int = 0
    digests: int = 0
    pruned: int = 0
    skipped: int = 0
    lines: list[str] = field(default_factory=list)


def remind_once(*, user_id: int, key: str, day: date, kind: str, text: str, url: str) -> bool:
    """Notify ``user_id`` unless this reminder was made already; True when made now."""
    with transaction.atomic():
        _, created = Reminder.objects.get_or_create(user_id=user_id, key=key, day=day)
        if created:
            notify(user_id=user_id, kind=kind, text=text, url=url)
    return created


def _case_tasks(condition: Q):
    return (
        CaseTask.objects.filter(condition, state__in=OPEN_TASK_STATES, assigned_to__isnull=False)
        .select_related("case")
        .only("number", "short_description", "due_date", "assigned_to_id", "case__number")
        .order_by("due_date", "pk")
    )


def _plan_tasks(condition: Q):
    return (
        PlaybookTask.objects.filter(condition, plan__is_template=False)
        .exclude(status__in=DONE_STATUSES)
        .select_related("plan")
        .prefetch_related("resources")
        .only("name", "end_date", "plan__name")
        .order_by("end_date", "pk")
    )


def _when(kind: str, field: str, today: date) -> Q:
    """Due tomorrow, or overdue (due within ``OVERDUE_WINDOW`` before today), on ``field``."""
    if kind == Kind.TASK_DUE:
        return Q(**{field: today + timedelta(days=1)})
    return Q(**{f"{field}__lt": today, f"{field}__gte": today - OVERDUE_WINDOW})


def _case_task_reminder(task: CaseTask) -> tuple[list[int], date, str, str]:
    what = f"The task {task.number} {task.short_description}"
    return (
        [task.assigned_to_id],
        task.due_date,
        what,
        reverse("playbooks:case-detail", args=[task.case.number]),
    )


def _plan_task_reminder(task: PlaybookTask) -> tuple[list[int], date, str, str]:
    what = f"The playbook task “{task.name}” of {task.plan.name}"
    users = [resource.user_id for resource in task.resources.all()]
    return users, task.end_date, what, reverse("successplans:task-detail", args=[task.pk])


#: The tasks reminded of: (their name in keys and events, their rows, the date field, and
#: who is reminded of which task, on which day, where it is).
TASKS = (
    ("case_task", _case_tasks, "due_date", _case_task_reminder),
    ("plan_task", _plan_tasks, "end_date", _plan_task_reminder),
)


def _task_reminders(today: date, summary: Summary) -> None:
    for kind, prefix, text in (
        (Kind.TASK_DUE, "due", "is due tomorrow"),
        (Kind.TASK_OVERDUE, "overdue", "is overdue"),
    ):
        for task_kind, rows, date_field, reminder in TASKS:
            for task in rows(_when(kind, date_field, today)):
                user_ids, day, what, url = reminder(task)
                made = False
                for user_id in user_ids:
                    made |= remind_once(
                        user_id=user_id,
                        key=f"{prefix}:{task_kind}:{task.pk}",
                        day=day,
                        kind=kind,
                        text=f"{what} {text} ({day:%b} {day.day})",
                        url=url,
                    )
                _count(summary, kind, made, task, task_kind)


def _count(summary: Summary, kind: str, made: bool, task, task_kind: str) -> None:
    if not made:
        summary.skipped += 1
    elif kind == Kind.TASK_DUE:
        summary.due += 1
    else:
        summary.overdue += 1
        emit("task.overdue", actor_id=None, task_id=task.pk, kind=task_kind)


def kpi_alert_once(*, kpi_id: int, badge: str, day: date, owner_user_id: int, text: str, url: str):
    """The plan owner's KPI alert, once per KPI, badge and day (the listener uses it too)."""
    return remind_once(
        user_id=owner_user_id,
        key=f"kpi:{kpi_id}:{badge}",
        day=day,
        kind=Kind.KPI_ALERT,
        text=text,
        url=url,
    )


def _kpi_reminders(today: date, summary: Summary) -> None:
    """KPIs whose due date passed without reaching their target: Overdue by time alone (no
    one changed them, so no event said so)."""
    not_reached = Q(direction=ObjectiveKPI.Direction.HIGHER, current__lt=F("target")) | Q(
        direction=ObjectiveKPI.Direction.LOWER, current__gt=F("target")
    )
    kpis = (
        ObjectiveKPI.objects.filter(
            not_reached,
            due_date__lt=today,
            due_date__gte=today - OVERDUE_WINDOW,
            blocked=False,
            objective__plan__is_template=False,
            objective__plan__owner__isnull=False,
        )
        .select_related("objective__plan__owner")
        .only("name", "due_date", "objective__plan__name", "objective__plan__owner__user_id")
        .order_by("due_date", "pk")
    )
    for kpi in kpis:
        plan = kpi.objective.plan
        made = kpi_alert_once(
            kpi_id=kpi.pk,
            badge=ObjectiveKPI.Badge.OVERDUE,
            day=kpi.due_date,
            owner_user_id=plan.owner.user_id,
            text=f"The KPI “{kpi.name}” of {plan.name} turned Overdue",
            url=reverse("successplans:plan-detail", args=[plan.pk]),
        )
        if made:
            summary.kpis += 1
        else:
            summary.skipped += 1


def _digests(today: date, summary: Summary) -> None:
    from .tasks import send_digest

    waiting = (
        Notification.objects.filter(mail=Notification.Mail.DIGEST)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    for user_id in list(waiting):
        with transaction.atomic():
            _, created = Reminder.objects.get_or_create(user_id=user_id, key="digest", day=today)
            if created:
                transaction.on_commit(lambda user_id=user_id: send_digest.enqueue(user_id))
        if created:
            summary.digests += 1
        else:
            summary.skipped += 1


def _prune(now, summary: Summary) -> None:
    cutoff = now - timedelta(days=KEEP_DAYS)
    summary.pruned, _ = Notification.objects.filter(created__lt=cutoff).delete()
    Reminder.objects.filter(created__lt=cutoff).delete()


def send_reminders(*, today: date | None = None) -> Summary:
    """Due tomorrow, overdue, Overdue KPIs, the daily digest, then pruning; idempotent."""
    today = today or timezone.localdate()
    summary = Summary()
    _task_reminders(today, summary)
    _kpi_reminders(today, summary)
    _digests(today, summary)
    _prune(timezone.now(), summary)
    return summary
