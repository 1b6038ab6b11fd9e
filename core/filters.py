"""List-filter building blocks shared by every list (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms


class StableOrdering(django_filters.OrderingFilter):
    """Sorting by a column that repeats (state, owner) keeps pages stable.

    Ties are broken by ``tie_breakers`` (default ``-pk``) after the chosen
    column, so a row never appears on two pages.
    """

    def __init__(self, *args, tie_breakers: tuple[str, ...] = ("-pk",), **kwargs):
        self.tie_breakers = tie_breakers
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, *self.tie_breakers)


_YES = ("true", "yes", "1")
_NO = ("false", "no", "0")


class YesNoAnyWidget(django_filters.widgets.BooleanWidget):
    """A yes/no filter whose empty choice reads "Any" (django-filter says "Unknown").

    It reads ``true``/``false`` and, for older links, ``yes``/``no``; anything else is
    handed to the field as it is, so the field can say it is not a valid choice.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", "Any"), ("true", "Yes"), ("false", "No"))

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if not isinstance(value, str) or value == "":
            return None
        if value.lower() in _YES:
            return True
        if value.lower() in _NO:
            return False
        return value


class YesNoField(forms.NullBooleanField):
    def to_python(self, value):
        if value in (None, True, False):
            return value
        raise forms.ValidationError("Select a valid choice.", code="invalid_choice")

    def validate(self, value):
        pass


class YesNoFilter(django_filters.BooleanFilter):
    """The one yes/no filter of every list: Any / Yes / No, ``?name=true|false``."""

    field_class = YesNoField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YesNoAnyWidget)
        super().__init__(*args, **kwargs)


class SearchFilter(django_filters.CharFilter):
    """A list's free-text search box (``?q=``); the FilterSet's ``method`` says what it searches."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Search")
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "search", "placeholder": "Search"})
        )
        super().__init__(*args, **kwargs)
