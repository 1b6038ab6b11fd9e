"""Forms of Create Success Plan from a template: the new plan's details and the Select Records grid.

The grid is a tree built from one template read with its children prefetched:
objectives with their objective KPIs under them, playbooks with their playbook
tasks under them, then the tasks without a playbook. Each child is a row form
with a "Selected" checkbox (all ticked by default) and its editable cells; the
KPIs of each objective are a formset (edit, delete, add blank rows).

Rules the grid keeps, as the seed allows:

* a deselected row is not validated and not created;
* a task stays selectable while its playbook is deselected: it then belongs to
  the new plan directly;
* an objective may be kept without its KPIs (tick "Delete" on them); the KPIs
  of a deselected objective are not created.

Query count: every row reads the same assignable resources (``ResourcePool``,
one query) for its select and for validation, so neither rendering nor
posting the grid queries per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, pretty_name

from engagements.models import Account, Resource

from .forms import (
    RESOURCE_ERROR,
    DatesInOrderMixin,
    ObjectiveKPIForm,
    ResourceChoiceField,
    ResourcesChoiceField,
)
from .models import ObjectiveKPI, Playbook, SuccessPlan
from .services import KPIDraft, ObjectiveDraft, PlaybookDraft, TaskDraft, template_dates


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# -- resources, read once -----------------------------------------------------------------------
class ResourcePool:
    """The assignable (active, non-PSA) resources, read once for every row of the window."""

    def __init__(self) -> None:
        self.resources = list(Resource.objects.assignable().select_related("user"))
        self.by_pk = {resource.pk: resource for resource in self.resources}
        self.choices = [(resource.pk, str(resource)) for resource in self.resources]

    def get(self, value) -> Resource:
        try:
            return self.by_pk[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(RESOURCE_ERROR, code="invalid_choice") from None


class PooledResourceField(ResourceChoiceField):
    """One resource, offered and checked from the pool (no query per row)."""

    def __init__(self, *, pool: ResourcePool, **kwargs):
        super().__init__(**kwargs)
        self.pool = pool
        self.choices = [("", "---------"), *pool.choices]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return self.pool.get(value)


class PooledResourcesField(ResourcesChoiceField):
    """Several resources, offered and checked from the pool (no query per row)."""

    def __init__(self, *, pool: ResourcePool, **kwargs):
        super().__init__(**kwargs)
        self.pool = pool
        self.choices = pool.choices

    def _check_values(self, value) -> list[Resource]:
        chosen: dict[int, Resource] = {}
        for item in value:
            resource = self.pool.get(item)
            chosen[resource.pk] = resource
        return list(chosen.values())

    def clean(self, value) -> list[Resource]:
        # An empty choice is ``queryset.none()`` upstream: a list either way.
        return list(super().clean(value))


# -- the new plan's details (step 1) ------------------------------------------------------------
class TemplatePlanDetailsForm(forms.Form):
    """Name, account, effective date and owner of the plan made from a template.

    (The plan's end date follows from the template's length; the rest of its
    information comes from the template.)
    """

    name = forms.CharField(max_length=200)
    account = forms.ModelChoiceField(
        queryset=Account.objects.order_by("name"),
        error_messages={
            "required": "A success plan needs an account.",
            "invalid_choice": "Choose an existing account.",
        },
    )
    effective_date = forms.DateField(
        widget=_date(),
        help_text="The child records keep their offsets from this date.",
    )

    def __init__(self, *args, pool: ResourcePool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = PooledResourceField(pool=pool, label="Owner (allocated resource)")


# -- the Select Records grid (step 2) -----------------------------------------------------------
class _RowForm(DatesInOrderMixin, forms.Form):
    """A child record of the template: selected or not, and its editable cells.

    A deselected row is neither validated nor created, so what is typed in it
    cannot block the creation.
    """

    selected = forms.BooleanField(required=False, initial=True, label="Selected")
    name = forms.CharField(max_length=200)
    start_date = forms.DateField(required=False, widget=_date())
    end_date = forms.DateField(required=False, widget=_date())

    kind = ""

    def __init__(self, *args, source, pool: ResourcePool, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.add_resource_cell(pool)
        # Cells have no visible label in the grid: name them for screen readers (and tests).
        for name, cell in self.fields.items():
            if name == "selected":
                cell.widget.attrs["aria-label"] = f"Select {self.kind} {source.name}"
            elif name != "resources":  # its checkboxes carry their own labels
                label = cell.label or pretty_name(name)
                cell.widget.attrs["aria-label"] = f"{label} of {self.kind} {source.name}"

    def add_resource_cell(self, pool: ResourcePool) -> None:
        raise NotImplementedError

    @property
    def is_selected(self) -> bool:
        if not self.is_bound:
            return bool(self.initial.get("selected", True))
        widget = self.fields["selected"].widget
        return bool(widget.value_from_datadict(self.data, self.files, self.add_prefix("selected")))

    def full_clean(self) -> None:
        if self.is_bound and not self.is_selected:
            self._errors = ErrorDict()
            self.cleaned_data = {"selected": False}
            return
        super().full_clean()


class ObjectiveRowForm(_RowForm):
    """An objective: name, dates and one resource."""

    kind = "objective"

    def add_resource_cell(self, pool: ResourcePool) -> None:
        self.fields["resource"] = PooledResourceField(pool=pool, label="Resource")


class PlaybookRowForm(ObjectiveRowForm):
    """A playbook: name, dates and one resource."""

    kind = "playbook"


class TaskRowForm(_RowForm):
    """A playbook task: name, dates and several resources."""

    kind = "playbook task"

    def add_resource_cell(self, pool: ResourcePool) -> None:
        self.fields["resources"] = PooledResourcesField(pool=pool, label="Resources")


class TemplateKPIForm(ObjectiveKPIForm):
    """An objective KPI in the grid: the Objective KPI form without the Blocked flag
    (a new plan's KPIs start unblocked); values that are not numbers get "Enter a number."."""

    class Meta(ObjectiveKPIForm.Meta):
        fields = [
            "name",
            "unit",
            "baseline",
            "current",
            "target",
            "direction",
            "due_date",
            "external",
        ]

    def __init__(self, *args, objective_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        row = f"KPI {self.initial['name']}" if self.initial.get("name") else "new KPI"
        for kpi_field in self.fields.values():
            kpi_field.widget.attrs["aria-label"] = (
                f"{kpi_field.label} of {row} (objective {objective_name})"
            )

    def draft(self) -> KPIDraft:
        data = self.cleaned_data
        return KPIDraft(
            name=data["name"],
            unit=data.get("unit") or "",
            baseline=data.get("baseline"),
            current=data.get("current"),
            target=data.get("target"),
            direction=data.get("direction") or ObjectiveKPI.Direction.HIGHER,
            due_date=data.get("due_date"),
            external=bool(data.get("external")),
        )


class _TemplateKPIFormSet(forms.BaseFormSet):
    """The KPIs of one objective of the grid: the template's (edit or delete) and new ones."""

    def __init__(self, *args, objective_name: str = "", **kwargs):
        self.objective_name = objective_name
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "objective_name": self.objective_name}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            row = f"KPI {form.initial['name']}" if form.initial.get("name") else "new KPI"
            form.fields["DELETE"].widget.attrs["aria-label"] = (
                f"Delete {row} (objective {self.objective_name})"
            )

    def hold(self) -> None:
        """Show the rows without validating them (a deselected objective, an "Add KPI" trip)."""
        self._errors, self._non_form_errors = [], self.error_class()
        for form in self.forms:
            form._errors = ErrorDict()
            form.cleaned_data = {}

    def drafts(self) -> list[KPIDraft]:
        # A blank row left untouched has no cleaned data; ticked "Delete" rows are dropped.
        return [
            form.draft()
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


TemplateKPIFormSet = forms.formset_factory(
    TemplateKPIForm, formset=_TemplateKPIFormSet, extra=1, can_delete=True
)


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
            for objective in self.objectives:
                if add_kpi or not objective.form.is_selected:
                    objective.kpis.hold()
            if add_kpi:
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


__all__ = [
    "ObjectiveRowForm",
    "PlaybookRowForm",
    "PooledResourceField",
    "PooledResourcesField",
    "ResourcePool",
    "SelectRecordsGrid",
    "TaskRowForm",
    "TemplateKPIForm",
    "TemplateKPIFormSet",
    "TemplatePlanDetailsForm",
]
