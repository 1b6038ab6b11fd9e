"""The search-as-you-type field (``core.widgets.SearchSelect``) for several values at once."""

from __future__ import annotations

from django import forms

from core.widgets import SearchSelect


class SearchSelectMultiple(SearchSelect):
    """A ``<select multiple>`` holding the chosen values and the first matches.

    Typing replaces the matches; what was chosen before stays chosen on the page as
    rendered, and the server shows every chosen value first again after each change.
    """

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        self.term = str(data.get(f"{name}_q", ""))[:100].strip()
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty multiple select is never in the posted data
