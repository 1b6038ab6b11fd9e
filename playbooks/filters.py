"""All Success Cases: filters, search and sorting from the query string."""

import django_filters
from django.db.models import Q

from core.filters import SearchFilter
from core.filters import StableOrdering
from core.filters import YesNoFilter
from engagements.filters import account_filter
from engagements.filters import engagement_filter
from engagements.filters import person_filter

from .models import OPEN_PHASES
from .models import Phase
from .models import SuccessCase

STATE_PHASES = {
    "open": list(OPEN_PHASES),
    "closed": [Phase.CLOSED],
    "canceled": [Phase.CANCELED],
}


class SuccessCaseFilter(django_filters.FilterSet):
    q = SearchFilter(method="search")
    state = django_filters.ChoiceFilter(
        choices=[("open", "Open"), ("closed", "Closed"), ("canceled", "Canceled")],
        method="filter_state",
        empty_label="Any state",
        label="State",
    )
    phase = django_filters.ChoiceFilter(
        choices=[(p.value, p.label) for p in OPEN_PHASES], empty_label="Any phase", label="Phase"
    )
    # Accounts, engagements and people grow with the data: search-as-you-type fields
    # (the chosen one and 20 matches), never every row in a <select>.
    account = account_filter("engagement__account")
    engagement = engagement_filter()
    assigned_to = person_filter("Assigned to")
    mine = YesNoFilter(method="filter_mine", label="Assigned to me")
    in_squad = YesNoFilter(method="filter_in_squad", label="I am in the squad")
    sort = StableOrdering(
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
