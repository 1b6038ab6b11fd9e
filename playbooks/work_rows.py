"""My Work's case and task panels, read as values and printed once (as ``case_rows`` does
for All Success Cases).

An agent's panels print up to forty rows; read as models, each case row built four
instances (the case, its engagement, account and assignee) and each task two, and the
templates ran a dozen lookups a row. Here each ``values()`` row becomes a frozen
dataclass of what the cells print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from core.formatting import NONE
from core.formatting import badge_class
from core.formatting import local_day
from core.formatting import person_fields
from core.formatting import person_in
from engagements.models import Account

from .case_rows import PHASE_LABELS
from .models import CaseTask
from .models import SuccessCase
from .models import TaskState

_TASK_STATES = dict(TaskState.choices)
_CASE_FIELDS = (
    "number",
    "short_description",
    "engagement__account_id",
    "engagement__account__name",
    "phase",
    "opened_at",
    "current_activity",
    *person_fields("assigned_to"),
)
_TASK_FIELDS = ("number", "short_description", "case__number", "state", "due_date")


@dataclass(frozen=True)
class WorkCaseRow:
    """One open success case in "My open success cases" or "Cases I am in the squad of"."""

    number: str
    url: str
    short_description: str  # an em dash without one
    account_name: str
    account_url: str
    assigned_to: str  # the person's label, or an em dash
    phase: str
    current_activity: str  # an em dash when every activity is resolved
    opened: str
    age_days: int


@dataclass(frozen=True)
class WorkTaskRow:
    """One open case task in "My case tasks"."""

    number: str
    url: str
    short_description: str
    case_number: str
    case_url: str
    state_label: str
    state_class: str
    due: str  # an em dash without a due date
    days_overdue: int  # 0 unless it is overdue
    due_this_week: bool


def work_case_rows(cases: QuerySet[SuccessCase], *, today: date) -> list[WorkCaseRow]:
    """A panel's page of open cases (``selectors.with_current_activity``; not yet read)."""
    return [_case_row(v, today) for v in cases.values(*_CASE_FIELDS)]


def work_task_rows(tasks: QuerySet[CaseTask], *, today: date, week_days: int) -> list[WorkTaskRow]:
    """A panel's page of open tasks (not yet read); "This week" runs ``week_days`` ahead."""
    week_end = today + timedelta(days=week_days)
    return [_task_row(v, today, week_end) for v in tasks.values(*_TASK_FIELDS)]


def _case_row(v: dict, today: date) -> WorkCaseRow:
    opened_at = v["opened_at"]
    return WorkCaseRow(
        number=v["number"],
        url=SuccessCase.url_for(v["number"]),
        short_description=v["short_description"] or NONE,
        account_name=v["engagement__account__name"],
        account_url=Account.url_for(v["engagement__account_id"]),
        assigned_to=person_in(v, "assigned_to"),
        phase=PHASE_LABELS.get(v["phase"], v["phase"]),
        current_activity=v["current_activity"] or NONE,
        opened=local_day(opened_at),
        age_days=(today - timezone.localdate(opened_at)).days,
    )


def _task_row(v: dict, today: date, week_end: date) -> WorkTaskRow:
    due, state = v["due_date"], v["state"]
    return WorkTaskRow(
        number=v["number"],
        url=CaseTask.url_for(v["case__number"], v["number"]),
        short_description=v["short_description"],
        case_number=v["case__number"],
        case_url=SuccessCase.url_for(v["case__number"]),
        state_label=_TASK_STATES.get(state, state),
        state_class=badge_class(state),
        due=local_day(due) or NONE,
        days_overdue=(today - due).days if due and due < today else 0,
        due_this_week=due is not None and today <= due <= week_end,
    )
