"""The Select Records grid of Create Success Plan from a template (see ``template_rows``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta

from django.forms.utils import ErrorDict
from django.http import QueryDict

from core.formsets import limit_rows
from engagements.models import Resource

from ..models import ObjectiveKPI
from ..models import Playbook
from ..models import SuccessPlan
from ..services import ObjectiveDraft
from ..services import PlaybookDraft
from ..services import TaskDraft
from ..services import template_dates
from .template_rows import ObjectiveRowForm
from .template_rows import PlaybookRowForm
from .template_rows import ResourcePool
from .template_rows import TaskRowForm
from .template_rows import TemplateKPIFormSet
from .template_rows import _TemplateKPIFormSet


@dataclass
class ObjectiveRow:
    form: ObjectiveRowForm
    kpis: _TemplateKPIFormSet
    #: the template's resources that are no longer assignable (not offered, said in the row)
    dropped: list[Resource] = field(default_factory=list)


@dataclass
class TaskRow:
    form: TaskRowForm
    dropped: list[Resource] = field(default_factory=list)


@dataclass
class PlaybookRow:
    form: PlaybookRowForm
    tasks: list[TaskRow] = field(default_factory=list)
    dropped: list[Resource] = field(default_factory=list)


def _moved(offset: int | None, day: date | None, template: SuccessPlan, effective: date):
    """A template KPI's due date moved to ``effective`` (like ``services.template_dates``)."""
    if offset is None and day is not None:
        offset = (day - template.effective_date).days
    return None if offset is None else effective + timedelta(days=offset)


#: The grid's own fields: every row's prefix is o<pk> (objective, with its ``-kpis`` formset),
#: p<pk> (playbook) or t<pk> (playbook task).
GRID_FIELD = re.compile(r"^[opt]\d+-")
_DATE_CELL = re.compile(r"-(start_date|end_date|due_date)$")


def kept_grid_data(data: QueryDict, *, days: int = 0) -> QueryDict:
    """The grid's fields of ``data`` (a post of the grid), for carrying them through Back.

    ``days``: how far the effective date moved meanwhile; every date cell moves with it, as
    the template's offsets would (a date typed as something that is not a date stays as typed).
    """
    kept = QueryDict(mutable=True)
    for name in data:
        if not GRID_FIELD.match(name):
            continue
        values = data.getlist(name)
        if days and _DATE_CELL.search(name):
            values = [_shifted(value, days) for value in values]
        kept.setlist(name, values)
    return kept


def _shifted(value: str, days: int) -> str:
    try:
        return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
    except (ValueError, OverflowError):
        return value


def _kpi_initial(kpi: ObjectiveKPI, template: SuccessPlan, effective_date: date) -> dict:
    return {
        "name": kpi.name,
        "unit": kpi.unit,
        "baseline": kpi.baseline,
        "current": kpi.current,
        "target": kpi.target,
        "direction": kpi.direction,
        "due_date": _moved(kpi.due_offset, kpi.due_date, template, effective_date),
        "external": kpi.external,
    }


class SelectRecordsGrid:
    """The template's child records as a tree of row forms, bound to a post or not.

    ``template`` must come with its children prefetched (objectives with their
    KPIs, playbooks, playbook tasks with their resources, record types and
    resources joined): the grid reads no row by itself. Dates start at the
    template's offsets moved to ``effective_date``.
    """

    def __init__(
        self,
        *,
        template: SuccessPlan,
        effective_date: date,
        pool: ResourcePool,
        data=None,
        add_kpi: str = "",
        held: bool = False,
    ) -> None:
        self.template = template
        self.is_bound = data is not None
        if data is not None and add_kpi:
            # "Add KPI" without JavaScript: the same grid with one more blank row there.
            data = data.copy()
            key = f"{add_kpi}-TOTAL_FORMS"
            if data.get(key, "").isdigit():
                data[key] = str(min(int(data[key]) + 1, 500))

        def row_form(form_class, source, prefix: str, **initial):
            start, end = template_dates(source, template, effective_date)
            initial.update(selected=True, name=source.name, start_date=start, end_date=end)
            return form_class(data, prefix=prefix, initial=initial, source=source, pool=pool)

        def one_resource(source) -> tuple[dict, list[Resource]]:
            if source.resource_id is None:
                return {"resource": None}, []
            if source.resource_id in pool.by_pk:
                return {"resource": source.resource_id}, []
            return {"resource": None}, [source.resource]

        self.objectives: list[ObjectiveRow] = []
        for objective in template.objectives.all():
            initial, dropped = one_resource(objective)
            kpis = TemplateKPIFormSet(
                data,
                prefix=f"o{objective.pk}-kpis",
                initial=[_kpi_initial(k, template, effective_date) for k in objective.kpis.all()],
                objective_name=objective.name,
            )
            # The template's KPIs and a few added with "Add KPI", whatever a post claims.
            limit_rows(kpis, len(objective.kpis.all()))
            form = row_form(ObjectiveRowForm, objective, f"o{objective.pk}", **initial)
            self.objectives.append(ObjectiveRow(form, kpis, dropped))

        tasks_by_playbook: dict[int | None, list[TaskRow]] = {}
        for task in template.playbook_tasks.all():
            resources = list(task.resources.all())
            kept = [r.pk for r in resources if r.pk in pool.by_pk]
            form = row_form(TaskRowForm, task, f"t{task.pk}", resources=kept)
            dropped = [r for r in resources if r.pk not in pool.by_pk]
            tasks_by_playbook.setdefault(task.playbook_id, []).append(TaskRow(form, dropped))

        self.playbooks: list[PlaybookRow] = []
        for playbook in template.playbooks.all():
            initial, dropped = one_resource(playbook)
            form = row_form(PlaybookRowForm, playbook, f"p{playbook.pk}", **initial)
            tasks = tasks_by_playbook.get(playbook.pk, [])
            self.playbooks.append(PlaybookRow(form, tasks, dropped))
        self.loose_tasks: list[TaskRow] = tasks_by_playbook.get(None, [])

        if self.is_bound:
            # ``held``: the grid as the user left it before Back, shown again without errors.
            for objective in self.objectives:
                if add_kpi or held or not objective.form.is_selected:
                    objective.kpis.hold()
            if add_kpi or held:
                for form in self.row_forms():
                    form._errors = ErrorDict()
                    form.cleaned_data = {}

    # -- reading ---------------------------------------------------------------------------
    @property
    def is_empty(self) -> bool:
        return not (self.objectives or self.playbooks or self.loose_tasks)

    def row_forms(self):
        yield from (row.form for row in self.objectives)
        for playbook in self.playbooks:
            yield playbook.form
            yield from (task.form for task in playbook.tasks)
        yield from (task.form for task in self.loose_tasks)

    def _selected_kpi_formsets(self):
        return [row.kpis for row in self.objectives if row.form.is_selected]

    def is_valid(self) -> bool:
        """Every selected row and every KPI of a selected objective (each shows its errors)."""
        if not self.is_bound:
            return False
        results = [form.is_valid() for form in self.row_forms()]
        results += [kpis.is_valid() for kpis in self._selected_kpi_formsets()]
        return all(results)

    def error_count(self) -> int:
        """Rows (records and KPIs) with an error, once the grid has been validated."""
        rows = sum(1 for form in self.row_forms() if form.errors)
        for kpis in self._selected_kpi_formsets():
            rows += sum(1 for form in kpis.forms if form.errors)
            rows += 1 if kpis.non_form_errors() else 0
        return rows

    def drafts(self) -> tuple[list[ObjectiveDraft], list[PlaybookDraft], list[TaskDraft]]:
        """The selected (and edited) records for ``services.plan_create_from_template``."""
        objectives = [
            ObjectiveDraft(
                source=row.form.source,
                name=row.form.cleaned_data["name"],
                start_date=row.form.cleaned_data.get("start_date"),
                end_date=row.form.cleaned_data.get("end_date"),
                resource=row.form.cleaned_data.get("resource"),
                kpis=row.kpis.drafts(),
            )
            for row in self.objectives
            if row.form.is_selected
        ]
        playbooks, tasks = [], []
        for row in self.playbooks:
            kept = row.form.is_selected
            if kept:
                data = row.form.cleaned_data
                playbooks.append(
                    PlaybookDraft(
                        source=row.form.source,
                        name=data["name"],
                        start_date=data.get("start_date"),
                        end_date=data.get("end_date"),
                        resource=data.get("resource"),
                    )
                )
            # A task kept without its playbook belongs to the new plan directly.
            tasks += [
                self._task_draft(task.form, row.form.source if kept else None)
                for task in row.tasks
                if task.form.is_selected
            ]
        tasks += [
            self._task_draft(task.form, None) for task in self.loose_tasks if task.form.is_selected
        ]
        return objectives, playbooks, tasks

    @staticmethod
    def _task_draft(form: TaskRowForm, playbook: Playbook | None) -> TaskDraft:
        data = form.cleaned_data
        return TaskDraft(
            source=form.source,
            name=data["name"],
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            resources=data.get("resources") or [],
            playbook=playbook,
        )
