"""Writes of objective KPIs: one KPI's Add and Edit, and the Objective KPI Overview grid (edits
with their lost-update check, added and deleted rows), all or nothing.

A KPI's current value has a history (``KPIValue``): each value set through these services is
recorded with who set it; the first one starts it (``kpi_history_start``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from core.errors import DomainError
from core.events import emit

from ..models import KPIValue
from ..models import Objective
from ..models import ObjectiveKPI
from ..models import SuccessPlan
from .records import _write


def kpi_history_start(*, kpis: Iterable[ObjectiveKPI], user) -> None:
    """Record the current value of each new KPI that has one as its first history row, set
    by ``user`` (one insert for them all)."""
    KPIValue.objects.bulk_create(
        [
            KPIValue(kpi=kpi, value=kpi.current, recorded_by=user)
            for kpi in kpis
            if kpi.current is not None
        ]
    )


@transaction.atomic
def kpi_create(*, objective: Objective, data: dict, user) -> ObjectiveKPI:
    """Add an objective KPI; its first current value starts its history."""
    kpi = _write(ObjectiveKPI(objective=objective), data, anchor_to=objective.plan.effective_date)
    kpi_history_start(kpis=[kpi], user=user)
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
    kpi_history_start(kpis=new, user=user)
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
