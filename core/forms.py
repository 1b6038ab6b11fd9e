"""Form widgets every app uses: the browser's own date pickers."""

from django import forms


def date_input(**attrs) -> forms.DateInput:
    """An ``<input type="date">`` that shows and reads ISO dates."""
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def datetime_input(**attrs) -> forms.DateTimeInput:
    """An ``<input type="datetime-local">`` that shows and reads ISO moments to the minute."""
    return forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format="%Y-%m-%dT%H:%M")
