"""The success plan reads of My Work (the home page): a Customer Success user's plans, KPIs
and due work, and the plans a participant takes part in.

Each is one query for a panel's page whatever the number of plans (the KPI badge counts:
one more query for the page's plans).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from datetime import datetime

from django.db.models import Case
from django.db.models import CharField
from django.db.models import Count
from django.db.models import Exists
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Value
from django.db.models import When

from core.queries import subquery_count

from ..models import DONE_STATUSES
from ..models import BusinessChallenge
from ..models import Objective
from ..models import ObjectiveKPI
from ..models import Playbook
from ..models import PlaybookTask
from ..models import SuccessPlan

Badge = ObjectiveKPI.Badge
#: The badges that put a plan first on its owner's My Work.
ATTENTION = (Badge.OVERDUE, Badge.BLOCKED)
#: The badges in the order My Work shows their counts.
BADGES = (Badge.OVERDUE, Badge.BLOCKED, Badge.IN_PROGRESS, Badge.NOT_AVAILABLE, Badge.COMPLETED)


def kpi_badge(today: date) -> Case:
    """``ObjectiveKPI.badge_on(today)`` in SQL, so that a page can count and order plans by
    their KPIs' badges without reading every KPI (``tests`` check that both agree)."""
    higher = ObjectiveKPI.Direction.HIGHER
    reached = Q(direction=higher, current__gte=F("target")) | (
        ~Q(direction=higher) & Q(current__lte=F("target"))
    )
    return Case(
        When(blocked=True, then=Value(Badge.BLOCKED.value)),
        When(
            Q(current__isnull=True) | Q(target__isnull=True), then=Value(Badge.NOT_AVAILABLE.value)
        ),
        When(reached, then=Value(Badge.COMPLETED.value)),
        When(due_date__lt=today, then=Value(Badge.OVERDUE.value)),
        default=Value(Badge.IN_PROGRESS.value),
        output_field=CharField(),
    )


def plans_owned(user, *, today: date) -> QuerySet[SuccessPlan]:
    """Live plans whose allocated resource (the owner) is the user: those with Overdue or
    Blocked KPIs first (most of them first), then by name."""
    attention = (
        ObjectiveKPI.objects.filter(objective__plan=OuterRef("pk"))
        .annotate(badge=kpi_badge(today))
        .filter(badge__in=[b.value for b in ATTENTION])
    )
    return (
        SuccessPlan.objects.filter(owner__user=user, is_template=False)
        .select_related("account")
        .annotate(attention=subquery_count(attention))
        .order_by("-attention", "name", "pk")
    )


def add_badge_counts(plans: list[SuccessPlan], *, today: date) -> list[SuccessPlan]:
    """Set ``badge_counts`` (``[(badge, n), ...]`` in ``BADGES`` order, zeros left out) on a
    page of plans, in one query."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if plans:
        rows = (
            ObjectiveKPI.objects.filter(objective__plan__in=[plan.pk for plan in plans])
            .annotate(badge=kpi_badge(today))
            .order_by()
            .values("objective__plan_id", "badge")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            counts[row["objective__plan_id"]][row["badge"]] = row["n"]
    for plan in plans:
        found = counts.get(plan.pk, {})
        plan.badge_counts = [(badge, found[badge.value]) for badge in BADGES if badge in found]
    return plans


def add_task_progress(plans: list[SuccessPlan]) -> list[SuccessPlan]:
    """Set ``progress`` (0-100: the share of the plan's playbook tasks Completed or Canceled,
    as the Success Tracker reads it; None without tasks) and ``tasks_done`` / ``task_count``
    on a page of plans, in one query."""
    found = {}
    if plans:
        found = {
            row["plan_id"]: row
            for row in PlaybookTask.objects.filter(plan__in=[plan.pk for plan in plans])
            .order_by()
            .values("plan_id")
            .annotate(total=Count("pk"), done=Count("pk", filter=Q(status__in=DONE_STATUSES)))
        }
    for plan in plans:
        row = found.get(plan.pk, {"total": 0, "done": 0})
        plan.task_count, plan.tasks_done = row["total"], row["done"]
        plan.progress = round(100 * row["done"] / row["total"]) if row["total"] else None
    return plans


def _due(queryset: QuerySet, kind: str, until: date) -> QuerySet:
    """Open records ending on or before ``until``, as rows of one shape (a UNION's part)."""
    return (
        queryset.order_by()
        .exclude(status__in=DONE_STATUSES)
        .filter(end_date__lte=until)
        .annotate(
            kind=Value(kind, output_field=CharField()),
            plan_name=F("plan__name"),
            account_name=F("plan__account__name"),
        )
        .values("kind", "pk", "name", "end_date", "status", "plan_id", "plan_name", "account_name")
    )


def my_due_plan_work(user, *, until: date) -> QuerySet:
    """The user's objectives (resource) and playbook tasks (one of the resources) not
    completed or canceled that end on or before ``until``: overdue first, then soonest.

    One UNION query (so one panel pages through both kinds); rows are dicts with
    ``kind`` ("objective" or "task"), ``pk``, ``name``, ``end_date``, ``status``, the plan
    and its account.
    """
    objectives = _due(Objective.objects.filter(resource__user=user), "objective", until)
    mine = PlaybookTask.resources.through.objects.filter(
        playbooktask=OuterRef("pk"), resource__user=user
    )
    tasks = _due(PlaybookTask.objects.filter(Exists(mine)), "task", until)
    return objectives.union(tasks, all=True).order_by("end_date", "kind", "pk")


def challenges_opened_since(user, *, since: datetime) -> QuerySet[BusinessChallenge]:
    """Business challenges of the user's plans opened since ``since``, newest first."""
    return (
        BusinessChallenge.objects.filter(plan__owner__user=user, created_at__gte=since)
        .select_related("plan__account", "category")
        .order_by("-created_at", "-pk")
    )


def plans_taken_part_in(user) -> QuerySet[SuccessPlan]:
    """Live plans the user works on as a resource: owner, or resource of one of its
    objectives, playbooks or playbook tasks (a participant's My Work), by name."""
    resource = Q(resource__user=user)
    return (
        SuccessPlan.objects.filter(is_template=False)
        .filter(
            Q(owner__user=user)
            | Exists(Objective.objects.filter(resource, plan=OuterRef("pk")))
            | Exists(Playbook.objects.filter(resource, plan=OuterRef("pk")))
            | Exists(PlaybookTask.objects.filter(plan=OuterRef("pk"), resources__user=user))
        )
        .select_related("account", "owner__user")
        .order_by("name", "pk")
    )
