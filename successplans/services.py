"""Operations on success plans that change several rows, each in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from .forms import ChallengeFormSet, KPIGridFormSet, ObjectiveKPIForm
from .models import KPIValue, ObjectiveKPI, PlaybookTask, SuccessPlan


@transaction.atomic
def plan_save(*, form, challenges: ChallengeFormSet) -> SuccessPlan:
    """Create Success Plan / Edit Success Plan: the plan and its business challenges.

    Both ``form`` and ``challenges`` must be valid; challenges marked for
    deletion in the window are deleted, new ones are added to the plan.
    """
    plan = form.save()
    challenges.instance = plan
    challenges.save()
    return plan


@dataclass(frozen=True)
class PlanChildCounts:
    objectives: int
    kpis: int
    playbooks: int
    playbook_tasks: int
    business_challenges: int
    cs_activities: int

    @property
    def total(self) -> int:
        return (
            self.objectives
            + self.kpis
            + self.playbooks
            + self.playbook_tasks
            + self.business_challenges
            + self.cs_activities
        )


def plan_child_counts(plan: SuccessPlan) -> PlanChildCounts:
    """How many child records go with the plan when it is deleted (one query)."""
    from django.db.models import Count

    counts = SuccessPlan.objects.filter(pk=plan.pk).aggregate(
        objectives=Count("objectives", distinct=True),
        kpis=Count("objectives__kpis", distinct=True),
        playbooks=Count("playbooks", distinct=True),
        playbook_tasks=Count("playbook_tasks", distinct=True),
        business_challenges=Count("business_challenges", distinct=True),
        cs_activities=Count("cs_activities", distinct=True),
    )
    return PlanChildCounts(**counts)


@transaction.atomic
def plan_delete(*, plan: SuccessPlan) -> PlanChildCounts:
    """Delete a plan with every child record; returns what went with it."""
    counts = plan_child_counts(plan)
    plan.delete()
    return counts


def _history(kpis_and_values, user) -> list[KPIValue]:
    return [KPIValue(kpi=kpi, value=value, recorded_by=user) for kpi, value in kpis_and_values]


@transaction.atomic
def kpi_save(*, form: ObjectiveKPIForm, user) -> ObjectiveKPI:
    """Add or edit one objective KPI; a new current value goes to its history."""
    changed = form.instance.pk is None or "current" in form.changed_data
    kpi = form.save()
    if changed and kpi.current is not None:
        KPIValue.objects.create(kpi=kpi, value=kpi.current, recorded_by=user)
    return kpi


@transaction.atomic
def kpi_grid_save(*, formset: KPIGridFormSet, user) -> list[ObjectiveKPI]:
    """Save the Objective KPI Overview grid: every changed KPI, all or nothing.

    The caller has validated the whole formset; current-value changes are
    recorded in the KPIs' history.
    """
    saved = formset.save()
    moved = [
        (form.instance, form.instance.current)
        for form in formset.forms
        if "current" in form.changed_data
    ]
    KPIValue.objects.bulk_create(_history(moved, user))
    return saved


@transaction.atomic
def task_save(*, form, plan: SuccessPlan) -> PlaybookTask:
    """Add or edit a playbook task with its resources."""
    task = form.save(commit=False)
    task.plan = plan
    task.save()
    form.save_m2m()
    return task
