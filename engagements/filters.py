"""List filters for the Accounts and Engagements pages (query-string driven).

django-filter validates the query string: a bad value (an unknown tier, a
malformed id) shows a message next to the filter instead of a 500.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q

from core.filters import SearchFilter
from core.widgets import SearchSelect

from .lookups import PEOPLE
from .models import Account
from .models import Engagement


# -- filters other apps' lists use: accounts, engagements and people grow with the data, so each
# is a search-as-you-type field (the chosen one and 20 matches), never every row in a <select>.
def account_filter(field_name: str = "account", **kwargs) -> django_filters.ModelChoiceFilter:
    """Rows of one account, reached through ``field_name``."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=Account.objects.order_by("name"),
        empty_label="Any account",
        label="Account",
        widget=SearchSelect("accounts"),
        **kwargs,
    )


def engagement_filter(**kwargs) -> django_filters.ModelChoiceFilter:
    """Rows of one engagement."""
    return django_filters.ModelChoiceFilter(
        queryset=Engagement.objects.select_related("account").order_by("account__name", "name"),
        empty_label="Any engagement",
        label="Engagement",
        widget=SearchSelect("engagements"),
        **kwargs,
    )


def person_filter(label: str, **kwargs) -> django_filters.ModelChoiceFilter:
    """Rows of one active user (by full name, as everywhere)."""
    return django_filters.ModelChoiceFilter(
        queryset=PEOPLE.queryset(),
        empty_label="Anyone",
        label=label,
        widget=SearchSelect("people"),
        **kwargs,
    )


def _owners(request):
    return get_user_model().objects.filter(is_active=True).order_by("username")


#: The Accounts list's sortable columns: (field, the ``?sort=`` value). The Account 360's
#: list (``successhub.account_list``) sorts by these and by health.
ACCOUNT_SORTS = (
    ("name", "name"),
    ("industry", "industry"),
    ("tier", "tier"),
    ("owner__username", "owner"),
    ("engagement_count", "engagements"),
)


class AccountFilter(django_filters.FilterSet):
    q = SearchFilter(method="search")
    tier = django_filters.ChoiceFilter(choices=Account.Tier.choices, empty_label="Any tier")
    owner = django_filters.ModelChoiceFilter(
        queryset=_owners, empty_label="Any owner", widget=SearchSelect("people")
    )
    sort = django_filters.OrderingFilter(fields=ACCOUNT_SORTS, label="Sort")

    class Meta:
        model = Account
        fields = ["q", "tier", "owner"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(industry__icontains=value))


class EngagementFilter(django_filters.FilterSet):
    q = SearchFilter(method="search")
    account = account_filter()
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
