"""Operations on success plans that change several rows, each in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, DateField, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from core.errors import DomainError
from engagements.models import Resource

from .dates import AddDays, DaysBetween
from .forms import ChallengeFormSet, KPIGridFormSet, ObjectiveKPIForm
from .models import (
    STARTING_STATUS,
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
    created = form.instance.pk is None
    changed = created or "current" in form.changed_data
    kpi = form.save(commit=False)
    if created:
        kpi.anchor_to(kpi.objective.plan.effective_date)
    kpi.save()
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
def child_save(*, form, plan: SuccessPlan):
    """Add or edit a record of the plan; a new dated record keeps its offsets from the plan.

    (The offsets are what a later change of the plan's effective date restores.)
    """
    record = form.save(commit=False)
    record.plan = plan
    if record.pk is None and hasattr(record, "anchor_to"):
        record.anchor_to(plan.effective_date)
    record.save()
    form.save_m2m()
    return record


def task_save(*, form, plan: SuccessPlan) -> PlaybookTask:
    """Add or edit a playbook task with its resources."""
    return child_save(form=form, plan=plan)


# -- effective date -------------------------------------------------------------------------
CHILD_MODELS = (Objective, Playbook, PlaybookTask)


@dataclass(frozen=True)
class ShiftPreview:
    """What changing a plan's effective date does, shown before the user confirms."""

    days: int
    moving: int  # children (objectives, playbooks, tasks, KPIs) with dates that move
    hand_edited: int  # of those, how many have dates changed by hand since creation


def _dated(model, plan: SuccessPlan):
    if model is ObjectiveKPI:
        return model.objects.filter(objective__plan=plan, due_date__isnull=False)
    return model.objects.filter(plan=plan).filter(
        Q(start_date__isnull=False) | Q(end_date__isnull=False)
    )


def effective_date_preview(*, plan: SuccessPlan, new_date: date) -> ShiftPreview:
    """How many children move, and how many hand-edited dates will be lost (one query each)."""
    old = plan.effective_date
    moving = hand_edited = 0
    for model in (*CHILD_MODELS, ObjectiveKPI):
        rows = _dated(model, plan)
        if model is ObjectiveKPI:
            edited = Q(due_offset__isnull=False) & ~Q(
                due_date=AddDays(Value(old, output_field=DateField()), F("due_offset"))
            )
        else:
            base = Value(old, output_field=DateField())
            edited = (
                Q(start_offset__isnull=False)
                & Q(start_date__isnull=False)
                & ~Q(start_date=AddDays(base, F("start_offset")))
            ) | (
                Q(end_offset__isnull=False)
                & Q(end_date__isnull=False)
                & ~Q(end_date=AddDays(base, F("end_offset")))
            )
        counts = rows.aggregate(n=Count("pk"), edited=Count("pk", filter=edited))
        moving += counts["n"]
        hand_edited += counts["edited"]
    return ShiftPreview(days=(new_date - old).days, moving=moving, hand_edited=hand_edited)


def _offset(date_field: str, offset_field: str, old: date):
    """The stored offset, or (for records made before offsets existed) today's distance."""
    return Coalesce(
        F(offset_field), DaysBetween(F(date_field), Value(old, output_field=DateField()))
    )


@transaction.atomic
def plan_change_effective_date(*, plan: SuccessPlan, new_date: date) -> ShiftPreview:
    """Move the plan to ``new_date`` and set every child's dates from it.

    Each child's start and end become new effective date + its offset (fixed
    when the child was created), so dates changed by hand on children are
    overwritten, as the seed says; children that were not edited move by the
    same number of days as the plan. The plan's end date moves by that many days
    too, keeping its length. One UPDATE per kind of child: a fixed number of
    queries whatever the plan's size.
    """
    plan = SuccessPlan.objects.select_for_update().get(pk=plan.pk)
    preview = effective_date_preview(plan=plan, new_date=new_date)
    old = plan.effective_date
    base = Value(new_date, output_field=DateField())
    for model in CHILD_MODELS:
        start = _offset("start_date", "start_offset", old)
        end = _offset("end_date", "end_offset", old)
        model.objects.filter(plan=plan).update(
            start_offset=start,
            end_offset=end,
            start_date=AddDays(base, start),
            end_date=AddDays(base, end),
        )
    due = _offset("due_date", "due_offset", old)
    ObjectiveKPI.objects.filter(objective__plan=plan).update(
        due_offset=due, due_date=AddDays(base, due)
    )
    plan.effective_date = new_date
    if plan.end_date is not None:
        plan.end_date += timedelta(days=preview.days)
    plan.save(update_fields=["effective_date", "end_date", "updated_at"])
    return preview


# -- creating a plan from a template ----------------------------------------------------------
@dataclass
class KPIDraft:
    """An objective KPI as the Select Records grid leaves it (edited, added or kept)."""

    name: str
    unit: str = ""
    baseline: Decimal | None = None
    current: Decimal | None = None
    target: Decimal | None = None
    direction: str = ObjectiveKPI.Direction.HIGHER
    due_date: date | None = None
    external: bool = False


@dataclass
class ObjectiveDraft:
    source: Objective
    name: str
    start_date: date | None
    end_date: date | None
    resource: Resource | None = None
    kpis: list[KPIDraft] = field(default_factory=list)


@dataclass
class PlaybookDraft:
    source: Playbook
    name: str
    start_date: date | None
    end_date: date | None
    resource: Resource | None = None


@dataclass
class TaskDraft:
    """A playbook task; ``playbook`` is the template playbook it stays under, if selected."""

    source: PlaybookTask
    name: str
    start_date: date | None
    end_date: date | None
    resources: list[Resource] = field(default_factory=list)
    playbook: Playbook | None = None


def template_dates(child, template: SuccessPlan, effective_date: date) -> tuple:
    """A template child's start and end moved to ``effective_date``, keeping their offsets."""

    def moved(offset, day):
        if offset is None and day is not None:
            offset = (day - template.effective_date).days
        return None if offset is None else effective_date + timedelta(days=offset)

    return moved(child.start_offset, child.start_date), moved(child.end_offset, child.end_date)


@transaction.atomic
def plan_create_from_template(
    *,
    template_pk: int,
    user,
    account,
    name: str,
    effective_date: date,
    owner: Resource | None,
    objectives: list[ObjectiveDraft],
    playbooks: list[PlaybookDraft],
    tasks: list[TaskDraft],
) -> SuccessPlan:
    """Create a plan and the selected (and edited) child records of a template, all or nothing.

    The plan inherits the template's description and record types; statuses
    start again at Not Started; every record carries the new plan's account.
    One bulk insert per kind of record: a fixed number of queries whatever the
    template's size. A task kept without its playbook belongs to the plan directly.
    """
    template = SuccessPlan.objects.filter(pk=template_pk, is_template=True).first()
    if template is None:
        raise DomainError("The template was deleted meanwhile: choose another template.")
    length = (template.end_date - template.effective_date).days if template.end_date else None
    plan = SuccessPlan.objects.create(
        account=account,
        name=name,
        description=template.description,
        effective_date=effective_date,
        end_date=None if length is None else effective_date + timedelta(days=length),
        status=STARTING_STATUS,
        owner=owner,
        record_type=template.record_type,
    )

    def child(model, draft, **extra):
        record = model(
            plan=plan,
            name=draft.name,
            description=draft.source.description,
            start_date=draft.start_date,
            end_date=draft.end_date,
            status=STARTING_STATUS,
            record_type=draft.source.record_type,
            **extra,
        )
        record.anchor_to(effective_date)
        return record

    new_objectives = [child(Objective, d, resource=d.resource) for d in objectives]
    Objective.objects.bulk_create(new_objectives)
    new_kpis = []
    for objective, draft in zip(new_objectives, objectives, strict=True):
        for k in draft.kpis:
            kpi = ObjectiveKPI(
                objective=objective,
                name=k.name,
                unit=k.unit,
                baseline=k.baseline,
                current=k.current,
                target=k.target,
                direction=k.direction,
                due_date=k.due_date,
                external=k.external,
            )
            kpi.anchor_to(effective_date)
            new_kpis.append(kpi)
    ObjectiveKPI.objects.bulk_create(new_kpis)
    KPIValue.objects.bulk_create(
        _history([(kpi, kpi.current) for kpi in new_kpis if kpi.current is not None], user)
    )
    new_playbooks = [child(Playbook, d, resource=d.resource) for d in playbooks]
    Playbook.objects.bulk_create(new_playbooks)
    by_source = {d.source.pk: p for d, p in zip(playbooks, new_playbooks, strict=True)}
    new_tasks = [
        child(PlaybookTask, d, playbook=by_source.get(d.playbook.pk) if d.playbook else None)
        for d in tasks
    ]
    PlaybookTask.objects.bulk_create(new_tasks)
    Through = PlaybookTask.resources.through
    Through.objects.bulk_create(
        [
            Through(playbooktask=task, resource=resource)
            for task, draft in zip(new_tasks, tasks, strict=True)
            for resource in draft.resources
        ]
    )
    return plan
