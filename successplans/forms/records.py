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
from ..models import RecordType
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

    object_type = RecordType.ObjectType.OBJECTIVE
    resource = ResourceChoiceField()

    class Meta(_PlanChildForm.Meta):
        model = Objective


class PlaybookForm(ObjectiveForm):
    object_type = RecordType.ObjectType.PLAYBOOK

    class Meta(ObjectiveForm.Meta):
        model = Playbook


class PlaybookTaskForm(_PlanChildForm):
    object_type = RecordType.ObjectType.PLAYBOOK_TASK
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

    OUT_OF_DATE = "This grid is out of date; reload the page."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded"].initial = kpi_loaded_values(self.instance)

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
            return [name for name in super().changed_data if name != "loaded"]
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
    """The Objective KPI Overview grid of one plan: it edits that plan's KPIs, never adds one,
    and reads them once whatever the number of rows. It takes no more rows than the plan has
    KPIs (plus ``ROW_MARGIN``), whatever TOTAL_FORMS a post claims."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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

    def clean(self):
        super().clean()
        if any(form.instance.pk is None and form.has_changed() for form in self.forms):
            # A row the page never showed (a crafted post): KPIs are added on their objective.
            raise ValidationError("Only the plan's existing KPIs can be edited in this grid.")

    def edits(self) -> list[tuple[ObjectiveKPI, dict, dict]]:
        """Of a valid grid: (KPI, cells changed → values, those cells as loaded) per edited row."""
        return [(form.instance, *form.edits()) for form in self.forms if form.has_changed()]

    def data_after_conflict(self, stored: list[ObjectiveKPI]) -> QueryDict:
        """The grid to show again after a refused save: every row as ``stored`` now, except
        the cells the user changed, which keep what was typed; each row carries its stored
        values as loaded, so saving again replaces them knowingly."""
        typed = {
            form.instance.pk: (form, form.changed_data)
            for form in self.forms
            if form.instance.pk is not None
        }
        data = QueryDict(mutable=True)
        data[f"{self.prefix}-TOTAL_FORMS"] = data[f"{self.prefix}-INITIAL_FORMS"] = len(stored)
        for index, kpi in enumerate(stored):
            shown = self.form(instance=kpi, prefix=self.add_prefix(index))
            form, changed = typed.get(kpi.pk, (None, ()))
            data[shown.add_prefix("id")] = kpi.pk
            data[shown.add_prefix("loaded")] = kpi_loaded_values(kpi)
            for name in ObjectiveKPI.EDITABLE_FIELDS:
                source = form[name] if name in changed else shown[name]
                value = source.data if name in changed else source.value()
                if isinstance(source.field.widget, forms.CheckboxInput):
                    if value:
                        data[shown.add_prefix(name)] = "on"
                else:  # what was typed, or the stored value as its input shows it (ISO dates)
                    data[shown.add_prefix(name)] = "" if value is None else str(value)
        return data


PlanKPIGridFormSet = forms.modelformset_factory(
    ObjectiveKPI,
    form=KPIGridRowForm,
    formset=_PlanKPIGrid,
    extra=0,
    can_delete=False,
    edit_only=True,
)


class CSActivityForm(FieldSetMixin, forms.ModelForm):
    object_type = RecordType.ObjectType.CS_ACTIVITY

    class Meta:
        model = CSActivity
        fields = ["type", "date", "subject", "notes"]
        widgets = {"date": date_input(), "notes": forms.Textarea(attrs={"rows": 3})}
