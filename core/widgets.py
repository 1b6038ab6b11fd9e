"""The one search-as-you-type widget for model choices (filters and forms alike)."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from . import search


class SearchSelect(forms.Select):
    """A ``<select>`` holding only the chosen value and the first matches, with a search box.

    Typing in the box asks ``/search/<lookup>/`` (htmx) for matching ``<option>``s.
    Without JavaScript the box is an ordinary field ``<name>_q``: submitting the
    form shows the options matching it, so the widget works as a plain form too.
    """

    template_name = "core/widgets/search_select.html"

    def __init__(
        self, lookup: str, attrs=None, *, label: str | None = None, limit: int = search.LIMIT
    ):
        super().__init__(attrs)
        self.lookup = lookup
        self.label = label or lookup.replace("-", " ")
        self.limit = limit
        self.term = ""

    def read_term(self, data, name: str) -> None:
        """Keep what was typed in the search box (``<name>_q``) for the next render."""
        self.term = str(data.get(f"{name}_q", ""))[:100].strip()

    def value_from_datadict(self, data, files, name):
        self.read_term(data, name)
        return super().value_from_datadict(data, files, name)

    def get_context(self, name, value, attrs):
        lookup = search.get(self.lookup)
        rows = getattr(self.choices, "queryset", None)
        empty_label = ""
        if lookup is not None and rows is not None:
            empty_label = self.choices.field.empty_label or ""
            empty = [("", empty_label)] if empty_label else []
            selected = value if isinstance(value, list | tuple) else [value]
            self.choices = empty + lookup.options(rows, self.term, selected, self.limit)
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            term=self.term,
            empty_label=empty_label,
            lookup_label=self.label,
            search_url=reverse("core:search", args=[self.lookup]),
        )
        return context
