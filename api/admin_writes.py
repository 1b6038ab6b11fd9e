"""Admin writes of accounts, engagements and resources through the API.

The admins' records (the Django admin and the CRM import keep them): only a staff user
holding the model's add/change/delete permission writes, as the Django admin asks; every
other caller reads (``view``) and gets 403 for a write, with nothing changed. A model form
reads the body (the fields, uniqueness, the model's ``clean()``: "The end date cannot be
before the start date."), ``engagements.records`` writes it. ``PATCH`` sends what changes.
"""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_view
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from engagements import records
from engagements.models import Account
from engagements.models import Engagement
from engagements.models import Resource

from .inputs import body_of
from .inputs import cleaned
from .inputs import form_serializer
from .inputs import with_initial
from .permissions import ModelPermissions
from .schema import answered
from .schema import created
from .schema import deleted


class AccountForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ["name", "industry", "tier", "owner", "external_id"]


class EngagementForm(forms.ModelForm):
    class Meta:
        model = Engagement
        fields = ["account", "name", "stage", "state", "start_date", "end_date", "owner"]
        fields += ["external_id"]


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["user", "title", "is_active", "is_psa", "external_id"]


class AdminWritePermission(ModelPermissions):
    """Reads: the ``view`` permission (every role). Writes: staff with the model permission."""

    def has_permission(self, request, view) -> bool:
        if request.method not in SAFE_METHODS and not request.user.is_staff:
            return False
        return super().has_permission(request, view)


def _number(pk: str) -> int:
    if not (pk.isascii() and pk.isdigit()):
        raise NotFound
    return int(pk)


class AdminWrites:
    """``POST`` on the list, ``PATCH`` and ``DELETE`` on a record (mixed into a viewset whose
    ``write_form`` reads the body and whose ``read_one`` gives the answer's row)."""

    permission_classes = [AdminWritePermission]
    http_method_names = ["get", "head", "post", "patch", "delete"]
    write_form: type[forms.ModelForm]
    write_inputs: tuple[type, type]  # the bodies of POST and of PATCH (every field optional)

    def _answer(self, record, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.list_queryset().get(pk=record.pk)
        return Response(self.serializer_class(fresh).data, status=code)

    def create(self, request: Request) -> Response:
        body = body_of(self.write_inputs[0], request.data)
        form = self.write_form(with_initial(self.write_form(), body))
        record = records.record_save(record=form.instance, data=cleaned(form))
        return self._answer(record, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        record = get_object_or_404(self.write_form._meta.model, pk=_number(pk))
        body = body_of(self.write_inputs[1], request.data)
        shown = self.write_form(instance=record)
        form = self.write_form(with_initial(shown, body), instance=record)
        records.record_save(record=record, data=cleaned(form))
        return self._answer(record)

    def destroy(self, request: Request, pk: str) -> Response:
        record = get_object_or_404(self.write_form._meta.model, pk=_number(pk))
        records.record_delete(record=record)
        return Response(status=status.HTTP_204_NO_CONTENT)


def admin_writes(form: type[forms.ModelForm], answer):
    """The bodies of ``form`` (POST, PATCH) and the writes' schema (answered with ``answer``);
    ``@admin_writes(Form, Serializer)`` on the viewset."""
    name = form._meta.model.__name__
    bodies = (
        form_serializer(f"{name}Input", form()),
        form_serializer(f"Patched{name}Input", form(), optional=True),
    )
    schema = extend_schema_view(
        create=extend_schema(request=bodies[0], responses=created(answer)),
        partial_update=extend_schema(request=bodies[1], responses=answered(answer)),
        destroy=extend_schema(responses=deleted()),
    )

    def decorate(viewset: type) -> type:
        viewset.write_form = form
        viewset.write_inputs = bodies
        return schema(viewset)

    return decorate
