from django import forms

from .models import Delivery
from .models import Kind


class PreferencesForm(forms.Form):
    """One choice per kind of notification: email immediately, in the digest, or none."""

    def __init__(self, *args, initial: dict[str, str], **kwargs):
        super().__init__(*args, initial=initial, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose how this notification is delivered."},
            )
