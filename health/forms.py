"""Forms of the account page's health panel: a manual measure, an override."""

from django import forms
from django.utils import timezone

from core.dates import DateInRangeField
from core.forms import date_input
from core.forms import long_text

from .models import Colour
from .models import Measure
from .models import Rule


class ManualValueForm(forms.Form):
    measure = forms.ModelChoiceField(
        queryset=Measure.objects.filter(rule=Rule.MANUAL, active=True),
        empty_label=None,
        error_messages={"invalid_choice": "Choose a manual measure."},
    )
    value = forms.ChoiceField(
        choices=Colour.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose red, amber or green."},
    )
    note = long_text(required="Say why: a note is required.")


class OverrideForm(forms.Form):
    score = forms.IntegerField(
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Give the score (0 to 100).",
            "invalid": "Give the score as a whole number from 0 to 100.",
            "min_value": "A score is between 0 and 100.",
            "max_value": "A score is between 0 and 100.",
        },
    )
    expires_on = DateInRangeField(
        label="Until",
        widget=date_input(),
        help_text="The last day the override applies.",
        error_messages={"required": "Choose the last day the override applies."},
    )
    reason = long_text(required="Say why the score is overridden: a reason is required.")

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day < timezone.localdate():
            raise forms.ValidationError("The expiry date cannot be in the past.")
        return day
