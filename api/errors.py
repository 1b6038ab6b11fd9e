"""Error bodies: DRF's ``{"detail": message}`` and ``{field: [messages]}``, and a service's
``DomainError`` in the same shapes.

A refusal by a service (the rule the page would show at the top of the form) is a 409
``{"detail": message}``; one about a field is a 422 ``{field: [message]}``, the field named
as the API names it (``view.api_field_names`` maps model fields to API fields).

A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (DRF reads JSON through ``request.body``, which
checks it) is a 413 in the same shape, not Django's HTML 400.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions
from rest_framework import status
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class FieldRefused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "refused"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    if isinstance(exc, DomainError):
        if exc.field:
            names = getattr(context.get("view"), "api_field_names", {})
            exc = FieldRefused({names.get(exc.field, exc.field): [str(exc)]})
        else:
            exc = Conflict(str(exc))
    return drf_exception_handler(exc, context)
