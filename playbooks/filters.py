"""All Success Cases: filters, search and sorting from the query string."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from engagements.models import Account, Engagement

from .models import OPEN_PHASES, Phase, SuccessCase

STATE_PHASES = {
    "open": list(OPEN_PHASES),
    "closed": [Phase.CLOSED],
    "canceled": [Phase.CANCELED],
}


class YesNoAnyWidget(django_filters.widgets.BooleanWidget):
    """A yes/no filter whose empty choice reads "Any" (django-filter says "Unknown")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", "Any"), ("true", "Yes"), ("false", "No"))


class SuccessCaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    state = django_filters.ChoiceFilter(
        choices=[("open", "Open"), ("closed", "Closed"), ("canceled", "Canceled")],
        method="filter_state",
        empty_label="Any state",
        label="State",
    )
    phase = django_filters.ChoiceFilter(
        choices=[(p.value, p.label) for p in OPEN_PHASES], empty_label="Any phase", label="Phase"
    )
    account = django_filters.ModelChoiceFilter(
        field_name="engagement__account",
        queryset=Account.objects.order_by("name"),
        empty_label="Any account",
        label="Account",
    )
    engagement = django_filters.ModelChoiceFilter(
        queryset=Engagement.objects.select_related("account").order_by("account__name", "name"),
        empty_label="Any engagement",
        label="Engagement",
    )
    # The people cases are assigned to: EXISTS per user (the index on assigned_to),
    # not a DISTINCT over a join with every case. The account and engagement lists
    # still grow with the data: the shared search-as-you-type widget will replace them.
    assigned_to = django_filters.ModelChoiceFilter(
        queryset=get_user_model()
        .objects.filter(Exists(SuccessCase.objects.filter(assigned_to=OuterRef("pk"))))
        .order_by("username"),
        empty_label="Anyone",
        label="Assigned to",
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine", label="Assigned to me", widget=YesNoAnyWidget
    )
    in_squad = django_filters.BooleanFilter(
        method="filter_in_squad",
        label="I am in the squad",
        widget=YesNoAnyWidget,
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("number", "number"),
            ("short_description", "short_description"),
            ("engagement__name", "engagement"),
            ("engagement__account__name", "account"),
            ("phase", "phase"),
            ("assigned_to__username", "assigned_to"),
            ("opened_at", "opened"),
        ),
        label="Sort",
    )

    class Meta:
        model = SuccessCase
        fields = ["q", "state", "phase", "account", "engagement", "assigned_to"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(short_description__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_state(self, queryset, name, value):
        return queryset.filter(phase__in=STATE_PHASES[value])

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        user = self.request.user
        return queryset.filter(assigned_to=user) if value else queryset.exclude(assigned_to=user)

    def filter_in_squad(self, queryset, name, value):
        if value is None:
            return queryset
        user = self.request.user
        return queryset.filter(squad=user) if value else queryset.exclude(squad=user)
