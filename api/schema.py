"""The OpenAPI schema documents the error answers too, so clients (and Schemathesis) know
every status an operation may give and the shape of its body."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Messages by field (`non_field_errors` for the body as a whole).",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
EITHER = {"oneOf": [DETAIL, FIELD_ERRORS]}


def errors_of(method: str) -> dict:
    """The error answers an operation may give, by status."""
    # 400: a bad filter value or body (by field), or a NUL character anywhere (``detail``,
    # core.middleware.RefuseNulMiddleware)
    errors = {400: EITHER, 401: DETAIL, 403: DETAIL, 404: DETAIL, 429: DETAIL}
    if method in ("POST", "PUT", "PATCH"):
        errors |= {409: DETAIL, 413: DETAIL, 415: DETAIL, 422: FIELD_ERRORS}
    return errors


def created(serializer) -> dict:
    """``@extend_schema(responses=created(S))``: 201 with ``S``, and the errors of a POST
    (an ``extend_schema`` with its own responses replaces what ``ApiAutoSchema`` adds)."""
    return {201: serializer, **errors_of("POST")}


def answered(serializer) -> dict:
    """``@extend_schema(responses=answered(S))``: 200 with ``S``, and the errors of a POST."""
    return {200: serializer, **errors_of("POST")}


def deleted() -> dict:
    """``@extend_schema(responses=deleted())``: 204, the errors of a DELETE, and 409 when the
    record is still in use."""
    return {204: None, **errors_of("DELETE"), 409: DETAIL}


class ApiAutoSchema(AutoSchema):
    def get_response_serializers(self):
        ok = super().get_response_serializers()
        if isinstance(ok, dict):  # an @extend_schema of its own
            return ok
        return {200: ok, **errors_of(self.method)}
