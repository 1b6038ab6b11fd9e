"""Read queries for the success plan pages, with their joins stated.

Each page reads through one of these so its query count stays fixed whatever
the number of plans and children. Writes live in ``successplans.services``.

The Success Tracker's reads are in ``selectors/tracker.py``, re-exported here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db import router
from django.db.models import Count
from django.db.models import DateField
from django.db.models import F
from django.db.models import Model
from django.db.models import OuterRef
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Value
from django.db.models.deletion import Collector
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from core.queries import count_each
from core.queries import subquery_count
from engagements.models import Resource

from ..charts import kpi_chart
from ..dates import AddDays
from ..dates import DaysBetween
from ..models import BusinessChallenge
from ..models import CSActivity
from ..models import KPIValue
from ..models import Objective
from ..models import ObjectiveKPI
from ..models import Playbook
from ..models import PlaybookTask
from ..models import SuccessPlan
from ..models import TemplatePickerPreference
from .plan_rows import child_counts
from .tracker import TrackerPlans as TrackerPlans
from .tracker import tracker_accounts as tracker_accounts
from .tracker import tracker_children as tracker_children
from .tracker import tracker_plans as tracker_plans


# -- Success Plans tab and the plan's record page -------------------------------------------------
def plan_rows() -> QuerySet[SuccessPlan]:
    """Plans with their account, owner and record type (the API's plans; the Success Plans
    tab filters these and reads one page of them as ``plan_rows.PlanRow``)."""
    return SuccessPlan.objects.select_related("account", "owner__user", "record_type").order_by(
        "name", "pk"
    )


def plan_list() -> QuerySet[SuccessPlan]:
    """Plans with their child counts (an account page: a handful of plans)."""
    return plan_rows().annotate(**child_counts())


def plan_for_change() -> QuerySet[SuccessPlan]:
    """A plan as its edit window, delete confirmation and effective date page read it."""
    return SuccessPlan.objects.select_related("account", "owner__user", "record_type")


def _kpis() -> QuerySet[ObjectiveKPI]:
    return ObjectiveKPI.objects.order_by("name", "pk")


def _plan_children() -> tuple[Prefetch, ...]:
    """Every child a plan's record page and the Success Tracker show, with their joins."""
    return (
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
            ).prefetch_related(
                # The resources with their users in one query, not two.
                Prefetch("resources", queryset=Resource.objects.select_related("user"))
            ),
        ),
        Prefetch(
            "business_challenges",
            queryset=BusinessChallenge.objects.select_related("category"),
        ),
        Prefetch("cs_activities", queryset=CSActivity.objects.select_related("who", "record_type")),
    )


def plan_detail() -> QuerySet[SuccessPlan]:
    """A plan with every child its record page shows (Details, Related, Objective KPIs)."""
    return plan_for_change().prefetch_related(*_plan_children())


def plan_kpis(plan: SuccessPlan) -> QuerySet[ObjectiveKPI]:
    """Every KPI of every objective of the plan: the Objective KPI Overview grid."""
    return (
        ObjectiveKPI.objects.filter(objective__plan=plan)
        .select_related("objective")
        .order_by("objective__start_date", "objective__name", "objective_id", "name", "pk")
    )


# -- the children's record pages ------------------------------------------------------------------
def _kpis_with_history() -> QuerySet[ObjectiveKPI]:
    return _kpis().prefetch_related(
        Prefetch("history", queryset=KPIValue.objects.select_related("recorded_by"))
    )


def objective_page() -> QuerySet[Objective]:
    """An objective with its plan, KPIs and each KPI's history (its record page, its KPI list)."""
    return Objective.objects.select_related(
        "plan__account", "resource__user", "record_type"
    ).prefetch_related(Prefetch("kpis", queryset=_kpis_with_history()))


def kpi_rows(objective: Objective) -> list[dict]:
    """The objective's KPIs (prefetched by ``objective_page``) with their history and chart."""
    rows = []
    for kpi in objective.kpis.all():
        history = list(kpi.history.all())
        rows.append({"kpi": kpi, "history": history, "chart": kpi_chart(kpi, history)})
    return rows


def playbook_page() -> QuerySet[Playbook]:
    """A playbook with its plan and its tasks with their resources."""
    tasks = PlaybookTask.objects.select_related("record_type").prefetch_related("resources__user")
    return Playbook.objects.select_related(
        "plan__account", "resource__user", "record_type"
    ).prefetch_related(Prefetch("tasks", queryset=tasks))


def task_page() -> QuerySet[PlaybookTask]:
    return PlaybookTask.objects.select_related(
        "plan__account", "playbook", "record_type"
    ).prefetch_related("resources__user")


def child_of_plan(model: type[Model]) -> QuerySet:
    """Objectives, playbooks, tasks, challenges or activities with their plan (edit, delete)."""
    return model.objects.select_related("plan__account")


def kpi_for_change() -> QuerySet[ObjectiveKPI]:
    return ObjectiveKPI.objects.select_related("objective__plan__account")


# -- what goes with a deleted record --------------------------------------------------------------
@dataclass(frozen=True)
class DeletedWith:
    """The records that go with a deleted record, by kind: ``[("objective KPIs", 2), ...]``."""

    counts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    def __str__(self) -> str:
        parts = [f"{n} {label}" for label, n in self.counts]
        return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def deleted_with(record: Model) -> DeletedWith:
    """What Django deletes along with ``record`` (its cascade), counted by Django's own Collector.

    The record itself and many-to-many link rows are left out; kinds come in the order the
    app defines its models. Rows Django deletes without loading them are counted in SQL.
    """
    collector = Collector(using=router.db_for_write(type(record)), origin=record)
    collector.collect([record])
    counts: Counter = Counter()
    for model, instances in collector.data.items():
        counts[model] += len([i for i in instances if i != record])
    fast = collector.fast_deletes
    for queryset, n in zip(fast, count_each(fast, using=collector.using), strict=True):
        counts[queryset.model] += n
    order = list(apps.get_models())
    kinds = sorted(
        (m for m, n in counts.items() if n and not m._meta.auto_created), key=order.index
    )
    return DeletedWith(
        tuple(
            (
                str(m._meta.verbose_name if counts[m] == 1 else m._meta.verbose_name_plural),
                counts[m],
            )
            for m in kinds
        )
    )


# -- Change effective date ----------------------------------------------------------------------
CHILD_MODELS = (Objective, Playbook, PlaybookTask)


@dataclass(frozen=True)
class ShiftPreview:
    """What changing a plan's effective date does, shown before the user confirms."""

    days: int
    moving: int  # children (objectives, playbooks, tasks, KPIs) with dates that move
    hand_edited: int  # of those, how many have dates changed by hand since creation
    reversed: int = 0  # of those, how many would end before they start (the move is refused)


def offset_from(date_field: str, offset_field: str, effective_date: date):
    """A child's offset: the stored one, or (made before offsets existed) today's distance."""
    return Coalesce(
        F(offset_field),
        DaysBetween(F(date_field), Value(effective_date, output_field=DateField())),
    )


def _dated(model, plan: SuccessPlan) -> QuerySet:
    if model is ObjectiveKPI:
        return model.objects.filter(objective__plan=plan, due_date__isnull=False)
    return model.objects.filter(plan=plan).filter(
        Q(start_date__isnull=False) | Q(end_date__isnull=False)
    )


def effective_date_preview(*, plan: SuccessPlan, new_date: date) -> ShiftPreview:
    """How many children move, how many hand-edited dates will be lost and how many would end
    before they start (one query per kind of child).

    Start and end both become new effective date + offset, so a child ends before it starts
    exactly when its start offset is larger than its end offset: one whose dates were typed
    by hand before offsets existed.
    """
    old = plan.effective_date
    base = Value(old, output_field=DateField())
    moving = hand_edited = reversed_ = 0
    for model in (*CHILD_MODELS, ObjectiveKPI):
        rows = _dated(model, plan)
        counts = {}
        if model is ObjectiveKPI:
            edited = Q(due_offset__isnull=False) & ~Q(due_date=AddDays(base, F("due_offset")))
        else:
            edited = (
                Q(start_offset__isnull=False)
                & Q(start_date__isnull=False)
                & ~Q(start_date=AddDays(base, F("start_offset")))
            ) | (
                Q(end_offset__isnull=False)
                & Q(end_date__isnull=False)
                & ~Q(end_date=AddDays(base, F("end_offset")))
            )
            start = offset_from("start_date", "start_offset", old)
            end = offset_from("end_date", "end_offset", old)
            counts["reversed"] = Count("pk", filter=GreaterThan(start, end))
        counts = rows.aggregate(n=Count("pk"), edited=Count("pk", filter=edited), **counts)
        moving += counts["n"]
        hand_edited += counts["edited"]
        reversed_ += counts.get("reversed", 0)
    return ShiftPreview(
        days=(new_date - old).days, moving=moving, hand_edited=hand_edited, reversed=reversed_
    )


# -- the Business Challenges tab ----------------------------------------------------------------
def challenge_list() -> QuerySet[BusinessChallenge]:
    """The Business Challenges tab: every challenge in the organisation, by name.

    By the first column, Name, as the list's other columns sort on a click: the order
    of the ``challenge_name_idx`` index, so a page reads 25 rows whatever the number of
    challenges (ordering by account and plan name joined and sorted all of them).
    """
    return BusinessChallenge.objects.select_related("plan__account", "category").order_by(
        "name", "pk"
    )


# -- Create Success Plan from a template -----------------------------------------------------------
def templates_for_picker() -> QuerySet[SuccessPlan]:
    """Plans with the Template field selected, with their child counts (one query)."""
    return (
        SuccessPlan.objects.filter(is_template=True)
        .select_related("owner__user", "record_type")
        .annotate(
            n_objectives=subquery_count(Objective.objects.filter(plan=OuterRef("pk"))),
            n_kpis=subquery_count(ObjectiveKPI.objects.filter(objective__plan=OuterRef("pk"))),
            n_playbooks=subquery_count(Playbook.objects.filter(plan=OuterRef("pk"))),
            n_tasks=subquery_count(PlaybookTask.objects.filter(plan=OuterRef("pk"))),
        )
        .order_by("name", "pk")
    )


def template_with_children(pk: int) -> SuccessPlan | None:
    """A template and every child the Select Records grid shows, read in a fixed number of
    queries (objectives + KPIs, playbooks, playbook tasks + resources), or None if it is gone."""
    return (
        SuccessPlan.objects.filter(pk=pk, is_template=True)
        .select_related("record_type")
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.select_related(
                    "resource__user", "record_type"
                ).prefetch_related(Prefetch("kpis", queryset=ObjectiveKPI.objects.order_by("pk"))),
            ),
            Prefetch(
                "playbooks",
                queryset=Playbook.objects.select_related("resource__user", "record_type"),
            ),
            Prefetch(
                "playbook_tasks",
                queryset=PlaybookTask.objects.select_related("record_type").prefetch_related(
                    Prefetch("resources", queryset=Resource.objects.select_related("user"))
                ),
            ),
        )
        .first()
    )


def template_picker_view(user) -> str:
    """The template picker view (cards or lists) the user chose last."""
    stored = TemplatePickerPreference.objects.filter(user=user).values_list("view", flat=True)
    return next(iter(stored), TemplatePickerPreference.View.CARDS)
