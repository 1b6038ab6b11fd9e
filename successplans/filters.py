"""The Success Plans tab: filters, search and sorting from the query string.

django-filter validates the query string: a bad value (an unknown status, a
malformed id) shows a message next to the filter instead of a 500.
"""

import django_filters
from django.db.models import Q

from engagements.models import Account, Resource

from .models import Status, SuccessPlan


class _StableOrdering(django_filters.OrderingFilter):
    """Sorting by a column that repeats (status, owner) keeps pages stable: ties go by name."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "name", "pk")
        return qs


class SuccessPlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    account = django_filters.ModelChoiceFilter(
        queryset=Account.objects.order_by("name"), empty_label="Any account"
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=Resource.objects.select_related("user"), empty_label="Any owner"
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    is_template = django_filters.ChoiceFilter(
        choices=[("yes", "Templates only"), ("no", "Plans only")],
        method="filter_template",
        empty_label="Plans and templates",
        label="Template",
    )
    sort = _StableOrdering(
        fields=(
            ("name", "name"),
            ("account__name", "account"),
            ("effective_date", "effective"),
            ("end_date", "end"),
            ("status", "status"),
            # A resource sorts by its user's name (Resource.Meta.ordering).
            ("owner", "owner"),
        ),
        label="Sort",
    )

    class Meta:
        model = SuccessPlan
        fields = ["q", "account", "owner", "status", "is_template"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(description__icontains=value)
            | Q(account__name__icontains=value)
        )

    def filter_template(self, queryset, name, value):
        return queryset.filter(is_template=value == "yes")
