"""Read queries for the success plan pages, with their joins stated.

Each page reads through one of these so its query count stays fixed whatever
the number of plans and children.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import (
    DONE_STATUSES,
    BusinessChallenge,
    CSActivity,
    Objective,
    ObjectiveKPI,
    Playbook,
    PlaybookTask,
    SuccessPlan,
)


def plan_list() -> QuerySet[SuccessPlan]:
    """The Success Plans tab: plans with account, owner and child counts."""
    return (
        SuccessPlan.objects.select_related("account", "owner__user", "record_type")
        .annotate(
            objective_count=Count("objectives", distinct=True),
            playbook_count=Count("playbooks", distinct=True),
            challenge_count=Count("business_challenges", distinct=True),
        )
        .order_by("name", "pk")
    )


def _kpis() -> QuerySet[ObjectiveKPI]:
    return ObjectiveKPI.objects.order_by("name", "pk")


def plan_detail() -> QuerySet[SuccessPlan]:
    """A plan with every child its record page shows (Details, Related, Objective KPIs)."""
    return SuccessPlan.objects.select_related(
        "account", "owner__user", "record_type"
    ).prefetch_related(
        Prefetch(
            "objectives",
            queryset=Objective.objects.select_related(
                "resource__user", "record_type"
            ).prefetch_related(Prefetch("kpis", queryset=_kpis())),
        ),
        Prefetch(
            "playbooks",
            queryset=Playbook.objects.select_related("resource__user", "record_type").annotate(
                task_count=Count("tasks")
            ),
        ),
        Prefetch(
            "playbook_tasks",
            queryset=PlaybookTask.objects.select_related(
                "playbook", "record_type"
            ).prefetch_related("resources__user"),
        ),
        Prefetch(
            "business_challenges",
            queryset=BusinessChallenge.objects.select_related("category"),
        ),
        Prefetch("cs_activities", queryset=CSActivity.objects.select_related("who", "record_type")),
    )


def plan_kpis(plan: SuccessPlan) -> QuerySet[ObjectiveKPI]:
    """Every KPI of every objective of the plan: the Objective KPI Overview grid."""
    return (
        ObjectiveKPI.objects.filter(objective__plan=plan)
        .select_related("objective")
        .order_by("objective__start_date", "objective__name", "objective_id", "name", "pk")
    )


def tracker_plans(*, account_ids: list[int] | None = None) -> QuerySet[SuccessPlan]:
    """Live plans (never templates) with their objectives, KPIs, playbooks and tasks."""
    plans = plan_detail().filter(is_template=False).order_by("account__name", "effective_date")
    if account_ids:
        plans = plans.filter(account_id__in=account_ids)
    return plans.annotate(
        task_count=Count("playbook_tasks", distinct=True),
        tasks_done=Count(
            "playbook_tasks", filter=Q(playbook_tasks__status__in=DONE_STATUSES), distinct=True
        ),
    )


def challenge_list() -> QuerySet[BusinessChallenge]:
    """The Business Challenges tab: every challenge in the organisation."""
    return BusinessChallenge.objects.select_related("plan__account", "category").order_by(
        "plan__account__name", "plan__name", "name"
    )
