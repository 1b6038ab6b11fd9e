"""Dates of an objective, playbook or playbook task moved on the Success Tracker.

The same model form as the record's Edit (its model's date validation: the date range,
the database's check constraints, dates in order), narrowed to the two dates, which are
required here: a bar always has both.
"""

from __future__ import annotations

from django import forms
from django.db.models import Model

from core.forms import date_input


class _RecordDatesForm(forms.ModelForm):
    # Dates in order: the model's own clean() (``check_dates``) says so, as on Edit.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (("start_date", "Start date"), ("end_date", "End date")):
            field = self.fields[name]
            field.required = True
            field.error_messages["required"] = f"Enter the {label.lower()}."
            field.error_messages["invalid"] = "Enter a real date (YYYY-MM-DD)."

    def _post_clean(self):
        # A date missing or not a date: the model's checks would compare the other one with
        # the stored date and say something beside the point; one message is enough.
        if any(name in self._errors for name in ("start_date", "end_date")):
            return
        super()._post_clean()


def record_dates_form(model: type[Model]) -> type[forms.ModelForm]:
    """The Dates form of ``model`` (Objective, Playbook or PlaybookTask)."""
    return forms.modelform_factory(
        model,
        form=_RecordDatesForm,
        fields=["start_date", "end_date"],
        widgets={"start_date": date_input(), "end_date": date_input()},
    )
