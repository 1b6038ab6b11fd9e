"""Success Plans and Business Challenges tabs: filters, search and sorting (query string).

django-filter validates the query string: a bad value (an unknown status, a
malformed id) shows a message next to the filter instead of a 500.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict

from core.filters import StableOrdering
from core.widgets import SearchSelect
from engagements.filters import account_filter
from engagements.models import Resource

from .models import BusinessChallenge
from .models import ChallengeCategory
from .models import Status
from .models import SuccessPlan


def search_box() -> forms.TextInput:
    """The list's free-text search: a search field (the browser offers to clear it)."""
    return forms.TextInput(attrs={"type": "search", "placeholder": "Search"})


def search_filter(**kwargs) -> django_filters.CharFilter:
    return django_filters.CharFilter(method="search", label="Search", widget=search_box(), **kwargs)


class SuccessPlanFilter(django_filters.FilterSet):
    q = search_filter()
    account = account_filter()
    owner = django_filters.ModelChoiceFilter(
        queryset=Resource.objects.select_related("user"),
        empty_label="Any owner",
        widget=SearchSelect("owners", label="owners"),
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    # Templates are not live plans: the list shows them only when the filter asks for them.
    is_template = django_filters.ChoiceFilter(
        choices=[("no", "Live plans"), ("yes", "Templates")],
        method="filter_template",
        empty_label=None,
        label="Template",
    )
    # Sorting by a column that repeats (status, owner) keeps pages stable: ties go by name.
    sort = StableOrdering(
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
        tie_breakers=("name", "pk"),
    )

    class Meta:
        model = SuccessPlan
        fields = ["q", "account", "owner", "status", "is_template"]

    def __init__(self, data=None, *args, **kwargs):
        # Left out (or empty), the Template filter means live plans, and the filter bar says so.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("is_template"):
            data["is_template"] = "no"
        super().__init__(data, *args, **kwargs)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(description__icontains=value)
            | Q(account__name__icontains=value)
        )

    def filter_template(self, queryset, name, value):
        return queryset.filter(is_template=value == "yes")


class ChallengeFilter(django_filters.FilterSet):
    q = search_filter()
    account = account_filter("plan__account")
    plan = django_filters.ModelChoiceFilter(
        queryset=SuccessPlan.objects.select_related("account").order_by("name", "pk"),
        empty_label="Any success plan",
        label="Success plan",
        widget=SearchSelect("all-plans", label="success plans"),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=ChallengeCategory.objects.all(), empty_label="Any category"
    )
    sort = StableOrdering(
        fields=(
            ("name", "name"),
            ("plan__name", "plan"),
            ("plan__account__name", "account"),
            ("category__name", "category"),
        ),
        label="Sort",
        tie_breakers=("name", "pk"),
    )

    class Meta:
        model = BusinessChallenge
        fields = ["q", "account", "plan", "category"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(notes__icontains=value))
