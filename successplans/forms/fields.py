"""What every success plan form shares: resource fields, record type field sets, dates."""

from __future__ import annotations

from django import forms

from core.widgets import SearchSelect
from engagements.models import Resource

from ..models import RecordType
from ..models import field_set_for
from ..widgets import SearchSelectMultiple

RESOURCE_ERROR = "Choose an active resource that is not a PSA resource."


class _AssignableResources:
    """Only active, non-PSA resources are offered for assignment (searched as you type)."""

    search_widget: type

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Resource.objects.assignable().select_related("user"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"invalid_choice": RESOURCE_ERROR})
        kwargs.setdefault("widget", self.search_widget("resources"))
        super().__init__(**kwargs)


class ResourceChoiceField(_AssignableResources, forms.ModelChoiceField):
    """One resource (an objective's, a playbook's, a plan's owner)."""

    search_widget = SearchSelect


class ResourcesChoiceField(_AssignableResources, forms.ModelMultipleChoiceField):
    """Several resources (a playbook task's): the chosen ones stay ticked while searching."""

    search_widget = SearchSelectMultiple


class FieldSetMixin:
    """Drop the optional fields the record type's field set does not show.

    The record types are those of the form's model: its Record Type field
    (``record_type_field``) names their object, so a form never says it again.
    """

    @property
    def object_type(self) -> str:
        record_type = self._meta.model._meta.get_field("record_type")
        return record_type.remote_field.limit_choices_to["object_type"]

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
        self.fields["record_type"].queryset = record_types_for(object_type)


def record_types_for(object_type: str):
    return RecordType.objects.filter(object_type=object_type, active=True)
