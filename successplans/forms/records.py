"""The forms of a plan's related records: objectives, playbooks, playbook tasks, CS activities,
objective KPIs and the Objective KPI Overview grid."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseModelFormSet

from core.forms import date_input

from ..models import (
    CSActivity,
    Objective,
    ObjectiveKPI,
    Playbook,
    PlaybookTask,
    RecordType,
    SuccessPlan,
)
from .fields import DatesInOrderMixin, FieldSetMixin, ResourceChoiceField, ResourcesChoiceField

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
    object_type = RecordType.ObjectType.OBJECTIVE
    resource = ResourceChoiceField()

    class Meta(_PlanChildForm.Meta):
        model = Objective


class PlaybookForm(_PlanChildForm):
    object_type = RecordType.ObjectType.PLAYBOOK
    resource = ResourceChoiceField()

    class Meta(_PlanChildForm.Meta):
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


class _PlanKPIGrid(BaseModelFormSet):
    """The Objective KPI Overview grid of one plan: it edits that plan's KPIs, never adds one,
    and reads them once whatever the number of rows."""

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


PlanKPIGridFormSet = forms.modelformset_factory(
    ObjectiveKPI,
    form=ObjectiveKPIForm,
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
