"""Form widgets every app uses: the browser's own date pickers."""

from django import forms

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
