"""The Create/Edit Success Plan window, its business challenges, Change effective date."""

from __future__ import annotations

from django import forms
from django.forms import BaseInlineFormSet
from django.forms import inlineformset_factory

from core.dates import DateInRangeField
from core.forms import date_input
from core.widgets import SearchSelect
from engagements.models import Account

from ..lookups import plan_label
from ..models import BusinessChallenge
from ..models import ChallengeCategory
from ..models import SuccessPlan
from ..services import ChallengeChange
from .fields import DatesInOrderMixin
from .fields import FieldSetMixin
from .fields import ResourceChoiceField


class SuccessPlanForm(FieldSetMixin, DatesInOrderMixin, forms.ModelForm):
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
            "effective_date": date_input(),
            "end_date": date_input(),
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
        plans = SuccessPlan.objects.select_related("account").order_by("name", "pk")
        if self.instance.pk:
            # Shown, not chosen: a plain select of its one plan (nothing to search).
            self.fields["plan"].widget = forms.Select()
            self.fields["plan"].queryset = plans.filter(pk=self.instance.plan_id)
            self.fields["plan"].label_from_instance = plan_label
            self.fields["plan"].disabled = True
            self.fields["plan"].help_text = "A business challenge can only have one success plan."
        else:
            self.fields["plan"].widget = SearchSelect("all-plans", label="success plans")
            self.fields["plan"].queryset = plans

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
    # No blank row to start with: "Add business challenge" adds one (with its Delete box,
    # so a row added by mistake can be dropped before saving).
    extra=0,
    can_delete=True,
)


class EffectiveDateForm(forms.Form):
    """Change effective date: the plan's new effective date (its child records move with it)."""

    # The plan's own date in the range here; its end date and children's moved dates are
    # checked by the service (``plan_change_effective_date``), which names any that would leave it.
    effective_date = DateInRangeField(
        label="New effective date",
        widget=date_input(),
        error_messages={
            "required": "Enter the new effective date.",
            "invalid": "Enter a valid date, such as 2026-01-31.",
        },
    )
