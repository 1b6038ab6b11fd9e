"""Forms of the success plan pages. They convert and validate; services save several rows.

Record types: a form built for a record type shows only the optional fields in
its field set (``FieldSetMixin``); the Record Type itself is then fixed and
shown read-only. Without record types the default field set shows every field.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, BaseModelFormSet, inlineformset_factory

from core.widgets import SearchSelect
from engagements.models import Account, Resource

from .models import (
    BusinessChallenge,
    ChallengeCategory,
    CSActivity,
    Objective,
    ObjectiveKPI,
    Playbook,
    PlaybookTask,
    RecordType,
    SuccessPlan,
    field_set_for,
)
from .services import ChallengeChange

RESOURCE_ERROR = "Choose an active resource that is not a PSA resource."


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResourceChoiceField(forms.ModelChoiceField):
    """Only active, non-PSA resources are offered for assignment (searched as you type)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Resource.objects.assignable().select_related("user"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"invalid_choice": RESOURCE_ERROR})
        kwargs.setdefault("widget", SearchSelect("resources"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj) -> str:
        return str(obj)


class ResourcesChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Resource.objects.assignable().select_related("user"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("error_messages", {"invalid_choice": RESOURCE_ERROR})
        super().__init__(**kwargs)

    def label_from_instance(self, obj) -> str:
        return str(obj)


class FieldSetMixin:
    """Drop the optional fields the record type's field set does not show."""

    object_type: str

    def __init__(self, *args, record_type: RecordType | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if record_type is None and instance is not None and instance.pk:
            record_type = instance.record_type
        self.record_type = record_type
        shown = set(field_set_for(self.object_type, record_type))
        for name in RecordType.OPTIONAL_FIELDS[self.object_type]:
            if name not in shown:
                self.fields.pop(name, None)

    def _post_clean(self):
        super()._post_clean()
        # The record type is chosen before the form and never typed in it.
        if hasattr(self, "instance") and self.record_type is not None and not self.instance.pk:
            self.instance.record_type = self.record_type


class DatesInOrderMixin:
    date_fields = ("start_date", "end_date")

    def clean(self):
        data = super().clean()
        start_name, end_name = self.date_fields
        start, end = data.get(start_name), data.get(end_name)
        if start and end and end < start and end_name in self.fields:
            self.add_error(end_name, "The end date cannot be before the start date.")
        return data


class SuccessPlanForm(FieldSetMixin, DatesInOrderMixin, forms.ModelForm):
    object_type = RecordType.ObjectType.SUCCESS_PLAN
    date_fields = ("effective_date", "end_date")
    owner = ResourceChoiceField(label="Owner (allocated resource)")

    class Meta:
        model = SuccessPlan
        fields = [
            "account",
            "name",
            "description",
            "effective_date",
            "end_date",
            "status",
            "owner",
            "is_template",
        ]
        widgets = {
            "effective_date": _date(),
            "end_date": _date(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The widget first: setting the queryset hands the widget its choices.
        self.fields["account"].widget = SearchSelect("accounts")
        self.fields["account"].queryset = Account.objects.order_by("name")
        if self.instance.pk:
            # The effective date moves children too: it is changed on its own page.
            self.fields.pop("effective_date", None)


class BusinessChallengeForm(forms.ModelForm):
    """A business challenge, wherever it is typed: the Business Challenges tab, the plan's
    Related list and the rows of the Create/Edit Success Plan window.

    It belongs to exactly one plan. Given ``plan`` (the Related list; the window's rows get
    theirs from the formset) the form has no Success Plan field. On the Business Challenges
    tab the user chooses the plan when creating; on edit it is shown disabled, and a crafted
    post naming another plan is refused ("A business challenge can only have one success plan").
    """

    class Meta:
        model = BusinessChallenge
        fields = ["plan", "name", "category", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"plan": "Success Plan"}
        error_messages = {
            "plan": {"required": "A business challenge belongs to a success plan: choose one."}
        }

    def __init__(self, *args, plan: SuccessPlan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ChallengeCategory.objects.filter(active=True)
        if plan is not None:
            self.fields.pop("plan", None)
            self.instance.plan = plan
        if not isinstance(self.fields.get("plan"), forms.ModelChoiceField):
            return  # the plan is given (or, in the window, the formset's own hidden field)
        self.fields["plan"].widget = SearchSelect("all-plans", label="success plans")
        self.fields["plan"].queryset = SuccessPlan.objects.select_related("account").order_by(
            "name", "pk"
        )
        if self.instance.pk:
            self.fields["plan"].disabled = True
            self.fields["plan"].help_text = "A business challenge can only have one success plan."

    def clean(self):
        data = super().clean()
        if self.instance.pk and isinstance(self.fields.get("plan"), forms.ModelChoiceField):
            # A disabled field ignores what is posted; say so rather than pretend it moved.
            posted = self.data.get(self.add_prefix("plan"))
            if posted not in (None, "", str(self.instance.plan_id)):
                self.add_error(
                    "plan",
                    "A business challenge can only have one success plan: "
                    f"it stays on “{self.instance.plan.name}”.",
                )
        return data


class _ChallengeFormSet(BaseInlineFormSet):
    """Business challenges added (or deleted) in the Create/Edit Success Plan window."""

    def changes(self) -> list[ChallengeChange]:
        """What the valid window does to the plan's challenges, for the plan services.

        As ``BaseModelFormSet.save()`` would: blank new rows are ignored, unchanged rows kept.
        """
        changes = []
        for form in self.forms:
            existing = form.instance if form.instance.pk else None
            if existing is None and not form.has_changed():
                continue
            delete = self.can_delete and self._should_delete_form(form)
            if existing is not None and not delete and not form.has_changed():
                continue
            data = {name: form.cleaned_data.get(name) for name in ("name", "category", "notes")}
            changes.append(ChallengeChange(data=data, challenge=existing, delete=delete))
        return changes


ChallengeFormSet = inlineformset_factory(
    SuccessPlan,
    BusinessChallenge,
    form=BusinessChallengeForm,
    formset=_ChallengeFormSet,
    fields=["name", "category", "notes"],
    extra=1,
    can_delete=True,
)


_CHILD_WIDGETS = {
    "start_date": _date(),
    "end_date": _date(),
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
        fields = [
            "name",
            "unit",
            "baseline",
            "current",
            "target",
            "direction",
            "due_date",
            "external",
            "blocked",
        ]
        # Text inputs, not type=number: a browser sends a half-typed number ("1e")
        # as an empty value, which would silently clear the value; the server
        # must see what was typed and answer "Enter a number."
        widgets = {
            "due_date": _date(),
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
        widgets = {"date": _date(), "notes": forms.Textarea(attrs={"rows": 3})}


class RecordTypeChoiceForm(forms.Form):
    """Pick a record type before creating a record, when the object has record types."""

    record_type = forms.ModelChoiceField(
        queryset=RecordType.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        label="Record Type",
        error_messages={"required": "Select a record type."},
    )

    def __init__(self, *args, object_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].queryset = RecordType.objects.filter(
            object_type=object_type, active=True
        )


def record_types_for(object_type: str):
    return RecordType.objects.filter(object_type=object_type, active=True)


class EffectiveDateForm(forms.Form):
    """Change effective date: the plan's new effective date (its child records move with it)."""

    effective_date = forms.DateField(
        label="New effective date",
        widget=_date(),
        error_messages={
            "required": "Enter the new effective date.",
            "invalid": "Enter a valid date, such as 2026-01-31.",
        },
    )

    def clean_effective_date(self):
        day = self.cleaned_data["effective_date"]
        # Children sit days or months from the effective date: keep every moved date valid.
        if not 1900 <= day.year <= 2999:
            raise ValidationError("Choose a date between the years 1900 and 2999.")
        return day
