"""Moving a record's dates on the Success Tracker (dragging a bar, its keys or the Dates form).

The change is the record's own update service (``objective_update``, ``playbook_update``,
``task_update``: what Edit calls), after one more rule the tracker adds: a record stays
inside its plan's dates, since a bar dragged past the plan's start or end is a slip.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from core.errors import DomainError

from ..models import Objective
from ..models import Playbook
from ..models import PlaybookTask
from .records import objective_update
from .records import playbook_update
from .records import task_update


def _long(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


@transaction.atomic
def record_dates_move(
    *,
    record: Objective | Playbook | PlaybookTask,
    start_date: date,
    end_date: date,
    user=None,
) -> Objective | Playbook | PlaybookTask:
    """Give ``record`` new start and end dates, inside its plan's; nothing else changes."""
    plan = record.plan
    if end_date < start_date:
        raise DomainError("The end date cannot be before the start date.", field="end_date")
    if plan.effective_date and start_date < plan.effective_date:
        raise DomainError(
            f"The start date cannot be before the plan starts ({_long(plan.effective_date)}).",
            field="start_date",
        )
    if plan.end_date and end_date > plan.end_date:
        raise DomainError(
            f"The end date cannot be after the plan ends ({_long(plan.end_date)}).",
            field="end_date",
        )
    data = {"start_date": start_date, "end_date": end_date}
    if isinstance(record, Objective):
        return objective_update(objective=record, data=data)
    if isinstance(record, Playbook):
        return playbook_update(playbook=record, data=data)
    return task_update(task=record, data=data, user=user)
