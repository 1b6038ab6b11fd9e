"""Every write of the success plan pages, one function per operation (``<entity>_<action>``).

The contract: keyword-only arguments with plain values (records fetched by the view's
access helper, a form's ``cleaned_data``, the acting ``user``); one transaction each; a
refusal is a ``core.errors.DomainError`` whose message the user sees (views put it next to
``error.field``). Reads live in ``successplans.selectors``.

- ``plans``: the Create/Edit Success Plan window with its business challenges, delete,
  Change effective date;
- ``records``: the plan's related records (objectives, playbooks, playbook tasks, business
  challenges, CS activities);
- ``kpis``: objective KPIs and the Objective KPI Overview grid;
- ``templates``: Create Success Plan from a template;
- ``dates``: a record's dates moved on the Success Tracker.
"""

from .dates import record_dates_move
from .kpis import KPIAdded
from .kpis import KPIGridConflict
from .kpis import kpi_create
from .kpis import kpi_grid_apply
from .kpis import kpi_grid_save
from .kpis import kpi_update
from .plans import ChallengeChange
from .plans import plan_change_effective_date
from .plans import plan_create
from .plans import plan_delete
from .plans import plan_update
from .records import activity_create
from .records import activity_update
from .records import challenge_create
from .records import challenge_update
from .records import objective_create
from .records import objective_update
from .records import playbook_create
from .records import playbook_update
from .records import record_delete
from .records import task_create
from .records import task_status_change
from .records import task_update
from .records import template_picker_view_set
from .templates import KPIDraft
from .templates import ObjectiveDraft
from .templates import PlaybookDraft
from .templates import TaskDraft
from .templates import plan_create_from_template
from .templates import template_dates
from .templates import template_dates_check

__all__ = [
    "ChallengeChange",
    "KPIAdded",
    "KPIDraft",
    "KPIGridConflict",
    "ObjectiveDraft",
    "PlaybookDraft",
    "TaskDraft",
    "activity_create",
    "activity_update",
    "challenge_create",
    "challenge_update",
    "kpi_create",
    "kpi_grid_apply",
    "kpi_grid_save",
    "kpi_update",
    "objective_create",
    "objective_update",
    "plan_change_effective_date",
    "plan_create",
    "plan_create_from_template",
    "plan_delete",
    "plan_update",
    "playbook_create",
    "playbook_update",
    "record_dates_move",
    "record_delete",
    "task_create",
    "task_status_change",
    "task_update",
    "template_dates",
    "template_dates_check",
    "template_picker_view_set",
]
