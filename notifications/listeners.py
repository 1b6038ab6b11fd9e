"""What each domain event (``core.events``) tells whom, as in-app notifications.

Registered in ``NotificationsConfig.ready``. Each runs inside the transaction of the change
and only writes rows (``services.notify``; mail goes through ``transaction.on_commit``).
Nobody is told about their own doing: the actor is never notified.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.events import listens
from core.events import memo
from core.events import scoped_user
from core.formatting import person
from playbooks.models import CaseTask
from playbooks.models import SuccessCase
from successplans.models import ObjectiveKPI
from successplans.models import PlaybookTask
from successplans.models import SuccessPlan

from .models import Kind
from .services import notify
from .services import notify_many

#: The badges that tell the plan's owner something went wrong.
ALERT_BADGES = (ObjectiveKPI.Badge.OVERDUE, ObjectiveKPI.Badge.BLOCKED)


def _actor(actor_id: int | None) -> str:
    if actor_id is None:
        return "SuccessHub"
    user = scoped_user(actor_id) or memo(
        ("user", actor_id), lambda: get_user_model().objects.filter(pk=actor_id).first()
    )
    return person(user) if user else "Someone"


def _case(case_id: int) -> SuccessCase:
    return SuccessCase.objects.only("number", "short_description", "assigned_to").get(pk=case_id)


def _case_label(case: SuccessCase) -> str:
    return f"{case.number} {case.short_description}".strip()


def _case_url(case: SuccessCase) -> str:
    return reverse("playbooks:case-detail", args=[case.number])


#: The case events that tell one person (named by the event's keyword) what was done to them:
#: ``{who}`` is the actor, ``{case}`` the case.
CASE_NEWS = {
    "case.assigned": (
        "assignee_id",
        Kind.CASE_ASSIGNED,
        "{who} assigned you the success case {case}",
    ),
    "case.squad_joined": ("user_id", Kind.SQUAD_ADDED, "{who} added you to the squad of {case}"),
}


@listens(*CASE_NEWS)
def case_news(name, *, actor_id, case_id, **data) -> None:
    recipient, kind, says = CASE_NEWS[name]
    user_id = data[recipient]
    if user_id is None or user_id == actor_id:
        return
    case = _case(case_id)
    notify(
        user_id=user_id,
        kind=kind,
        text=says.format(who=_actor(actor_id), case=_case_label(case)),
        url=_case_url(case),
    )


@listens("case_task.assigned")
def case_task_assigned(name, *, actor_id, task_id, case_id, assignee_id, **data) -> None:
    if assignee_id == actor_id:
        return
    task = (
        CaseTask.objects.select_related("case")
        .only("number", "short_description", "case__number")
        .get(pk=task_id)
    )
    notify(
        user_id=assignee_id,
        kind=Kind.TASK_ASSIGNED,
        text=f"{_actor(actor_id)} assigned you the task {task.number} {task.short_description}",
        url=_case_url(task.case),
    )


@listens("plan_task.assigned")
def plan_task_assigned(name, *, actor_id, task_id, plan_id, assignee_id, **data) -> None:
    if assignee_id == actor_id:
        return
    task = PlaybookTask.objects.select_related("plan").only("name", "plan__name").get(pk=task_id)
    notify(
        user_id=assignee_id,
        kind=Kind.TASK_ASSIGNED,
        text=f"{_actor(actor_id)} assigned you the playbook task “{task.name}” of {task.plan.name}",
        url=reverse("successplans:task-detail", args=[task_id]),
    )


@listens("plan.created")
def plan_created(name, *, actor_id, plan_id, **data) -> None:
    """A plan made from a template comes with its playbook tasks' resources: each (but the
    creator) is told once how many of the new plan's tasks are theirs, not once per task.
    A fixed number of queries whatever the template's size."""
    counts = (
        PlaybookTask.resources.through.objects.filter(playbooktask__plan_id=plan_id)
        .exclude(resource__user_id=actor_id)
        .filter(resource__user__is_active=True)
        .values("resource__user_id")
        .annotate(tasks=Count("playbooktask", distinct=True))
        .order_by("resource__user_id")
    )
    counts = list(counts)
    if not counts:
        return
    plan = SuccessPlan.objects.only("name").get(pk=plan_id)
    who, url = _actor(actor_id), reverse("successplans:plan-detail", args=[plan_id])
    items = []
    for row in counts:
        tasks = row["tasks"]
        what = "a playbook task" if tasks == 1 else f"{tasks} playbook tasks"
        items.append((row["resource__user_id"], f"{who} assigned you {what} of {plan.name}", url))
    notify_many(kind=Kind.TASK_ASSIGNED, items=items)


@listens("case.closed", "case.canceled")
def case_ended(name, *, actor_id, case_id, **data) -> None:
    case = _case(case_id)
    ended = "closed" if name == "case.closed" else "canceled"
    who = _actor(actor_id)
    if case.assigned_to_id is not None and case.assigned_to_id != actor_id:
        notify(
            user_id=case.assigned_to_id,
            kind=Kind.CASE_ENDED,
            text=f"{who} {ended} your success case {_case_label(case)}",
            url=_case_url(case),
        )
    review_url = reverse("playbooks:review-case", args=[case.number])
    text = f"{_case_label(case)} was {ended} by {who} and awaits your review"
    managers = reviewers().exclude(pk=actor_id).values_list("pk", flat=True)
    if items := [(manager_id, text, review_url) for manager_id in managers]:
        notify_many(kind=Kind.REVIEW_WAITING, items=items)


def reviewers():
    """Active users who review cases through a group or their own permission (Success
    Managers); superusers are not told about every case."""
    perm = Q(codename="review_successcase", content_type__app_label="playbooks")
    by_group = Q(groups__permissions__in=_permissions(perm))
    by_user = Q(user_permissions__in=_permissions(perm))
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(by_group | by_user)
        .distinct()
        .order_by("pk")
    )


def _permissions(condition: Q):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(condition)


@listens("kpi.badge_changed")
def kpi_badge_changed(name, *, actor_id, kpi_id, plan_id, previous, badge, **data) -> None:
    """The plan's owner hears of a KPI turned Overdue or Blocked, once per KPI, badge and
    day: ``send_reminders`` (Overdue by time alone) shares the reminder row."""
    from .reminders import kpi_alert_once

    if badge not in ALERT_BADGES:
        return
    kpi = (
        ObjectiveKPI.objects.select_related("objective__plan__owner")
        .only("name", "due_date", "objective__plan__name", "objective__plan__owner__user_id")
        .get(pk=kpi_id)
    )
    owner = kpi.objective.plan.owner
    if owner is None or owner.user_id == actor_id:
        return
    overdue = badge == ObjectiveKPI.Badge.OVERDUE and kpi.due_date is not None
    kpi_alert_once(
        kpi_id=kpi_id,
        badge=badge,
        day=kpi.due_date if overdue else timezone.localdate(),
        owner_user_id=owner.user_id,
        text=f"The KPI “{kpi.name}” of {kpi.objective.plan.name} turned {badge}",
        url=reverse("successplans:plan-detail", args=[plan_id]),
    )
