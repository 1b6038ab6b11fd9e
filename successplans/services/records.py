"""Writes of a plan's related records: objectives and their KPIs, playbooks, playbook tasks,
business challenges and CS activities.

Each takes plain values: the record (or its plan) that the view's access helper fetched, a
form's ``cleaned_data`` and the acting ``user``; each runs in one transaction and refuses
with ``DomainError`` (its message is what the user sees, next to ``field`` when set).
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from django.db import transaction
from django.db.models import Model, ProtectedError, RestrictedError

from core.errors import DomainError

from ..models import (
    BusinessChallenge,
    CSActivity,
    KPIValue,
    Objective,
    ObjectiveKPI,
    Playbook,
    PlaybookTask,
    RecordType,
    SuccessPlan,
    TemplatePickerPreference,
)
from ..selectors import DeletedWith, deleted_with

R = TypeVar("R", bound=Model)


def _write(record: R, data: dict, *, anchor_to: date | None = None) -> R:
    """Copy ``data`` (field name → value) onto ``record`` and save it, many-to-many included.

    ``anchor_to`` (a new dated child: its plan's effective date) fixes the record's offsets,
    which a later change of the plan's effective date restores.
    """
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
    return record


@transaction.atomic
def record_delete(*, record: Model) -> DeletedWith:
    """Delete a plan (or one of its records) with everything that goes with it."""
    try:
        gone = deleted_with(record)
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


@transaction.atomic
def task_create(
    *, plan: SuccessPlan, data: dict, record_type: RecordType | None = None
) -> PlaybookTask:
    """A playbook task under one of the plan's playbooks, or directly under the plan."""
    _check_playbook(plan, data)
    return _write(
        PlaybookTask(plan=plan, record_type=record_type), data, anchor_to=plan.effective_date
    )


@transaction.atomic
def task_update(*, task: PlaybookTask, data: dict) -> PlaybookTask:
    _check_playbook(task.plan, data)
    return _write(task, data)


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
    return _write(CSActivity(plan=plan, who=user, record_type=record_type), data)


@transaction.atomic
def activity_update(*, activity: CSActivity, data: dict) -> CSActivity:
    """Edit a logged activity; who logged it stays."""
    return _write(activity, data)


# -- objective KPIs ------------------------------------------------------------------------------
@transaction.atomic
def kpi_create(*, objective: Objective, data: dict, user) -> ObjectiveKPI:
    """Add an objective KPI; its first current value starts its history."""
    kpi = _write(ObjectiveKPI(objective=objective), data, anchor_to=objective.plan.effective_date)
    if kpi.current is not None:
        KPIValue.objects.create(kpi=kpi, value=kpi.current, recorded_by=user)
    return kpi


@transaction.atomic
def kpi_update(*, kpi: ObjectiveKPI, data: dict, user) -> ObjectiveKPI:
    """Edit an objective KPI (``data``: the fields that changed); a new current value goes to
    its history with who set it."""
    return kpi_grid_save(plan=kpi.objective.plan, changes=[(kpi, data)], user=user)[0]


@transaction.atomic
def kpi_grid_save(
    *, plan: SuccessPlan, changes: list[tuple[ObjectiveKPI, dict]], user
) -> list[ObjectiveKPI]:
    """Save edited KPIs of one plan (the Objective KPI Overview grid), all or nothing.

    ``changes`` pairs each KPI with the fields that changed; a changed current value is
    recorded in the KPI's history.
    """
    kpis = [kpi for kpi, _ in changes]
    if any(kpi.objective.plan_id != plan.pk for kpi in kpis):
        raise DomainError("Only the plan's existing KPIs can be edited in this grid.")
    history = []
    for kpi, data in changes:
        _write(kpi, data)
        if data.get("current") is not None:
            history.append(KPIValue(kpi=kpi, value=kpi.current, recorded_by=user))
    KPIValue.objects.bulk_create(history)
    return kpis


# -- the template picker -------------------------------------------------------------------------
def template_picker_view_set(*, user, view: str) -> None:
    """Remember the template picker view (cards or lists) the user selected."""
    if view not in TemplatePickerPreference.View.values:
        raise DomainError("Choose cards or lists.")
    TemplatePickerPreference.objects.update_or_create(user=user, defaults={"view": view})
