"""Form fields every app uses: date pickers, long texts, the search-as-you-type choice."""

from django import forms

from . import search
from .text import LONG_TEXT


def date_input(**attrs) -> forms.DateInput:
    """An ``<input type="date">`` that shows and reads ISO dates."""
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def datetime_input(**attrs) -> forms.DateTimeInput:
    """An ``<input type="datetime-local">`` that shows and reads ISO moments to the minute."""
    return forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format="%Y-%m-%dT%H:%M")


def long_text(
    label: str | None = None, *, required: str, rows: int = 3, **kwargs
) -> forms.CharField:
    """A required free text of at most ``core.text.LONG_TEXT`` characters in a textarea;
    ``required`` is the message shown next to it when it is left empty."""
    return forms.CharField(
        label=label,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required},
        **kwargs,
    )


class SearchChoiceField(forms.ModelChoiceField):
    """The model choice of a ``core.widgets.SearchRadios`` box.

    With text typed and nothing chosen (a form sent without JavaScript, or Enter pressed
    before the matches came), it says what to do next to the field: choose one of the
    matches now listed, or, when nothing matches, that nothing does.
    """

    def __init__(self, *args, widget, **kwargs):
        super().__init__(*args, widget=widget, **kwargs)
        self.error_messages.setdefault("choose", "Choose one of the matches below.")

    def clean(self, value):
        term = getattr(self.widget, "term", "")
        if value in self.empty_values and term:
            lookup = search.get(self.widget.lookup)
            if lookup is not None and not lookup.search(self.queryset, term).exists():
                raise forms.ValidationError(
                    f"No {lookup.singular} matches “{term}”: type part of its name.",
                    code="no_match",
                )
            raise forms.ValidationError(self.error_messages["choose"], code="choose")
        return super().clean(value)
