"""Create Success Plan in one window: blank or from a template, the record type and the
plan's first fields together (as Certinia's Actions panel does).

A blank plan is created from here at once; a template's choice goes on to its Select
Records grid with these fields as the plan's details (``views.plans.plan_create``).
"""

from __future__ import annotations

from django import forms

from core.dates import DateInRangeField
from core.forms import date_input
from core.widgets import SearchSelect
from engagements.models import Account

from ..models import RecordType
from ..models import SuccessPlan
from .fields import ResourceChoiceField
from .fields import record_types_for
from .template_rows import same_name
from .template_rows import template_name_message

BLANK = "blank"


class PlanStartForm(forms.Form):
    start = forms.ChoiceField(
        label="Start from",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a blank plan or a template.",
            "invalid_choice": "That template is no longer offered: choose another one.",
        },
    )
    record_type = forms.ModelChoiceField(
        queryset=RecordType.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
        label="Record Type",
        help_text="Of a blank plan; a plan from a template has the template's.",
    )
    account = forms.ModelChoiceField(
        queryset=Account.objects.order_by("name"),
        widget=SearchSelect("accounts"),
        error_messages={
            "required": "A success plan needs an account.",
            "invalid_choice": "Choose an existing account.",
        },
    )
    name = forms.CharField(
        max_length=200,
        required=False,
        help_text="From a template, left empty: the account's name and the template's.",
    )
    effective_date = DateInRangeField(widget=date_input())
    owner = ResourceChoiceField(label="Owner (allocated resource)")

    def __init__(self, *args, templates: list[SuccessPlan], **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {str(template.pk): template for template in templates}
        self.fields["start"].choices = [(BLANK, "Blank success plan")] + [
            (key, template.name) for key, template in self.templates.items()
        ]
        types = record_types_for(RecordType.ObjectType.SUCCESS_PLAN)
        if types.exists():
            self.fields["record_type"].queryset = types
        else:
            del self.fields["record_type"]

    def template(self) -> SuccessPlan | None:
        """The template chosen (after validation), or None for a blank plan."""
        return self.templates.get(self.cleaned_data.get("start", ""))

    def clean(self):
        data = super().clean()
        start, name, account = data.get("start"), data.get("name", ""), data.get("account")
        if start == BLANK:
            if not name:
                self.add_error("name", "A blank plan needs a name.")
            if "record_type" in self.fields and data.get("record_type") is None:
                self.add_error("record_type", "Select a record type.")
        elif start in self.templates:
            template = self.templates[start]
            if not name and account is not None:
                data["name"] = f"{account.name}: {template.name}"
            elif not name:
                self.add_error("name", "Name the plan, or choose its account.")
            elif same_name(name, template.name):
                self.add_error("name", template_name_message(template.name))
        return data
