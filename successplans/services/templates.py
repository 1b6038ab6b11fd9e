"""Create Success Plan from a template: the new plan and the selected, edited child records."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from datetime import date
from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from core.copies import copy_of
from core.dates import in_range
from core.dates import out_of_range_message
from core.errors import DomainError
from core.events import emit
from engagements.models import Resource

from ..models import STARTING_STATUS
from ..models import Objective
from ..models import ObjectiveKPI
from ..models import Playbook
from ..models import PlaybookTask
from ..models import SuccessPlan
from .kpis import kpi_history_start
from .plans import record_label


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


#: A KPI draft's values, which its new ObjectiveKPI takes as they are.
_KPI_DRAFT_FIELDS = tuple(f.name for f in fields(KPIDraft))


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


def _moved_day(offset: int | None, day: date | None, template: SuccessPlan, effective: date):
    if offset is None and day is not None:
        offset = (day - template.effective_date).days
    return None if offset is None else effective + timedelta(days=offset)


def _plan_end(template: SuccessPlan, effective_date: date) -> date | None:
    """The new plan's end date: the template's length from ``effective_date``."""
    if template.end_date is None:
        return None
    return effective_date + (template.end_date - template.effective_date)


LEAD = "This date would move"


def _refuse_outside(records: list[tuple[str, dict[str, date | None]]]) -> None:
    """Refuse (next to the effective date) when any of ``records``' dates leaves the range.

    ``records``: (label, {"start date": day, ...}); the message names each record outside.
    """
    labels = []
    for label, dates in records:
        which = [what for what, day in dates.items() if not in_range(day)]
        if which:
            labels.append(f"{label} {' and '.join(which)}")
    if labels:
        raise DomainError(
            f"{out_of_range_message(labels, lead=LEAD)} Choose another effective date.",
            field="effective_date",
        )


def template_dates_check(*, template: SuccessPlan, effective_date: date) -> None:
    """Refuse an effective date that would move the new plan's end date, or any of the
    template's child records, outside the date range (``core.dates``), naming them.

    Checked before the Select Records grid is shown, so its dates start inside the range.
    ``template`` comes with its children prefetched (``selectors.template_with_children``):
    no query. (Dates templates hold are in the range, so none of these sums can overflow.)
    """
    records: list[tuple[str, dict[str, date | None]]] = [
        ("Success plan", {"end date": _plan_end(template, effective_date)})
    ]
    for model, children in (
        (Objective, template.objectives.all()),
        (Playbook, template.playbooks.all()),
        (PlaybookTask, template.playbook_tasks.all()),
    ):
        for child in children:
            start, end = template_dates(child, template, effective_date)
            records.append(
                (record_label(model, child.name), {"start date": start, "end date": end})
            )
            for kpi in child.kpis.all() if model is Objective else ():
                due = _moved_day(kpi.due_offset, kpi.due_date, template, effective_date)
                records.append((record_label(ObjectiveKPI, kpi.name), {"due date": due}))
    _refuse_outside(records)


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
    if name.strip().casefold() == template.name.strip().casefold():
        raise DomainError(
            f"Give the new plan its own name: “{template.name}” is the template's.", field="name"
        )
    end_date = _plan_end(template, effective_date)
    # Every date as the user left it, in the range (else a DomainError naming them).
    _refuse_outside(
        [("Success plan", {"effective date": effective_date, "end date": end_date})]
        + [
            (record_label(model, d.name), {"start date": d.start_date, "end date": d.end_date})
            for model, drafts in (
                (Objective, objectives),
                (Playbook, playbooks),
                (PlaybookTask, tasks),
            )
            for d in drafts
        ]
        + [
            (record_label(ObjectiveKPI, k.name), {"due date": k.due_date})
            for d in objectives
            for k in d.kpis
        ]
    )
    plan = SuccessPlan.objects.create(
        account=account,
        name=name,
        description=template.description,
        effective_date=effective_date,
        end_date=end_date,
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
            kpi = copy_of(ObjectiveKPI, k, _KPI_DRAFT_FIELDS, objective=objective)
            kpi.anchor_to(effective_date)
            new_kpis.append(kpi)
    ObjectiveKPI.objects.bulk_create(new_kpis)
    kpi_history_start(kpis=new_kpis, user=user)
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
    # One event for the whole plan (its listeners read the tasks' resources in one query),
    # not one ``plan_task.assigned`` per task: a fixed number of queries whatever the size.
    emit("plan.created", actor_id=user.pk, plan_id=plan.pk)
    return plan
