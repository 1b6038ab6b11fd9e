"""Request bodies of the API's writes, read by the pages' own forms.

A write's rules (what is required, which engagements are open, the date range, "the meeting
must end after it starts") live in the page's Django form; the API binds the same form to
the JSON body, so there is one place for them and the messages are the page's, keyed by
field. Two things a form does not do for JSON are done here first:

* **types**: a form turns anything into a string; a JSON list where a text is expected, or
  a number where a list of ids is expected, is refused (``form_serializer`` builds a DRF
  serializer from the form's fields; it is also what the OpenAPI schema shows);
* **unknown fields**: a misspelt field would be dropped silently, so it is a 400.
"""

from __future__ import annotations

from django import forms
from rest_framework import serializers
from rest_framework.exceptions import ValidationError


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not declare (a misspelt field is a 400, not silently dropped)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                known = ", ".join(self.fields) or "none"
                raise ValidationError(
                    {name: [f"Unknown field; this request takes: {known}."] for name in unknown}
                )
        return super().to_internal_value(data)


def _api_field(field: forms.Field, *, optional: bool = False) -> serializers.Field:
    # (``required`` is given to the constructor: DRF copies a field by its arguments)
    common = {
        "required": field.required and not optional,
        "help_text": str(field.help_text or "") or None,
    }
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not field.required, **common)
    if isinstance(field, forms.ChoiceField):
        choices = [(value, label) for value, label in field.choices if value != ""]
        return serializers.ChoiceField(choices=choices, allow_blank=not field.required, **common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(allow_null=not field.required, **common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(allow_null=not field.required, **common)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            coerce_to_string=False,
            allow_null=not field.required,
            **common,
        )
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(allow_null=not field.required, **common)
    return serializers.CharField(
        max_length=getattr(field, "max_length", None),
        allow_blank=not field.required,
        allow_null=not field.required,
        **common,
    )


def form_serializer(
    name: str, form: forms.BaseForm, *, optional: bool = False, **extra: serializers.Field
) -> type[StrictSerializer]:
    """A serializer with ``form``'s fields (and ``extra``): the body's types and schema.

    ``optional``: every field may be left out (a body that depends on the activity's kind).
    """
    attrs: dict[str, serializers.Field] = {}
    for field_name, field in form.fields.items():
        # A field the page's form fills in (a default) may be left out too.
        has_initial = form.get_initial_for_field(field, field_name) not in (None, "", [])
        attrs[field_name] = _api_field(field, optional=optional or has_initial)
    return type(name, (StrictSerializer,), {**attrs, **extra})


def body_of(serializer_class: type[serializers.Serializer], data) -> dict:
    """The body, checked for types and unknown fields (400 otherwise); the raw values."""
    body = serializer_class(data=data)
    body.is_valid(raise_exception=True)
    return {name: value for name, value in data.items() if name in body.fields}


def with_initial(form: forms.BaseForm, body: dict) -> dict:
    """``body`` completed with what the page's form shows before the user types (a task's
    default priority, a case's current core information): a field left out keeps it."""
    data = {}
    for name, field in form.fields.items():
        if name in body:
            continue
        value = form.get_initial_for_field(field, name)
        if isinstance(value, (list, tuple)):
            value = [getattr(item, "pk", item) for item in value]
        elif hasattr(value, "pk"):
            value = value.pk
        if value is not None and value != []:
            data[name] = value
    return data | body


def cleaned(form: forms.BaseForm) -> dict:
    """The form's cleaned data, or a 400 with its messages by field (as the page shows them)."""
    if form.is_valid():
        return form.cleaned_data
    errors = {field_name: list(messages) for field_name, messages in form.errors.items()}
    if "__all__" in errors:
        errors["non_field_errors"] = errors.pop("__all__")
    raise ValidationError(errors)


def prefixed(form_prefix: str | None, body: dict) -> dict:
    """``body`` as the page's form posts it (its fields under the form's prefix)."""
    if not form_prefix:
        return body
    return {f"{form_prefix}-{name}": value for name, value in body.items()}
