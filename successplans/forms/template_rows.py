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

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.forms.utils import pretty_name

from core.dates import DateInRangeField
from core.forms import date_input
from engagements.models import Account
from engagements.models import Resource

from ..models import ObjectiveKPI
from ..services import KPIDraft
from .fields import RESOURCE_ERROR
from .fields import DatesInOrderMixin
from .fields import ResourceChoiceField
from .fields import ResourcesChoiceField
from .records import ObjectiveKPIForm


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
        # A plain select: every row of the grid offers the one pool it has read already.
        kwargs.setdefault("widget", forms.Select)
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
        # Checkboxes: every row of the grid offers the one pool it has read already.
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
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
    effective_date = DateInRangeField(
        widget=date_input(),
        help_text="The child records keep their offsets from this date.",
    )

    def __init__(self, *args, pool: ResourcePool, template_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.source_name = template_name
        self.fields["owner"] = PooledResourceField(pool=pool, label="Owner (allocated resource)")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if same_name(name, self.source_name):
            raise ValidationError(template_name_message(self.source_name), code="template_name")
        return name


def same_name(name: str, template_name: str) -> bool:
    return bool(template_name) and name.strip().casefold() == template_name.strip().casefold()


def template_name_message(template_name: str) -> str:
    return f"Give the new plan its own name: “{template_name}” is the template's."


# -- the Select Records grid (step 2) -----------------------------------------------------------
class _RowForm(DatesInOrderMixin, forms.Form):
    """A child record of the template: selected or not, and its editable cells.

    A deselected row is neither validated nor created, so what is typed in it
    cannot block the creation.
    """

    selected = forms.BooleanField(required=False, initial=True, label="Selected")
    name = forms.CharField(max_length=200)
    start_date = DateInRangeField(required=False, widget=date_input())
    end_date = DateInRangeField(required=False, widget=date_input())

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
        fields = [name for name in ObjectiveKPI.EDITABLE_FIELDS if name != "blocked"]

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
