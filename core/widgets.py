"""The one search-as-you-type widget for model choices (filters and forms alike)."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import format_html_join

from . import search
from .ids import LARGEST_ID


class _TypedTerm:
    """What both search widgets share: the lookup, the limit, and the text typed in the
    search box (``<name>_q``), kept for the next render."""

    def __init__(self, lookup: str, attrs=None, *, limit: int = search.LIMIT):
        super().__init__(attrs)
        self.lookup = lookup
        self.limit = limit
        self.term = ""

    def read_term(self, data, name: str) -> None:
        """Keep what was typed in the search box (``<name>_q``) for the next render."""
        self.term = str(data.get(f"{name}_q", ""))[:100].strip()

    def value_from_datadict(self, data, files, name):
        self.read_term(data, name)
        return super().value_from_datadict(data, files, name)


class SearchSelect(_TypedTerm, forms.Select):
    """A ``<select>`` holding only the chosen value and the first matches, with a search box.

    Typing in the box asks ``/search/<lookup>/`` (htmx) for matching ``<option>``s.
    Without JavaScript the box is an ordinary field ``<name>_q``: submitting the
    form shows the options matching it, so the widget works as a plain form too.
    """

    template_name = "core/widgets/search_select.html"

    def __init__(
        self, lookup: str, attrs=None, *, label: str | None = None, limit: int = search.LIMIT
    ):
        super().__init__(lookup, attrs, limit=limit)
        self.label = label or lookup.replace("-", " ")

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
            options_html=_Options(context["widget"]),
            term=self.term,
            empty_label=empty_label,
            lookup_label=self.label,
            search_url=reverse("core:search", args=[self.lookup]),
        )
        return context


class _Options:
    """The ``<option>``s of the widget's ``optgroups`` as they are when the template prints
    them (a subclass may change them after ``SearchSelect.get_context``)."""

    def __init__(self, widget: dict) -> None:
        self.widget = widget

    def __html__(self) -> str:
        return _options_html(self.widget["optgroups"])

    __str__ = __html__


def _options_html(optgroups) -> str:
    """The ``<option>``s of Django's ``select.html`` for ungrouped choices, written here: the
    template's loop cost more than the rest of a filter bar's field (a test compares them)."""
    return format_html_join(
        "",
        '\n  <option value="{}"{}>{}</option>\n',
        (
            (
                option["value"],
                " selected" if option["attrs"].get("selected") else "",
                option["label"],
            )
            for _, options, _ in optgroups
            for option in options
        ),
    )


def _ids(values) -> list[str]:
    """The values that can be ids of rows (digits within 64 bits), as strings."""
    return [str(v) for v in values if str(v).isdigit() and int(str(v)) <= LARGEST_ID]


class SearchRadios(_TypedTerm, forms.RadioSelect):
    """One type-ahead field: a search box whose matches are radio choices under it.

    Typing asks ``/search/<lookup>/?as=radios`` (htmx) for the matching choices; without
    JavaScript, submitting the form with text typed and nothing chosen shows them (the form
    field says so: ``core.forms.SearchChoiceField``). The chosen row stays first. Radios keep
    the keyboard native (Tab into the group, arrows move the choice, Enter submits; ArrowDown
    in the box jumps to the matches) and a polite live region reads how many matched.
    """

    template_name = "core/widgets/search_radios.html"
    use_fieldset = False  # the label names the search box; the matches are a radiogroup

    def id_for_label(self, id_, index=None):
        return f"{id_}_q" if id_ and index is None else id_

    def get_context(self, name, value, attrs):
        lookup = search.get(self.lookup)
        rows = getattr(self.choices, "queryset", None)
        selected = _ids(value if isinstance(value, list | tuple) else [value])
        options, more = [], False
        if lookup is not None and rows is not None:
            options, more = radio_choices(lookup, rows, self.term, selected, self.limit)
        self.choices = options
        # The radios are the results template's (as the endpoint renders them), not optgroups.
        context = forms.Widget.get_context(self, name, value, attrs)
        id_ = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"].update(
            term=self.term,
            search_url=reverse("core:search", args=[self.lookup]),
            # Django points these at the field's help and errors; the search box carries them.
            described_by=context["widget"]["attrs"].get("aria-describedby", ""),
            invalid=context["widget"]["attrs"].get("aria-invalid") == "true",
            results=radio_results(lookup, name, id_, options, selected, self.term, more),
        )
        return context


def radio_choices(lookup, rows, term: str, selected, limit: int):
    """``(options, more)``: the selected rows, then up to ``limit`` matches of ``term``
    (none while nothing is typed), and whether more rows match."""
    selected = _ids(selected)
    if not term:
        return (lookup.options(rows, "", selected, 0) if selected else []), False
    options = lookup.options(rows, term, selected, limit + 1)
    more = sum(1 for value, _ in options if value not in selected) > limit
    return (options[:-1] if more else options), more


def radio_results(lookup, name: str, id_: str, options, selected, term: str, more) -> dict:
    """What ``core/widgets/search_radios_results.html`` shows: the radios and the status
    line that the live region reads."""
    found = sum(1 for value, _ in options if value not in selected)
    one, many = (lookup.singular, lookup.plural) if lookup else ("match", "matches")
    if not term:
        status = f"Type part of a name to find {many}."
    elif more:
        status = f"The first {found} {many} matching “{term}”; type more to narrow."
    elif found:
        status = f"{found} {one} matches “{term}”." if found == 1 else ""
        status = status or f"{found} {many} match “{term}”."
    else:
        status = f"No {one} matches “{term}”."
    return {
        "name": name,
        "id": id_,
        "options": [(value, label, value in selected) for value, label in options],
        "status": status,
        "label": f"Matching {many}",
    }
