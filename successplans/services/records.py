"""Writes of a plan's related records: objectives and their KPIs, playbooks, playbook tasks,
business challenges and CS activities.

Each takes plain values: the record (or its plan) that the view's access helper fetched, a
form's ``cleaned_data`` and the acting ``user``; each runs in one transaction and refuses
with ``DomainError`` (its message is what the user sees, next to ``field`` when set).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.db import transaction
from django.db.models import Model
from django.db.models import ProtectedError
from django.db.models import RestrictedError

from core.errors import DomainError
from core.events import emit

from ..models import BusinessChallenge
from ..models import CSActivity
from ..models import KPIValue
from ..models import Objective
from ..models import ObjectiveKPI
from ..models import Playbook
from ..models import PlaybookTask
from ..models import RecordType
from ..models import SuccessPlan
from ..models import TemplatePickerPreference
from ..selectors import DeletedWith
from ..selectors import deleted_with

R = TypeVar("R", bound=Model)


def _write(record: R, data: dict, *, anchor_to: date | None = None) -> R:
    """Copy ``data`` (field name → value) onto ``record`` and save it, many-to-many included.

    ``anchor_to`` (a new dated child: its plan's effective date) fixes the record's offsets,
    which a later change of the plan's effective date restores.
    """
    created = record.pk is None
    links = {}
    for name, value in data.items():
        if record._meta.get_field(name).many_to_many:
            links[name] = value
        else:
            setattr(record, name, value)
    if anchor_to is not None:
        record.anchor_to(anchor_to)
    record.save()
    for name, values in links.items():
        getattr(record, name).set(values)
    _emit_record_changed(record, "added" if created else "edited")
    return record


#: The plan records whose changes the account timeline shows (``plan_record.changed``).
TRACKED = {Objective: "objective", Playbook: "playbook", PlaybookTask: "task"}


def _emit_record_changed(record: Model, change: str, user=None) -> None:
    """``plan_record.changed`` for an objective, playbook or playbook task of a plan (not a
    template's): added, edited, deleted or its new status."""
    kind = TRACKED.get(type(record))
    if kind is None or record.plan.is_template:
        return
    emit(
        "plan_record.changed",
        actor_id=getattr(user, "pk", None),
        plan_id=record.plan_id,
        record=kind,
        record_id=record.pk,
        record_name=record.name,
        change=change,
    )


@transaction.atomic
def record_delete(*, record: Model) -> DeletedWith:
    """Delete a plan (or one of its records) with everything that goes with it."""
    try:
        gone = deleted_with(record)
        _emit_record_changed(record, "deleted")
        record.delete()
    except (ProtectedError, RestrictedError) as error:
        raise DomainError(f"“{record}” is still in use and cannot be deleted.") from error
    return gone


# -- objectives and playbooks ----------------------------------------------------------------------
@transaction.atomic
def objective_create(
    *, plan: SuccessPlan, data: dict, record_type: RecordType | None = None
) -> Objective:
    return _write(
        Objective(plan=plan, record_type=record_type), data, anchor_to=plan.effective_date
    )


@transaction.atomic
def objective_update(*, objective: Objective, data: dict) -> Objective:
    return _write(objective, data)


@transaction.atomic
def playbook_create(
    *, plan: SuccessPlan, data: dict, record_type: RecordType | None = None
) -> Playbook:
    return _write(Playbook(plan=plan, record_type=record_type), data, anchor_to=plan.effective_date)


@transaction.atomic
def playbook_update(*, playbook: Playbook, data: dict) -> Playbook:
    return _write(playbook, data)


# -- playbook tasks ------------------------------------------------------------------------------
def _check_playbook(plan: SuccessPlan, data: dict) -> None:
    playbook = data.get("playbook")
    if playbook is not None and playbook.plan_id != plan.pk:
        raise DomainError("Choose a playbook of this success plan.", field="playbook")


def _emit_task_assigned(task: PlaybookTask, before: set[int], user) -> None:
    """``plan_task.assigned`` for each user whose resource was added to ``task``."""
    users = task.resources.filter(user__is_active=True).values_list("user_id", flat=True)
    for user_id in sorted(set(users) - before):
        emit(
            "plan_task.assigned",
            actor_id=getattr(user, "pk", None),
            task_id=task.pk,
            plan_id=task.plan_id,
            assignee_id=user_id,
        )


@transaction.atomic
def task_create(
    *, plan: SuccessPlan, data: dict, record_type: RecordType | None = None, user=None
) -> PlaybookTask:
    """A playbook task under one of the plan's playbooks, or directly under the plan."""
    _check_playbook(plan, data)
    task = _write(
        PlaybookTask(plan=plan, record_type=record_type), data, anchor_to=plan.effective_date
    )
    _emit_task_assigned(task, set(), user)
    return task


@transaction.atomic
def task_update(*, task: PlaybookTask, data: dict, user=None) -> PlaybookTask:
    _check_playbook(task.plan, data)
    before = set(task.resources.values_list("user_id", flat=True))
    _write(task, data)
    _emit_task_assigned(task, before, user)
    return task


@transaction.atomic
def task_status_change(*, task: PlaybookTask, status: str, user) -> PlaybookTask:
    """Start or Complete a playbook task in place (``PlaybookTask.STEPS``); refused, with
    nothing changed, when the task's status does not allow it (read again under a lock)."""
    task = PlaybookTask.objects.select_for_update().get(pk=task.pk)
    step = PlaybookTask.STEPS.get(status)
    if step is None:
        raise DomainError("Choose Start or Complete.")
    verb, sources = step
    if task.status not in sources:
        raise DomainError(
            f"“{task.name}” is {task.get_status_display()}: it cannot be "
            f"{'started' if verb == 'Start' else 'completed'} here; use Edit to change its status."
        )
    task.status = status
    task.save(update_fields=["status"])
    _emit_record_changed(task, task.get_status_display(), user)
    return task


# -- business challenges -------------------------------------------------------------------------
@transaction.atomic
def challenge_create(*, plan: SuccessPlan, data: dict) -> BusinessChallenge:
    """A business challenge of ``plan`` (it belongs to exactly one plan)."""
    fields = {name: value for name, value in data.items() if name != "plan"}
    return _write(BusinessChallenge(plan=plan), fields)


@transaction.atomic
def challenge_update(*, challenge: BusinessChallenge, data: dict) -> BusinessChallenge:
    """Edit a business challenge; its plan never changes."""
    plan = data.get("plan", challenge.plan)
    if plan != challenge.plan:
        raise DomainError(
            "A business challenge can only have one success plan: "
            f"it stays on “{challenge.plan.name}”.",
            field="plan",
        )
    return _write(challenge, {name: value for name, value in data.items() if name != "plan"})


# -- CS activities -------------------------------------------------------------------------------
@transaction.atomic
def activity_create(
    *, plan: SuccessPlan, data: dict, user, record_type: RecordType | None = None
) -> CSActivity:
    """Log a call, email or meeting; whoever logs it is its "who"."""
    activity = _write(CSActivity(plan=plan, who=user, record_type=record_type), data)
    emit("cs_activity.logged", actor_id=user.pk, plan_id=plan.pk, activity_id=activity.pk)
    return activity


@transaction.atomic
def activity_update(*, activity: CSActivity, data: dict) -> CSActivity:
    """Edit a logged activity; who logged it stays."""
    activity = _write(activity, data)
    emit("cs_activity.logged", actor_id=None, plan_id=activity.plan_id, activity_id=activity.pk)
    return activity


# -- objective KPIs ------------------------------------------------------------------------------
@transaction.atomic
def kpi_create(*, objective: Objective, data: dict, user) -> ObjectiveKPI:
    """Add an objective KPI; its first current value starts its history."""
    kpi = _write(ObjectiveKPI(objective=objective), data, anchor_to=objective.plan.effective_date)
    if kpi.current is not None:
        KPIValue.objects.create(kpi=kpi, value=kpi.current, recorded_by=user)
    if kpi.badge in (ObjectiveKPI.Badge.OVERDUE, ObjectiveKPI.Badge.BLOCKED):
        emit(
            "kpi.badge_changed",
            actor_id=user.pk,
            kpi_id=kpi.pk,
            plan_id=objective.plan_id,
            previous=None,
            badge=str(kpi.badge),
        )
    return kpi


@transaction.atomic
def kpi_update(*, kpi: ObjectiveKPI, data: dict, user) -> ObjectiveKPI:
    """Edit an objective KPI (``data``: the fields that changed); a new current value goes to
    its history with who set it."""
    return kpi_grid_save(plan=kpi.objective.plan, changes=[(kpi, data)], user=user)[0]


@dataclass(frozen=True)
class KPICellConflict:
    """A grid cell someone else saved since the grid was opened: what is stored now, what
    the user entered, and the message shown next to the cell."""

    kpi_pk: int
    field: str
    stored: object
    entered: object
    message: str


class KPIGridConflict(DomainError):
    """The grid's save was refused because of ``conflicts`` (one or more cells)."""

    def __init__(self, conflicts: list[KPICellConflict]):
        kpis = len({conflict.kpi_pk for conflict in conflicts})
        super().__init__(
            f"{kpis} KPI{' was' if kpis == 1 else 's were'} changed by someone else since you "
            "opened the grid; nothing was saved. Check the values shown and save again."
        )
        self.conflicts = conflicts


def _shown(field: str, value) -> str:
    """A KPI value as a sentence shows it: 42 (not 42.00), a date, Yes/No, a direction."""
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return f"{value:%b} {value.day}, {value.year}"
    if field == "direction":
        return ObjectiveKPI.Direction(value).label
    return f"“{value}”"


def _plain(values: dict) -> dict:
    """Event data as plain values: a badge's text, a decimal as its string."""
    return {name: None if value is None else str(value) for name, value in values.items()}


@transaction.atomic
def kpi_grid_save(
    *,
    plan: SuccessPlan,
    changes: list[tuple[ObjectiveKPI, dict]],
    user,
    loaded: dict[int, dict] | None = None,
) -> list[ObjectiveKPI]:
    """Save edited KPIs of one plan (the Objective KPI Overview grid), all or nothing.

    ``changes`` pairs each KPI with the cells the user changed (field → value entered);
    only those cells are written, so a cell the user left alone keeps whatever someone
    else saved meanwhile. ``loaded`` (the grid; the KPI's own edit form passes none) maps
    a KPI's pk to those cells' values as the grid showed them when it was opened.

    Optimistic concurrency: the KPIs are locked and read again; a cell whose stored value
    is no longer the one loaded (someone else saved it since) and differs from what the
    user entered is a conflict. If there is any, nothing at all is written, not even the
    rows without a conflict: the save is refused with ``KPIGridConflict``, which names each
    cell with both values. The grid keeps what the user typed, now knowing the stored
    values, so saving again deliberately replaces them. A cell entered as what is already
    stored is no change. A current value that really changes is recorded in the KPI's
    history under ``user``; nothing else is.

    Returns the saved KPIs as stored now, in the order of ``changes``.
    """
    pks = [kpi.pk for kpi, _ in changes]
    # Lock the KPI rows alone, in a fixed order; the columns read here are the latest
    # committed ones (no joined row, which PostgreSQL would not read again after a wait).
    stored = {
        kpi.pk: kpi
        for kpi in ObjectiveKPI.objects.select_for_update(of=("self",))
        .filter(pk__in=pks, objective__plan=plan)
        .order_by("pk")
    }
    if len(stored) != len(set(pks)):
        raise DomainError("Only the plan's existing KPIs can be edited in this grid.")
    conflicts, writes = [], []
    for kpi_pk, data in ((kpi.pk, data) for kpi, data in changes):
        kpi, before = stored[kpi_pk], (loaded or {}).get(kpi_pk)
        changed = {}
        for field, value in data.items():
            now = getattr(kpi, field)
            if now == value:
                continue
            if before is not None and field in before and now != before[field]:
                conflicts.append(
                    KPICellConflict(
                        kpi_pk=kpi_pk,
                        field=field,
                        stored=now,
                        entered=value,
                        message="Changed by someone else since you opened the grid: "
                        f"now {_shown(field, now)}, you entered {_shown(field, value)}.",
                    )
                )
            changed[field] = value
        writes.append((kpi, changed))
    if conflicts:
        raise KPIGridConflict(conflicts)
    history, events = [], []
    for kpi, changed in writes:
        if not changed:
            continue
        previous, badge = kpi.current, kpi.badge
        for field, value in changed.items():
            setattr(kpi, field, value)
        kpi.save(update_fields=list(changed))
        if changed.get("current") is not None:
            history.append(KPIValue(kpi=kpi, value=kpi.current, recorded_by=user))
        if "current" in changed:
            events.append(("kpi.value_changed", kpi, {"previous": previous, "value": kpi.current}))
        if kpi.badge != badge:
            events.append(("kpi.badge_changed", kpi, {"previous": badge, "badge": kpi.badge}))
    KPIValue.objects.bulk_create(history)
    for name, kpi, values in events:
        emit(name, actor_id=user.pk, kpi_id=kpi.pk, plan_id=plan.pk, **_plain(values))
    return [stored[pk] for pk in pks]


@dataclass(frozen=True)
class KPIAdded:
    """A KPI row added in the grid: its objective (one of the plan's) and its cells."""

    objective: Objective
    data: dict


@transaction.atomic
def kpi_grid_apply(
    *,
    plan: SuccessPlan,
    user,
    changes: list[tuple[ObjectiveKPI, dict]] = (),
    loaded: dict[int, dict] | None = None,
    added: list[KPIAdded] = (),
    deleted: list[ObjectiveKPI] = (),
) -> list[ObjectiveKPI]:
    """Save the Objective KPI Overview grid: edited, added and deleted KPIs, all or nothing.

    Edits go through ``kpi_grid_save`` (its optimistic concurrency: a cell someone else
    saved meanwhile refuses the whole save). A KPI both edited and deleted is deleted. An
    added KPI belongs to one of the plan's objectives, is anchored to the plan's effective
    date like one added on its objective, and its first current value starts its history.
    Returns the added KPIs.
    """
    gone = {kpi.pk for kpi in deleted}
    kept_changes = [(kpi, data) for kpi, data in changes if kpi.pk not in gone]
    if kept_changes:
        kpi_grid_save(plan=plan, changes=kept_changes, user=user, loaded=loaded)
    if gone:
        found = ObjectiveKPI.objects.select_for_update(of=("self",)).filter(
            pk__in=gone, objective__plan=plan
        )
        if len(found) != len(gone):
            raise DomainError("Only the plan's existing KPIs can be deleted in this grid.")
        ObjectiveKPI.objects.filter(pk__in=gone).delete()
    objectives = set(plan.objectives.values_list("pk", flat=True)) if added else set()
    new = []
    for row in added:
        if row.objective.pk not in objectives:
            raise DomainError("Choose an objective of this success plan.", field="objective")
        kpi = ObjectiveKPI(objective=row.objective, **row.data)
        kpi.anchor_to(plan.effective_date)
        new.append(kpi)
    ObjectiveKPI.objects.bulk_create(new)
    KPIValue.objects.bulk_create(
        [
            KPIValue(kpi=kpi, value=kpi.current, recorded_by=user)
            for kpi in new
            if kpi.current is not None
        ]
    )
    for kpi in new:
        if kpi.current is not None:
            values = {"previous": None, "value": kpi.current}
            emit(
                "kpi.value_changed",
                actor_id=user.pk,
                kpi_id=kpi.pk,
                plan_id=plan.pk,
                **_plain(values),
            )
    return new


# -- the template picker -------------------------------------------------------------------------
def template_picker_view_set(*, user, view: str) -> None:
    """Remember the template picker view (cards or lists) the user selected."""
    if view not in TemplatePickerPreference.View.values:
        raise DomainError("Choose cards or lists.")
    TemplatePickerPreference.objects.update_or_create(user=user, defaults={"view": view})
