"""List filters for the Accounts and Engagements pages (query-string driven).

django-filter validates the query string: a bad value (an unknown tier, a
malformed id) shows a message next to the filter instead of a 500.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q

from core.filters import SearchFilter
from core.widgets import SearchSelect

from .models import Account
from .models import Engagement


def _owners(request):
    return get_user_model().objects.filter(is_active=True).order_by("username")


class AccountFilter(django_filters.FilterSet):
    q = SearchFilter(method="search")
    tier = django_filters.ChoiceFilter(choices=Account.Tier.choices, empty_label="Any tier")
    owner = django_filters.ModelChoiceFilter(
        queryset=_owners, empty_label="Any owner", widget=SearchSelect("people")
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("industry", "industry"),
            ("tier", "tier"),
            ("owner__username", "owner"),
            ("engagement_count", "engagements"),
        ),
        label="Sort",
    )

    class Meta:
        model = Account
        fields = ["q", "tier", "owner"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(industry__icontains=value))


class EngagementFilter(django_filters.FilterSet):
    q = SearchFilter(method="search")
    account = django_filters.ModelChoiceFilter(
        queryset=Account.objects.order_by("name"),
        empty_label="Any account",
        widget=SearchSelect("accounts"),
    )
    stage = django_filters.ChoiceFilter(choices=Engagement.Stage.choices, empty_label="Any stage")
    state = django_filters.ChoiceFilter(choices=Engagement.State.choices, empty_label="Any state")
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("account__name", "account"),
            ("stage", "stage"),
            ("state", "state"),
            ("start_date", "start"),
            ("end_date", "end"),
        ),
        label="Sort",
    )

    class Meta:
        model = Engagement
        fields = ["q", "account", "stage", "state"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(account__name__icontains=value))
