"""The forms of a plan's related records: objectives, playbooks, playbook tasks, CS activities,
objective KPIs and the Objective KPI Overview grid."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.forms import BaseModelFormSet
from django.http import QueryDict
from django.utils.functional import cached_property

from core.forms import date_input
from core.formsets import limit_rows

from ..models import CSActivity
from ..models import Objective
from ..models import ObjectiveKPI
from ..models import Playbook
from ..models import PlaybookTask
from ..models import SuccessPlan
from .fields import DatesInOrderMixin
from .fields import FieldSetMixin
from .fields import ResourceChoiceField
from .fields import ResourcesChoiceField

_CHILD_WIDGETS = {
    "start_date": date_input(),
    "end_date": date_input(),
    "description": forms.Textarea(attrs={"rows": 2}),
}


class _PlanChildForm(FieldSetMixin, DatesInOrderMixin, forms.ModelForm):
    """What the objective, playbook and playbook task forms share."""

    class Meta:
        fields = ["name", "description", "start_date", "end_date", "status", "resource"]
        widgets = _CHILD_WIDGETS


class ObjectiveForm(_PlanChildForm):
    """An objective; the playbook form is the same for a playbook."""

    resource = ResourceChoiceField()

    class Meta(_PlanChildForm.Meta):
        model = Objective


class PlaybookForm(ObjectiveForm):
    class Meta(ObjectiveForm.Meta):
        model = Playbook


class PlaybookTaskForm(_PlanChildForm):
    resources = ResourcesChoiceField()

    class Meta(_PlanChildForm.Meta):
        model = PlaybookTask
        fields = [
            "name",
            "playbook",
            "description",
            "start_date",
            "end_date",
            "status",
            "resources",
        ]

    def __init__(self, *args, plan: SuccessPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan  # the model's check compares the playbook's plan with it
        self.fields["playbook"].queryset = plan.playbooks.all()
        self.fields["playbook"].empty_label = "— none (directly under the plan) —"
        self.fields["playbook"].error_messages["invalid_choice"] = (
            "Choose a playbook of this success plan."
        )


class ObjectiveKPIForm(forms.ModelForm):
    class Meta:
        model = ObjectiveKPI
        fields = ObjectiveKPI.EDITABLE_FIELDS
        # Text inputs, not type=number: a browser sends a half-typed number ("1e")
        # as an empty value, which would silently clear the value; the server
        # must see what was typed and answer "Enter a number."
        widgets = {
            "due_date": date_input(),
            **{
                field: forms.TextInput(attrs={"inputmode": "decimal", "size": 8})
                for field in ("baseline", "current", "target")
            },
        }
        error_messages = {
            field: {"invalid": "Enter a number."} for field in ("baseline", "current", "target")
        }


def kpi_loaded_values(kpi: ObjectiveKPI) -> str:
    """A KPI's editable values as its grid row carries them (JSON in a hidden input)."""
    return json.dumps(
        {name: getattr(kpi, name) for name in ObjectiveKPI.EDITABLE_FIELDS}, cls=DjangoJSONEncoder
    )


def _read_loaded_values(text: str) -> dict:
    """The values ``kpi_loaded_values`` wrote, as Python values; ValueError when it is not."""
    try:
        values = json.loads(text)
        return {
            name: ObjectiveKPI._meta.get_field(name).to_python(values[name])
            for name in ObjectiveKPI.EDITABLE_FIELDS
        }
    except (KeyError, TypeError, ValueError, ValidationError) as error:
        raise ValueError(text) from error


class _GridRowField(forms.Field):
    """A grid row's hidden KPI id, checked against the plan's KPIs the formset has read.

    (A model formset's own id field is a ModelChoiceField over every KPI: one
    query per row when the grid is posted, and any plan's KPI passes.)
    """

    widget = forms.HiddenInput
    default_error_messages = {
        "invalid_choice": "This KPI is no longer part of the plan; reload the grid."
    }

    def __init__(self, *, kpis: dict, **kwargs):
        super().__init__(**kwargs)
        self.kpis = kpis

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.kpis[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    def has_changed(self, initial, data) -> bool:
        return str(initial or "") != str(data or "")


class KPIGridRowForm(ObjectiveKPIForm):
    """One row of the grid. It carries the row's values as loaded (``loaded``, hidden), and
    its changed cells are those that differ from them, not from what is stored now: a cell
    someone else saved meanwhile is not the user's change (and the service refuses a cell
    both changed)."""

    loaded = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    # Only on a row added in the grid: which of the plan's objectives the new KPI is for.
    objective = forms.TypedChoiceField(
        label="Objective",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose an objective of this success plan."},
    )

    OUT_OF_DATE = "This grid is out of date; reload the page."
    NO_OBJECTIVE = "Choose the objective this KPI is for."
    #: Due dates read as on every other page ("Jan 30, 2027"); ISO dates are accepted too.
    DATE_FORMATS = ["%b %d, %Y", "%B %d, %Y", "%Y-%m-%d"]

    def __init__(self, *args, objectives: list[Objective] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = {objective.pk: objective for objective in objectives}
        due = self.fields["due_date"]
        due.widget = forms.DateInput(
            format="%b %-d, %Y", attrs={"placeholder": "Jan 30, 2027", "size": 12}
        )
        due.input_formats = self.DATE_FORMATS
        due.error_messages["invalid"] = "Enter a date such as Jan 30, 2027."
        if self.instance.pk is not None:
            self.fields["loaded"].initial = kpi_loaded_values(self.instance)
            del self.fields["objective"]
        else:
            choices = [(objective.pk, objective.name) for objective in objectives]
            self.fields["objective"].choices = [("", "— choose the objective —"), *choices]
            if len(choices) == 1:  # nothing to choose
                self.fields["objective"].initial = choices[0][0]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None:
            objective = self.objectives.get(data.get("objective"))
            if objective is None:
                if "objective" not in self.errors:
                    self.add_error("objective", self.NO_OBJECTIVE)
            else:
                # Set before the model's own checks, which need the KPI's objective.
                self.instance.objective = objective
        return data

    @cached_property
    def loaded_values(self) -> dict | None:
        """The row's values as the grid showed them (None for a row the page never showed,
        or a ``loaded`` value that is not what the page wrote)."""
        if self.instance.pk is None:
            return None
        try:
            return _read_loaded_values(self["loaded"].data or "")
        except ValueError:
            return None

    @cached_property
    def changed_data(self) -> list[str]:
        loaded = self.loaded_values
        if loaded is None:
            return [name for name in super().changed_data if name not in ("loaded", "DELETE")]
        return [
            name
            for name in ObjectiveKPI.EDITABLE_FIELDS
            if self.fields[name].has_changed(loaded[name], self[name].data)
        ]

    def clean_loaded(self) -> str:
        if self.instance.pk is not None and self.loaded_values is None:
            raise ValidationError(self.OUT_OF_DATE, code="out_of_date")
        return self.cleaned_data["loaded"]

    def edits(self) -> tuple[dict, dict]:
        """(the cells the user changed → their values, those cells' values as loaded)."""
        loaded = self.loaded_values or {}
        return (
            {name: self.cleaned_data[name] for name in self.changed_data},
            {name: loaded[name] for name in self.changed_data if name in loaded},
        )


class _PlanKPIGrid(BaseModelFormSet):
    """The Objective KPI Overview grid of one plan: it edits, deletes ("Delete" ticked) and
    adds (rows after the plan's KPIs, each choosing one of ``objectives``) that plan's KPIs,
    and reads them once whatever the number of rows. It takes no more rows than the plan has
    KPIs (plus ``ROW_MARGIN`` new ones), whatever TOTAL_FORMS a post claims."""

    def __init__(self, *args, objectives: list[Objective] = (), **kwargs):
        kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "objectives": objectives}
        super().__init__(*args, **kwargs)
        self.objectives = objectives
        limit_rows(self, len(self._plan_kpis()))

    def _plan_kpis(self) -> dict:
        if not hasattr(self, "_kpis_by_pk"):
            self._kpis_by_pk = {kpi.pk: kpi for kpi in self.get_queryset()}
        return self._kpis_by_pk

    def add_fields(self, form, index):
        super().add_fields(form, index)
        default = form.fields["id"]
        form.fields["id"] = _GridRowField(
            kpis=self._plan_kpis(), initial=default.initial, required=False
        )

    def _deleted(self, form) -> bool:
        return self._should_delete_form(form)

    def edits(self) -> list[tuple[ObjectiveKPI, dict, dict]]:
        """Of a valid grid: (KPI, cells changed → values, those cells as loaded) per edited row."""
        return [
            (form.instance, *form.edits())
            for form in self.initial_forms
            if form.has_changed() and not self._deleted(form)
        ]

    def additions(self) -> list[tuple[Objective, dict]]:
        """Of a valid grid: (objective, the new KPI's cells) per row added and filled in."""
        return [
            (
                form.instance.objective,
                {name: form.cleaned_data.get(name) for name in ObjectiveKPI.EDITABLE_FIELDS},
            )
            for form in self.extra_forms
            if form.has_changed() and not self._deleted(form)
        ]

    def deletions(self) -> list[ObjectiveKPI]:
        """Of a valid grid: the plan's KPIs whose "Delete" is ticked."""
        return [form.instance for form in self.initial_forms if self._deleted(form)]

    def data_after_conflict(self, stored: list[ObjectiveKPI]) -> QueryDict:
        """The grid to show again after a refused save: every row as ``stored`` now, except
        the cells the user changed, which keep what was typed; each row carries its stored
        values as loaded, so saving again replaces them knowingly."""
        typed = {
            form.instance.pk: (form, form.changed_data)
            for form in self.forms
            if form.instance.pk is not None
        }
        added = [form for form in self.extra_forms if form.has_changed()]
        data = QueryDict(mutable=True)
        data[f"{self.prefix}-TOTAL_FORMS"] = len(stored) + len(added)
        data[f"{self.prefix}-INITIAL_FORMS"] = len(stored)
        for index, kpi in enumerate(stored):
            shown = self.form(instance=kpi, prefix=self.add_prefix(index))
            form, changed = typed.get(kpi.pk, (None, ()))
            data[shown.add_prefix("id")] = kpi.pk
            data[shown.add_prefix("loaded")] = kpi_loaded_values(kpi)
            if form is not None and self._deleted(form):
                data[shown.add_prefix("DELETE")] = "on"
            for name in ObjectiveKPI.EDITABLE_FIELDS:
                source = form[name] if name in changed else shown[name]
                value = source.data if name in changed else source.value()
                if isinstance(source.field.widget, forms.CheckboxInput):
                    if value:
                        data[shown.add_prefix(name)] = "on"
                else:  # what was typed, or the stored value as its input shows it (ISO dates)
                    data[shown.add_prefix(name)] = "" if value is None else str(value)
        for index, form in enumerate(added, start=len(stored)):  # the rows added, as typed
            for name in (*ObjectiveKPI.EDITABLE_FIELDS, "objective", "DELETE"):
                if form.add_prefix(name) in form.data:
                    data[self.add_prefix(index) + f"-{name}"] = form.data[form.add_prefix(name)]
        return data


PlanKPIGridFormSet = forms.modelformset_factory(
    ObjectiveKPI,
    form=KPIGridRowForm,
    formset=_PlanKPIGrid,
    extra=0,
    can_delete=True,
)


class CSActivityForm(FieldSetMixin, forms.ModelForm):
    class Meta:
        model = CSActivity
        fields = ["type", "date", "subject", "notes"]
        widgets = {"date": date_input(), "notes": forms.Textarea(attrs={"rows": 3})}
