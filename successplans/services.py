"""Operations on success plans that change several rows, each in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value

from .forms import ChallengeFormSet, KPIGridFormSet, ObjectiveKPIForm
from .models import (
    BusinessChallenge,
    CSActivity,
    KPIValue,
    Objective,
    ObjectiveKPI,
    Playbook,
    PlaybookTask,
    SuccessPlan,
)


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


def _count(queryset) -> Subquery:
    """A correlated COUNT(*) subquery (no joins multiplying rows)."""
    return Subquery(
        queryset.order_by().values(group=Value(1)).annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def plan_child_counts(plan: SuccessPlan) -> PlanChildCounts:
    """How many child records go with the plan when it is deleted (one query)."""
    # Aliases carry a prefix: annotations may not share a relation's name.
    row = SuccessPlan.objects.filter(pk=plan.pk).values(
        n_objectives=_count(Objective.objects.filter(plan=OuterRef("pk"))),
        n_kpis=_count(ObjectiveKPI.objects.filter(objective__plan=OuterRef("pk"))),
        n_playbooks=_count(Playbook.objects.filter(plan=OuterRef("pk"))),
        n_playbook_tasks=_count(PlaybookTask.objects.filter(plan=OuterRef("pk"))),
        n_business_challenges=_count(BusinessChallenge.objects.filter(plan=OuterRef("pk"))),
        n_cs_activities=_count(CSActivity.objects.filter(plan=OuterRef("pk"))),
    )[0]
    return PlanChildCounts(**{name[2:]: value or 0 for name, value in row.items()})


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
        if form.instance.pk is not None and "current" in form.changed_data
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
