"""The search-as-you-type field (``core.widgets.SearchSelect``) for several values at once."""

from __future__ import annotations

from django import forms

from core.widgets import SearchSelect


class SearchSelectMultiple(SearchSelect):
    """Several values: the chosen ones as ticked boxes, a search box and a select to add more.

    The chosen values stay out of the ``<select>``: typing replaces its options with the
    matches (htmx), which would otherwise drop what was chosen before. Both post the same
    name, so the form reads the ticked boxes plus what is selected.
    """

    allow_multiple_selected = True
    template_name = "successplans/widgets/search_select_multiple.html"

    def value_from_datadict(self, data, files, name):
        self.read_term(data, name)
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty multiple select is never in the posted data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen, groups = [], []
        for group, options, index in context["widget"]["optgroups"]:
            chosen += [option for option in options if option["selected"]]
            groups.append((group, [o for o in options if not o["selected"]], index))
        context["widget"].update(optgroups=groups, chosen=chosen)
        return context
