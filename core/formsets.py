"""Formsets that build only as many rows as their page could have sent."""

from __future__ import annotations

from django.forms import BaseFormSet

#: Rows a formset takes beyond the ones it has: blank rows a user may add on the page
#: ("Add KPI", "Add business challenge") before saving.
ROW_MARGIN = 20

TOO_MANY_ROWS = "This form takes at most %(num)d rows; save these and add more afterwards."


def limit_rows(formset: BaseFormSet, rows: int, *, margin: int = ROW_MARGIN) -> BaseFormSet:
    """Bound ``formset`` to its ``rows`` (what the data has) plus ``margin``; return it.

    A bound formset builds ``min(TOTAL_FORMS, absolute_max)`` forms, and Django's default
    ``absolute_max`` is 2,000: a post claiming ``TOTAL_FORMS=2147483647`` built, validated
    and rendered 2,000 rows. Bounded here, such a post builds at most ``rows + margin`` and
    is refused with a message at the top of the form (the formset's non-form error). Call it
    before the formset's forms are read.
    """
    if "forms" in formset.__dict__:
        raise RuntimeError("limit_rows() must be called before the formset builds its forms.")
    formset.max_num = formset.absolute_max = rows + margin
    formset.error_messages = {**formset.error_messages, "too_many_forms": TOO_MANY_ROWS}
    return formset


class BoundedChangelistMixin:
    """For a ``ModelAdmin`` with ``list_editable``: its changelist formset takes no more rows
    than one page of the list shows (``list_per_page``) plus ``ROW_MARGIN``; a post claiming
    more is refused with the admin's own message."""

    def get_changelist_formset(self, request, **kwargs):
        limit = self.list_per_page + ROW_MARGIN
        kwargs.setdefault("max_num", limit)
        kwargs.setdefault("absolute_max", limit)
        return super().get_changelist_formset(request, **kwargs)
