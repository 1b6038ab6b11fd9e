"""Forms of the success case pages. They convert and validate; services change rows."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists
from django.db.models import OuterRef

from core.dates import DateInRangeField
from core.dates import MomentInRangeField
from core.formatting import person
from core.forms import SearchChoiceField
from core.forms import date_input
from core.forms import datetime_input
from core.forms import long_text
from core.roles import Role
from core.widgets import SearchRadios
from core.widgets import SearchSelect
from engagements.models import Engagement

from .models import ActivityKind
from .models import CaseTask
from .models import ClosureCode
from .models import Meeting
from .models import PlaybookDefinition
from .models import PlaybookVersion
from .models import SuccessCase

User = get_user_model()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person(obj)


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return person(obj)


def users_with_roles(*roles: str):
    """Active users holding one of ``roles`` (any SuccessHub role when none is given)."""
    names = [str(r) for r in roles] or list(Role.values)
    return (
        User.objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class NewCaseForm(forms.Form):
    """The Select engagement step: Number (shown) and Engagement, then Continue."""

    number = forms.CharField(required=False, widget=forms.HiddenInput)
    # One type-ahead box; its matches are radios (core.widgets.SearchRadios).
    engagement = SearchChoiceField(
        queryset=Engagement.objects.filter(state__in=Engagement.OPEN_STATES)
        .select_related("account")
        .order_by("account__name", "name"),
        empty_label=None,
        widget=SearchRadios(
            "case-engagements", attrs={"placeholder": "Type an account or engagement name"}
        ),
        error_messages={
            "choose": "Choose the engagement from the matches below.",
            "required": "Select the engagement for which the success case is being created.",
            "invalid_choice": "Select an open engagement from the list.",
        },
    )
    # Admin-defined playbooks: a handful, so a plain select (the default first and chosen).
    playbook = forms.ModelChoiceField(
        queryset=PlaybookDefinition.objects.filter(
            Exists(PlaybookVersion.objects.filter(definition=OuterRef("pk")))
        ).order_by("-is_default", "name"),
        label="Playbook",
        empty_label=None,
        required=False,  # a post without it (the API's, older forms) takes the default
        error_messages={"invalid_choice": "Choose one of the playbooks in the list."},
    )


class _CaseCoreFieldsForm(forms.ModelForm):
    """A case's core information fields, entered (Core information) or edited (Edit): a short
    description, planned dates in the date range and in order, and an Assigned to among the
    agents the subclass names."""

    description_rows = 3

    class Meta:
        model = SuccessCase
        fields = SuccessCase.CORE_INFORMATION_FIELDS
        # Model validation is skipped (``_post_clean``): the date range is checked here.
        field_classes = {"planned_start": DateInRangeField, "planned_end": DateInRangeField}
        widgets = {
            "planned_start": date_input(),
            "planned_end": date_input(),
            "description": forms.Textarea,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["short_description"].required = True
        self.fields["description"].widget.attrs["rows"] = self.description_rows
        self.fields["assigned_to"].queryset = self.agents()

    def agents(self):
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "The planned end cannot be before the planned start.")
        return data

    def _post_clean(self):
        # The service saves the changes; the protected phase field must not be touched here.
        pass


class CoreInformationForm(_CaseCoreFieldsForm):
    """Enter core information."""

    assigned_to = UserChoiceField(queryset=User.objects.none(), required=False)

    def agents(self):
        return users_with_roles(Role.SUCCESS_AGENT)


class SquadForm(forms.Form):
    """Add squad: one or more Success Agents or Customer Success members."""

    squad = UsersChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select one or more squad members."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["squad"].queryset = users_with_roles(Role.SUCCESS_AGENT, Role.CUSTOMER_SUCCESS)


class CommentForm(forms.Form):
    text = long_text("Additional comments (customer visible)", required="Enter a comment.", rows=4)


class WorkNoteForm(forms.Form):
    text = long_text(
        "Work notes (internal)", required="Enter the action plan as a work note.", rows=4
    )


class CloseRecordForm(forms.Form):
    closure_code = forms.ModelChoiceField(
        queryset=ClosureCode.objects.filter(active=True),
        error_messages={
            "required": "Select the Closure code.",
            "invalid_choice": "Select a closure code from the list.",
        },
    )
    close_notes = long_text(required="Enter the Close notes.")


class NoInputForm(forms.Form):
    """Related meeting and Related work ask for nothing but their gate."""


ACTIVITY_FORMS: dict[str, type[forms.Form]] = {
    ActivityKind.SELECT_ENGAGEMENT: NoInputForm,
    ActivityKind.CORE_INFORMATION: CoreInformationForm,
    ActivityKind.ADD_SQUAD: SquadForm,
    ActivityKind.COMMENT: CommentForm,
    ActivityKind.WORK_NOTE: WorkNoteForm,
    ActivityKind.RELATED_MEETING: NoInputForm,
    ActivityKind.RELATED_WORK: NoInputForm,
    ActivityKind.CLOSE_RECORD: CloseRecordForm,
}


def activity_form(activity, case: SuccessCase, data=None) -> forms.Form:
    """The form of ``activity``'s kind, filled with the case's current values."""
    form_class = ACTIVITY_FORMS[activity.kind]
    prefix = f"a{activity.pk}"
    if form_class is CoreInformationForm:
        return form_class(data, instance=case, prefix=prefix)
    if form_class is SquadForm:
        return form_class(data, initial={"squad": list(case.squad.all())}, prefix=prefix)
    if form_class is CloseRecordForm:
        initial = {"closure_code": case.closure_code_id, "close_notes": case.close_notes}
        return form_class(data, initial=initial, prefix=prefix)
    return form_class(data, prefix=prefix)


class MeetingForm(forms.ModelForm):
    attendees = UsersChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Meeting
        fields = [
            "subject",
            "start",
            "end",
            "attendees",
            "external_attendees",
            "location",
            "agenda",
            "notes",
        ]
        # Model validation is skipped (``_post_clean``): the date range is checked here.
        field_classes = {"start": MomentInRangeField, "end": MomentInRangeField}
        widgets = {
            "start": datetime_input(),
            "end": datetime_input(),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"location": "Location or link"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = users_with_roles()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", "The meeting must end after it starts.")
        return data

    def _post_clean(self):
        pass  # the service saves; the protected state field is not touched here


class TaskForm(forms.ModelForm):
    assigned_to = UserChoiceField(
        queryset=User.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Assign the task to a user with a SuccessHub role."},
    )

    class Meta:
        model = CaseTask
        fields = ["short_description", "description", "assigned_to", "priority", "due_date"]
        # Model validation is skipped (``_post_clean``): the date range is checked here.
        field_classes = {"due_date": DateInRangeField}
        widgets = {"due_date": date_input(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = users_with_roles()

    def _post_clean(self):
        pass


class CancelForm(forms.Form):
    reason = long_text("Reason for canceling", required="Give a reason for canceling.")


class CloseForm(CloseRecordForm):
    """Close success case (at any phase): the closure code and close notes, filled with what
    Close record saved; either may be left out when the case already has it."""

    def __init__(self, *args, case: SuccessCase, **kwargs):
        kwargs.setdefault(
            "initial", {"closure_code": case.closure_code_id, "close_notes": case.close_notes}
        )
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["closure_code"].required = False
        self.fields["close_notes"].required = False

    def clean(self):
        data = super().clean()
        if "closure_code" in data and not (data["closure_code"] or self.case.closure_code):
            self.add_error("closure_code", "Select the Closure code.")
        if "close_notes" in data and not (data["close_notes"] or self.case.close_notes).strip():
            self.add_error("close_notes", "Enter the Close notes.")
        return data


class StreamForm(forms.Form):
    """The activity stream's compose box: a comment for the customer or an internal note."""

    kind = forms.ChoiceField(
        label="Post as",
        choices=[
            ("comment", "Comment — customer visible"),
            ("work_note", "Work note — internal"),
        ],
        initial="work_note",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Comment or Work note."},
    )
    text = long_text("Text", required="Enter a comment or work note.", rows=3)


class CaseEditForm(_CaseCoreFieldsForm):
    """Edit a case after core information: its fields, and Assigned to (hand it over)."""

    assigned_to = UserChoiceField(
        queryset=User.objects.none(),
        label="Assigned to",
        widget=SearchSelect("success-agents", label="Success Agents"),
        error_messages={
            "required": "Assign the case to a Success Agent.",
            "invalid_choice": "Choose a Success Agent from the list.",
        },
    )

    description_rows = 4

    def agents(self):
        from .services import squad

        return squad.success_agents()
