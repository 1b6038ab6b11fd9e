"""Forms of the account page: facts, a contact, an activity logged on the timeline.

They convert and validate (the model's own rules too); the services write.
"""

from django import forms

from core.dates import DateInRangeField
from core.forms import date_input
from core.forms import long_text
from core.widgets import SearchSelect

from .models import Account
from .models import AccountActivity
from .models import Contact
from .models import Resource
from .validators import validate_phone


class AccountFactsForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = list(Account.FACT_FIELDS)
        labels = {"tier": "Segment", "arr": "ARR"}
        field_classes = {"renewal_date": DateInRangeField}
        widgets = {"renewal_date": date_input(), "csm": SearchSelect("resources", label="CSM")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["csm"].queryset = Resource.objects.assignable().select_related("user")
        self.fields["csm"].error_messages["invalid_choice"] = (
            "Choose an active resource that is not a PSA resource."
        )
        self.fields["arr"].error_messages["invalid"] = "Enter an amount, e.g. 120000."


class ContactForm(forms.ModelForm):
    phone = forms.CharField(max_length=40, required=False, validators=[validate_phone])

    class Meta:
        model = Contact
        fields = ["name", "title", "email", "phone", "role", "is_primary"]
        error_messages = {
            "name": {"required": "Give the contact's name."},
            "email": {"invalid": "Enter an email address like jane@example.com."},
        }


class PrimaryContactForm(forms.ModelForm):
    """The engagement's contact as a success case shows it: the account's primary contact."""

    phone = forms.CharField(max_length=40, required=False, validators=[validate_phone])

    class Meta:
        model = Contact
        fields = ["name", "title", "email", "phone"]
        error_messages = ContactForm.Meta.error_messages

    def _post_clean(self):
        pass  # the service validates and saves (engagements.services.primary_contact_save)


class AccountActivityForm(forms.Form):
    kind = forms.ChoiceField(choices=AccountActivity.Kind.choices, label="Type")
    date = DateInRangeField(widget=date_input(), error_messages={"required": "Choose the day."})
    contacts = forms.ModelMultipleChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Contacts involved",
    )
    text = long_text("What happened", required="Write what happened.")

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        # An account's contacts are a handful: ticked boxes, not a search.
        self.fields["contacts"].queryset = account.contacts.all()
